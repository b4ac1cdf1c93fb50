// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect-loop SECONDS: one thread on CPU 0 flips the protection of a
 * buffer as fast as it can while another keeps busy on CPU 1: every flip
 * is a TLB shootdown that has to reach CPU 1 whenever this process runs
 * there (and CPU 1 has to be scheduling to run it at all).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define BUF_SIZE (64 * 4096)

static volatile char *buf;
static volatile int stop;
static unsigned long flips;
static volatile unsigned long touches;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *toucher(void *arg)
{
	(void)arg;
	pin(1);
	while (!stop)
		touches++;
	return NULL;
}

int main(int argc, char **argv)
{
	struct timespec now;
	pthread_t thread;
	time_t end;

	if (argc != 2)
		return 2;
	buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	pin(0);
	if (pthread_create(&thread, NULL, toucher, NULL))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	end = now.tv_sec + atoi(argv[1]);
	while (now.tv_sec < end) {
		mprotect((void *)buf, BUF_SIZE, PROT_NONE);
		mprotect((void *)buf, BUF_SIZE, PROT_READ | PROT_WRITE);
		flips++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	}
	stop = 1;
	pthread_join(thread, NULL);
	printf("mprotect-loop: %lu flips, %lu busy rounds\n", flips, (unsigned long)touches);
	return 0;
}
