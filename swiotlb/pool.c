// SPDX-License-Identifier: GPL-2.0
/*
 * The class registry: bounce memory, one class per DMA address width (e.g.
 * 32-bit, 28-bit, any), its blocks, growth, shrinking and the rebuild after
 * a restore. Mapping through a class is bounce.c's.
 *
 * A class is a list of blocks; a block is a set of 256 KiB machine-contiguous
 * chunks (swiotlb/exchange.c) with one slot allocator (swiotlb/slots.c).
 * A class grows by one block in the background when a mapping finds it
 * dma_pool_grow_pct full (three quarters) or a mapping failed, up to
 * dma_pool_max_mib, and gives idle blocks back (exchanging the memory back to
 * Xen) after dma_pool_idle_secs.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/rculist.h>
#include <linux/xarray.h>
#include <linux/log2.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/smp.h>
#include <linux/io.h>

#include "dma-internal.h"
#include "dma_trace.h"

#define XPF_SEG_ORDER	(XPF_SEG_SHIFT - PAGE_SHIFT)

unsigned int xpf_pool_init_mib = 4;
module_param_named(dma_pool_init_mib, xpf_pool_init_mib, uint, 0444);
MODULE_PARM_DESC(dma_pool_init_mib, "Bounce pool made per DMA address class at start, MiB (default 4)");

unsigned int xpf_pool_max_mib = 64;
module_param_named(dma_pool_max_mib, xpf_pool_max_mib, uint, 0644);
MODULE_PARM_DESC(dma_pool_max_mib, "Largest bounce pool per DMA address class, MiB (default 64)");

static unsigned int xpf_pool_grow_mib = 4;
module_param_named(dma_pool_grow_mib, xpf_pool_grow_mib, uint, 0644);
MODULE_PARM_DESC(dma_pool_grow_mib, "Bounce pool growth step, MiB (default 4)");

static unsigned int xpf_pool_grow_pct = 75;
module_param_named(dma_pool_grow_pct, xpf_pool_grow_pct, uint, 0644);
MODULE_PARM_DESC(dma_pool_grow_pct, "Grow a bounce class in the background when a mapping finds it this full, percent (default 75; 100: only when a mapping is refused)");

static unsigned int xpf_pool_idle_secs = 30;
module_param_named(dma_pool_idle_secs, xpf_pool_idle_secs, uint, 0644);
MODULE_PARM_DESC(dma_pool_idle_secs, "Give an extra bounce block back after it was idle this long, s (default 30)");

struct xpf_class *xpf_classes[XPF_MAX_CLASSES];
static DEFINE_MUTEX(xpf_classes_lock);
static DEFINE_XARRAY(xpf_segs);	/* machine chunk number -> struct xpf_seg */
static struct delayed_work xpf_shrink_work;
static struct work_struct xpf_restore_work;
static bool xpf_pool_up;
static u64 xpf_pool_top = DMA_BIT_MASK(64);	/* xpf_mask_top() of the host */

static u32 xpf_mib_to_segs(unsigned int mib)
{
	return max_t(u32, 1, min_t(u64, U32_MAX, ((u64)mib << 20) >> XPF_SEG_SHIFT));
}

static u32 xpf_block_areas(u32 nsegs)
{
	u32 n = roundup_pow_of_two(num_possible_cpus());

	return min_t(u32, n, rounddown_pow_of_two(nsegs));
}

static void xpf_block_free(struct xpf_block *blk)
{
	u32 i;

	/* only our own keys: a moved block's old addresses may be a new block's now */
	for (i = 0; i < blk->nsegs; i++) {
		if (blk->seg[i].r.page)
			xa_cmpxchg(&xpf_segs, blk->seg[i].r.maddr >> XPF_SEG_SHIFT,
				   &blk->seg[i], NULL, GFP_KERNEL);
	}
	for (i = 0; i < blk->nsegs; i++)
		xpf_region_destroy(&blk->seg[i].r);
	xpf_slots_destroy(&blk->slots);
	kfree(blk->seg);
	kfree(blk);
}

/* Make a block of up to @nsegs chunks; fewer if Xen runs short. */
static struct xpf_block *xpf_block_create(struct xpf_class *cls, u32 nsegs)
{
	struct xpf_block *blk;
	u32 i, got = 0, nareas;

	blk = kzalloc(sizeof(*blk), GFP_KERNEL);
	if (!blk)
		return NULL;
	blk->cls = cls;
	blk->seg = kcalloc(nsegs, sizeof(*blk->seg), GFP_KERNEL);
	if (!blk->seg)
		goto fail;
	blk->nsegs = nsegs;
	for (i = 0; i < nsegs; i++) {
		struct xpf_region *r = &blk->seg[got].r;

		if (xpf_region_create(r, XPF_SEG_ORDER, cls->bits >= 64 ? 0 : cls->bits,
				      GFP_KERNEL))
			continue;
		/*
		 * A block moved by a restore keeps its old bus addresses while
		 * mappings made before the save are live; a chunk that landed
		 * on one of them is not used, so every address has one owner.
		 */
		if (xa_load(&xpf_segs, r->maddr >> XPF_SEG_SHIFT)) {
			xpf_region_destroy(r);
			continue;
		}
		got++;
	}
	if (!got)
		goto fail;
	nareas = xpf_block_areas(got);
	while (got % nareas)
		xpf_region_destroy(&blk->seg[--got].r);
	blk->nsegs = got;
	if (xpf_slots_init(&blk->slots, got, nareas))
		goto fail;
	for (i = 0; i < got; i++) {
		blk->seg[i].blk = blk;
		blk->seg[i].idx = i;
		if (xa_insert(&xpf_segs, blk->seg[i].r.maddr >> XPF_SEG_SHIFT,
			      &blk->seg[i], GFP_KERNEL))
			goto fail;
	}
	return blk;
fail:
	if (blk->seg)
		xpf_block_free(blk);
	else
		kfree(blk);
	return NULL;
}

static u64 xpf_class_bytes(struct xpf_class *cls)
{
	return (u64)atomic_read(&cls->nslots) << XPF_SLOT_SHIFT;
}

static bool xpf_class_has_initial(struct xpf_class *cls)
{
	struct xpf_block *blk;

	list_for_each_entry(blk, &cls->blocks, node)
		if (blk->initial)
			return true;
	return false;
}

/* Add one block (@nsegs chunks); class lock held. */
static int xpf_class_grow_locked(struct xpf_class *cls, u32 nsegs)
{
	u64 max = (u64)xpf_pool_max_mib << 20;
	u64 asked = (u64)nsegs << XPF_SEG_SHIFT;
	struct xpf_block *blk;
	int err = -ENOSPC;

	if (xpf_class_bytes(cls) + asked > max) {
		if (xpf_class_bytes(cls) >= max)
			goto out;
		nsegs = (max - xpf_class_bytes(cls)) >> XPF_SEG_SHIFT;
		if (!nsegs)
			goto out;
	}
	blk = xpf_block_create(cls, nsegs);
	if (!blk) {
		atomic_long_inc(&cls->grow_fails);
		err = -ENOMEM;
		goto out;
	}
	blk->initial = !xpf_class_has_initial(cls);
	list_add_tail_rcu(&blk->node, &cls->blocks);
	atomic_add(blk->slots.nslots, &cls->nslots);
	atomic_long_inc(&cls->grows);
	trace_xpf_pool_grow(cls->bits, (u64)blk->slots.nslots << XPF_SLOT_SHIFT,
			    xpf_class_bytes(cls), 0);
	return 0;
out:
	trace_xpf_pool_grow(cls->bits, asked, xpf_class_bytes(cls), err);
	return err;
}

/*
 * A mapping found the class three quarters full or full: grow by one step,
 * even if the burst is over by now (under bursty I/O it always is), so the
 * next burst finds room. Idle blocks go back after dma_pool_idle_secs.
 */
static void xpf_grow_work(struct work_struct *w)
{
	struct xpf_class *cls = container_of(w, struct xpf_class, grow_work);

	mutex_lock(&cls->lock);
	if (atomic_xchg(&cls->want_grow, 0))
		xpf_class_grow_locked(cls, xpf_mib_to_segs(xpf_pool_grow_mib));
	mutex_unlock(&cls->lock);
}

static void xpf_class_want_grow(struct xpf_class *cls)
{
	if (!atomic_xchg(&cls->want_grow, 1))
		queue_work(system_unbound_wq, &cls->grow_work);
}

/**
 * xpf_class_for_mask() - the bounce class for a device's DMA limit
 * @mask: the limit (DMA mask, lowered by the bus limit)
 * @create: make the class when it does not exist (may sleep)
 *
 * Return: the class of the width xpf_mask_class_bits() gives, or the widest
 * narrower one; NULL when none serves @mask.
 */
struct xpf_class *xpf_class_for_mask(u64 mask, bool create)
{
	unsigned int want = xpf_mask_class_bits(mask, xpf_pool_top), i;
	struct xpf_class *cls, *best = NULL;

	if (!want || !READ_ONCE(xpf_pool_up))
		return NULL;
	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		cls = READ_ONCE(xpf_classes[i]);
		if (!cls || cls->bits > want)
			continue;
		if (cls->bits == want)
			return cls;
		if (!best || cls->bits > best->bits)
			best = cls;
	}
	if (!create)
		return best;

	mutex_lock(&xpf_classes_lock);
	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		cls = xpf_classes[i];
		if (cls && cls->bits == want)
			goto out;
	}
	for (i = 0; i < XPF_MAX_CLASSES && xpf_classes[i]; i++)
		;
	cls = NULL;
	if (i == XPF_MAX_CLASSES) {
		if (best)
			pr_warn_once("%u DMA bounce classes in use; %u-bit masks share the %u-bit class\n",
				     XPF_MAX_CLASSES, want, best->bits);
		else
			pr_err_once("%u DMA bounce classes in use, none serves %u-bit masks: their mappings fail\n",
				    XPF_MAX_CLASSES, want);
		goto out;
	}
	cls = kzalloc(sizeof(*cls), GFP_KERNEL);
	if (!cls)
		goto out;
	cls->bits = want;
	INIT_LIST_HEAD(&cls->blocks);
	mutex_init(&cls->lock);
	INIT_WORK(&cls->grow_work, xpf_grow_work);
	mutex_lock(&cls->lock);
	if (xpf_class_grow_locked(cls, xpf_mib_to_segs(xpf_pool_init_mib)))
		pr_warn("no machine memory below 2^%u for the initial bounce pool; it will retry on demand\n",
			want);
	mutex_unlock(&cls->lock);
	WRITE_ONCE(xpf_classes[i], cls);
	pr_info("DMA bounce class %u-bit: %llu KiB\n", want,
		xpf_class_bytes(cls) >> 10);
out:
	mutex_unlock(&xpf_classes_lock);
	return cls ? cls : best;
}

/**
 * xpf_pool_lookup() - the block and pool position behind a bus address
 * @dma: a bus address
 * @pos: its position within the block's slots, when found
 *
 * Context: RCU read lock held.
 * Return: the block, or NULL when @dma is not in our pools.
 */
struct xpf_block *xpf_pool_lookup(dma_addr_t dma, u64 *pos)
{
	struct xpf_seg *seg = xa_load(&xpf_segs, dma >> XPF_SEG_SHIFT);

	if (!seg)
		return NULL;
	*pos = ((u64)seg->idx << XPF_SEG_SHIFT) + (dma & (XPF_SEG_SIZE - 1));
	return seg->blk;
}

/**
 * xpf_class_used() - account a new mapping of @cls
 * @cls: the class
 * @used: slots in use after it
 *
 * Raises the high-water mark and asks for growth when the class is
 * dma_pool_grow_pct full.
 */
void xpf_class_used(struct xpf_class *cls, int used)
{
	unsigned int pct = min(READ_ONCE(xpf_pool_grow_pct), 100U);
	int old = atomic_read(&cls->hiwater);

	while (used > old) {
		int prev = atomic_cmpxchg(&cls->hiwater, old, used);

		if (prev == old)
			break;
		old = prev;
	}
	if ((u64)used * 100 >= (u64)atomic_read(&cls->nslots) * pct &&
	    xpf_class_bytes(cls) < ((u64)xpf_pool_max_mib << 20))
		xpf_class_want_grow(cls);
}

/**
 * xpf_class_full() - account a refused mapping of @cls
 * @cls: the class
 * @grow: ask for growth (the class had no room)
 */
void xpf_class_full(struct xpf_class *cls, bool grow)
{
	atomic_long_inc(&cls->full);
	if (grow)
		xpf_class_want_grow(cls);
}

/* Give back one idle extra block of @cls; class lock held. */
static void xpf_class_shrink_locked(struct xpf_class *cls)
{
	unsigned long idle = (unsigned long)xpf_pool_idle_secs * HZ;
	struct xpf_block *blk, *victim = NULL;

	list_for_each_entry(blk, &cls->blocks, node) {
		if (blk->initial)
			continue;
		if (xpf_slots_used(&blk->slots)) {
			blk->idle_since = 0;
			continue;
		}
		if (!blk->idle_since)
			blk->idle_since = jiffies ? jiffies : 1;
		else if (!victim && time_after(jiffies, blk->idle_since + idle))
			victim = blk;
	}
	if (!victim)
		return;
	WRITE_ONCE(victim->dying, true);
	synchronize_rcu();	/* mappers that missed "dying" are done now */
	if (xpf_slots_used(&victim->slots)) {
		/* a moved block never serves new mappings again */
		WRITE_ONCE(victim->dying, victim->moved);
		victim->idle_since = 0;
		return;
	}
	list_del_rcu(&victim->node);
	atomic_sub(victim->slots.nslots, &cls->nslots);
	synchronize_rcu();
	trace_xpf_pool_shrink(cls->bits, (u64)victim->slots.nslots << XPF_SLOT_SHIFT,
			      xpf_class_bytes(cls), victim->moved);
	xpf_block_free(victim);
	atomic_long_inc(&cls->shrinks);
}

static void xpf_shrink_fn(struct work_struct *w)
{
	unsigned int i;

	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		struct xpf_class *cls = READ_ONCE(xpf_classes[i]);

		if (!cls)
			continue;
		mutex_lock(&cls->lock);
		xpf_class_shrink_locked(cls);
		mutex_unlock(&cls->lock);
	}
	schedule_delayed_work(&xpf_shrink_work, 5 * HZ);
}

static bool xpf_block_in_place(struct xpf_block *blk)
{
	u32 i;

	for (i = 0; i < blk->nsegs; i++)
		if (!xpf_region_in_place(&blk->seg[i].r))
			return false;
	return true;
}

/*
 * Take the blocks of @cls whose chunks were moved out of service, free those
 * without live mappings and make a fresh initial block. A moved block with
 * live mappings keeps its lookup keys, so the late unmaps of those mappings
 * find it (and nothing else); the shrink worker frees it once it is empty.
 * Class lock held. Returns the number of blocks found moved.
 */
static u32 xpf_class_restored_locked(struct xpf_class *cls)
{
	struct xpf_block *blk, *tmp;
	LIST_HEAD(gone);
	u32 moved = 0, i;

	list_for_each_entry(blk, &cls->blocks, node) {
		if (blk->moved || xpf_block_in_place(blk))
			continue;
		WRITE_ONCE(blk->dying, true);
		blk->moved = true;
		blk->initial = false;
		for (i = 0; i < blk->nsegs; i++)
			xpf_region_moved(&blk->seg[i].r);
		moved++;
	}
	if (!moved)
		return 0;
	synchronize_rcu();	/* mappers that missed "dying" are done now */
	list_for_each_entry(blk, &cls->blocks, node) {
		if (!blk->moved)
			continue;
		if (xpf_slots_used(&blk->slots)) {
			/* mapped across the save: those bus addresses are void */
			pr_err("%u bounce slots were mapped across save/restore (%u-bit class); detach devices before xl save\n",
			       xpf_slots_used(&blk->slots), cls->bits);
			continue;
		}
		list_del_rcu(&blk->node);
		atomic_sub(blk->slots.nslots, &cls->nslots);
		list_add(&blk->reap, &gone);
	}
	synchronize_rcu();	/* lookups that found a reaped block are done now */
	list_for_each_entry_safe(blk, tmp, &gone, reap) {
		trace_xpf_pool_shrink(cls->bits, (u64)blk->slots.nslots << XPF_SLOT_SHIFT,
				      xpf_class_bytes(cls), true);
		xpf_block_free(blk);
	}
	if (xpf_class_grow_locked(cls, xpf_mib_to_segs(xpf_pool_init_mib)))
		pr_warn("no machine memory below 2^%u after the restore; the pool will retry on demand\n",
			cls->bits);
	return moved;
}

static void xpf_restore_fn(struct work_struct *w)
{
	unsigned int i;
	u32 moved = 0;

	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		struct xpf_class *cls = READ_ONCE(xpf_classes[i]);

		if (!cls)
			continue;
		mutex_lock(&cls->lock);
		moved += xpf_class_restored_locked(cls);
		mutex_unlock(&cls->lock);
	}
	if (moved)
		pr_info("the guest runs on new machine frames (restore or migration): %u bounce blocks made again\n",
			moved);
}

/**
 * xpf_pool_restored() - the domain was resumed: rebuild what moved
 *
 * Queues the check of every block's frames (restore, migration, cancelled
 * save).
 */
void xpf_pool_restored(void)
{
	if (READ_ONCE(xpf_pool_up))
		queue_work(system_unbound_wq, &xpf_restore_work);
}

/**
 * xpf_pool_required_mask() - the DMA mask that reaches all machine memory
 *
 * Return: xpf_mask_top() of the host, as given to xpf_pool_init().
 */
u64 xpf_pool_required_mask(void)
{
	return xpf_pool_top;
}

/**
 * xpf_pool_bytes_held() - bounce memory held by all classes
 *
 * Return: bytes.
 */
u64 xpf_pool_bytes_held(void)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		struct xpf_class *cls = READ_ONCE(xpf_classes[i]);

		if (cls)
			sum += xpf_class_bytes(cls);
	}
	return sum;
}

/**
 * xpf_pool_reset_hiwater() - restart every class's high-water mark from its use now
 */
void xpf_pool_reset_hiwater(void)
{
	unsigned int i;

	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		struct xpf_class *cls = READ_ONCE(xpf_classes[i]);

		if (cls)
			atomic_set(&cls->hiwater, atomic_read(&cls->used));
	}
}

/**
 * xpf_pool_init() - start the class registry and make the 32-bit class
 * @top: xpf_mask_top() of the host
 *
 * Return: 0.
 */
int xpf_pool_init(u64 top)
{
	xpf_pool_top = top;
	INIT_DELAYED_WORK(&xpf_shrink_work, xpf_shrink_fn);
	INIT_WORK(&xpf_restore_work, xpf_restore_fn);
	WRITE_ONCE(xpf_pool_up, true);
	/* PCI devices start with a 32-bit mask: have that class ready. */
	if (!xpf_class_for_mask(DMA_BIT_MASK(32), true))
		pr_warn("could not set up the 32-bit bounce class\n");
	schedule_delayed_work(&xpf_shrink_work, 5 * HZ);
	return 0;
}

/**
 * xpf_pool_exit() - free every class and block, exchanging the memory back
 *
 * Reports slots still mapped.
 */
void xpf_pool_exit(void)
{
	struct xpf_block *blk, *tmp;
	unsigned int i;

	WRITE_ONCE(xpf_pool_up, false);
	cancel_work_sync(&xpf_restore_work);
	cancel_delayed_work_sync(&xpf_shrink_work);
	for (i = 0; i < XPF_MAX_CLASSES; i++) {
		struct xpf_class *cls = xpf_classes[i];

		if (!cls)
			continue;
		cancel_work_sync(&cls->grow_work);
		WRITE_ONCE(xpf_classes[i], NULL);
		synchronize_rcu();
		list_for_each_entry_safe(blk, tmp, &cls->blocks, node) {
			if (xpf_slots_used(&blk->slots))
				pr_err("%u bounce slots still mapped at exit (%u-bit class)\n",
				       xpf_slots_used(&blk->slots), cls->bits);
			list_del(&blk->node);
			xpf_block_free(blk);
		}
		kfree(cls);
	}
	xa_destroy(&xpf_segs);
}
