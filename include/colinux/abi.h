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
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed long long __s64;

#define CO_ABI_VERSION		1

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

#endif /* COLINUX_ABI_H */
