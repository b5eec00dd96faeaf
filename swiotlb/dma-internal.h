/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the files of the DMA bounce layer (swiotlb/).
 * pcifront/ uses include/xpf-dma.h only.
 */
#ifndef XPF_DMA_INTERNAL_H
#define XPF_DMA_INTERNAL_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/dma-map-ops.h>
#include <linux/pci.h>
#include <xen/interface/xen.h>

#include "slots.h"
#include "masks.h"

/*
 * Messages about another driver's device (nvme, a NIC) say that they come
 * from this layer: dev_*() get the module's name after the device's.
 */
#undef dev_fmt
#define dev_fmt(fmt) KBUILD_MODNAME ": " fmt

/* 64, 32 and up to six narrower widths (XPF_MIN_BITS..31) */
#define XPF_MAX_CLASSES	8

/**
 * struct xpf_region - a machine-contiguous, naturally aligned block of pages
 * @page: first page (alloc_pages() of @order)
 * @order: page order
 * @bits: address bits the block was exchanged for (0 = any address)
 * @maddr: machine (bus) address of the first byte
 * @exchanged: the frames were exchanged with Xen; release exchanges them back
 * @frames: scratch, 2^@order frame numbers
 * @mc: scratch, 2^@order multicall entries
 */
struct xpf_region {
	struct page *page;
	unsigned int order;
	unsigned int bits;
	dma_addr_t maddr;
	bool exchanged;
	unsigned long *frames;
	struct multicall_entry *mc;
};

int xpf_region_create(struct xpf_region *r, unsigned int order, unsigned int bits, gfp_t gfp);
void xpf_region_destroy(struct xpf_region *r);
bool xpf_region_in_place(const struct xpf_region *r);
void xpf_region_moved(struct xpf_region *r);
bool xpf_phys_contig(phys_addr_t phys, size_t size, u64 limit, dma_addr_t *dma);
dma_addr_t xpf_phys_to_bus(phys_addr_t phys);

/**
 * struct xpf_xchg_stats - exchange counters (all pages are 4 KiB frames)
 * @ok: successful exchanges
 * @failed: exchanges Xen refused (rolled back)
 * @partial: partial exchanges (rolled back with fresh frames)
 * @undo_failed: exchange-backs that failed (frames stay low, memory still freed)
 * @lost_pages: pages kept out of use: not backed again after a partial exchange,
 *              or left unmapped after a good one
 * @low_pages: pages currently held in exchanged (low/contiguous) regions
 * @moved: regions found on new frames after a restore or migration
 */
struct xpf_xchg_stats {
	atomic_long_t ok, failed, partial, undo_failed, lost_pages, low_pages, moved;
};

extern struct xpf_xchg_stats xpf_xchg;

/**
 * struct xpf_seg - one 256 KiB machine-contiguous chunk of a pool block
 * @r: the exchanged memory
 * @blk: owning block
 * @idx: index of the chunk in the block
 */
struct xpf_seg {
	struct xpf_region r;
	struct xpf_block *blk;
	u32 idx;
};

/**
 * struct xpf_block - a group of chunks sharing one slot allocator
 * @node: entry in the class's RCU list
 * @cls: owning class
 * @slots: the allocator
 * @nsegs: number of chunks
 * @seg: the chunks
 * @dying: no new allocations (shrink in progress)
 * @initial: made at class creation, never shrunk
 * @moved: its chunks were found on new frames after a restore; out of service
 * @idle_since: jiffies when the block was last seen unused (0: in use)
 * @reap: entry in a private list of blocks to free once RCU readers are done
 *        (@node stays untouched until then)
 */
struct xpf_block {
	struct list_head node;
	struct list_head reap;
	struct xpf_class *cls;
	struct xpf_slots slots;
	u32 nsegs;
	struct xpf_seg *seg;
	bool dying;
	bool initial;
	bool moved;
	unsigned long idle_since;
};

/**
 * struct xpf_class - bounce memory for one DMA address limit
 * @bits: address bits of the memory (64 = anywhere, machine-contiguous only)
 * @blocks: RCU list of blocks
 * @lock: serialises grow and shrink
 * @grow_work: background growth
 * @nslots: total slots of all blocks
 * @used: slots in use
 * @hiwater: highest @used seen (write 0 in debugfs to reset)
 * @want_grow: a mapping asked for growth and @grow_work has not run since
 * @maps: successful bounce mappings
 * @bytes: bytes bounced
 * @full: mappings refused because the class was full
 * @grows: blocks added
 * @grow_fails: growth attempts that failed
 * @shrinks: blocks released
 */
struct xpf_class {
	unsigned int bits;
	struct list_head blocks;
	struct mutex lock;	/* serialises grow and shrink */
	struct work_struct grow_work;
	atomic_t nslots;
	atomic_t used;
	atomic_t hiwater;
	atomic_t want_grow;
	atomic_long_t maps, bytes, full, grows, grow_fails, shrinks;
};

/**
 * struct xpf_dma_stats - layer-wide counters
 * @zc_maps: mappings done without bouncing
 * @zc_bytes: bytes mapped without bouncing
 * @bounce_maps: mappings that bounced
 * @bounce_bytes: bytes bounced
 * @map_errors: mappings that returned DMA_MAPPING_ERROR
 * @bad_unmaps: unmap/sync of addresses we did not hand out
 * @coherent: coherent buffers live
 * @coherent_bytes: bytes in live coherent buffers
 */
struct xpf_dma_stats {
	atomic_long_t zc_maps, zc_bytes, bounce_maps, bounce_bytes, map_errors, bad_unmaps;
	atomic_long_t coherent, coherent_bytes;
};

extern struct xpf_dma_stats xpf_dma_stats;
extern struct xpf_class *xpf_classes[XPF_MAX_CLASSES];
extern unsigned int xpf_pool_max_mib;
extern unsigned int xpf_pool_init_mib;
extern bool xpf_dma_force;
extern bool xpf_honour_force;
extern const struct dma_map_ops xpf_dma_ops;

/* pool.c: the class registry */
int xpf_pool_init(u64 top);
void xpf_pool_exit(void);
void xpf_pool_restored(void);
struct xpf_class *xpf_class_for_mask(u64 mask, bool create);
struct xpf_block *xpf_pool_lookup(dma_addr_t dma, u64 *pos);
void xpf_class_used(struct xpf_class *cls, int used);
void xpf_class_full(struct xpf_class *cls, bool grow);
u64 xpf_pool_required_mask(void);
u64 xpf_pool_bytes_held(void);
void xpf_pool_reset_hiwater(void);

/* bounce.c: mapping through a class */
dma_addr_t xpf_pool_map(struct device *dev, struct xpf_class *cls, phys_addr_t phys,
			size_t size, enum dma_data_direction dir, unsigned long attrs);
bool xpf_pool_unmap(struct device *dev, dma_addr_t dma, size_t size,
		    enum dma_data_direction dir, unsigned long attrs);
bool xpf_pool_sync(struct device *dev, dma_addr_t dma, size_t size,
		   enum dma_data_direction dir, bool for_cpu);

/* ops.c */
void xpf_coherent_exit(void);

/* devices.c */
void xpf_devices_add(struct pci_dev *pdev);
void xpf_devices_remove(struct pci_dev *pdev);
void xpf_devices_exit(void);
const struct dma_map_ops *xpf_devices_prev_ops(struct device *dev);

/* debugfs.c */
struct dentry;
void xpf_dma_debugfs_init(struct dentry *parent);
struct dentry *xpf_dma_debugfs_dir(void);
void xpf_dma_debugfs_exit(void);

/* bench.c: only in the debug flavour (XPF_DEBUG=1) */
#ifdef XPF_DEBUG
#define XPF_DEBUG_FLAVOUR 1
void xpf_dma_bench_init(struct dentry *dir);
void xpf_dma_bench_exit(void);
#else
#define XPF_DEBUG_FLAVOUR 0
static inline void xpf_dma_bench_init(struct dentry *dir) {}
static inline void xpf_dma_bench_exit(void) {}
#endif

#endif /* XPF_DMA_INTERNAL_H */
