// SPDX-License-Identifier: GPL-2.0
/*
 * The fake guest RAM and the fake module of the fuzz harnesses (fuzz.h).
 * The module's ioctls are caught with the linker's --wrap, as the unit
 * tests do: notifications are bound, interrupts counted, nothing else.
 */
#include <errno.h>
#include <stdint.h>

#include "fuzz.h"

/*
 * Undefined behaviour stops the fuzzer as a crash does.  It is built
 * recoverable all the same, so that 'make run' can let a known bug
 * through (known-bugs.txt) while its fix is pending and still find others.
 */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

struct vm fuzz_vm;
unsigned long fuzz_irqs;

int __real_ioctl(int fd, unsigned long request, void *arg);
int __wrap_ioctl(int fd, unsigned long request, void *arg);

int __wrap_ioctl(int fd, unsigned long request, void *arg)
{
	if (fd != FUZZ_VM_FD)
		return __real_ioctl(fd, request, arg);
	if (request == CO_IOC_SET_NOTIFY) {
		const struct co_notify *n = arg;

		FUZZ_CHECK(n->device < CO_MAX_DEVICES && n->queue < CO_NOTIFY_QUEUES);
		return 0;
	}
	if (request == CO_IOC_IRQ) {
		const struct co_irq *irq = arg;

		/* As the module checks it: a device vector, to vCPU 0. */
		FUZZ_CHECK(irq->vcpu == 0 && irq->vector >= CO_DEVICE_VECTOR_FIRST &&
			   irq->vector <= CO_DEVICE_VECTOR_LAST);
		fuzz_irqs++;
		return 0;
	}
	errno = ENOTTY;
	return -1;
}

int fuzz_known_bug(const char *name)
{
	const char *known = getenv("FUZZ_KNOWN_BUGS");

	return known && strstr(known, name);
}

void fuzz_ram_init(void)
{
	static const uint64_t gpa[3] = { FUZZ_GPA0, FUZZ_GPA1, FUZZ_GPA2 };
	unsigned int i;

	memset(&fuzz_vm, 0, sizeof(fuzz_vm));
	fuzz_vm.fd = FUZZ_VM_FD;
	fuzz_vm.nr_vcpus = 1;
	/* Exactly the RAM's size: ASan reports a byte past it. */
	fuzz_vm.ram = malloc(FUZZ_RAM_SIZE);
	FUZZ_CHECK(fuzz_vm.ram);
	fuzz_vm.info.nr_ram_chunks = 3;
	fuzz_vm.info.ram_bytes = FUZZ_RAM_SIZE;
	for (i = 0; i < 3; i++) {
		fuzz_vm.info.ram[i].gpa = gpa[i];
		fuzz_vm.info.ram[i].size = FUZZ_CHUNK_SIZE;
	}
	fuzz_ram_clear();
}

void fuzz_ram_clear(void)
{
	memset(fuzz_vm.ram, 0, FUZZ_RAM_SIZE);
}

void fuzz_ram_write(uint32_t off, const uint8_t *p, size_t len)
{
	off %= FUZZ_RAM_SIZE;
	if (len > FUZZ_RAM_SIZE - off)
		len = FUZZ_RAM_SIZE - off;
	memcpy(fuzz_vm.ram + off, p, len);
}

void *fuzz_host(uint64_t gpa)
{
	return vm__gpa_to_host(&fuzz_vm, gpa, 1);
}

void fuzz_check_ram(const void *p, uint64_t len)
{
	const uint8_t *b = p;
	uint64_t off;

	FUZZ_CHECK(b >= fuzz_vm.ram && b <= fuzz_vm.ram + FUZZ_RAM_SIZE);
	off = (uint64_t)(b - fuzz_vm.ram);
	FUZZ_CHECK(len <= FUZZ_RAM_SIZE - off);
	/* Chunk 2 is apart: nothing may run from chunk 1 into it. */
	FUZZ_CHECK(off >= 2 * FUZZ_CHUNK_SIZE || off + len <= 2 * FUZZ_CHUNK_SIZE);
}

void fuzz_op_write(struct fuzz_in *in)
{
	uint32_t off = fuzz_u32(in);
	size_t len = fuzz_u16(in) % 1024;
	const uint8_t *p;

	len = fuzz_bytes(in, &p, len);
	fuzz_ram_write(off, p, len);
}

void fuzz_op_write16(struct fuzz_in *in)
{
	uint32_t off = fuzz_u32(in);
	uint16_t v = fuzz_u16(in);
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	fuzz_ram_write(off, b, 2);
}

static uint64_t data_next = FUZZ_DATA_GPA;

void fuzz_data_reset(void)
{
	data_next = FUZZ_DATA_GPA;
}

uint64_t fuzz_data(uint32_t len, const uint8_t *p, size_t n)
{
	uint64_t gpa;

	if (len > FUZZ_DATA_END - FUZZ_DATA_GPA)
		len = FUZZ_DATA_END - FUZZ_DATA_GPA;
	if (len > FUZZ_DATA_END - data_next)
		data_next = FUZZ_DATA_GPA;	/* reuse: the guest may alias */
	gpa = data_next;
	data_next = (data_next + len + 15) & ~15ULL;
	if (n > len)
		n = len;
	if (n)
		memcpy(vm__gpa_to_host(&fuzz_vm, gpa, len), p, n);
	return gpa;
}

void fuzz_chain_add(struct fuzz_chain *ch, uint64_t gpa, uint32_t len, int writes)
{
	if (ch->n == FUZZ_CHAIN_MAX)
		return;
	ch->gpa[ch->n] = gpa;
	ch->len[ch->n] = len;
	ch->writes[ch->n] = writes;
	ch->n++;
}

static void fill_desc(struct vring_desc *table, unsigned int size, unsigned int first,
		      const struct fuzz_chain *ch)
{
	unsigned int i;

	for (i = 0; i < ch->n; i++) {
		unsigned int slot = (first + i) % size;

		table[slot] = (struct vring_desc){
			.addr = ch->gpa[i], .len = ch->len[i],
			.flags = (uint16_t)((i + 1 < ch->n ? VRING_DESC_F_NEXT : 0) |
					    (ch->writes[i] ? VRING_DESC_F_WRITE : 0)),
			.next = (uint16_t)((first + i + 1) % size),
		};
	}
}

int fuzz_offer(struct virtq *vq, const struct fuzz_chain *ch, int indirect,
	       uint16_t *next_desc)
{
	unsigned int head;

	if (!vq->size || !ch->n)
		return -1;
	head = *next_desc % vq->size;
	if (indirect) {
		uint64_t gpa = fuzz_data(16 * ch->n, NULL, 0);

		fill_desc(vm__gpa_to_host(&fuzz_vm, gpa, 16 * ch->n), ch->n, 0, ch);
		vq->desc[head] = (struct vring_desc){
			.addr = gpa, .len = 16 * ch->n, .flags = VRING_DESC_F_INDIRECT,
		};
		*next_desc = (uint16_t)(head + 1);
	} else {
		fill_desc(vq->desc, vq->size, head, ch);
		*next_desc = (uint16_t)(head + ch->n);
	}
	vq->avail->ring[vq->avail->idx % vq->size] = (uint16_t)head;
	__atomic_store_n(&vq->avail->idx, (uint16_t)(vq->avail->idx + 1), __ATOMIC_RELEASE);
	return 0;
}
