// SPDX-License-Identifier: GPL-2.0
/*
 * colinux run: create the VM and its devices, load the kernel, and run it
 * on this thread (loop.c serves its exits) until it powers off, crashes or
 * a signal stops it; boot it again if it rebooted and that was asked for.
 * colinux start runs a VM the same way (run__vm), in the background.
 *
 * Exit status: as loop.c says, and 2 for bad options or files.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "cobd.h"
#include "cocon.h"
#include "commands.h"
#include "conet.h"
#include "config.h"
#include "devices.h"
#include "elf.h"
#include "loop.h"
#include "power.h"
#include "run.h"
#include "util.h"
#include "vm.h"

/* The disks and network interfaces, opened once for every boot of the guest. */
struct disks {
	struct disk disk[CO_MAX_DISKS];
	struct cobd *cobd[CO_MAX_DISKS];
	struct conet *conet[CO_MAX_NETS];
};

static struct disks disks;

static void disks_close(struct disks *d)
{
	unsigned int i;

	for (i = 0; i < CO_MAX_NETS; i++) {
		if (d->conet[i])
			conet__close(d->conet[i]);
		d->conet[i] = NULL;
	}
	for (i = 0; i < CO_MAX_DISKS; i++) {
		if (!d->cobd[i])
			continue;
		cobd__free(d->cobd[i]);
		d->cobd[i] = NULL;
		disk__close(&d->disk[i]);
	}
}

static int disks_open(struct disks *d, const struct run_config *cfg)
{
	struct net_backend nb;
	unsigned int i;
	char name[16];

	for (i = 0; i < CO_MAX_DISKS; i++) {
		if (!cfg->disk[i].path)
			continue;
		snprintf(name, sizeof(name), "cobd%u", i);
		if (disk__open(&d->disk[i], name, cfg->disk[i].path,
			       cfg->disk[i].read_only))
			goto err;
		d->cobd[i] = cobd__new(&d->disk[i], i);
		if (!d->cobd[i]) {
			disk__close(&d->disk[i]);
			pr_err("%s: out of memory", name);
			goto err;
		}
	}
	for (i = 0; i < CO_MAX_NETS; i++) {
		if (cfg->net[i].mode == NET_NONE)
			continue;
		snprintf(name, sizeof(name), "eth%u", i);
		if (net__open(&nb, &cfg->net[i], name))
			goto err;
		d->conet[i] = conet__new(&cfg->net[i], i, cfg->name, &nb);
		if (!d->conet[i]) {
			nb.ops->close(&nb);
			goto err;
		}
	}
	return 0;
err:
	disks_close(d);
	return -1;
}

/* The guest sees its disks and interfaces in the order of their numbers. */
static int disks_add(struct disks *d, struct device_table *devices)
{
	unsigned int i;

	for (i = 0; i < CO_MAX_DISKS; i++)
		if (d->cobd[i] && !cobd__add(devices, d->cobd[i]))
			return -1;
	for (i = 0; i < CO_MAX_NETS; i++)
		if (d->conet[i] && !conet__add(devices, d->conet[i]))
			return -1;
	return 0;
}

static void nets_report(const struct disks *d)
{
	unsigned int i;

	for (i = 0; i < CO_MAX_NETS; i++)
		if (d->conet[i])
			conet__report(d->conet[i], NULL);
}

/*
 * doorbell=VECTOR,MS[,THREADS]: threads that raise VECTOR every MS ms, as
 * device backends will.  They exercise waking an idle vCPU and kicking a
 * running one from other threads, several at once.
 */
struct doorbell {
	struct vm *vm;
	unsigned int vector, ms;
	pthread_t thread;
	volatile int stop;
};

struct doorbells {
	unsigned int count;
	struct doorbell db[CO_MAX_DOORBELL_THREADS];
};

static void *doorbell_thread(void *arg)
{
	struct doorbell *db = arg;
	struct timespec period = {
		.tv_sec = db->ms / 1000,
		.tv_nsec = (long)(db->ms % 1000) * 1000000,
	};

	block_stop_signals();
	while (!db->stop) {
		if (db->ms)
			nanosleep(&period, NULL);
		if (vm__irq(db->vm, db->vector)) {
			pr_err("doorbell: %s", strerror(errno));
			break;
		}
	}
	return NULL;
}

static void doorbells_start(struct doorbells *dbs, struct vm *vm,
			    const struct run_config *cfg)
{
	unsigned int i;

	if (!cfg->doorbell_vector)
		return;
	for (i = 0; i < cfg->doorbell_threads; i++) {
		struct doorbell *db = &dbs->db[dbs->count];

		db->vm = vm;
		db->vector = cfg->doorbell_vector;
		db->ms = cfg->doorbell_ms;
		if (pthread_create(&db->thread, NULL, doorbell_thread, db)) {
			pr_err("cannot start a doorbell thread");
			break;
		}
		dbs->count++;
	}
}

static void doorbells_stop(struct doorbells *dbs)
{
	unsigned int i;

	for (i = 0; i < dbs->count; i++)
		dbs->db[i].stop = 1;
	for (i = 0; i < dbs->count; i++)
		pthread_join(dbs->db[i].thread, NULL);
}

/* SIGPWR ('colinux stop'): press the guest's power button. */
static void press_power_button(void *button)
{
	pr_info("asked to shut down: pressing the guest's power button");
	power__press(button, CO_POWER_PRESS_OFF);
}

/* One life of the VM: create, load, boot, serve, destroy. */
static int boot_once(const struct run_config *cfg, struct term *term,
		     const struct run_hooks *hooks)
{
	struct device_table devices = { 0 };
	struct doorbells dbs = { 0 };
	struct guest_device *console, *button;
	struct kernel_image img;
	struct boot_layout layout;
	struct vm vm;
	int status;

	console = cocon__add(&devices, term);
	button = power__add(&devices);
	if (!console || !button || disks_add(&disks, &devices))
		return 1;
	if (vm__create(&vm, cfg->ram_bytes, cfg->cpus))
		return 1;
	if (elf__load(&vm, cfg->kernel, vm.info.ram[0].gpa, &img) ||
	    boot__prepare(&vm, &img, cfg->cmdline, cfg->initrd, &devices,
			  &layout) ||
	    boot__set_regs(&vm, &img, &layout)) {
		vm__destroy(&vm);
		return 2;
	}
	fflush(stdout);
	if (devices__attach(&devices, &vm)) {
		vm__destroy(&vm);
		return 1;
	}
	doorbells_start(&dbs, &vm, cfg);
	if (hooks && hooks->running)
		hooks->running(hooks->arg);
	loop__set_power_handler(press_power_button, button);
	status = loop__serve(&vm, &devices);
	loop__set_power_handler(NULL, NULL);
	doorbells_stop(&dbs);
	devices__detach(&devices);
	nets_report(&disks);
	if (cfg->stats)
		loop__print_stats(&vm);
	vm__destroy(&vm);
	return status;
}

/*
 * Runs the VM cfg describes, its console on term, until it is done (boots
 * it again if it rebooted and on-reboot=restart): the exit status.
 */
int run__vm(const struct run_config *cfg, struct term *term,
	    const struct run_hooks *hooks)
{
	int status;

	if (disks_open(&disks, cfg))
		return 2;
	for (;;) {
		status = boot_once(cfg, term, hooks);
		if (status != EXIT_GUEST_REBOOTED)
			break;
		if (!cfg->reboot_restart) {
			pr_info("the guest rebooted");
			status = 0;
			break;
		}
		pr_info("the guest rebooted: starting it again");
	}
	disks_close(&disks);
	return status;
}

int cmd_run(int argc, char **argv)
{
	static struct term term;
	struct run_config cfg;
	int status;

	if (config__parse(&cfg, argc, argv))
		return 2;
	loop__catch_stop_signals();
	if (term__start(&term, loop__quit_from_console))
		return 1;
	status = run__vm(&cfg, &term, NULL);
	term__stop(&term);
	return status;
}
