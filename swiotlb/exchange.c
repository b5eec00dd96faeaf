// SPDX-License-Identifier: GPL-2.0
/*
 * Machine-contiguous memory for a Xen PV guest, made by the guest itself.
 *
 * Xen's XENMEM_exchange swaps the frames behind a block of our pages for one
 * contiguous extent below a given address width. In a PV guest we own the
 * page tables and the pfn->mfn table (p2m), so around the hypercall we must:
 *  - drop the kernel's direct-map PTEs of the pages (Xen only takes frames
 *    nobody maps) and mark their p2m entries invalid,
 *  - after the exchange, point the PTEs and p2m entries at the new frames
 *    (flushing the TLBs of every CPU), and check the M2P entries Xen wrote.
 * Releasing a region does the same in the other direction, so no low machine
 * memory stays with us. Nothing here BUG()s: a refused exchange is rolled
 * back, a partial one is repaired with fresh frames and reported.
 *
 * The kernel's xen_create_contiguous_region() does this in-tree, but it is
 * not exported to modules on 6.1.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <xen/xen.h>
#include <xen/features.h>
#include <xen/interface/memory.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "dma-internal.h"

struct xpf_xchg_stats xpf_xchg;

/* The p2m array (xen_p2m_addr[pfn] = mfn) is exported; entries of RAM pages
 * live in private, writable p2m pages. Write one entry the way the kernel
 * does: an exception-safe store, allocating a private p2m page if the entry
 * still sits in a shared read-only one.
 */
static bool xpf_p2m_set(unsigned long pfn, unsigned long mfn, bool may_alloc)
{
	if (pfn >= xen_p2m_size)
		return false;
	if (!xen_safe_write_ulong(xen_p2m_addr + pfn, mfn))
		return true;
	if (!may_alloc || xen_alloc_p2m_entry(pfn) < 0)
		return false;
	return !xen_safe_write_ulong(xen_p2m_addr + pfn, mfn);
}

/* Make sure every p2m entry of the range can be written without allocating. */
static bool xpf_p2m_prepare(unsigned long pfn, unsigned long n, gfp_t gfp)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		unsigned long cur;

		if (pfn + i >= xen_p2m_size || xen_safe_read_ulong(xen_p2m_addr + pfn + i, &cur))
			return false;
		if (!xpf_p2m_set(pfn + i, cur, gfpflags_allow_blocking(gfp)))
			return false;
	}
	return true;
}

/*
 * Point the direct-map PTEs of @n pages at @vaddr at new frames: frames[i]
 * when @frames, else @first + i, or at nothing when @zap. One multicall; the
 * last entry flushes the TLBs of all CPUs. Returns the number of failures.
 */
static unsigned long xpf_set_ptes(struct xpf_region *r, unsigned long vaddr,
				  unsigned long n, const unsigned long *frames,
				  unsigned long first, bool zap)
{
	unsigned long i, bad = 0;
	pte_t pte;

	for (i = 0; i < n; i++) {
		struct multicall_entry *mc = &r->mc[i];

		if (zap)
			pte = mfn_pte(0, __pgprot(0));
		else
			pte = mfn_pte(frames ? frames[i] : first + i, PAGE_KERNEL);
		mc->op = __HYPERVISOR_update_va_mapping;
		mc->result = 0;
		mc->args[0] = vaddr + i * PAGE_SIZE;
		mc->args[1] = pte.pte;
		mc->args[2] = i + 1 < n ? UVMF_NONE : UVMF_TLB_FLUSH | UVMF_ALL;
	}
	if (HYPERVISOR_multicall(r->mc, n))
		return n;
	for (i = 0; i < n; i++)
		if (r->mc[i].result)
			bad++;
	return bad;
}

/* Xen writes the M2P for exchanged PV frames; check it and repair any gap. */
static void xpf_m2p_check(unsigned long mfn, unsigned long pfn)
{
	struct mmu_update u;

	if (mfn_to_pfn_no_overrides(mfn) == pfn)
		return;
	u.ptr = ((u64)mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
	u.val = pfn;
	if (HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF))
		pr_warn_ratelimited("M2P update for mfn %#lx failed\n", mfn);
}

/* Install @n frames (array or contiguous from @first) for the pages at @pfn. */
static unsigned long xpf_install(struct xpf_region *r, unsigned long pfn, unsigned long n,
				 const unsigned long *frames, unsigned long first)
{
	unsigned long i, bad;

	bad = xpf_set_ptes(r, (unsigned long)pfn_to_kaddr(pfn), n, frames, first, false);
	for (i = 0; i < n; i++) {
		unsigned long mfn = frames ? frames[i] : first + i;

		xpf_p2m_set(pfn + i, mfn, false);
		xpf_m2p_check(mfn, pfn + i);
	}
	return bad;
}

static long xpf_memory_exchange(xen_pfn_t *in, unsigned long nr_in, unsigned int order_in,
				xen_pfn_t *out, unsigned long nr_out, unsigned int order_out,
				unsigned int bits, unsigned long *done)
{
	struct xen_memory_exchange x = {
		.in = { .nr_extents = nr_in, .extent_order = order_in, .domid = DOMID_SELF },
		.out = { .nr_extents = nr_out, .extent_order = order_out,
			 .address_bits = bits, .domid = DOMID_SELF },
	};
	long rc;

	set_xen_guest_handle(x.in.extent_start, in);
	set_xen_guest_handle(x.out.extent_start, out);
	rc = HYPERVISOR_memory_op(XENMEM_exchange, &x);
	*done = x.nr_exchanged;
	return rc;
}

/*
 * After a partial exchange, back the pfns whose frames Xen took with new ones.
 * Returns the number of pages left without memory.
 */
static unsigned long xpf_repair(struct xpf_region *r, unsigned long pfn, unsigned long n)
{
	struct xen_memory_reservation res = {
		.nr_extents = n, .extent_order = 0, .domid = DOMID_SELF,
	};
	unsigned long i;
	long got;

	for (i = 0; i < n; i++)
		r->frames[i] = pfn + i;
	set_xen_guest_handle(res.extent_start, r->frames);
	got = HYPERVISOR_memory_op(XENMEM_populate_physmap, &res);
	if (got < 0)
		got = 0;
	if (got)
		xpf_install(r, pfn, got, r->frames, 0);
	if (got < n) {
		/* These pfns have no memory behind them: never hand them back. */
		atomic_long_add(n - got, &xpf_xchg.lost_pages);
		pr_err("%lu pages lost after a partial XENMEM_exchange; they stay reserved\n",
		       n - got);
		return n - got;
	}
	return 0;
}

/**
 * xpf_region_create() - memory for one region, machine-contiguous under 2^@bits
 * @r: the region to fill
 * @order: its page order
 * @bits: address width (0 or 64: anywhere)
 * @gfp: allocation flags
 *
 * Keeps pages that are contiguous and aligned already; exchanges the others
 * with Xen. The memory is zeroed.
 *
 * Return: 0, -ENOMEM, or -EIO (pages lost, kept out of the allocator).
 */
int xpf_region_create(struct xpf_region *r, unsigned int order, unsigned int bits, gfp_t gfp)
{
	unsigned long n = 1UL << order, pfn, i, done, bad;
	u64 limit = bits && bits < 64 ? DMA_BIT_MASK(bits) : U64_MAX;
	xen_pfn_t out;
	void *vaddr;
	long rc;

	memset(r, 0, sizeof(*r));
	r->order = order;
	r->bits = bits;
	r->page = alloc_pages((gfp & ~__GFP_ZERO) | __GFP_NOWARN, order);
	if (!r->page)
		return -ENOMEM;
	vaddr = page_address(r->page);
	pfn = page_to_pfn(r->page);

	/* Already what we need? Keep it as it is. */
	if (xpf_phys_contig(PFN_PHYS(pfn), n << PAGE_SHIFT, limit, &r->maddr) &&
	    !(r->maddr & ((n << PAGE_SHIFT) - 1))) {
		memset(vaddr, 0, n << PAGE_SHIFT);
		return 0;
	}
	if (!xen_pv_domain() || xen_feature(XENFEAT_auto_translated_physmap))
		goto nomem;

	r->frames = kmalloc_array(n, sizeof(*r->frames), gfp & ~__GFP_ZERO);
	r->mc = kmalloc_array(n, sizeof(*r->mc), gfp & ~__GFP_ZERO);
	if (!r->frames || !r->mc || !xpf_p2m_prepare(pfn, n, gfp))
		goto nomem;
	memset(vaddr, 0, n << PAGE_SHIFT);

	/* 1. Remember the frames, unmap the pages, invalidate their p2m entries. */
	for (i = 0; i < n; i++)
		r->frames[i] = pfn_to_mfn(pfn + i);
	bad = xpf_set_ptes(r, (unsigned long)vaddr, n, NULL, 0, true);
	if (bad) {
		xpf_install(r, pfn, n, r->frames, 0);
		goto nomem;
	}
	for (i = 0; i < n; i++)
		xpf_p2m_set(pfn + i, INVALID_P2M_ENTRY, false);

	/* 2. n single frames in, one extent of 2^order frames under 2^bits out. */
	out = pfn;
	rc = xpf_memory_exchange(r->frames, n, 0, &out, 1, order,
				 bits >= 64 ? 0 : bits, &done);

	/* 3. Map the result, or put the old frames back. */
	if (done == n && !rc) {
		r->maddr = (dma_addr_t)out << PAGE_SHIFT;
		r->exchanged = true;
		atomic_long_inc(&xpf_xchg.ok);
		atomic_long_add(n, &xpf_xchg.low_pages);
		if (xpf_install(r, pfn, n, NULL, out) &&
		    xpf_set_ptes(r, (unsigned long)vaddr, n, NULL, out, false)) {
			/*
			 * Some pages have no mapping: neither usable nor safe to
			 * free. Keep them out of the allocator for good.
			 */
			atomic_long_add(n, &xpf_xchg.lost_pages);
			pr_err("mapping %lu exchanged pages failed twice; they stay reserved\n",
			       n);
			kfree(r->frames);
			kfree(r->mc);
			memset(r, 0, sizeof(*r));
			return -EIO;
		}
		/* New frames: whatever Xen left in them must not reach a device or a driver. */
		memset(vaddr, 0, n << PAGE_SHIFT);
		return 0;
	}
	if (done && done < n) {
		atomic_long_inc(&xpf_xchg.partial);
		pr_err("partial XENMEM_exchange (%lu of %lu, rc %ld), rolling back\n",
		       done, n, rc);
		xpf_install(r, pfn + done, n - done, r->frames + done, 0);
		if (xpf_repair(r, pfn, done)) {
			/* keep the pages out of the allocator for good */
			kfree(r->frames);
			kfree(r->mc);
			memset(r, 0, sizeof(*r));
			return -EIO;
		}
	} else {
		atomic_long_inc(&xpf_xchg.failed);
		xpf_install(r, pfn, n, r->frames, 0);
	}
nomem:
	kfree(r->frames);
	kfree(r->mc);
	__free_pages(r->page, order);
	memset(r, 0, sizeof(*r));
	return -ENOMEM;
}

/**
 * xpf_region_in_place() - are the pages of @r still on the frames the exchange gave?
 * @r: the region
 *
 * After xl restore or a migration every page sits on a frame the toolstack
 * chose.
 *
 * Return: false when they were moved.
 */
bool xpf_region_in_place(const struct xpf_region *r)
{
	unsigned long pfn = page_to_pfn(r->page), mfn = PFN_DOWN(r->maddr), i;

	for (i = 0; i < (1UL << r->order); i++)
		if (pfn_to_mfn(pfn + i) != mfn + i)
			return false;
	return true;
}

/**
 * xpf_region_moved() - account @r as moved to new, ordinary frames
 * @r: the region
 *
 * Its new frames are neither contiguous nor low, and there is nothing to
 * exchange back: its pages stay ours as they are.
 */
void xpf_region_moved(struct xpf_region *r)
{
	if (r->exchanged) {
		r->exchanged = false;
		atomic_long_sub(1UL << r->order, &xpf_xchg.low_pages);
	}
	atomic_long_inc(&xpf_xchg.moved);
}

/**
 * xpf_region_destroy() - zero and free a region, exchanging low frames back
 * @r: the region; safe on an empty one
 */
void xpf_region_destroy(struct xpf_region *r)
{
	unsigned long n = 1UL << r->order, pfn, i, done;
	xen_pfn_t in;
	long rc;

	if (!r->page)
		return;
	pfn = page_to_pfn(r->page);
	/* exchanging back frames that are no longer ours would wreck the p2m */
	if (r->exchanged && !xpf_region_in_place(r))
		xpf_region_moved(r);
	if (r->exchanged) {
		memset(page_address(r->page), 0, n << PAGE_SHIFT);
		in = pfn_to_mfn(pfn);
		if (xpf_set_ptes(r, (unsigned long)page_address(r->page), n, NULL, 0, true)) {
			xpf_install(r, pfn, n, NULL, in);
			atomic_long_inc(&xpf_xchg.undo_failed);
			goto out;
		}
		for (i = 0; i < n; i++) {
			xpf_p2m_set(pfn + i, INVALID_P2M_ENTRY, false);
			r->frames[i] = pfn + i;
		}
		rc = xpf_memory_exchange(&in, 1, r->order, r->frames, n, 0, 0, &done);
		if (done == 1 && !rc) {
			xpf_install(r, pfn, n, r->frames, 0);
			atomic_long_sub(n, &xpf_xchg.low_pages);
		} else {
			/* Still valid memory: map it back and free it; only the low frames stay. */
			xpf_install(r, pfn, n, NULL, in);
			atomic_long_inc(&xpf_xchg.undo_failed);
			pr_warn_ratelimited("giving back %lu KiB of low machine memory failed (rc %ld)\n",
					    n << (PAGE_SHIFT - 10), rc);
		}
	}
out:
	kfree(r->frames);
	kfree(r->mc);
	__free_pages(r->page, r->order);
	memset(r, 0, sizeof(*r));
}

/**
 * xpf_phys_to_bus() - the bus (machine) address of a guest physical address
 * @phys: the address
 *
 * Return: the machine address.
 */
dma_addr_t xpf_phys_to_bus(phys_addr_t phys)
{
	unsigned long mfn = pfn_to_mfn(PFN_DOWN(phys));

	return ((dma_addr_t)mfn << PAGE_SHIFT) | offset_in_page(phys);
}

/**
 * xpf_phys_contig() - is a buffer machine-contiguous and below a limit?
 * @phys: start
 * @size: bytes
 * @limit: highest bus address allowed
 * @dma: its bus address, when it is
 *
 * Return: true when the buffer can be mapped as it is.
 */
bool xpf_phys_contig(phys_addr_t phys, size_t size, u64 limit, dma_addr_t *dma)
{
	unsigned long pfn = PFN_DOWN(phys), last = PFN_DOWN(phys + size - 1), mfn, i;

	if (!size)
		return false;
	mfn = pfn_to_mfn(pfn);
	if (mfn == INVALID_P2M_ENTRY)
		return false;
	for (i = 1; i <= last - pfn; i++)
		if (pfn_to_mfn(pfn + i) != mfn + i)
			return false;
	*dma = ((dma_addr_t)mfn << PAGE_SHIFT) | offset_in_page(phys);
	return *dma + size - 1 <= limit && *dma + size - 1 >= *dma;
}
