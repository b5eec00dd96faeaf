// SPDX-License-Identifier: GPL-2.0
/*
 * Reconciliation: make the guest's roots, slots and devices match what the
 * backend publishes. One reader of the backend's nodes (devlist.c) feeds
 * every round; each round filters that one result:
 *
 *   connect         roots that carry an exported device, those devices,
 *                   a slot per listed slot
 *   Reconfiguring   devices whose state-N is Closing go (surprise-removed:
 *                   the toolstack has already reset them), then slots and
 *                   roots without exported devices
 *   Reconfigured    as connect, for what is new
 *   slot power      0: the slot's devices go (in this guest only);
 *                   1: the slot's exported devices come back
 *   disconnect      everything goes
 *
 * Everything here runs under the frontend lock; the PCI changes also under
 * the PCI core's rescan lock. Below this file: bus.c (roots, devices),
 * slot.c (slot objects), devlist.c (the nodes). Nothing below calls up.
 */
#include <linux/pci.h>
#include <linux/slab.h>
#include <xen/xenbus.h>
#include "devlist.h"
#include "xpf.h"
#include "xpf-dma.h"

bool xpf_full_scan;
module_param_named(full_scan, xpf_full_scan, bool, 0444);
MODULE_PARM_DESC(full_scan,
		 "Probe all 256 functions of every root instead of only the devices the backend lists (default off)");

static char *xpf_be_get(void *ctx, const char *key)
{
	struct xpf_front *front = ctx;
	char *s = xenbus_read(XBT_NIL, front->xdev->otherend, key, NULL);

	return IS_ERR(s) ? NULL : s;
}

static void xpf_be_put(void *ctx, char *s)
{
	kfree(s);
}

static void xpf_devlist_report(struct xpf_front *front, const struct xpf_devlist *l)
{
	static const struct {
		unsigned int bit;
		const char *what;
		const char *then;
	} msg[] = {
		{ XPF_DL_NO_NUMDEVS, "publishes no num_devs",
		  "no devices added (fix the backend, or load with full_scan=1)" },
		{ XPF_DL_BAD_NUMDEVS, "publishes a malformed num_devs (or above 256)",
		  "no devices added (fix the backend, or load with full_scan=1)" },
		{ XPF_DL_BAD_STATE, "publishes a malformed state-N", "that device is skipped" },
		{ XPF_DL_BAD_VDEV, "publishes a malformed vdev-N", "that device is skipped" },
		{ XPF_DL_DUP_VDEV, "lists one address twice (vdev-N)", "the repeat is skipped" },
		{ XPF_DL_NO_ROOTNUM, "publishes no root_num", "assuming root 0000:00" },
		{ XPF_DL_BAD_ROOTNUM, "publishes a malformed root_num (or above 64)", "no roots" },
		{ XPF_DL_BAD_ROOT, "publishes a missing or malformed root-N",
		  "that root is skipped" },
		{ XPF_DL_DUP_ROOT, "lists one root twice (root-N)", "the repeat is skipped" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msg); i++) {
		if (!(l->problems & msg[i].bit))
			continue;
		if (l->bad_index >= 0)
			dev_err_ratelimited(&front->xdev->dev, "backend %s (first at N=%d): %s\n",
					    msg[i].what, l->bad_index, msg[i].then);
		else
			dev_err_ratelimited(&front->xdev->dev, "backend %s: %s\n",
					    msg[i].what, msg[i].then);
	}
}

/* The backend's nodes now; NULL (and said why) when they cannot be read. */
static struct xpf_devlist *xpf_devlist_read(struct xpf_front *front)
{
	const struct xpf_devlist_src src = {
		.get = xpf_be_get, .put = xpf_be_put, .ctx = front,
	};
	struct xpf_devlist *l = kmalloc(sizeof(*l), GFP_KERNEL);

	if (!l) {
		xpf_count(front, XPF_HP_ERR);
		dev_err(&front->xdev->dev, "no memory to read the backend's device list\n");
		return NULL;
	}
	xpf_devlist_build(l, &src);
	if (l->problems)
		xpf_devlist_report(front, l);
	return l;
}

/*
 * The PCI core's rescan lock, for a round that adds or removes devices:
 * the bus notifier, which runs under it, traces them with @why.
 */
static void xpf_rescan_lock(struct xpf_front *front, enum xpf_trace_why why)
{
	pci_lock_rescan_remove();
	WRITE_ONCE(front->why, why);
}

static void xpf_rescan_unlock(struct xpf_front *front)
{
	WRITE_ONCE(front->why, XPF_WHY_SYSFS);
	pci_unlock_rescan_remove();
}

static bool xpf_exported_at(const struct xpf_devlist *l, struct xpf_root *root, int slot)
{
	unsigned int i;

	for (i = 0; i < l->ndevs; i++) {
		const struct xpf_devent *e = &l->dev[i];

		if (xpf_devent_exported(e) && e->bdf.domain == root->sd.domain &&
		    e->bdf.bus == root->bus->number &&
		    (slot < 0 || PCI_SLOT(e->bdf.devfn) == slot))
			return true;
	}
	return false;
}

/* Roots that carry an exported device (so a round never makes one just to drop it). */
static void xpf_roots_sync(struct xpf_front *front, const struct xpf_devlist *l)
{
	unsigned int i;

	for (i = 0; i < l->ndevs; i++) {
		const struct xpf_devent *e = &l->dev[i];

		if (!xpf_devent_exported(e) || xpf_root_find(front, e->bdf.domain, e->bdf.bus))
			continue;
		if (!xpf_devlist_has_root(l, e->bdf.domain, e->bdf.bus)) {
			dev_warn_ratelimited(&front->xdev->dev,
					     "device %04x:%02x:%02x.%u is on no published root; skipped\n",
					     e->bdf.domain, e->bdf.bus, PCI_SLOT(e->bdf.devfn),
					     PCI_FUNC(e->bdf.devfn));
			continue;
		}
		xpf_root_add(front, e->bdf.domain, e->bdf.bus);
	}
}

static void xpf_root_drop(struct xpf_root *root, bool gone)
{
	xpf_hpslot_del_all(root);
	xpf_root_remove(root, gone);
}

/* Slots for listed slots only; roots without exported devices go. */
static void xpf_layout_sync(struct xpf_front *front, const struct xpf_devlist *l)
{
	struct xpf_root *root, *rtmp;
	struct xpf_hpslot *slot, *stmp;
	unsigned int i;

	list_for_each_entry_safe(root, rtmp, &front->roots, node) {
		if (!xpf_exported_at(l, root, -1)) {
			dev_info(&front->xdev->dev, "PCI root bus %04x:%02x has no devices left; removing it\n",
				 root->sd.domain, root->bus->number);
			xpf_root_drop(root, true);
			continue;
		}
		list_for_each_entry_safe(slot, stmp, &root->slots, node)
			if (!xpf_exported_at(l, root, slot->nr))
				xpf_hpslot_del(slot);
	}
	for (i = 0; i < l->ndevs; i++) {
		const struct xpf_devent *e = &l->dev[i];

		if (!xpf_devent_exported(e))
			continue;
		root = xpf_root_find(front, e->bdf.domain, e->bdf.bus);
		if (root)
			xpf_hpslot_add(root, PCI_SLOT(e->bdf.devfn), &xpf_slot_ops);
	}
}

/* Add the exported devices of @l (of slot @slot only, if >= 0). */
static void xpf_devices_add(struct xpf_front *front, const struct xpf_devlist *l, int slot)
{
	struct xpf_root *root;
	unsigned int i;

	for (i = 0; i < l->ndevs; i++) {
		const struct xpf_devent *e = &l->dev[i];

		if (!xpf_devent_exported(e) || (slot >= 0 && PCI_SLOT(e->bdf.devfn) != slot))
			continue;
		root = xpf_root_find(front, e->bdf.domain, e->bdf.bus);
		if (root && !xpf_bus_add_device(root, e->bdf.devfn))
			dev_warn_ratelimited(&front->xdev->dev,
					     "listed device %04x:%02x:%02x.%u does not answer\n",
					     e->bdf.domain, e->bdf.bus, PCI_SLOT(e->bdf.devfn),
					     PCI_FUNC(e->bdf.devfn));
	}
}

/* full_scan=1: every published root, every function. */
static void xpf_devices_scan_all(struct xpf_front *front, const struct xpf_devlist *l)
{
	struct xpf_root *root;
	unsigned int i, devfn;

	for (i = 0; i < l->nroots; i++)
		xpf_root_add(front, l->root[i].domain, l->root[i].bus);
	list_for_each_entry(root, &front->roots, node)
		for (devfn = 0; devfn < 256; devfn++)
			xpf_bus_add_device(root, devfn);
}

/* Add what is listed and not here yet. Frontend lock held. */
static void xpf_sync(struct xpf_front *front, enum xpf_trace_why why)
{
	struct xpf_devlist *l = xpf_devlist_read(front);

	lockdep_assert_held(&front->lock);
	if (!l)
		return;
	xpf_rescan_lock(front, why);
	if (xpf_full_scan) {
		xpf_devices_scan_all(front, l);
	} else {
		xpf_roots_sync(front, l);
		xpf_devices_add(front, l, -1);
		xpf_layout_sync(front, l);
	}
	xpf_rescan_unlock(front);
	kfree(l);
}

/**
 * xpf_reconcile_connect() - add the roots, devices and slots the backend lists
 * @front: the frontend
 *
 * Does nothing when already connected.
 *
 * Context: process context; takes the frontend lock and the rescan lock.
 * Return: 0, or the error of xpf_dma_connect() (then nothing was added).
 */
int xpf_reconcile_connect(struct xpf_front *front)
{
	int err = 0;

	mutex_lock(&front->lock);
	if (!front->connected) {
		err = xpf_dma_connect(&front->xdev->dev);
		if (!err) {
			xpf_sync(front, XPF_WHY_CONNECT);
			front->connected = true;
		}
	}
	mutex_unlock(&front->lock);
	return err;
}

/**
 * xpf_reconcile_attach() - a Reconfigured round: add what is listed and new
 * @front: the frontend
 *
 * Context: process context; takes the frontend lock and the rescan lock.
 */
void xpf_reconcile_attach(struct xpf_front *front)
{
	mutex_lock(&front->lock);
	xpf_count(front, XPF_HP_RECONF_DONE);
	if (front->connected)
		xpf_sync(front, XPF_WHY_ATTACH);
	mutex_unlock(&front->lock);
}

/**
 * xpf_reconcile_revive() - the channel came back: add what did not answer
 * @front: the frontend
 *
 * Devices listed while the channel was dead were skipped as not answering;
 * look for them again now that the backend answers.
 *
 * Context: process context; takes the frontend lock and the rescan lock.
 */
void xpf_reconcile_revive(struct xpf_front *front)
{
	mutex_lock(&front->lock);
	if (front->connected)
		xpf_sync(front, XPF_WHY_REVIVE);
	mutex_unlock(&front->lock);
}

/**
 * xpf_reconcile_detach() - a Reconfiguring round: remove what the backend closes
 * @front: the frontend
 *
 * Devices whose state-N is Closing go (as surprise-removed), then slots and
 * roots without exported devices.
 *
 * Context: process context; takes the frontend lock and the rescan lock.
 */
void xpf_reconcile_detach(struct xpf_front *front)
{
	struct xpf_devlist *l;
	struct pci_dev *dev;
	unsigned int i;

	mutex_lock(&front->lock);
	xpf_count(front, XPF_HP_RECONF);
	l = front->connected ? xpf_devlist_read(front) : NULL;
	if (!l)
		goto out;
	xpf_rescan_lock(front, XPF_WHY_DETACH);
	for (i = 0; i < l->ndevs; i++) {
		const struct xpf_devent *e = &l->dev[i];

		if (!xpf_devent_closing(e))
			continue;
		dev = pci_get_domain_bus_and_slot(e->bdf.domain, e->bdf.bus, e->bdf.devfn);
		if (dev && xpf_front_of_bus(dev->bus) == front) {
			pci_info(dev, "backend detaches this device (already reset by the toolstack); removing it as surprise-removed\n");
			xpf_bus_remove_device(dev, true);
		}
		pci_dev_put(dev);
	}
	if (!xpf_full_scan)
		xpf_layout_sync(front, l);
	xpf_rescan_unlock(front);
	kfree(l);
out:
	mutex_unlock(&front->lock);
}

/**
 * xpf_reconcile_disconnect() - remove every root with its devices and slots
 * @front: the frontend
 * @gone: the devices can no longer be reached (see xpf_bus_remove_device())
 * @why: why they go, for the trace (%XPF_WHY_CLOSE, _UNBIND or _RESTART)
 *
 * Context: process context; takes the frontend lock and the rescan lock.
 */
void xpf_reconcile_disconnect(struct xpf_front *front, bool gone, enum xpf_trace_why why)
{
	struct xpf_root *root, *tmp;

	mutex_lock(&front->lock);
	xpf_rescan_lock(front, why);
	list_for_each_entry_safe_reverse(root, tmp, &front->roots, node)
		xpf_root_drop(root, gone);
	xpf_rescan_unlock(front);
	front->connected = false;
	mutex_unlock(&front->lock);
}

/* Slot power from sysfs: frontend lock held (xpf_hpslot_lock()). */
static void xpf_slot_power(struct xpf_hpslot *slot, bool on)
{
	struct xpf_front *front = slot->root->front;
	struct xpf_root *root = slot->root;
	struct pci_dev *dev, *tmp;
	struct xpf_devlist *l;

	xpf_count(front, on ? XPF_HP_POWER_ON : XPF_HP_POWER_OFF);
	if (!on) {
		xpf_rescan_lock(front, XPF_WHY_SLOT);
		list_for_each_entry_safe_reverse(dev, tmp, &root->bus->devices, bus_list)
			if (PCI_SLOT(dev->devfn) == slot->nr) {
				pci_info(dev, "slot powered off from sysfs; removing the device in this guest only\n");
				xpf_bus_remove_device(dev, false);
			}
		xpf_rescan_unlock(front);
		return;
	}
	l = xpf_devlist_read(front);
	if (!l)
		return;
	xpf_rescan_lock(front, XPF_WHY_SLOT);
	xpf_devices_add(front, l, slot->nr);
	xpf_rescan_unlock(front);
	kfree(l);
}

static int xpf_slot_set_power(struct hotplug_slot *hp, bool on)
{
	struct xpf_hpslot *slot = xpf_hpslot_of(hp);

	if (!xpf_hpslot_lock(slot))
		return -ENODEV;
	xpf_slot_power(slot, on);
	mutex_unlock(&slot->root->front->lock);
	return 0;
}

static int xpf_slot_enable(struct hotplug_slot *hp)
{
	return xpf_slot_set_power(hp, true);
}

static int xpf_slot_disable(struct hotplug_slot *hp)
{
	return xpf_slot_set_power(hp, false);
}

/* Powered: a device of this slot is present in the guest. */
static int xpf_slot_get_power(struct hotplug_slot *hp, u8 *value)
{
	struct xpf_hpslot *slot = xpf_hpslot_of(hp);
	struct pci_dev *dev;
	unsigned int fn;
	u8 on = 0;

	for (fn = 0; fn < 8 && !on; fn++) {
		dev = pci_get_slot(slot->root->bus, PCI_DEVFN(slot->nr, fn));
		on = !!dev;
		pci_dev_put(dev);
	}
	*value = on;
	return 0;
}

/* The slot exists only while the backend lists a device in it. */
static int xpf_slot_get_adapter(struct hotplug_slot *hp, u8 *value)
{
	*value = 1;
	return 0;
}

const struct hotplug_slot_ops xpf_slot_ops = {
	.enable_slot = xpf_slot_enable,
	.disable_slot = xpf_slot_disable,
	.get_power_status = xpf_slot_get_power,
	.get_adapter_status = xpf_slot_get_adapter,
};
