// SPDX-License-Identifier: GPL-2.0
/*
 * The ABI header spells out Linux's ioctl encoding by hand; check it against
 * Linux's own macros, and check what the core reports as its version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/ioctl.h>

#include <colinux/abi.h>
#include "../../host/core/core.h"

static void test_ioctl_encoding(void **state)
{
	(void)state;
	assert_int_equal(CO_IOC_VERSION, _IOR(CO_IOC_MAGIC, 0x00, struct co_version));
	assert_int_equal(CO_IOC(CO_IOC_WRITE, 5, 16), _IOW(CO_IOC_MAGIC, 5, char[16]));
	assert_int_equal(CO_IOC(CO_IOC_READ | CO_IOC_WRITE, 6, 32),
			 _IOWR(CO_IOC_MAGIC, 6, char[32]));
}

static void test_core_version(void **state)
{
	struct co_version v;

	(void)state;
	memset(&v, 0xff, sizeof(v));
	co_core_version(&v);
	assert_int_equal(v.abi_version, CO_ABI_VERSION);
	assert_int_equal(v.reserved, 0);
	assert_string_equal(v.module_version, CO_RELEASE);
	/* No stale bytes after the string: the struct goes to userspace. */
	for (size_t i = strlen(CO_RELEASE); i < sizeof(v.module_version); i++)
		assert_int_equal(v.module_version[i], 0);
}

/* ABI 10's vCPU fields sit where the reserved words of ABI 9 were. */
static void test_vcpu_layout(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct co_vm_create, nr_vcpus), 12);
	assert_int_equal(offsetof(struct co_vm_info, nr_vcpus), 52);
	assert_int_equal(offsetof(struct co_irq, vcpu), 4);
	assert_int_equal(offsetof(struct co_boot_info, nr_vcpus), 104);
	assert_int_equal(offsetof(struct co_boot_info, ram), 112);
	assert_int_equal(CO_MMAP_RUN(0), CO_MMAP_RUN_OFFSET);
	assert_int_equal(CO_MMAP_RUN(1), 0x1000);
	assert_int_equal(CO_MMAP_RUN(CO_MAX_VCPUS - 1), 0x1000ULL * (CO_MAX_VCPUS - 1));
	assert_true(CO_MMAP_RUN(CO_MAX_VCPUS) <= CO_MMAP_RAM_OFFSET);
	assert_int_equal(CO_MAX_VCPUS, 64);
	assert_int_equal(CO_VCPU_PASSAGE_STRIDE % 4096, 0);
	assert_int_equal(CO_HC_VCPU_UP, 10);
	assert_int_equal(CO_HC_SEND_IPI, 11);
}

/* ABI 11: the spinlock and steal-time hypercalls, the record KVM-shaped. */
static void test_steal_time_layout(void **state)
{
	(void)state;
	assert_int_equal(CO_HC_HALT, 12);
	assert_int_equal(CO_HC_KICK, 13);
	assert_int_equal(CO_HC_SET_STEAL_TIME, 14);
	assert_int_equal(CO_HC_COUNT, 15);
	assert_int_equal(offsetof(struct co_steal_time, steal), 0);
	assert_int_equal(offsetof(struct co_steal_time, version), 8);
	assert_int_equal(offsetof(struct co_steal_time, flags), 12);
	assert_int_equal(offsetof(struct co_steal_time, preempted), 16);
	assert_int_equal(sizeof(struct co_steal_time), CO_STEAL_TIME_ALIGN);
	assert_int_equal(offsetof(struct co_stats, halts), 64);
	assert_int_equal(offsetof(struct co_stats, kicks), 72);
	/* ABI 13: halt polling's count, at the end of the run record. */
	assert_int_equal(offsetof(struct co_stats, halt_polls), 80);
	assert_int_equal(sizeof(struct co_run), 136 + 224 + 88);
}

/* ABI 12: the VM's flags, where co_boot_info's reserved word was. */
static void test_flags_layout(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct co_vm_info, flags), 56);
	assert_int_equal(offsetof(struct co_vm_info, ram), 64);
	assert_int_equal(offsetof(struct co_boot_info, flags), 108);
	assert_int_equal(CO_VM_TSC_UNSTABLE, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ioctl_encoding),
		cmocka_unit_test(test_core_version),
		cmocka_unit_test(test_vcpu_layout),
		cmocka_unit_test(test_steal_time_layout),
		cmocka_unit_test(test_flags_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
