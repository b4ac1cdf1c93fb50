// SPDX-License-Identifier: GPL-2.0
/*
 * The guest kernel is a raw ELF64 x86-64 image, loaded segment by segment
 * at load_base + (p_paddr - lowest p_paddr): a vmlinux then starts at the
 * physical startup_64, exactly as the 64-bit boot protocol wants.  Segments
 * linked in the kernel half of the address space are also reported so the
 * boot page tables can map them there (test guests start at such a virtual
 * entry point).  Every field that comes from the file is checked.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf.h"
#include "util.h"

#define KERNEL_HALF 0xffff800000000000ULL
#define MAP_ALIGN (2ULL << 20)

int elf__check_header(const unsigned char *data, uint64_t size, char *why,
		      unsigned long why_len)
{
	const Elf64_Ehdr *eh = (const void *)data;

	if (size < EI_NIDENT || memcmp(data, ELFMAG, SELFMAG)) {
		snprintf(why, why_len, "not an ELF file");
		return -1;
	}
	if (data[EI_CLASS] != ELFCLASS64) {
		snprintf(why, why_len, "a 32-bit ELF; colinux needs a 64-bit "
			 "x86-64 kernel (vmlinux, not bzImage)");
		return -1;
	}
	if (size < sizeof(*eh) || data[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64) {
		snprintf(why, why_len, "an ELF for another machine (%u); "
			 "colinux needs an x86-64 kernel",
			 size < sizeof(*eh) ? 0 : eh->e_machine);
		return -1;
	}
	if (eh->e_type != ET_EXEC) {
		snprintf(why, why_len, "not an executable ELF (type %u)", eh->e_type);
		return -1;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phoff > size ||
	    eh->e_phnum > (size - eh->e_phoff) / sizeof(Elf64_Phdr)) {
		snprintf(why, why_len, "a damaged ELF: bad program headers");
		return -1;
	}
	return 0;
}

static int add_high_map(struct kernel_image *img, const Elf64_Phdr *ph,
			uint64_t gpa)
{
	uint64_t va = ph->p_vaddr & ~(MAP_ALIGN - 1);
	uint64_t end = (ph->p_vaddr + ph->p_memsz + MAP_ALIGN - 1) & ~(MAP_ALIGN - 1);

	if ((ph->p_vaddr - gpa) % MAP_ALIGN || img->nr_maps == ELF_MAX_HIGH_MAPS)
		return -1;
	img->map[img->nr_maps].va = va;
	img->map[img->nr_maps].gpa = gpa - (ph->p_vaddr - va);
	img->map[img->nr_maps].size = end - va;
	img->nr_maps++;
	return 0;
}

static int load_segments(struct vm *vm, const unsigned char *data,
			 uint64_t size, uint64_t load_base,
			 struct kernel_image *img)
{
	const Elf64_Ehdr *eh = (const void *)data;
	const Elf64_Phdr *ph = (const void *)(data + eh->e_phoff);
	uint64_t low = UINT64_MAX, entry = eh->e_entry;
	int i, have_entry = 0;

	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_paddr < low)
			low = ph[i].p_paddr;
	if (low == UINT64_MAX) {
		pr_err("the kernel ELF has no loadable segment");
		return -1;
	}
	img->load_start = load_base;
	img->load_end = load_base;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		uint64_t gpa = load_base + (p->p_paddr - low);
		uint8_t *dst;

		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		if (p->p_filesz > p->p_memsz || p->p_offset > size ||
		    p->p_filesz > size - p->p_offset) {
			pr_err("the kernel ELF is damaged: segment %d lies outside the file", i);
			return -1;
		}
		dst = vm__gpa_to_host(vm, gpa, p->p_memsz);
		if (!dst) {
			pr_err("the kernel does not fit in guest RAM: segment %d needs "
			       "%llu bytes at 0x%llx", i, (unsigned long long)p->p_memsz,
			       (unsigned long long)gpa);
			return -1;
		}
		memcpy(dst, data + p->p_offset, p->p_filesz);
		memset(dst + p->p_filesz, 0, p->p_memsz - p->p_filesz);
		if (gpa + p->p_memsz > img->load_end)
			img->load_end = gpa + p->p_memsz;
		if (p->p_vaddr >= KERNEL_HALF && add_high_map(img, p, gpa)) {
			pr_err("the kernel ELF's segment %d is not 2 MiB-aligned "
			       "with its load address", i);
			return -1;
		}
		/* The entry is physical (vmlinux) or virtual (test guests). */
		if (entry >= p->p_paddr && entry - p->p_paddr < p->p_memsz &&
		    !have_entry) {
			img->entry = gpa + (entry - p->p_paddr);
			have_entry = 1;
		} else if (entry >= p->p_vaddr && entry - p->p_vaddr < p->p_memsz &&
			   p->p_vaddr >= KERNEL_HALF) {
			img->entry = entry;
			have_entry = 1;
		}
	}
	if (!have_entry) {
		pr_err("the kernel ELF's entry point 0x%llx is in no segment",
		       (unsigned long long)entry);
		return -1;
	}
	return 0;
}

int elf__load(struct vm *vm, const char *path, uint64_t load_base,
	      struct kernel_image *img)
{
	char why[160];
	struct stat st;
	void *data;
	int fd, ret = -1;

	memset(img, 0, sizeof(*img));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("cannot open the kernel %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size == 0) {
		pr_err("the kernel %s is not a regular, non-empty file", path);
		close(fd);
		return -1;
	}
	data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (data == MAP_FAILED) {
		pr_err("cannot read the kernel %s: %s", path, strerror(errno));
		return -1;
	}
	if (elf__check_header(data, st.st_size, why, sizeof(why)))
		pr_err("the kernel %s is %s", path, why);
	else
		ret = load_segments(vm, data, st.st_size, load_base, img);
	munmap(data, st.st_size);
	return ret;
}
