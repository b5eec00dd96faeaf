// SPDX-License-Identifier: GPL-2.0
/*
 * The pciif op transport: one granted page, one event channel, one op in
 * flight. Ops are sent from atomic context (the PCI core calls our config
 * accessors under its raw pci_lock), so the wait never sleeps: it blocks the
 * vCPU in Xen with SCHEDOP_poll on our event channel, in bounded slices.
 */
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include <linux/clocksource_ids.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/xen-ops.h>
#include <xen/xenbus.h>
#include <xen/interface/vcpu.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include "aercodec.h"
#include "errmap.h"
#include "chan.h"
#include "xs_parse.h"
#include "front_trace.h"

#define XPF_POLL_SLICE_NS	(10 * NSEC_PER_MSEC)

/*
 * The end of a poll slice in Xen system time, for SCHEDOP_poll: read the
 * runstate entry time first and the clocks after it (deadline.h says why).
 * Caller holds the channel lock.
 */
static u64 xpf_xen_deadline(struct xpf_chan *ch, u64 slice_ns)
{
	struct xpf_clock_sample s = {};
	struct system_time_snapshot snap;
	struct vcpu_runstate_info rs;

	lockdep_assert_held(&ch->lock);
	s.have_entry = !HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info,
					   xen_vcpu_nr(smp_processor_id()), &rs);
	s.entry = rs.state_entry_time;
	s.sched_now = sched_clock();
	xpf_ktime_snapshot(&snap);
	/* a clocksource without an id of its own: on a PV guest, Xen's */
	s.have_xen_now = xpf_snapshot_valid(&snap) && snap.cs_id == CSID_GENERIC;
	s.xen_now = snap.cycles;
	if (s.have_xen_now && (!s.have_entry || s.xen_now >= s.entry))
		ch->stats.clock_exact++;
	else
		ch->stats.clock_learned++;
	return xpf_clock_deadline(&ch->clock, &s, slice_ns);
}

/* Kept in the page's unused tail while a hand-over is pending. */
struct xpf_handover_mark {
	u64 magic;
	u64 token;
};

#define XPF_HANDOVER_MAGIC	0x786566722d686f31ULL	/* "xpfr-ho1" */
#define XPF_HO_PFN		"xpf-handover-pfn"
#define XPF_HO_TOKEN		"xpf-handover-token"

static struct xpf_handover_mark *xpf_mark(struct xen_pci_sharedinfo *sh)
{
	BUILD_BUG_ON(sizeof(*sh) + sizeof(struct xpf_handover_mark) > XEN_PAGE_SIZE);
	return (void *)sh + XEN_PAGE_SIZE - sizeof(struct xpf_handover_mark);
}

/*
 * An AER request posted by the backend: hand it to process context. Only an
 * event that queued the work counts as real: one more while the work is
 * still pending is spurious, so a backend that re-posts in a loop is slowed
 * down by lateeoi instead of pinning a CPU.
 */
static bool xpf_chan_aer_kick(struct xpf_chan *ch)
{
	struct work_struct *work = READ_ONCE(ch->aer_work);

	if (!work || !ch->sh || !test_bit(_XEN_PCIB_active, (unsigned long *)&ch->sh->flags))
		return false;
	return schedule_work(work);
}

static bool xpf_active(struct xpf_chan *ch)
{
	return test_bit(_XEN_PCIF_active, (unsigned long *)&ch->sh->flags);
}

/*
 * The backend has finished the op that timed out (cleared _XEN_PCIF_active
 * and notified): the page is free again, so the channel lives without
 * waiting for the next op, and the revive work looks again for the devices
 * that did not answer meanwhile. An op in progress holds the lock: then the
 * event is its answer, which the poll loop collects. A channel dead for
 * being slow comes back by its back-off, not here. Hard interrupt context.
 */
static bool xpf_chan_revive(struct xpf_chan *ch)
{
	struct work_struct *work = NULL;
	bool revived = false;

	if (!raw_spin_trylock(&ch->lock))
		return false;
	if (ch->dead && !ch->retry_at && ch->sh && !xpf_active(ch)) {
		ch->dead = false;
		ch->stats.recovered++;
		work = ch->revive_work;
		revived = true;
	}
	raw_spin_unlock(&ch->lock);
	if (!revived)
		return false;
	dev_warn_ratelimited(&ch->xdev->dev, "backend answered again, resuming operations\n");
	if (work)
		schedule_work(work);
	return true;
}

static irqreturn_t xpf_chan_interrupt(int irq, void *data)
{
	struct xpf_chan *ch = data;
	bool real;

	/*
	 * Op answers are collected by the poll loop; a late answer revives a
	 * dead channel; AER requests go to a work item.
	 */
	real = xpf_chan_revive(ch);
	real |= xpf_chan_aer_kick(ch);
	xen_irq_lateeoi(irq, real ? 0 : XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

void xpf_chan_aer_start(struct xpf_chan *ch, struct work_struct *work)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ch->lock, flags);
	if (ch->sh) {
		WRITE_ONCE(ch->aer_work, work);
		set_bit(_XEN_PCIB_AERHANDLER, (unsigned long *)&ch->sh->flags);
		xpf_chan_aer_kick(ch);
	}
	raw_spin_unlock_irqrestore(&ch->lock, flags);
}

void xpf_chan_aer_stop(struct xpf_chan *ch)
{
	struct work_struct *work;
	unsigned long flags;

	raw_spin_lock_irqsave(&ch->lock, flags);
	work = ch->aer_work;
	WRITE_ONCE(ch->aer_work, NULL);
	if (ch->sh)
		clear_bit(_XEN_PCIB_AERHANDLER, (unsigned long *)&ch->sh->flags);
	raw_spin_unlock_irqrestore(&ch->lock, flags);
	if (!work)
		return;
	/* A handler that saw the old pointer has queued the work by now. */
	if (ch->irq >= 0)
		synchronize_irq(ch->irq);
	cancel_work_sync(work);
}

bool xpf_chan_aer_take(struct xpf_chan *ch, struct xpf_aer_req *req)
{
	if (!ch->sh || !test_bit(_XEN_PCIB_active, (unsigned long *)&ch->sh->flags))
		return false;
	/*
	 * The request must be read after the flag that posted it: pairs with
	 * pciback's common_process() (drivers/xen/xen-pciback/pci_stub.c),
	 * which fills aer_op, then sets _XEN_PCIB_active, then a wmb() before
	 * it notifies.
	 */
	rmb();
	xpf_aer_copy(&ch->sh->aer_op, req);
	return true;
}

bool xpf_chan_aer_reply(struct xpf_chan *ch, const struct xpf_aer_req *req, u32 result)
{
	struct xpf_aer_req now;

	if (!ch->sh || !test_bit(_XEN_PCIB_active, (unsigned long *)&ch->sh->flags))
		return false;
	/*
	 * pciback gives up on an answer after its timeout (300 s) and may
	 * have posted the next request since: never answer that one with
	 * the result of the old one.
	 */
	rmb();
	xpf_aer_copy(&ch->sh->aer_op, &now);
	if (memcmp(&now, req, sizeof(now)))
		return false;
	WRITE_ONCE(ch->sh->aer_op.err, (s32)result);
	/*
	 * The answer must be visible before the flag that hands it back:
	 * pciback's common_process() reads aer_op.err once its wait sees
	 * _XEN_PCIB_active clear.
	 */
	wmb();
	clear_bit(_XEN_PCIB_active, (unsigned long *)&ch->sh->flags);
	if (ch->irq >= 0)
		notify_remote_via_evtchn(ch->evtchn);
	return true;
}

/* No page, grant or port (yet, or any more); lock held or not yet shared. */
static void xpf_chan_blank(struct xpf_chan *ch)
{
	ch->sh = NULL;
	ch->irq = -1;
	ch->gref = INVALID_GRANT_REF;
	ch->evtchn = 0;
	ch->dead = false;
	ch->refcounted = false;
	ch->slow = 0;
	ch->retry_at = 0;
	ch->backoff_ns = 0;
	xpf_clock_reset(&ch->clock);
}

void xpf_chan_setup(struct xpf_chan *ch, struct xenbus_device *xdev, unsigned int timeout_ms,
		    struct work_struct *revive_work)
{
	memset(ch, 0, sizeof(*ch));
	raw_spin_lock_init(&ch->lock);
	ch->xdev = xdev;
	ch->timeout_ns = (u64)timeout_ms * NSEC_PER_MSEC;
	ch->revive_work = revive_work;
	xpf_chan_blank(ch);
}

int xpf_chan_init(struct xpf_chan *ch)
{
	struct xenbus_device *xdev = ch->xdev;
	struct xen_pci_sharedinfo *sh;
	grant_ref_t gref;
	evtchn_port_t port;
	unsigned long flags;
	void *page = NULL;
	int err, irq;

	err = xenbus_setup_ring(xdev, GFP_KERNEL, &page, 1, &gref);
	if (err)
		return err;
	sh = page;
	/* _XEN_PCIB_AERHANDLER comes with xpf_chan_aer_start(). */
	sh->flags = 0;

	err = xenbus_alloc_evtchn(xdev, &port);
	if (err)
		goto fail;
	irq = bind_evtchn_to_irqhandler_lateeoi(port, xpf_chan_interrupt, 0, "xen-pcifront", ch);
	if (irq < 0) {
		err = irq;
		xenbus_free_evtchn(xdev, port);
		goto fail;
	}
	raw_spin_lock_irqsave(&ch->lock, flags);
	xpf_chan_blank(ch);
	ch->sh = sh;
	ch->gref = gref;
	ch->evtchn = port;
	ch->irq = irq;
	raw_spin_unlock_irqrestore(&ch->lock, flags);
	return 0;
fail:
	xenbus_teardown_ring(&page, 1, &gref);
	return err;
}

void xpf_chan_destroy(struct xpf_chan *ch)
{
	grant_ref_t gref;
	unsigned long flags;
	void *page;
	int irq;

	/* After this, xpf_chan_do() and debugfs no longer touch the page. */
	raw_spin_lock_irqsave(&ch->lock, flags);
	irq = ch->irq;
	page = ch->sh;
	gref = ch->gref;
	xpf_chan_blank(ch);
	raw_spin_unlock_irqrestore(&ch->lock, flags);

	if (irq >= 0)
		unbind_from_irqhandler(irq, ch);	/* also closes the port */
	/* Ends foreign access; a page the backend still maps is kept, not reused. */
	if (page)
		xenbus_teardown_ring(&page, 1, &gref);
}

void xpf_chan_info(struct xpf_chan *ch, struct xpf_chan_info *out)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ch->lock, flags);
	out->gref = ch->gref;
	out->evtchn = ch->evtchn;
	out->up = ch->sh && ch->irq >= 0;
	out->dead = ch->dead;
	out->aer_handler = ch->sh && test_bit(_XEN_PCIB_AERHANDLER,
					      (unsigned long *)&ch->sh->flags);
	raw_spin_unlock_irqrestore(&ch->lock, flags);
}

void xpf_chan_forget(struct xenbus_device *xdev)
{
	xenbus_rm(XBT_NIL, xdev->nodename, XPF_HO_PFN);
	xenbus_rm(XBT_NIL, xdev->nodename, XPF_HO_TOKEN);
}

int xpf_chan_handover(struct xpf_chan *ch)
{
	struct xenbus_device *xdev = ch->xdev;
	struct xpf_handover_mark *mark;
	unsigned long flags;
	u64 token = get_random_u64();
	int err, irq;

	if (!ch->sh || ch->irq < 0 || ch->dead)
		return -EINVAL;
	if (!ch->refcounted) {
		err = xpf_evtchn_make_refcounted(ch->evtchn);
		if (err)
			return err;
		ch->refcounted = true;
	}
	err = evtchn_get(ch->evtchn);
	if (err)
		return err;
	err = xenbus_printf(XBT_NIL, xdev->nodename, XPF_HO_PFN, "%lx", virt_to_pfn(ch->sh));
	if (!err)
		err = xenbus_printf(XBT_NIL, xdev->nodename, XPF_HO_TOKEN, "%llx", token);
	if (err) {
		xpf_chan_forget(xdev);
		evtchn_put(ch->evtchn);
		return err;
	}
	mark = xpf_mark(ch->sh);
	WRITE_ONCE(mark->token, token);
	WRITE_ONCE(mark->magic, XPF_HANDOVER_MAGIC);

	raw_spin_lock_irqsave(&ch->lock, flags);
	irq = ch->irq;
	xpf_chan_blank(ch);
	raw_spin_unlock_irqrestore(&ch->lock, flags);
	/* Drops our handler and one reference: the port stays open and bound. */
	unbind_from_irqhandler(irq, ch);
	return 0;
}

/* An allocated RAM page of ours, backed by a machine frame (not ballooned out). */
static bool xpf_pfn_is_our_ram(unsigned long pfn)
{
	unsigned long mfn;

	if (!pfn_valid(pfn) || !page_count(pfn_to_page(pfn)))
		return false;
	mfn = get_phys_to_machine(pfn);
	return mfn != INVALID_P2M_ENTRY && !(mfn & (FOREIGN_FRAME_BIT | IDENTITY_FRAME_BIT));
}

/* The record xpf_chan_handover() left, read and checked (xpf_parse_handover()). */
static int xpf_handover_read(struct xenbus_device *xdev, struct xpf_handover *rec)
{
	static const char * const node[] = {
		XPF_HO_PFN, XPF_HO_TOKEN, "pci-op-ref", "event-channel",
	};
	char *v[ARRAY_SIZE(node)];
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(node); i++) {
		v[i] = xenbus_read(XBT_NIL, xdev->nodename, node[i], NULL);
		if (IS_ERR(v[i]))
			v[i] = NULL;
	}
	err = xpf_parse_handover(v[0], v[1], v[2], v[3], rec);
	for (i = 0; i < ARRAY_SIZE(node); i++)
		kfree(v[i]);
	return err;
}

int xpf_chan_adopt(struct xpf_chan *ch)
{
	struct xenbus_device *xdev = ch->xdev;
	struct xpf_handover_mark *mark;
	struct xpf_handover rec;
	unsigned int port;
	int err;

	err = xpf_handover_read(xdev, &rec);
	if (err)
		return err;
	port = rec.port;
	if (!xpf_pfn_is_our_ram(rec.pfn))
		return -EINVAL;
	ch->sh = pfn_to_kaddr(rec.pfn);
	mark = xpf_mark(ch->sh);
	if (READ_ONCE(mark->magic) != XPF_HANDOVER_MAGIC || READ_ONCE(mark->token) != rec.token) {
		ch->sh = NULL;
		return -EINVAL;
	}
	/* The port must still be bound in this kernel, i.e. left by us. */
	if (irq_from_evtchn(port) == (unsigned int)-1) {
		ch->sh = NULL;
		return -EINVAL;
	}
	err = bind_evtchn_to_irqhandler_lateeoi(port, xpf_chan_interrupt, 0, "xen-pcifront", ch);
	if (err < 0) {
		ch->sh = NULL;
		return err;
	}
	ch->irq = err;
	ch->evtchn = port;
	ch->gref = rec.ref;
	ch->refcounted = true;
	mark->magic = 0;
	xpf_chan_forget(xdev);
	/* An op left in flight by the old instance: wait for the backend to let go. */
	ch->dead = test_bit(_XEN_PCIF_active, (unsigned long *)&ch->sh->flags);
	xen_irq_lateeoi(ch->irq, 0);
	return 0;
}

static unsigned int xpf_opkind(u32 cmd)
{
	return cmd < XPF_OPK_NR - 1 ? cmd : XPF_OPK_NR - 1;
}

static void xpf_account(struct xpf_stats *st, s32 err, u64 ns)
{
	u64 us = ns / NSEC_PER_USEC;
	unsigned int b = us ? min_t(unsigned int, fls64(us), XPF_LAT_NR - 1) : 0;
	unsigned int c = xpf_err_classify(err);

	st->lat[b]++;
	if (ns > st->lat_max_ns)
		st->lat_max_ns = ns;
	if (c < ARRAY_SIZE(st->errs))
		st->errs[c]++;
}

/*
 * A backend that answers, but each time only near the deadline, holds this
 * vCPU with interrupts off for most of every op. XPF_SLOW_OPS such answers
 * in a row make it dead for a back-off (doubling up to XPF_BACKOFF_MAX_NS);
 * a prompt answer ends the series. Channel lock held.
 */
#define XPF_SLOW_OPS		3
#define XPF_BACKOFF_MIN_NS	(1 * NSEC_PER_SEC)
#define XPF_BACKOFF_MAX_NS	(300 * NSEC_PER_SEC)

static void xpf_chan_pace(struct xpf_chan *ch, const struct xpf_req *req, u64 now, u64 took)
{
	if (took <= ch->timeout_ns / 4) {
		ch->slow = 0;
		ch->backoff_ns = 0;
		return;
	}
	if (++ch->slow < XPF_SLOW_OPS)
		return;
	ch->slow = 0;
	ch->backoff_ns = clamp_t(u64, ch->backoff_ns * 2, XPF_BACKOFF_MIN_NS, XPF_BACKOFF_MAX_NS);
	ch->retry_at = now + ch->backoff_ns;
	ch->dead = true;
	ch->stats.slow_dead++;
	dev_err_ratelimited(&ch->xdev->dev,
			    "backend answered %u ops in a row only after more than %llu ms each (last: op %u, %llu ms; limit %llu ms): failing PCI accesses for %llu s (check xen-pciback and dom0's load)\n",
			    XPF_SLOW_OPS, ch->timeout_ns / 4 / NSEC_PER_MSEC, req->cmd,
			    took / NSEC_PER_MSEC, ch->timeout_ns / NSEC_PER_MSEC,
			    ch->backoff_ns / NSEC_PER_SEC);
}

int xpf_chan_do(struct xpf_chan *ch, const struct xpf_req *req, struct xpf_reply *rep)
{
	unsigned long flags;
	u64 start, now, took = 0;
	int ret = 0;

	raw_spin_lock_irqsave(&ch->lock, flags);
	if (!ch->sh || ch->irq < 0) {
		ret = -ENODEV;
		goto out;
	}
	/*
	 * A restore closes every event channel (xen_irq_resume()) before our
	 * resume makes a new one: until then the port is not ours any more.
	 */
	if (irq_from_evtchn(ch->evtchn) != ch->irq) {
		ch->stats.zapped++;
		ret = -ENODEV;
		goto out;
	}
	if (ch->dead) {
		/*
		 * The backend still owns the page while _XEN_PCIF_active is
		 * set; once it clears it, the old op is finished for good and
		 * the page can carry a new one. A backend found too slow is
		 * given the next op only after its back-off.
		 */
		if (xpf_active(ch) || ktime_get_ns() < ch->retry_at) {
			ch->stats.fastfail++;
			ret = -ENODEV;
			goto out;
		}
		ch->dead = false;
		ch->stats.recovered++;
		dev_warn(&ch->xdev->dev, "backend answered again, resuming operations\n");
	}

	ret = xpf_req_encode(req, &ch->sh->op);
	if (ret)
		goto out;
	ch->stats.ops[xpf_opkind(req->cmd)]++;

	start = ktime_get_ns();
	/*
	 * The op must be visible before the flag that hands it over: pciback's
	 * xen_pcibk_test_and_schedule_op() (pciback_ops.c) tests
	 * _XEN_PCIF_active and queues xen_pcibk_do_op(), which copies the op.
	 */
	wmb();
	set_bit(_XEN_PCIF_active, (unsigned long *)&ch->sh->flags);
	notify_remote_via_evtchn(ch->evtchn);

	for (;;) {
		/* Clear first, then test: an answer after the test stays pending. */
		xen_clear_irq_pending(ch->irq);
		if (!xpf_active(ch))
			break;
		now = ktime_get_ns();
		if (now - start >= ch->timeout_ns) {
			took = now - start;
			ch->dead = true;
			ch->retry_at = 0;
			ch->stats.timeouts++;
			dev_err(&ch->xdev->dev,
				"backend did not answer op %u for %04x:%02x:%02x.%u within %llu ms; failing PCI accesses until it does (check xen-pciback in dom0)\n",
				req->cmd, req->domain, req->bus, req->devfn >> 3,
				req->devfn & 7, ch->timeout_ns / NSEC_PER_MSEC);
			ret = -ETIMEDOUT;
			goto out;
		}
		ch->stats.polls++;
		xen_poll_irq_timeout(ch->irq,
				     xpf_xen_deadline(ch, min_t(u64, XPF_POLL_SLICE_NS,
								ch->timeout_ns - (now - start))));
	}
	/*
	 * Read the answer only after seeing the flag clear: pairs with the
	 * wmb() in pciback's xen_pcibk_do_op() between writing the reply and
	 * clearing _XEN_PCIF_active.
	 */
	rmb();
	xpf_reply_copy(&ch->sh->op, req->cmd == XEN_PCI_OP_enable_msix ? req->nvec : 0, rep);
	now = ktime_get_ns();
	took = now - start;
	xpf_account(&ch->stats, rep->err, took);
	xpf_chan_pace(ch, req, now, took);
	/* The poll loop may have swallowed the event of an AER request. */
	xpf_chan_aer_kick(ch);
out:
	raw_spin_unlock_irqrestore(&ch->lock, flags);
	trace_xpf_op(req, took, ret, ret ? 0 : rep->err);
	return ret;
}

void xpf_chan_snapshot(struct xpf_chan *ch, struct xpf_stats *out)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ch->lock, flags);
	*out = ch->stats;
	raw_spin_unlock_irqrestore(&ch->lock, flags);
}
