/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The absolute Xen system time at which an op's poll slice ends (pure
 * logic, also built by tests/pcifront/).
 *
 * SCHEDOP_poll takes a deadline in Xen system time. Where the kernel's
 * clocksource is Xen's own (a PV guest's default), its counter is that time
 * and the deadline is exact. Otherwise the deadline is derived from the
 * guest's sched_clock() plus an offset learned from the vCPU's runstate: the
 * time Xen says the vCPU started running has passed, so (entry - now) is a
 * lower bound of the offset when now is read after the entry time. The
 * largest bound is kept, which can only make a slice end early (the caller
 * loops), except when Xen time itself moved: after a restore or migration
 * onto a host with another uptime. Xen time never goes back within one host,
 * so an entry time lower than one seen before starts over, and so does every
 * suspend and resume of the domain.
 */
#ifndef XPF_DEADLINE_H
#define XPF_DEADLINE_H

#include <linux/types.h>

/**
 * struct xpf_clock - what the fallback has learned of Xen time
 * @learned: the largest lower bound of (Xen time - sched_clock()) seen
 * @last_entry: the highest runstate entry time seen
 * @valid: @learned and @last_entry hold a sample
 */
struct xpf_clock {
	s64 learned;
	u64 last_entry;
	bool valid;
};

/**
 * struct xpf_clock_sample - one reading, taken in this order
 * @entry: the vCPU's runstate state_entry_time (Xen system time, ns)
 * @have_entry: the runstate hypercall succeeded
 * @sched_now: sched_clock(), read after @entry
 * @xen_now: the clocksource counter, read after @entry
 * @have_xen_now: @xen_now is Xen system time (the clocksource is Xen's)
 */
struct xpf_clock_sample {
	u64 entry;
	bool have_entry;
	u64 sched_now;
	u64 xen_now;
	bool have_xen_now;
};

/**
 * xpf_clock_reset() - forget what was learned (suspend, resume, restore)
 * @c: the clock state
 */
void xpf_clock_reset(struct xpf_clock *c);

/**
 * xpf_clock_deadline() - the Xen system time at which a poll slice ends
 * @c: the clock state, updated
 * @s: a fresh sample
 * @slice_ns: the slice length
 *
 * Return: @s->xen_now + @slice_ns when that is Xen time (and not before the
 * entry time, which would prove it is not); otherwise the sched_clock()
 * based estimate, which never lies beyond the true end of the slice.
 */
u64 xpf_clock_deadline(struct xpf_clock *c, const struct xpf_clock_sample *s, u64 slice_ns);

#endif /* XPF_DEADLINE_H */
