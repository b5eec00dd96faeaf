// SPDX-License-Identifier: GPL-2.0
/*
 * Entry points of the DMA bounce layer (include/xpf-dma.h): module
 * parameters, per-device installation of our dma_map_ops.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>
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

bool xpf_dma_force;
module_param_named(dma_force_bounce, xpf_dma_force, bool, 0644);
MODULE_PARM_DESC(dma_force_bounce, "Bounce every mapping, even machine-contiguous ones (swiotlb=force is also honoured)");

bool xpf_honour_force = true;
module_param_named(dma_honour_swiotlb_force, xpf_honour_force, bool, 0644);
MODULE_PARM_DESC(dma_honour_swiotlb_force, "Bounce everything when the kernel runs with swiotlb=force (default Y); N maps machine-contiguous buffers below the mask directly anyway (for tests)");

/**
 * struct xpf_dev - a device we installed our ops on
 * @node: entry in xpf_devs
 * @pdev: the device (a reference is held)
 * @prev: its dma_map_ops before (NULL: the arch default)
 */
struct xpf_dev {
	struct list_head node;
	struct pci_dev *pdev;
	const struct dma_map_ops *prev;
};

static LIST_HEAD(xpf_devs);
static DEFINE_MUTEX(xpf_devs_lock);
static bool xpf_own;
static u64 xpf_req_mask = DMA_BIT_MASK(32);

u64 xpf_dma_required_mask(void)
{
	return xpf_req_mask;
}

bool xpf_dma_wants_kernel_swiotlb(void)
{
	return !xpf_own;
}

const struct dma_map_ops *xpf_dma_prev_ops(struct device *dev)
{
	const struct dma_map_ops *ops = NULL;
	struct xpf_dev *d;

	mutex_lock(&xpf_devs_lock);
	list_for_each_entry(d, &xpf_devs, node) {
		if (&d->pdev->dev == dev) {
			ops = d->prev;
			break;
		}
	}
	mutex_unlock(&xpf_devs_lock);
	if (!ops && get_dma_ops(dev) != &xpf_dma_ops)
		ops = get_dma_ops(dev);
	return ops ? ops : dma_ops;
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

int xpf_dma_init(void)
{
	long max_mfn;
	int ret;

	if (!strcmp(xpf_bounce_param, "auto") || !strcmp(xpf_bounce_param, "own")) {
		xpf_own = true;
	} else if (!strcmp(xpf_bounce_param, "kernel")) {
		xpf_own = false;
	} else {
		pr_err("xen-pcifront: bounce=%s is not one of auto, own, kernel\n",
		       xpf_bounce_param);
		return -EINVAL;
	}
	if (xpf_own && (!xen_pv_domain() || xen_feature(XENFEAT_auto_translated_physmap))) {
		pr_info("xen-pcifront: not a Xen PV guest, leaving DMA to the kernel\n");
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
	xpf_dma_debugfs_init();
	pr_info("xen-pcifront: DMA bouncing: %s%s\n", xpf_own ? "own pools" : "kernel xen-swiotlb",
		xpf_dma_force ? " (forced)" : "");
	return 0;
}

void xpf_dma_exit(void)
{
	struct xpf_dev *d, *tmp;

	xpf_dma_debugfs_exit();
	mutex_lock(&xpf_devs_lock);
	list_for_each_entry_safe(d, tmp, &xpf_devs, node) {
		set_dma_ops(&d->pdev->dev, d->prev);
		pci_dev_put(d->pdev);
		list_del(&d->node);
		kfree(d);
	}
	mutex_unlock(&xpf_devs_lock);
	if (xpf_own) {
		xpf_resume_notifier_unregister(&xpf_resume_nb);
		xpf_pool_exit();
	}
	/* what is left must be zero: the lab reads this line after every unload */
	pr_info("xen-pcifront: DMA layer down: low_pages_held %ld coherent_buffers %ld exchange_back_failed %ld lost_pages %ld\n",
		atomic_long_read(&xpf_xchg.low_pages), atomic_long_read(&xpf_dma_stats.coherent),
		atomic_long_read(&xpf_xchg.undo_failed), atomic_long_read(&xpf_xchg.lost_pages));
}

int xpf_dma_add_device(struct pci_dev *pdev)
{
	struct xpf_dev *d;

	if (!xpf_own)
		return 0;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_lock(&xpf_devs_lock);
	d->pdev = pci_dev_get(pdev);
	d->prev = pdev->dev.dma_ops;
	set_dma_ops(&pdev->dev, &xpf_dma_ops);
	list_add(&d->node, &xpf_devs);
	mutex_unlock(&xpf_devs_lock);
	pci_info(pdev, "DMA through xen-pcifront bounce layer\n");
	return 0;
}

void xpf_dma_remove_device(struct pci_dev *pdev)
{
	struct xpf_dev *d;

	mutex_lock(&xpf_devs_lock);
	list_for_each_entry(d, &xpf_devs, node) {
		if (d->pdev == pdev) {
			set_dma_ops(&pdev->dev, d->prev);
			list_del(&d->node);
			pci_dev_put(d->pdev);
			kfree(d);
			break;
		}
	}
	mutex_unlock(&xpf_devs_lock);
}
