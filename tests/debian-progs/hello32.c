// SPDX-License-Identifier: GPL-2.0
/*
 * A 32-bit program with no libc (vm/debian-boot): it writes one line with
 * int $0x80 and one through the vDSO's __kernel_vsyscall (sysenter on Intel,
 * syscall on AMD), the two ways 32-bit Debian programs enter the kernel,
 * and exits with status 32.  Built with gcc -m32, no 32-bit libc needed.
 */
#define NR_WRITE 4
#define NR_EXIT 1
#define AT_NULL 0
#define AT_SYSINFO 32

static long int80(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

static long vsyscall(unsigned long entry, long nr, long a, long b, long c)
{
	long ret;

	asm volatile("call *%1"
		     : "=a"(ret) : "r"(entry), "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

static unsigned long length(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

/* The kernel's initial stack: argc, argv..., NULL, envp..., NULL, auxv. */
void __attribute__((used)) start32(unsigned long *sp)
{
	static const char via_int80[] = "hello32: int $0x80 works\n";
	static const char via_vdso[] = "hello32: __kernel_vsyscall works\n";
	static const char no_vdso[] = "hello32: no AT_SYSINFO in the auxiliary vector\n";
	unsigned long *p = sp + 1 + sp[0] + 1, entry = 0;

	while (*p)
		p++;
	for (p++; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_SYSINFO)
			entry = p[1];
	int80(NR_WRITE, 1, (long)via_int80, length(via_int80));
	if (entry)
		vsyscall(entry, NR_WRITE, 1, (long)via_vdso, length(via_vdso));
	else
		int80(NR_WRITE, 1, (long)no_vdso, length(no_vdso));
	int80(NR_EXIT, entry ? 32 : 1, 0, 0);
}

asm(".globl _start\n_start:\n\tmovl %esp, %eax\n\tandl $-16, %esp\n\tsubl $12, %esp\n"
    "\tpushl %eax\n\tcall start32\n\thlt\n");
