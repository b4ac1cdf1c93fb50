/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types for the portable core.  The core is freestanding C: it gets bool,
 * size_t and fixed-width integers from the compiler's own headers, never
 * from an operating system, so that a new host OS only needs a new OS layer.
 *
 * Only core .c files include this.  Headers shared with an OS layer
 * (core.h, os.h) use nothing but int, unsigned long and the __uNN types of
 * the ABI header, so they mix with any OS's headers.
 */
#ifndef COLINUX_CORE_TYPES_H
#define COLINUX_CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>

#include <colinux/abi.h>

#define CO_PAGE_SHIFT	12
#define CO_PAGE_SIZE	(1UL << CO_PAGE_SHIFT)
#define CO_PAGE_MASK	(~(CO_PAGE_SIZE - 1))

#define CO_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* COLINUX_CORE_TYPES_H */
