/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to arch/x86/coop: the hypercall and the cross-file declarations,
 * grouped by the file that defines them.
 */
#ifndef _X86_COOP_COOP_H
#define _X86_COOP_COOP_H

#include <linux/types.h>
#include <asm/asm.h>
#include <colinux/abi.h>

extern struct co_boot_info coop_info;

/*
 * A hypercall: "call *hypercall_va" with the number in rax and arguments in
 * rdi, rsi, rdx, rcx; the passage preserves every register but rax.
 */
static inline long coop_hypercall(unsigned long nr, unsigned long a0,
				  unsigned long a1, unsigned long a2,
				  unsigned long a3)
{
	long ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret), ASM_CALL_CONSTRAINT
		     : [entry] "m"(coop_info.hypercall_va), "a"(nr), "D"(a0),
		       "S"(a1), "d"(a2), "c"(a3)
		     : "memory", "cc");
	return ret;
}

/* setup.c */
phys_addr_t coop_virt_to_phys(const void *addr);

/* pv.c */
void coop_init_pv_ops(void);

/* irq.c */
void coop_init_irq(void);

/* time.c */
void coop_init_time(void);
void coop_setup_cpu_timer(void);

/* smp.c, smp-entry.S */
#ifdef CONFIG_SMP
void coop_init_smp(void);
void coop_get_smp_config(unsigned int early);
void coop_secondary_startup(void);

/* steal.c */
void coop_init_steal(void);
void coop_register_steal_time(void);
#endif

/* console.c */
void coop_init_console(void);

/* power.c */
void coop_init_power(void);

/* virtio.c */
void coop_reserve_devices(void);

/* cobd.c */
void coop_rewrite_root(void);

#endif /* _X86_COOP_COOP_H */
