// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/xen-pcifront/dma/: pool and mapping statistics.
 * The parent directory is shared with pcifront/: looked up, or made here.
 *   stats    per-class and layer-wide counters (read)
 *   hiwater  high-water mark of used bounce bytes; write 0 to reset
 *   bench    map+unmap latency benchmark (see swiotlb/bench.c)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/kernel.h>

#include "dma-internal.h"

static struct dentry *xpf_dbg_dir;

#define XL(x) atomic_long_read(&(x))

static int xpf_dma_stats_show(struct seq_file *m, void *v)
{
	u64 used = 0, hi = 0;
	unsigned int i;

	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		struct xpf_class *c = READ_ONCE(xpf_classes[i]);

		if (!c)
			continue;
		used += (u64)atomic_read(&c->used) << XPF_SLOT_SHIFT;
		hi += (u64)atomic_read(&c->hiwater) << XPF_SLOT_SHIFT;
		seq_printf(m, "class %u-bit: held %llu used %llu hiwater %llu maps %ld bytes %ld full %ld grows %ld grow_fails %ld shrinks %ld\n",
			   c->bits, (u64)atomic_read(&c->nslots) << XPF_SLOT_SHIFT,
			   (u64)atomic_read(&c->used) << XPF_SLOT_SHIFT,
			   (u64)atomic_read(&c->hiwater) << XPF_SLOT_SHIFT,
			   XL(c->maps), XL(c->bytes), XL(c->full), XL(c->grows),
			   XL(c->grow_fails), XL(c->shrinks));
	}
	seq_printf(m, "held_bytes %llu\nused_bytes %llu\nhiwater_bytes %llu\n",
		   xpf_pool_bytes_held(), used, hi);
	/* the debug flavour (make XPF_DEBUG=1) has the benchmark file beside this one */
	seq_printf(m, "debug_flavour %d\n", XPF_DEBUG_FLAVOUR);
	seq_printf(m, "zero_copy_maps %ld\nzero_copy_bytes %ld\nbounce_maps %ld\nbounce_bytes %ld\n",
		   XL(xpf_dma_stats.zc_maps), XL(xpf_dma_stats.zc_bytes),
		   XL(xpf_dma_stats.bounce_maps), XL(xpf_dma_stats.bounce_bytes));
	seq_printf(m, "map_failures %ld\nbad_unmaps %ld\ncoherent_buffers %ld\ncoherent_bytes %ld\n",
		   XL(xpf_dma_stats.map_errors), XL(xpf_dma_stats.bad_unmaps),
		   XL(xpf_dma_stats.coherent), XL(xpf_dma_stats.coherent_bytes));
	seq_printf(m, "exchange_ok %ld\nexchange_failed %ld\nexchange_partial %ld\nexchange_back_failed %ld\nlost_pages %ld\nlow_pages_held %ld\nmoved_regions %ld\n",
		   XL(xpf_xchg.ok), XL(xpf_xchg.failed), XL(xpf_xchg.partial),
		   XL(xpf_xchg.undo_failed), XL(xpf_xchg.lost_pages), XL(xpf_xchg.low_pages),
		   XL(xpf_xchg.moved));
	seq_printf(m, "force_bounce %d\nhonour_swiotlb_force %d\n", READ_ONCE(xpf_dma_force),
		   READ_ONCE(xpf_honour_force));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xpf_dma_stats);

static int xpf_hiwater_get(void *data, u64 *val)
{
	unsigned int i;

	*val = 0;
	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		struct xpf_class *c = READ_ONCE(xpf_classes[i]);

		if (c)
			*val += (u64)atomic_read(&c->hiwater) << XPF_SLOT_SHIFT;
	}
	return 0;
}

static int xpf_hiwater_set(void *data, u64 val)
{
	if (val)
		return -EINVAL;
	xpf_pool_reset_hiwater();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(xpf_hiwater_fops, xpf_hiwater_get, xpf_hiwater_set, "%llu\n");

/**
 * xpf_dma_debugfs_init() - the DMA layer's debugfs files ("dma" in @parent)
 * @parent: the module's directory
 */
void xpf_dma_debugfs_init(struct dentry *parent)
{
	xpf_dbg_dir = debugfs_create_dir("dma", parent);
	debugfs_create_file("stats", 0444, xpf_dbg_dir, NULL, &xpf_dma_stats_fops);
	debugfs_create_file_unsafe("hiwater", 0600, xpf_dbg_dir, NULL, &xpf_hiwater_fops);
}

/**
 * xpf_dma_debugfs_dir() - the DMA layer's debugfs directory
 *
 * Return: the directory, or NULL/ERR_PTR when there is none.
 */
struct dentry *xpf_dma_debugfs_dir(void)
{
	return xpf_dbg_dir;
}

/**
 * xpf_dma_debugfs_exit() - remove the DMA layer's debugfs files
 */
void xpf_dma_debugfs_exit(void)
{
	debugfs_remove(xpf_dbg_dir);
	xpf_dbg_dir = NULL;
}
