// SPDX-License-Identifier: GPL-2.0
/*
 * colinux version: this program's release and ABI, then the loaded
 * module's.  Exits 1 when the module is missing or speaks another ABI.
 */
#include <stdio.h>
#include <unistd.h>

#include "commands.h"
#include "control.h"
#include "util.h"

int cmd_version(int argc, char **argv)
{
	struct co_version version;
	char why[256];
	int fd;

	(void)argv;
	if (argc > 1) {
		pr_err("version takes no arguments");
		return 2;
	}
	printf("colinux %s (ABI %u)\n", CO_RELEASE, (unsigned int)CO_EXPECTED_ABI);
	fflush(stdout);
	fd = control__open(CO_DEVICE_PATH);
	if (fd < 0)
		return 1;
	if (control__query_version(fd, &version)) {
		close(fd);
		return 1;
	}
	close(fd);
	printf("module  %s (ABI %u)\n", version.module_version,
	       version.abi_version);
	if (control__check_abi(&version, why, sizeof(why))) {
		pr_err("%s", why);
		return 1;
	}
	return 0;
}
