/* SPDX-License-Identifier: GPL-2.0 */
/* The vCPUs after the first: a thread each (vcpus.c). */
#ifndef COLINUX_DAEMON_VCPUS_H
#define COLINUX_DAEMON_VCPUS_H

#include <pthread.h>

#include "devices.h"
#include "vm.h"

struct vcpu_threads;

struct vcpu_thread {
	struct vcpu_threads *all;
	unsigned int index;
	pthread_t thread;
	int status;		/* how its loop ended: loop__exit()'s */
};

struct vcpu_threads {
	struct vm *vm;
	struct device_table *devices;
	unsigned int count;	/* threads started: vCPUs 1..count */
	int stopping;		/* atomic: vCPU 0's thread is done */
	struct vcpu_thread t[CO_MAX_VCPUS];
};

int vcpus__start(struct vcpu_threads *all, struct vm *vm,
		 struct device_table *devices);
int vcpus__stop(struct vcpu_threads *all);
int vcpus__failed(void);

#endif /* COLINUX_DAEMON_VCPUS_H */
