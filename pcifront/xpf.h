/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xpf.h - objects shared by the files of the pcifront core (not an interface
 * to other rooms; those live in include/).
 */
#ifndef XPF_H
#define XPF_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci_hotplug.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <xen/xenbus.h>
#include "chan.h"

/**
 * struct xpf_root - one PCI root bus the backend published
 * @sd: x86 sysdata; must be first, the PCI core hands it back as bus->sysdata
 * @front: owning frontend
 * @bus: the root bus
 * @busn: bus number range handed to the host bridge
 * @node: link in &xpf_front.roots
 * @slots: the hotplug slots on this bus, &struct xpf_slot
 */
struct xpf_root {
	struct pci_sysdata sd;
	struct xpf_front *front;
	struct pci_bus *bus;
	struct resource busn;
	struct list_head node;
	struct list_head slots;
};

/**
 * struct xpf_slot - one virtual slot, shown in /sys/bus/pci/slots/
 * @hp: the PCI hotplug core's slot
 * @root: the root bus it is on
 * @nr: slot number (PCI_SLOT of its devices)
 * @node: link in &xpf_root.slots
 * @gone: being deregistered; sysfs callbacks give up (set under &xpf_front.lock)
 */
struct xpf_slot {
	struct hotplug_slot hp;
	struct xpf_root *root;
	unsigned int nr;
	struct list_head node;
	bool gone;
};

/* Hotplug counters (debugfs "hotplug"), indexes into &xpf_front.hp. */
enum xpf_hp_counter {
	XPF_HP_ADDED,		/* pci_devs added */
	XPF_HP_REMOVED,		/* pci_devs removed */
	XPF_HP_RECONF,		/* Reconfiguring rounds */
	XPF_HP_RECONF_DONE,	/* Reconfigured rounds */
	XPF_HP_ROOT_ADD,	/* root buses created */
	XPF_HP_ROOT_DEL,	/* root buses removed */
	XPF_HP_SLOT_ADD,	/* slots registered */
	XPF_HP_SLOT_DEL,	/* slots deregistered */
	XPF_HP_POWER_ON,	/* slot power 1 */
	XPF_HP_POWER_OFF,	/* slot power 0 */
	XPF_HP_CLOSE,		/* backend Closing/Closed handled */
	XPF_HP_RECONNECT,	/* new handshakes after close or resume */
	XPF_HP_RESUME,		/* xenbus resume (after save/restore) */
	XPF_HP_AER,		/* AER requests answered */
	XPF_HP_AER_BAD,		/* AER requests refused (bad or foreign) */
	XPF_HP_ERR,		/* errors: add failures, slot registration, ... */
	XPF_HP_NR,
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
 * @gsi: the GSI of each device's legacy interrupt as the backend wrote it in
 *	PCI_INTERRUPT_LINE, keyed by xpf_sbdf() (see intx.c)
 * @dbg: debugfs directory, or NULL/ERR_PTR
 * @connected: roots are set up
 * @aer_work: runs AER requests from the backend (aer.c)
 * @node_watch: watch on our own xenstore node (see xenbus.c, xpf_node_changed())
 * @reprobing: a re-probe is queued
 * @hp: hotplug counters, enum xpf_hp_counter
 */
struct xpf_front {
	struct xenbus_device *xdev;
	struct xpf_chan chan;
	struct list_head roots;
	struct mutex lock;	/* see @lock above */
	struct xarray irqmode;
	struct xarray gsi;
	struct dentry *dbg;
	bool connected;
	struct work_struct aer_work;
	struct xenbus_watch node_watch;
	unsigned long reprobing;
	atomic_long_t hp[XPF_HP_NR];
};

static inline void xpf_count(struct xpf_front *front, enum xpf_hp_counter c)
{
	atomic_long_inc(&front->hp[c]);
}

static inline unsigned long xpf_sbdf(struct pci_dev *dev)
{
	return ((unsigned long)pci_domain_nr(dev->bus) << 16) |
	       (dev->bus->number << 8) | dev->devfn;
}

/* intx.c */
void xpf_intx_note(struct xpf_front *front, struct pci_dev *dev);
void xpf_intx_release(struct xpf_front *front, unsigned long key);

/* main.c */
extern unsigned int xpf_op_timeout_ms;
extern bool xpf_full_scan;

/* bus.c */
struct xpf_front *xpf_front_of_bus(struct pci_bus *bus);
int xpf_bus_connect(struct xpf_front *front);
void xpf_bus_detach_closing(struct xpf_front *front);
void xpf_bus_attach_new(struct xpf_front *front);
void xpf_bus_disconnect(struct xpf_front *front, bool gone);

/* bus.c, for hotplug.c */
void xpf_bus_slot_power(struct xpf_root *root, unsigned int nr, bool on);

/* hotplug.c: caller holds &xpf_front.lock and pci_lock_rescan_remove() */
struct xpf_slot *xpf_slot_find(struct xpf_root *root, unsigned int nr);
void xpf_slot_add(struct xpf_root *root, unsigned int nr);
void xpf_slot_del(struct xpf_slot *slot);

/* aer.c */
extern bool xpf_aer_enable;
void xpf_aer_init(struct xpf_front *front);
void xpf_aer_start(struct xpf_front *front);
void xpf_aer_stop(struct xpf_front *front);

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
