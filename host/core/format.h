/* SPDX-License-Identifier: GPL-2.0 */
/* A small snprintf for the freestanding core: %s %c %d %u %x %llu %llx %%. */
#ifndef COLINUX_CORE_FORMAT_H
#define COLINUX_CORE_FORMAT_H

#include "types.h"

int co_format(char *buf, size_t size, const char *fmt, ...);

#endif /* COLINUX_CORE_FORMAT_H */
