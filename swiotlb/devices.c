// SPDX-License-Identifier: GPL-2.0
/*
 * The devices the DMA layer serves: our dma_map_ops go on when pcifront
 * hands a device over (before any driver can probe it) and the previous
 * ones come back when it goes. A device for which even the record cannot
 * be allocated gets ops that refuse every mapping, never the arch default:
 * in a PV guest that would hand the device pseudo-physical addresses.
 */
#include <linux/dma-map-ops.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "dma-internal.h"

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

static int xpf_refuse_supported(struct device *dev, u64 mask)
{
	return 0;
}

static void *xpf_refuse_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
			      unsigned long attrs)
{
	return NULL;
}

static void xpf_refuse_free(struct device *dev, size_t size, void *vaddr, dma_addr_t handle,
			    unsigned long attrs)
{
}

static int xpf_refuse_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			     enum dma_data_direction dir, unsigned long attrs)
{
	return -ENOMEM;
}

static dma_addr_t __maybe_unused xpf_refuse_map_page(struct device *dev, struct page *page,
						     unsigned long offset, size_t size,
						     enum dma_data_direction dir,
						     unsigned long attrs)
{
	return DMA_MAPPING_ERROR;
}

static dma_addr_t __maybe_unused xpf_refuse_map_phys(struct device *dev, phys_addr_t phys,
						     size_t size, enum dma_data_direction dir,
						     unsigned long attrs)
{
	return DMA_MAPPING_ERROR;
}

static void xpf_refuse_unmap(struct device *dev, dma_addr_t dma, size_t size,
			     enum dma_data_direction dir, unsigned long attrs)
{
}

/* No DMA at all: dma_set_mask() fails, so the driver's probe fails cleanly. */
static const struct dma_map_ops xpf_refuse_ops = {
	.alloc = xpf_refuse_alloc,
	.free = xpf_refuse_free,
	XPF_DMA_MAP_OPS(xpf_refuse_map_page, xpf_refuse_map_phys, xpf_refuse_unmap),
	.map_sg = xpf_refuse_map_sg,
	.dma_supported = xpf_refuse_supported,
};

/**
 * xpf_devices_add() - give a device our dma_map_ops
 * @pdev: the device, before any driver probes
 *
 * Context: process context, may sleep.
 */
void xpf_devices_add(struct pci_dev *pdev)
{
	struct xpf_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d) {
		set_dma_ops(&pdev->dev, &xpf_refuse_ops);
		pci_err(pdev, "no memory for DMA state: DMA refused for this device; remove and rescan it to try again\n");
		return;
	}
	mutex_lock(&xpf_devs_lock);
	d->pdev = pci_dev_get(pdev);
	d->prev = pdev->dev.dma_ops;
	set_dma_ops(&pdev->dev, &xpf_dma_ops);
	list_add(&d->node, &xpf_devs);
	mutex_unlock(&xpf_devs_lock);
	pci_info(pdev, "DMA through the bounce layer\n");
}

/**
 * xpf_devices_remove() - give a device its previous dma_map_ops back
 * @pdev: the device, unbound
 *
 * Context: process context, may sleep.
 */
void xpf_devices_remove(struct pci_dev *pdev)
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
	if (get_dma_ops(&pdev->dev) == &xpf_refuse_ops)
		set_dma_ops(&pdev->dev, NULL);
}

/**
 * xpf_devices_exit() - give every device its previous dma_map_ops back
 */
void xpf_devices_exit(void)
{
	struct xpf_dev *d, *tmp;

	mutex_lock(&xpf_devs_lock);
	list_for_each_entry_safe(d, tmp, &xpf_devs, node) {
		set_dma_ops(&d->pdev->dev, d->prev);
		pci_dev_put(d->pdev);
		list_del(&d->node);
		kfree(d);
	}
	mutex_unlock(&xpf_devs_lock);
}

/**
 * xpf_devices_prev_ops() - the ops a device had before ours
 * @dev: the device
 *
 * Return: its previous ops, or the arch default.
 */
const struct dma_map_ops *xpf_devices_prev_ops(struct device *dev)
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
