// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: on load, take up to max_mb of free pages from the page
 * allocator as they are (the test host runs with init_on_alloc=0, so
 * nothing clears them), count those that still hold a guest's marker, give
 * them back and log the count.  Guest RAM must be scrubbed before the host
 * gets it back: the count must be zero.
 *
 * The marker is not in this file's bytes as it is searched for: insmod
 * reads the whole .ko into a buffer that the kernel frees, uncleared, just
 * before this init runs, and a literal copy at a 32-byte offset of that
 * buffer was a hit of our own making (one page, seen with the debug kernel).
 */
#include <linux/ctype.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>

/* The guest's marker in lower case; scanned for in upper case. */
static char *marker = "colinux-guest-data-marker";
module_param(marker, charp, 0444);
MODULE_PARM_DESC(marker, "bytes the guest wrote at every 32-byte boundary, in lower case");

static char wanted[32];

static unsigned long max_mb = 1536;
module_param(max_mb, ulong, 0444);
MODULE_PARM_DESC(max_mb, "how much free memory to look at");

static bool page_has_marker(const char *p, size_t len)
{
	size_t off;

	for (off = 0; off + len <= PAGE_SIZE; off += 32)
		if (!memcmp(p + off, wanted, len))
			return true;
	return false;
}

static int __init page_scan_init(void)
{
	unsigned long scanned = 0, hits = 0;
	size_t len = strlen(marker), off;
	struct page *page, *next;
	LIST_HEAD(taken);

	if (!len || len > sizeof(wanted))
		return -EINVAL;
	for (off = 0; off < len; off++)
		wanted[off] = toupper(marker[off]);
	while (scanned < (max_mb << (20 - PAGE_SHIFT))) {
		page = alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);
		if (!page)
			break;
		if (page_has_marker(page_address(page), len))
			hits++;
		list_add(&page->lru, &taken);
		scanned++;
	}
	list_for_each_entry_safe(page, next, &taken, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	pr_info("page_scan: %lu pages scanned, %lu hold the marker\n", scanned, hits);
	return 0;
}

static void __exit page_scan_exit(void)
{
}

module_init(page_scan_init);
module_exit(page_scan_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test: look for a guest's data in free host memory");
