// SPDX-License-Identifier: GPL-2.0
/*
 * selftest: checks, inside the guest, that processes work: fork and exec,
 * signals (sent, from a timer, from a child, and a SIGSEGV from a real page
 * fault), and FPU/SIMD state that survives context switches between
 * processes doing floating point at the same time.  Prints one line per
 * check and exits 0 only if all pass.
 */
#include <math.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void report(const char *what, int ok)
{
	printf("selftest: %s %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

static int fork_exec(void)
{
	int i, ok = 1, status;
	pid_t pid;

	for (i = 0; i < 50 && ok; i++) {
		pid = fork();
		if (pid == 0) {
			execl("/bin/busybox", "true", (char *)NULL);
			_exit(126);
		}
		ok = pid > 0 && waitpid(pid, &status, 0) == pid &&
		     WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	pid = fork();
	if (pid == 0) {
		execl("/bin/busybox", "false", (char *)NULL);
		_exit(126);
	}
	ok = ok && waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 1;
	return ok;
}

static volatile sig_atomic_t usr1, alarms, children;
static sigjmp_buf segv_jump;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_child(int sig)
{
	(void)sig;
	children++;
}

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_jump, 1);
}

/* An address no process maps: touching it is a real page fault. */
static volatile uintptr_t unmapped = 16;

static int signals(void)
{
	struct itimerval tick = { { 0, 10000 }, { 0, 10000 } };
	volatile int *nowhere = (volatile int *)unmapped;
	int segv = 0;
	pid_t pid;

	signal(SIGUSR1, on_usr1);
	signal(SIGALRM, on_alarm);
	signal(SIGCHLD, on_child);
	signal(SIGSEGV, on_segv);
	kill(getpid(), SIGUSR1);
	setitimer(ITIMER_REAL, &tick, NULL);
	while (alarms < 5)
		pause();
	setitimer(ITIMER_REAL, &(struct itimerval){ 0 }, NULL);
	pid = fork();
	if (pid == 0)
		_exit(0);
	while (!children)
		pause();
	waitpid(pid, NULL, 0);
	if (sigsetjmp(segv_jump, 1) == 0)
		*nowhere = 1;
	else
		segv = 1;
	return usr1 == 1 && alarms >= 5 && children >= 1 && segv;
}

/* Floating point in several processes at once; each checks its results. */
static int fpu_worker(int seed)
{
	double x = seed, sum = 0, expect = 0;
	int i, round;

	for (i = 1; i <= 20000; i++)
		expect += sqrt(x + i) / i;
	for (round = 0; round < 20; round++) {
		sum = 0;
		for (i = 1; i <= 20000; i++)
			sum += sqrt(x + i) / i;
		if (sum != expect)
			return 1;
		sched_yield();
	}
	return 0;
}

static int fpu(void)
{
	int i, status, ok = 1;
	pid_t pid[4];

	for (i = 0; i < 4; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(fpu_worker(i * 1000 + 7));
	}
	for (i = 0; i < 4; i++)
		ok = ok && waitpid(pid[i], &status, 0) == pid[i] &&
		     WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return ok && fabs(sqrt(2.0) * sqrt(2.0) - 2.0) < 1e-15;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	report("fork+exec", fork_exec());
	report("signals", signals());
	report("fpu", fpu());
	return failures ? 1 : 0;
}
