/* SPDX-License-Identifier: GPL-2.0 */
#ifndef COLINUX_TESTS_FAKE_OS_H
#define COLINUX_TESTS_FAKE_OS_H

/* Pages allocated through co_os_alloc_pages() and not yet freed. */
extern long fake_os_pages_live;
/* Fail the allocation after this many succeed (-1: never fail). */
extern long fake_os_fail_after;

/* What the fake OS reports as the host's top-level table and CR4. */
extern unsigned long long fake_host_top[512];
extern unsigned long long fake_host_cr4;
/* The last deadline given to co_os_timer_set(), and for which vCPU. */
extern unsigned long long fake_timer_deadline;
extern void *fake_timer_vcpu;
/* The last os_vcpu given to co_os_vcpu_kick(), and how many kicks so far. */
extern void *fake_kicked_vcpu;
extern unsigned int fake_kicks;

/* What co_os_host_vector_state() and the MCIP check report. */
extern int fake_vector_state;
extern int fake_mcip;
extern unsigned int fake_bench_part, fake_bench_repeat;
extern int fake_never_raises;

/* The last co_os_notify() and what it returns. */
extern unsigned int fake_notify_device, fake_notify_queue;
extern int fake_notify_result;

/* The run delay co_os_vcpu_run_delay() reports next (then 0). */
extern unsigned long long fake_run_delay;

#endif
