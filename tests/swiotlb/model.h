/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference model of the bounce-slot allocator, shared by the unit tests and
 * the fuzz target: it mirrors every live mapping and checks the allocator
 * against brute-force answers after each step.
 */
#ifndef XPF_TEST_MODEL_H
#define XPF_TEST_MODEL_H

#include <stdio.h>
#include "slots.h"

struct model_map {
	u32 index;
	u32 offset;
	u32 nslots;
	struct xpf_slot_req req;
};

struct model {
	struct xpf_slots s;
	struct model_map *maps;
	u32 nmaps;
	u8 *busy;		/* one byte per slot */
	char err[256];
};

int model_init(struct model *m, u32 nsegs, u32 nareas);
void model_destroy(struct model *m);
/* Returns 0 when allocator and model agree; fills m->err otherwise. */
int model_alloc(struct model *m, const struct xpf_slot_req *req, int *ret);
int model_free(struct model *m, u32 which);
int model_bad_free(struct model *m, u32 index);
int model_check(struct model *m);
/* Brute force: can the request be placed anywhere right now? -EINVAL, 0 or 1 */
int model_fits(const struct model *m, const struct xpf_slot_req *req);

#endif
