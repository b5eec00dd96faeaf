/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chan.h - the pciif op transport: one granted page, one event
 * channel, one op in flight, every wait bounded.
 */
#ifndef PCIFRONT_CHAN_H
#define PCIFRONT_CHAN_H

#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>
#include "opcodec.h"
#include "deadline.h"

struct xenbus_device;

/* Operation kinds counted in the statistics (XEN_PCI_OP_* 0..5, then other). */
#define XPF_OPK_NR	7
/* log2 microsecond latency buckets: [0] < 1 us, [i] < 2^i us, last = rest. */
#define XPF_LAT_NR	24

/**
 * struct xpf_stats - transport counters, updated under the channel lock
 * @ops: requests sent, by XEN_PCI_OP_* (last slot: any other)
 * @errs: replies by error class (see errmap.h)
 * @timeouts: waits that hit the timeout
 * @polls: SCHEDOP_poll calls made while waiting (about one per op when the
 *         vCPU really blocks; many more would mean busy polling)
 * @fastfail: requests refused at once because the backend is dead
 * @recovered: times a dead backend answered late and the channel came back
 * @lat: round-trip latency histogram, log2 microseconds
 * @lat_max_ns: longest round trip
 * @clock_exact: poll deadlines taken from the Xen clocksource
 * @clock_learned: poll deadlines estimated from sched_clock() (another clocksource)
 * @zapped: ops refused because a restore had closed our event channel
 * @slow_dead: times the backend was declared dead for answering too slowly
 */
struct xpf_stats {
	u64 ops[XPF_OPK_NR];
	u64 errs[16];
	u64 timeouts;
	u64 polls;
	u64 fastfail;
	u64 recovered;
	u64 lat[XPF_LAT_NR];
	u64 lat_max_ns;
	u64 clock_exact;
	u64 clock_learned;
	u64 zapped;
	u64 slow_dead;
};

/**
 * struct xpf_chan - the one-op-in-flight channel to the backend
 * @xdev: the xenbus device (for messages and ring setup)
 * @sh: the granted shared page
 * @gref: grant reference of @sh
 * @evtchn: event channel port
 * @irq: Linux IRQ bound (lateeoi) to @evtchn, or -1
 * @lock: serializes ops and guards every field but @stats' readers'
 *        snapshot; a raw lock taken with interrupts off (config accesses
 *        come from under the PCI core's raw pci_lock)
 * @dead: the backend missed a deadline (and may still hold the op), or
 *        answered too slowly (and waits out @retry_at)
 * @refcounted: the event channel's IRQ binding is reference counted (it
 *              was handed over once already)
 * @timeout_ns: per-op deadline
 * @slow: answers in a row that took more than a quarter of @timeout_ns
 * @retry_at: ktime_get_ns() before which a dead channel fails ops at once
 * @backoff_ns: the last back-off given for slowness (0: none)
 * @aer_work: work item to queue when the backend posts an AER request
 *            (_XEN_PCIB_active), or NULL; see xpf_chan_aer_start()
 * @revive_work: work item to queue when a dead channel comes back (see
 *               xpf_chan_setup())
 * @clock: what the poll deadline learned of Xen time (pcifront/deadline.h)
 * @stats: counters for debugfs
 */
struct xpf_chan {
	struct xenbus_device *xdev;
	struct xen_pci_sharedinfo *sh;
	grant_ref_t gref;
	evtchn_port_t evtchn;
	int irq;
	raw_spinlock_t lock;	/* see @lock above */
	bool dead;
	bool refcounted;
	u64 timeout_ns;
	unsigned int slow;
	u64 retry_at;
	u64 backoff_ns;
	struct work_struct *aer_work;
	struct work_struct *revive_work;
	struct xpf_clock clock;
	struct xpf_stats stats;
};

/**
 * xpf_chan_setup() - make a channel with no page, grant or port, once
 * @ch: the channel (its memory is cleared)
 * @xdev: our xenbus device
 * @timeout_ms: per-op deadline
 * @revive_work: queued when a dead channel's backend answers its op late
 *	(the owner cancels it once the channel is destroyed), or NULL
 */
void xpf_chan_setup(struct xpf_chan *ch, struct xenbus_device *xdev, unsigned int timeout_ms,
		    struct work_struct *revive_work);

/**
 * xpf_chan_init() - grant a fresh shared page and bind a fresh event channel
 * @ch: a channel made by xpf_chan_setup(), without a page (destroyed)
 *
 * Return: 0 or a negative errno (everything already undone).
 */
int xpf_chan_init(struct xpf_chan *ch);

/**
 * xpf_chan_destroy() - unbind the event channel and end the page's grant
 * @ch: channel; safe to call on a partly set up or destroyed channel
 */
void xpf_chan_destroy(struct xpf_chan *ch);

/**
 * struct xpf_chan_info - what debugfs shows of a channel
 * @gref: grant reference of the page
 * @evtchn: event channel port
 * @up: a page and a port are in place
 * @dead: the backend is treated as dead
 * @aer_handler: _XEN_PCIB_AERHANDLER is set in the page
 */
struct xpf_chan_info {
	grant_ref_t gref;
	evtchn_port_t evtchn;
	bool up;
	bool dead;
	bool aer_handler;
};

/**
 * xpf_chan_info() - read the channel's state under its lock
 * @ch: the channel
 * @out: result
 */
void xpf_chan_info(struct xpf_chan *ch, struct xpf_chan_info *out);

/**
 * xpf_chan_handover() - leave a live channel for the next instance of the module
 * @ch: a working channel whose backend is Connected
 *
 * pciback never accepts a second handshake on a device it has connected
 * (it attaches only from its Initialised state, which it never returns to),
 * so closing on unload would lose the devices until the toolstack re-plugs
 * them. Instead the grant stays, the page stays allocated, the event
 * channel stays open (its IRQ binding is reference counted and only our
 * handler goes away), and the page's frame number plus a random token are
 * recorded in our own xenstore directory, which the backend cannot write.
 * xpf_chan_adopt() picks them up. The token is also written into the
 * unused tail of the page, so a stale record can never be adopted.
 *
 * Return: 0, or a negative errno and the channel is unchanged (the caller
 * then destroys it).
 */
int xpf_chan_handover(struct xpf_chan *ch);

/**
 * xpf_chan_adopt() - take over a channel left by xpf_chan_handover()
 * @ch: a channel made by xpf_chan_setup(), not yet in use
 *
 * Return: 0, -ENOENT if no hand-over is recorded, or another negative
 * errno if the record does not check out.
 */
int xpf_chan_adopt(struct xpf_chan *ch);

/**
 * xpf_chan_forget() - drop a hand-over record that will not be used
 * @xdev: our xenbus device
 */
void xpf_chan_forget(struct xenbus_device *xdev);

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
 * Every call ends with the xpf_op trace event, outside the channel lock.
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

struct xpf_aer_req;

/**
 * xpf_chan_aer_start() - take AER requests from the backend
 * @ch: a set-up channel
 * @work: queued (never run from the interrupt) when a request is posted
 *
 * Advertises _XEN_PCIB_AERHANDLER in the shared page. A request already
 * pending is picked up at once.
 */
void xpf_chan_aer_start(struct xpf_chan *ch, struct work_struct *work);

/**
 * xpf_chan_aer_stop() - stop queueing AER work and withdraw the flag
 * @ch: the channel
 *
 * After it returns the work is neither queued nor running and will not be
 * queued again by the channel. Sleeps.
 */
void xpf_chan_aer_stop(struct xpf_chan *ch);

/**
 * xpf_chan_aer_take() - copy a posted AER request out of the page, once
 * @ch: the channel
 * @req: destination
 *
 * Return: true if a request is posted (_XEN_PCIB_active set).
 */
bool xpf_chan_aer_take(struct xpf_chan *ch, struct xpf_aer_req *req);

/**
 * xpf_chan_aer_reply() - answer the posted AER request and hand it back
 * @ch: the channel
 * @req: the request as xpf_chan_aer_take() copied it
 * @result: the pci_ers_result_t value for the page's err field
 *
 * Return: false, and nothing written, when the page no longer holds @req
 * (the backend withdrew it, or timed out and posted another).
 */
bool xpf_chan_aer_reply(struct xpf_chan *ch, const struct xpf_aer_req *req, u32 result);
#endif /* PCIFRONT_CHAN_H */
