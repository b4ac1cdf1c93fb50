/* SPDX-License-Identifier: GPL-2.0 */
/* Opening /dev/colinux and checking that the module speaks our ABI. */
#ifndef COLINUX_DAEMON_CONTROL_H
#define COLINUX_DAEMON_CONTROL_H

#include <colinux/abi.h>

/*
 * The ABI this binary expects.  Only the tests build a copy with another
 * value, to see the mismatch reported end to end.
 */
#ifndef CO_EXPECTED_ABI
#define CO_EXPECTED_ABI CO_ABI_VERSION
#endif

int control__open(const char *path);
int control__query_version(int fd, struct co_version *version);
int control__check_abi(const struct co_version *version, char *why,
		      unsigned long why_len);
int control__open_checked(const char *path);

#endif /* COLINUX_DAEMON_CONTROL_H */
