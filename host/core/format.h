/* SPDX-License-Identifier: GPL-2.0 */
/* A small snprintf for the freestanding core: %s %c %d %u %x %llu %llx %%. */
#ifndef COLINUX_CORE_FORMAT_H
#define COLINUX_CORE_FORMAT_H

#include <stdarg.h>

#include "types.h"

int co_format(char *buf, size_t size, const char *fmt, ...);
int co_vformat(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* COLINUX_CORE_FORMAT_H */
