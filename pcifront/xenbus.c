// SPDX-License-Identifier: GPL-2.0
/*
 * The xenbus side of pcifront: handshake and the state machine that follows
 * the backend, including states we only see late or never see.
 *
 *   probe: grant page + event channel, publish, -> Initialised
 *   backend Connected:     connect roots and devices, -> Connected
 *   backend Reconfiguring: remove devices whose state-N is Closing,
 *                          -> Reconfiguring
 *   backend Reconfigured:  add new devices, -> Connected
 *   backend Closing/Closed: remove everything, -> Closed
 *   backend Initialising/InitWait while we are Closed (a new backend on
 *                          the same node): new page and event channel,
 *                          -> Initialised, and on as from probe
 *   resume (after xl save/restore): the old backend is gone; drop
 *                          everything and start the handshake again
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include "xpf.h"
#include "xpf-dma.h"

unsigned int xpf_op_timeout_ms = 10000;
module_param_named(op_timeout_ms, xpf_op_timeout_ms, uint, 0444);
MODULE_PARM_DESC(op_timeout_ms,
		 "Deadline of one backend operation in ms (default 10000, 100..60000). A backend that misses it is treated as dead until it answers.");

unsigned int xpf_restart_burst = 8;
module_param_named(restart_burst, xpf_restart_burst, uint, 0444);
MODULE_PARM_DESC(restart_burst,
		 "New handshakes a backend may start within 60 s before the frontend stays closed until a re-plug or resume (default 8, 1..1000)");

static int xpf_publish(struct xpf_front *front)
{
	struct xenbus_device *xdev = front->xdev;
	struct xenbus_transaction xbt;
	const char *what;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(xdev, err, "starting transaction");
		return err;
	}
	what = "pci-op-ref";
	err = xenbus_printf(xbt, xdev->nodename, what, "%u", front->chan.gref);
	if (!err) {
		what = "event-channel";
		err = xenbus_printf(xbt, xdev->nodename, what, "%u", front->chan.evtchn);
	}
	if (!err) {
		what = "magic";
		err = xenbus_printf(xbt, xdev->nodename, what, "%s", XEN_PCI_MAGIC);
	}
	/*
	 * Initialised in the same transaction: the watch event these writes
	 * raise must not find our node still saying Initialising once we are
	 * Initialised. 7.x's xenbus takes that for a toolstack reset and
	 * unregisters the device (seen with 7.3: "state reset occurred").
	 */
	if (!err) {
		what = "state";
		err = xenbus_printf(xbt, xdev->nodename, what, "%d", XenbusStateInitialised);
	}
	if (err) {
		xenbus_transaction_end(xbt, 1);
		xenbus_dev_fatal(xdev, err, "writing %s", what);
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err) {
		xenbus_dev_fatal(xdev, err, "completing transaction");
		return err;
	}
	return xenbus_switch_state(xdev, XenbusStateInitialised);
}

/*
 * A restore with no PCI device in the domain's configuration brings no
 * backend: xenbus cannot find one, does not call our resume, and leaves
 * this device bound with no other end. When the toolstack later attaches a
 * device it writes our node again, but xenbus only probes nodes it does
 * not know. So we watch our own node: once it names a backend again while
 * we have none, the device is re-probed (remove, then probe, which starts
 * a fresh handshake). The work runs on our own queue, drained at unload.
 */
struct xpf_reprobe {
	struct work_struct work;
	struct xenbus_device *xdev;
};

static DEFINE_SPINLOCK(xpf_wq_lock);
static struct workqueue_struct *xpf_wq;

static void xpf_reprobe_work(struct work_struct *work)
{
	struct xpf_reprobe *r = container_of(work, struct xpf_reprobe, work);

	dev_info(&r->xdev->dev, "our node names a backend again; probing afresh\n");
	if (device_reprobe(&r->xdev->dev))
		dev_err(&r->xdev->dev, "re-probe failed; re-plug from dom0\n");
	put_device(&r->xdev->dev);
	kfree(r);
}

static void xpf_node_changed(struct xenbus_watch *watch, const char *path, const char *token)
{
	struct xpf_front *front = container_of(watch, struct xpf_front, node_watch);
	struct xenbus_device *xdev = front->xdev;
	struct xpf_reprobe *r;
	unsigned long flags;

	if (READ_ONCE(xdev->otherend) || !xenbus_exists(XBT_NIL, xdev->nodename, "backend"))
		return;
	if (test_and_set_bit(0, &front->reprobing))
		return;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		/* the next change of the node tries again */
		clear_bit(0, &front->reprobing);
		return;
	}
	INIT_WORK(&r->work, xpf_reprobe_work);
	r->xdev = xdev;
	get_device(&xdev->dev);
	xpf_count(front, XPF_HP_RECONNECT);
	spin_lock_irqsave(&xpf_wq_lock, flags);
	if (xpf_wq) {
		queue_work(xpf_wq, &r->work);
		r = NULL;
	}
	spin_unlock_irqrestore(&xpf_wq_lock, flags);
	if (r) {
		put_device(&xdev->dev);
		kfree(r);
		clear_bit(0, &front->reprobing);
	}
}

static void xpf_watch_node(struct xpf_front *front)
{
	if (xenbus_watch_pathfmt(front->xdev, &front->node_watch, NULL, xpf_node_changed,
				 "%s/backend", front->xdev->nodename))
		dev_warn(&front->xdev->dev,
			 "cannot watch our node; after a restore without devices, re-plug from dom0\n");
}

/*
 * The handshake: a fresh page and event channel, published, -> Initialised.
 * On failure everything it made is undone.
 */
static int xpf_handshake(struct xpf_front *front)
{
	struct xenbus_device *xdev = front->xdev;
	int err;

	err = xpf_chan_init(&front->chan);
	if (err) {
		xenbus_dev_fatal(xdev, err, "setting up shared page and event channel");
		return err;
	}
	xpf_aer_start(front);
	err = xpf_publish(front);
	if (err) {
		xpf_aer_stop(front);
		xpf_chan_destroy(&front->chan);
		xpf_chan_forget(xdev);
		return err;
	}
	dev_info(&xdev->dev, "published op page (gref %u) and event channel %u\n",
		 front->chan.gref, front->chan.evtchn);
	return 0;
}

/*
 * The teardown: devices and roots go (@why, for the trace), then the
 * channel, unless @keep and the connection can be handed to the next load
 * of the module. Returns true if it was handed over.
 */
static bool xpf_teardown(struct xpf_front *front, bool keep, enum xpf_trace_why why)
{
	bool handed = false;

	xpf_aer_stop(front);
	/* Without a live backend the devices cannot be reached any more. */
	xpf_reconcile_disconnect(front, !keep, why);
	if (keep && !xpf_chan_handover(&front->chan)) {
		handed = true;
	} else {
		xpf_chan_destroy(&front->chan);
		xpf_chan_forget(front->xdev);
	}
	/* No interrupt can queue it any more. */
	cancel_work_sync(&front->revive_work);
	return handed;
}

static void xpf_revive_work(struct work_struct *work)
{
	xpf_reconcile_revive(container_of(work, struct xpf_front, revive_work));
}

static int xpf_probe(struct xenbus_device *xdev, const struct xenbus_device_id *id)
{
	struct xpf_front *front;
	int err;

	front = kzalloc(sizeof(*front), GFP_KERNEL);
	if (!front) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating frontend");
		return -ENOMEM;
	}
	front->xdev = xdev;
	INIT_LIST_HEAD(&front->roots);
	mutex_init(&front->lock);
	xa_init(&front->irqmode);
	xa_init(&front->gsi);
	xa_init(&front->cfgcaps);
	INIT_WORK(&front->revive_work, xpf_revive_work);
	xpf_chan_setup(&front->chan, xdev, xpf_op_timeout_ms, &front->revive_work);
	xpf_aer_init(front);
	dev_set_drvdata(&xdev->dev, front);

	if (xpf_read_driver_state(xdev, xdev->nodename) == XenbusStateConnected) {
		/* A previous load of this module left the connection to us. */
		err = xpf_chan_adopt(&front->chan);
		if (err) {
			dev_err(&xdev->dev,
				"still connected to the backend but cannot take over the connection (%d); re-plug from dom0: xl pci-detach, then xl pci-attach\n",
				err);
			goto fail;
		}
		xpf_debugfs_add(front);
		xpf_aer_start(front);
		dev_info(&xdev->dev, "took over the live connection (gref %u, event channel %u)\n",
			 front->chan.gref, front->chan.evtchn);
		err = xpf_reconcile_connect(front);
		if (err)
			xenbus_dev_fatal(xdev, err, "connecting PCI roots");
		xpf_watch_node(front);
		return 0;
	}

	err = xpf_handshake(front);
	if (err)
		goto fail;
	xpf_debugfs_add(front);
	xpf_watch_node(front);
	return 0;

fail:
	cancel_work_sync(&front->revive_work);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(front);
	return err;
}

static void xpf_connect(struct xpf_front *front)
{
	struct xenbus_device *xdev = front->xdev;
	int err;

	err = xpf_reconcile_connect(front);
	if (err) {
		xenbus_dev_fatal(xdev, err, "connecting PCI roots");
		return;
	}
	xenbus_switch_state(xdev, XenbusStateConnected);
}

/* Remove every device and root; the channel stays until remove. */
static void xpf_close(struct xpf_front *front)
{
	struct xenbus_device *xdev = front->xdev;

	if (xdev->state == XenbusStateClosed)
		return;
	xpf_count(front, XPF_HP_CLOSE);
	/* The backend is going: its devices no longer answer. */
	xpf_reconcile_disconnect(front, true, XPF_WHY_CLOSE);
	xenbus_frontend_closed(xdev);
}

/*
 * A backend that keeps going Closing -> InitWait (and may keep our old
 * pages mapped, so their grants are never freed) would have us make a page,
 * a grant and an event channel each round. More than restart_burst
 * (xpf_restart_burst) rounds in XPF_RESTART_WINDOW and we stay closed until
 * the next resume or re-plug.
 */
#define XPF_RESTART_WINDOW	(60 * HZ)

static bool xpf_restart_allowed(struct xpf_front *front)
{
	if (front->restart_blocked)
		return false;
	if (!front->restarts || time_after(jiffies, front->restart_window + XPF_RESTART_WINDOW)) {
		front->restart_window = jiffies;
		front->restarts = 0;
	}
	if (++front->restarts <= xpf_restart_burst)
		return true;
	front->restart_blocked = true;
	xpf_count(front, XPF_HP_ERR);
	dev_err(&front->xdev->dev,
		"backend restarted the connection %u times within %u s; staying closed (fix the backend, then re-plug from dom0: xl pci-detach and xl pci-attach)\n",
		xpf_restart_burst, XPF_RESTART_WINDOW / HZ);
	return false;
}

/*
 * Start over with a fresh page and event channel: after a close, for a
 * new backend on the same node, or after resume, when the old backend and
 * its mapping of our page are gone.
 */
static int xpf_restart(struct xpf_front *front, bool resumed)
{
	int err;

	if (resumed)
		front->restart_blocked = false;
	else if (!xpf_restart_allowed(front))
		return -EBUSY;
	xpf_teardown(front, false, XPF_WHY_RESTART);
	err = xpf_handshake(front);
	if (!err)
		xpf_count(front, XPF_HP_RECONNECT);
	return err;
}

static void xpf_backend_changed(struct xenbus_device *xdev, enum xenbus_state be)
{
	struct xpf_front *front = dev_get_drvdata(&xdev->dev);
	enum xenbus_state me = xdev->state;

	dev_dbg(&xdev->dev, "backend %s, we are %s\n", xenbus_strstate(be),
		xenbus_strstate(me));
	trace_xpf_backend_state(xdev, be);
	if (!front)
		return;

	switch (be) {
	case XenbusStateInitialising:
	case XenbusStateInitWait:
		/* A new backend after we closed: shake hands again. */
		if (me == XenbusStateClosed) {
			dev_info(&xdev->dev, "backend is back (%s); connecting again\n",
				 xenbus_strstate(be));
			xpf_restart(front, false);
		}
		break;
	case XenbusStateUnknown:
	case XenbusStateInitialised:
		break;

	case XenbusStateConnected:
		if (me == XenbusStateInitialised) {
			xpf_connect(front);
		} else if (me == XenbusStateReconfiguring) {
			/* Reconfigured came and went before we looked. */
			xpf_reconcile_attach(front);
			xenbus_switch_state(xdev, XenbusStateConnected);
		}
		break;

	case XenbusStateReconfiguring:
		if (me == XenbusStateInitialised) {
			/* Connected came and went before we looked. */
			xpf_connect(front);
			me = xdev->state;
		}
		if (me != XenbusStateConnected)
			break;
		xpf_reconcile_detach(front);
		xenbus_switch_state(xdev, XenbusStateReconfiguring);
		break;

	case XenbusStateReconfigured:
		if (me == XenbusStateInitialised) {
			xpf_connect(front);
			break;
		}
		if (me != XenbusStateReconfiguring)
			break;
		xpf_reconcile_attach(front);
		xenbus_switch_state(xdev, XenbusStateConnected);
		break;

	case XenbusStateClosing:
	case XenbusStateClosed:
		/* Closed without Closing first is handled the same way. */
		dev_info(&xdev->dev, "backend is %s; removing devices\n", xenbus_strstate(be));
		xpf_close(front);
		break;
	}
}

/*
 * Driver unbind or module unload (device still there): keep the backend
 * connection for the next load, see xpf_chan_handover(). Device gone or
 * connection not up: close properly.
 */
static void xpf_remove(struct xenbus_device *xdev)
{
	struct xpf_front *front = dev_get_drvdata(&xdev->dev);
	bool keep;

	if (!front)
		return;
	keep = xdev->state == XenbusStateConnected && xdev->otherend &&
	       xpf_read_driver_state(xdev, xdev->otherend) == XenbusStateConnected;
	if (front->node_watch.node) {
		unregister_xenbus_watch(&front->node_watch);
		kfree(front->node_watch.node);
		front->node_watch.node = NULL;
	}
	xpf_debugfs_remove(front);
	if (xpf_teardown(front, keep, XPF_WHY_UNBIND))
		dev_info(&xdev->dev, "connection kept open for the next load of the module\n");
	else if (xdev->state != XenbusStateClosed)
		xenbus_switch_state(xdev, XenbusStateClosed);
	xa_destroy(&front->irqmode);
	xa_destroy(&front->gsi);
	xa_destroy(&front->cfgcaps);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(front);
}

/*
 * After xl restore the domain has a new backend (or none yet): the old
 * page mapping and event channel died with the old domain, and xenbus has
 * already reset our state to Initialising. Devices still present here
 * cannot be reached any more; remove them and shake hands again.
 */
static int xpf_resume(struct xenbus_device *xdev)
{
	struct xpf_front *front = dev_get_drvdata(&xdev->dev);

	if (!front)
		return 0;
	xpf_count(front, XPF_HP_RESUME);
	if (XPF_RESUME_VIA_XENBUS)
		xpf_dma_domain_resumed();
	dev_info(&xdev->dev, "resumed; reconnecting to the backend\n");
	return xpf_restart(front, true);
}

static const struct xenbus_device_id xpf_ids[] = {
	{ "pci" },
	{ "" },
};

static struct xenbus_driver xpf_driver = {
	.name = "pcifront",
	.ids = xpf_ids,
	.probe = xpf_probe,
	.remove = xpf_remove,
	.resume = xpf_resume,
	.otherend_changed = xpf_backend_changed,
	/* xpf_remove() decides itself whether to close. */
	.allow_rebind = true,
};

/**
 * xpf_xenbus_register() - register the xenbus frontend driver for "pci" devices
 *
 * Return: 0 or a negative errno.
 */
int xpf_xenbus_register(void)
{
	int err;

	/*
	 * Unbound: nothing here wants a CPU of its own, and a workqueue that
	 * says neither WQ_UNBOUND nor the newer WQ_PERCPU gets a WARN at
	 * creation on 7.x (seen with 7.3).
	 */
	xpf_wq = alloc_workqueue("xen-pcifront", WQ_UNBOUND, 0);
	if (!xpf_wq)
		return -ENOMEM;
	err = xenbus_register_frontend(&xpf_driver);
	if (err) {
		destroy_workqueue(xpf_wq);
		xpf_wq = NULL;
	}
	return err;
}

/**
 * xpf_xenbus_unregister() - unregister the driver after queued re-probes ran
 */
void xpf_xenbus_unregister(void)
{
	struct workqueue_struct *wq;
	unsigned long flags;

	/* Queued re-probes run before the driver goes; no new ones after this. */
	spin_lock_irqsave(&xpf_wq_lock, flags);
	wq = xpf_wq;
	xpf_wq = NULL;
	spin_unlock_irqrestore(&xpf_wq_lock, flags);
	destroy_workqueue(wq);
	xenbus_unregister_driver(&xpf_driver);
}
