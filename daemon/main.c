// SPDX-License-Identifier: GPL-2.0
/*
 * colinux: the command-line front end and daemon of Cooperative Linux.
 *
 * main() only picks the subcommand; each one lives in its own cmd-*.c.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct command commands[] = {
	{ "run", "kernel=FILE [mem=MiB] [args]", "boot a guest kernel and serve it",
	  cmd_run },
	{ "version", "", "print this program's and the module's versions",
	  cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: colinux <command> [arguments]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %-30s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "colinux: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
