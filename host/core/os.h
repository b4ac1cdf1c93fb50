/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the portable core needs from the host operating system.
 *
 * Each OS layer (host/linux/ today) implements these; the userspace unit
 * tests implement them over malloc.  Nothing here may sleep unless it says
 * so, and nothing here is called with the guest's state loaded.
 */
#ifndef COLINUX_CORE_OS_H
#define COLINUX_CORE_OS_H

#include <colinux/abi.h>

/*
 * Allocate 2^order zeroed, physically contiguous pages, aligned to their
 * size.  Returns the kernel virtual address and stores the physical one.
 * May sleep.  NULL when out of memory.
 */
void *co_os_alloc_pages(unsigned int order, __u64 *phys);
void co_os_free_pages(void *virt, unsigned int order);

/*
 * Virtual address, by physical address, of a page returned by
 * co_os_alloc_pages(), of guest RAM, or of the host's current top-level
 * page table.
 */
void *co_os_phys_to_virt(__u64 phys);

/*
 * Arm a vCPU's one-shot timer for an absolute TSC value (0 disarms it).
 * When it expires the OS layer calls co_vcpu_timer_expired() and wakes or
 * kicks the vCPU.  os_vcpu is the vCPU's pointer given to co_vm_create().
 * Called by that vCPU's thread.
 */
void co_os_timer_set(void *os_vcpu, __u64 tsc_deadline);

/*
 * Another vCPU has an event for os_vcpu (an IPI, its start): wake it if it
 * sleeps, make it exit soon if it runs the guest.  Called from any vCPU's
 * thread with interrupts on.
 */
void co_os_vcpu_kick(void *os_vcpu);

/*
 * How long, in ns, the thread running os_vcpu waited runnable for a host
 * CPU since the last call (the host scheduler's run delay): the guest's
 * steal time.  0 when the OS cannot tell or the thread changed.  Called by
 * that vCPU's thread.
 */
__u64 co_os_vcpu_run_delay(void *os_vcpu);

/* The host's wall clock (CLOCK_REALTIME), in ns since the epoch. */
__u64 co_os_wallclock_ns(void);

/*
 * The host's current top-level page table (PML4 or PML5), for reading
 * only, and the CPU's current CR4.  Called with interrupts off on the CPU
 * that is about to enter the guest.
 */
const __u64 *co_os_host_top_table(void);
__u64 co_os_host_cr4(void);

/*
 * What the CPU says about a host vector the guest exited on, with
 * interrupts still off: an external interrupt the local APIC has in
 * service, the host's spurious vector (delivered without being in
 * service), or neither (then only a software "int" can have raised it).
 */
#define CO_HOST_VECTOR_NONE		0
#define CO_HOST_VECTOR_IN_SERVICE	1
#define CO_HOST_VECTOR_SPURIOUS		2
int co_os_host_vector_state(unsigned int vector);

/*
 * CO_HC_NOTIFY: signal what the daemon bound to (device, queue), both
 * already checked to be in range.  0, or -CO_ENOENT when nothing is bound.
 * Interrupts are on.
 */
int co_os_notify(void *os_vm, unsigned int device, unsigned int queue);

/*
 * Does the host keep this vector for software alone, so that no interrupt
 * ever arrives on it (Linux reserves IA32_SYSCALL_VECTOR, 0x80, when it
 * runs 32-bit programs)?  Only then may a guest gate take it over.
 */
int co_os_host_never_raises(unsigned int vector);

/* Is a machine check in progress (MCG_STATUS.MCIP)? */
int co_os_machine_check_in_progress(void);

/* The timing variant make bench asked for: a CO_BENCH_* part, a count. */
void co_os_bench_variant(unsigned int *part, unsigned int *repeat);

#endif /* COLINUX_CORE_OS_H */
