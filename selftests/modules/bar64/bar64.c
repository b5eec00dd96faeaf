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

#define BAR64_BAR	2
#define BAR64_WIN	SZ_4K
#define BAR64_OUT_SIZE	4096

static unsigned int slot;
module_param(slot, uint, 0444);
MODULE_PARM_DESC(slot, "Which 4 KiB windows to use (the lab run's number), so that runs keep apart");

static struct pci_dev *bar64_dev;
static DEFINE_MUTEX(bar64_lock);
static struct dentry *bar64_dir;

struct bar64_out {
	char *buf;
	size_t len;
	unsigned int n;
};

static __printf(2, 3) void bar64_line(struct bar64_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= BAR64_OUT_SIZE - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, BAR64_OUT_SIZE - o->len, fmt, ap);
	va_end(ap);
	o->len = min_t(size_t, o->len + n, BAR64_OUT_SIZE - 1);
	if (o->len < BAR64_OUT_SIZE - 1)
		o->buf[o->len++] = '\n';
}

static void bar64_result(struct bar64_out *o, bool ok, const char *name)
{
	o->n++;
	bar64_line(o, "%sok %u - %s", ok ? "" : "not ", o->n, name);
}

/* Write the pattern of @seed into the window at @off, read it back. */
static bool bar64_window(struct pci_dev *pdev, struct bar64_out *o, u64 off, u32 seed)
{
	void __iomem *p = pci_iomap_range(pdev, BAR64_BAR, off, BAR64_WIN);
	unsigned int i, bad = 0;

	if (!p) {
		bar64_line(o, "# window at %#llx: pci_iomap_range failed", off);
		return false;
	}
	for (i = 0; i < BAR64_WIN / 4; i++)
		writel(seed + i, p + 4 * i);
	for (i = 0; i < BAR64_WIN / 4; i++)
		if (readl(p + 4 * i) != seed + i)
			bad++;
	pci_iounmap(pdev, p);
	bar64_line(o, "# window at %#llx: %u of %u words wrong", off, bad,
		   (unsigned int)(BAR64_WIN / 4));
	if (!bad)
		bar64_line(o, "LAB-BAR64-PATTERN off=%llu seed=%u", off, seed);
	return !bad;
}

static void bar64_run(struct pci_dev *pdev, struct bar64_out *o)
{
	struct resource *r = &pdev->resource[BAR64_BAR];
	resource_size_t size = resource_size(r);
	u64 s = (u64)slot * BAR64_WIN;
	u64 offs[3] = { s, size / 2 + s, size - BAR64_WIN - s };
	unsigned int i;
	int ret;

	bar64_line(o, "KTAP version 1");
	bar64_line(o, "# BAR%d %pR", BAR64_BAR, r);
	bar64_result(o, (r->flags & IORESOURCE_MEM) && (r->flags & IORESOURCE_MEM_64),
		     "bar64: BAR2 is 64-bit memory");
	bar64_result(o, r->flags & IORESOURCE_PREFETCH, "bar64: BAR2 is prefetchable");
	bar64_result(o, r->start >= SZ_4G, "bar64: BAR2 lies above 4 GiB");
	bar64_line(o, "LAB-BAR64-SIZE mib=%llu", (unsigned long long)(size >> 20));
	ret = pci_request_region(pdev, BAR64_BAR, "bar64");
	bar64_result(o, !ret, "bar64: BAR2 claimed");
	if (ret || size < 4 * (s + BAR64_WIN)) {
		bar64_line(o, "1..%u", o->n);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		char name[64];

		snprintf(name, sizeof(name), "bar64: %s of BAR2 written and read back",
			 i == 0 ? "start" : i == 1 ? "middle" : "end");
		bar64_result(o, bar64_window(pdev, o, offs[i], get_random_u32()), name);
	}
	pci_release_region(pdev, BAR64_BAR);
	bar64_line(o, "1..%u", o->n);
}

static int bar64_open(struct inode *inode, struct file *f)
{
	struct bar64_out *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	o->buf = kzalloc(BAR64_OUT_SIZE, GFP_KERNEL);
	if (!o->buf) {
		kfree(o);
		return -ENOMEM;
	}
	mutex_lock(&bar64_lock);
	if (bar64_dev)
		bar64_run(bar64_dev, o);
	else
		bar64_line(o, "KTAP version 1\nnot ok 1 - bar64: ivshmem bound\n1..1");
	mutex_unlock(&bar64_lock);
	f->private_data = o;
	return 0;
}

static ssize_t bar64_read(struct file *f, char __user *ubuf, size_t len, loff_t *ppos)
{
	struct bar64_out *o = f->private_data;

	return simple_read_from_buffer(ubuf, len, ppos, o->buf, o->len);
}

static int bar64_release(struct inode *inode, struct file *f)
{
	struct bar64_out *o = f->private_data;

	kfree(o->buf);
	kfree(o);
	return 0;
}

static const struct file_operations bar64_fops = {
	.owner = THIS_MODULE,
	.open = bar64_open,
	.read = bar64_read,
	.release = bar64_release,
	.llseek = default_llseek,
};

static int bar64_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret = pci_enable_device_mem(pdev);

	if (ret)
		return ret;
	mutex_lock(&bar64_lock);
	if (!bar64_dev)
		bar64_dev = pdev;
	mutex_unlock(&bar64_lock);
	dev_info(&pdev->dev, "bar64: bound, BAR2 %pR\n", &pdev->resource[BAR64_BAR]);
	return 0;
}

static void bar64_remove(struct pci_dev *pdev)
{
	mutex_lock(&bar64_lock);
	if (bar64_dev == pdev)
		bar64_dev = NULL;
	mutex_unlock(&bar64_lock);
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
