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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xenbus.h>
#include "xpf.h"

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
	dev_set_drvdata(&xdev->dev, front);

	err = xpf_chan_init(&front->chan, xdev, xpf_op_timeout_ms);
	if (err) {
		xenbus_dev_fatal(xdev, err, "setting up shared page and event channel");
		goto fail;
	}
	err = xpf_publish(front);
	if (err)
		goto fail_chan;
	xpf_debugfs_add(front);
	dev_info(&xdev->dev, "published op page (gref %u) and event channel %u\n",
		 front->chan.gref, front->chan.evtchn);
	return 0;

fail_chan:
	xpf_chan_destroy(&front->chan);
fail:
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(front);
	return err;
}

static void xpf_connect(struct xpf_front *front)
{
	struct xenbus_device *xdev = front->xdev;
	int err;

	err = xpf_bus_connect(front);
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
	xpf_bus_disconnect(front);
	xenbus_frontend_closed(xdev);
}

static void xpf_backend_changed(struct xenbus_device *xdev, enum xenbus_state be)
{
	struct xpf_front *front = dev_get_drvdata(&xdev->dev);
	enum xenbus_state me = xdev->state;

	dev_dbg(&xdev->dev, "backend %s, we are %s\n", xenbus_strstate(be),
		xenbus_strstate(me));
	if (!front)
		return;

	switch (be) {
	case XenbusStateUnknown:
	case XenbusStateInitialising:
	case XenbusStateInitWait:
	case XenbusStateInitialised:
		break;

	case XenbusStateConnected:
		if (me == XenbusStateInitialised) {
			xpf_connect(front);
		} else if (me == XenbusStateReconfiguring) {
			/* Reconfigured came and went before we looked. */
			xpf_bus_attach_new(front);
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
		xpf_bus_detach_closing(front);
		xenbus_switch_state(xdev, XenbusStateReconfiguring);
		break;

	case XenbusStateReconfigured:
		if (me == XenbusStateInitialised) {
			xpf_connect(front);
			break;
		}
		if (me != XenbusStateReconfiguring)
			break;
		xpf_bus_attach_new(front);
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

static void xpf_remove(struct xenbus_device *xdev)
{
	struct xpf_front *front = dev_get_drvdata(&xdev->dev);

	if (!front)
		return;
	xpf_debugfs_remove(front);
	xpf_bus_disconnect(front);
	xpf_chan_destroy(&front->chan);
	xa_destroy(&front->irqmode);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(front);
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
	.otherend_changed = xpf_backend_changed,
};

int xpf_xenbus_register(void)
{
	return xenbus_register_frontend(&xpf_driver);
}

void xpf_xenbus_unregister(void)
{
	xenbus_unregister_driver(&xpf_driver);
}
