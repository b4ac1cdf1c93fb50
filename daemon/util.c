// SPDX-License-Identifier: GPL-2.0
/*
 * Messages go to stderr prefixed with "colinux: ", so that they never mix
 * with the guest's console output on stdout.
 */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

static void vmessage(const char *fmt, va_list ap)
{
	fputs("colinux: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

/*
 * A mistake a guest can repeat without end (a bad request, a bad frame):
 * "WHO: message (NOTE)" the first time *logged is 0, nothing after.
 */
void vpr_err_once(int *logged, const char *who, const char *note,
		  const char *fmt, va_list ap)
{
	char msg[256];

	if (*logged)
		return;
	*logged = 1;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	pr_err("%s: %s (%s)", who, msg, note);
}

noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(2);
}

/*
 * For helper threads: SIGINT, SIGTERM, SIGHUP and SIGPWR must reach the
 * vCPU thread, whose CO_IOC_RUN they interrupt.
 */
void block_stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPWR);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}
