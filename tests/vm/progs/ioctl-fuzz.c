// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-j THREADS] [-r PERCENT]
 *            [--strict] DEVICE
 *
 * A structured fuzzer for /dev/colinux, in the spirit of syzkaller's
 * descriptions: it does not throw random bytes (ioctl-garbage does that),
 * it drives valid sequences (open, CREATE_VM, GET_INFO, mmap of the run
 * records and RAM, SET_REGS, SET_NOTIFY, IRQ, RUN of a tiny guest) and
 * mutates one field of one call at a time, so that the mutated call reaches
 * deep into the module with everything else right.
 *
 * Two phases:
 *
 * - single-threaded, reproducible: every choice comes from one PRNG seeded
 *   with SEED, and a model of the VM predicts the exact errno of each call
 *   (the union of every documented error that applies, so the order of the
 *   module's checks is not pinned) and what each RUN reports.  The same
 *   seed issues the same calls; the "trace" hash printed at the end proves
 *   it.
 * - racing (THREADS threads on one open file): the same calls from several
 *   threads at once, RUN of the same vCPU from two threads, munmap and
 *   close while RUN runs, signals into RUN, fork with the file open, the
 *   last reference dropped by whichever thread leaves last.  There only
 *   "is this errno documented for this call" can be checked.
 *
 * Throughout: every errno must be one docs/abi.md documents for that call
 * (doc_gaps[] lists what the module returns and the document does not
 * say yet; --strict makes those failures too), no guest RAM page may stay
 * held once every file and mapping is gone (the module's ram_pages), and
 * a complete valid VM (sanity_vm()) still works after each phase.
 *
 * The guest is a few instructions written into guest RAM by this program
 * (fuzz_guest below), not the test guest: that one needs the daemon's boot
 * protocol, this one only page tables.  It loops: take the hypercall the
 * fuzzer left in its mailbox, make it, store the result, and exit to the
 * fuzzer with a daemon call.  So each RUN makes one chosen hypercall and
 * comes back with a run record whose every field the model can predict.
 *
 * Exit status: 0 clean, 1 a failure (each one printed with the seed and
 * the last calls), 2 usage or setup problem, 3 a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <colinux/abi.h>

#define PAGE		4096UL
#define MIB		(1ULL << 20)

/* ---- results: each errno the module may return, as a bit ---- */

enum {
	RS_OK = 1 << 0,
	RS_EINVAL = 1 << 1,
	RS_EFAULT = 1 << 2,
	RS_ENXIO = 1 << 3,
	RS_EEXIST = 1 << 4,
	RS_ENOMEM = 1 << 5,
	RS_ENOSPC = 1 << 6,
	RS_EADDRINUSE = 1 << 7,
	RS_EBUSY = 1 << 8,
	RS_EINTR = 1 << 9,
	RS_ESHUTDOWN = 1 << 10,
	RS_EBADF = 1 << 11,
	RS_ENOTTY = 1 << 12,
	RS_OTHER = 1 << 13,
	NR_RES = 14,
};

static const int res_errno[NR_RES] = {
	0, EINVAL, EFAULT, ENXIO, EEXIST, ENOMEM, ENOSPC, EADDRINUSE, EBUSY,
	EINTR, ESHUTDOWN, EBADF, ENOTTY, -1,
};
static const char *const res_name[NR_RES] = {
	"ok", "EINVAL", "EFAULT", "ENXIO", "EEXIST", "ENOMEM", "ENOSPC",
	"EADDRINUSE", "EBUSY", "EINTR", "ESHUTDOWN", "EBADF", "ENOTTY", "other",
};

static unsigned int res_bit(int err)
{
	int i;

	for (i = 0; i < NR_RES - 1; i++)
		if (res_errno[i] == err)
			return 1U << i;
	return RS_OTHER;
}

static int res_index(unsigned int bit)
{
	return __builtin_ctz(bit);
}

static void res_list(unsigned int mask, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < NR_RES; i++)
		if (mask & (1U << i))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "|" : "", res_name[i]);
}

/* ---- the calls, and what docs/abi.md says each may return ---- */

enum op {
	OP_OPEN, OP_CLOSE, OP_VERSION, OP_CREATE, OP_INFO, OP_SETREGS, OP_RUN,
	OP_IRQ, OP_NOTIFY, OP_BADCMD, OP_MMAP, OP_MUNMAP, NR_OPS,
};

static const char *const op_name[NR_OPS] = {
	"open", "close", "VERSION", "CREATE_VM", "GET_INFO", "SET_REGS", "RUN",
	"IRQ", "SET_NOTIFY", "unknown-ioctl", "mmap", "munmap",
};

/*
 * The errors docs/abi.md lists per ioctl, plus the two it gives for all of
 * them ("Unknown ioctls return ENOTTY, bad user pointers EFAULT").
 */
static const unsigned int documented[NR_OPS] = {
	[OP_OPEN] = RS_OK,
	[OP_CLOSE] = RS_OK,
	[OP_VERSION] = RS_OK | RS_EFAULT,
	[OP_CREATE] = RS_OK | RS_EINVAL | RS_EEXIST | RS_ENOMEM | RS_ENOSPC |
		      RS_EADDRINUSE | RS_EFAULT,
	[OP_INFO] = RS_OK | RS_ENXIO | RS_EFAULT,
	[OP_SETREGS] = RS_OK | RS_EINVAL | RS_EFAULT | RS_EBUSY,
	[OP_RUN] = RS_OK | RS_EINVAL | RS_EINTR | RS_ESHUTDOWN,
	[OP_IRQ] = RS_OK | RS_EINVAL | RS_EFAULT,
	[OP_NOTIFY] = RS_OK | RS_EINVAL | RS_EBADF | RS_EFAULT,
	[OP_BADCMD] = RS_ENOTTY,
	[OP_MMAP] = RS_OK,
	[OP_MUNMAP] = RS_OK,
};

/*
 * What the module returns and docs/abi.md does not say (yet): ENXIO for
 * every VM call before CREATE_VM (the table gives it for GET_INFO only;
 * ioctl-garbage pins it for RUN, IRQ and mmap), the errors of mmap (the
 * mmap table lists none), and EINTR from the calls that take the VM's
 * setup lock when a signal arrives while they wait for it (a SET_REGS
 * waiting for vCPU 0's RUN holds that lock).  Counted and reported;
 * failures with --strict.
 */
static const unsigned int doc_gaps[NR_OPS] = {
	[OP_CREATE] = RS_EINTR,
	[OP_INFO] = RS_EINTR,
	[OP_SETREGS] = RS_ENXIO | RS_EINTR,
	[OP_RUN] = RS_ENXIO,
	[OP_IRQ] = RS_ENXIO,
	[OP_NOTIFY] = RS_ENXIO | RS_EINTR,
	[OP_MMAP] = RS_EINVAL | RS_ENXIO,
};

/* ---- options and process-wide state ---- */

static struct {
	uint64_t seed;
	unsigned long calls;
	unsigned long seconds;
	unsigned int threads;
	unsigned int race_pct;
	int strict;
} opt = { .calls = 200000, .seconds = 50, .threads = 4, .race_pct = 30 };

static const char *dev_path;

/* Counters live in a shared page: forked children add their calls too. */
struct shared {
	atomic_ulong calls;
	atomic_ulong failures;
	atomic_ulong gaps;
	atomic_ulong vms;
	atomic_ulong exits[8];
	atomic_ulong forks;
	atomic_ulong signals;
	atomic_ulong hist[NR_OPS][NR_RES];
	atomic_ulong op_ns[NR_OPS];	/* time spent in each kind of call */
	atomic_int stop;		/* too many failures: wind down */
};
static struct shared *sh;

static char *noaccess;		/* two pages with no access */
/* A page followed by a no-access page, one per thread (racers write it). */
static __thread char *edge;
static char *rdonly;		/* a read-only page */
static int pipefds[2];		/* files that are not eventfds */
static int ram_pages_fd = -1;
static uint64_t t0;		/* ms */

static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

/* Milliseconds, monotonic (no floating point: -mgeneral-regs-only). */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- a PRNG per context: splitmix64, so a seed is all it takes ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static int chance(struct rng *r, unsigned int per_mille)
{
	return below(r, 1000) < per_mille;
}

/* Values that sit on the edges of the checks a field may go through. */
static uint64_t interesting(struct rng *r)
{
	static const uint64_t v[] = {
		0, 1, 2, 31, 32, 63, 64, 65, 127, 128, 255, 256, 4095, 4096,
		0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, 1ULL << 47, (1ULL << 47) - 1, 1ULL << 56,
		0x00ffffffffffffffULL, 0xffff800000000000ULL,
		0xff00000000000000ULL, 0x8000000000000000ULL,
		0x7fffffffffffffffULL, ~0ULL, ~0ULL - 1,
	};

	if (chance(r, 200))
		return rnd(r);
	return v[below(r, sizeof(v) / sizeof(v[0]))];
}

/* ---- a context: one thread's PRNG, call log and timer ---- */

struct logent {
	int op;
	int err;
	unsigned long cmd;
	uint64_t a, b;
};

#define LOG_LEN 32

struct ctx {
	struct rng rng;
	int id;			/* 0: the single-threaded phase, else the racer */
	int race;		/* only "documented?" can be checked */
	uint64_t trace;		/* FNV-1a of what was called, for reproduction */
	unsigned long calls;
	struct logent log[LOG_LEN];
	unsigned int log_pos;
	timer_t timer;		/* SIGUSR1 into this thread's own blocking RUN */
	atomic_int in_run;
	atomic_int cur_op;	/* for the hang report */
	uint64_t run_since;
	atomic_ulong got_signals;
};

static void trace_mix(struct ctx *c, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++) {
		c->trace ^= (v >> (8 * i)) & 0xff;
		c->trace *= 0x100000001b3ULL;
	}
}

static void log_call(struct ctx *c, enum op op, unsigned long cmd, uint64_t a,
		     uint64_t b, int err)
{
	struct logent *e = &c->log[c->log_pos++ % LOG_LEN];

	e->op = op;
	e->cmd = cmd;
	e->a = a;
	e->b = b;
	e->err = err;
	c->calls++;
	atomic_fetch_add_explicit(&sh->calls, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sh->hist[op][res_index(res_bit(err))], 1,
				  memory_order_relaxed);
}

static void dump_log(struct ctx *c)
{
	unsigned int i, n = c->log_pos < LOG_LEN ? c->log_pos : LOG_LEN;

	printf("  last %u calls of context %d (oldest first):\n", n, c->id);
	for (i = c->log_pos - n; i != c->log_pos; i++) {
		const struct logent *e = &c->log[i % LOG_LEN];

		printf("    %-13s cmd %#lx a %#llx b %#llx -> %s\n", op_name[e->op],
		       e->cmd, (unsigned long long)e->a, (unsigned long long)e->b,
		       e->err ? strerror(e->err) : "ok");
	}
}

static void failv(struct ctx *c, const char *fmt, va_list ap)
{
	unsigned long n = atomic_fetch_add(&sh->failures, 1) + 1;

	pthread_mutex_lock(&print_lock);
	printf("FAIL [seed %llu, context %d, call %lu]: ",
	       (unsigned long long)opt.seed, c->id, c->calls);
	vprintf(fmt, ap);
	printf("\n");
	if (n <= 5)
		dump_log(c);
	fflush(stdout);
	pthread_mutex_unlock(&print_lock);
	if (n >= 20)
		atomic_store(&sh->stop, 1);
}

static void __attribute__((format(printf, 2, 3))) fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	failv(c, fmt, ap);
	va_end(ap);
}

/*
 * The verdict on one call: err must be documented for op (or a known gap),
 * and in single-threaded mode one of the outcomes the model expects.
 */
static int __attribute__((format(printf, 5, 6)))
check(struct ctx *c, enum op op, int err, unsigned int want, const char *fmt, ...)
{
	unsigned int bit = res_bit(err), allowed = documented[op] | doc_gaps[op];
	char got[64], exp[160], what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(got, sizeof(got), "%s", err ? strerror(err) : "success");
	if (!(bit & allowed)) {
		res_list(documented[op], exp, sizeof(exp));
		fail(c, "%s %s: got %s (errno %d), which docs/abi.md does not document for it (%s)",
		     op_name[op], what, got, err, exp);
		return 0;
	}
	if (bit & doc_gaps[op] & ~documented[op]) {
		atomic_fetch_add(&sh->gaps, 1);
		if (opt.strict) {
			fail(c, "%s %s: got %s, not documented (--strict)",
			     op_name[op], what, got);
			return 0;
		}
	}
	if (c->race)
		return 1;
	if (!(bit & want)) {
		res_list(want, exp, sizeof(exp));
		fail(c, "%s %s: got %s, the model expects %s", op_name[op], what,
		     got, exp);
		return 0;
	}
	return 1;
}

/* ---- user pointers that must give EFAULT ---- */

/*
 * One bad place for a structure of size bytes: NULL, a kernel address, a
 * non-canonical one, a page with no access, or a structure that starts
 * readable and runs into the no-access page (a partial copy).  Output
 * structures may also land on a read-only page.
 */
static void edge_setup(void)
{
	edge = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge == MAP_FAILED || mprotect(edge + PAGE, PAGE, PROT_NONE)) {
		perror("edge page");
		exit(2);
	}
}

static void *bad_ptr(struct rng *r, size_t size, int out, uint64_t *kind)
{
	*kind = below(r, out ? 7 : 6);
	switch (*kind) {
	case 0: return NULL;
	case 1: return (void *)0xffff888000000000UL;
	case 2: return (void *)0x8000000000000000UL;
	case 3: return noaccess + below(r, PAGE);
	case 4: return edge + PAGE - size / 2;
	case 5: return (void *)(uintptr_t)(1 + below(r, 4095));
	default: return rdonly;
	}
}

/*
 * Where a good structure goes: where it is, or copied flush against the
 * no-access page (the module must read exactly its size, no more).
 */
static void *good_place(struct rng *r, void *buf, size_t size)
{
	if (chance(r, 100)) {
		memcpy(edge + PAGE - size, buf, size);
		return edge + PAGE - size;
	}
	return buf;
}

/* The pointer a call gets: bad one time in per_mille, else a good place. */
static void *arg_ptr(struct rng *r, void *buf, size_t size, int out,
		     unsigned int per_mille, uint64_t *kind)
{
	*kind = 99;
	if (chance(r, per_mille))
		return bad_ptr(r, size, out, kind);
	return good_place(r, buf, size);
}

/* ---- the guest ---- */

/*
 * Guest layout, in the first 2 MiB of RAM chunk 0, which the guest maps
 * at GUEST_VA with one 2 MiB page (guest-physical is host-physical).
 */
#define GUEST_VA	0x200000ULL
#define G_TABLES	0x0000		/* 3 or 4 page-table pages */
#define G_CODE		0x4000
#define G_IDT		0x5000
#define G_BLOCK		0x6000		/* 64 mailboxes of 0x80 bytes */
#define G_MSG		0x8000		/* a crash message */
#define G_STEAL		0x9000		/* 64 steal-time records */
#define G_BADIDT	0xa000		/* an IDT with one gate SET_IDT refuses */
#define G_STACK		0x10000		/* vCPU i's stack ends at +(i+1)*0x400 */
#define G_SPAN		(2 * MIB)
#define EXIT_DEVICE	0x7c0		/* the guest's "next, please" daemon call */

/* One vCPU's mailbox; the offsets are the guest code's. */
struct gblock {
	uint64_t nr;		/* 0x00: hypercall to make (fuzzer) */
	uint64_t a[4];		/* 0x08: its arguments (fuzzer) */
	uint64_t seq;		/* 0x28: the fuzzer's number for it */
	uint64_t entry;		/* 0x30: this vCPU's hypercall entry */
	uint64_t result;	/* 0x38: rax of the last call (guest) */
	uint64_t done_seq;	/* 0x40: seq of the last call (guest) */
	uint64_t count;		/* 0x48: calls completed (guest) */
	uint64_t irqs;		/* 0x50: interrupts taken (guest) */
};
_Static_assert(sizeof(struct gblock) <= 0x80, "mailbox too big");

/*
 * rdi = the vCPU's mailbox.  Load the call, put "exit to the fuzzer" in
 * the mailbox for next time, make the call, store its result; again.  The
 * interrupt handler only counts (rbp stays the mailbox: interrupts come
 * only after IDLE, long after the first instruction).
 */
__asm__(
"	.pushsection .rodata\n"
"	.balign 16\n"
"fuzz_guest:\n"
"	mov %rdi, %rbp\n"
"1:	mov 0x00(%rbp), %rax\n"
"	mov 0x08(%rbp), %rdi\n"
"	mov 0x10(%rbp), %rsi\n"
"	mov 0x18(%rbp), %rdx\n"
"	mov 0x20(%rbp), %rcx\n"
"	mov 0x28(%rbp), %r9\n"
"	movq $1, 0x00(%rbp)\n"
"	movq $0x7c0, 0x08(%rbp)\n"
"	movq $0, 0x10(%rbp)\n"
"	movq $0, 0x18(%rbp)\n"
"	movq $0, 0x20(%rbp)\n"
"	movq $0, 0x28(%rbp)\n"
"	call *0x30(%rbp)\n"
"	mov %rax, 0x38(%rbp)\n"
"	mov %r9, 0x40(%rbp)\n"
"	incq 0x48(%rbp)\n"
"	jmp 1b\n"
"fuzz_guest_irq:\n"
"	incq 0x50(%rbp)\n"
"	iretq\n"
"fuzz_guest_end:\n"
"	.popsection\n");
extern const unsigned char fuzz_guest[], fuzz_guest_irq[], fuzz_guest_end[];

/* ---- the model of one open file ---- */

#define MAX_EXTRA	16
#define NR_EFD		4

struct vcpu_model {
	struct co_run *run;	/* our mapping of its run record */
	int up;			/* vCPU 0: SET_REGS; others: VCPU_UP */
	int idt;		/* its IDT snapshot has our gates */
	int if_on;		/* it made IDLE: interrupts are on */
	int unsure;		/* a signal stopped it somewhere in its loop */
	uint64_t inflight_seq;	/* the call it will finish on the next RUN */
	int64_t inflight_result;
	uint64_t notifies;	/* successful NOTIFYs it made */
	uint64_t entries;	/* stats.entries at the last exit */
};

struct mapping {
	void *addr;
	size_t len;
	uint64_t off;
};

struct session {
	int fd;
	int vm;			/* CREATE_VM succeeded */
	unsigned int nr_vcpus;
	uint64_t ram_bytes;
	struct co_vm_info info;
	unsigned char *ram;	/* our mapping of the guest's 2 MiB */
	int regs_set;		/* a SET_REGS was taken */
	int started;		/* vCPU 0 entered the guest */
	int dead;		/* the guest ended */
	int chaos;		/* taken boot state we cannot predict the guest of */
	uint64_t seq;
	int efd[NR_EFD];
	unsigned char bound[CO_MAX_DEVICES][CO_NOTIFY_QUEUES];	/* efd + 1, or 0xff */
	struct mapping extra[MAX_EXTRA];
	unsigned int nr_extra;
	unsigned long budget;	/* calls left before it closes */
	struct vcpu_model v[CO_MAX_VCPUS];
};
#define BOUND_CLOSED	0xff	/* bound to an eventfd we closed since */

static volatile struct gblock *gblock(struct session *s, unsigned int i)
{
	return (volatile struct gblock *)(s->ram + G_BLOCK + i * 0x80);
}

static uint64_t ram0(const struct session *s)
{
	return s->info.ram[0].gpa;
}

static int canonical(const struct session *s, uint64_t va)
{
	unsigned int bits = s->info.paging_levels == 5 ? 57 : 48;
	int64_t sv = (int64_t)(va << (64 - bits)) >> (64 - bits);

	return (uint64_t)sv == va;
}

static int in_ram(const struct session *s, uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < s->info.nr_ram_chunks; i++)
		if (gpa >= s->info.ram[i].gpa &&
		    gpa - s->info.ram[i].gpa <= s->info.ram[i].size &&
		    len <= s->info.ram[i].size - (gpa - s->info.ram[i].gpa))
			return 1;
	return 0;
}

/* ---- the calls themselves (each counted and logged) ---- */

static int do_ioctl(struct ctx *c, enum op op, int fd, unsigned long cmd,
		    unsigned long arg, uint64_t b)
{
	uint64_t t = mono_ns();
	int err;

	atomic_store(&c->cur_op, op);
	err = ioctl(fd, cmd, arg) < 0 ? errno : 0;
	atomic_store(&c->cur_op, -1);
	atomic_fetch_add_explicit(&sh->op_ns[op], mono_ns() - t, memory_order_relaxed);
	log_call(c, op, cmd, arg, b, err);
	if (!c->race) {
		trace_mix(c, op);
		trace_mix(c, cmd);
		trace_mix(c, b);
	}
	return err;
}

static void *do_mmap(struct ctx *c, int fd, size_t len, int prot, int flags,
		     uint64_t off, int *err)
{
	uint64_t t = mono_ns();
	void *p;

	atomic_store(&c->cur_op, OP_MMAP);
	p = mmap(NULL, len, prot, flags, fd, (off_t)off);
	atomic_store(&c->cur_op, -1);
	atomic_fetch_add_explicit(&sh->op_ns[OP_MMAP], mono_ns() - t, memory_order_relaxed);
	*err = p == MAP_FAILED ? errno : 0;
	log_call(c, OP_MMAP, flags, off, len, *err);
	if (!c->race) {
		trace_mix(c, OP_MMAP);
		trace_mix(c, off);
		trace_mix(c, len ^ ((uint64_t)flags << 48));
	}
	return *err ? NULL : p;
}

static void do_munmap(struct ctx *c, void *p, size_t len)
{
	uint64_t t = mono_ns();
	int err = munmap(p, len) ? errno : 0;

	atomic_fetch_add_explicit(&sh->op_ns[OP_MUNMAP], mono_ns() - t, memory_order_relaxed);
	log_call(c, OP_MUNMAP, 0, (uintptr_t)p, len, err);
	if (!c->race)
		trace_mix(c, OP_MUNMAP ^ ((uint64_t)len << 8));
	check(c, OP_MUNMAP, err, RS_OK, "of %zu bytes", len);
}

static int do_open(struct ctx *c)
{
	int fd = open(dev_path, O_RDWR | O_CLOEXEC);

	log_call(c, OP_OPEN, 0, 0, 0, fd < 0 ? errno : 0);
	check(c, OP_OPEN, fd < 0 ? errno : 0, RS_OK, "of %s", dev_path);
	return fd;
}

static void do_close(struct ctx *c, int fd)
{
	uint64_t t = mono_ns();
	int err = close(fd) ? errno : 0;

	atomic_fetch_add_explicit(&sh->op_ns[OP_CLOSE], mono_ns() - t, memory_order_relaxed);
	log_call(c, OP_CLOSE, 0, fd, 0, err);
	check(c, OP_CLOSE, err, RS_OK, "of the device");
}

/* /sys/module/colinux/parameters/ram_pages, or -1 without it. */
static long ram_pages(void)
{
	char buf[32];
	ssize_t n;

	if (ram_pages_fd < 0)
		return -1;
	n = pread(ram_pages_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/* Guest RAM held must come back to want (a few tries: frees may lag). */
static void expect_ram_pages(struct ctx *c, long want, const char *when)
{
	long got = ram_pages();
	int i;

	for (i = 0; got >= 0 && got != want && i < 50; i++) {
		usleep(20000);
		got = ram_pages();
	}
	if (got >= 0 && got != want)
		fail(c, "%s: the module holds %ld pages of guest RAM, expected %ld",
		     when, got, want);
}

/* ---- the timer that stops a RUN the model knows will wait ---- */

static void on_sigusr1(int sig)
{
	(void)sig;
}

static void timer_setup(struct ctx *c)
{
	struct sigevent sev = { 0 };

	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
#ifdef sigev_notify_thread_id
	sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
#else
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
#endif
	if (timer_create(CLOCK_MONOTONIC, &sev, &c->timer)) {
		perror("timer_create");
		exit(2);
	}
}

/*
 * Periodic: a signal that lands before RUN is entered (the race the ABI's
 * immediate_exit closes for the daemon) is followed by another.
 */
static void timer_arm(struct ctx *c, long ms)
{
	struct itimerspec its = { .it_value = { ms / 1000, (ms % 1000) * 1000000 },
				  .it_interval = { ms / 1000, (ms % 1000) * 1000000 } };

	timer_settime(c->timer, 0, &its, NULL);
}

static void timer_disarm(struct ctx *c)
{
	struct itimerspec its = { 0 };

	timer_settime(c->timer, 0, &its, NULL);
}

/* ---- single calls with their model ---- */

static void op_version(struct ctx *c, struct session *s)
{
	struct co_version buf;
	uint64_t kind;
	struct co_version *p = arg_ptr(&c->rng, &buf, sizeof(buf), 1, 300, &kind);
	int err;

	err = do_ioctl(c, OP_VERSION, s->fd, CO_IOC_VERSION, (uintptr_t)p, kind);
	check(c, OP_VERSION, err, kind == 99 ? RS_OK : RS_EFAULT, "(pointer kind %llu)",
	      (unsigned long long)kind);
	if (!err && kind == 99 && (p->abi_version != CO_ABI_VERSION || p->reserved ||
				   !memchr(p->module_version, 0, sizeof(p->module_version))))
		fail(c, "VERSION: abi %u reserved %u", p->abi_version, p->reserved);
}

static void op_info(struct ctx *c, struct session *s)
{
	static __thread struct co_vm_info buf;
	uint64_t kind;
	struct co_vm_info *p = arg_ptr(&c->rng, &buf, sizeof(buf), 1, 250, &kind);
	unsigned int errs = (s->vm ? 0 : RS_ENXIO) | (kind == 99 ? 0 : RS_EFAULT);
	int err;

	err = do_ioctl(c, OP_INFO, s->fd, CO_IOC_GET_INFO, (uintptr_t)p, kind);
	check(c, OP_INFO, err, errs ? errs : RS_OK, "(pointer kind %llu, vm %d)",
	      (unsigned long long)kind, s->vm);
	if (!err && s->vm && !c->race && kind == 99 && memcmp(p, &s->info, sizeof(*p)))
		fail(c, "GET_INFO changed since CREATE_VM");
}

/* Is what GET_INFO said about a new VM consistent with the request? */
static void check_info(struct ctx *c, const struct co_vm_info *in,
		       const struct co_vm_create *req)
{
	uint64_t sum = 0, prev_end = 0;
	unsigned int i;

	if (in->paging_levels != 4 && in->paging_levels != 5)
		fail(c, "GET_INFO: paging levels %u", in->paging_levels);
	if (in->passage_slot < 256 || in->passage_slot > 271)
		fail(c, "GET_INFO: passage slot %u", in->passage_slot);
	if (in->nr_vcpus != req->nr_vcpus || in->ram_bytes != req->ram_bytes)
		fail(c, "GET_INFO: %u vCPUs and %llu bytes, created with %u and %llu",
		     in->nr_vcpus, (unsigned long long)in->ram_bytes, req->nr_vcpus,
		     (unsigned long long)req->ram_bytes);
	if (!in->nr_ram_chunks || in->nr_ram_chunks > CO_MAX_RAM_CHUNKS) {
		fail(c, "GET_INFO: %u RAM chunks", in->nr_ram_chunks);
		return;
	}
	for (i = 0; i < in->nr_ram_chunks; i++) {
		const struct co_ram_chunk *k = &in->ram[i];

		if (!k->size || (k->gpa | k->size) % CO_RAM_CHUNK_ALIGN ||
		    (i && k->gpa < prev_end))
			fail(c, "GET_INFO: RAM chunk %u at %#llx, %#llx bytes", i,
			     (unsigned long long)k->gpa, (unsigned long long)k->size);
		prev_end = k->gpa + k->size;
		sum += k->size;
	}
	if (sum != in->ram_bytes)
		fail(c, "GET_INFO: chunks sum to %llu bytes, not %llu",
		     (unsigned long long)sum, (unsigned long long)in->ram_bytes);
}

/* Writes the guest: page tables, code, IDTs, mailboxes. */
static void guest_install(struct session *s)
{
	uint64_t base = ram0(s), *t, h;
	unsigned int i, next = 0x1000;
	uint64_t *idt, *bad;

	/* The top level (a PML5 first with 5 levels), down to one 2 MiB page. */
	t = (uint64_t *)(s->ram + G_TABLES);
	if (s->info.paging_levels == 5) {
		t[0] = (base + next) | 3;
		t = (uint64_t *)(s->ram + next);
		next += 0x1000;
	}
	t[0] = (base + next) | 3;			/* PML4[0] -> PDPT */
	t = (uint64_t *)(s->ram + next);
	next += 0x1000;
	t[0] = (base + next) | 3;			/* PDPT[0] -> PD */
	t = (uint64_t *)(s->ram + next);
	t[GUEST_VA >> 21] = base | 0x83;		/* P, RW, 2 MiB */

	memcpy(s->ram + G_CODE, fuzz_guest, (size_t)(fuzz_guest_end - fuzz_guest));

	/* Interrupt gates 32-255 to the counting handler; no exception gate. */
	h = GUEST_VA + G_CODE + (uint64_t)(fuzz_guest_irq - fuzz_guest);
	idt = (uint64_t *)(s->ram + G_IDT);
	memset(idt, 0, PAGE);
	for (i = 32; i < 256; i++) {
		idt[2 * i] = (h & 0xffff) | (0x10ULL << 16) | (0x8eULL << 40) |
			     ((h >> 16) & 0xffff) << 48;
		idt[2 * i + 1] = h >> 32;
	}
	/* The same with one gate on IST 1 (the passage's): refused whole. */
	bad = (uint64_t *)(s->ram + G_BADIDT);
	memcpy(bad, idt, PAGE);
	bad[2 * 40] |= 1ULL << 32;

	memcpy(s->ram + G_MSG, "ioctl-fuzz: the guest crashed on purpose", 41);
	for (i = 0; i < s->nr_vcpus; i++) {
		volatile struct gblock *b = gblock(s, i);

		memset((void *)b, 0, 0x80);
		b->nr = 1;
		b->a[0] = EXIT_DEVICE;
		b->entry = s->info.hypercall_va + i * CO_VCPU_PASSAGE_STRIDE;
	}
}

static void valid_regs(struct ctx *c, struct session *s, struct co_regs *r)
{
	memset(r, 0, sizeof(*r));
	/* Registers the guest does not look at get garbage: it must not matter. */
	r->rax = rnd(&c->rng);
	r->rbx = rnd(&c->rng);
	r->r15 = rnd(&c->rng);
	r->rip = GUEST_VA + G_CODE;
	r->rsp = GUEST_VA + G_STACK + 0x400;
	r->rdi = GUEST_VA + G_BLOCK;
	r->rflags = 2 | (rnd(&c->rng) & 0x8d5);
	r->cr3 = ram0(s) + G_TABLES;
}

/*
 * SET_REGS, valid or with one field changed.  Fields SET_REGS ignores
 * (segments, control registers but cr3, bases) and the flags it masks
 * must not matter; a changed rip, rsp, rdi or cr3 it takes leaves a guest
 * nobody can predict ("chaos"), until a valid SET_REGS.  Expected: the
 * union of the errors that apply; EBUSY once vCPU 0 entered the guest.
 */
static void op_setregs(struct ctx *c, struct session *s)
{
	struct co_regs regs, *p;
	__u64 *f = &regs.rax;
	uint64_t kind, field = 99, val = 0;
	unsigned int errs = 0, maybe = 0, taken_chaos = 0;
	int err;

	if (s->vm)
		valid_regs(c, s, &regs);
	else
		memset(&regs, 0, sizeof(regs));
	if (s->vm && chance(&c->rng, 400)) {
		field = below(&c->rng, sizeof(regs) / 8);
		switch (below(&c->rng, 4)) {
		case 0: val = interesting(&c->rng); break;
		case 1: val = f[field] | 1; break;
		case 2: val = ram0(s) + PAGE * below(&c->rng, s->ram_bytes / PAGE); break;
		default: val = 0x0100000000000000ULL; break;
		}
		f[field] = val;
	}
	p = arg_ptr(&c->rng, &regs, sizeof(regs), 0, 150, &kind);
	if (kind != 99) {
		errs |= RS_EFAULT;
	} else if (field == 99) {
		;
	} else if (&f[field] == &regs.rip || &f[field] == &regs.rsp) {
		if (!canonical(s, val))
			errs |= RS_EINVAL;
		else if (val != (&f[field] == &regs.rip ? GUEST_VA + G_CODE :
				 GUEST_VA + G_STACK + 0x400))
			taken_chaos = 1;
	} else if (&f[field] == &regs.cr3) {
		if (val & ~0x000ffffffffff000ULL)
			errs |= RS_EINVAL;
		else if (!in_ram(s, val, PAGE))
			errs |= RS_EFAULT;
		else if (val != ram0(s) + G_TABLES)
			taken_chaos = 1;
	} else if (&f[field] == &regs.rdi && val != GUEST_VA + G_BLOCK) {
		taken_chaos = 1;
	}
	if (!s->vm)
		errs |= RS_ENXIO;
	else if (s->started)
		errs |= RS_EBUSY;
	else if (s->chaos)
		maybe |= RS_EBUSY;	/* a chaotic guest may have entered */
	err = do_ioctl(c, OP_SETREGS, s->fd, CO_IOC_SET_REGS, (uintptr_t)p,
		       kind << 8 | field);
	check(c, OP_SETREGS, err, (errs ? errs : RS_OK) | maybe,
	      "(pointer kind %llu, field %llu = %#llx)", (unsigned long long)kind,
	      (unsigned long long)field, (unsigned long long)val);
	if (c->race)
		return;
	if (!err) {
		s->regs_set = 1;
		s->v[0].up = 1;
		s->chaos = taken_chaos;
	} else if (err == EBUSY) {
		s->started = 1;
	}
}

static void op_irq(struct ctx *c, struct session *s)
{
	struct co_irq irq, *p;
	unsigned int errs = 0, nr = s->vm ? s->nr_vcpus : 1;
	uint64_t kind;
	int err;

	irq.vector = 32 + (unsigned int)below(&c->rng, 224);
	irq.vcpu = (unsigned int)below(&c->rng, nr);
	if (chance(&c->rng, 300)) {
		if (chance(&c->rng, 500))
			irq.vector = (unsigned int)interesting(&c->rng);
		else
			irq.vcpu = chance(&c->rng, 500) ? nr + (unsigned int)below(&c->rng, 3) :
				   (unsigned int)interesting(&c->rng);
	}
	p = arg_ptr(&c->rng, &irq, sizeof(irq), 0, 100, &kind);
	if (kind != 99)
		errs |= RS_EFAULT;
	else if (irq.vector < 32 || irq.vector > 255 || (s->vm && irq.vcpu >= nr))
		errs |= RS_EINVAL;
	if (!s->vm)
		errs |= RS_ENXIO;
	/* Pending vectors are harmless: a vCPU that turns interrupts on has our gates. */
	err = do_ioctl(c, OP_IRQ, s->fd, CO_IOC_IRQ, (uintptr_t)p,
		       kind << 40 | (uint64_t)irq.vcpu << 32 | irq.vector);
	check(c, OP_IRQ, err, errs ? errs : RS_OK, "(vector %u, vCPU %u, pointer kind %llu)",
	      irq.vector, irq.vcpu, (unsigned long long)kind);
}

static void op_notify(struct ctx *c, struct session *s)
{
	struct co_notify nt, *p;
	unsigned int errs = 0, k = (unsigned int)below(&c->rng, NR_EFD), mutation = 99;
	uint64_t kind;
	int err;

	nt.device = (unsigned int)below(&c->rng, CO_MAX_DEVICES);
	nt.queue = (unsigned int)below(&c->rng, CO_NOTIFY_QUEUES);
	nt.flags = 0;
	nt.fd = chance(&c->rng, 300) ? -1 : s->efd[k];
	if (chance(&c->rng, 350)) {
		mutation = (unsigned int)below(&c->rng, 8);
		switch (mutation) {
		case 0: nt.device = CO_MAX_DEVICES + (unsigned int)below(&c->rng, 2); break;
		case 1: nt.device = (unsigned int)interesting(&c->rng); break;
		case 2: nt.queue = (unsigned int)interesting(&c->rng); break;
		case 3: nt.flags = (unsigned int)interesting(&c->rng) | 1; break;
		case 4: nt.fd = -2 - (int)below(&c->rng, 1000); break;
		case 5: nt.fd = 1000 + (int)below(&c->rng, 20000); break;	/* not open */
		case 6: nt.fd = s->fd; break;
		default: nt.fd = pipefds[below(&c->rng, 2)]; break;
		}
	}
	p = arg_ptr(&c->rng, &nt, sizeof(nt), 0, 80, &kind);
	if (kind != 99) {
		errs |= RS_EFAULT;
	} else {
		if (nt.device >= CO_MAX_DEVICES || nt.queue >= CO_NOTIFY_QUEUES ||
		    nt.flags || nt.fd < -1)
			errs |= RS_EINVAL;
		if (mutation == 5)
			errs |= RS_EBADF;
		else if (mutation == 6 || mutation == 7)
			errs |= RS_EINVAL;
	}
	if (!s->vm)
		errs |= RS_ENXIO;
	if (c->race)
		errs |= RS_EINVAL | RS_EBADF;	/* racers close their eventfds */
	err = do_ioctl(c, OP_NOTIFY, s->fd, CO_IOC_SET_NOTIFY, (uintptr_t)p,
		       kind << 56 | (uint64_t)mutation << 48 | nt.device << 16 | nt.queue);
	check(c, OP_NOTIFY, err, errs ? errs : RS_OK,
	      "(device %u, queue %u, fd %d, flags %#x, pointer kind %llu)",
	      nt.device, nt.queue, nt.fd, nt.flags, (unsigned long long)kind);
	if (!err && !c->race)
		s->bound[nt.device][nt.queue] = nt.fd < 0 ? 0 : (unsigned char)(k + 1);
}

/*
 * An ioctl the module does not have: numbers of its type 0xC0 that are
 * not its own (a known number with the wrong direction or size included),
 * or any number of another type but those the VFS answers itself (FIONBIO
 * and friends: 'T', 'f', 'X', 0x94, 0).
 */
static void op_badcmd(struct ctx *c, struct session *s)
{
	static const unsigned long good[] = {
		CO_IOC_VERSION, CO_IOC_CREATE_VM, CO_IOC_GET_INFO, CO_IOC_SET_REGS,
		CO_IOC_RUN, CO_IOC_IRQ, CO_IOC_SET_NOTIFY,
	};
	unsigned long cmd;
	unsigned int i, type;
	int err;

	for (;;) {
		if (chance(&c->rng, 600)) {
			cmd = good[below(&c->rng, 7)];
			switch (below(&c->rng, 3)) {
			case 0: cmd ^= 1UL << (30 + below(&c->rng, 2)); break;
			case 1: cmd ^= (1UL + below(&c->rng, 0x3fff)) << 16; break;
			default: cmd = (cmd & ~0xffUL) | (7 + below(&c->rng, 249)); break;
			}
		} else {
			cmd = (uint32_t)rnd(&c->rng);
		}
		cmd &= 0xffffffffUL;
		type = (cmd >> 8) & 0xff;
		if (type == 'T' || type == 'f' || type == 'X' || type == 0x94 || type == 0)
			continue;
		for (i = 0; i < 7 && cmd != good[i]; i++)
			;
		if (i == 7)
			break;
	}
	err = do_ioctl(c, OP_BADCMD, s->fd, cmd, (unsigned long)rnd(&c->rng), 0);
	check(c, OP_BADCMD, err, RS_ENOTTY, "%#lx", cmd);
}

static void forget_extra(struct session *s, unsigned int i)
{
	s->extra[i] = s->extra[--s->nr_extra];
}

/*
 * mmap of the file: a run record (valid, or two pages, private, another
 * vCPU's, between the records and RAM) or a piece of RAM (inside, or past
 * the end, or private).  What is mapped is kept a while and looked at.
 */
static void op_mmap(struct ctx *c, struct session *s)
{
	unsigned int want = RS_OK, nr = s->vm ? s->nr_vcpus : 1;
	uint64_t ram_bytes = s->vm ? s->ram_bytes : 128 * MIB, off;
	int flags = MAP_SHARED, prot = PROT_READ | PROT_WRITE, err;
	size_t len = PAGE;
	void *p;

	if (s->nr_extra == MAX_EXTRA) {
		unsigned int i = (unsigned int)below(&c->rng, s->nr_extra);

		do_munmap(c, s->extra[i].addr, s->extra[i].len);
		forget_extra(s, i);
		return;
	}
	if (chance(&c->rng, 400)) {		/* a run record */
		off = CO_MMAP_RUN(below(&c->rng, nr));
		switch (below(&c->rng, 8)) {
		case 0: len = 2 * PAGE; want = RS_EINVAL; break;
		case 1: flags = MAP_PRIVATE; want = RS_EINVAL; break;
		case 2: off = CO_MMAP_RUN(nr + below(&c->rng, CO_MAX_VCPUS + 2 - nr)); want = RS_EINVAL; break;
		case 3: prot = PROT_READ; break;
		default: break;
		}
	} else {
		uint64_t pages = ram_bytes / PAGE;

		off = below(&c->rng, pages);
		len = (size_t)(1 + below(&c->rng, chance(&c->rng, 100) ? pages : 64)) * PAGE;
		switch (below(&c->rng, 8)) {
		case 0: flags = MAP_PRIVATE; want = RS_EINVAL; break;
		case 1: off = pages - below(&c->rng, 3); len = 4 * PAGE; want = RS_EINVAL; break;
		case 2: off = pages + below(&c->rng, 1000); want = RS_EINVAL; break;
		default:
			if (off * PAGE + len > ram_bytes)
				want = RS_EINVAL;
			break;
		}
		off = CO_MMAP_RAM_OFFSET + off * PAGE;
	}
	if (!s->vm)
		want = RS_ENXIO | (want & RS_EINVAL);
	p = do_mmap(c, s->fd, len, prot, flags, off, &err);
	check(c, OP_MMAP, err, want, "at offset %#llx, %zu bytes, flags %#x",
	      (unsigned long long)off, len, flags);
	if (!p)
		return;
	if (off < CO_MMAP_RAM_OFFSET) {
		const volatile struct co_run *run = p;

		if (run->exit_reason > CO_EXIT_INTR)
			fail(c, "run record with exit reason %u", run->exit_reason);
	} else if (!c->race && s->ram && off - CO_MMAP_RAM_OFFSET < G_SPAN) {
		/* The same pages as our own mapping of the guest: same bytes. */
		uint64_t at = off - CO_MMAP_RAM_OFFSET;
		volatile unsigned char *q = p;

		if (q[0] != s->ram[at])
			fail(c, "RAM mapped at %#llx differs from the same RAM mapped earlier",
			     (unsigned long long)off);
	} else {
		(void)*(volatile unsigned char *)p;	/* a fault must not SIGBUS */
	}
	s->extra[s->nr_extra++] = (struct mapping){ p, len, off };
}

/* ---- RUN: the command the guest makes, and what comes back ---- */

enum cmd_kind {
	CK_NONE,	/* no command: the guest just comes back */
	CK_CALL,	/* a call the guest returns from: check its result */
	CK_WALL,	/* WALLCLOCK: a time near ours */
	CK_BLOCK,	/* IDLE or HALT: may sleep until our timer */
	CK_DCALL,	/* a daemon call of its own: exits with these arguments */
	CK_POWEROFF,
	CK_CRASH,
};

struct cmd {
	enum cmd_kind kind;
	uint64_t nr, a[4];
	int64_t want;		/* CK_CALL's result */
	int notify_efd;		/* a NOTIFY that signals efd[notify_efd] */
	int idt_full;		/* SET_IDT: of our whole table */
	uint64_t crash_gpa, crash_len;
};

static uint64_t rnd_vector(struct ctx *c)
{
	return 32 + below(&c->rng, 224);
}

/* A hypercall for vCPU i, valid or with one argument off, and its result. */
static void pick_cmd(struct ctx *c, struct session *s, unsigned int i, struct cmd *k)
{
	struct vcpu_model *v = &s->v[i];
	unsigned int nr = s->nr_vcpus, j;
	uint64_t w = below(&c->rng, 100);

	memset(k, 0, sizeof(*k));
	k->kind = CK_CALL;
	k->notify_efd = -1;
	if (w < 22) {
		k->kind = CK_NONE;
	} else if (w < 30) {
		k->nr = CO_HC_NOP;
	} else if (w < 34) {
		k->nr = CO_HC_WALLCLOCK;
		k->kind = CK_WALL;
	} else if (w < 44) {
		k->nr = CO_HC_NOTIFY;
		k->a[0] = chance(&c->rng, 150) ? interesting(&c->rng) : below(&c->rng, CO_MAX_DEVICES);
		k->a[1] = chance(&c->rng, 150) ? interesting(&c->rng) : below(&c->rng, CO_NOTIFY_QUEUES);
		if (k->a[0] >= CO_MAX_DEVICES || k->a[1] >= CO_NOTIFY_QUEUES) {
			k->want = -EINVAL;
		} else {
			unsigned char b = s->bound[k->a[0]][k->a[1]];

			k->want = b ? 0 : -ENOENT;
			if (b && b != BOUND_CLOSED)
				k->notify_efd = b - 1;
		}
	} else if (w < 52) {
		k->nr = CO_HC_SET_TIMER;
		k->a[0] = below(&c->rng, 3) ? 1 : 0;	/* now, or cancel */
		k->a[1] = chance(&c->rng, 250) ? interesting(&c->rng) : rnd_vector(c);
		k->want = k->a[0] && (k->a[1] < 32 || k->a[1] > 255) ? -EINVAL : 0;
	} else if (w < 58) {
		k->nr = CO_HC_SEND_IPI;
		k->a[0] = chance(&c->rng, 200) ? interesting(&c->rng) : below(&c->rng, nr);
		k->a[1] = chance(&c->rng, 200) ? interesting(&c->rng) : rnd_vector(c);
		k->want = k->a[0] >= nr || k->a[1] < 32 || k->a[1] > 255 ? -EINVAL : 0;
	} else if (w < 63) {
		/*
		 * Our whole IDT; or refused: a bad limit, a table past the end
		 * of RAM or outside it, one with a gate on the passage's IST.
		 * While interrupts are off also a shorter table it takes,
		 * after which the vCPU has no gates (and is never made idle).
		 */
		k->nr = CO_HC_SET_IDT;
		k->a[0] = ram0(s) + G_IDT;
		k->a[1] = 4095;
		k->idt_full = 1;
		switch (below(&c->rng, 7)) {
		case 0:
			k->a[1] = interesting(&c->rng);
			if (k->a[1] <= 4095 && !((k->a[1] + 1) % 16))
				k->a[1] = 4096;
			k->want = -EINVAL;
			break;
		case 1:
			k->a[0] = ram0(s) + G_BADIDT;
			k->want = -EINVAL;
			break;
		case 2:
			k->a[0] = ram0(s) + s->info.ram[0].size - 16 * below(&c->rng, 4);
			k->want = -EINVAL;
			break;
		case 3:
			k->a[0] = 1ULL << 63 | interesting(&c->rng);
			k->want = -EINVAL;
			break;
		case 4:
			if (!v->if_on) {
				k->a[1] = 16 * (1 + below(&c->rng, 255)) - 1;
				k->idt_full = 0;
			}
			break;
		default:
			break;
		}
	} else if (w < 66) {
		k->nr = CO_HC_SET_STACKS;
		for (j = 0; j < 4; j++)
			k->a[j] = GUEST_VA + G_STACK + 0x400 * (1 + below(&c->rng, 64));
		if (chance(&c->rng, 400))
			k->a[below(&c->rng, 4)] = 0x0100000000000000ULL;
		k->want = 0;
		for (j = 0; j < 4; j++)
			if (!canonical(s, k->a[j]))
				k->want = -EINVAL;
	} else if (w < 74) {
		k->kind = CK_DCALL;
		k->nr = CO_HC_DAEMON_CALL;
		for (j = 0; j < 4; j++)
			k->a[j] = chance(&c->rng, 500) ? interesting(&c->rng) : rnd(&c->rng);
	} else if (w < 77 && v->idt) {
		k->kind = CK_BLOCK;
		k->nr = CO_HC_IDLE;
#ifdef CO_HC_HALT
		if (chance(&c->rng, 300))
			k->nr = CO_HC_HALT;
#endif
	} else if (w < 86) {
		k->nr = CO_HC_VCPU_UP;
		j = (unsigned int)below(&c->rng, nr);
		k->a[0] = j;
		k->a[1] = GUEST_VA + G_CODE;
		k->a[2] = GUEST_VA + G_STACK + 0x400 * (j + 1);
		k->a[3] = GUEST_VA + G_BLOCK + 0x80 * j;
		switch (below(&c->rng, 6)) {
		case 0:
			k->a[0] = chance(&c->rng, 500) ? nr : interesting(&c->rng);
			if (k->a[0] < nr) {	/* still a vCPU: its own stack and mailbox */
				k->a[2] = GUEST_VA + G_STACK + 0x400 * (k->a[0] + 1);
				k->a[3] = GUEST_VA + G_BLOCK + 0x80 * k->a[0];
			}
			break;
		case 1: k->a[1 + below(&c->rng, 2)] = 0x0100000000000000ULL; break;
		default: break;
		}
		if (k->a[0] >= nr || k->a[0] == i || !canonical(s, k->a[1]) ||
		    !canonical(s, k->a[2]))
			k->want = -EINVAL;
		else if (s->v[k->a[0]].up)
			k->want = -EBUSY;
		else
			k->want = 0;
	} else if (w < 89) {
		k->nr = chance(&c->rng, 500) ? CO_HC_COUNT + below(&c->rng, 64) :
			CO_HC_COUNT + interesting(&c->rng);
		if (k->nr < CO_HC_COUNT)
			k->nr = ~0ULL;
		k->want = -ENOSYS;
#ifdef CO_HC_KICK
	} else if (w < 92) {
		k->nr = CO_HC_KICK;
		k->a[0] = chance(&c->rng, 200) ? interesting(&c->rng) : below(&c->rng, nr);
		k->want = k->a[0] >= nr ? -EINVAL : 0;
#endif
#ifdef CO_HC_SET_STEAL_TIME
	} else if (w < 95) {
		k->nr = CO_HC_SET_STEAL_TIME;
		k->a[0] = ram0(s) + G_STEAL + 64 * i;
		switch (below(&c->rng, 5)) {
		case 0: k->a[0] = 0; break;
		case 1: k->a[0] += 1 + below(&c->rng, 63); break;
		case 2: k->a[0] = interesting(&c->rng) & ~63ULL; break;
		default: break;
		}
		/* The host writes there: never over the guest's own pages. */
		if (k->a[0] && k->a[0] - ram0(s) < G_SPAN && k->a[0] != ram0(s) + G_STEAL + 64 * i)
			k->a[0] = 1ULL << 62;
		k->want = !k->a[0] || (!(k->a[0] % CO_STEAL_TIME_ALIGN) &&
				       in_ram(s, k->a[0], sizeof(struct co_steal_time))) ? 0 : -EINVAL;
#endif
	} else if (w < 97) {
		k->kind = CK_CALL;
		k->nr = CO_HC_NOP;
	} else if (!chance(&c->rng, c->race ? 30 : 15)) {
		/*
		 * Guests die rarely: a new VM costs an allocation and the
		 * clearing of 128 MiB, seconds under TCG.
		 */
		k->nr = CO_HC_NOP;
	} else if (w < 99) {
		k->kind = CK_POWEROFF;
		k->nr = CO_HC_POWEROFF;
		k->a[0] = chance(&c->rng, 500) ? below(&c->rng, 256) : interesting(&c->rng);
	} else {
		k->kind = CK_CRASH;
		k->nr = CO_HC_CRASH;
		k->a[0] = rnd(&c->rng);
		k->a[1] = ram0(s) + G_MSG;
		k->a[2] = 1 + below(&c->rng, CO_CRASH_MSG_MAX);
		if (chance(&c->rng, 400))
			k->a[1 + below(&c->rng, 2)] = interesting(&c->rng);
		if (k->a[2] && k->a[2] <= CO_CRASH_MSG_MAX && in_ram(s, k->a[1], k->a[2])) {
			k->crash_gpa = k->a[1];
			k->crash_len = k->a[2];
		}
	}
}

/* The model's consequences of a command the guest will make. */
static void apply_cmd(struct session *s, unsigned int i, const struct cmd *k)
{
	if (k->nr == CO_HC_SET_IDT && !k->want)
		s->v[i].idt = k->idt_full;
	if (k->nr == CO_HC_VCPU_UP && !k->want) {
		s->v[k->a[0]].up = 1;
		s->v[k->a[0]].idt = s->v[i].idt;
	}
	if (k->nr == CO_HC_NOTIFY && !k->want)
		s->v[i].notifies++;
	if (k->nr == CO_HC_IDLE)
		s->v[i].if_on = 1;
}

static const char *exit_name(unsigned int r)
{
	static const char *const n[] = { "NONE", "DAEMON_CALL", "POWEROFF", "CRASH",
					 "FAULT", "INTR" };

	return r < 6 ? n[r] : "?";
}

/*
 * What a default exit says about the guest: the call it finished last and
 * its result, and the counters of the run record against the guest's own.
 */
static void check_default_exit(struct ctx *c, struct session *s, unsigned int i,
			       const struct cmd *k, int64_t t_before, int64_t t_after)
{
	struct vcpu_model *v = &s->v[i];
	volatile struct gblock *b = gblock(s, i);
	struct co_run *run = v->run;
	uint64_t done = b->done_seq;
	int64_t res = (int64_t)b->result;

	if (run->u.call.op || run->u.call.arg[0] || run->u.call.arg[1])
		fail(c, "vCPU %u: daemon call %#llx op %#llx args %#llx %#llx, not the guest's",
		     i, (unsigned long long)run->u.call.device,
		     (unsigned long long)run->u.call.op,
		     (unsigned long long)run->u.call.arg[0],
		     (unsigned long long)run->u.call.arg[1]);
	if (run->stats.hypercalls != b->count + 1)
		fail(c, "vCPU %u: stats.hypercalls %llu, the guest made %llu",
		     i, (unsigned long long)run->stats.hypercalls,
		     (unsigned long long)b->count + 1);
	if (run->stats.injections != b->irqs)
		fail(c, "vCPU %u: stats.injections %llu, the guest took %llu",
		     i, (unsigned long long)run->stats.injections,
		     (unsigned long long)b->irqs);
	if (run->stats.notifies != v->notifies)
		fail(c, "vCPU %u: stats.notifies %llu, expected %llu", i,
		     (unsigned long long)run->stats.notifies,
		     (unsigned long long)v->notifies);
	if (run->stats.entries < v->entries)
		fail(c, "vCPU %u: stats.entries went back from %llu to %llu", i,
		     (unsigned long long)v->entries,
		     (unsigned long long)run->stats.entries);
	v->entries = run->stats.entries;
	if (run->regs.rbp != GUEST_VA + G_BLOCK + 0x80 * i ||
	    run->regs.rip - (GUEST_VA + G_CODE) > (uint64_t)(fuzz_guest_end - fuzz_guest))
		fail(c, "vCPU %u: registers at the exit: rip %#llx rbp %#llx", i,
		     (unsigned long long)run->regs.rip, (unsigned long long)run->regs.rbp);
	if (v->unsure) {
		v->unsure = 0;
		return;
	}
	if (k && k->kind != CK_NONE) {
		if (done != s->seq) {
			fail(c, "vCPU %u: the guest's last call is #%llu, expected #%llu (hypercall %llu)",
			     i, (unsigned long long)done, (unsigned long long)s->seq,
			     (unsigned long long)k->nr);
			return;
		}
		if (k->kind == CK_WALL) {
			if (res < t_before - 1000000000LL || res > t_after + 1000000000LL)
				fail(c, "vCPU %u: WALLCLOCK %lld, not between %lld and %lld",
				     i, (long long)res, (long long)t_before, (long long)t_after);
		} else if (k->kind == CK_BLOCK) {
			if (res)
				fail(c, "vCPU %u: %s returned %lld", i,
				     k->nr == CO_HC_IDLE ? "IDLE" : "HALT", (long long)res);
		} else if (res != k->want) {
			fail(c, "vCPU %u: hypercall %llu (%#llx, %#llx, %#llx, %#llx) returned %lld, expected %lld",
			     i, (unsigned long long)k->nr, (unsigned long long)k->a[0],
			     (unsigned long long)k->a[1], (unsigned long long)k->a[2],
			     (unsigned long long)k->a[3], (long long)res, (long long)k->want);
		}
		if (k->notify_efd >= 0 && res == 0) {
			uint64_t n = 0;

			if (read(s->efd[k->notify_efd], &n, 8) != 8 || !n)
				fail(c, "vCPU %u: NOTIFY returned 0 but its eventfd was not signalled", i);
		}
	} else if (done != v->inflight_seq || res != v->inflight_result) {
		fail(c, "vCPU %u: the guest's last call #%llu returned %lld, expected #%llu with %lld (the daemon's result)",
		     i, (unsigned long long)done, (long long)res,
		     (unsigned long long)v->inflight_seq, (long long)v->inflight_result);
	}
}

/*
 * One RUN of vCPU i with the command k (NULL: none), imm: with
 * immediate_exit.  The model says what RUN returns and what its run record
 * holds; a wait the model knows of (a vCPU not started yet, IDLE) ends with
 * this thread's timer.
 */
static void run_cmd(struct ctx *c, struct session *s, unsigned long i, struct cmd *k, int imm)
{
	struct vcpu_model *v = i < CO_MAX_VCPUS ? &s->v[i] : NULL;
	unsigned int want, exits = 0;
	int may_block = 0, err, wrote = 0;
	int64_t t_before, t_after, answer;
	int answers;
	struct co_run *run;

	/* Drawn whatever RUN returns: the seed's sequence must not fork. */
	answers = chance(&c->rng, 800);
	answer = (int64_t)rnd(&c->rng);
	if (!s->vm) {
		want = RS_ENXIO;
	} else if (i >= s->nr_vcpus) {
		want = RS_EINVAL;
	} else if (i == 0 && !s->regs_set) {
		want = RS_EINVAL;
	} else if (imm) {
		want = RS_EINTR | (s->dead ? RS_ESHUTDOWN : 0);
	} else if (s->dead) {
		want = RS_ESHUTDOWN;
	} else if (s->chaos) {
		want = RS_OK | RS_EINTR | RS_ESHUTDOWN;
		may_block = 1;
	} else if (!v->up) {
		want = RS_EINTR;		/* it waits to be started */
		may_block = 1;
	} else {
		want = RS_OK;
		/*
		 * A signal stopped it before it took its last IDLE or HALT,
		 * maybe: it may still take it now.
		 */
		if (v->unsure || (k && k->kind == CK_BLOCK)) {
			want |= RS_EINTR;
			may_block = 1;
		}
		if (k && k->kind == CK_BLOCK) {
			/*
			 * A vector pending first, so that IDLE and HALT return
			 * at once: whether a signal lands before or after the
			 * guest went to sleep would fork the seed's sequence.
			 * (Sleeps that signals end: unstarted vCPUs, racers.)
			 */
			struct co_irq irq = { .vector = 32 + (unsigned int)((uint64_t)answer >> 8) % 224,
					      .vcpu = (unsigned int)i };

			err = do_ioctl(c, OP_IRQ, s->fd, CO_IOC_IRQ, (uintptr_t)&irq, irq.vector);
			check(c, OP_IRQ, err, RS_OK, "(vector %u before a sleep of vCPU %lu)",
			      irq.vector, i);
		}
		if (k && k->kind != CK_NONE) {
			volatile struct gblock *b = gblock(s, (unsigned int)i);

			b->a[0] = k->a[0];
			b->a[1] = k->a[1];
			b->a[2] = k->a[2];
			b->a[3] = k->a[3];
			b->seq = ++s->seq;
			b->nr = k->nr;
			wrote = 1;
			apply_cmd(s, (unsigned int)i, k);
		}
	}
	run = s->vm && i < s->nr_vcpus ? v->run : NULL;
	if (imm && run)
		run->immediate_exit = 1;
	if (may_block)
		timer_arm(c, s->chaos ? 10 : v && !v->up ? 1 : 50);
	t_before = realtime_ns();
	err = do_ioctl(c, OP_RUN, s->fd, CO_IOC_RUN, i,
		       i << 16 | (k ? k->nr & 0xff : 0xff) << 8 | (unsigned int)imm);
	t_after = realtime_ns();
	if (may_block)
		timer_disarm(c);
	if (imm && run)
		run->immediate_exit = 0;
	check(c, OP_RUN, err, want, "of vCPU %lu (of %u, hypercall %lld, immediate_exit %d, chaos %d)",
	      i, s->vm ? s->nr_vcpus : 0, k && k->kind ? (long long)k->nr : -1LL, imm,
	      s->chaos);
	/* A racer's record may already be another thread's RUN's. */
	if (!run || (err && err != EINTR) || c->race)
		return;
	if (err == EINTR) {
		if (run->exit_reason != CO_EXIT_INTR)
			fail(c, "RUN of vCPU %lu: EINTR with exit reason %s", i,
			     exit_name(run->exit_reason));
		if (!imm && v->up)
			v->unsure = 1;
		return;
	}
	if (i == 0)
		s->started = 1;
	exits = run->exit_reason;
	atomic_fetch_add(&sh->exits[exits < 8 ? exits : 7], 1);
	if (exits == CO_EXIT_POWEROFF || exits == CO_EXIT_CRASH || exits == CO_EXIT_FAULT)
		s->dead = 1;
	if (s->chaos) {
		if (exits < CO_EXIT_DAEMON_CALL || exits > CO_EXIT_FAULT)
			fail(c, "RUN of vCPU %lu: exit reason %u", i, exits);
		if (exits == CO_EXIT_DAEMON_CALL)
			run->u.call.result = answer;
		return;
	}
	if (exits == CO_EXIT_FAULT) {
		fail(c, "RUN of vCPU %lu: the host stopped the guest: vector %u, error %#llx: %.*s",
		     i, run->u.fault.vector, (unsigned long long)run->u.fault.error_code,
		     CO_FAULT_REASON_LEN, run->u.fault.reason);
		return;
	}
	switch (wrote ? k->kind : CK_NONE) {
	case CK_POWEROFF:
		if (exits != CO_EXIT_POWEROFF || run->u.poweroff.status != k->a[0])
			fail(c, "vCPU %lu: POWEROFF(%#llx) came back as %s (status %#llx)", i,
			     (unsigned long long)k->a[0], exit_name(exits),
			     (unsigned long long)run->u.poweroff.status);
		return;
	case CK_CRASH:
		if (exits != CO_EXIT_CRASH || run->u.crash.code != k->a[0] ||
		    run->u.crash.msg_gpa != k->crash_gpa || run->u.crash.msg_len != k->crash_len)
			fail(c, "vCPU %lu: CRASH(%#llx, %#llx, %llu) came back as %s (%#llx, %#llx, %llu)",
			     i, (unsigned long long)k->a[0], (unsigned long long)k->a[1],
			     (unsigned long long)k->a[2], exit_name(exits),
			     (unsigned long long)run->u.crash.code,
			     (unsigned long long)run->u.crash.msg_gpa,
			     (unsigned long long)run->u.crash.msg_len);
		return;
	case CK_DCALL:
		if (exits != CO_EXIT_DAEMON_CALL || run->u.call.device != k->a[0] ||
		    run->u.call.op != k->a[1] || run->u.call.arg[0] != k->a[2] ||
		    run->u.call.arg[1] != k->a[3] || run->u.call.result != -EIO)
			fail(c, "vCPU %lu: DAEMON_CALL(%#llx, %#llx, %#llx, %#llx) came back as %s (%#llx, %#llx, %#llx, %#llx, result %lld)",
			     i, (unsigned long long)k->a[0], (unsigned long long)k->a[1],
			     (unsigned long long)k->a[2], (unsigned long long)k->a[3],
			     exit_name(exits), (unsigned long long)run->u.call.device,
			     (unsigned long long)run->u.call.op,
			     (unsigned long long)run->u.call.arg[0],
			     (unsigned long long)run->u.call.arg[1],
			     (long long)run->u.call.result);
		v->inflight_seq = s->seq;
		break;
	default:
		if (exits != CO_EXIT_DAEMON_CALL || run->u.call.device != EXIT_DEVICE) {
			fail(c, "vCPU %lu: came back with %s (device %#llx), expected its daemon call",
			     i, exit_name(exits), (unsigned long long)run->u.call.device);
			return;
		}
		check_default_exit(c, s, (unsigned int)i, wrote ? k : NULL, t_before, t_after);
		v->inflight_seq = 0;
		break;
	}
	/* The daemon's answer, or none: the guest then gets -EIO. */
	v->inflight_result = -EIO;
	if (answers) {
		v->inflight_result = answer;
		run->u.call.result = answer;
	}
}

static void op_run(struct ctx *c, struct session *s)
{
	unsigned long i;
	struct cmd k, *kp = NULL;
	int imm = 0;

	if (!s->vm || chance(&c->rng, 50)) {
		static const unsigned long bad[] = { 64, 65, 1UL << 32, ~0UL, 1000 };

		i = chance(&c->rng, 500) ? bad[below(&c->rng, 5)] : below(&c->rng, 70);
	} else if (chance(&c->rng, 150)) {
		i = below(&c->rng, s->nr_vcpus);
	} else {
		unsigned int up[CO_MAX_VCPUS], n = 0, j;

		for (j = 0; j < s->nr_vcpus; j++)
			if (s->v[j].up)
				up[n++] = j;
		i = n ? up[below(&c->rng, n)] : 0;
	}
	if (s->vm && i < s->nr_vcpus && chance(&c->rng, 40))
		imm = 1;
	/*
	 * No new command while a signal may have stopped the vCPU before its
	 * last one: that one is still in the mailbox, and the model counted it.
	 */
	if (s->vm && i < s->nr_vcpus && s->v[i].up && !s->v[i].unsure && !s->dead &&
	    !s->chaos && !imm && (i || s->regs_set)) {
		pick_cmd(c, s, (unsigned int)i, &k);
		kp = &k;
	}
	run_cmd(c, s, i, kp, imm);
}

/* CREATE_VM: valid sizes and vCPU counts, or one field off. */
static void op_create(struct ctx *c, struct session *s)
{
	static const uint64_t bad_ram[] = {
		0, 1, 4096, 64 * MIB, 100 * MIB, 127 * MIB, 128 * MIB + 4096,
		192 * MIB, (64ULL << 30) + 128 * MIB, 1ULL << 63, ~0ULL,
		~0ULL - 128 * MIB + 1,
	};
	struct co_vm_create req, *p;
	uint64_t kind, field = 99, w = below(&c->rng, 100);
	unsigned int errs = 0;
	int err;

	req.ram_bytes = chance(&c->rng, 100) ? 256 * MIB : 128 * MIB;
	req.flags = 0;
	req.nr_vcpus = w < 40 ? 1 : w < 70 ? 2 : w < 90 ? 3 + (unsigned int)below(&c->rng, 2) :
		       w < 96 ? 1 + (unsigned int)below(&c->rng, CO_MAX_VCPUS) : CO_MAX_VCPUS;
	if (chance(&c->rng, s->vm ? 500 : 350)) {
		field = below(&c->rng, 3);
		if (field == 0)
			req.ram_bytes = bad_ram[below(&c->rng, sizeof(bad_ram) / 8)];
		else if (field == 1)
			req.flags = (uint32_t)interesting(&c->rng) | 1;
		else if (chance(&c->rng, 500))
			req.nr_vcpus = 0;
		else
			req.nr_vcpus = CO_MAX_VCPUS + 1 + (uint32_t)below(&c->rng, 0xffffffffU - CO_MAX_VCPUS);
	}
	p = arg_ptr(&c->rng, &req, sizeof(req), 0, 100, &kind);
	if (kind != 99)
		errs |= RS_EFAULT;
	else if (field != 99)
		errs |= RS_EINVAL;
	if (s->vm)
		errs |= RS_EEXIST;
	err = do_ioctl(c, OP_CREATE, s->fd, CO_IOC_CREATE_VM, (uintptr_t)p,
		       kind << 56 | field << 48 | (uint64_t)req.nr_vcpus << 32 |
		       req.ram_bytes / MIB);
	check(c, OP_CREATE, err, errs ? errs : RS_OK | RS_ENOMEM | RS_ENOSPC | RS_EADDRINUSE,
	      "(%llu bytes, flags %#x, %u vCPUs, pointer kind %llu)",
	      (unsigned long long)req.ram_bytes, req.flags, req.nr_vcpus,
	      (unsigned long long)kind);
	if (err || s->vm || c->race)
		return;
	atomic_fetch_add(&sh->vms, 1);
	s->vm = 1;
	s->nr_vcpus = req.nr_vcpus;
	s->ram_bytes = req.ram_bytes;
}

/* After CREATE_VM: learn the layout, map what the guest needs, write it. */
static int session_setup(struct ctx *c, struct session *s)
{
	struct co_vm_create req = { .ram_bytes = s->ram_bytes, .nr_vcpus = s->nr_vcpus };
	unsigned int i;
	int err;

	err = do_ioctl(c, OP_INFO, s->fd, CO_IOC_GET_INFO, (uintptr_t)&s->info, 0);
	if (!check(c, OP_INFO, err, RS_OK, "after CREATE_VM") || err)
		return -1;
	check_info(c, &s->info, &req);
	s->ram = do_mmap(c, s->fd, G_SPAN, PROT_READ | PROT_WRITE, MAP_SHARED,
			 CO_MMAP_RAM_OFFSET, &err);
	if (!check(c, OP_MMAP, err, RS_OK, "of the guest's 2 MiB") || !s->ram)
		return -1;
	for (i = 0; i < s->nr_vcpus; i++) {
		s->v[i].run = do_mmap(c, s->fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
				      CO_MMAP_RUN(i), &err);
		if (!check(c, OP_MMAP, err, RS_OK, "of vCPU %u's run record", i) || !s->v[i].run)
			return -1;
		s->v[i].inflight_result = 0;	/* its mailbox is zeroed */
	}
	guest_install(s);
	return 0;
}

static void session_open(struct ctx *c, struct session *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->fd = do_open(c);
	for (i = 0; i < NR_EFD; i++)
		s->efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->budget = 20000 + below(&c->rng, 60000);
}

static void unmap_all(struct ctx *c, struct session *s)
{
	unsigned int i;

	while (s->nr_extra) {
		do_munmap(c, s->extra[0].addr, s->extra[0].len);
		forget_extra(s, 0);
	}
	for (i = 0; i < s->nr_vcpus; i++)
		if (s->v[i].run) {
			do_munmap(c, s->v[i].run, PAGE);
			s->v[i].run = NULL;
		}
	if (s->ram) {
		do_munmap(c, s->ram, G_SPAN);
		s->ram = NULL;
	}
}

/*
 * The end of a session, three ways: plain; the file closed first while
 * its mappings keep the VM (whose RAM must still be there); or a child
 * that inherited the file drops the last reference as it exits.  In every
 * case the module must give back exactly the VM's RAM.
 */
static void session_close(struct ctx *c, struct session *s)
{
	long before = ram_pages(), gone = s->vm ? (long)(s->ram_bytes / PAGE) : 0;
	unsigned int i, how = (unsigned int)below(&c->rng, 10);
	pid_t pid = -1;
	int go[2] = { -1, -1 };

	if (how == 0 && s->ram) {
		do_close(c, s->fd);
		expect_ram_pages(c, before, "the file closed, its mappings left");
		if (memcmp(s->ram + G_CODE, fuzz_guest, (size_t)(fuzz_guest_end - fuzz_guest)))
			fail(c, "guest RAM changed under a mapping after close");
		unmap_all(c, s);
	} else if (how == 1 && s->vm && pipe(go) == 0) {
		pid = fork();
		if (pid == 0) {
			char x;

			/* Wait until the parent let go: then ours is the last reference. */
			if (read(go[0], &x, 1) != 1)
				_exit(5);
			if (s->nr_vcpus && s->v[0].run && s->regs_set) {
				s->v[0].run->immediate_exit = 1;
				if (ioctl(s->fd, CO_IOC_RUN, 0) == 0 ||
				    (errno != EINTR && errno != ESHUTDOWN))
					_exit(6);
				atomic_fetch_add(&sh->calls, 1);
			}
			_exit(0);
		}
		atomic_fetch_add(&sh->forks, 1);
		unmap_all(c, s);
		do_close(c, s->fd);
		expect_ram_pages(c, before, "the parent let go, the child holds the file");
		if (write(go[1], "x", 1) != 1)
			fail(c, "pipe to the child");
	} else {
		unmap_all(c, s);
		do_close(c, s->fd);
	}
	if (pid > 0) {
		int status;

		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail(c, "the child holding the last reference: status %#x", status);
		close(go[0]);
		close(go[1]);
	}
	if (before >= 0)
		expect_ram_pages(c, before - gone, "after the last reference went");
	for (i = 0; i < NR_EFD; i++)
		close(s->efd[i]);
	s->fd = -1;
}

/*
 * fork with the file open: the child shares the VM (GET_INFO, IRQ and a RUN
 * stopped by immediate_exit work), keeps the run record mappings, but not
 * guest RAM (the module makes RAM mappings VM_DONTCOPY: touching it must
 * fault).
 */
static void op_fork(struct ctx *c, struct session *s)
{
	pid_t pid;
	int status;

	if (!s->vm || !s->ram)
		return;
	atomic_fetch_add(&sh->forks, 1);
	pid = fork();
	if (pid == 0) {
		struct co_vm_info info;
		struct co_irq irq = { .vector = 0x40, .vcpu = 0 };

		signal(SIGSEGV, SIG_DFL);
		if (ioctl(s->fd, CO_IOC_GET_INFO, &info) || memcmp(&info, &s->info, sizeof(info)))
			_exit(10);
		if (ioctl(s->fd, CO_IOC_IRQ, &irq))
			_exit(11);
		atomic_fetch_add(&sh->calls, 2);
		if (s->regs_set && s->v[0].run) {
			s->v[0].run->immediate_exit = 1;
			if (ioctl(s->fd, CO_IOC_RUN, 0) == 0 ||
			    (errno != EINTR && errno != ESHUTDOWN))
				_exit(12);
			s->v[0].run->immediate_exit = 0;
			atomic_fetch_add(&sh->calls, 1);
		}
		(void)*(volatile unsigned char *)s->ram;
		_exit(13);
	}
	if (pid < 0)
		return;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
		fail(c, "fork: the child ended with status %#x (10-12: a call failed, 13: guest RAM was inherited)",
		     status);
}

/* An eventfd closed while bound: the binding keeps it alive (NOTIFY: 0). */
static void op_swap_eventfd(struct ctx *c, struct session *s)
{
	unsigned int k = (unsigned int)below(&c->rng, NR_EFD), d, q;

	close(s->efd[k]);
	s->efd[k] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	for (d = 0; d < CO_MAX_DEVICES; d++)
		for (q = 0; q < CO_NOTIFY_QUEUES; q++)
			if (s->bound[d][q] == k + 1)
				s->bound[d][q] = BOUND_CLOSED;
}

/*
 * CREATE_VM, and when it made a VM: GET_INFO, the mappings, the guest, and
 * usually the start every daemon makes (SET_REGS, then the guest's IDT).
 */
static void create_step(struct ctx *c, struct session *s)
{
	struct co_regs regs;
	struct cmd k = { .kind = CK_CALL, .nr = CO_HC_SET_IDT, .notify_efd = -1,
			 .idt_full = 1 };
	int had = s->vm, err;

	op_create(c, s);
	if (had || !s->vm)
		return;
	if (session_setup(c, s)) {
		fail(c, "could not set up a new VM");
		s->dead = 1;
		return;
	}
	if (!chance(&c->rng, 900))
		return;
	valid_regs(c, s, &regs);
	err = do_ioctl(c, OP_SETREGS, s->fd, CO_IOC_SET_REGS, (uintptr_t)&regs, 0);
	if (check(c, OP_SETREGS, err, RS_OK, "of a new VM") && !err) {
		s->regs_set = 1;
		s->v[0].up = 1;
		k.a[0] = ram0(s) + G_IDT;
		k.a[1] = 4095;
		run_cmd(c, s, 0, &k, 0);
	}
}

/* One call on a session, chosen by weight. */
static void session_step(struct ctx *c, struct session *s)
{
	uint64_t w = below(&c->rng, 1000);

	if (!s->vm && chance(&c->rng, 250)) {
		create_step(c, s);
		return;
	}
	/*
	 * Weights after the cost of each call under TCG: RUN about 0.5 ms,
	 * SET_NOTIFY 1-4 ms (a rebinding waits for RCU), mmap and munmap
	 * 0.1-0.3 ms, the others 10-50 us.
	 */
	if (w < 160)
		op_run(c, s);
	else if (w < 410)
		op_irq(c, s);
	else if (w < 425)
		op_notify(c, s);
	else if (w < 535)
		op_info(c, s);
	else if (w < 605)
		op_version(c, s);
	else if (w < 695)
		op_setregs(c, s);
	else if (w < 755)
		create_step(c, s);
	else if (w < 950)
		op_badcmd(c, s);
	else if (w < 990)
		op_mmap(c, s);
	else if (w < 993)
		op_swap_eventfd(c, s);
	else if (w < 995)
		op_fork(c, s);
	else if (s->nr_extra) {
		unsigned int i = (unsigned int)below(&c->rng, s->nr_extra);

		do_munmap(c, s->extra[i].addr, s->extra[i].len);
		forget_extra(s, i);
	}
}

/* ---- a complete, valid VM: the module still works ---- */

static void sanity_vm(struct ctx *c, const char *when)
{
	unsigned long failures = atomic_load(&sh->failures);
	long before = ram_pages();
	struct co_vm_create req = { .ram_bytes = 128 * MIB, .nr_vcpus = 2 };
	struct session *s = calloc(1, sizeof(*s));
	struct co_notify nt;
	struct co_irq irq = { .vector = 0x50, .vcpu = 0 };
	struct co_regs regs;
	struct cmd k;
	struct rng saved = c->rng;
	int err, race = c->race;

	/* Its own PRNG: the sequence around it stays the seed's. */
	c->rng.s = 0x5a5a5a5a;
	c->race = 0;
	session_open(c, s);
	err = do_ioctl(c, OP_CREATE, s->fd, CO_IOC_CREATE_VM, (uintptr_t)&req, 0);
	if (!check(c, OP_CREATE, err, RS_OK, "of the sanity VM (%s)", when) || err)
		goto out;
	s->vm = 1;
	s->nr_vcpus = 2;
	s->ram_bytes = req.ram_bytes;
	if (session_setup(c, s))
		goto out;
	nt = (struct co_notify){ .device = 3, .queue = 1, .fd = s->efd[0] };
	err = do_ioctl(c, OP_NOTIFY, s->fd, CO_IOC_SET_NOTIFY, (uintptr_t)&nt, 0);
	check(c, OP_NOTIFY, err, RS_OK, "of the sanity VM");
	s->bound[3][1] = 1;
	valid_regs(c, s, &regs);
	err = do_ioctl(c, OP_SETREGS, s->fd, CO_IOC_SET_REGS, (uintptr_t)&regs, 0);
	check(c, OP_SETREGS, err, RS_OK, "of the sanity VM");
	s->regs_set = 1;
	s->v[0].up = 1;
	k = (struct cmd){ .kind = CK_CALL, .nr = CO_HC_SET_IDT, .a = { ram0(s) + G_IDT, 4095 },
			  .notify_efd = -1, .idt_full = 1 };
	run_cmd(c, s, 0, &k, 0);
	k = (struct cmd){ .kind = CK_CALL, .nr = CO_HC_NOTIFY, .a = { 3, 1 }, .notify_efd = 0 };
	run_cmd(c, s, 0, &k, 0);
	err = do_ioctl(c, OP_IRQ, s->fd, CO_IOC_IRQ, (uintptr_t)&irq, 0);
	check(c, OP_IRQ, err, RS_OK, "of the sanity VM");
	/* A vector is pending: IDLE returns at once (no timer), and it is taken. */
	k = (struct cmd){ .kind = CK_CALL, .nr = CO_HC_IDLE, .notify_efd = -1 };
	run_cmd(c, s, 0, &k, 0);
	if (gblock(s, 0)->irqs != 1)
		fail(c, "sanity VM: the guest took %llu interrupts, expected 1",
		     (unsigned long long)gblock(s, 0)->irqs);
	k = (struct cmd){ .kind = CK_CALL, .nr = CO_HC_VCPU_UP,
			  .a = { 1, GUEST_VA + G_CODE, GUEST_VA + G_STACK + 0x800,
				 GUEST_VA + G_BLOCK + 0x80 }, .notify_efd = -1 };
	run_cmd(c, s, 0, &k, 0);
	run_cmd(c, s, 1, NULL, 0);
	k = (struct cmd){ .kind = CK_POWEROFF, .nr = CO_HC_POWEROFF, .a = { 42 }, .notify_efd = -1 };
	run_cmd(c, s, 1, &k, 0);
	run_cmd(c, s, 0, NULL, 0);
	run_cmd(c, s, 1, NULL, 0);
	if (!s->dead)
		fail(c, "sanity VM: the guest did not power off");
out:
	unmap_all(c, s);
	do_close(c, s->fd);
	for (err = 0; err < NR_EFD; err++)
		close(s->efd[err]);
	if (before >= 0)
		expect_ram_pages(c, before, "after the sanity VM");
	free(s);
	c->rng = saved;
	c->race = race;
	if (atomic_load(&sh->failures) != failures)
		printf("ioctl-fuzz: the valid sequence FAILED %s\n", when);
}

/* ---- phase 1: one thread, reproducible ---- */

#define MAX_SESSIONS 2

static int out_of_budget(unsigned long calls, uint64_t until)
{
	return atomic_load(&sh->stop) || atomic_load(&sh->calls) >= calls || now_ms() >= until;
}

static void single_phase(struct ctx *c, unsigned long calls, uint64_t until)
{
	struct session *s = calloc(MAX_SESSIONS, sizeof(*s));
	unsigned int i, live = 0;
	int draw;

	for (i = 0; i < MAX_SESSIONS; i++)
		s[i].fd = -1;
	while (!out_of_budget(calls, until)) {
		struct session *cur;

		if (live == 0 || (live < MAX_SESSIONS && chance(&c->rng, 2))) {
			for (i = 0; s[i].fd >= 0; i++)
				;
			session_open(c, &s[i]);
			live++;
		}
		for (i = (unsigned int)below(&c->rng, MAX_SESSIONS); s[i].fd < 0;
		     i = (i + 1) % MAX_SESSIONS)
			;
		cur = &s[i];
		session_step(c, cur);
		draw = chance(&c->rng, 1);
		if (!cur->budget-- || (cur->dead && draw)) {
			session_close(c, cur);
			live--;
		}
	}
	for (i = 0; i < MAX_SESSIONS; i++)
		if (s[i].fd >= 0)
			session_close(c, &s[i]);
	free(s);
}

/* ---- phase 2: threads racing on one file ---- */

struct race {
	int fd;			/* the master; closed once every racer has its dup */
	atomic_int created;	/* CREATE_VMs that succeeded: exactly one */
	atomic_int ready;	/* the guest is written and SET_REGS done */
	atomic_int dupped;
	atomic_int stop;
	unsigned int nr_vcpus;
	uint64_t ram_bytes;
	struct co_vm_info info;
};

struct racer {
	pthread_t th;
	struct ctx c;
	struct race *r;
	atomic_int done;
};

static struct racer *racers;

/* A racer's own view of the VM: its dup of the file and its own mappings. */
static void race_session_init(struct racer *t, struct session *s)
{
	struct race *r = t->r;
	unsigned int i;
	int err;

	s->vm = 1;
	s->nr_vcpus = r->nr_vcpus;
	s->ram_bytes = r->ram_bytes;
	s->info = r->info;
	if (!s->ram)
		s->ram = do_mmap(&t->c, s->fd, G_SPAN, PROT_READ | PROT_WRITE, MAP_SHARED,
				 CO_MMAP_RAM_OFFSET, &err);
	check(&t->c, OP_MMAP, s->ram ? 0 : err, RS_OK, "of a racer's RAM window");
	for (i = 0; i < s->nr_vcpus; i++) {
		s->v[i].idt = 1;	/* so that racers make IDLE too */
		s->v[i].run = do_mmap(&t->c, s->fd, PAGE, PROT_READ | PROT_WRITE,
				      MAP_SHARED, CO_MMAP_RUN(i), &err);
		check(&t->c, OP_MMAP, err, RS_OK, "of a racer's run record");
	}
}

/* A racer's RUN: any vCPU, with a command left in its mailbox, racily. */
static void race_run(struct racer *t, struct session *s)
{
	struct ctx *c = &t->c;
	unsigned long i = below(&c->rng, s->nr_vcpus + (chance(&c->rng, 30) ? 2 : 0));
	struct cmd k;
	int err;

	if (i < s->nr_vcpus && s->ram && chance(&c->rng, 700)) {
		volatile struct gblock *b = gblock(s, (unsigned int)i);

		pick_cmd(c, s, (unsigned int)i, &k);
		if (k.kind != CK_NONE) {
			b->a[0] = k.a[0];
			b->a[1] = k.a[1];
			b->a[2] = k.a[2];
			b->a[3] = k.a[3];
			b->nr = k.nr;
		}
	}
	c->run_since = now_ms();
	atomic_store(&c->in_run, 1);
	err = do_ioctl(c, OP_RUN, s->fd, CO_IOC_RUN, i, i);
	atomic_store(&c->in_run, 0);
	check(c, OP_RUN, err, RS_OK, "of vCPU %lu (racing)", i);
	if (i < s->nr_vcpus && s->v[i].run) {
		struct co_run *run = s->v[i].run;
		unsigned int e = run->exit_reason;

		if (e > CO_EXIT_INTR)
			fail(c, "vCPU %lu: exit reason %u", i, e);
		if (!err)
			atomic_fetch_add(&sh->exits[e], 1);
		if (!err && e == CO_EXIT_DAEMON_CALL && chance(&c->rng, 800))
			run->u.call.result = (int64_t)rnd(&c->rng);
		if (chance(&c->rng, 20))
			run->immediate_exit = !run->immediate_exit;
	}
}

/* The racer that won CREATE_VM writes the guest and starts vCPU 0. */
static void race_become_creator(struct racer *t, struct session *s)
{
	struct race *r = t->r;
	struct co_regs regs;
	int err;

	err = do_ioctl(&t->c, OP_INFO, s->fd, CO_IOC_GET_INFO, (uintptr_t)&r->info, 0);
	check(&t->c, OP_INFO, err, RS_OK, "by the racer that created the VM");
	s->info = r->info;
	s->nr_vcpus = r->nr_vcpus;
	s->ram = do_mmap(&t->c, s->fd, G_SPAN, PROT_READ | PROT_WRITE, MAP_SHARED,
			 CO_MMAP_RAM_OFFSET, &err);
	if (!s->ram) {
		fail(&t->c, "racer: cannot map guest RAM: %s", strerror(err));
		return;
	}
	guest_install(s);
	valid_regs(&t->c, s, &regs);
	err = do_ioctl(&t->c, OP_SETREGS, s->fd, CO_IOC_SET_REGS, (uintptr_t)&regs, 0);
	check(&t->c, OP_SETREGS, err, RS_OK, "by the racer that created the VM");
	/* Every vCPU's IDT first, so that interrupts are taken, not fatal. */
	gblock(s, 0)->a[0] = ram0(s) + G_IDT;
	gblock(s, 0)->a[1] = 4095;
	gblock(s, 0)->nr = CO_HC_SET_IDT;
	atomic_store(&r->ready, 1);
}

static void *racer_main(void *arg)
{
	struct racer *t = arg;
	struct race *r = t->r;
	struct ctx *c = &t->c;
	struct session *s = calloc(1, sizeof(*s));
	unsigned int i;
	int err;

	timer_setup(c);
	edge_setup();
	s->fd = dup(r->fd);
	atomic_fetch_add(&r->dupped, 1);
	for (i = 0; i < NR_EFD; i++)
		s->efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	/* Everyone creates the VM at once: exactly one wins. */
	{
		struct co_vm_create req = { .ram_bytes = r->ram_bytes, .nr_vcpus = r->nr_vcpus };

		err = do_ioctl(c, OP_CREATE, s->fd, CO_IOC_CREATE_VM, (uintptr_t)&req, 0);
		check(c, OP_CREATE, err, RS_OK, "(racing)");
		if (!err) {
			atomic_fetch_add(&sh->vms, 1);
			if (atomic_fetch_add(&r->created, 1) == 0)
				race_become_creator(t, s);
		} else if (err != EEXIST && err != EINTR) {
			fail(c, "racing CREATE_VM: %s", strerror(err));
		}
	}
	while (!atomic_load(&r->ready) && !atomic_load(&r->stop)) {
		/* Before the VM is there or ready: what does not need it. */
		uint64_t w = below(&c->rng, 6);

		if (w == 0)
			op_irq(c, s);
		else if (w == 1)
			op_info(c, s);
		else if (w == 2)
			op_mmap(c, s);
		else if (w == 3)
			op_notify(c, s);
		else if (w == 4)
			run_cmd(c, s, below(&c->rng, 4), NULL, 0);
		else
			op_version(c, s);
	}
	if (!atomic_load(&r->stop))
		race_session_init(t, s);
	while (!atomic_load(&r->stop) && !atomic_load(&sh->stop)) {
		uint64_t w = below(&c->rng, 1000);

		if (w < 380) {
			race_run(t, s);
		} else if (w < 500) {
			op_irq(c, s);
		} else if (w < 570) {
			op_notify(c, s);
		} else if (w < 610) {
			op_info(c, s);
		} else if (w < 630) {
			op_version(c, s);
		} else if (w < 660) {
			op_setregs(c, s);
		} else if (w < 680) {
			op_create(c, s);
		} else if (w < 710) {
			op_badcmd(c, s);
		} else if (w < 850) {
			op_mmap(c, s);
		} else if (w < 880) {
			/* Unmap our guest window while others run, map it again. */
			if (s->ram)
				do_munmap(c, s->ram, G_SPAN);
			s->ram = do_mmap(c, s->fd, G_SPAN, PROT_READ | PROT_WRITE,
					 MAP_SHARED, CO_MMAP_RAM_OFFSET, &err);
			check(c, OP_MMAP, err, RS_OK, "(racing)");
		} else if (w < 900) {
			/* A signal into another racer, wherever it is. */
			struct racer *o = &racers[below(&c->rng, opt.threads)];

			if (!atomic_load(&o->done)) {
				atomic_fetch_add(&o->c.got_signals, 1);
				pthread_kill(o->th, SIGUSR1);
				atomic_fetch_add(&sh->signals, 1);
			}
		} else if (w < 920) {
			/* Our run-record mappings go and come back. */
			unsigned int j = (unsigned int)below(&c->rng, s->nr_vcpus);

			if (s->v[j].run)
				do_munmap(c, s->v[j].run, PAGE);
			s->v[j].run = do_mmap(c, s->fd, PAGE, PROT_READ | PROT_WRITE,
					      MAP_SHARED, CO_MMAP_RUN(j), &err);
			check(c, OP_MMAP, err, RS_OK, "(racing)");
		} else if (w < 930) {
			/* An eventfd that is bound, maybe, closed under the binding. */
			unsigned int k = (unsigned int)below(&c->rng, NR_EFD);

			close(s->efd[k]);
			s->efd[k] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		} else if (w < 932) {
			/*
			 * fork with the file open: the child runs a vCPU, and
			 * dies of SIGALRM if that waits a while.
			 */
			pid_t pid = fork();

			if (pid == 0) {
				alarm(1);
				ioctl(s->fd, CO_IOC_RUN, below(&c->rng, s->nr_vcpus));
				ioctl(s->fd, CO_IOC_RUN, below(&c->rng, s->nr_vcpus));
				_exit(0);
			}
			if (pid > 0) {
				atomic_fetch_add(&sh->forks, 1);
				atomic_fetch_add(&sh->calls, 2);
				if (chance(&c->rng, 500)) {
					usleep(1000 * below(&c->rng, 20));
					kill(pid, SIGKILL);
				}
				while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
					;
			}
		} else if (w < 940) {
			/* The same file under another descriptor. */
			int nfd = dup(s->fd);

			do_close(c, s->fd);
			s->fd = nfd;
		} else {
			op_run(c, s);	/* model-less here: any index */
		}
	}
	/* Leave: whoever goes last drops the VM, maybe while others still RUN. */
	unmap_all(c, s);
	do_close(c, s->fd);
	for (i = 0; i < NR_EFD; i++)
		close(s->efd[i]);
	timer_delete(c->timer);
	munmap(edge, 2 * PAGE);
	free(s);
	atomic_store(&t->done, 1);
	return NULL;
}

static void dump_stacks(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd),
		 "for t in /proc/%d/task/*; do echo \"== $t $(cat $t/comm) $(cat $t/wchan)\"; cat $t/stack; done",
		 getpid());
	fflush(stdout);
	if (system(cmd))
		printf("(could not read the kernel stacks)\n");
}

static void race_phase(struct ctx *c, unsigned long calls, uint64_t until)
{
	unsigned int round = 0, i;

	racers = calloc(opt.threads, sizeof(*racers));
	while (!out_of_budget(calls, until)) {
		struct race r = { 0 };
		uint64_t end = now_ms() + 1000 + below(&c->rng, 3000), stuck;
		long before = ram_pages();

		r.fd = do_open(c);
		r.nr_vcpus = 1 + (unsigned int)below(&c->rng, 4);
		r.ram_bytes = 128 * MIB;
		for (i = 0; i < opt.threads; i++) {
			racers[i] = (struct racer){ .r = &r };
			racers[i].c.id = (int)(round * 100 + i + 1);
			racers[i].c.race = 1;
			racers[i].c.rng.s = opt.seed ^ (0x1000 + round * 64 + i);
			atomic_store(&racers[i].c.cur_op, -1);
			pthread_create(&racers[i].th, NULL, racer_main, &racers[i]);
		}
		while (atomic_load(&r.dupped) < (int)opt.threads)
			usleep(1000);
		/* From now on only the racers hold the file. */
		do_close(c, r.fd);
		/*
		 * The daemon's role: a signal into each RUN that has lasted
		 * 10 ms (a vCPU waiting to be started, an idle guest).
		 */
		while (now_ms() < end && !out_of_budget(calls, until)) {
			usleep(3000);
			for (i = 0; i < opt.threads; i++)
				if (atomic_load(&racers[i].c.in_run) &&
				    now_ms() - racers[i].c.run_since > 10)
					pthread_kill(racers[i].th, SIGUSR1);
		}
		atomic_store(&r.stop, 1);
		stuck = now_ms() + 30000;
		for (;;) {
			unsigned int left = 0;

			for (i = 0; i < opt.threads; i++)
				if (!atomic_load(&racers[i].done)) {
					left++;
					pthread_kill(racers[i].th, SIGUSR1);
				}
			if (!left)
				break;
			if (now_ms() > stuck) {
				printf("FAIL [seed %llu]: %u racers did not stop within 30 s (hang):\n",
				       (unsigned long long)opt.seed, left);
				for (i = 0; i < opt.threads; i++)
					if (!atomic_load(&racers[i].done))
						printf("  racer %d in %s\n", racers[i].c.id,
						       racers[i].c.cur_op >= 0 ?
						       op_name[racers[i].c.cur_op] : "user space");
				dump_stacks();
				exit(3);
			}
			usleep(2000);
		}
		for (i = 0; i < opt.threads; i++)
			pthread_join(racers[i].th, NULL);
		if (atomic_load(&r.created) > 1)
			fail(c, "race round %u: %d CREATE_VMs succeeded on one file", round,
			     atomic_load(&r.created));
		if (before >= 0)
			expect_ram_pages(c, before, "after a race round");
		if (round % 4 == 3)
			sanity_vm(c, "after a race round");
		round++;
	}
	printf("ioctl-fuzz: %u race rounds of %u threads\n", round, opt.threads);
	free(racers);
}

/* ---- the watchdog: progress lines, and a hang report ---- */

static struct ctx *single_ctx;

static void *watchdog(void *arg)
{
	unsigned long last = 0, n;
	uint64_t last_change = now_ms(), last_print = now_ms();

	(void)arg;
	for (;;) {
		sleep(1);
		n = atomic_load(&sh->calls);
		if (n != last) {
			last = n;
			last_change = now_ms();
		}
		if (now_ms() - last_print >= 10000) {
			last_print = now_ms();
			printf("ioctl-fuzz: %lu calls, %llu s\n", n,
			       (unsigned long long)(now_ms() - t0) / 1000);
			fflush(stdout);
		}
		if (now_ms() - last_change > 60000) {
			printf("FAIL [seed %llu]: no call finished for 60 s (hang); single-threaded context in %s\n",
			       (unsigned long long)opt.seed,
			       single_ctx && single_ctx->cur_op >= 0 ?
			       op_name[single_ctx->cur_op] : "user space or a racer");
			if (single_ctx)
				dump_log(single_ctx);
			dump_stacks();
			exit(3);
		}
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: ioctl-fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-j THREADS] [-r RACE_PERCENT] [--strict] DEVICE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'j' },
		{ "race", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_sigusr1 };	/* no SA_RESTART */
	struct ctx *c = calloc(1, sizeof(*c));
	unsigned long single_calls;
	uint64_t single_until, ms;
	struct co_version ver;
	pthread_t wd;
	long baseline;
	int o, fd, i, j;

	opt.seed = (uint64_t)realtime_ns() ^ ((uint64_t)getpid() << 32);
	while ((o = getopt_long(argc, argv, "s:n:t:j:r:", lopts, NULL)) != -1) {
		switch (o) {
		case 's': opt.seed = strtoull(optarg, NULL, 0); break;
		case 'n': opt.calls = strtoul(optarg, NULL, 0); break;
		case 't': opt.seconds = strtoul(optarg, NULL, 0); break;
		case 'j': opt.threads = (unsigned int)atoi(optarg); break;
		case 'r': opt.race_pct = (unsigned int)atoi(optarg); break;
		case 'S': opt.strict = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || opt.race_pct > 100)
		usage();
	if (!opt.threads)
		opt.race_pct = 0;
	dev_path = argv[optind];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ioctl-fuzz: seed %llu, %lu calls or %lu s, %u%% racing on %u threads%s\n",
	       (unsigned long long)opt.seed, opt.calls, opt.seconds, opt.race_pct,
	       opt.threads, opt.strict ? ", strict" : "");
	printf("ioctl-fuzz: reproduce the single-threaded part with: ioctl-fuzz -s %llu -n %lu -r 0 %s\n",
	       (unsigned long long)opt.seed,
	       opt.calls - opt.calls / 100 * opt.race_pct, dev_path);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	noaccess = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	edge_setup();
	rdonly = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || noaccess == MAP_FAILED || rdonly == MAP_FAILED || pipe(pipefds)) {
		perror("setup");
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ram_pages_fd = open("/sys/module/colinux/parameters/ram_pages", O_RDONLY | O_CLOEXEC);
	if (ram_pages_fd < 0)
		printf("ioctl-fuzz: no ram_pages parameter: leak checks off\n");
	baseline = ram_pages();

	fd = open(dev_path, O_RDWR);
	if (fd < 0 || ioctl(fd, CO_IOC_VERSION, &ver)) {
		perror(dev_path);
		return 2;
	}
	if (ver.abi_version != CO_ABI_VERSION) {
		printf("ioctl-fuzz: the module has ABI %u, this program %u: rebuild\n",
		       ver.abi_version, CO_ABI_VERSION);
		return 2;
	}
	close(fd);

	c->id = 0;
	c->rng.s = opt.seed;
	c->trace = 0xcbf29ce484222325ULL;
	atomic_store(&c->cur_op, -1);
	timer_setup(c);
	single_ctx = c;
	t0 = now_ms();
	pthread_create(&wd, NULL, watchdog, NULL);

	sanity_vm(c, "at the start");
	single_calls = opt.calls - opt.calls / 100 * opt.race_pct;
	single_until = t0 + opt.seconds * 10 * (100 - opt.race_pct);
	single_phase(c, single_calls, single_until);
	ms = now_ms() - t0;
	printf("ioctl-fuzz: single-threaded: %lu calls in %llu.%01llu s, trace %016llx\n",
	       c->calls, (unsigned long long)ms / 1000, (unsigned long long)ms % 1000 / 100,
	       (unsigned long long)c->trace);
	sanity_vm(c, "after the single-threaded phase");
	if (opt.race_pct && !atomic_load(&sh->stop)) {
		race_phase(c, opt.calls, t0 + opt.seconds * 1000);
		sanity_vm(c, "after the race phase");
	}
	if (baseline >= 0)
		expect_ram_pages(c, baseline, "at the end");
	ms = now_ms() - t0 + 1;

	printf("ioctl-fuzz: results per call:\n");
	for (i = 0; i < NR_OPS; i++) {
		char line[512];
		size_t n = 0;

		unsigned long total = 0;

		for (j = 0; j < NR_RES; j++) {
			unsigned long v = atomic_load(&sh->hist[i][j]);

			total += v;
			if (v)
				n += snprintf(line + n, sizeof(line) - n, " %s %lu", res_name[j], v);
		}
		if (n)
			printf("  %-13s%s (%llu us each)\n", op_name[i], line, total ?
			       (unsigned long long)atomic_load(&sh->op_ns[i]) / 1000 / total : 0ULL);
	}
	printf("ioctl-fuzz: %lu VMs, %lu forks, %lu signals, guest exits: daemon call %lu, poweroff %lu, crash %lu, fault %lu, intr %lu\n",
	       atomic_load(&sh->vms), atomic_load(&sh->forks), atomic_load(&sh->signals),
	       atomic_load(&sh->exits[1]), atomic_load(&sh->exits[2]),
	       atomic_load(&sh->exits[3]), atomic_load(&sh->exits[4]),
	       atomic_load(&sh->exits[5]));
	printf("ioctl-fuzz: %lu errors docs/abi.md does not list (ENXIO before CREATE_VM, mmap's, EINTR waiting for the setup lock)\n",
	       atomic_load(&sh->gaps));
	printf("ioctl-fuzz: seed %llu: %lu calls in %llu.%01llu s (%llu calls/s), %lu failures\n",
	       (unsigned long long)opt.seed, atomic_load(&sh->calls),
	       (unsigned long long)ms / 1000, (unsigned long long)ms % 1000 / 100,
	       (unsigned long long)atomic_load(&sh->calls) * 1000 / ms,
	       atomic_load(&sh->failures));
	return atomic_load(&sh->failures) ? 1 : 0;
}
