// SPDX-License-Identifier: GPL-2.0
/*
 * Lab test driver for QEMU's ivshmem-plain (1af4:1110): its shared memory is
 * BAR2, a 64-bit prefetchable memory BAR, placed above 4 GiB when it is large.
 * debugfs bar64/run checks that the BAR arrived as such through the frontend,
 * claims it, writes a pattern at its start, middle and end through a mapping
 * and reads it back, and prints one LAB-BAR64-PATTERN line per window, so
 * that the host can find the same words in the memory backend file.
 *
 * The pattern of a window is the 32-bit words seed + i, i = 0..1023; the
 * windows of run @slot are slot * 4 KiB in from the start, the middle and the end.
 */

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include "lab-out.h"

#define BAR64_BAR	2
#define BAR64_WIN	SZ_4K

static unsigned int slot;
module_param(slot, uint, 0444);
MODULE_PARM_DESC(slot, "Which 4 KiB windows to use (the lab run's number), so that runs keep apart");

static struct lab_bound bar64_bound = LAB_BOUND_INIT(bar64_bound);
static struct dentry *bar64_dir;

/* Write the pattern of @seed into the window at @off, read it back. */
static bool bar64_window(struct pci_dev *pdev, struct lab_out *o, u64 off, u32 seed)
{
	void __iomem *p = pci_iomap_range(pdev, BAR64_BAR, off, BAR64_WIN);
	unsigned int i, bad = 0;

	if (!p) {
		lab_line(o, "# window at %#llx: pci_iomap_range failed", off);
		return false;
	}
	for (i = 0; i < BAR64_WIN / 4; i++)
		writel(seed + i, p + 4 * i);
	for (i = 0; i < BAR64_WIN / 4; i++)
		if (readl(p + 4 * i) != seed + i)
			bad++;
	pci_iounmap(pdev, p);
	lab_line(o, "# window at %#llx: %u of %u words wrong", off, bad,
		 (unsigned int)(BAR64_WIN / 4));
	if (!bad)
		lab_line(o, "LAB-BAR64-PATTERN off=%llu seed=%u", off, seed);
	return !bad;
}

static void bar64_run(void *dev, struct lab_out *o)
{
	struct pci_dev *pdev = dev;
	struct resource *r = &pdev->resource[BAR64_BAR];
	resource_size_t size = resource_size(r);
	u64 s = (u64)slot * BAR64_WIN;
	u64 offs[3] = { s, size / 2 + s, size - BAR64_WIN - s };
	unsigned int i;
	int ret;

	lab_line(o, "KTAP version 1");
	lab_line(o, "# BAR%d %pR", BAR64_BAR, r);
	lab_result(o, (r->flags & IORESOURCE_MEM) && (r->flags & IORESOURCE_MEM_64),
		   "bar64: BAR2 is 64-bit memory");
	lab_result(o, r->flags & IORESOURCE_PREFETCH, "bar64: BAR2 is prefetchable");
	lab_result(o, r->start >= SZ_4G, "bar64: BAR2 lies above 4 GiB");
	lab_line(o, "LAB-BAR64-SIZE mib=%llu", (unsigned long long)(size >> 20));
	ret = pci_request_region(pdev, BAR64_BAR, "bar64");
	lab_result(o, !ret, "bar64: BAR2 claimed");
	if (ret || size < 4 * (s + BAR64_WIN)) {
		lab_line(o, "1..%u", o->n);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		char name[64];

		snprintf(name, sizeof(name), "bar64: %s of BAR2 written and read back",
			 i == 0 ? "start" : i == 1 ? "middle" : "end");
		lab_result(o, bar64_window(pdev, o, offs[i], get_random_u32()), name);
	}
	pci_release_region(pdev, BAR64_BAR);
	lab_line(o, "1..%u", o->n);
}

static int bar64_open(struct inode *inode, struct file *f)
{
	return lab_out_open(f, &bar64_bound, bar64_run);
}

static const struct file_operations bar64_fops = {
	.owner = THIS_MODULE,
	.open = bar64_open,
	.read = lab_out_read,
	.release = lab_out_release,
	.llseek = default_llseek,
};

static int bar64_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret = pci_enable_device_mem(pdev);

	if (ret)
		return ret;
	mutex_lock(&bar64_bound.lock);
	if (!bar64_bound.dev)
		bar64_bound.dev = pdev;
	mutex_unlock(&bar64_bound.lock);
	dev_info(&pdev->dev, "bar64: bound, BAR2 %pR\n", &pdev->resource[BAR64_BAR]);
	return 0;
}

static void bar64_remove(struct pci_dev *pdev)
{
	mutex_lock(&bar64_bound.lock);
	if (bar64_bound.dev == pdev)
		bar64_bound.dev = NULL;
	mutex_unlock(&bar64_bound.lock);
	pci_disable_device(pdev);
}

static const struct pci_device_id bar64_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1110) },
	{ }
};
MODULE_DEVICE_TABLE(pci, bar64_ids);

static struct pci_driver bar64_driver = {
	.name = "bar64",
	.id_table = bar64_ids,
	.probe = bar64_probe,
	.remove = bar64_remove,
};

static int __init bar64_init(void)
{
	bar64_dir = debugfs_create_dir("bar64", NULL);
	debugfs_create_file("run", 0400, bar64_dir, NULL, &bar64_fops);
	return pci_register_driver(&bar64_driver);
}

static void __exit bar64_exit(void)
{
	pci_unregister_driver(&bar64_driver);
	debugfs_remove_recursive(bar64_dir);
}

module_init(bar64_init);
module_exit(bar64_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("64-bit prefetchable BAR of QEMU's ivshmem-plain (lab test driver)");
