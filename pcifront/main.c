// SPDX-License-Identifier: GPL-2.0
/*
 * xen-pcifront: PCI frontend for Xen PV guests (pciif protocol).
 * Module entry: environment checks, arch hook registration, xenbus driver.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <xen/xen.h>
#include <asm/xen/pci.h>
#include "xpf.h"
#include "xpf-dma.h"

static int __init xpf_init(void)
{
	struct dentry *dbg;
	int err;

	if (!xen_pv_domain() || xen_initial_domain()) {
		pr_info("not a Xen PV guest (domU); nothing to do\n");
		return -ENODEV;
	}
	if (xpf_op_timeout_ms < 100 || xpf_op_timeout_ms > 60000) {
		pr_err("op_timeout_ms=%u out of range 100..60000\n", xpf_op_timeout_ms);
		return -EINVAL;
	}
	if (xpf_restart_burst < 1 || xpf_restart_burst > 1000) {
		pr_err("restart_burst=%u out of range 1..1000\n", xpf_restart_burst);
		return -EINVAL;
	}
	if (cmpxchg(&xen_pci_frontend, NULL, &xpf_msi_ops)) {
		pr_err("another PCI frontend (the in-tree xen-pcifront?) is registered; run 'rmmod xen_pcifront' and add 'blacklist xen_pcifront' to /etc/modprobe.d/ so only this one loads\n");
		return -EBUSY;
	}
	dbg = xpf_debugfs_init();
	err = xpf_dma_init(dbg);
	if (err)
		goto fail_dma;
	err = xpf_bus_init();
	if (err) {
		pr_err("cannot watch the PCI bus: %d\n", err);
		goto fail_bus;
	}
	err = xpf_xenbus_register();
	if (err) {
		pr_err("cannot register the xenbus frontend: %d\n", err);
		goto fail_xenbus;
	}
	pr_info("xen-pcifront %s loaded\n", XPF_VERSION);
	return 0;

fail_xenbus:
	xpf_bus_exit();
fail_bus:
	xpf_dma_exit();
fail_dma:
	xpf_debugfs_exit();
	cmpxchg(&xen_pci_frontend, &xpf_msi_ops, NULL);
	return err;
}

static void __exit xpf_exit(void)
{
	xpf_xenbus_unregister();
	xpf_bus_exit();
	xpf_dma_exit();
	xpf_debugfs_exit();
	cmpxchg(&xen_pci_frontend, &xpf_msi_ops, NULL);
	pr_info("unloaded\n");
}

module_init(xpf_init);
module_exit(xpf_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Xen PCI frontend: PCI passthrough devices in PV guests");
MODULE_ALIAS("xen:pci");
MODULE_VERSION(XPF_VERSION);
