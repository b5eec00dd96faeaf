/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xpf.h - objects shared by the files of the pcifront core (not an interface
 * to other rooms; the DMA layer's is include/xpf-dma.h). The files, top to
 * bottom (each calls only files below it):
 *   main.c       module init and exit
 *   xenbus.c     the xenbus driver: handshake, teardown, the state machine
 *   reconcile.c  roots, slots and devices made to match the backend's list
 *   aer.c        AER requests from the backend to the drivers
 *   msi.c        MSI/MSI-X through the backend (the arch hooks)
 *   debugfs.c    counters and state in debugfs
 *   slot.c       hotplug slot objects in sysfs
 *   bus.c        root buses, config accessors, device add/remove
 *   intx.c       the GSI binding a removed device leaves
 *   chan.c       the op channel: shared page, event channel, the wait
 *   devlist.c, xs_parse.c, opcodec.c, aercodec.c, errmap.c, deadline.c:
 *                pure parsers and rules (also built in userspace)
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
#include "front_trace.h"

/**
 * struct xpf_root - one PCI root bus the backend published
 * @sd: x86 sysdata; must be first, the PCI core hands it back as bus->sysdata
 * @front: owning frontend
 * @bus: the root bus
 * @busn: bus number range handed to the host bridge
 * @node: link in &xpf_front.roots
 * @slots: the hotplug slots on this bus, &struct xpf_hpslot
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
 * struct xpf_hpslot - one virtual hotplug slot, shown in /sys/bus/pci/slots/
 * @hp: the PCI hotplug core's slot
 * @root: the root bus it is on
 * @nr: slot number (PCI_SLOT of its devices)
 * @node: link in &xpf_root.slots
 * @gone: being deregistered; sysfs callbacks give up (set under &xpf_front.lock)
 */
struct xpf_hpslot {
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
 * @cfgcaps: xpf_cfg_caps_pack() of each added device, keyed by xpf_sbdf():
 *	     which config writes bus.c checks for being dropped
 * @cfg_warned: devfns already told about a dropped config write
 * @dbg: debugfs directory, or NULL/ERR_PTR
 * @connected: roots are set up
 * @aer_work: runs AER requests from the backend (aer.c)
 * @revive_work: looks again for devices once a dead channel answers again
 *		 (xenbus.c, see xpf_chan_setup())
 * @node_watch: watch on our own xenstore node (see xenbus.c, xpf_node_changed())
 * @reprobing: a re-probe is queued
 * @restarts: handshakes restarted by the backend since @restart_window
 * @restart_window: jiffies when the current count of @restarts began
 * @restart_blocked: the backend restarted too often; we stay closed
 * @why: why devices come and go now, for xpf_dev_add and xpf_dev_remove:
 *	 set by reconcile.c under the PCI core's rescan lock, %XPF_WHY_SYSFS
 *	 outside its rounds
 * @hp: hotplug counters, enum xpf_hp_counter
 */
struct xpf_front {
	struct xenbus_device *xdev;
	struct xpf_chan chan;
	struct list_head roots;
	struct mutex lock;	/* see @lock above */
	struct xarray irqmode;
	struct xarray gsi;
	struct xarray cfgcaps;
	DECLARE_BITMAP(cfg_warned, 256);
	struct dentry *dbg;
	bool connected;
	struct work_struct aer_work;
	struct work_struct revive_work;
	struct xenbus_watch node_watch;
	unsigned long reprobing;
	unsigned int restarts;
	unsigned long restart_window;
	bool restart_blocked;
	enum xpf_trace_why why;
	atomic_long_t hp[XPF_HP_NR];
};

static inline void xpf_count(struct xpf_front *front, enum xpf_hp_counter c)
{
	atomic_long_inc(&front->hp[c]);
}

/* The key of a function in &xpf_front.irqmode and &xpf_front.gsi. */
static inline unsigned long xpf_sbdf_at(struct pci_bus *bus, unsigned int devfn)
{
	return ((unsigned long)pci_domain_nr(bus) << 16) | (bus->number << 8) | devfn;
}

static inline unsigned long xpf_sbdf(struct pci_dev *dev)
{
	return xpf_sbdf_at(dev->bus, dev->devfn);
}

/* intx.c: caller holds pci_lock_rescan_remove() */
void xpf_intx_note(struct xpf_front *front, struct pci_dev *dev);
void xpf_intx_release(struct xpf_front *front, unsigned long key);

/* main.c */
extern unsigned int xpf_op_timeout_ms;
extern bool xpf_full_scan;
extern unsigned int xpf_restart_burst;

/**
 * xpf_front_of_bus() - the frontend a PCI bus belongs to
 * @bus: any bus (root or behind a bridge)
 *
 * Return: the frontend whose root carries @bus, or NULL for a bus not ours.
 */
struct xpf_front *xpf_front_of_bus(struct pci_bus *bus);

/**
 * xpf_bus_init() - watch the PCI bus for devices of ours coming and going
 *
 * Return: 0 or a negative errno from bus_register_notifier().
 */
int xpf_bus_init(void);

/**
 * xpf_bus_exit() - undo xpf_bus_init()
 */
void xpf_bus_exit(void);

/**
 * xpf_bus_add_device() - scan one function and add it to the PCI core
 * @root: the root bus
 * @devfn: the function
 *
 * Context: pci_lock_rescan_remove() held.
 * Return: the device (also one already present), or NULL if nothing answers.
 */
struct pci_dev *xpf_bus_add_device(struct xpf_root *root, unsigned int devfn);

/**
 * xpf_bus_remove_device() - stop and remove a device (and what is behind it)
 * @dev: the device
 * @gone: it can no longer be reached (a detach by the toolstack, a backend
 *        close or a restore): marked disconnected first, so its driver fails
 *        outstanding I/O at once instead of waiting for the device
 *
 * Context: pci_lock_rescan_remove() held.
 */
void xpf_bus_remove_device(struct pci_dev *dev, bool gone);

/**
 * xpf_root_find() - a root bus of @front by its address
 * @front: the frontend
 * @domain: PCI segment
 * @busnr: bus number
 *
 * Return: the root or NULL.
 */
struct xpf_root *xpf_root_find(struct xpf_front *front, unsigned int domain, unsigned int busnr);

/**
 * xpf_root_add() - create a root bus (or return the one already there)
 * @front: the frontend
 * @domain: PCI segment
 * @busnr: bus number
 *
 * Context: pci_lock_rescan_remove() held.
 * Return: the root, or NULL (reported) when it cannot be made.
 */
struct xpf_root *xpf_root_add(struct xpf_front *front, unsigned int domain, unsigned int busnr);

/**
 * xpf_root_remove() - remove a root bus with its devices
 * @root: the root, whose slots are gone already
 * @gone: see xpf_bus_remove_device()
 *
 * Context: pci_lock_rescan_remove() held.
 */
void xpf_root_remove(struct xpf_root *root, bool gone);

/* slot.c: caller holds &xpf_front.lock (but xpf_hpslot_lock() takes it) */
struct xpf_hpslot *xpf_hpslot_of(struct hotplug_slot *hp);
bool xpf_hpslot_lock(struct xpf_hpslot *slot);
struct xpf_hpslot *xpf_hpslot_find(struct xpf_root *root, unsigned int nr);
void xpf_hpslot_add(struct xpf_root *root, unsigned int nr, const struct hotplug_slot_ops *ops);
void xpf_hpslot_del(struct xpf_hpslot *slot);
void xpf_hpslot_del_all(struct xpf_root *root);

/* reconcile.c */
extern const struct hotplug_slot_ops xpf_slot_ops;
int xpf_reconcile_connect(struct xpf_front *front);
void xpf_reconcile_attach(struct xpf_front *front);
void xpf_reconcile_detach(struct xpf_front *front);
void xpf_reconcile_revive(struct xpf_front *front);
void xpf_reconcile_disconnect(struct xpf_front *front, bool gone, enum xpf_trace_why why);

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
struct dentry *xpf_debugfs_init(void);
void xpf_debugfs_exit(void);
void xpf_debugfs_add(struct xpf_front *front);
void xpf_debugfs_remove(struct xpf_front *front);

#endif /* XPF_H */
