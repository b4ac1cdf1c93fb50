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
	{ "run", "[-c FILE] [kernel=FILE] [key=value] [words]",
	  "boot a guest here, its console on this terminal", cmd_run },
	{ "start", "NAME [--foreground] [args]",
	  "boot the VM /etc/colinux/NAME.conf in the background", cmd_start },
	{ "list", "", "the VMs that run: state, RAM, CPU time, uptime", cmd_list },
	{ "console", "NAME", "attach this terminal to its console (Ctrl-] d)",
	  cmd_console },
	{ "stop", "NAME [--timeout S] [--force]",
	  "shut it down cleanly (its power button)", cmd_stop },
	{ "kill", "NAME", "stop it at once", cmd_kill },
	{ "pause", "NAME", "stop its CPU (SIGSTOP)", cmd_pause },
	{ "resume", "NAME", "let its CPU go on (SIGCONT)", cmd_resume },
	{ "version", "", "print this program's and the module's versions",
	  cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: colinux <command> [arguments]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %-38s %s\n", commands[i].name,
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
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
			printf("usage: colinux %s %s\n%s; see colinux(1)\n",
			       commands[i].name, commands[i].args, commands[i].help);
			return 0;
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "colinux: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
