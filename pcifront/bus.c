// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI side of a pcifront connection: root buses, their config
 * accessors, and the one way a device comes in and goes.
 *
 * A device comes in through xpf_bus_add_device() (what the backend lists)
 * or through a rescan from sysfs; it goes through xpf_bus_remove_device()
 * or a "remove" from sysfs. Either way the PCI core announces it on the
 * PCI bus notifier, and xpf_bus_notify() does the per-device setup and
 * teardown for both: claim the BARs the backend set (so the PCI core never
 * moves them), note the legacy interrupt, give it our DMA ops before any
 * driver can probe, and undo all of it when it leaves. It also traces both
 * (xpf_dev_add, xpf_dev_remove) with the reason reconcile.c gave for its
 * round, or "sysfs" for a change from outside.
 */
#include <linux/pci.h>
#include <linux/slab.h>
#include "errmap.h"
#include "opcodec.h"
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

/*
 * PCI_INTERRUPT_LINE is the GSI the backend routes to us. It is read once,
 * when the device is found (xpf_intx_note()); every later read returns that
 * value, so the GSI the kernel binds at enable is the one we release when
 * the device goes, whatever the backend answers in between.
 */
static bool xpf_conf_intx_cached(struct xpf_front *front, struct pci_bus *bus,
				 unsigned int devfn, int where, int size, u32 *val)
{
	void *v;

	if (where > PCI_INTERRUPT_LINE || where + size <= PCI_INTERRUPT_LINE)
		return false;
	v = xa_load(&front->gsi, xpf_sbdf_at(bus, devfn));
	if (!v)
		return false;
	*val &= ~(0xffU << (8 * (PCI_INTERRUPT_LINE - where)));
	*val |= (xa_to_value(v) & 0xff) << (8 * (PCI_INTERRUPT_LINE - where));
	return true;
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
	if (rc == PCIBIOS_SUCCESSFUL && cmd == XEN_PCI_OP_conf_read) {
		*val = size == 4 ? rep.value : rep.value & ((1U << (8 * size)) - 1);
		xpf_conf_intx_cached(front, bus, devfn, where, size, val);
	}
	return rc;
}

static int xpf_read(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val)
{
	return xpf_conf(bus, XEN_PCI_OP_conf_read, devfn, where, size, val);
}

/*
 * pciback drops a write to a register it does not emulate unless the device
 * was passed with permissive=1, and answers success: the driver goes on
 * believing it set something. Outside what pciback emulates (the header,
 * PM, MSI, MSI-X: xpf_cfg_write_watched()), read the register before and
 * after, and say once per device what happened and what the fix is. That
 * is two more ops per such write; drivers write there rarely.
 */
static int xpf_write(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val)
{
	struct xpf_front *front = xpf_front_of_bus(bus);
	void *caps = front ? xa_load(&front->cfgcaps, xpf_sbdf_at(bus, devfn)) : NULL;
	bool watch = caps && xpf_cfg_write_watched(where, size, xa_to_value(caps));
	u32 old = 0, now = 0;
	int rc;

	if (watch && xpf_conf(bus, XEN_PCI_OP_conf_read, devfn, where, size, &old))
		watch = false;
	rc = xpf_conf(bus, XEN_PCI_OP_conf_write, devfn, where, size, &val);
	if (rc || !watch || xpf_conf(bus, XEN_PCI_OP_conf_read, devfn, where, size, &now))
		return rc;
	if (xpf_cfg_write_dropped(old, val, now) && !test_and_set_bit(devfn, front->cfg_warned))
		dev_warn(&front->xdev->dev,
			 "%04x:%02x:%02x.%d: config write of 0x%x to 0x%x (%d bytes) did not take, the register still reads 0x%x: the backend dropped it (or those bits are read-only). If the driver needs it, pass the device with permissive=1 (xl: pci = [ 'BDF,permissive=1' ]) or write its BDF to /sys/bus/pci/drivers/pciback/permissive in dom0\n",
			 pci_domain_nr(bus), bus->number, PCI_SLOT(devfn), PCI_FUNC(devfn),
			 val, where, size, now);
	return rc;
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

/* A device of ours entered the PCI core (BUS_NOTIFY_ADD_DEVICE): no driver yet. */
static void xpf_bus_dev_added(struct xpf_front *front, struct pci_dev *dev)
{
	u32 caps = xpf_cfg_caps_pack(dev->pm_cap, dev->msi_cap, dev->msix_cap);

	xpf_claim(dev);
	xpf_intx_note(front, dev);
	if (xa_err(xa_store(&front->cfgcaps, xpf_sbdf(dev), xa_mk_value(caps), GFP_KERNEL)))
		pci_dbg(dev, "no memory: its dropped config writes go unreported\n");
	xpf_dma_add_device(dev);
	xpf_count(front, XPF_HP_ADDED);
	trace_xpf_dev_add(dev, READ_ONCE(front->why));
}

/* A device of ours is leaving (BUS_NOTIFY_DEL_DEVICE): its driver is gone. */
static void xpf_bus_dev_removed(struct xpf_front *front, struct pci_dev *dev)
{
	unsigned long key = xpf_sbdf(dev);

	trace_xpf_dev_remove(dev, READ_ONCE(front->why));
	xpf_dma_remove_device(dev);
	xa_erase(&front->irqmode, key);
	xa_erase(&front->cfgcaps, key);
	clear_bit(dev->devfn, front->cfg_warned);
	xpf_intx_release(front, key);
	xpf_count(front, XPF_HP_REMOVED);
}

static int xpf_bus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct pci_dev *dev = to_pci_dev(data);
	struct xpf_front *front = xpf_front_of_bus(dev->bus);

	if (!front)
		return NOTIFY_DONE;
	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		xpf_bus_dev_added(front, dev);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		xpf_bus_dev_removed(front, dev);
		break;
	default:
		return NOTIFY_DONE;
	}
	return NOTIFY_OK;
}

static struct notifier_block xpf_bus_nb = {
	.notifier_call = xpf_bus_notify,
};

int xpf_bus_init(void)
{
	return bus_register_notifier(&pci_bus_type, &xpf_bus_nb);
}

void xpf_bus_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &xpf_bus_nb);
}

struct pci_dev *xpf_bus_add_device(struct xpf_root *root, unsigned int devfn)
{
	struct pci_dev *dev;

	dev = pci_get_slot(root->bus, devfn);
	if (dev) {
		pci_dev_put(dev);
		return dev;
	}
	dev = pci_scan_single_device(root->bus, devfn);
	if (!dev) {
		xpf_count(root->front, XPF_HP_ERR);
		return NULL;
	}
	pci_bus_add_device(dev);
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

void xpf_bus_remove_device(struct pci_dev *dev, bool gone)
{
	if (gone) {
		xpf_mark_gone(dev, NULL);
		if (dev->subordinate)
			pci_walk_bus(dev->subordinate, xpf_mark_gone, NULL);
	}
	pci_stop_and_remove_bus_device(dev);
}

struct xpf_root *xpf_root_find(struct xpf_front *front, unsigned int domain, unsigned int busnr)
{
	struct xpf_root *root;

	list_for_each_entry(root, &front->roots, node)
		if (root->sd.domain == domain && root->bus->number == busnr)
			return root;
	return NULL;
}

struct xpf_root *xpf_root_add(struct xpf_front *front, unsigned int domain, unsigned int busnr)
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

void xpf_root_remove(struct xpf_root *root, bool gone)
{
	struct xpf_front *front = root->front;
	struct pci_bus *bus = root->bus;
	struct pci_host_bridge *hb = to_pci_host_bridge(bus->bridge);
	struct pci_dev *dev, *tmp;

	WARN_ON_ONCE(!list_empty(&root->slots));
	list_for_each_entry_safe_reverse(dev, tmp, &bus->devices, bus_list)
		xpf_bus_remove_device(dev, gone);
	pci_stop_root_bus(bus);
	pci_remove_root_bus(bus);
	/* Drop the reference pci_create_root_bus() gave us. */
	put_device(&hb->dev);
	list_del(&root->node);
	kfree(root);
	xpf_count(front, XPF_HP_ROOT_DEL);
}
