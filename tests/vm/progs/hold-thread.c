// SPDX-License-Identifier: GPL-2.0
/*
 * hold-thread TID HOLD_MS EVERY_MS SECONDS: stop one thread of another
 * process (a vCPU's) for HOLD_MS out of every EVERY_MS, for SECONDS, while
 * the process's other threads run on: what a host that preempts one guest
 * CPU for a long time looks like to the guest.  SIGSTOP cannot do this (it
 * stops the whole process); ptrace stops one thread (PTRACE_SEIZE +
 * PTRACE_INTERRUPT).  Prints how often and how long it held the thread.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Integers only: the test programs are built without SSE. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Wait until the thread is in the stop PTRACE_INTERRUPT asked for,
 * passing on any signal it stops for meanwhile.  0, or -1 if it is gone.
 */
static int wait_interrupt_stop(pid_t tid)
{
	int status;

	for (;;) {
		if (waitpid(tid, &status, __WALL) < 0)
			return -1;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return -1;
		if (WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_STOP)
			return 0;
		if (WIFSTOPPED(status) &&
		    ptrace(PTRACE_CONT, tid, 0, (void *)(long)WSTOPSIG(status)))
			return -1;
	}
}

int main(int argc, char **argv)
{
	long long hold, every, end, held = 0, longest = 0, t0;
	unsigned int holds = 0;
	pid_t tid;

	if (argc != 5) {
		fprintf(stderr, "usage: hold-thread TID HOLD_MS EVERY_MS SECONDS\n");
		return 2;
	}
	tid = atoi(argv[1]);
	hold = atoll(argv[2]);
	every = atoll(argv[3]);
	end = now_ms() + atoll(argv[4]) * 1000;
	if (tid <= 0 || hold <= 0 || every < hold) {
		fprintf(stderr, "hold-thread: bad arguments\n");
		return 2;
	}
	if (ptrace(PTRACE_SEIZE, tid, 0, 0)) {
		fprintf(stderr, "hold-thread: cannot seize %d: %s\n", tid, strerror(errno));
		return 1;
	}
	while (now_ms() < end) {
		t0 = now_ms();
		if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) || wait_interrupt_stop(tid))
			break;
		sleep_ms(hold);
		if (ptrace(PTRACE_CONT, tid, 0, 0))
			break;
		holds++;
		held += now_ms() - t0;
		if (now_ms() - t0 > longest)
			longest = now_ms() - t0;
		sleep_ms(every - hold);
	}
	/* Detaching needs the thread stopped. */
	if (!ptrace(PTRACE_INTERRUPT, tid, 0, 0) && !wait_interrupt_stop(tid))
		ptrace(PTRACE_DETACH, tid, 0, 0);
	printf("hold-thread: held thread %d %u times, %lld ms in all, longest %lld ms\n",
	       tid, holds, held, longest);
	return holds ? 0 : 1;
}
