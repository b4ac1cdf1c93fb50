/* SPDX-License-Identifier: GPL-2.0 */
/* Messages and fatal errors for the colinux CLI. */
#ifndef COLINUX_DAEMON_UTIL_H
#define COLINUX_DAEMON_UTIL_H

#include <stdarg.h>
#include <stdnoreturn.h>

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vpr_err_once(int *logged, const char *who, const char *note,
		  const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void block_stop_signals(void);

#endif /* COLINUX_DAEMON_UTIL_H */
