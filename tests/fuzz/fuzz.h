/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz harness shares: a reader for the fuzzer's input, and a
 * fake guest RAM of three chunks (two that touch, one apart) over one heap
 * block of process memory, so that AddressSanitizer sees any access past
 * guest RAM and the harness can check every pointer the daemon hands out.
 */
#ifndef COLINUX_TESTS_FUZZ_H
#define COLINUX_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/virtq.h"

/*
 * Guest RAM: chunks 0 and 1 touch (one range may span both), chunk 2 is
 * apart (none may run into it).  Small, so that the fuzzer's addresses hit.
 */
#define FUZZ_CHUNK_SIZE	0x8000ULL
#define FUZZ_GPA0	0x0ULL
#define FUZZ_GPA1	(FUZZ_GPA0 + FUZZ_CHUNK_SIZE)
#define FUZZ_GPA2	0x40000ULL
#define FUZZ_RAM_SIZE	(3 * FUZZ_CHUNK_SIZE)
/* Where the harnesses put a device's page: the start of chunk 2. */
#define FUZZ_PAGE_GPA	FUZZ_GPA2
/* The fd the fake VM has: only the --wrap'ed ioctl() answers on it. */
#define FUZZ_VM_FD	1000

extern struct vm fuzz_vm;
extern unsigned long fuzz_irqs;		/* CO_IOC_IRQ calls seen */

/* A broken invariant: a finding, as loud as a sanitizer's. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/*
 * A bug already found, whose regression input waits in corpus/ for the
 * fix: 'make run' names it in FUZZ_KNOWN_BUGS (known-bugs.txt) so that
 * the fuzzer goes on past it; 'make regress' does not.
 */
int fuzz_known_bug(const char *name);

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

/* Little-endian fields; past the end of the input they read as zeros. */
static inline uint64_t fuzz_get(struct fuzz_in *in, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes && in->left; i++, in->p++, in->left--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

#define fuzz_u8(in)	((uint8_t)fuzz_get(in, 1))
#define fuzz_u16(in)	((uint16_t)fuzz_get(in, 2))
#define fuzz_u32(in)	((uint32_t)fuzz_get(in, 4))
#define fuzz_u64(in)	fuzz_get(in, 8)

/* Up to max bytes of the input as they are: how many. */
static inline size_t fuzz_bytes(struct fuzz_in *in, const uint8_t **p, size_t max)
{
	size_t n = max < in->left ? max : in->left;

	*p = in->p;
	in->p += n;
	in->left -= n;
	return n;
}

void fuzz_ram_init(void);	/* once */
void fuzz_ram_clear(void);	/* before each input */
/* The guest writes len bytes at host offset off (wrapped into RAM). */
void fuzz_ram_write(uint32_t off, const uint8_t *p, size_t len);
/* A guest-side helper: host address of gpa, or NULL. */
void *fuzz_host(uint64_t gpa);
/* Aborts unless [p, p + len) is guest RAM and one contiguous guest range. */
void fuzz_check_ram(const void *p, uint64_t len);
/*
 * The input's WRITE operation (off, len, bytes), shared by the harnesses:
 * how the guest changes its rings and buffers between two device steps.
 */
void fuzz_op_write(struct fuzz_in *in);
/* WRITE16 (off, value): one 16-bit word, as a guest bumps an index. */
void fuzz_op_write16(struct fuzz_in *in);

/*
 * Requests built the way a guest driver builds them, so that the fuzzer
 * reaches the devices' checks without first finding a valid ring: data
 * buffers come from a bump allocator over gpa FUZZ_DATA_GPA.. (across
 * the border of chunks 0 and 1), descriptors are written into the ring
 * of vq (already set up by the device) from slot *next_desc on, directly
 * or as one indirect table, and the head is made available.
 */
#define FUZZ_DATA_GPA	0x4000ULL
#define FUZZ_DATA_END	(FUZZ_GPA1 + FUZZ_CHUNK_SIZE)
#define FUZZ_CHAIN_MAX	16

struct fuzz_chain {
	unsigned int n;
	uint64_t gpa[FUZZ_CHAIN_MAX];
	uint32_t len[FUZZ_CHAIN_MAX];
	int writes[FUZZ_CHAIN_MAX];
};

void fuzz_data_reset(void);
/* gpa of len bytes of data (16-byte aligned), filled from p (n bytes). */
uint64_t fuzz_data(uint32_t len, const uint8_t *p, size_t n);
void fuzz_chain_add(struct fuzz_chain *ch, uint64_t gpa, uint32_t len, int writes);
/* Offers ch on vq: 0, or -1 when vq has no rings. */
int fuzz_offer(struct virtq *vq, const struct fuzz_chain *ch,
	       int indirect, uint16_t *next_desc);

#endif /* COLINUX_TESTS_FUZZ_H */
