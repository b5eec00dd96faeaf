/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xpf.h - objects shared by the files of the pcifront core (not an interface
 * to other rooms; those live in include/).
 */
#ifndef XPF_H
#define XPF_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/xarray.h>
#include <xen/xenbus.h>
#include "pcifront-chan.h"

/**
 * struct xpf_root - one PCI root bus the backend published
 * @sd: x86 sysdata; must be first, the PCI core hands it back as bus->sysdata
 * @front: owning frontend
 * @bus: the root bus
 * @busn: bus number range handed to the host bridge
 * @node: link in &xpf_front.roots
 */
struct xpf_root {
	struct pci_sysdata sd;
	struct xpf_front *front;
	struct pci_bus *bus;
	struct resource busn;
	struct list_head node;
};

/* What a device had enabled through us (values stored in &xpf_front.irqmode). */
enum xpf_irqmode {
	XPF_IRQ_NONE,
	XPF_IRQ_MSI,
	XPF_IRQ_MSIX,
};

/**
 * struct xpf_front - one pcifront connection (one xenbus device "pci-N")
 * @xdev: the xenbus device
 * @chan: op transport
 * @roots: list of &struct xpf_root
 * @lock: serializes connect/reconfigure/disconnect
 * @irqmode: per-device MSI mode, keyed by xpf_sbdf()
 * @dbg: debugfs directory, or NULL/ERR_PTR
 * @connected: roots are set up
 */
struct xpf_front {
	struct xenbus_device *xdev;
	struct xpf_chan chan;
	struct list_head roots;
	struct mutex lock;	/* see @lock above */
	struct xarray irqmode;
	struct dentry *dbg;
	bool connected;
};

static inline unsigned long xpf_sbdf(struct pci_dev *dev)
{
	return ((unsigned long)pci_domain_nr(dev->bus) << 16) |
	       (dev->bus->number << 8) | dev->devfn;
}

/* main.c */
extern unsigned int xpf_op_timeout_ms;
extern bool xpf_full_scan;

/* bus.c */
struct xpf_front *xpf_front_of_bus(struct pci_bus *bus);
int xpf_bus_connect(struct xpf_front *front);
void xpf_bus_detach_closing(struct xpf_front *front);
void xpf_bus_attach_new(struct xpf_front *front);
void xpf_bus_disconnect(struct xpf_front *front);

/* msi.c */
extern struct xen_pci_frontend_ops xpf_msi_ops;

/* xenbus.c */
int xpf_xenbus_register(void);
void xpf_xenbus_unregister(void);

/* debugfs.c */
void xpf_debugfs_init(void);
void xpf_debugfs_exit(void);
void xpf_debugfs_add(struct xpf_front *front);
void xpf_debugfs_remove(struct xpf_front *front);

#endif /* XPF_H */
