// SPDX-License-Identifier: GPL-2.0
/*
 * Reference model for the slot allocator. The placement rules are written
 * here again from the interface description in include/slots.h, on
 * addresses rather than slot masks, so a mistake in slots.c does not repeat
 * itself here.
 */
#include <string.h>
#include <stdarg.h>
#include "model.h"

#define SEG_BYTES ((u64)XPF_SEG_SIZE)

static int fail(struct model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	return -1;
}

int model_init(struct model *m, u32 nsegs, u32 nareas)
{
	memset(m, 0, sizeof(*m));
	if (xpf_slots_init(&m->s, nsegs, nareas))
		return -1;
	m->maps = calloc(m->s.nslots, sizeof(*m->maps));
	m->busy = calloc(m->s.nslots, 1);
	return m->maps && m->busy ? 0 : -1;
}

void model_destroy(struct model *m)
{
	xpf_slots_destroy(&m->s);
	free(m->maps);
	free(m->busy);
}

static u64 req_offset(const struct xpf_slot_req *r)
{
	return r->orig & r->min_align_mask & (XPF_SLOT_SIZE - 1);
}

/* Does a mapping whose head slot starts at byte address @a obey every rule? */
static bool placement_ok(const struct xpf_slot_req *r, u64 a)
{
	u64 off = req_offset(r);
	u64 keep = r->min_align_mask & (SEG_BYTES - 1);

	if (a & r->alloc_align_mask)
		return false;
	if (((a + off) & keep) != (r->orig & keep))
		return false;
	if (r->size >= PAGE_SIZE && (a & (PAGE_SIZE - 1) & ~r->min_align_mask))
		return false;
	if ((a % SEG_BYTES) + off + r->size > SEG_BYTES)
		return false;
	/* segments start on multiples of SEG_BYTES in bus space: so may the pool */
	if (r->seg_boundary && (((a + off) | r->seg_boundary) !=
				((a + off + r->size - 1) | r->seg_boundary)))
		return false;
	return true;
}

static u32 req_slots(const struct xpf_slot_req *r)
{
	return (u32)((r->size + req_offset(r) + XPF_SLOT_SIZE - 1) / XPF_SLOT_SIZE);
}

int model_fits(const struct model *m, const struct xpf_slot_req *r)
{
	bool possible = false;
	u32 i, k, n;

	if (!r->size || r->size > SEG_BYTES || r->alloc_align_mask >= SEG_BYTES)
		return -EINVAL;
	n = req_slots(r);
	for (i = 0; i < XPF_SEG_SLOTS; i++)
		if (placement_ok(r, (u64)i * XPF_SLOT_SIZE))
			possible = true;
	if (!possible)
		return -EINVAL;
	for (i = 0; i + n <= m->s.nslots; i++) {
		if (!placement_ok(r, (u64)i * XPF_SLOT_SIZE))
			continue;
		for (k = 0; k < n && !m->busy[i + k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

int model_alloc(struct model *m, const struct xpf_slot_req *r, int *ret)
{
	int fits = model_fits(m, r);
	u32 idx = 0, off = 0, k, n;

	*ret = xpf_slots_alloc(&m->s, r, &idx, &off);
	if (*ret == -EINVAL)
		return fits == -EINVAL ? 0 :
			fail(m, "alloc size %u orig %#llx: -EINVAL but model says %d", r->size,
			     (unsigned long long)r->orig, fits);
	if (*ret == -ENOSPC)
		return fits == 0 ? 0 :
			fail(m, "alloc size %u min %#llx align %#llx: -ENOSPC but model says %d",
			     r->size, (unsigned long long)r->min_align_mask,
			     (unsigned long long)r->alloc_align_mask, fits);
	if (*ret)
		return fail(m, "alloc returned %d", *ret);
	if (fits != 1)
		return fail(m, "alloc succeeded where the model says %d", fits);
	n = req_slots(r);
	if (off != req_offset(r))
		return fail(m, "offset %u, want %llu", off, (unsigned long long)req_offset(r));
	if (idx + n > m->s.nslots || !placement_ok(r, (u64)idx * XPF_SLOT_SIZE))
		return fail(m, "bad placement at slot %u (size %u orig %#llx min %#llx al %#llx)",
			    idx, r->size, (unsigned long long)r->orig,
			    (unsigned long long)r->min_align_mask,
			    (unsigned long long)r->alloc_align_mask);
	for (k = 0; k < n; k++) {
		if (m->busy[idx + k])
			return fail(m, "slot %u handed out twice", idx + k);
		m->busy[idx + k] = 1;
	}
	m->maps[m->nmaps].index = idx;
	m->maps[m->nmaps].offset = off;
	m->maps[m->nmaps].nslots = n;
	m->maps[m->nmaps].req = *r;
	m->nmaps++;
	return 0;
}

int model_free(struct model *m, u32 which)
{
	struct model_map *mp = &m->maps[which];
	u32 k;
	int ret = xpf_slots_free(&m->s, mp->index);

	if (ret)
		return fail(m, "free of live mapping at %u returned %d", mp->index, ret);
	for (k = 0; k < mp->nslots; k++)
		m->busy[mp->index + k] = 0;
	*mp = m->maps[--m->nmaps];
	return 0;
}

int model_bad_free(struct model *m, u32 index)
{
	u32 i;

	for (i = 0; i < m->nmaps; i++)
		if (m->maps[i].index == index)
			return 0;
	if (xpf_slots_free(&m->s, index) != -EINVAL)
		return fail(m, "free of non-head slot %u was accepted", index);
	return 0;
}

int model_check(struct model *m)
{
	u32 i, run = 0, used = 0, head;
	u64 orig, start;

	for (i = m->s.nslots; i-- > 0;) {
		if (i % XPF_SEG_SLOTS == XPF_SEG_SLOTS - 1)
			run = 0;
		run = m->busy[i] ? 0 : run + 1;
		if (m->s.slot[i].free_run != run)
			return fail(m, "slot %u free_run %u, want %u", i,
				    m->s.slot[i].free_run, run);
		if (!m->busy[i] && !xpf_slots_find(&m->s, (u64)i * XPF_SLOT_SIZE, 1, &head, &orig))
			return fail(m, "find on free slot %u succeeded", i);
	}
	for (i = 0; i < m->nmaps; i++) {
		struct model_map *mp = &m->maps[i];
		u32 size = mp->req.size;
		u32 probe[3] = { 0, size / 2, size - 1 };
		int k;

		used += mp->nslots;
		start = (u64)mp->index * XPF_SLOT_SIZE + mp->offset;
		for (k = 0; k < 3; k++) {
			if (xpf_slots_find(&m->s, start + probe[k], 1, &head, &orig) ||
			    head != mp->index || orig != mp->req.orig + probe[k])
				return fail(m, "find at +%u of mapping %u wrong",
					    probe[k], mp->index);
		}
		if (!xpf_slots_find(&m->s, start, size + 1, &head, &orig))
			return fail(m, "find past the end of mapping %u succeeded", mp->index);
		if (mp->offset && !xpf_slots_find(&m->s, start - 1, 1, &head, &orig))
			return fail(m, "find before the start of mapping %u succeeded", mp->index);
	}
	if (xpf_slots_used(&m->s) != used)
		return fail(m, "used %u, want %u", xpf_slots_used(&m->s), used);
	return 0;
}
