// SPDX-License-Identifier: GPL-2.0
/*
 * Hotplug slots: one per virtual slot the backend lists, registered with
 * the PCI hotplug core so it shows in /sys/bus/pci/slots/<name>/ with
 * "address" and "power". What power does is reconcile.c's (the ops are
 * handed in); this file only keeps the slot objects.
 *
 * Slots are added and removed with the frontend lock held. The sysfs
 * callbacks take the same lock, but only by trylock (xpf_hpslot_lock()):
 * deregistering waits for running callbacks, so a callback must not block
 * on a lock its deregisterer holds; it retries until it gets the lock or
 * sees the slot going.
 */
#include <linux/delay.h>
#include <linux/slab.h>
#include "xpf.h"

/**
 * xpf_hpslot_of() - the slot behind a PCI hotplug core slot
 * @hp: a slot registered by xpf_hpslot_add()
 *
 * Return: its &struct xpf_hpslot.
 */
struct xpf_hpslot *xpf_hpslot_of(struct hotplug_slot *hp)
{
	return container_of(hp, struct xpf_hpslot, hp);
}

/**
 * xpf_hpslot_lock() - take the frontend lock from a sysfs callback of @slot
 * @slot: the slot
 *
 * Retries by trylock while the lock is held: the holder may be deregistering
 * the slot, which waits for the callback.
 *
 * Return: true with the lock held, false when the slot is going.
 */
bool xpf_hpslot_lock(struct xpf_hpslot *slot)
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

/**
 * xpf_hpslot_find() - the slot @nr on @root
 * @root: the root bus
 * @nr: slot number
 *
 * Context: frontend lock held.
 * Return: the slot or NULL.
 */
struct xpf_hpslot *xpf_hpslot_find(struct xpf_root *root, unsigned int nr)
{
	struct xpf_hpslot *slot;

	lockdep_assert_held(&root->front->lock);
	list_for_each_entry(slot, &root->slots, node)
		if (slot->nr == nr)
			return slot;
	return NULL;
}

/**
 * xpf_hpslot_add() - register slot @nr of @root with the PCI hotplug core
 * @root: the root bus
 * @nr: slot number
 * @ops: what power does (reconcile.c)
 *
 * Nothing happens when the slot exists; a failure is reported and counted.
 *
 * Context: frontend lock held.
 */
void xpf_hpslot_add(struct xpf_root *root, unsigned int nr, const struct hotplug_slot_ops *ops)
{
	struct xpf_front *front = root->front;
	struct xpf_hpslot *slot;
	char name[32];
	int err;

	lockdep_assert_held(&front->lock);
	if (xpf_hpslot_find(root, nr))
		return;
	slot = kzalloc(sizeof(*slot), GFP_KERNEL);
	if (!slot) {
		xpf_count(front, XPF_HP_ERR);
		return;
	}
	slot->root = root;
	slot->nr = nr;
	slot->hp.ops = ops;
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

/**
 * xpf_hpslot_del() - deregister a slot and free it
 * @slot: the slot
 *
 * Waits for running sysfs callbacks (they see the slot going and leave).
 *
 * Context: frontend lock held.
 */
void xpf_hpslot_del(struct xpf_hpslot *slot)
{
	struct xpf_front *front = slot->root->front;

	lockdep_assert_held(&front->lock);
	WRITE_ONCE(slot->gone, true);
	list_del(&slot->node);
	/* Waits for sysfs callbacks; they see @gone and leave. */
	pci_hp_deregister(&slot->hp);
	xpf_count(front, XPF_HP_SLOT_DEL);
	kfree(slot);
}

/**
 * xpf_hpslot_del_all() - deregister every slot of a root
 * @root: the root bus
 *
 * Context: frontend lock held.
 */
void xpf_hpslot_del_all(struct xpf_root *root)
{
	struct xpf_hpslot *slot, *tmp;

	list_for_each_entry_safe(slot, tmp, &root->slots, node)
		xpf_hpslot_del(slot);
}
