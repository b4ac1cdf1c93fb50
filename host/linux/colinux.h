/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cross-file declarations of the Linux layer, grouped by the file that
 * defines them.
 */
#ifndef COLINUX_LINUX_H
#define COLINUX_LINUX_H

#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/wait.h>

#include <colinux/abi.h>

#include "../core/core.h"
#include "../core/os.h"

struct co_host_vm;

/*
 * The Linux side of one vCPU: the thread that calls RUN for it, its run
 * record, FPU state, timer and the ways to wake or kick it.
 */
struct co_host_vcpu {
	struct co_host_vm *hv;
	struct co_vcpu *vcpu;		/* the core's */
	unsigned int index;
	struct mutex lock;		/* one RUN at a time */
	struct co_run *run;		/* its run record page */
	void *fpu;			/* the guest's XSAVE area */
	unsigned int fpu_order;
	struct hrtimer timer;		/* CO_HC_SET_TIMER */
	wait_queue_head_t wq;		/* an idle or unstarted vCPU sleeps here */
	struct irq_work kick;		/* makes the vCPU exit: on its own CPU */
	call_single_data_t kick_remote;	/* ... and from another CPU */
	unsigned long kick_flags;	/* CO_KICK_IN_FLIGHT: kick_remote is busy */
	int cpu;			/* where the vCPU runs while in_guest */
	int in_guest;
	u64 entered_ns;			/* when the current round trip began */
	u64 blocked_ns;			/* host interrupts kept out, in a row */
	struct list_head watched;	/* on the watchdog's list */
	u32 guest_pkru;
	__u64 guest_dr[4];		/* DR0-3 while the guest runs */
	struct task_struct *delay_task;	/* whose run delay delay_seen is */
	u64 delay_seen;
	unsigned int poll_ns;		/* halt polling's window (run.c) */
};

/*
 * The Linux side of one VM: one per open file of /dev/colinux.  Its vCPUs
 * and everything else are made by CREATE_VM and published with vm.
 */
struct co_host_vm {
	struct mutex lock;		/* serializes setup (not RUN) */
	struct co_vm *vm;		/* set once by CREATE_VM, under lock */
	unsigned int nr_vcpus;
	struct co_host_vcpu *vcpu[CO_MAX_VCPUS];
	unsigned int nr_ram;
	struct co_ram_chunk ram[CO_MAX_RAM_CHUNKS];
	__u64 ram_bytes;
	struct mm_struct *mm;		/* charged with the pinned RAM */
	__u64 accounted_bytes;
	/* CO_IOC_SET_NOTIFY's eventfds: changed under lock, read under RCU */
	struct eventfd_ctx __rcu *notify[CO_MAX_DEVICES][CO_NOTIFY_QUEUES];
};

#define CO_KICK_IN_FLIGHT	0

/* caps.c */
int co_caps_init(void);
extern struct co_host_caps co_caps;
extern u64 co_fpu_mask;		/* XSAVE components switched with the guest */

/* device.c */
int co_device_register(void);
void co_device_unregister(void);

/* mem.c */
int co_ram_alloc(__u64 bytes, struct co_ram_chunk *ram, unsigned int *nr);
void co_ram_free(const struct co_ram_chunk *ram, unsigned int nr);

/* vm.c */
struct co_host_vm *co_host_vm_alloc(void);
void co_host_vm_free(struct co_host_vm *hv);
long co_host_vm_ioctl(struct co_host_vm *hv, unsigned int cmd,
		      void __user *argp);
int co_host_vm_mmap(struct co_host_vm *hv, struct vm_area_struct *vma);

/* run.c */
long co_run(struct co_host_vcpu *vc);
void co_wake(struct co_host_vcpu *vc);
enum hrtimer_restart co_timer_expired(struct hrtimer *timer);
void co_kick(struct irq_work *work);
void co_kick_remote(void *info);

/* watchdog.c */
int co_watchdog_init(void);
void co_watchdog_exit(void);
void co_watchdog_add(struct co_host_vcpu *vc);
void co_watchdog_remove(struct co_host_vcpu *vc);
void co_watchdog_exited(struct co_host_vcpu *vc, u64 round_trip_ns);

/* steal.c */
void co_steal_yield(struct co_host_vcpu *vc);
void co_steal_run_end(struct co_host_vcpu *vc);

/* notify.c */
long co_notify_ioctl(struct co_host_vm *hv, void __user *argp);
void co_notify_release(struct co_host_vm *hv);

/* replay.c */
void co_replay_host_events(const struct co_replay *replay);

/* switch.S */
unsigned long co_switch_enter(__u64 transition_cr3, __u64 enter_va);
void co_call_host_handler(unsigned long entry);

#endif /* COLINUX_LINUX_H */
