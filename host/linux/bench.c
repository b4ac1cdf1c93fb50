// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/module/colinux/parameters/switch_variant: a timing variant of the
 * world switch for make bench's breakdown (bench/switch-parts.sh), as
 * "PART:COUNT" (e.g. "msr:100"): one part of every round trip runs COUNT
 * more times (passage.h says what each does).  Empty, or "none", is the
 * plain round trip.  Every part is idempotent: a variant costs time, it
 * changes no state.  Root only.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <linux/string.h>

#include "colinux.h"

static const char *const part_name[CO_BENCH_PARTS] = {
	[CO_BENCH_NONE] = "none",
	[CO_BENCH_MSR] = "msr",
	[CO_BENCH_CR3] = "cr3",
	[CO_BENCH_PGE] = "pge",
	[CO_BENCH_DT] = "dt",
	[CO_BENCH_XCR0] = "xcr0",
	[CO_BENCH_FPU] = "fpu",
	[CO_BENCH_TABLE] = "table",
	[CO_BENCH_DR] = "dr",
};

static unsigned int bench_part, bench_repeat;

static int variant_set(const char *val, const struct kernel_param *kp)
{
	char buf[32], *colon;
	unsigned int i, repeat = 0;

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -EINVAL;
	strim(buf);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = 0;
		if (kstrtouint(colon + 1, 10, &repeat) || repeat > CO_BENCH_REPEAT_MAX)
			return -EINVAL;
	}
	if (!buf[0]) {
		i = CO_BENCH_NONE;
	} else {
		for (i = 0; i < CO_BENCH_PARTS; i++)
			if (!strcmp(buf, part_name[i]))
				break;
		if (i == CO_BENCH_PARTS)
			return -EINVAL;
	}
	WRITE_ONCE(bench_repeat, i == CO_BENCH_NONE ? 0 : repeat);
	WRITE_ONCE(bench_part, i);
	return 0;
}

static int variant_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s:%u\n", part_name[READ_ONCE(bench_part)],
			  READ_ONCE(bench_repeat));
}

static const struct kernel_param_ops variant_ops = {
	.set = variant_set,
	.get = variant_get,
};
module_param_cb(switch_variant, &variant_ops, NULL, 0600);
MODULE_PARM_DESC(switch_variant, "make bench: PART:COUNT repeats one part of the world switch");

void co_os_bench_variant(unsigned int *part, unsigned int *repeat)
{
	*part = READ_ONCE(bench_part);
	*repeat = READ_ONCE(bench_repeat);
}
