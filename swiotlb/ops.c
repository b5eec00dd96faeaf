// SPDX-License-Identifier: GPL-2.0
/*
 * The dma_map_ops our PCI devices get: map directly when the buffer is
 * already machine-contiguous below the device's limit (zero-copy), bounce
 * through the class pool otherwise (or always, with swiotlb=force).
 */
#include <linux/dma-map-ops.h>
#include <linux/scatterlist.h>
#include <linux/swiotlb.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>

#include "dma-internal.h"
#include "dma_trace.h"

bool xpf_dma_force;
module_param_named(dma_force_bounce, xpf_dma_force, bool, 0644);
MODULE_PARM_DESC(dma_force_bounce, "Bounce every mapping, even machine-contiguous ones (swiotlb=force is also honoured)");

bool xpf_honour_force = true;
module_param_named(dma_honour_swiotlb_force, xpf_honour_force, bool, 0644);
MODULE_PARM_DESC(dma_honour_swiotlb_force, "Bounce everything when the kernel runs with swiotlb=force (default Y); N maps machine-contiguous buffers below the mask directly anyway (for tests)");

static DEFINE_XARRAY(xpf_coherent);	/* pfn of a coherent buffer -> struct xpf_region */

static u64 xpf_dev_limit(struct device *dev)
{
	u64 mask = dev->dma_mask ? *dev->dma_mask : DMA_BIT_MASK(32);

	if (dev->bus_dma_limit)
		mask = min(mask, dev->bus_dma_limit);
	return mask;
}

static bool xpf_must_bounce(struct device *dev)
{
	return READ_ONCE(xpf_dma_force) ||
	       (READ_ONCE(xpf_honour_force) && is_swiotlb_force_bounce(dev));
}

static dma_addr_t xpf_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			       enum dma_data_direction dir, unsigned long attrs)
{
	u64 limit = xpf_dev_limit(dev);
	struct xpf_class *cls;
	dma_addr_t dma;

	if (!xpf_must_bounce(dev) && xpf_phys_contig(phys, size, limit, &dma)) {
		atomic_long_inc(&xpf_dma_stats.zc_maps);
		atomic_long_add(size, &xpf_dma_stats.zc_bytes);
		return dma;
	}
	cls = xpf_class_for_mask(limit, false);
	if (!cls) {
		atomic_long_inc(&xpf_dma_stats.map_errors);
		trace_xpf_dma_map_fail(dev, size, limit, 0, XPF_MAPFAIL_NO_CLASS, 0);
		dev_err_ratelimited(dev, "no bounce pool for DMA mask %#llx (needs at least %u bits)\n",
				    limit, XPF_MIN_BITS);
		return DMA_MAPPING_ERROR;
	}
	dma = xpf_pool_map(dev, cls, phys, size, dir, attrs);
	if (dma == DMA_MAPPING_ERROR) {
		atomic_long_inc(&xpf_dma_stats.map_errors);
	} else {
		atomic_long_inc(&xpf_dma_stats.bounce_maps);
		atomic_long_add(size, &xpf_dma_stats.bounce_bytes);
	}
	return dma;
}

/* The page-based form of xpf_map_phys(), for kernels before 7.0 (compat.h). */
static dma_addr_t __maybe_unused xpf_map_page(struct device *dev, struct page *page,
					      unsigned long offset, size_t size,
					      enum dma_data_direction dir, unsigned long attrs)
{
	return xpf_map_phys(dev, page_to_phys(page) + offset, size, dir, attrs);
}

static void xpf_unmap(struct device *dev, dma_addr_t dma, size_t size,
		      enum dma_data_direction dir, unsigned long attrs)
{
	xpf_pool_unmap(dev, dma, size, dir, attrs);
}

static void xpf_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
			 enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		xpf_pool_unmap(dev, sg->dma_address, sg_dma_len(sg), dir, attrs);
}

static int xpf_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = xpf_map_phys(dev, sg_phys(sg), sg->length, dir, attrs);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			xpf_unmap_sg(dev, sgl, i, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
			return -EIO;
		}
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static void xpf_sync_single_for_cpu(struct device *dev, dma_addr_t dma, size_t size,
				    enum dma_data_direction dir)
{
	xpf_pool_sync(dev, dma, size, dir, true);
}

static void xpf_sync_single_for_device(struct device *dev, dma_addr_t dma, size_t size,
				       enum dma_data_direction dir)
{
	xpf_pool_sync(dev, dma, size, dir, false);
}

static void xpf_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nents,
				enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		xpf_pool_sync(dev, sg->dma_address, sg_dma_len(sg), dir, true);
}

static void xpf_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nents,
				   enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		xpf_pool_sync(dev, sg->dma_address, sg_dma_len(sg), dir, false);
}

/*
 * Coherent memory: whole pages (naturally aligned to their order), made
 * machine-contiguous below the coherent mask by exchange when they are not.
 */
static void *xpf_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
		       unsigned long attrs)
{
	u64 mask = dev->coherent_dma_mask;
	unsigned int bits = mask == U64_MAX ? 0 : fls64(mask);
	struct xpf_region *r;
	int err;

	if (!size || (bits && bits < XPF_MIN_BITS) || get_order(size) > MAX_PAGE_ORDER) {
		trace_xpf_dma_map_fail(dev, size, mask, bits ? bits : 64, XPF_MAPFAIL_COHERENT,
				       -EINVAL);
		return NULL;
	}
	r = kzalloc(sizeof(*r), gfp & (GFP_KERNEL | GFP_ATOMIC | __GFP_NOWARN));
	if (!r)
		return NULL;
	err = xpf_region_create(r, get_order(size), bits, gfp);
	if (err) {
		trace_xpf_dma_map_fail(dev, size, mask, bits ? bits : 64, XPF_MAPFAIL_COHERENT,
				       err);
		kfree(r);
		dev_warn_ratelimited(dev, "no machine-contiguous memory below mask %#llx for a %zu-byte coherent buffer\n",
				     mask, size);
		return NULL;
	}
	if (xa_err(xa_store(&xpf_coherent, page_to_pfn(r->page), r,
			    gfp & (GFP_KERNEL | GFP_ATOMIC)))) {
		xpf_region_destroy(r);
		kfree(r);
		return NULL;
	}
	atomic_long_inc(&xpf_dma_stats.coherent);
	atomic_long_add(PAGE_SIZE << r->order, &xpf_dma_stats.coherent_bytes);
	*handle = r->maddr;
	return page_address(r->page);
}

static void xpf_free(struct device *dev, size_t size, void *vaddr, dma_addr_t handle,
		     unsigned long attrs)
{
	struct xpf_region *r = xa_erase(&xpf_coherent, PHYS_PFN(virt_to_phys(vaddr)));

	if (!r || r->maddr != handle) {
		dev_err_ratelimited(dev, "free of unknown coherent buffer %p/%pad, ignored\n",
				    vaddr, &handle);
		if (r)
			xa_store(&xpf_coherent, PHYS_PFN(virt_to_phys(vaddr)), r, GFP_ATOMIC);
		return;
	}
	atomic_long_dec(&xpf_dma_stats.coherent);
	atomic_long_sub(PAGE_SIZE << r->order, &xpf_dma_stats.coherent_bytes);
	xpf_region_destroy(r);
	kfree(r);
}

/* The pages of a coherent buffer of ours, or NULL (reported) for a foreign one. */
static struct page *xpf_coherent_page(struct device *dev, void *vaddr, dma_addr_t handle)
{
	struct xpf_region *r = xa_load(&xpf_coherent, PHYS_PFN(virt_to_phys(vaddr)));

	if (!r || r->maddr != handle) {
		dev_err_ratelimited(dev, "mmap/sgtable of unknown coherent buffer %p/%pad, refused\n",
				    vaddr, &handle);
		return NULL;
	}
	return r->page;
}

/* dma_mmap_coherent(): our coherent buffers are ordinary pages of this guest. */
static int xpf_mmap(struct device *dev, struct vm_area_struct *vma, void *vaddr,
		    dma_addr_t handle, size_t size, unsigned long attrs)
{
	unsigned long count = PAGE_ALIGN(size) >> PAGE_SHIFT;
	unsigned long want = vma_pages(vma), off = vma->vm_pgoff;
	struct page *page = xpf_coherent_page(dev, vaddr, handle);

	if (!page)
		return -ENXIO;
	if (off >= count || want > count - off)
		return -ENXIO;
	return remap_pfn_range(vma, vma->vm_start, page_to_pfn(page) + off,
			       want << PAGE_SHIFT, vma->vm_page_prot);
}

static int xpf_get_sgtable(struct device *dev, struct sg_table *sgt, void *vaddr,
			   dma_addr_t handle, size_t size, unsigned long attrs)
{
	struct page *page = xpf_coherent_page(dev, vaddr, handle);
	int err;

	if (!page)
		return -ENXIO;
	err = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!err)
		sg_set_page(sgt->sgl, page, PAGE_ALIGN(size), 0);
	return err;
}

static int xpf_dma_supported(struct device *dev, u64 mask)
{
	if (mask < DMA_BIT_MASK(XPF_MIN_BITS))
		return 0;
	/* Have the class ready before the first mapping, when we may sleep. */
	if (preemptible())
		xpf_class_for_mask(min(mask, dev->bus_dma_limit ? dev->bus_dma_limit : mask), true);
	return 1;
}

/**
 * xpf_coherent_exit() - forget the coherent buffers at unload
 *
 * Reports any still allocated (their memory stays with the guest).
 */
void xpf_coherent_exit(void)
{
	unsigned long pfn;
	void *r;
	long n = 0;

	xa_for_each(&xpf_coherent, pfn, r)
		n++;
	if (n)
		pr_err("%ld coherent buffers still allocated at exit; their memory stays with the guest\n",
		       n);
	xa_destroy(&xpf_coherent);
}

static u64 xpf_get_required_mask(struct device *dev)
{
	return xpf_pool_required_mask();
}

static size_t xpf_max_mapping_size(struct device *dev)
{
	unsigned long b = dma_get_seg_boundary(dev);
	size_t max = xpf_slots_max_size(dma_get_min_align_mask(dev));

	/* a bounce never crosses the device's segment boundary */
	if (b < max)
		max = b + 1;
	return max;
}

const struct dma_map_ops xpf_dma_ops = {
	.alloc = xpf_alloc,
	.free = xpf_free,
	.mmap = xpf_mmap,
	.get_sgtable = xpf_get_sgtable,
	XPF_DMA_MAP_OPS(xpf_map_page, xpf_map_phys, xpf_unmap),
	.map_sg = xpf_map_sg,
	.unmap_sg = xpf_unmap_sg,
	.sync_single_for_cpu = xpf_sync_single_for_cpu,
	.sync_single_for_device = xpf_sync_single_for_device,
	.sync_sg_for_cpu = xpf_sync_sg_for_cpu,
	.sync_sg_for_device = xpf_sync_sg_for_device,
	.dma_supported = xpf_dma_supported,
	.get_required_mask = xpf_get_required_mask,
	.max_mapping_size = xpf_max_mapping_size,
};
