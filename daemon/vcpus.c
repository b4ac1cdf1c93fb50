// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPUs after the first, each served on a thread of its own that calls
 * CO_IOC_RUN for it, as kvmtool runs its vCPUs.  They wait inside the
 * module until the guest starts them (CO_HC_VCPU_UP).
 *
 * vCPU 0's thread (loop.c) takes the stop signals, which these threads
 * block.  When it is done it stops them with immediate_exit and SIGUSR1,
 * whose handler does nothing but interrupt CO_IOC_RUN.  When the guest
 * ends on one of them, the module makes every other vCPU's RUN fail with
 * ESHUTDOWN, vCPU 0's included; when one of these threads fails, it
 * interrupts vCPU 0's thread the same way.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "loop.h"
#include "util.h"
#include "vcpus.h"

#define KICK_SIGNAL SIGUSR1

static volatile sig_atomic_t failed;
static pthread_t first_thread;
static struct co_run *first_run;

static void on_kick_signal(int sig)
{
	(void)sig;
}

/* Did a vCPU's thread fail (its RUN refused, not the guest ended)? */
int vcpus__failed(void)
{
	return failed;
}

static void kick(pthread_t thread, struct co_run *run)
{
	__atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(thread, KICK_SIGNAL);
}

static int serve(struct vcpu_thread *t)
{
	struct vm *vm = t->all->vm;
	struct co_run *run = vm->run[t->index];
	int status;

	for (;;) {
		if (vm__run(vm, t->index)) {
			if (errno == ESHUTDOWN)
				return EXIT_ENDED_ELSEWHERE;
			if (errno != EINTR) {
				pr_err("running vCPU %u failed: %s", t->index,
				       strerror(errno));
				return 1;
			}
			/*
			 * Cleared before stopping is read: a stop that comes
			 * in between finds immediate_exit clear and sets it
			 * again (vcpus__stop() stores in the other order).
			 */
			__atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
			if (__atomic_load_n(&t->all->stopping, __ATOMIC_SEQ_CST))
				return EXIT_STOPPED;
			continue;
		}
		status = loop__exit(vm, t->all->devices, run);
		if (status != EXIT_SERVED)
			return status;
	}
}

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;

	block_stop_signals();
	t->status = serve(t);
	if (t->status == 1) {
		failed = 1;
		kick(first_thread, first_run);
	}
	return NULL;
}

int vcpus__start(struct vcpu_threads *all, struct vm *vm,
		 struct device_table *devices)
{
	struct sigaction sa;
	char name[16];
	unsigned int i;

	memset(all, 0, sizeof(*all));
	all->vm = vm;
	all->devices = devices;
	failed = 0;
	first_thread = pthread_self();
	first_run = vm->run[0];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick_signal;	/* no SA_RESTART: RUN returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(KICK_SIGNAL, &sa, NULL);
	for (i = 1; i < vm->nr_vcpus; i++) {
		struct vcpu_thread *t = &all->t[i];

		t->all = all;
		t->index = i;
		if (pthread_create(&t->thread, NULL, vcpu_main, t)) {
			pr_err("cannot start a thread for vCPU %u", i);
			vcpus__stop(all);
			return -1;
		}
		all->count = i;
		/* What top -H and /proc/PID/task/TID/comm show. */
		snprintf(name, sizeof(name), "vcpu%u", i);
		pthread_setname_np(t->thread, name);
	}
	return 0;
}

/*
 * After vCPU 0's loop: stop the others and wait for them.  Returns how the
 * guest ended if one of them saw it end, else EXIT_ENDED_ELSEWHERE.
 */
int vcpus__stop(struct vcpu_threads *all)
{
	int status = EXIT_ENDED_ELSEWHERE;
	unsigned int i;

	__atomic_store_n(&all->stopping, 1, __ATOMIC_SEQ_CST);
	for (i = 1; i <= all->count; i++)
		kick(all->t[i].thread, all->vm->run[i]);
	for (i = 1; i <= all->count; i++) {
		pthread_join(all->t[i].thread, NULL);
		if (all->t[i].status >= 0 || all->t[i].status == EXIT_GUEST_REBOOTED)
			status = status == EXIT_ENDED_ELSEWHERE ?
				 all->t[i].status : status;
	}
	return status;
}
