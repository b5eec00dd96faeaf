// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA bounce layer's top (include/xpf-dma.h): the bounce= parameter,
 * set-up and teardown of the parts below, the kernel-swiotlb decision, and
 * the devices pcifront hands over. Nothing below calls up into this file.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <asm/xen/swiotlb-xen.h>
#include <linux/string.h>
#include <xen/xen.h>
#include <xen/features.h>
#include <xen/xen-ops.h>
#include <xen/interface/memory.h>
#include <asm/xen/hypercall.h>

#include "xpf-dma.h"
#include "dma-internal.h"

static char *xpf_bounce_param = "auto";
module_param_named(bounce, xpf_bounce_param, charp, 0444);
MODULE_PARM_DESC(bounce, "DMA bouncing for passed-through devices: auto (= own), own (this module's pools), kernel (the kernel's xen-swiotlb, the reference)");

static bool xpf_own;
static u64 xpf_req_mask = DMA_BIT_MASK(32);

int xpf_dma_connect(struct device *dev)
{
	static bool done;
	int err;

	if (xpf_own || READ_ONCE(done))
		return 0;
	/* bounce=kernel: the kernel's xen-swiotlb serves our devices */
	err = xpf_xen_swiotlb_init_late();
	if (err) {
		dev_err(dev,
			"bounce=kernel, but the kernel's Xen DMA bounce buffer cannot be set up (%d): boot the domU with iommu=soft (and swiotlb=<slabs>), or use bounce=own\n",
			err);
		return err;
	}
	WRITE_ONCE(done, true);
	return 0;
}

void xpf_dma_add_device(struct pci_dev *pdev)
{
	if (xpf_own)
		xpf_devices_add(pdev);
}

void xpf_dma_remove_device(struct pci_dev *pdev)
{
	xpf_devices_remove(pdev);
}

/* After every resume of the domain: the pools check where their frames are. */
static int xpf_dma_resumed(struct notifier_block *nb, unsigned long action, void *data)
{
	xpf_dma_domain_resumed();
	return NOTIFY_OK;
}

static struct notifier_block xpf_resume_nb = {
	.notifier_call = xpf_dma_resumed,
};

void xpf_dma_domain_resumed(void)
{
	xpf_pool_restored();
}

int xpf_dma_init(struct dentry *debugfs_parent)
{
	long max_mfn;
	int ret;

	if (!strcmp(xpf_bounce_param, "auto") || !strcmp(xpf_bounce_param, "own")) {
		xpf_own = true;
	} else if (!strcmp(xpf_bounce_param, "kernel")) {
		xpf_own = false;
	} else {
		pr_err("bounce=%s is not one of auto, own, kernel\n",
		       xpf_bounce_param);
		return -EINVAL;
	}
	if (xpf_own && (!xen_pv_domain() || xen_feature(XENFEAT_auto_translated_physmap))) {
		pr_info("not a Xen PV guest, leaving DMA to the kernel\n");
		xpf_own = false;
	}
	if (xen_pv_domain()) {
		max_mfn = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
		if (max_mfn > 0)
			xpf_req_mask = xpf_mask_top(max_mfn);
	}
	if (xpf_own) {
		ret = xpf_pool_init(xpf_req_mask);
		if (ret)
			return ret;
		xpf_resume_notifier_register(&xpf_resume_nb);
	}
	xpf_dma_debugfs_init(debugfs_parent);
	xpf_dma_bench_init(xpf_dma_debugfs_dir());
	pr_info("DMA bouncing: %s%s\n", xpf_own ? "own pools" : "kernel xen-swiotlb",
		xpf_dma_force ? " (forced)" : "");
	return 0;
}

void xpf_dma_exit(void)
{
	xpf_dma_bench_exit();
	xpf_dma_debugfs_exit();
	xpf_devices_exit();
	xpf_coherent_exit();
	if (xpf_own) {
		xpf_resume_notifier_unregister(&xpf_resume_nb);
		xpf_pool_exit();
	}
	/* what is left must be zero: the lab reads this line after every unload */
	pr_info("DMA layer down: low_pages_held %ld coherent_buffers %ld exchange_back_failed %ld lost_pages %ld\n",
		atomic_long_read(&xpf_xchg.low_pages), atomic_long_read(&xpf_dma_stats.coherent),
		atomic_long_read(&xpf_xchg.undo_failed), atomic_long_read(&xpf_xchg.lost_pages));
}

