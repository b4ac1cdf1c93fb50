// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-garbage DEVICE: throw malformed requests at /dev/colinux and check
 * that each one gets the documented error.  Exits 1 on any surprise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <colinux/abi.h>

static int failures;

static void expect_errno(int fd, unsigned long cmd, void *arg, int want,
			 const char *what)
{
	errno = 0;
	if (ioctl(fd, cmd, arg) == 0 || errno != want) {
		printf("FAIL %s: got %s, want %s\n", what,
		       errno ? strerror(errno) : "success", strerror(want));
		failures++;
	}
}

/* CO_IOC_RUN takes the vCPU's index as the argument itself. */
static void expect_run_errno(int fd, unsigned long index, int want,
			     const char *what)
{
	expect_errno(fd, CO_IOC_RUN, (void *)index, want, what);
}

static void expect_mmap(int fd, size_t len, int flags, off_t off, int want,
			const char *what)
{
	void *p;

	errno = 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);
	if (p != MAP_FAILED) {
		munmap(p, len);
		if (want) {
			printf("FAIL %s: mapped, want %s\n", what, strerror(want));
			failures++;
		}
	} else if (errno != want) {
		printf("FAIL %s: got %s, want %s\n", what, strerror(errno),
		       want ? strerror(want) : "success");
		failures++;
	}
}

static void fuzz(int fd, unsigned long cmd, size_t size, int rounds)
{
	unsigned char buf[512];
	int i;
	size_t j;

	for (i = 0; i < rounds; i++) {
		for (j = 0; j < size; j++)
			buf[j] = (unsigned char)random();
		ioctl(fd, cmd, buf);
	}
}

/* VM ioctls: each malformed request gets its errno, nothing else happens. */
static void vm_ioctls(const char *path)
{
	struct co_vm_create create = { .ram_bytes = CO_RAM_MIN, .nr_vcpus = 1 };
	struct co_vm_info info;
	struct co_regs regs;
	struct co_irq irq;
	struct co_run *run;
	int fd = open(path, O_RDWR);

	if (fd < 0)
		return;
	expect_errno(fd, CO_IOC_RUN, NULL, ENXIO, "RUN before CREATE_VM");
	expect_errno(fd, CO_IOC_GET_INFO, &info, ENXIO, "GET_INFO before CREATE_VM");
	irq = (struct co_irq){ .vector = 40 };
	expect_errno(fd, CO_IOC_IRQ, &irq, ENXIO, "IRQ before CREATE_VM");
	expect_mmap(fd, 4096, MAP_SHARED, CO_MMAP_RUN_OFFSET, ENXIO, "mmap before CREATE_VM");

	expect_errno(fd, CO_IOC_CREATE_VM, NULL, EFAULT, "CREATE_VM from NULL");
	create.ram_bytes = 0;
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EINVAL, "CREATE_VM of 0 bytes");
	create.ram_bytes = 100 << 20;
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EINVAL, "CREATE_VM of 100 MiB");
	create.ram_bytes = CO_RAM_MAX + CO_RAM_CHUNK_ALIGN;
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EINVAL, "CREATE_VM over the maximum");
	create = (struct co_vm_create){ .ram_bytes = CO_RAM_MIN, .flags = 1, .nr_vcpus = 1 };
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EINVAL, "CREATE_VM with flags");
	create = (struct co_vm_create){ .ram_bytes = CO_RAM_MIN, .nr_vcpus = 0 };
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EINVAL, "CREATE_VM with no vCPU");
	create = (struct co_vm_create){ .ram_bytes = CO_RAM_MIN, .nr_vcpus = CO_MAX_VCPUS + 1 };
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EINVAL, "CREATE_VM with too many vCPUs");
	create = (struct co_vm_create){ .ram_bytes = CO_RAM_MIN, .nr_vcpus = ~0U };
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EINVAL, "CREATE_VM with 2^32-1 vCPUs");
	fuzz(fd, CO_IOC_CREATE_VM, sizeof(create), 20000);

	close(fd);
	fd = open(path, O_RDWR);
	create = (struct co_vm_create){ .ram_bytes = CO_RAM_MIN, .nr_vcpus = 1 };
	if (ioctl(fd, CO_IOC_CREATE_VM, &create) || ioctl(fd, CO_IOC_GET_INFO, &info)) {
		printf("FAIL cannot create a 128 MiB VM: %s\n", strerror(errno));
		failures++;
		close(fd);
		return;
	}
	if (info.nr_vcpus != 1) {
		printf("FAIL GET_INFO: %u vCPUs, want 1\n", info.nr_vcpus);
		failures++;
	}
	expect_errno(fd, CO_IOC_CREATE_VM, &create, EEXIST, "a second CREATE_VM");
	expect_errno(fd, CO_IOC_RUN, NULL, EINVAL, "RUN before SET_REGS");
	/* A vCPU the VM does not have: refused, never waited for. */
	expect_run_errno(fd, 1, EINVAL, "RUN of vCPU 1 of 1");
	expect_run_errno(fd, (unsigned long)-1, EINVAL, "RUN of vCPU -1");
	expect_run_errno(fd, CO_MAX_VCPUS, EINVAL, "RUN of vCPU CO_MAX_VCPUS");

	memset(&regs, 0, sizeof(regs));
	regs.cr3 = info.ram[0].gpa + 1;
	expect_errno(fd, CO_IOC_SET_REGS, &regs, EINVAL, "SET_REGS, unaligned cr3");
	regs.cr3 = 0x1000;
	expect_errno(fd, CO_IOC_SET_REGS, &regs, EFAULT, "SET_REGS, cr3 outside RAM");
	regs.cr3 = info.ram[0].gpa;
	regs.rip = 0x0100000000000000ULL;
	expect_errno(fd, CO_IOC_SET_REGS, &regs, EINVAL, "SET_REGS, non-canonical rip");
	expect_errno(fd, CO_IOC_SET_REGS, NULL, EFAULT, "SET_REGS from NULL");
	fuzz(fd, CO_IOC_SET_REGS, sizeof(regs), 20000);

	for (unsigned int v = 0; v < 300; v += (v < 33 || v > 250) ? 1 : 50) {
		irq = (struct co_irq){ .vector = v };
		if (v < 32 || v > 255)
			expect_errno(fd, CO_IOC_IRQ, &irq, EINVAL, "IRQ, vector out of range");
		else if (ioctl(fd, CO_IOC_IRQ, &irq))
			failures++, printf("FAIL IRQ vector %u: %s\n", v, strerror(errno));
	}
	irq = (struct co_irq){ .vector = 40, .vcpu = 1 };
	expect_errno(fd, CO_IOC_IRQ, &irq, EINVAL, "IRQ for vCPU 1 of 1");
	irq = (struct co_irq){ .vector = 40, .vcpu = ~0U };
	expect_errno(fd, CO_IOC_IRQ, &irq, EINVAL, "IRQ for vCPU 2^32-1");
	fuzz(fd, CO_IOC_IRQ, sizeof(irq), 20000);

	/* Notification bindings: range, flags, fds that are no eventfd. */
	int efd = eventfd(0, 0);
	struct co_notify nt = { .device = CO_MAX_DEVICES, .fd = efd };

	expect_errno(fd, CO_IOC_SET_NOTIFY, &nt, EINVAL, "SET_NOTIFY, device out of range");
	nt = (struct co_notify){ .queue = CO_NOTIFY_QUEUES, .fd = efd };
	expect_errno(fd, CO_IOC_SET_NOTIFY, &nt, EINVAL, "SET_NOTIFY, queue out of range");
	nt = (struct co_notify){ .fd = efd, .flags = 1 };
	expect_errno(fd, CO_IOC_SET_NOTIFY, &nt, EINVAL, "SET_NOTIFY with flags");
	nt = (struct co_notify){ .fd = -2 };
	expect_errno(fd, CO_IOC_SET_NOTIFY, &nt, EINVAL, "SET_NOTIFY, fd -2");
	nt = (struct co_notify){ .fd = 1000 };
	expect_errno(fd, CO_IOC_SET_NOTIFY, &nt, EBADF, "SET_NOTIFY, a closed fd");
	nt = (struct co_notify){ .fd = fd };
	expect_errno(fd, CO_IOC_SET_NOTIFY, &nt, EINVAL, "SET_NOTIFY, not an eventfd");
	expect_errno(fd, CO_IOC_SET_NOTIFY, NULL, EFAULT, "SET_NOTIFY from NULL");
	nt = (struct co_notify){ .device = CO_MAX_DEVICES - 1,
				 .queue = CO_NOTIFY_QUEUES - 1, .fd = efd };
	if (ioctl(fd, CO_IOC_SET_NOTIFY, &nt))
		failures++, printf("FAIL SET_NOTIFY, a good binding: %s\n", strerror(errno));
	nt.fd = -1;
	if (ioctl(fd, CO_IOC_SET_NOTIFY, &nt))
		failures++, printf("FAIL SET_NOTIFY, unbinding: %s\n", strerror(errno));
	nt = (struct co_notify){ .device = 3, .queue = 1, .fd = efd };
	if (ioctl(fd, CO_IOC_SET_NOTIFY, &nt))	/* left bound: closing frees it */
		failures++, printf("FAIL SET_NOTIFY, a binding: %s\n", strerror(errno));
	fuzz(fd, CO_IOC_SET_NOTIFY, sizeof(nt), 20000);

	expect_mmap(fd, 8192, MAP_SHARED, CO_MMAP_RUN_OFFSET, EINVAL, "run record, two pages");
	expect_mmap(fd, 4096, MAP_PRIVATE, CO_MMAP_RUN_OFFSET, EINVAL, "run record, private");
	expect_mmap(fd, 4096, MAP_SHARED, CO_MMAP_RUN(1), EINVAL, "run record of vCPU 1 of 1");
	expect_mmap(fd, 4096, MAP_SHARED, CO_MMAP_RUN(CO_MAX_VCPUS), EINVAL,
		    "mmap between the run records and RAM");
	expect_mmap(fd, 4096, MAP_SHARED, CO_MMAP_RAM_OFFSET - 4096, EINVAL,
		    "mmap of the page below RAM");
	expect_mmap(fd, 8192, MAP_SHARED, CO_MMAP_RAM_OFFSET + info.ram_bytes - 4096,
		    EINVAL, "mmap past the end of RAM");
	expect_mmap(fd, 4096, MAP_SHARED, CO_MMAP_RAM_OFFSET + info.ram_bytes - 4096,
		    0, "the last page of RAM");

	/* Boot state that makes no sense: a guest with no mappings at all. */
	run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, CO_MMAP_RUN_OFFSET);
	memset(&regs, 0, sizeof(regs));
	regs.cr3 = info.ram[0].gpa;
	regs.rip = 0x1000;
	if (run == MAP_FAILED || ioctl(fd, CO_IOC_SET_REGS, &regs) ||
	    ioctl(fd, CO_IOC_RUN, NULL) || run->exit_reason != CO_EXIT_FAULT) {
		printf("FAIL a guest with no page tables: %s, exit %u\n",
		       strerror(errno), run == MAP_FAILED ? 0 : run->exit_reason);
		failures++;
	} else {
		printf("a guest with no page tables was stopped: %.*s\n",
		       CO_FAULT_REASON_LEN, run->u.fault.reason);
	}
	expect_errno(fd, CO_IOC_RUN, NULL, ESHUTDOWN, "RUN after the guest died");
	expect_run_errno(fd, 1, EINVAL, "RUN of vCPU 1 of 1 after the guest died");
	expect_errno(fd, CO_IOC_SET_REGS, &regs, EBUSY, "SET_REGS after the start");
	close(fd);
}

int main(int argc, char **argv)
{
	struct co_version version;
	unsigned long cmd;
	int fd, i;

	if (argc != 2)
		return 2;
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	expect_errno(fd, CO_IOC(CO_IOC_READ, 0x7f, 8), &version, ENOTTY,
		     "unknown ioctl number");
	expect_errno(fd, 0x5401 /* TCGETS */, &version, ENOTTY, "tty ioctl");
	expect_errno(fd, CO_IOC_VERSION, NULL, EFAULT, "version into NULL");
	expect_errno(fd, CO_IOC_VERSION, (void *)0xffff800000000000UL, EFAULT,
		     "version into a kernel address");
	srandom(1);
	for (i = 0; i < 100000; i++) {
		cmd = ((unsigned long)random() << 1) ^ random();
		if (cmd == CO_IOC_VERSION)
			continue;
		ioctl(fd, cmd, (void *)(((unsigned long)random() << 32) | random()));
	}
	if (ioctl(fd, CO_IOC_VERSION, &version) || version.abi_version != CO_ABI_VERSION) {
		printf("FAIL the device stopped answering after random ioctls\n");
		failures++;
	}
	close(fd);
	vm_ioctls(argv[1]);
	printf("%s: %d failures\n", argv[0], failures);
	return failures ? 1 : 0;
}
