/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounce-slot allocator of the xen-pcifront DMA layer.
 *
 * Pure logic: no hypercalls, no page tables. The same source builds in the
 * kernel and in the userspace tests (tests/swiotlb/) against a small shim.
 *
 * A pool is an array of 2 KiB slots grouped in segments of 128 slots
 * (256 KiB, one machine-contiguous chunk). A mapping never crosses a
 * segment. The slots are split into a power-of-two number of areas, each
 * with its own lock, so CPUs mostly allocate in their own area.
 */
#ifndef XPF_SLOTS_H
#define XPF_SLOTS_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/spinlock.h>

#define XPF_SLOT_SHIFT	11
#define XPF_SLOT_SIZE	((u32)BIT(XPF_SLOT_SHIFT))
#define XPF_SEG_SLOTS	128U
#define XPF_SEG_SHIFT	(XPF_SLOT_SHIFT + 7)
#define XPF_SEG_SIZE	((u32)BIT(XPF_SEG_SHIFT))
#define XPF_NO_HEAD	0xffffffffU

/**
 * struct xpf_slot - state of one 2 KiB slot
 * @orig: head slot only: physical address of the first byte of the original buffer
 * @size: head slot only: mapping size in bytes
 * @head: index of the first slot of the mapping this slot belongs to,
 *        %XPF_NO_HEAD when the slot is free
 * @nslots: head slot only: number of slots the mapping occupies
 * @offset: head slot only: byte offset of the data inside the head slot
 * @free_run: number of free slots from this one to the end of its segment,
 *            0 when the slot is in use
 */
struct xpf_slot {
	u64 orig;
	u32 size;
	u32 head;
	u16 nslots;
	u16 offset;
	u16 free_run;
};

/**
 * struct xpf_area - a lock-protected range of slots
 * @lock: protects the slots of the area and the fields below
 * @first: index of the first slot of the area
 * @nslots: number of slots in the area (a multiple of %XPF_SEG_SLOTS)
 * @next: slot index (relative to @first) where the next search starts
 * @used: slots in use in this area
 */
struct xpf_area {
	spinlock_t lock;	/* protects the area's slots and counters */
	u32 first;
	u32 nslots;
	u32 next;
	u32 used;
};

/**
 * struct xpf_slots - a slot allocator over one pool block
 * @nslots: total number of slots
 * @nareas: number of areas (power of two)
 * @slot: per-slot state, @nslots entries
 * @area: @nareas areas
 */
struct xpf_slots {
	u32 nslots;
	u32 nareas;
	struct xpf_slot *slot;
	struct xpf_area *area;
};

/**
 * struct xpf_slot_req - one bounce allocation request
 * @orig: physical address of the original buffer (its low bits drive min_align_mask)
 * @size: bytes to map (1 .. %XPF_SEG_SIZE)
 * @min_align_mask: the device's min_align_mask: the bounce address keeps these
 *                  bits of @orig (only bits below %XPF_SEG_SIZE can be kept)
 * @alloc_align_mask: the bounce slot start must have these bits clear
 *                    (must be below %XPF_SEG_SIZE)
 * @seg_boundary: the device's dma_get_seg_boundary(): the mapped bytes must
 *                not cross an address that is a multiple of @seg_boundary + 1
 *                (0 or a mask of %XPF_SEG_SIZE - 1 and more: no limit, as
 *                segments start at such multiples and mappings stay inside one)
 * @cpu: the calling CPU, selects the first area tried
 *
 * A mapping of PAGE_SIZE or more also starts page aligned, except for the
 * bits that @min_align_mask fixes.
 */
struct xpf_slot_req {
	u64 orig;
	u32 size;
	u64 min_align_mask;
	u64 alloc_align_mask;
	u64 seg_boundary;
	unsigned int cpu;
};

/**
 * xpf_slots_init() - set up an allocator
 * @s: allocator to fill
 * @nsegs: number of 256 KiB segments (> 0, multiple of @nareas)
 * @nareas: number of areas (power of two, > 0)
 *
 * Return: 0, -EINVAL for bad geometry, -ENOMEM.
 */
int xpf_slots_init(struct xpf_slots *s, u32 nsegs, u32 nareas);

/**
 * xpf_slots_destroy() - free the allocator's arrays
 * @s: allocator (may be zeroed or already destroyed)
 */
void xpf_slots_destroy(struct xpf_slots *s);

/**
 * xpf_slots_alloc() - allocate slots for one mapping
 * @s: allocator
 * @req: what to map
 * @index: out: index of the head slot
 * @offset: out: byte offset of the data inside the head slot; the bounce
 *          address is the pool base + @index * %XPF_SLOT_SIZE + @offset
 *
 * The pool base must be %XPF_SEG_SIZE aligned for the alignment rules to
 * hold on real addresses.
 *
 * Return: 0, -EINVAL for an impossible request, -ENOSPC when full.
 */
int xpf_slots_alloc(struct xpf_slots *s, const struct xpf_slot_req *req,
		    u32 *index, u32 *offset);

/**
 * xpf_slots_free() - release a mapping
 * @s: allocator
 * @index: head slot index returned by xpf_slots_alloc()
 *
 * Return: 0, or -EINVAL if @index is not the head of a live mapping (nothing
 * is changed then).
 */
int xpf_slots_free(struct xpf_slots *s, u32 index);

/**
 * xpf_slots_find() - find the mapping that covers a byte range
 * @s: allocator
 * @pos: byte position inside the pool (bounce address - pool base)
 * @len: length of the range (0 is treated as 1)
 * @head: out: head slot index of the mapping
 * @orig: out: physical address in the original buffer matching @pos
 *
 * Return: 0, or -EINVAL if the range is not inside one live mapping.
 */
int xpf_slots_find(const struct xpf_slots *s, u64 pos, u32 len, u32 *head,
		   u64 *orig);

/**
 * xpf_slots_used() - number of slots in use (a snapshot)
 * @s: allocator
 *
 * Return: sum of the areas' used counters.
 */
u32 xpf_slots_used(const struct xpf_slots *s);

/**
 * xpf_slots_max_size() - the largest mapping that always fits in a free segment
 * @min_align_mask: the device's min_align_mask
 *
 * Return: bytes.
 */
u32 xpf_slots_max_size(u64 min_align_mask);

#endif /* XPF_SLOTS_H */
