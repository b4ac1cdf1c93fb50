/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one ABI shared by the host module, the daemon and the guest.
 *
 * Everything that crosses a boundary (ioctl arguments, the mmap'ed run
 * record, the passage and boot-info layouts, hypercall numbers) is defined
 * here and nowhere else.  docs/abi.md is the prose version of this file; keep
 * the two in step.
 *
 * Rules: fixed-width fields only (no long, no pointers, no enums, no
 * bitfields), explicit reserved fields instead of implicit padding, and a
 * size/offset assert after every structure.  The header takes its types from
 * the compiler, not from an OS, so the portable core and a future non-Linux
 * host can include it as is.
 *
 * CO_ABI_VERSION changes whenever any layout or number below changes.  Only
 * CO_IOC_VERSION and struct co_version are frozen forever: they are how two
 * mismatched sides find out that they are mismatched.
 */
#ifndef COLINUX_ABI_H
#define COLINUX_ABI_H

/* Same definitions as Linux's <asm-generic/int-ll64.h>; C11 allows repeats. */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef signed int __s32;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed long long __s64;

#define CO_ABI_VERSION		13

#define CO_ABI_ASSERT_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), #type " changed size")
#define CO_ABI_ASSERT_OFFSET(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), \
		       #type "." #field " moved")

/* ------------------------------------------------------------------------
 * The control device, /dev/colinux (mode 0600, root only).
 * ------------------------------------------------------------------------
 */
#define CO_DEVICE_PATH		"/dev/colinux"
#define CO_DEVICE_NAME		"colinux"

/*
 * CO_IOC_VERSION: frozen.  Written by the module, read by the daemon before
 * anything else.
 */
struct co_version {
	__u32 abi_version;		/* CO_ABI_VERSION the module was built with */
	__u32 reserved;			/* zero */
	char module_version[56];	/* NUL-terminated release string */
};
CO_ABI_ASSERT_SIZE(struct co_version, 64);
CO_ABI_ASSERT_OFFSET(struct co_version, module_version, 8);

/*
 * Ioctl numbers follow Linux's _IOC encoding (dir:2 size:14 type:8 nr:8),
 * spelled out here so that the header needs no OS include.
 */
#define CO_IOC_MAGIC		0xC0
#define CO_IOC_NONE		0U
#define CO_IOC_WRITE		1U
#define CO_IOC_READ		2U
#define CO_IOC(dir, nr, size) \
	(((dir) << 30) | ((__u32)(size) << 16) | (CO_IOC_MAGIC << 8) | (nr))

#define CO_IOC_VERSION		CO_IOC(CO_IOC_READ, 0x00, sizeof(struct co_version))

/* ------------------------------------------------------------------------
 * One VM per open file of /dev/colinux.  Closing the file (or the death of
 * the process that holds it) destroys the VM and frees everything.
 * ------------------------------------------------------------------------
 */

/*
 * Guest RAM is a few physically contiguous host chunks; guest-physical
 * addresses are host-physical addresses.  Chunks are CO_RAM_CHUNK_ALIGN
 * aligned and sized (one memory section, so the guest's memmap stays small).
 */
#define CO_RAM_CHUNK_ALIGN	(128ULL << 20)
#define CO_RAM_MIN		CO_RAM_CHUNK_ALIGN
#define CO_RAM_MAX		(64ULL << 30)
#define CO_RAM_DEFAULT		(256ULL << 20)
#define CO_MAX_RAM_CHUNKS	32

/*
 * A VM has 1..CO_MAX_VCPUS virtual CPUs, each run by its own daemon thread
 * with CO_IOC_RUN.  vCPU 0 starts at CO_IOC_SET_REGS's state; the others
 * wait inside CO_IOC_RUN until the guest starts them (CO_HC_VCPU_UP).
 * vCPU i has its own passage at passage_va + i * CO_VCPU_PASSAGE_STRIDE,
 * and so its own hypercall entry, hypercall_va + i * CO_VCPU_PASSAGE_STRIDE:
 * a guest CPU must call its own.
 */
#define CO_MAX_VCPUS		64
#define CO_VCPU_PASSAGE_STRIDE	0x20000ULL

/* CO_IOC_CREATE_VM: written by the daemon, once per open file. */
struct co_vm_create {
	__u64 ram_bytes;	/* multiple of CO_RAM_CHUNK_ALIGN */
	__u32 flags;		/* zero */
	__u32 nr_vcpus;		/* 1..CO_MAX_VCPUS */
};
CO_ABI_ASSERT_SIZE(struct co_vm_create, 16);

struct co_ram_chunk {
	__u64 gpa;		/* guest-physical == host-physical */
	__u64 size;
};
CO_ABI_ASSERT_SIZE(struct co_ram_chunk, 16);

/* CO_IOC_GET_INFO: written by the module after CO_IOC_CREATE_VM. */
struct co_vm_info {
	__u32 paging_levels;	/* 4 or 5: the host's, and so the guest's */
	__u32 passage_slot;	/* top-level page-table slot of the passage */
	__u64 passage_va;	/* where the passage is, in both worlds */
	/* The top-level entry every guest page table keeps at passage_slot. */
	__u64 passage_entry;
	__u64 hypercall_va;	/* vCPU 0's call target for hypercalls */
	__u64 tsc_khz;		/* the host's TSC frequency */
	__u64 ram_bytes;
	__u32 nr_ram_chunks;
	__u32 nr_vcpus;
	__u32 flags;		/* CO_VM_* */
	__u32 reserved;		/* zero */
	struct co_ram_chunk ram[CO_MAX_RAM_CHUNKS];	/* ascending gpa */
};
CO_ABI_ASSERT_SIZE(struct co_vm_info, 64 + 16 * CO_MAX_RAM_CHUNKS);
CO_ABI_ASSERT_OFFSET(struct co_vm_info, ram, 64);

/*
 * co_vm_info.flags, passed on in co_boot_info.flags.  TSC_UNSTABLE: the
 * host's kernel does not trust its TSC to agree between CPUs (or to keep
 * counting); a vCPU's TSC reads may go back when the host moves it, so the
 * guest must not take them as its clock as they are.
 */
#define CO_VM_TSC_UNSTABLE	(1U << 0)

/*
 * Guest registers.  CO_IOC_SET_REGS takes vCPU 0's general registers, rip,
 * rflags and cr3 (the gpa of the boot page table, whose slot passage_slot
 * the module fills in); the rest of the boot state is fixed, see
 * docs/abi.md.  Exit reports fill every field.
 */
struct co_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
	__u64 cs, ss;
	__u64 cr0, cr2, cr3, cr4;
	__u64 efer, fs_base, gs_base, kernel_gs_base;
};
CO_ABI_ASSERT_SIZE(struct co_regs, 28 * 8);
CO_ABI_ASSERT_OFFSET(struct co_regs, rip, 128);
CO_ABI_ASSERT_OFFSET(struct co_regs, cr0, 160);

/* CO_IOC_IRQ: raise a virtual interrupt (a device doorbell). */
struct co_irq {
	__u32 vector;		/* 32..255 */
	__u32 vcpu;		/* the vCPU that takes it: below nr_vcpus */
};
CO_ABI_ASSERT_SIZE(struct co_irq, 8);

/*
 * CO_IOC_SET_NOTIFY: from now on the guest's CO_HC_NOTIFY(device, queue)
 * signals the eventfd fd, and the guest runs on (KVM's ioeventfd).  fd -1
 * removes the binding.  Not while CO_IOC_RUN runs: it waits for the lock.
 */
struct co_notify {
	__u32 device;		/* below CO_MAX_DEVICES */
	__u32 queue;		/* below CO_NOTIFY_QUEUES */
	__s32 fd;		/* an eventfd, or -1 */
	__u32 flags;		/* zero */
};
CO_ABI_ASSERT_SIZE(struct co_notify, 16);

/*
 * The run record: one page per vCPU (vCPU i's at mmap offset
 * CO_MMAP_RUN(i)), written by the module when that vCPU's CO_IOC_RUN
 * returns, read by the daemon.
 */
#define CO_EXIT_NONE		0
#define CO_EXIT_DAEMON_CALL	1	/* u.call: a device call for the daemon */
#define CO_EXIT_POWEROFF	2	/* u.poweroff: the guest is done */
#define CO_EXIT_CRASH		3	/* u.crash: the guest reported a crash */
#define CO_EXIT_FAULT		4	/* u.fault: the guest was stopped */
#define CO_EXIT_INTR		5	/* a signal is pending; RUN may resume */

#define CO_FAULT_REASON_LEN	96

struct co_stats {
	__u64 entries;		/* world switches into the guest */
	__u64 irq_exits;	/* host interrupts forwarded from the guest */
	__u64 nmi_exits;	/* host NMIs that hit the guest */
	__u64 nmi_pending;	/* NMIs latched during a switch, replayed */
	__u64 hypercalls;
	__u64 injections;	/* virtual interrupts delivered */
	__u64 idle_sleeps;
	__u64 notifies;		/* CO_HC_NOTIFY calls passed to an eventfd */
	__u64 halts;		/* CO_HC_HALT sleeps (a spinlock waiter) */
	__u64 kicks;		/* CO_HC_KICK calls (a spinlock handed on) */
	__u64 halt_polls;	/* idle waits ended by an event while spinning */
};
CO_ABI_ASSERT_SIZE(struct co_stats, 88);

struct co_run {
	__u32 exit_reason;	/* CO_EXIT_* */
	/*
	 * Written by the daemon, typically from a signal handler: nonzero
	 * makes CO_IOC_RUN return EINTR before it enters the guest.
	 */
	__u32 immediate_exit;
	union {
		/*
		 * CO_HC_DAEMON_CALL, as the guest made it: nothing here has been
		 * checked by the module.  The daemon serves it and writes result,
		 * which the guest gets in rax when RUN resumes.
		 */
		struct {
			__u64 device;	/* index in co_boot_info.devices */
			__u64 op;	/* the device type's operation */
			__u64 arg[2];
			__s64 result;	/* written by the daemon */
		} call;
		struct {
			__u64 status;
		} poweroff;
		struct {
			__u64 code;
			__u64 msg_gpa;	/* inside one RAM chunk, or 0 */
			__u64 msg_len;	/* at most CO_CRASH_MSG_MAX */
		} crash;
		struct {
			__u32 vector;	/* exception vector, or ~0 */
			__u32 reserved;
			__u64 error_code;
			char reason[CO_FAULT_REASON_LEN];
		} fault;
		__u64 pad[16];
	} u;
	struct co_regs regs;	/* the guest at the exit */
	struct co_stats stats;
};
CO_ABI_ASSERT_OFFSET(struct co_run, u, 8);
CO_ABI_ASSERT_OFFSET(struct co_run, regs, 136);
CO_ABI_ASSERT_SIZE(struct co_run, 136 + 224 + 88);

/* mmap offsets of an open /dev/colinux with a VM. */
#define CO_MMAP_RUN_OFFSET	0x0ULL		/* vCPU 0's struct co_run */
#define CO_MMAP_RUN(vcpu)	(CO_MMAP_RUN_OFFSET + 0x1000ULL * (vcpu))
#define CO_MMAP_RAM_OFFSET	0x100000ULL	/* the chunks, back to back */
_Static_assert(CO_MMAP_RUN(CO_MAX_VCPUS) <= CO_MMAP_RAM_OFFSET,
	       "the run records end before guest RAM");

#define CO_IOC_CREATE_VM	CO_IOC(CO_IOC_WRITE, 0x01, sizeof(struct co_vm_create))
#define CO_IOC_GET_INFO		CO_IOC(CO_IOC_READ, 0x02, sizeof(struct co_vm_info))
#define CO_IOC_SET_REGS		CO_IOC(CO_IOC_WRITE, 0x03, sizeof(struct co_regs))
/*
 * CO_IOC_RUN's argument is the vCPU's index.  One thread at a time per
 * vCPU; when another vCPU ended the guest (power off, crash, fault) it
 * fails with ESHUTDOWN, and that vCPU's run record says how it ended.
 */
#define CO_IOC_RUN		CO_IOC(CO_IOC_NONE, 0x04, 0)
#define CO_IOC_IRQ		CO_IOC(CO_IOC_WRITE, 0x05, sizeof(struct co_irq))
#define CO_IOC_SET_NOTIFY	CO_IOC(CO_IOC_WRITE, 0x06, sizeof(struct co_notify))

/* ------------------------------------------------------------------------
 * Hypercalls: guest -> host.
 *
 * The guest does "call *hypercall_va" at CPL 0 with the number in rax and
 * arguments in rdi, rsi, rdx, rcx; the result comes back in rax (0 or a
 * negative errno).  Every other register and the flags are preserved.
 * ------------------------------------------------------------------------
 */
#define CO_HC_NOP		0	/* (): a round trip, for benchmarks */
/*
 * (device, op, arg0, arg1): a call to a device the daemon serves; returns
 * its result (a negative errno for a bad call).  The module passes it on
 * without looking at it.
 */
#define CO_HC_DAEMON_CALL	1
#define CO_HC_POWEROFF		2	/* (status): never returns */
#define CO_HC_CRASH		3	/* (code, msg_gpa, msg_len): never returns */
/* (): sleep until an interrupt is pending; returns with interrupts on */
#define CO_HC_IDLE		4
/* (tsc_deadline, vector): one shot; deadline 0 cancels */
#define CO_HC_SET_TIMER		5
#define CO_HC_SET_IDT		6	/* (gpa, limit): snapshot the guest IDT */
#define CO_HC_SET_STACKS	7	/* (rsp0, ist3, ist5, ist6) */
#define CO_HC_WALLCLOCK		8	/* (): host CLOCK_REALTIME in ns */
/*
 * (device, queue): "the queue has new buffers".  The module signals the
 * eventfd CO_IOC_SET_NOTIFY bound to them and returns 0 at once, without
 * an exit; -ENOENT when nothing is bound, -EINVAL when out of range.
 */
#define CO_HC_NOTIFY		9
/*
 * (vcpu, rip, rsp, arg): start vCPU vcpu, which has not run yet, at rip
 * with rsp and rdi = arg, in the boot state (docs/abi.md) but with the
 * caller's CR3 and a copy of the caller's IDT (CO_HC_SET_IDT); it sets its
 * own stacks.  0, -EINVAL (no such vCPU, the caller, a non-canonical
 * address) or -EBUSY (it runs already).
 */
#define CO_HC_VCPU_UP		10
/*
 * (vcpu, vector): raise vector (32..255) on vCPU vcpu, the caller
 * included, and make it take it soon: an inter-processor interrupt.
 * 0 or -EINVAL.
 */
#define CO_HC_SEND_IPI		11
/*
 * (): sleep until a vector is pending or another vCPU's CO_HC_KICK, like
 * "hlt" whatever the interrupt flag, which stays as it was: a paravirtual
 * spinlock's waiter.  It may return early; the caller checks again.
 */
#define CO_HC_HALT		12
/*
 * (vcpu): wake vCPU vcpu from CO_HC_HALT or CO_HC_IDLE without an
 * interrupt (a spinlock's unlocker hands it on); a kick for a vCPU that
 * is not asleep makes its next sleep return at once.  0 or -EINVAL.
 */
#define CO_HC_KICK		13
/*
 * (gpa): from now on the host keeps this vCPU's struct co_steal_time at
 * gpa (CO_STEAL_TIME_ALIGN-aligned, in RAM) up to date; 0 stops it.
 * 0 or -EINVAL.
 */
#define CO_HC_SET_STEAL_TIME	14
#define CO_HC_COUNT		15

/*
 * A vCPU's time as the host saw it (CO_HC_SET_STEAL_TIME), as KVM's
 * kvm_steal_time.  The host writes steal at each entry, with version odd
 * while it does (a seqcount: read until version is even and unchanged).
 * preempted is CO_STEAL_PREEMPTED while the vCPU's thread is out of the
 * guest against its will (preempted on its host CPU, or out of RUN); the
 * host clears it, atomically, before it enters the guest again.  A guest
 * that would IPI a preempted vCPU to flush its TLB may instead add
 * CO_STEAL_FLUSH_TLB with a compare-and-swap: every entry into the guest
 * starts with an empty TLB (docs/world-switch.md), so the flush is done by
 * then.  The guest may write only preempted, and only that way.
 */
struct co_steal_time {
	__u64 steal;		/* ns the vCPU's thread waited for a host CPU */
	__u32 version;
	__u32 flags;		/* 0 */
	__u8 preempted;		/* CO_STEAL_* */
	__u8 pad[47];
};
CO_ABI_ASSERT_OFFSET(struct co_steal_time, preempted, 16);
CO_ABI_ASSERT_SIZE(struct co_steal_time, 64);
#define CO_STEAL_TIME_ALIGN	64
#define CO_STEAL_PREEMPTED	(1 << 0)
#define CO_STEAL_FLUSH_TLB	(1 << 1)

/* CO_HC_POWEROFF statuses beyond 0-255: the guest rebooted or halted. */
#define CO_POWEROFF_REBOOT	0x100
#define CO_POWEROFF_HALT	0x101

#define CO_CRASH_MSG_MAX	4096

/* ------------------------------------------------------------------------
 * Devices: the daemon serves them, the guest finds them in the table of
 * co_boot_info.devices and calls them with CO_HC_DAEMON_CALL (device =
 * the index in that table).  A device with an interrupt gets one of the
 * vectors CO_DEVICE_VECTOR_FIRST..LAST, the guest's "ISA" vectors 0x31-0x3f
 * (irq = vector - 0x30; 0x30, irq 0, is left to the guest), but never
 * CO_DEVICE_VECTOR_CASCADE: Linux keeps irq 2 for the 8259 cascade.
 * ------------------------------------------------------------------------
 */
#define CO_MAX_DEVICES		40
#define CO_NOTIFY_QUEUES	8	/* queues of one device CO_HC_NOTIFY names */
#define CO_DEVICE_VECTOR_FIRST	0x31
#define CO_DEVICE_VECTOR_LAST	0x3f
#define CO_DEVICE_VECTOR_CASCADE 0x32

/* co_device_desc.type */
#define CO_DEV_CONSOLE		1	/* cocon: the console */
#define CO_DEV_VIRTIO		2	/* a virtio device: see struct co_virtio */
#define CO_DEV_POWER		3	/* the power button: see CO_POWER_* */

/*
 * CO_DEV_CONSOLE operations.  The interrupt means "input is waiting".
 * Buffers are guest-physical, inside one RAM chunk, at most CO_CONSOLE_MAX.
 */
#define CO_CONSOLE_WRITE	0	/* (gpa, len): print; returns 0 */
#define CO_CONSOLE_READ		1	/* (gpa, len): returns bytes read, 0: none */
#define CO_CONSOLE_WINSIZE	2	/* (): rows << 16 | cols if changed, else 0 */
#define CO_CONSOLE_MAX		4096

/*
 * CO_DEV_POWER: the virtual power button of 'colinux stop'.  Its interrupt
 * means "a request is waiting"; CO_POWER_REQUEST returns it (and forgets
 * it): the guest answers with an orderly shutdown, as to ACPI's button.
 */
#define CO_POWER_REQUEST	0	/* (): returns a CO_POWER_PRESS_* */
#define CO_POWER_PRESS_NONE	0
#define CO_POWER_PRESS_OFF	1	/* shut down and power off */
#define CO_POWER_PRESS_REBOOT	2	/* shut down and reboot */

/*
 * One device.  Devices beyond the 15 vectors share them: an interrupt may
 * be any of the devices on its vector (the virtio ones say which in their
 * interrupt word).
 */
struct co_device_desc {
	__u32 type;		/* CO_DEV_* */
	__u32 vector;		/* its interrupt, or 0 for none */
	__u32 virtio_id;	/* CO_DEV_VIRTIO: VIRTIO_ID_* (2: block) */
	__u32 unit;		/* the user's number for it: N of cobdN */
	__u64 config_gpa;	/* its page in guest RAM, or 0 */
	__u64 config_size;	/* the guest must keep it out of its allocator */
};
CO_ABI_ASSERT_SIZE(struct co_device_desc, 32);

/*
 * The cooperative virtio transport.  A CO_DEV_VIRTIO device is one page
 * of guest RAM at config_gpa that the daemon and the guest both see: the
 * registers of virtio-mmio as memory.  The guest reads what the daemon
 * wrote; what it writes the daemon reads only when the guest makes the
 * CO_HC_DAEMON_CALL that says so (each value read once and checked):
 *
 *   CO_VIRTIO_SET_STATUS (status): 0 resets the device (every queue
 *	stops, in-flight requests finish first); FEATURES_OK takes
 *	driver_features, refused (the bit stays clear) unless a subset of
 *	device_features with VIRTIO_F_VERSION_1.  Returns the new status.
 *   CO_VIRTIO_SET_QUEUE (index): take queue[index] (size, ring addresses)
 *	and start serving it: 0, or -EINVAL (ready stays 0).
 *   CO_VIRTIO_CONFIG_WRITE (offset, len): the guest changed config[].
 *
 * Buffers are made available with CO_HC_NOTIFY(device, queue); used ones
 * come back with the device's interrupt, after the daemon set the reason
 * in interrupt (atomically; the guest takes it with an exchange).
 */
#define CO_VIRTIO_SET_STATUS	0
#define CO_VIRTIO_SET_QUEUE	1
#define CO_VIRTIO_CONFIG_WRITE	2

#define CO_VIRTIO_INT_VRING	1	/* used buffers in some queue */
#define CO_VIRTIO_INT_CONFIG	2	/* config[] changed: see generation */

#define CO_VIRTIO_MAX_QUEUES	CO_NOTIFY_QUEUES
#define CO_VIRTIO_CONFIG_OFFSET	0x200
#define CO_VIRTIO_PAGE_SIZE	4096
#define CO_VIRTIO_CONFIG_MAX	(CO_VIRTIO_PAGE_SIZE - CO_VIRTIO_CONFIG_OFFSET)

struct co_virtio_queue {
	__u32 size_max;		/* daemon: 0 when the queue does not exist */
	__u32 size;		/* guest: a power of two, at most size_max */
	__u64 desc_gpa;		/* guest: the split ring's three parts */
	__u64 avail_gpa;
	__u64 used_gpa;
	__u32 ready;		/* daemon: 1 while it serves the queue */
	__u32 reserved;
};
CO_ABI_ASSERT_SIZE(struct co_virtio_queue, 40);

struct co_virtio {
	__u64 device_features;	/* daemon */
	__u64 driver_features;	/* guest, taken at FEATURES_OK */
	__u32 status;		/* daemon: the device status */
	__u32 generation;	/* daemon: changes with each config[] change */
	__u32 interrupt;	/* daemon sets CO_VIRTIO_INT_*, guest clears */
	__u32 nr_queues;	/* daemon */
	__u32 config_size;	/* daemon: bytes of config[] */
	__u32 reserved[3];
	struct co_virtio_queue queue[CO_VIRTIO_MAX_QUEUES];
	__u8 pad[CO_VIRTIO_CONFIG_OFFSET - 48 - 40 * CO_VIRTIO_MAX_QUEUES];
	__u8 config[CO_VIRTIO_CONFIG_MAX];	/* the device's config space */
};
CO_ABI_ASSERT_OFFSET(struct co_virtio, queue, 48);
CO_ABI_ASSERT_OFFSET(struct co_virtio, config, CO_VIRTIO_CONFIG_OFFSET);
CO_ABI_ASSERT_SIZE(struct co_virtio, CO_VIRTIO_PAGE_SIZE);

/*
 * The MSRs the passage switches between the worlds, where the CPU has them
 * (EFER, FS, GS and KERNEL_GS bases always).  The guest may write these and
 * no others: any other MSR is the host's.
 */
#define CO_SWITCHED_MSRS {						\
	0xc0000080 /* EFER */, 0xc0000100 /* FS_BASE */,		\
	0xc0000101 /* GS_BASE */, 0xc0000102 /* KERNEL_GS_BASE */,	\
	0xc0000081 /* STAR */, 0xc0000082 /* LSTAR */,			\
	0xc0000083 /* CSTAR */, 0xc0000084 /* SYSCALL_MASK */,		\
	0x00000174 /* SYSENTER_CS */, 0x00000175 /* SYSENTER_ESP */,	\
	0x00000176 /* SYSENTER_EIP */, 0x00000277 /* PAT */,		\
	0xc0000103 /* TSC_AUX */, 0x00000048 /* SPEC_CTRL */,		\
}

/*
 * Interrupt stacks.  The passage owns vectors 2 (NMI), 8 (#DF) and 18 (#MC)
 * and every host interrupt; IST slots 1, 2, 4 and 7 are its own.  Guest
 * gates may use IST 3, 5 and 6, whose stacks CO_HC_SET_STACKS provides.
 */
#define CO_GUEST_IST_MASK	((1U << 3) | (1U << 5) | (1U << 6))
/*
 * The 32-bit system call vector: a present gate of the guest's there goes
 * straight into the IDT the guest runs with (as its exception gates do),
 * so "int $0x80" from its 32-bit programs never leaves the guest, provided
 * the host never raises 0x80 as an interrupt (Linux hosts with IA32
 * emulation reserve it).  Otherwise 0x80 is a host vector like the others.
 */
#define CO_GUEST_SYSCALL_VECTOR	0x80
/*
 * The code selector of the passage's stubs: it must be a 64-bit ring-0
 * code segment in every GDT the guest loads.
 */
#define CO_GUEST_CS		0x10

/* ------------------------------------------------------------------------
 * Boot: every guest kernel starts at its ELF entry with rsi = the
 * guest-physical address of a Linux boot_params "zero page" (64-bit boot
 * protocol, Documentation/x86/boot.rst): e820 = the RAM chunks, command
 * line, initrd, hardware_subarch = CO_X86_SUBARCH_COOP and
 * hardware_subarch_data = the gpa of struct co_boot_info.
 * ------------------------------------------------------------------------
 */
#define CO_X86_SUBARCH_COOP	5	/* after X86_SUBARCH_CE4100 */
/* Offsets in boot_params, for guests without <asm/bootparam.h>. */
#define CO_BOOT_PARAMS_SUBARCH		0x23c
#define CO_BOOT_PARAMS_SUBARCH_DATA	0x240
#define CO_BOOT_MAGIC		0x31544f4f424f43ULL	/* "COBOOT1" */
#define CO_CMDLINE_MAX		2048

struct co_boot_info {
	__u64 magic;		/* CO_BOOT_MAGIC */
	__u32 abi_version;	/* CO_ABI_VERSION */
	__u32 size;		/* sizeof(struct co_boot_info) */
	__u32 paging_levels;
	__u32 passage_slot;
	__u64 passage_va;
	__u64 passage_entry;
	__u64 hypercall_va;
	__u64 tsc_khz;
	__u64 cmdline_gpa;	/* NUL-terminated, at most CO_CMDLINE_MAX */
	__u64 initrd_gpa;	/* 0 when there is none */
	__u64 initrd_size;
	/*
	 * [reserved_gpa, +reserved_size): boot_params, this structure, the
	 * command line, the boot page tables and stack.  Ordinary RAM once
	 * the guest has copied what it needs.
	 */
	__u64 reserved_gpa;
	__u64 reserved_size;
	__u32 nr_ram_chunks;
	__u32 nr_devices;
	__u32 nr_vcpus;		/* vCPU 0 boots; CO_HC_VCPU_UP starts the rest */
	__u32 flags;		/* CO_VM_*, as co_vm_info's */
	struct co_ram_chunk ram[CO_MAX_RAM_CHUNKS];
	struct co_device_desc devices[CO_MAX_DEVICES];
};
CO_ABI_ASSERT_OFFSET(struct co_boot_info, nr_vcpus, 104);
CO_ABI_ASSERT_OFFSET(struct co_boot_info, ram, 112);
CO_ABI_ASSERT_OFFSET(struct co_boot_info, devices, 112 + 16 * CO_MAX_RAM_CHUNKS);
CO_ABI_ASSERT_SIZE(struct co_boot_info,
		   112 + 16 * CO_MAX_RAM_CHUNKS + 32 * CO_MAX_DEVICES);

#endif /* COLINUX_ABI_H */
