// SPDX-License-Identifier: GPL-2.0
/*
 * zdbench: time the allocate/free cycle of device-private folios, the part
 * of a driver's migration path that the series changes.
 *
 * It maps a device-private pgmap of two PMDs and, for orders 0, 4 and 9,
 * times @pages / 2^order cycles of zone_device_folio_init() + folio_put()
 * on the same pages, which is what a driver does when it reuses device
 * memory. Built against the patched kernel and the unpatched base alike:
 * ->folio_free() takes the order only with the series.
 *
 * Each order is timed twice: with the folio as zone_device_folio_init()
 * left it, and as an anonymous folio with every page PageAnonExclusive,
 * the state in which a folio that migrate_vma mapped into a process is
 * freed (what a GPU driver's device folios are), and which the free path
 * has to clear. Prints one line per order and kind:
 *   zdbench: order O: N cycles, C ns/cycle, P ns/page
 *   zdbench: anon order O: N cycles, C ns/cycle, P ns/page
 */
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sched.h>

static unsigned long pages = 1UL << 22;
module_param(pages, ulong, 0444);
MODULE_PARM_DESC(pages, "struct pages to cycle through per order (default 2^22)");

static struct dev_pagemap zdbench_pgmap;
static struct resource *zdbench_res;
static unsigned long zdbench_frees;

static void zdbench_free(struct folio *folio)
{
	zdbench_frees++;
}

static void zdbench_free_order(struct folio *folio, unsigned int order)
{
	zdbench_frees++;
}

/* The pages are never mapped, so never faulted on; the core wants one. */
static vm_fault_t zdbench_migrate_to_ram(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct dev_pagemap_ops zdbench_ops = {
	.migrate_to_ram = zdbench_migrate_to_ram,
	/* The series added the order; pick the callback the kernel expects. */
	.folio_free = __builtin_choose_expr(
		__builtin_types_compatible_p(typeof(zdbench_ops.folio_free),
					     typeof(&zdbench_free_order)),
		zdbench_free_order, zdbench_free),
};

/*
 * What the rmap leaves on a folio it mapped exclusively (as
 * __folio_add_anon_rmap() does): an anonymous ->mapping and
 * PageAnonExclusive on every page. The anon_vma is left out, nothing
 * walks it. Freeing such a folio also lowers the mTHP anon count that
 * was never raised here; the guest is thrown away after the benchmark.
 */
static void zdbench_make_anon(struct folio *folio)
{
	long i;

	folio->mapping = (struct address_space *)FOLIO_MAPPING_ANON;
	for (i = 0; i < folio_nr_pages(folio); i++)
		SetPageAnonExclusive(folio_page(folio, i));
}

static u64 zdbench_cycles(struct folio *folio, unsigned int order,
			  unsigned long cycles, bool anon)
{
	unsigned long i;
	u64 start;

	start = ktime_get_ns();
	for (i = 0; i < cycles; i++) {
		zone_device_folio_init(folio, &zdbench_pgmap, order);
		if (anon)
			zdbench_make_anon(folio);
		folio_unlock(folio);
		folio_put(folio);
		if (!(i & 1023))
			cond_resched();
	}
	return ktime_get_ns() - start;
}

static int __init zdbench_init(void)
{
	static const unsigned int orders[] = { 0, 4, HPAGE_PMD_ORDER };
	unsigned long size = 2 * HPAGE_PMD_SIZE;
	struct folio *folio;
	unsigned int i;
	void *addr;

	zdbench_res = request_free_mem_region(&iomem_resource, size, "zdbench");
	if (IS_ERR(zdbench_res))
		return PTR_ERR(zdbench_res);
	zdbench_pgmap.type = MEMORY_DEVICE_PRIVATE;
	zdbench_pgmap.range.start = zdbench_res->start;
	zdbench_pgmap.range.end = zdbench_res->end;
	zdbench_pgmap.nr_range = 1;
	zdbench_pgmap.ops = &zdbench_ops;
	zdbench_pgmap.owner = &zdbench_pgmap;
	addr = memremap_pages(&zdbench_pgmap, NUMA_NO_NODE);
	if (IS_ERR(addr)) {
		release_mem_region(zdbench_res->start, size);
		return PTR_ERR(addr);
	}

	folio = page_folio(pfn_to_page(PHYS_PFN(zdbench_res->start)));
	for (i = 0; i < 2 * ARRAY_SIZE(orders); i++) {
		unsigned int order = orders[i % ARRAY_SIZE(orders)];
		bool anon = i >= ARRAY_SIZE(orders);
		unsigned long cycles = max(pages >> order, 1UL);
		u64 ns;

		zdbench_cycles(folio, order, cycles / 16 + 1, anon);	/* warm up */
		ns = zdbench_cycles(folio, order, cycles, anon);
		pr_info("zdbench: %sorder %u: %lu cycles, %llu ns/cycle, %llu ns/page\n",
			anon ? "anon " : "", order, cycles, div64_u64(ns, cycles),
			div64_u64(ns, cycles << order));
	}
	pr_info("zdbench: %lu frees\n", zdbench_frees);
	return 0;
}

static void __exit zdbench_exit(void)
{
	memunmap_pages(&zdbench_pgmap);
	release_mem_region(zdbench_res->start, resource_size(zdbench_res));
}

module_init(zdbench_init);
module_exit(zdbench_exit);
MODULE_DESCRIPTION("Benchmark of the device-private folio allocate/free cycle");
MODULE_LICENSE("GPL");
