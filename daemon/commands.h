/* SPDX-License-Identifier: GPL-2.0 */
/* The CLI's subcommands; each lives in its own cmd-*.c file. */
#ifndef COLINUX_DAEMON_COMMANDS_H
#define COLINUX_DAEMON_COMMANDS_H

struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

int cmd_run(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif /* COLINUX_DAEMON_COMMANDS_H */
