// SPDX-License-Identifier: GPL-2.0
/*
 * PCI roots and devices of a pcifront connection: config accessors, root
 * buses, enumeration from the backend's device list, hotplug add/remove.
 *
 * Every device enters through xpf_add_device() and leaves through
 * xpf_remove_device(); nothing else adds or removes a pci_dev.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-map-ops.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <xen/xenbus.h>
#include <asm/xen/swiotlb-xen.h>
#include "errmap.h"
#include "xs_parse.h"
#include "xpf.h"
#include "xpf-dma.h"

static struct pci_ops xpf_pci_ops;

struct xpf_front *xpf_front_of_bus(struct pci_bus *bus)
{
	while (bus->parent)
		bus = bus->parent;
	if (bus->ops != &xpf_pci_ops)
		return NULL;
	return container_of(bus->sysdata, struct xpf_root, sd)->front;
}

static int xpf_conf(struct pci_bus *bus, u32 cmd, unsigned int devfn, int where,
		    int size, u32 *val)
{
	struct xpf_front *front = xpf_front_of_bus(bus);
	struct xpf_reply rep = {};
	struct xpf_req req = {
		.cmd = cmd,
		.bus = bus->number,
		.devfn = devfn,
		.offset = where,
		.size = size,
		.value = cmd == XEN_PCI_OP_conf_write ? *val : 0,
	};
	int rc;

	if (!front || where < 0)
		return PCIBIOS_DEVICE_NOT_FOUND;
	req.domain = pci_domain_nr(bus);
	rc = xpf_chan_do(&front->chan, &req, &rep);
	if (rc == -EINVAL)
		return PCIBIOS_BAD_REGISTER_NUMBER;
	if (rc)
		return PCIBIOS_DEVICE_NOT_FOUND;
	rc = xpf_err_to_pcibios(rep.err);
	if (rc == PCIBIOS_SUCCESSFUL && cmd == XEN_PCI_OP_conf_read)
		*val = size == 4 ? rep.value : rep.value & ((1U << (8 * size)) - 1);
	return rc;
}

static int xpf_read(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val)
{
	return xpf_conf(bus, XEN_PCI_OP_conf_read, devfn, where, size, val);
}

static int xpf_write(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val)
{
	return xpf_conf(bus, XEN_PCI_OP_conf_write, devfn, where, size, &val);
}

static struct pci_ops xpf_pci_ops = {
	.read = xpf_read,
	.write = xpf_write,
};

/* The backend fixed the BARs; we can only take them as they are. */
static void xpf_claim(struct pci_dev *dev)
{
	int i;

	for (i = 0; i < PCI_NUM_RESOURCES; i++) {
		struct resource *r = &dev->resource[i];

		if (!r->flags || r->parent || (r->flags & IORESOURCE_UNSET))
			continue;
		if (pci_claim_resource(dev, i))
			pci_err(dev, "BAR %d %pR cannot be claimed: the device will not work. Fix: e820_host=1 in the domU's xl config\n",
				i, r);
	}
}

/*
 * The one way a device comes in. Caller holds pci_lock_rescan_remove().
 * Returns the device (already known ones included) or NULL.
 */
static struct pci_dev *xpf_add_device(struct xpf_root *root, unsigned int devfn)
{
	struct pci_dev *dev = pci_get_slot(root->bus, devfn);

	if (dev) {
		pci_dev_put(dev);
		return dev;
	}
	dev = pci_scan_single_device(root->bus, devfn);
	if (!dev) {
		xpf_count(root->front, XPF_HP_ERR);
		return NULL;
	}
	xpf_claim(dev);
	xpf_intx_note(root->front, dev);
	/*
	 * The device is on the bus but no driver can see it yet: this is the
	 * place for per-device DMA setup before any probe.
	 */
	if (xpf_dma_add_device(dev))
		pci_warn(dev, "no memory for DMA state; the device keeps the kernel's DMA ops\n");
	pci_bus_add_device(dev);
	xpf_count(root->front, XPF_HP_ADDED);
	return dev;
}

static int xpf_mark_gone(struct pci_dev *dev, void *unused)
{
	/*
	 * What pci_dev_set_disconnected() does (not exported): a permanent
	 * failure is final, so there is no state transition to check.
	 */
	WRITE_ONCE(dev->error_state, pci_channel_io_perm_failure);
	return 0;
}

/*
 * The one way a device goes. Caller holds pci_lock_rescan_remove().
 *
 * @gone: the device can no longer be reached. A detach by the toolstack
 * resets the device and takes it out of our IOMMU context before the
 * backend tells us, and after a backend close or a restore nothing
 * answers for it any more. Marking it disconnected first makes the PCI
 * core fail its config accesses at once and tells the driver it was
 * surprise-removed: it fails outstanding I/O instead of waiting for
 * commands that the device will never complete.
 */
static void xpf_remove_device(struct xpf_front *front, struct pci_dev *dev, bool gone)
{
	unsigned long key = xpf_sbdf(dev);

	pci_dev_get(dev);
	if (gone) {
		xpf_mark_gone(dev, NULL);
		if (dev->subordinate)
			pci_walk_bus(dev->subordinate, xpf_mark_gone, NULL);
	}
	pci_stop_and_remove_bus_device(dev);
	/* Driver unbound and device unlinked: per-device DMA teardown goes here. */
	xpf_dma_remove_device(dev);
	xa_erase(&front->irqmode, key);
	xpf_intx_release(front, key);
	pci_dev_put(dev);
	xpf_count(front, XPF_HP_REMOVED);
}

static struct xpf_root *xpf_root_find(struct xpf_front *front, unsigned int domain,
				      unsigned int busnr)
{
	struct xpf_root *root;

	list_for_each_entry(root, &front->roots, node)
		if (root->sd.domain == domain && root->bus->number == busnr)
			return root;
	return NULL;
}

/* Caller holds pci_lock_rescan_remove(). */
static struct xpf_root *xpf_root_add(struct xpf_front *front, unsigned int domain,
				     unsigned int busnr)
{
	struct device *parent = &front->xdev->dev;
	struct xpf_root *root = xpf_root_find(front, domain, busnr);
	LIST_HEAD(res);

	if (root)
		return root;
	if (domain && !IS_ENABLED(CONFIG_PCI_DOMAINS)) {
		dev_err(parent, "root %04x:%02x needs CONFIG_PCI_DOMAINS in the domU kernel\n",
			domain, busnr);
		return NULL;
	}
	if (pci_find_bus(domain, busnr)) {
		dev_err(parent, "bus %04x:%02x already exists in this domU; skipping that root\n",
			domain, busnr);
		return NULL;
	}
	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!root)
		return NULL;
	root->front = front;
	INIT_LIST_HEAD(&root->slots);
	root->sd.domain = domain;
	/* The backend does not tell us the device's NUMA node. */
	root->sd.node = first_online_node;
	/* The host bridge keeps a pointer to this one, so it lives in root. */
	root->busn.name = "PCI busn";
	root->busn.start = busnr;
	root->busn.end = 0xff;
	root->busn.flags = IORESOURCE_BUS;

	pci_add_resource(&res, &ioport_resource);
	pci_add_resource(&res, &iomem_resource);
	pci_add_resource(&res, &root->busn);
	dev_info(parent, "creating PCI root bus %04x:%02x\n", domain, busnr);
	root->bus = pci_create_root_bus(parent, busnr, &xpf_pci_ops, &root->sd, &res);
	if (!root->bus) {
		pci_free_resource_list(&res);
		dev_err(parent, "cannot create PCI root bus %04x:%02x\n", domain, busnr);
		kfree(root);
		return NULL;
	}
	list_add_tail(&root->node, &front->roots);
	xpf_count(front, XPF_HP_ROOT_ADD);
	return root;
}

/* Caller holds pci_lock_rescan_remove(). @gone: see xpf_remove_device(). */
static void xpf_root_remove(struct xpf_front *front, struct xpf_root *root, bool gone)
{
	struct pci_bus *bus = root->bus;
	struct pci_host_bridge *hb = to_pci_host_bridge(bus->bridge);
	struct xpf_slot *slot, *stmp;
	struct pci_dev *dev, *tmp;

	list_for_each_entry_safe(slot, stmp, &root->slots, node)
		xpf_slot_del(slot);
	list_for_each_entry_safe_reverse(dev, tmp, &bus->devices, bus_list)
		xpf_remove_device(front, dev, gone);
	pci_stop_root_bus(bus);
	pci_remove_root_bus(bus);
	/* Drop the reference pci_create_root_bus() gave us. */
	put_device(&hb->dev);
	list_del(&root->node);
	kfree(root);
	xpf_count(front, XPF_HP_ROOT_DEL);
}

static char *xpf_xs_read(struct xpf_front *front, const char *fmt, unsigned int i)
{
	char key[24];
	char *s;

	snprintf(key, sizeof(key), fmt, i);
	s = xenbus_read(XBT_NIL, front->xdev->otherend, key, NULL);
	return IS_ERR(s) ? NULL : s;
}

/**
 * struct xpf_devlist - the devices the backend says it exports
 * @n: entries used
 * @bdf: the guest-visible addresses (vdev-N)
 */
struct xpf_devlist {
	unsigned int n;
	struct xpf_bdf bdf[XPF_MAX_DEVS];
};

/* Returns false if the list is missing or malformed (then scan blindly). */
static bool xpf_read_devlist(struct xpf_front *front, struct xpf_devlist *l)
{
	struct device *d = &front->xdev->dev;
	unsigned int num, i, st;
	char *s;
	int err;

	l->n = 0;
	s = xpf_xs_read(front, "num_devs", 0);
	if (!s) {
		dev_warn(d, "backend publishes no num_devs; scanning every function\n");
		return false;
	}
	err = xpf_parse_uint(s, XPF_MAX_DEVS, &num);
	kfree(s);
	if (err) {
		dev_warn(d, "backend's num_devs is malformed; scanning every function\n");
		return false;
	}
	for (i = 0; i < num; i++) {
		s = xpf_xs_read(front, "state-%u", i);
		if (s) {
			err = xpf_parse_uint(s, XenbusStateReconfigured, &st);
			kfree(s);
			/* Only exported devices: not yet ready or going away are skipped. */
			if (!err && st != XenbusStateInitialised && st != XenbusStateConnected)
				continue;
		}
		s = xpf_xs_read(front, "vdev-%u", i);
		if (!s)
			continue;	/* a hole left by an earlier detach */
		err = xpf_parse_bdf(s, &l->bdf[l->n]);
		if (err) {
			dev_warn(d, "backend's vdev-%u \"%.32s\" is malformed; scanning every function\n",
				 i, s);
			kfree(s);
			return false;
		}
		kfree(s);
		l->n++;
	}
	return true;
}

static bool xpf_listed_on(const struct xpf_devlist *l, unsigned int domain, unsigned int busnr)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->bdf[i].domain == domain && l->bdf[i].bus == busnr)
			return true;
	return false;
}

/*
 * Read root_num/root-N and create missing roots; with the backend's device
 * list @l (NULL: scanning blindly), only roots that carry a listed device,
 * so a round that leaves a root empty does not create it just to remove it
 * again. Caller holds the rescan lock.
 */
static void xpf_roots_sync(struct xpf_front *front, const struct xpf_devlist *l)
{
	struct device *d = &front->xdev->dev;
	unsigned int num, i, dom, busnr;
	char *s;
	int err;

	s = xpf_xs_read(front, "root_num", 0);
	if (!s) {
		dev_warn(d, "backend publishes no root_num; assuming root 0000:00\n");
		if (!l || xpf_listed_on(l, 0, 0))
			xpf_root_add(front, 0, 0);
		return;
	}
	err = xpf_parse_uint(s, XPF_MAX_ROOTS, &num);
	kfree(s);
	if (err) {
		dev_err(d, "backend's root_num is malformed or above %d\n", XPF_MAX_ROOTS);
		return;
	}
	for (i = 0; i < num; i++) {
		s = xpf_xs_read(front, "root-%u", i);
		if (!s) {
			dev_warn(d, "backend's root-%u is missing\n", i);
			continue;
		}
		err = xpf_parse_root(s, &dom, &busnr);
		if (err)
			dev_warn(d, "backend's root-%u \"%.32s\" is malformed; skipped\n", i, s);
		kfree(s);
		if (!err && (!l || xpf_listed_on(l, dom, busnr)))
			xpf_root_add(front, dom, busnr);
	}
}

static bool xpf_listed_at(const struct xpf_devlist *l, struct xpf_root *root, int slot)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->bdf[i].domain == root->sd.domain && l->bdf[i].bus == root->bus->number &&
		    (slot < 0 || PCI_SLOT(l->bdf[i].devfn) == slot))
			return true;
	return false;
}

/*
 * Match slots and roots to the backend's list: a slot for every slot with
 * a listed device, none for the others; a root with no listed device goes
 * (with whatever is left on it). Caller holds the lock and the rescan lock.
 */
static void xpf_layout_sync(struct xpf_front *front, const struct xpf_devlist *l)
{
	struct xpf_root *root, *rtmp;
	struct xpf_slot *slot, *stmp;
	unsigned int i;

	list_for_each_entry_safe(root, rtmp, &front->roots, node) {
		if (!xpf_listed_at(l, root, -1)) {
			dev_info(&front->xdev->dev, "PCI root bus %04x:%02x has no devices left; removing it\n",
				 root->sd.domain, root->bus->number);
			xpf_root_remove(front, root, true);
			continue;
		}
		list_for_each_entry_safe(slot, stmp, &root->slots, node)
			if (!xpf_listed_at(l, root, slot->nr))
				xpf_slot_del(slot);
	}
	for (i = 0; i < l->n; i++) {
		root = xpf_root_find(front, l->bdf[i].domain, l->bdf[i].bus);
		if (root)
			xpf_slot_add(root, PCI_SLOT(l->bdf[i].devfn));
	}
}

/* Add every listed device not yet present, or scan blindly. Caller holds the rescan lock. */
static void xpf_devices_sync(struct xpf_front *front, struct xpf_devlist *l, bool listed)
{
	struct xpf_root *root;
	unsigned int i, devfn;

	if (listed && !xpf_full_scan) {
		for (i = 0; i < l->n; i++) {
			root = xpf_root_find(front, l->bdf[i].domain, l->bdf[i].bus);
			if (!root) {
				dev_warn(&front->xdev->dev,
					 "device %04x:%02x:%02x.%u is on no published root; skipped\n",
					 l->bdf[i].domain, l->bdf[i].bus,
					 PCI_SLOT(l->bdf[i].devfn), PCI_FUNC(l->bdf[i].devfn));
				continue;
			}
			if (!xpf_add_device(root, l->bdf[i].devfn))
				dev_warn(&front->xdev->dev,
					 "listed device %04x:%02x:%02x.%u does not answer\n",
					 l->bdf[i].domain, l->bdf[i].bus,
					 PCI_SLOT(l->bdf[i].devfn), PCI_FUNC(l->bdf[i].devfn));
		}
		xpf_layout_sync(front, l);
		return;
	}
	list_for_each_entry(root, &front->roots, node)
		for (devfn = 0; devfn < 256; devfn++)
			xpf_add_device(root, devfn);
}

static int xpf_swiotlb_setup(struct xpf_front *front)
{
	static bool done;
	int err;

	if (done || !xpf_dma_wants_kernel_swiotlb())
		return 0;
	err = xpf_xen_swiotlb_init_late();
	if (err) {
		dev_err(&front->xdev->dev,
			"cannot set up the Xen DMA bounce buffer (%d); boot the domU with iommu=soft swiotlb=<slabs> to reserve it at boot\n",
			err);
		return err;
	}
	done = true;
	return 0;
}

static void xpf_sync(struct xpf_front *front)
{
	struct xpf_devlist *l = kmalloc(sizeof(*l), GFP_KERNEL);
	bool listed = l && xpf_read_devlist(front, l);

	pci_lock_rescan_remove();
	xpf_roots_sync(front, listed && !xpf_full_scan ? l : NULL);
	xpf_devices_sync(front, l, listed);
	pci_unlock_rescan_remove();
	kfree(l);
}

int xpf_bus_connect(struct xpf_front *front)
{
	int err;

	mutex_lock(&front->lock);
	if (front->connected) {
		mutex_unlock(&front->lock);
		return 0;
	}
	err = xpf_swiotlb_setup(front);
	if (!err) {
		xpf_sync(front);
		front->connected = true;
	}
	mutex_unlock(&front->lock);
	return err;
}

void xpf_bus_attach_new(struct xpf_front *front)
{
	mutex_lock(&front->lock);
	xpf_count(front, XPF_HP_RECONF_DONE);
	if (front->connected)
		xpf_sync(front);
	mutex_unlock(&front->lock);
}

void xpf_bus_detach_closing(struct xpf_front *front)
{
	struct xpf_devlist *l;
	unsigned int num, i, st;
	struct xpf_bdf bdf;
	struct pci_dev *dev;
	char *s;
	int err;

	mutex_lock(&front->lock);
	s = xpf_xs_read(front, "num_devs", 0);
	err = s ? xpf_parse_uint(s, XPF_MAX_DEVS, &num) : -ENOENT;
	kfree(s);
	if (err || !front->connected)
		goto out;
	for (i = 0; i < num; i++) {
		s = xpf_xs_read(front, "state-%u", i);
		err = s ? xpf_parse_uint(s, XenbusStateReconfigured, &st) : -ENOENT;
		kfree(s);
		if (err || st != XenbusStateClosing)
			continue;
		s = xpf_xs_read(front, "vdev-%u", i);
		err = s ? xpf_parse_bdf(s, &bdf) : -ENOENT;
		kfree(s);
		if (err)
			continue;
		pci_lock_rescan_remove();
		dev = pci_get_domain_bus_and_slot(bdf.domain, bdf.bus, bdf.devfn);
		if (dev && xpf_front_of_bus(dev->bus) == front) {
			pci_info(dev, "backend detaches this device (already reset by the toolstack); removing it as surprise-removed\n");
			xpf_remove_device(front, dev, true);
		}
		pci_dev_put(dev);
		pci_unlock_rescan_remove();
	}
	xpf_count(front, XPF_HP_RECONF);
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (l && xpf_read_devlist(front, l) && !xpf_full_scan) {
		pci_lock_rescan_remove();
		xpf_layout_sync(front, l);
		pci_unlock_rescan_remove();
	}
	kfree(l);
out:
	mutex_unlock(&front->lock);
}

/* Slot power from sysfs (hotplug.c). Caller holds the frontend lock. */
void xpf_bus_slot_power(struct xpf_root *root, unsigned int nr, bool on)
{
	struct xpf_front *front = root->front;
	struct pci_dev *dev, *tmp;
	struct xpf_devlist *l;
	unsigned int i;

	if (!on) {
		pci_lock_rescan_remove();
		list_for_each_entry_safe_reverse(dev, tmp, &root->bus->devices, bus_list)
			if (PCI_SLOT(dev->devfn) == nr) {
				pci_info(dev, "slot powered off from sysfs; removing the device in this guest only\n");
				xpf_remove_device(front, dev, false);
			}
		pci_unlock_rescan_remove();
		return;
	}
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l || !xpf_read_devlist(front, l)) {
		kfree(l);
		xpf_count(front, XPF_HP_ERR);
		dev_err(&front->xdev->dev, "slot %02x: cannot read the backend's device list\n",
			nr);
		return;
	}
	pci_lock_rescan_remove();
	for (i = 0; i < l->n; i++)
		if (l->bdf[i].domain == root->sd.domain && l->bdf[i].bus == root->bus->number &&
		    PCI_SLOT(l->bdf[i].devfn) == nr)
			xpf_add_device(root, l->bdf[i].devfn);
	pci_unlock_rescan_remove();
	kfree(l);
}

void xpf_bus_disconnect(struct xpf_front *front, bool gone)
{
	struct xpf_root *root, *tmp;

	mutex_lock(&front->lock);
	pci_lock_rescan_remove();
	list_for_each_entry_safe_reverse(root, tmp, &front->roots, node)
		xpf_root_remove(front, root, gone);
	pci_unlock_rescan_remove();
	front->connected = false;
	mutex_unlock(&front->lock);
}
