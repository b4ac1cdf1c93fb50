// SPDX-License-Identifier: GPL-2.0
/*
 * smpcheck: what a guest with several CPUs must get right, seen from user
 * space (tests/guest/smp.sh runs it in the guest).
 *
 *   smpcheck parallel      the same CPU-bound job in one process, then in
 *                          one process per CPU at once: both wall times
 *   smpcheck stress SECS   threads of one process on different CPUs for
 *                          SECS seconds: futex ping-pong, signals from one
 *                          thread to another, and a page another CPU has
 *                          just written made read-only or unmapped under it
 *                          (each is a TLB shootdown: an IPI the other CPU
 *                          must answer before mprotect or munmap returns,
 *                          and after which its next write must fault)
 *
 *   smpcheck bench         make bench's figures, the same here and on the
 *                          host: the CPU-bound job in one process per CPU
 *                          at once, and the futex ping-pong's round trip
 *                          between threads on CPUs 0 and 1
 *
 * Every count is checked; a failure prints what differed and exits 1.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "smpcheck: cannot pin to CPU %d: %s\n", cpu,
			strerror(errno));
		exit(1);
	}
}

/* ---- parallel ---- */

static uint64_t job(void)
{
	uint64_t x = 1, i;

	for (i = 0; i < 300000000; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

/* Wall time of n copies of job() at once, one process each. */
static double run_jobs(int n)
{
	double start = now_ms();
	int i, status, ok = 1;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			pin(i);
			_exit(job() == 42);	/* never 42: keeps the loop */
		}
		if (pid < 0) {
			perror("smpcheck: fork");
			exit(1);
		}
	}
	for (i = 0; i < n; i++)
		if (wait(&status) < 0 || !WIFEXITED(status))
			ok = 0;
	if (!ok) {
		fprintf(stderr, "smpcheck: a job did not finish\n");
		exit(1);
	}
	return now_ms() - start;
}

static int parallel(void)
{
	int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	double one = run_jobs(1), all = run_jobs(cpus);

	printf("parallel: 1 job %.0f ms, %d jobs at once %.0f ms, ratio %.2f\n",
	       one, cpus, all, all / one);
	return 0;
}

/* ---- stress ---- */

/*
 * How long the other CPU may take to answer before it counts as never:
 * a host may stop a vCPU for seconds at a time (vm/linux-smp-hold stops
 * one for 3 s of every 5, on a test host whose CPUs are busy), so only
 * far longer than that means a lost signal or IPI.
 */
#define ANSWER_MS	20000

static atomic_int stop;
static atomic_int failed;

static void fail(const char *what, long a, long b)
{
	fprintf(stderr, "stress: %s (%ld, %ld)\n", what, a, b);
	atomic_store(&failed, 1);
	atomic_store(&stop, 1);
}

static long futex(atomic_int *addr, int op, int val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

/*
 * Two threads on two CPUs hand a token back and forth through a futex.
 * Each hand-over also carries the giver's CLOCK_MONOTONIC: the taker's,
 * read after it, must not be earlier (one clock for every CPU, vDSO and
 * all, even when the CPUs' host threads move between host CPUs).
 */
static atomic_int token;
static long pings, pongs;
static atomic_llong handed_ns;

static long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Called by the token's new holder: a clock behind the giver's fails. */
static void take_clock(void)
{
	long long then = atomic_load(&handed_ns), now = mono_ns();

	if (now < then)
		fail("CLOCK_MONOTONIC went back from one CPU to the other (ns, hand-over)",
		     (long)(then - now), pings + pongs);
}

static void hand_clock(void)
{
	atomic_store(&handed_ns, mono_ns());
}

static void wait_token(int want)
{
	int seen;

	while ((seen = atomic_load(&token)) != want && !atomic_load(&stop))
		futex(&token, FUTEX_WAIT_PRIVATE, seen);
}

static void *pinger(void *arg)
{
	(void)arg;
	pin(0);
	while (!atomic_load(&stop)) {
		wait_token(0);
		if (atomic_load(&stop))
			break;
		take_clock();
		pings++;
		hand_clock();
		atomic_store(&token, 1);
		futex(&token, FUTEX_WAKE_PRIVATE, 1);
	}
	atomic_store(&token, 1);
	futex(&token, FUTEX_WAKE_PRIVATE, 1);
	return NULL;
}

static void *ponger(void *arg)
{
	(void)arg;
	pin(1);
	while (!atomic_load(&stop)) {
		wait_token(1);
		if (atomic_load(&stop))
			break;
		take_clock();
		pongs++;
		hand_clock();
		atomic_store(&token, 0);
		futex(&token, FUTEX_WAKE_PRIVATE, 1);
	}
	atomic_store(&token, 0);
	futex(&token, FUTEX_WAKE_PRIVATE, 1);
	return NULL;
}

/* One thread signals another (tgkill), one signal in flight at a time. */
static atomic_int receiver_tid;
static atomic_long signals_taken;
static long signals_sent;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&signals_taken, 1);
}

static void *receiver(void *arg)
{
	(void)arg;
	pin(1);
	atomic_store(&receiver_tid, (int)syscall(SYS_gettid));
	while (!atomic_load(&stop))
		pause();
	return NULL;
}

static void *sender(void *arg)
{
	(void)arg;
	pin(0);
	while (!atomic_load(&receiver_tid))
		sched_yield();
	while (!atomic_load(&stop)) {
		long before = atomic_load(&signals_taken);
		double deadline = now_ms() + ANSWER_MS;

		syscall(SYS_tgkill, getpid(), atomic_load(&receiver_tid), SIGUSR1);
		signals_sent++;
		while (atomic_load(&signals_taken) == before && !atomic_load(&stop))
			if (now_ms() > deadline) {
				fail("a signal to another thread never arrived",
				     signals_sent, before);
				return NULL;
			}
	}
	return NULL;
}

/*
 * The TLB: the toucher (CPU 1) writes the page, the changer (CPU 0) then
 * makes it read-only or unmaps it; the toucher's next write must fault.
 * A CPU that kept its old writable translation would write without one.
 */
enum { WRITABLE = 1, READ_ONLY, UNMAPPED };
static atomic_int tlb_phase, tlb_round, tlb_ack;
static char *volatile tlb_page;
static long tlb_rounds, tlb_faults;
static sigjmp_buf toucher_jump;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(toucher_jump, 1);
}

static void *toucher(void *arg)
{
	int done = 0;

	(void)arg;
	pin(1);
	while (!atomic_load(&stop)) {
		int round = atomic_load(&tlb_round), phase = atomic_load(&tlb_phase);

		if (round == done) {
			sched_yield();
			continue;
		}
		if (phase == WRITABLE) {
			if (tlb_page[0] != (char)round)
				fail("the page did not hold the round's value",
				     tlb_page[0], round);
			tlb_page[1] = (char)round;	/* a writable translation */
		} else if (!sigsetjmp(toucher_jump, 1)) {
			tlb_page[2] = 1;
			fail(phase == READ_ONLY ?
			     "wrote a page another CPU made read-only" :
			     "wrote a page another CPU unmapped", round, phase);
		} else {
			tlb_faults++;
		}
		done = round;
		atomic_store(&tlb_ack, round);
	}
	return NULL;
}

/* Waits for the toucher to finish round; false when stopping. */
static int step(int round, int phase)
{
	double deadline = now_ms() + ANSWER_MS;

	atomic_store(&tlb_phase, phase);
	atomic_store(&tlb_round, round);
	while (atomic_load(&tlb_ack) != round) {
		if (atomic_load(&stop))
			return 0;
		if (now_ms() > deadline) {
			fail("the other CPU did not answer", round, phase);
			return 0;
		}
	}
	return 1;
}

static void *changer(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	int round = 0;

	(void)arg;
	pin(0);
	while (!atomic_load(&stop)) {
		char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			fail("mmap failed", errno, 0);
			break;
		}
		p[0] = (char)++round;
		tlb_page = p;
		if (!step(round, WRITABLE))
			break;
		if (round & 1) {
			mprotect(p, page, PROT_READ);
			if (!step(++round, READ_ONLY))
				break;
			munmap(p, page);
		} else {
			munmap(p, page);
			if (!step(++round, UNMAPPED))
				break;
		}
		tlb_rounds++;
	}
	return NULL;
}

static int stress(int seconds)
{
	void *(*const threads[])(void *) = {
		pinger, ponger, receiver, sender, toucher, changer,
	};
	pthread_t tid[sizeof(threads) / sizeof(threads[0])];
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	for (i = 0; i < sizeof(threads) / sizeof(threads[0]); i++)
		if (pthread_create(&tid[i], NULL, threads[i], NULL)) {
			fprintf(stderr, "smpcheck: cannot start a thread\n");
			return 1;
		}
	for (i = 0; i < (unsigned int)seconds * 10 && !atomic_load(&stop); i++)
		usleep(100000);
	atomic_store(&stop, 1);
	pthread_kill(tid[2], SIGUSR1);	/* the receiver, out of pause() */
	for (i = 0; i < sizeof(threads) / sizeof(threads[0]); i++)
		pthread_join(tid[i], NULL);
	if (pings - pongs > 1 || pongs > pings)
		fail("the futex token was lost", pings, pongs);
	if (atomic_load(&signals_taken) < signals_sent - 1)
		fail("signals were lost", signals_sent, atomic_load(&signals_taken));
	if (tlb_faults < tlb_rounds)
		fail("fewer faults than rounds of the TLB check", tlb_faults, tlb_rounds);
	printf("stress: %s: %ld futex round trips, %ld signals, %ld TLB rounds (%ld faults) in %d s\n",
	       atomic_load(&failed) ? "FAILED" : "ok", pongs, signals_sent,
	       tlb_rounds, tlb_faults, seconds);
	return atomic_load(&failed);
}

/* The ping-pong alone, for 5 s: "bench: NAME VALUE UNIT" lines. */
static int bench(void)
{
	int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t ping, pong;
	double start, ms;

	printf("bench: smp_cpu_job %.0f ms (%d processes at once)\n",
	       run_jobs(cpus), cpus);
	start = now_ms();
	if (pthread_create(&ping, NULL, pinger, NULL) ||
	    pthread_create(&pong, NULL, ponger, NULL)) {
		fprintf(stderr, "smpcheck: cannot start a thread\n");
		return 1;
	}
	sleep(5);
	atomic_store(&stop, 1);
	pthread_join(ping, NULL);
	pthread_join(pong, NULL);
	ms = now_ms() - start;
	if (!pongs || pings - pongs > 1 || pongs > pings) {
		fprintf(stderr, "smpcheck: the futex token was lost (%ld, %ld)\n",
			pings, pongs);
		return 1;
	}
	printf("bench: futex_pingpong %.0f ns (%ld round trips)\n",
	       ms * 1e6 / pongs, pongs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "bench"))
		return bench();
	if (argc == 2 && !strcmp(argv[1], "parallel"))
		return parallel();
	if (argc == 3 && !strcmp(argv[1], "stress"))
		return stress(atoi(argv[2]));
	fprintf(stderr, "usage: smpcheck parallel | stress SECONDS | bench\n");
	return 2;
}
