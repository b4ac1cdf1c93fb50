/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portable core as seen by an OS layer.
 *
 * An OS layer (host/linux/) owns the device node, the memory and the
 * interrupt plumbing of its kernel; everything it can share with another
 * host OS lives behind these calls.  Functions return 0 or a negative
 * CO_E* code (core/errno.h).
 */
#ifndef COLINUX_CORE_H
#define COLINUX_CORE_H

#include <colinux/abi.h>

/* version.c */
void co_core_version(struct co_version *out);

#endif /* COLINUX_CORE_H */
