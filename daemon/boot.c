// SPDX-License-Identifier: GPL-2.0
/*
 * What the guest finds when it starts: a 1 MiB boot area at the top of its
 * RAM with a Linux boot_params zero page (64-bit boot protocol), struct
 * co_boot_info, the command line, and page tables that identity-map every
 * RAM chunk with 2 MiB pages and map the kernel's high-half segments where
 * the ELF wants them; the initrd just below it.  The module adds the
 * passage slot to the top-level table when it takes the registers.
 */
#include <asm/bootparam.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "util.h"

#define PAGE 4096ULL
#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_A (1ULL << 5)
#define PTE_D (1ULL << 6)
#define PTE_PS (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL
#define TABLE_FLAGS (PTE_P | PTE_W | PTE_A)
#define LARGE_FLAGS (PTE_P | PTE_W | PTE_A | PTE_D | PTE_PS)
#define STACK_SIZE (16 * PAGE)

_Static_assert(CO_CMDLINE_MAX <= PAGE, "the command line has one page");

struct table_builder {
	struct vm *vm;
	unsigned int levels;
	uint64_t next;			/* next free page in the boot area */
	uint64_t limit;
	uint64_t top;			/* gpa of the top-level table */
};

static uint64_t *table_at(struct table_builder *tb, uint64_t gpa)
{
	return vm__gpa_to_host(tb->vm, gpa, PAGE);
}

static int new_table(struct table_builder *tb, uint64_t *gpa)
{
	uint64_t *t;

	if (tb->next + PAGE > tb->limit)
		return -1;
	*gpa = tb->next;
	tb->next += PAGE;
	t = table_at(tb, *gpa);
	memset(t, 0, PAGE);
	return 0;
}

static int map_2m(struct table_builder *tb, uint64_t va, uint64_t gpa)
{
	uint64_t table = tb->top, next;
	unsigned int level;

	for (level = tb->levels; level > 2; level--) {
		uint64_t *e = &table_at(tb, table)[(va >> (12 + 9 * (level - 1))) & 511];

		if (!(*e & PTE_P)) {
			if (new_table(tb, &next))
				return -1;
			*e = next | TABLE_FLAGS;
		}
		table = *e & PTE_ADDR;
	}
	table_at(tb, table)[(va >> 21) & 511] = gpa | LARGE_FLAGS;
	return 0;
}

static int map_range(struct table_builder *tb, uint64_t va, uint64_t gpa,
		     uint64_t size)
{
	uint64_t off;

	for (off = 0; off < size; off += 2ULL << 20)
		if (map_2m(tb, va + off, gpa + off))
			return -1;
	return 0;
}

static int build_tables(struct vm *vm, const struct kernel_image *img,
			struct boot_layout *layout)
{
	struct table_builder tb = {
		.vm = vm,
		.levels = vm->info.paging_levels,
		.next = layout->cmdline + PAGE,	/* the command line fits a page */
		.limit = layout->area + BOOT_AREA_SIZE - STACK_SIZE,
	};
	uint32_t i;

	if (new_table(&tb, &tb.top))
		return -1;
	for (i = 0; i < vm->info.nr_ram_chunks; i++)
		if (map_range(&tb, vm->info.ram[i].gpa, vm->info.ram[i].gpa,
			      vm->info.ram[i].size))
			return -1;
	for (i = 0; i < img->nr_maps; i++)
		if (map_range(&tb, img->map[i].va, img->map[i].gpa, img->map[i].size))
			return -1;
	layout->top_table = tb.top;
	return 0;
}

/* The Linux zero page: what a vmlinux's startup_64 expects in rsi. */
static void fill_params(struct vm *vm, const struct boot_layout *layout,
			struct boot_params *bp)
{
	uint32_t i;

	memset(bp, 0, sizeof(*bp));
	bp->hdr.boot_flag = 0xaa55;
	bp->hdr.header = 0x53726448;		/* "HdrS" */
	bp->hdr.version = 0x020f;
	bp->hdr.type_of_loader = 0xff;
	bp->hdr.loadflags = LOADED_HIGH;
	bp->hdr.cmd_line_ptr = (uint32_t)layout->cmdline;
	bp->ext_cmd_line_ptr = (uint32_t)(layout->cmdline >> 32);
	bp->hdr.cmdline_size = CO_CMDLINE_MAX - 1;
	bp->hdr.ramdisk_image = (uint32_t)layout->initrd;
	bp->ext_ramdisk_image = (uint32_t)(layout->initrd >> 32);
	bp->hdr.ramdisk_size = (uint32_t)layout->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(layout->initrd_size >> 32);
	bp->hdr.hardware_subarch = CO_X86_SUBARCH_COOP;
	bp->hdr.hardware_subarch_data = layout->info;
	bp->e820_entries = (uint8_t)vm->info.nr_ram_chunks;
	for (i = 0; i < vm->info.nr_ram_chunks; i++) {
		bp->e820_table[i].addr = vm->info.ram[i].gpa;
		bp->e820_table[i].size = vm->info.ram[i].size;
		bp->e820_table[i].type = 1;	/* E820_TYPE_RAM */
	}
}

/* The initrd, page-aligned just below the boot area. */
static int load_initrd(struct vm *vm, const char *path,
		       const struct kernel_image *img, struct boot_layout *layout)
{
	struct stat st;
	uint64_t gpa;
	uint8_t *dst;
	ssize_t n;
	off_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		pr_err("cannot read the initrd %s: %s", path,
		       fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	gpa = (layout->devices - (uint64_t)st.st_size) & ~(PAGE - 1);
	dst = vm__gpa_to_host(vm, gpa, (uint64_t)st.st_size);
	if (!st.st_size || gpa > layout->devices || gpa < img->load_end || !dst) {
		pr_err("the initrd %s (%lld bytes) does not fit in guest RAM "
		       "beside the kernel; give the guest more mem=", path,
		       (long long)st.st_size);
		close(fd);
		return -1;
	}
	while (done < st.st_size) {
		n = read(fd, dst + done, (size_t)(st.st_size - done));
		if (n <= 0) {
			pr_err("cannot read the initrd %s: %s", path,
			       n < 0 ? strerror(errno) : "file shrank");
			close(fd);
			return -1;
		}
		done += n;
	}
	close(fd);
	layout->initrd = gpa;
	layout->initrd_size = (uint64_t)st.st_size;
	return 0;
}

static void fill_info(struct vm *vm, const struct boot_layout *layout,
		      struct co_boot_info *bi)
{
	uint32_t i;

	memset(bi, 0, sizeof(*bi));
	bi->magic = CO_BOOT_MAGIC;
	bi->abi_version = CO_ABI_VERSION;
	bi->size = sizeof(*bi);
	bi->paging_levels = vm->info.paging_levels;
	bi->passage_slot = vm->info.passage_slot;
	bi->passage_va = vm->info.passage_va;
	bi->passage_entry = vm->info.passage_entry;
	bi->hypercall_va = vm->info.hypercall_va;
	bi->tsc_khz = vm->info.tsc_khz;
	bi->nr_vcpus = vm->info.nr_vcpus;
	bi->flags = vm->info.flags;
	bi->cmdline_gpa = layout->cmdline;
	bi->initrd_gpa = layout->initrd;
	bi->initrd_size = layout->initrd_size;
	bi->reserved_gpa = layout->area;
	bi->reserved_size = BOOT_AREA_SIZE;
	bi->nr_ram_chunks = vm->info.nr_ram_chunks;
	for (i = 0; i < vm->info.nr_ram_chunks; i++)
		bi->ram[i] = vm->info.ram[i];
}

int boot__prepare(struct vm *vm, const struct kernel_image *img,
		  const char *cmdline, const char *initrd,
		  struct device_table *devices, struct boot_layout *layout)
{
	const struct co_ram_chunk *last = &vm->info.ram[vm->info.nr_ram_chunks - 1];
	size_t len = strlen(cmdline);
	struct co_boot_info *info;
	char *dst;

	if (len >= CO_CMDLINE_MAX) {
		pr_err("the kernel command line is %zu bytes; at most %d fit",
		       len, CO_CMDLINE_MAX - 1);
		return -1;
	}
	layout->area = last->gpa + last->size - BOOT_AREA_SIZE;
	/* The devices' pages, below: they stay the devices' for good. */
	layout->devices = layout->area - devices__config_bytes(devices);
	if (layout->devices < img->load_end || layout->devices < last->gpa) {
		pr_err("guest RAM is too small for the kernel and its boot data");
		return -1;
	}
	if (devices__place(devices, vm, layout->devices))
		return -1;
	layout->params = layout->area;
	layout->info = layout->area + PAGE;
	layout->cmdline = layout->area + 2 * PAGE;
	layout->stack_top = layout->area + BOOT_AREA_SIZE;
	layout->initrd = 0;
	layout->initrd_size = 0;
	if (initrd && load_initrd(vm, initrd, img, layout))
		return -1;
	if (build_tables(vm, img, layout)) {
		pr_err("the boot page tables do not fit in the boot area");
		return -1;
	}
	dst = vm__gpa_to_host(vm, layout->cmdline, CO_CMDLINE_MAX);
	memset(dst, 0, CO_CMDLINE_MAX);
	memcpy(dst, cmdline, len);
	info = vm__gpa_to_host(vm, layout->info, sizeof(struct co_boot_info));
	fill_info(vm, layout, info);
	devices__describe(devices, info);
	fill_params(vm, layout, vm__gpa_to_host(vm, layout->params,
						sizeof(struct boot_params)));
	return 0;
}

int boot__set_regs(struct vm *vm, const struct kernel_image *img,
		   const struct boot_layout *layout)
{
	struct co_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.rip = img->entry;
	regs.rsi = layout->params;
	regs.rsp = layout->stack_top;
	regs.rflags = 0x2;
	regs.cr3 = layout->top_table;
	return vm__set_regs(vm, &regs);
}
