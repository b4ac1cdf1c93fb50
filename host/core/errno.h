/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error codes returned by the core, as negative numbers.  The values are
 * Linux's errno values so that the Linux layer can pass them through; an OS
 * layer for another kernel translates them in one place.
 */
#ifndef COLINUX_CORE_ERRNO_H
#define COLINUX_CORE_ERRNO_H

#define CO_EPERM	1
#define CO_ENOENT	2
#define CO_EINTR	4
#define CO_EIO		5
#define CO_E2BIG	7
#define CO_ENOEXEC	8
#define CO_EAGAIN	11
#define CO_ENOMEM	12
#define CO_EFAULT	14
#define CO_EBUSY	16
#define CO_EEXIST	17
#define CO_ENODEV	19
#define CO_EINVAL	22
#define CO_ENOSPC	28
#define CO_ERANGE	34
#define CO_ENOSYS	38
#define CO_EOPNOTSUPP	95
#define CO_EADDRINUSE	98

#endif /* COLINUX_CORE_ERRNO_H */
