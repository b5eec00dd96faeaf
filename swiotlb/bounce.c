// SPDX-License-Identifier: GPL-2.0
/*
 * Bouncing through a class: map (copy into slots of a block), unmap (copy
 * back, free the slots) and sync. The class registry (pool.c) owns the
 * blocks; here they are only used, under the RCU read lock.
 */
#include <linux/rculist.h>
#include <linux/smp.h>
#include <linux/io.h>

#include "dma-internal.h"
#include "dma_trace.h"

/*
 * The layer's counters, defined in the lowest file that counts them: ops.c,
 * debugfs.c and core.c reach them downwards.
 */
struct xpf_dma_stats xpf_dma_stats;

static void *xpf_seg_vaddr(struct xpf_block *blk, u64 pos)
{
	return page_address(blk->seg[pos >> XPF_SEG_SHIFT].r.page) + (pos & (XPF_SEG_SIZE - 1));
}

/**
 * xpf_pool_map() - bounce a buffer through @cls
 * @dev: the device
 * @cls: the class for its limit
 * @phys: the buffer
 * @size: bytes
 * @dir: direction
 * @attrs: DMA attributes
 *
 * The buffer is copied into the slots in every direction, so no stale pool
 * data reaches the device.
 *
 * Return: the bus address, or DMA_MAPPING_ERROR (counted, reported).
 */
dma_addr_t xpf_pool_map(struct device *dev, struct xpf_class *cls, phys_addr_t phys,
			size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	struct xpf_slot_req req = {
		.orig = phys,
		.size = size,
		.min_align_mask = dma_get_min_align_mask(dev),
		.seg_boundary = dma_get_seg_boundary(dev),
		.cpu = raw_smp_processor_id(),
	};
	struct xpf_block *blk;
	u32 idx = 0, off = 0;
	int ret = -ENOSPC, used;
	u64 pos;

	if (size > XPF_SEG_SIZE) {
		ret = -EINVAL;
		goto fail;
	}
	rcu_read_lock();
	list_for_each_entry_rcu(blk, &cls->blocks, node) {
		if (READ_ONCE(blk->dying))
			continue;
		ret = xpf_slots_alloc(&blk->slots, &req, &idx, &off);
		if (ret != -ENOSPC)
			break;
	}
	if (ret) {
		rcu_read_unlock();
		goto fail;
	}
	used = atomic_add_return(blk->slots.slot[idx].nslots, &cls->used);
	pos = ((u64)idx << XPF_SLOT_SHIFT) + off;
	/* Always fill the bounce buffer, so no stale pool data reaches the device. */
	memcpy(xpf_seg_vaddr(blk, pos), phys_to_virt(phys), size);
	pos = blk->seg[pos >> XPF_SEG_SHIFT].r.maddr + (pos & (XPF_SEG_SIZE - 1));
	rcu_read_unlock();

	xpf_class_used(cls, used);
	atomic_long_inc(&cls->maps);
	atomic_long_add(size, &cls->bytes);
	trace_xpf_dma_bounce(dev, size, dir, cls->bits, pos);
	return pos;

fail:
	xpf_class_full(cls, ret == -ENOSPC);
	trace_xpf_dma_map_fail(dev, size, dma_get_mask(dev), cls->bits, XPF_MAPFAIL_BOUNCE, ret);
	if (!(attrs & DMA_ATTR_NO_WARN))
		dev_err_ratelimited(dev,
				    "cannot bounce %zu bytes for %u-bit DMA (%d, pool %llu KiB of max %u MiB): raise dma_pool_max_mib, or give the guest low memory / use bounce=kernel with iommu=soft swiotlb=N\n",
				    size, cls->bits, ret,
				    ((u64)atomic_read(&cls->nslots) << XPF_SLOT_SHIFT) >> 10,
				    xpf_pool_max_mib);
	return DMA_MAPPING_ERROR;
}

static void xpf_bad_addr(struct device *dev, dma_addr_t dma, size_t size, const char *what)
{
	atomic_long_inc(&xpf_dma_stats.bad_unmaps);
	dev_err_ratelimited(dev, "%s of %pad+%zu that is not a live bounce mapping, ignored\n",
			    what, &dma, size);
}

/*
 * The live mapping behind @dma: false if the address is not in our pools; true
 * otherwise, with *@blk NULL when it is ours but no live mapping (reported).
 * RCU read lock held.
 */
static bool xpf_pool_resolve(struct device *dev, dma_addr_t dma, size_t size, const char *what,
			     struct xpf_block **blk, u64 *pos, u32 *head, u64 *orig)
{
	*blk = xpf_pool_lookup(dma, pos);
	if (!*blk)
		return false;
	if (xpf_slots_find(&(*blk)->slots, *pos, size, head, orig)) {
		*blk = NULL;
		xpf_bad_addr(dev, dma, size, what);
	}
	return true;
}

/**
 * xpf_pool_unmap() - end a bounce mapping
 * @dev: the device
 * @dma: its bus address
 * @size: bytes
 * @dir: direction
 * @attrs: DMA attributes
 *
 * Copies back for FROM_DEVICE and BIDIRECTIONAL.
 *
 * Return: true when @dma is in our pools (reported when it is no live mapping).
 */
bool xpf_pool_unmap(struct device *dev, dma_addr_t dma, size_t size,
		    enum dma_data_direction dir, unsigned long attrs)
{
	struct xpf_block *blk;
	u32 head, n;
	u64 pos, orig;
	bool ours;

	rcu_read_lock();
	ours = xpf_pool_resolve(dev, dma, size, "unmap", &blk, &pos, &head, &orig);
	if (blk) {
		if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) &&
		    (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
			memcpy(phys_to_virt(orig), xpf_seg_vaddr(blk, pos), size);
		n = blk->slots.slot[head].nslots;
		if (!xpf_slots_free(&blk->slots, head))
			atomic_sub(n, &blk->cls->used);
	}
	rcu_read_unlock();
	return ours;
}

/**
 * xpf_pool_sync() - sync a bounce mapping for the CPU or the device
 * @dev: the device
 * @dma: bus address within the mapping
 * @size: bytes
 * @dir: direction
 * @for_cpu: towards the CPU (else the device)
 *
 * Return: true when @dma is in our pools.
 */
bool xpf_pool_sync(struct device *dev, dma_addr_t dma, size_t size,
		   enum dma_data_direction dir, bool for_cpu)
{
	struct xpf_block *blk;
	u64 pos, orig;
	u32 head;
	bool ours;

	rcu_read_lock();
	ours = xpf_pool_resolve(dev, dma, size, "sync", &blk, &pos, &head, &orig);
	if (blk) {
		if (for_cpu && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
			memcpy(phys_to_virt(orig), xpf_seg_vaddr(blk, pos), size);
		else if (!for_cpu && (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL))
			memcpy(xpf_seg_vaddr(blk, pos), phys_to_virt(orig), size);
	}
	rcu_read_unlock();
	return ours;
}
