// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the bounce-slot allocator (swiotlb/slots.c), KTAP output.
 */
#include <stdio.h>
#include <string.h>
#include "model.h"
#include "masks.h"
#include "unit-ktap.h"

/* A test's verdict, once at its end: @why is printed when it failed. */
static void report(int ok, const char *why)
{
	if (!ok)
		ut_fail(why);
}

static u64 rnd_state;

static u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void random_req(struct xpf_slot_req *r, u32 nareas)
{
	static const u64 mins[] = { 0, 0, 0xfff, 0x7ff, 0x1fff, 0x3ff };
	static const u64 aligns[] = { 0, 0, 0, 0xfff, 0x3fff, 0x7ff };
	u64 kind = rnd() % 8;

	memset(r, 0, sizeof(*r));
	if (kind < 4)
		r->size = 1 + rnd() % 4096;
	else if (kind < 7)
		r->size = 1 + rnd() % 65536;
	else
		r->size = 1 + rnd() % XPF_SEG_SIZE;
	r->orig = rnd() & 0xffffffffffULL;
	r->min_align_mask = mins[rnd() % 6];
	r->alloc_align_mask = aligns[rnd() % 6];
	r->cpu = rnd() % (nareas * 2);
	/* a quarter of the requests with a segment boundary of 4 to 512 KiB */
	if (!(rnd() % 4))
		r->seg_boundary = (0x1000ULL << (rnd() % 8)) - 1;
}

/* Random alloc/free against the model; returns 0 or -1 with m->err. */
static int random_run(u64 seed, u32 nsegs, u32 nareas, int steps)
{
	struct model m;
	struct xpf_slot_req r;
	int i, ret, rc = 0;

	rnd_state = seed;
	if (model_init(&m, nsegs, nareas))
		return -1;
	for (i = 0; i < steps && !rc; i++) {
		u64 op = rnd() % 16;

		if (op < 8 || !m.nmaps) {
			random_req(&r, nareas);
			rc = model_alloc(&m, &r, &ret);
		} else if (op < 15) {
			rc = model_free(&m, rnd() % m.nmaps);
		} else {
			rc = model_bad_free(&m, rnd() % (m.s.nslots + 4));
		}
		if (!rc && (i % 8 == 0 || m.nmaps < 3))
			rc = model_check(&m);
	}
	while (!rc && m.nmaps)
		rc = model_free(&m, 0);
	if (!rc)
		rc = model_check(&m);
	if (!rc && xpf_slots_used(&m.s))
		rc = -1;
	if (rc)
		fprintf(stderr, "seed %llu step %d: %s\n", (unsigned long long)seed, i, m.err);
	model_destroy(&m);
	return rc;
}

static void test_random(void)
{
	static const u32 geo[][2] = { { 1, 1 }, { 2, 2 }, { 4, 4 }, { 8, 2 }, { 16, 8 } };
	int ok = 1;
	u32 g;
	u64 seed;

	for (g = 0; g < 5 && ok; g++)
		for (seed = 1; seed <= 12 && ok; seed++)
			if (random_run(seed * 7919 + g, geo[g][0], geo[g][1], 3000))
				ok = 0;
	report(ok, "see stderr");
}

static int alloc_one(struct model *m, u32 size, u64 orig, u64 min, u64 align, int *ret)
{
	struct xpf_slot_req r = { .orig = orig, .size = size, .min_align_mask = min,
				  .alloc_align_mask = align };

	return model_alloc(m, &r, ret);
}

static void test_alignment(void)
{
	struct model m;
	int ret, ok = 1;
	u64 o;
	u32 h;
	u64 got;

	model_init(&m, 2, 1);
	/* nvme style: 4 KiB - 1 keeps the low 12 bits of the original */
	for (o = 0; o < 4096 && ok; o += 0x1f8) {
		if (alloc_one(&m, 512, 0x10000 + o, 0xfff, 0, &ret) || ret ||
		    ((m.maps[m.nmaps - 1].index * (u64)XPF_SLOT_SIZE +
		      m.maps[m.nmaps - 1].offset) & 0xfff) != o)
			ok = 0;
	}
	/* page-sized mappings start page aligned */
	if (ok && (alloc_one(&m, 4096, 0x123, 0, 0, &ret) || ret ||
		   (m.maps[m.nmaps - 1].index * (u64)XPF_SLOT_SIZE) % 4096))
		ok = 0;
	/* alloc_align_mask 16 KiB */
	if (ok && (alloc_one(&m, 100, 0x555, 0, 0x3fff, &ret) || ret ||
		   (m.maps[m.nmaps - 1].index * (u64)XPF_SLOT_SIZE) % 0x4000))
		ok = 0;
	/* impossible: alignment bigger than a segment, a mapping bigger than a segment */
	if (ok && (alloc_one(&m, 100, 0, 0, XPF_SEG_SIZE, &ret) || ret != -EINVAL))
		ok = 0;
	if (ok && (alloc_one(&m, XPF_SEG_SIZE + 1, 0, 0, 0, &ret) || ret != -EINVAL))
		ok = 0;
	/* conflicting rules: min_align wants bit 14 set, alloc_align wants it clear */
	if (ok && (alloc_one(&m, 100, 0x4000, 0x7fff, 0x7fff, &ret) || ret != -EINVAL))
		ok = 0;
	/* the data keeps the low bits and find() maps back */
	if (ok && (xpf_slots_find(&m.s, m.maps[0].index * (u64)XPF_SLOT_SIZE + m.maps[0].offset + 7,
				  1, &h, &got) || got != m.maps[0].req.orig + 7))
		ok = 0;
	if (ok && model_check(&m))
		ok = 0;
	report(ok, m.err);
	model_destroy(&m);
}

/* A device with a 64 KiB segment boundary: no mapping may cross one. */
static void test_boundary(void)
{
	struct xpf_slot_req r = { .seg_boundary = 0xffff };
	struct model m;
	int ret, ok = 1;
	u64 a;

	model_init(&m, 1, 1);
	/* 32 KiB at 0, then 60 KiB: slots 16..45 would cross 64 KiB */
	r.size = 32 << 10;
	if (model_alloc(&m, &r, &ret) || ret || m.maps[0].index != 0)
		ok = 0;
	r.size = 60 << 10;
	if (ok && (model_alloc(&m, &r, &ret) || ret))
		ok = 0;
	a = ok ? (u64)m.maps[1].index * XPF_SLOT_SIZE : 0;
	if (ok && (a >> 16) != ((a + r.size - 1) >> 16))
		ok = 0;
	/* bigger than the boundary: refused, as it can never fit */
	r.size = (64 << 10) + 1;
	if (ok && (model_alloc(&m, &r, &ret) || ret != -EINVAL))
		ok = 0;
	/* a boundary below one slot: only the offset inside the slot counts */
	r.seg_boundary = 0x3ff;
	r.orig = 0x200;
	r.min_align_mask = 0x7ff;
	r.size = 0x200;
	if (ok && (model_alloc(&m, &r, &ret) || ret))
		ok = 0;
	r.size = 0x201;
	if (ok && (model_alloc(&m, &r, &ret) || ret != -EINVAL))
		ok = 0;
	if (ok && model_check(&m))
		ok = 0;
	report(ok, m.err);
	model_destroy(&m);
}

static void test_max_size(void)
{
	static const u64 mins[] = { 0, 0x7ff, 0xfff, 0x1fff, 0xffff };
	int ok = 1, ret;
	u32 i;
	u64 o;

	for (i = 0; i < 5 && ok; i++) {
		u32 max = xpf_slots_max_size(mins[i]);

		for (o = 0; o < 0x20000 && ok; o += 0x7ff) {
			struct model m;

			model_init(&m, 1, 1);
			if (alloc_one(&m, max, o, mins[i], 0, &ret) || ret)
				ok = 0;
			model_destroy(&m);
		}
	}
	report(ok, "an allocation failed");
}

static void test_area_fairness(void)
{
	struct model m;
	int ret, ok = 1;
	u32 cpu, k, area_slots;

	model_init(&m, 8, 4);
	area_slots = m.s.nslots / 4;
	/* each CPU allocates in its own area while there is room */
	for (cpu = 0; cpu < 4 && ok; cpu++) {
		struct xpf_slot_req r = { .orig = 0, .size = XPF_SLOT_SIZE, .cpu = cpu };

		if (model_alloc(&m, &r, &ret) || ret ||
		    m.maps[m.nmaps - 1].index / area_slots != cpu)
			ok = 0;
	}
	for (cpu = 0; cpu < 4 && ok; cpu++)
		if (m.s.area[cpu].used != 1 || m.s.area[cpu].nslots != area_slots)
			ok = 0;
	/* fill area 0 from CPU 0, then CPU 0 spills into area 1 */
	for (k = 1; k < area_slots && ok; k++) {
		struct xpf_slot_req r = { .size = XPF_SLOT_SIZE, .cpu = 0 };

		if (model_alloc(&m, &r, &ret) || ret || m.maps[m.nmaps - 1].index >= area_slots)
			ok = 0;
	}
	if (ok) {
		struct xpf_slot_req r = { .size = XPF_SLOT_SIZE, .cpu = 4 };

		if (model_alloc(&m, &r, &ret) || ret ||
		    m.maps[m.nmaps - 1].index / area_slots != 1)
			ok = 0;
	}
	if (ok && model_check(&m))
		ok = 0;
	report(ok, m.err);
	model_destroy(&m);
}

static void test_bad_free(void)
{
	struct model m;
	int ret, ok = 1;
	u32 head;

	model_init(&m, 1, 1);
	if (alloc_one(&m, 3 * XPF_SLOT_SIZE, 0, 0, 0, &ret) || ret)
		ok = 0;
	head = m.maps[0].index;
	if (ok && (xpf_slots_free(&m.s, head + 1) != -EINVAL ||
		   xpf_slots_free(&m.s, m.s.nslots) != -EINVAL || model_check(&m)))
		ok = 0;
	if (ok && (model_free(&m, 0) || xpf_slots_free(&m.s, head) != -EINVAL || model_check(&m)))
		ok = 0;
	report(ok, m.err);
	model_destroy(&m);
}

static void test_geometry(void)
{
	struct xpf_slots s;
	int ok = xpf_slots_init(&s, 3, 2) == -EINVAL && xpf_slots_init(&s, 4, 3) == -EINVAL &&
		 xpf_slots_init(&s, 0, 1) == -EINVAL && xpf_slots_init(&s, 4, 4) == 0 &&
		 s.nslots == 4 * XPF_SEG_SLOTS;

	xpf_slots_destroy(&s);
	report(ok, "bad geometry accepted or good refused");
}

/* The mask that reaches all machine memory, and which class serves a mask. */
static void test_masks(void)
{
	static const struct { u64 max_mfn, top; } tops[] = {
		{ 0xfffff, DMA_BIT_MASK(32) },		/* 4 GiB: the last frame ends at 2^32 */
		{ 0x17ffff, DMA_BIT_MASK(33) },		/* 6 GiB: 33 bits, not 32 */
		{ 0x100000, DMA_BIT_MASK(33) },		/* one frame above 4 GiB */
		{ 0x3ffff, DMA_BIT_MASK(32) },		/* 1 GiB: never below 32 bits */
		{ 0xffffffffffffULL, DMA_BIT_MASK(60) },
		{ ~0ULL, DMA_BIT_MASK(64) },
	};
	static const struct { u64 mask, top; unsigned int bits; } cls[] = {
		{ DMA_BIT_MASK(64), DMA_BIT_MASK(33), 64 },
		{ DMA_BIT_MASK(40), DMA_BIT_MASK(33), 64 },	/* reaches everything */
		{ DMA_BIT_MASK(36), DMA_BIT_MASK(40), 32 },	/* 33..63 below the top */
		{ DMA_BIT_MASK(32), DMA_BIT_MASK(33), 32 },
		{ DMA_BIT_MASK(32), DMA_BIT_MASK(32), 64 },	/* a host of 4 GiB */
		{ DMA_BIT_MASK(28), DMA_BIT_MASK(33), 28 },
		{ 0x0fffefffULL, DMA_BIT_MASK(33), 27 },	/* ragged: below it only */
		{ DMA_BIT_MASK(24), DMA_BIT_MASK(33), 24 },
		{ DMA_BIT_MASK(23), DMA_BIT_MASK(33), 0 },
	};
	char why[160] = "";
	unsigned int i, b;
	u64 t;

	for (i = 0; i < ARRAY_SIZE(tops) && !why[0]; i++) {
		t = xpf_mask_top(tops[i].max_mfn);
		if (t != tops[i].top)
			snprintf(why, sizeof(why), "top of max_mfn %#llx: %#llx, want %#llx",
				 (unsigned long long)tops[i].max_mfn, (unsigned long long)t,
				 (unsigned long long)tops[i].top);
	}
	for (i = 0; i < ARRAY_SIZE(cls) && !why[0]; i++) {
		b = xpf_mask_class_bits(cls[i].mask, cls[i].top);
		if (b != cls[i].bits)
			snprintf(why, sizeof(why), "class of mask %#llx (top %#llx): %u, want %u",
				 (unsigned long long)cls[i].mask, (unsigned long long)cls[i].top,
				 b, cls[i].bits);
	}
	report(!why[0], why);
}

static const struct ut_case tests[] = {
	{ "geometry checks", test_geometry },
	{ "alignment rules (min_align_mask, page, alloc_align_mask)", test_alignment },
	{ "segment boundary (dma_get_seg_boundary) is never crossed", test_boundary },
	{ "mask rules: required mask covers the last frame, class per mask", test_masks },
	{ "max mapping size always fits an empty segment", test_max_size },
	{ "per-CPU areas: own area first, then the next one", test_area_fairness },
	{ "double free and middle-slot free are refused, state intact", test_bad_free },
	{ "random alloc/free matches the reference model", test_random },
};

int main(int argc, char **argv)
{
	return ut_main(argc, argv, tests, ARRAY_SIZE(tests));
}
