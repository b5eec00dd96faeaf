// SPDX-License-Identifier: GPL-2.0
/*
 * Hotplug slots: one per virtual slot the backend lists, registered with
 * the PCI hotplug core so it shows in /sys/bus/pci/slots/<name>/ with
 * "address" and "power". Writing 0 to power stops and removes the slot's
 * devices inside this guest only; 1 adds back what the backend lists at
 * that slot.
 *
 * Slots are added and removed by bus.c with the frontend lock held. The
 * sysfs callbacks take the same lock, but only by trylock: deregistering
 * waits for running callbacks, so a callback must not block on a lock
 * its deregisterer holds; it retries until it gets the lock or sees the
 * slot going.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/slab.h>
#include "xpf.h"

static struct xpf_slot *xpf_slot_of(struct hotplug_slot *hp)
{
	return container_of(hp, struct xpf_slot, hp);
}

/* Returns with the frontend lock held, or false if the slot is going. */
static bool xpf_slot_lock(struct xpf_slot *slot)
{
	struct xpf_front *front = slot->root->front;

	while (!mutex_trylock(&front->lock)) {
		if (READ_ONCE(slot->gone))
			return false;
		usleep_range(5000, 10000);
	}
	if (slot->gone) {
		mutex_unlock(&front->lock);
		return false;
	}
	return true;
}

static int xpf_slot_set_power(struct hotplug_slot *hp, bool on)
{
	struct xpf_slot *slot = xpf_slot_of(hp);
	struct xpf_front *front = slot->root->front;

	if (!xpf_slot_lock(slot))
		return -ENODEV;
	xpf_count(front, on ? XPF_HP_POWER_ON : XPF_HP_POWER_OFF);
	xpf_bus_slot_power(slot->root, slot->nr, on);
	mutex_unlock(&front->lock);
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
	struct xpf_slot *slot = xpf_slot_of(hp);
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

static const struct hotplug_slot_ops xpf_slot_ops = {
	.enable_slot = xpf_slot_enable,
	.disable_slot = xpf_slot_disable,
	.get_power_status = xpf_slot_get_power,
	.get_adapter_status = xpf_slot_get_adapter,
};

struct xpf_slot *xpf_slot_find(struct xpf_root *root, unsigned int nr)
{
	struct xpf_slot *slot;

	list_for_each_entry(slot, &root->slots, node)
		if (slot->nr == nr)
			return slot;
	return NULL;
}

void xpf_slot_add(struct xpf_root *root, unsigned int nr)
{
	struct xpf_front *front = root->front;
	struct xpf_slot *slot;
	char name[32];
	int err;

	if (xpf_slot_find(root, nr))
		return;
	slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	if (!slot) {
		xpf_count(front, XPF_HP_ERR);
		return;
	}
	slot->root = root;
	slot->nr = nr;
	slot->hp.ops = &xpf_slot_ops;
	snprintf(name, sizeof(name), "xen-%04x:%02x:%02x", root->sd.domain,
		 root->bus->number, nr);
	err = pci_hp_register(&slot->hp, root->bus, nr, name);
	if (err) {
		dev_warn(&front->xdev->dev,
			 "cannot register hotplug slot %s (%d); the device works, but has no slot in sysfs\n",
			 name, err);
		xpf_count(front, XPF_HP_ERR);
		kfree(slot);
		return;
	}
	list_add_tail(&slot->node, &root->slots);
	xpf_count(front, XPF_HP_SLOT_ADD);
}

void xpf_slot_del(struct xpf_slot *slot)
{
	struct xpf_front *front = slot->root->front;

	WRITE_ONCE(slot->gone, true);
	list_del(&slot->node);
	/* Waits for sysfs callbacks; they see @gone and leave. */
	pci_hp_deregister(&slot->hp);
	xpf_count(front, XPF_HP_SLOT_DEL);
	kfree(slot);
}
