/* SPDX-License-Identifier: GPL-2.0 */
#ifndef COLINUX_TESTS_FAKE_OS_H
#define COLINUX_TESTS_FAKE_OS_H

/* Pages allocated through co_os_alloc_pages() and not yet freed. */
extern long fake_os_pages_live;
/* Fail the allocation after this many succeed (-1: never fail). */
extern long fake_os_fail_after;

#endif
