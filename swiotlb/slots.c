// SPDX-License-Identifier: GPL-2.0
/*
 * Bounce-slot allocator (pure logic, also built by tests/swiotlb/).
 *
 * Every slot keeps the length of the free run that starts at it and ends at
 * the end of its segment. Allocating n slots at i needs free_run[i] >= n and
 * only touches the segment holding i; freeing rebuilds the runs backwards
 * from the end of the freed range to the previous used slot.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/log2.h>
#include <linux/minmax.h>

#include "slots.h"

int xpf_slots_init(struct xpf_slots *s, u32 nsegs, u32 nareas)
{
	u32 i, per_area;

	s->slot = NULL;
	s->area = NULL;
	s->nslots = 0;
	s->nareas = 0;
	if (!nsegs || !nareas || !is_power_of_2(nareas) || nsegs % nareas ||
	    nsegs > U32_MAX / XPF_SEG_SLOTS)
		return -EINVAL;

	s->slot = kvcalloc((size_t)nsegs * XPF_SEG_SLOTS, sizeof(*s->slot), GFP_KERNEL);
	s->area = kcalloc(nareas, sizeof(*s->area), GFP_KERNEL);
	if (!s->slot || !s->area) {
		xpf_slots_destroy(s);
		return -ENOMEM;
	}
	s->nslots = nsegs * XPF_SEG_SLOTS;
	s->nareas = nareas;
	for (i = 0; i < s->nslots; i++) {
		s->slot[i].head = XPF_NO_HEAD;
		s->slot[i].free_run = XPF_SEG_SLOTS - (i % XPF_SEG_SLOTS);
	}
	per_area = s->nslots / nareas;
	for (i = 0; i < nareas; i++) {
		spin_lock_init(&s->area[i].lock);
		s->area[i].first = i * per_area;
		s->area[i].nslots = per_area;
		s->area[i].next = 0;
		s->area[i].used = 0;
	}
	return 0;
}

void xpf_slots_destroy(struct xpf_slots *s)
{
	kvfree(s->slot);
	kfree(s->area);
	s->slot = NULL;
	s->area = NULL;
	s->nslots = 0;
	s->nareas = 0;
}

/*
 * The boundary rule in slots: a mapping of @n slots at index @j (inside its
 * segment) may not cross a multiple of @bslots; @bslots 0 means no rule.
 */
static bool xpf_slots_cross(u32 j, u32 n, u32 bslots)
{
	return bslots && j / bslots != (j + n - 1) / bslots;
}

/*
 * The device's segment boundary (bytes - 1) as a count of slots; 0 when it
 * never binds inside a segment. A boundary below one slot is -EINVAL unless
 * the mapping fits between two such boundaries where its head slot puts it.
 */
static int xpf_slots_boundary(const struct xpf_slot_req *req, u32 off, u32 *bslots)
{
	u64 b = req->seg_boundary;

	*bslots = 0;
	if (!b || b >= XPF_SEG_SIZE - 1)
		return 0;
	if (!is_power_of_2(b + 1))
		return -EINVAL;
	if (b + 1 < XPF_SLOT_SIZE) {
		/* every slot starts on such a boundary: only @off matters */
		if ((off & ~b) != ((off + req->size - 1) & ~b))
			return -EINVAL;
		return 0;
	}
	*bslots = (u32)((b + 1) >> XPF_SLOT_SHIFT);
	return 0;
}

/*
 * Turn a request into a slot count, the data offset in the head slot and the
 * rule every candidate start (index inside its segment) must follow:
 * (j & @cmask) == @cval, and no crossing of a multiple of @bslots.
 */
static int xpf_slots_shape(const struct xpf_slot_req *req, u32 *n, u32 *off,
			   u32 *cmask, u32 *cval, u32 *bslots)
{
	u32 mmask, mval, amask;

	if (!req->size || req->size > XPF_SEG_SIZE || req->alloc_align_mask >= XPF_SEG_SIZE)
		return -EINVAL;
	*off = req->orig & req->min_align_mask & (XPF_SLOT_SIZE - 1);
	if (req->size + *off > XPF_SEG_SIZE)
		return -EINVAL;
	*n = (req->size + *off + XPF_SLOT_SIZE - 1) >> XPF_SLOT_SHIFT;

	mmask = (req->min_align_mask & (XPF_SEG_SIZE - 1)) >> XPF_SLOT_SHIFT;
	mval = (req->orig >> XPF_SLOT_SHIFT) & mmask;
	amask = req->alloc_align_mask >> XPF_SLOT_SHIFT;
	if (req->size >= PAGE_SIZE)
		amask |= ((PAGE_SIZE - 1) >> XPF_SLOT_SHIFT) & ~mmask;
	if (amask & mval)
		return -EINVAL;
	*cmask = amask | mmask;
	*cval = mval;
	if (*cval + *n > XPF_SEG_SLOTS)
		return -EINVAL;
	if (xpf_slots_boundary(req, *off, bslots))
		return -EINVAL;
	if (*bslots) {
		u32 j;

		/* some start the alignment rules allow must keep inside the boundary */
		for (j = *cval; j + *n <= XPF_SEG_SLOTS; j = (((j | *cmask) + 1) & ~*cmask) | *cval)
			if (!xpf_slots_cross(j, *n, *bslots))
				return 0;
		return -EINVAL;
	}
	return 0;
}

static void xpf_slots_take(struct xpf_slots *s, u32 i, u32 n, u32 off,
			   const struct xpf_slot_req *req)
{
	u32 seg_start = i & ~(XPF_SEG_SLOTS - 1);
	u32 k;

	for (k = i; k < i + n; k++) {
		s->slot[k].free_run = 0;
		s->slot[k].head = i;
	}
	s->slot[i].orig = req->orig;
	s->slot[i].size = req->size;
	s->slot[i].nslots = n;
	s->slot[i].offset = off;
	/* free slots just before i now end their run at i */
	for (k = i; k-- > seg_start && s->slot[k].free_run;)
		s->slot[k].free_run = i - k;
}

/* Search one area (lock held); returns the head index or XPF_NO_HEAD. */
static u32 xpf_slots_search(struct xpf_slots *s, struct xpf_area *a, u32 n,
			    u32 cmask, u32 cval, u32 bslots)
{
	u32 nsegs = a->nslots / XPF_SEG_SLOTS;
	u32 start = a->next / XPF_SEG_SLOTS;
	u32 k, j, base;

	for (k = 0; k < nsegs; k++) {
		base = a->first + ((start + k) % nsegs) * XPF_SEG_SLOTS;
		for (j = cval; j + n <= XPF_SEG_SLOTS; j = (((j | cmask) + 1) & ~cmask) | cval) {
			if (s->slot[base + j].free_run >= n && !xpf_slots_cross(j, n, bslots))
				return base + j;
		}
	}
	return XPF_NO_HEAD;
}

int xpf_slots_alloc(struct xpf_slots *s, const struct xpf_slot_req *req,
		    u32 *index, u32 *offset)
{
	u32 n, off, cmask, cval, bslots, t, i;
	unsigned long flags;
	struct xpf_area *a;
	int ret;

	ret = xpf_slots_shape(req, &n, &off, &cmask, &cval, &bslots);
	if (ret)
		return ret;
	for (t = 0; t < s->nareas; t++) {
		a = &s->area[(req->cpu + t) & (s->nareas - 1)];
		if (READ_ONCE(a->used) + n > a->nslots)
			continue;
		spin_lock_irqsave(&a->lock, flags);
		i = xpf_slots_search(s, a, n, cmask, cval, bslots);
		if (i != XPF_NO_HEAD) {
			xpf_slots_take(s, i, n, off, req);
			a->used += n;
			a->next = (i - a->first + n) % a->nslots;
			spin_unlock_irqrestore(&a->lock, flags);
			*index = i;
			*offset = off;
			return 0;
		}
		spin_unlock_irqrestore(&a->lock, flags);
	}
	return -ENOSPC;
}

int xpf_slots_free(struct xpf_slots *s, u32 index)
{
	u32 n, k, cnt, seg_start, seg_end;
	struct xpf_area *a;
	unsigned long flags;

	if (index >= s->nslots)
		return -EINVAL;
	a = &s->area[index / (s->nslots / s->nareas)];
	spin_lock_irqsave(&a->lock, flags);
	n = s->slot[index].nslots;
	if (s->slot[index].head != index || !n) {
		spin_unlock_irqrestore(&a->lock, flags);
		return -EINVAL;
	}
	seg_start = index & ~(XPF_SEG_SLOTS - 1);
	seg_end = seg_start + XPF_SEG_SLOTS;
	cnt = index + n < seg_end ? s->slot[index + n].free_run : 0;
	for (k = index + n; k-- > index;) {
		s->slot[k].free_run = ++cnt;
		s->slot[k].head = XPF_NO_HEAD;
	}
	s->slot[index].orig = 0;
	s->slot[index].size = 0;
	s->slot[index].nslots = 0;
	s->slot[index].offset = 0;
	for (k = index; k-- > seg_start && s->slot[k].free_run;)
		s->slot[k].free_run = ++cnt;
	a->used -= n;
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

int xpf_slots_find(const struct xpf_slots *s, u64 pos, u32 len, u32 *head,
		   u64 *orig)
{
	const struct xpf_slot *h;
	u64 start;
	u32 idx;

	if (pos >= (u64)s->nslots << XPF_SLOT_SHIFT)
		return -EINVAL;
	idx = READ_ONCE(s->slot[pos >> XPF_SLOT_SHIFT].head);
	if (idx >= s->nslots)
		return -EINVAL;
	h = &s->slot[idx];
	if (READ_ONCE(h->head) != idx || !READ_ONCE(h->nslots))
		return -EINVAL;
	start = ((u64)idx << XPF_SLOT_SHIFT) + READ_ONCE(h->offset);
	if (pos < start || pos + max_t(u32, len, 1) > start + READ_ONCE(h->size))
		return -EINVAL;
	*head = idx;
	*orig = READ_ONCE(h->orig) + (pos - start);
	return 0;
}

u32 xpf_slots_used(const struct xpf_slots *s)
{
	u32 i, used = 0;

	for (i = 0; i < s->nareas; i++)
		used += READ_ONCE(s->area[i].used);
	return used;
}

u32 xpf_slots_max_size(u64 min_align_mask)
{
	u64 m = min_align_mask & (XPF_SEG_SIZE - 1);

	if (!m)
		return XPF_SEG_SIZE;
	return XPF_SEG_SIZE - ((m + XPF_SLOT_SIZE) & ~(u64)(XPF_SLOT_SIZE - 1));
}
