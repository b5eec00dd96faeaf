/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcifront-chan.h - the pciif op transport: one granted page, one event
 * channel, one op in flight, every wait bounded.
 */
#ifndef PCIFRONT_CHAN_H
#define PCIFRONT_CHAN_H

#include <linux/spinlock.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>
#include "pcifront-op.h"

struct xenbus_device;

/* Operation kinds counted in the statistics (XEN_PCI_OP_* 0..5, then other). */
#define XPF_OPK_NR	7
/* log2 microsecond latency buckets: [0] < 1 us, [i] < 2^i us, last = rest. */
#define XPF_LAT_NR	24

/**
 * struct xpf_stats - transport counters, updated under the channel lock
 * @ops: requests sent, by XEN_PCI_OP_* (last slot: any other)
 * @errs: replies by error class (see pcifront-errmap.h)
 * @timeouts: waits that hit the timeout
 * @fastfail: requests refused at once because the backend is dead
 * @recovered: times a dead backend answered late and the channel came back
 * @lat: round-trip latency histogram, log2 microseconds
 * @lat_max_ns: longest round trip
 */
struct xpf_stats {
	u64 ops[XPF_OPK_NR];
	u64 errs[16];
	u64 timeouts;
	u64 fastfail;
	u64 recovered;
	u64 lat[XPF_LAT_NR];
	u64 lat_max_ns;
};

/**
 * struct xpf_chan - the one-op-in-flight channel to the backend
 * @xdev: the xenbus device (for messages and ring setup)
 * @sh: the granted shared page
 * @gref: grant reference of @sh
 * @evtchn: event channel port
 * @irq: Linux IRQ bound (lateeoi) to @evtchn, or -1
 * @lock: serializes ops; taken with interrupts off (config accesses come
 *        from under the PCI core's raw pci_lock)
 * @dead: the backend missed a deadline and still holds the op
 * @timeout_ns: per-op deadline
 * @stats: counters for debugfs
 */
struct xpf_chan {
	struct xenbus_device *xdev;
	struct xen_pci_sharedinfo *sh;
	grant_ref_t gref;
	evtchn_port_t evtchn;
	int irq;
	spinlock_t lock;	/* see @lock above */
	bool dead;
	u64 timeout_ns;
	struct xpf_stats stats;
};

/**
 * xpf_chan_init() - grant the shared page and bind a fresh event channel
 * @ch: channel to set up (zeroed by the caller)
 * @xdev: our xenbus device
 * @timeout_ms: per-op deadline
 *
 * Return: 0 or a negative errno (everything already undone).
 */
int xpf_chan_init(struct xpf_chan *ch, struct xenbus_device *xdev, unsigned int timeout_ms);

/**
 * xpf_chan_destroy() - unbind the event channel and end the page's grant
 * @ch: channel; safe to call on a partly set up or destroyed channel
 */
void xpf_chan_destroy(struct xpf_chan *ch);

/**
 * xpf_chan_do() - send one op and wait (bounded) for its answer
 * @ch: the channel
 * @req: the request
 * @rep: the reply; @rep->entries needs room for @req->nvec entries
 *
 * Never sleeps: usable from atomic context. A backend that misses the
 * deadline marks the channel dead; later calls fail at once with -ENODEV
 * until the backend clears _XEN_PCIF_active (finishing the old op), which
 * revives the channel. The page is only reused once the backend has let
 * go of the previous op, so a late answer can never be taken for a new one.
 *
 * Return: 0 when @rep holds an answer, -EINVAL for a bad request,
 * -ENODEV if the channel is dead or not set up, -ETIMEDOUT on timeout.
 */
int xpf_chan_do(struct xpf_chan *ch, const struct xpf_req *req, struct xpf_reply *rep);

/**
 * xpf_chan_snapshot() - copy the statistics consistently
 * @ch: the channel
 * @out: destination
 */
void xpf_chan_snapshot(struct xpf_chan *ch, struct xpf_stats *out);
#endif /* PCIFRONT_CHAN_H */
