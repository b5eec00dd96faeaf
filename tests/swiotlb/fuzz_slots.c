// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the bounce-slot allocator: the input bytes drive a
 * sequence of allocations, frees and bogus frees, checked against the model.
 */
#include <string.h>
#include <stdlib.h>
#include "model.h"

static u64 take(const u8 **p, size_t *left, unsigned int bytes)
{
	u64 v = 0;

	while (bytes-- && *left) {
		v = (v << 8) | **p;
		(*p)++;
		(*left)--;
	}
	return v;
}

/* the libFuzzer entry point; the shim maps the name */
int xpf_fuzz_entry(const u8 *data, size_t size);

int xpf_fuzz_entry(const u8 *data, size_t size)
{
	struct model m;
	struct xpf_slot_req r;
	u32 geo = take(&data, &size, 1);
	u32 nareas = 1U << (geo & 3);
	u32 nsegs = nareas * (1 + ((geo >> 2) & 3));
	int ret, rc = 0, steps = 0;

	if (model_init(&m, nsegs, nareas))
		abort();
	while (size && !rc) {
		u32 op = take(&data, &size, 1);

		if (op < 150 || !m.nmaps) {
			memset(&r, 0, sizeof(r));
			r.size = take(&data, &size, 3) % (XPF_SEG_SIZE + 2);
			r.orig = take(&data, &size, 4);
			r.min_align_mask = (1ULL << (take(&data, &size, 1) % 20)) - 1;
			r.alloc_align_mask = (op & 1) ? (1ULL << (op % 20)) - 1 : 0;
			r.cpu = op >> 3;
			rc = model_alloc(&m, &r, &ret);
		} else if (op < 240) {
			rc = model_free(&m, take(&data, &size, 2) % m.nmaps);
		} else {
			rc = model_bad_free(&m, take(&data, &size, 2));
		}
		if (!rc && (++steps % 4 == 0 || !size))
			rc = model_check(&m);
	}
	while (!rc && m.nmaps)
		rc = model_free(&m, 0);
	if (!rc)
		rc = model_check(&m);
	if (rc) {
		fprintf(stderr, "model mismatch: %s\n", m.err);
		abort();
	}
	model_destroy(&m);
	return 0;
}
