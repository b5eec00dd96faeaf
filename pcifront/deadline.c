// SPDX-License-Identifier: GPL-2.0
/*
 * Poll deadlines in Xen system time (see deadline.h); pure logic.
 */
#include <linux/types.h>

#include "deadline.h"

void xpf_clock_reset(struct xpf_clock *c)
{
	c->learned = 0;
	c->last_entry = 0;
	c->valid = false;
}

u64 xpf_clock_deadline(struct xpf_clock *c, const struct xpf_clock_sample *s, u64 slice_ns)
{
	s64 bound;

	if (s->have_xen_now && (!s->have_entry || s->xen_now >= s->entry))
		return s->xen_now + slice_ns;
	if (!s->have_entry)
		return c->valid ? s->sched_now + c->learned + slice_ns : s->sched_now + slice_ns;
	/* Xen time went back: another host. Start over. */
	if (c->valid && s->entry < c->last_entry)
		c->valid = false;
	bound = (s64)(s->entry - s->sched_now);
	if (!c->valid || bound > c->learned)
		c->learned = bound;
	if (!c->valid || s->entry > c->last_entry)
		c->last_entry = s->entry;
	c->valid = true;
	return s->sched_now + c->learned + slice_ns;
}
