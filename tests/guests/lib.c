// SPDX-License-Identifier: GPL-2.0
/*
 * The test guest's little libc: a console printf that goes out a line at a
 * time to the daemon's console device (a CO_CONSOLE_WRITE call), the
 * command line, the TSC, and a page allocator over the RAM after the image.
 */
#include "guest.h"
#include "../../host/core/format.h"

const struct co_boot_info *boot_info;

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

uint64_t gpa_of(const void *kernel_va)
{
	return (uint64_t)kernel_va - KERNEL_VA + boot_info->ram[0].gpa;
}

/*
 * One line at a time: the core's formatter, then one console hypercall.
 * A line buffer per CPU, so that two CPUs printing at once each send a
 * whole line of their own.
 */
void printf(const char *fmt, ...)
{
	static char lines[NR_GUEST_CPUS][512];
	char *line = lines[this_cpu()];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = co_vformat(line, sizeof(lines[0]), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(lines[0]) - 1)
		n = sizeof(lines[0]) - 1;
	if (n > 0)
		console_call(CO_CONSOLE_WRITE, gpa_of(line), (uint64_t)n);
}

/* The console's index in the daemon's device table (-19 if it has none). */
long console_device(void)
{
	uint32_t i;

	for (i = 0; i < boot_info->nr_devices && i < CO_MAX_DEVICES; i++)
		if (boot_info->devices[i].type == CO_DEV_CONSOLE)
			return i;
	return -19;
}

long console_call(uint64_t op, uint64_t gpa, uint64_t len)
{
	long dev = console_device();

	if (dev < 0)
		return dev;
	return hypercall(CO_HC_DAEMON_CALL, (uint64_t)dev, op, gpa, len);
}

/* The value of "key=value" on the command line, or NULL. */
const char *cmdline_value(const char *key)
{
	const char *p = (const char *)boot_info->cmdline_gpa;
	size_t klen = strlen(key);

	while (*p) {
		while (*p == ' ')
			p++;
		if (!memcmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool cmdline_is(const char *key, const char *value)
{
	const char *v = cmdline_value(key);
	size_t n = strlen(value);

	return v && !memcmp(v, value, n) && (v[n] == ' ' || !v[n]);
}

long cmdline_number(const char *key, long fallback)
{
	const char *v = cmdline_value(key);
	long n = 0;

	if (!v || *v < '0' || *v > '9')
		return fallback;
	while (*v >= '0' && *v <= '9')
		n = n * 10 + (*v++ - '0');
	return n;
}

/* xorshift64: a cheap stream of bits for the race tests' rewriters. */
uint64_t xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t tsc_to_ns(uint64_t cycles)
{
	return cycles * 1000000 / boot_info->tsc_khz;
}

/* Zeroed pages from the RAM after the image (identity-mapped). */
void *page_alloc(void)
{
	static uint64_t next;
	uint64_t end = boot_info->ram[0].gpa + boot_info->ram[0].size;
	void *p;

	if (!next)
		next = gpa_of(_image_end);
	/* Never hand out the boot area: it holds the page tables we run on. */
	if (boot_info->reserved_gpa >= boot_info->ram[0].gpa &&
	    boot_info->reserved_gpa < end)
		end = boot_info->reserved_gpa;
	if (next + PAGE_SIZE > end) {
		printf("page_alloc: out of memory\n");
		poweroff(99);
	}
	p = (void *)next;
	next += PAGE_SIZE;
	memset(p, 0, PAGE_SIZE);
	return p;
}
