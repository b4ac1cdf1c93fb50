// SPDX-License-Identifier: GPL-2.0
/*
 * The core's OS services over malloc, for unit tests.  "Physical" addresses
 * are the userspace addresses themselves; every allocation is counted so
 * tests can check that the core frees what it allocates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../host/core/os.h"
#include "fake-os.h"

long fake_os_pages_live;
long fake_os_fail_after = -1;

void *co_os_alloc_pages(unsigned int order, __u64 *phys)
{
	size_t size = 4096UL << order;
	void *p;

	if (fake_os_fail_after == 0)
		return NULL;
	if (fake_os_fail_after > 0)
		fake_os_fail_after--;
	p = aligned_alloc(size, size);
	if (!p)
		return NULL;
	memset(p, 0, size);
	*phys = (uintptr_t)p;
	fake_os_pages_live += 1L << order;
	return p;
}

void co_os_free_pages(void *virt, unsigned int order)
{
	if (!virt)
		return;
	fake_os_pages_live -= 1L << order;
	free(virt);
}

void *co_os_phys_to_virt(__u64 phys)
{
	return (void *)(uintptr_t)phys;
}

__u64 fake_host_top[512] __attribute__((aligned(4096)));
__u64 fake_host_cr4;
__u64 fake_timer_deadline;

const __u64 *co_os_host_top_table(void)
{
	return fake_host_top;
}

__u64 co_os_host_cr4(void)
{
	return fake_host_cr4;
}

void *fake_timer_vcpu;

void co_os_timer_set(void *os_vcpu, __u64 tsc_deadline)
{
	fake_timer_vcpu = os_vcpu;
	fake_timer_deadline = tsc_deadline;
}

void *fake_kicked_vcpu;
unsigned int fake_kicks;

void co_os_vcpu_kick(void *os_vcpu)
{
	fake_kicked_vcpu = os_vcpu;
	fake_kicks++;
}

__u64 co_os_wallclock_ns(void)
{
	return 1234567890ULL;
}

int fake_vector_state = CO_HOST_VECTOR_IN_SERVICE;
int fake_mcip;

int co_os_host_vector_state(unsigned int vector)
{
	(void)vector;
	return fake_vector_state;
}

int fake_never_raises = 1;

int co_os_host_never_raises(unsigned int vector)
{
	return vector == 0x80 && fake_never_raises;
}

int co_os_machine_check_in_progress(void)
{
	return fake_mcip;
}

unsigned int fake_bench_part, fake_bench_repeat;

void co_os_bench_variant(unsigned int *part, unsigned int *repeat)
{
	*part = fake_bench_part;
	*repeat = fake_bench_repeat;
}

unsigned int fake_notify_device = ~0U, fake_notify_queue = ~0U;
int fake_notify_result;

int co_os_notify(void *os_vm, unsigned int device, unsigned int queue)
{
	(void)os_vm;
	fake_notify_device = device;
	fake_notify_queue = queue;
	return fake_notify_result;
}

unsigned long long fake_run_delay;

/* Hands out what the test put there, once, as the scheduler's delta would. */
__u64 co_os_vcpu_run_delay(void *os_vcpu)
{
	__u64 delay = fake_run_delay;

	(void)os_vcpu;
	fake_run_delay = 0;
	return delay;
}
