// SPDX-License-Identifier: GPL-2.0
/*
 * Map+unmap latency benchmark in the spirit of the kernel's dma_map_benchmark
 * (which Debian does not build), on our dma_map_ops or on the ops the kernel
 * gives the same device (xen-swiotlb), for a fair comparison.
 *
 *   echo "dev=0000:00:02.0 ops=own threads=2 granule=1 seconds=10 dir=bidi" \
 *        > /sys/kernel/debug/xen-pcifront/dma/bench      (blocks while running)
 *   cat /sys/kernel/debug/xen-pcifront/dma/bench         (last result)
 *
 * Each thread maps and unmaps one buffer of "granule" pages in a loop and
 * records the latency of each map+unmap pair; the result gives count, mean
 * and standard deviation in nanoseconds, and the number of failed maps.
 *
 * ops=memcpy (no dev=) times a plain memcpy() of the same size between two
 * buffers of the thread's own instead: the ceiling of a bounce, which copies
 * once at map for dir=to and once at unmap for dir=from.
 */
#include <linux/debugfs.h>
#include <linux/kthread.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/completion.h>
#include <linux/sched.h>

#include "dma-internal.h"

#define XPF_BENCH_MAX_THREADS	16

struct xpf_bench_thread {
	struct task_struct *task;
	const struct dma_map_ops *ops;	/* NULL: time memcpy() */
	struct device *dev;
	unsigned int granule;
	enum dma_data_direction dir;
	u64 deadline;
	u64 count, sum, sumsq, errors;
	struct completion done;
};

static DEFINE_MUTEX(xpf_bench_lock);
static char xpf_bench_result[256] = "no run yet\n";

/* One timed round: a map+unmap on the thread's ops, or a memcpy() of the same size. */
static bool xpf_bench_once(struct xpf_bench_thread *t, struct page *page, void *dst, size_t size)
{
	dma_addr_t dma;

	if (!t->ops) {
		memcpy(dst, page_address(page), size);
		barrier();
		return true;
	}
	dma = xpf_ops_map(t->ops, t->dev, page, size, t->dir, 0);
	if (dma == DMA_MAPPING_ERROR)
		return false;
	if (xpf_ops_can_unmap(t->ops))
		xpf_ops_unmap(t->ops, t->dev, dma, size, t->dir, 0);
	return true;
}

static int xpf_bench_fn(void *arg)
{
	struct xpf_bench_thread *t = arg;
	size_t size = (size_t)t->granule << PAGE_SHIFT;
	struct page *page, *dst = NULL;

	page = alloc_pages(GFP_KERNEL, get_order(size));
	if (page && !t->ops)
		dst = alloc_pages(GFP_KERNEL, get_order(size));
	if (page && (t->ops || dst)) {
		memset(page_address(page), 0x5a, size);
		while (ktime_get_ns() < t->deadline && !kthread_should_stop()) {
			u64 t0 = ktime_get_ns(), d;

			if (!xpf_bench_once(t, page, dst ? page_address(dst) : NULL, size)) {
				t->errors++;
			} else {
				d = ktime_get_ns() - t0;
				t->count++;
				t->sum += d;
				t->sumsq += d * d;
			}
			cond_resched();
		}
	} else {
		t->errors++;
	}
	if (dst)
		__free_pages(dst, get_order(size));
	if (page)
		__free_pages(page, get_order(size));
	complete(&t->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int xpf_bench_run(const char *cfg)
{
	unsigned int dom = 0, bus = 0, slot = 0, fn = 0, threads = 1, granule = 1, seconds = 5;
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;
	const struct dma_map_ops *ops = NULL;
	struct xpf_bench_thread *t;
	char *buf, *p, *tok;
	bool own = true, have_dev = false, copy = false;
	struct pci_dev *pdev = NULL;
	u64 count = 0, sum = 0, sumsq = 0, errors = 0, mean = 0, var = 0;
	unsigned int i, started = 0;
	int ret = 0;

	buf = kstrdup(cfg, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = strim(buf);
	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (sscanf(tok, "dev=%x:%x:%x.%x", &dom, &bus, &slot, &fn) == 4)
			have_dev = true;
		else if (!strcmp(tok, "ops=own"))
			own = true;
		else if (!strcmp(tok, "ops=kernel"))
			own = false;
		else if (!strcmp(tok, "ops=memcpy"))
			copy = true;
		else if (sscanf(tok, "threads=%u", &threads) == 1 ||
			 sscanf(tok, "granule=%u", &granule) == 1 ||
			 sscanf(tok, "seconds=%u", &seconds) == 1)
			continue;
		else if (!strcmp(tok, "dir=to"))
			dir = DMA_TO_DEVICE;
		else if (!strcmp(tok, "dir=from"))
			dir = DMA_FROM_DEVICE;
		else if (!strcmp(tok, "dir=bidi"))
			dir = DMA_BIDIRECTIONAL;
		else
			ret = -EINVAL;
	}
	kfree(buf);
	if (ret || have_dev == copy || !threads || threads > XPF_BENCH_MAX_THREADS || !granule ||
	    granule > 1024 || !seconds || seconds > 300 || bus > 255 || slot > 31 || fn > 7)
		return -EINVAL;

	if (!copy) {
		pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(slot, fn));
		if (!pdev)
			return -ENODEV;
		ops = own ? &xpf_dma_ops : xpf_devices_prev_ops(&pdev->dev);
		if (!xpf_ops_can_map(ops)) {
			/* dma-direct: nothing comparable to call from a module */
			snprintf(xpf_bench_result, sizeof(xpf_bench_result),
				 "ops=kernel: the device uses dma-direct (no xen-swiotlb active: load with bounce=kernel or boot with iommu=soft)\n");
			pci_dev_put(pdev);
			return -EOPNOTSUPP;
		}
	}
	t = kcalloc(threads, sizeof(*t), GFP_KERNEL);
	if (!t) {
		pci_dev_put(pdev);
		return -ENOMEM;
	}
	for (i = 0; i < threads; i++) {
		t[i].ops = ops;
		t[i].dev = pdev ? &pdev->dev : NULL;
		t[i].granule = granule;
		t[i].dir = dir;
		t[i].deadline = ktime_get_ns() + (u64)seconds * NSEC_PER_SEC;
		init_completion(&t[i].done);
		t[i].task = kthread_run(xpf_bench_fn, &t[i], "xpf-bench/%u", i);
		if (IS_ERR(t[i].task)) {
			t[i].task = NULL;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		wait_for_completion(&t[i].done);
		kthread_stop(t[i].task);
		count += t[i].count;
		sum += t[i].sum;
		sumsq += t[i].sumsq;
		errors += t[i].errors;
	}
	if (count) {
		mean = div64_u64(sum, count);
		var = div64_u64(sumsq, count);
		var = var > mean * mean ? var - mean * mean : 0;
	}
	snprintf(xpf_bench_result, sizeof(xpf_bench_result),
		 "dev=%s ops=%s threads=%u granule=%u seconds=%u dir=%d count=%llu mean_ns=%llu stddev_ns=%lu errors=%llu\n",
		 pdev ? pci_name(pdev) : "none", copy ? "memcpy" : own ? "own" : "kernel", started,
		 granule, seconds, dir, count, mean, int_sqrt(var), errors);
	kfree(t);
	pci_dev_put(pdev);	/* NULL-safe */
	return started ? 0 : -ENOMEM;
}

static ssize_t xpf_bench_write(struct file *f, const char __user *ubuf, size_t len, loff_t *ppos)
{
	char cfg[160];
	int ret;

	if (!len || len >= sizeof(cfg))
		return -EINVAL;
	if (copy_from_user(cfg, ubuf, len))
		return -EFAULT;
	cfg[len] = 0;
	if (mutex_lock_interruptible(&xpf_bench_lock))
		return -EINTR;
	ret = xpf_bench_run(cfg);
	mutex_unlock(&xpf_bench_lock);
	return ret ? ret : len;
}

static ssize_t xpf_bench_read(struct file *f, char __user *ubuf, size_t len, loff_t *ppos)
{
	char res[sizeof(xpf_bench_result)];

	mutex_lock(&xpf_bench_lock);
	memcpy(res, xpf_bench_result, sizeof(res));
	mutex_unlock(&xpf_bench_lock);
	return simple_read_from_buffer(ubuf, len, ppos, res, strnlen(res, sizeof(res)));
}

static const struct file_operations xpf_bench_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = xpf_bench_read,
	.write = xpf_bench_write,
	.llseek = default_llseek,
};

/**
 * xpf_dma_bench_init() - the map+unmap benchmark's debugfs file (debug flavour)
 * @dir: the DMA layer's debugfs directory
 */
void xpf_dma_bench_init(struct dentry *dir)
{
	debugfs_create_file("bench", 0600, dir, NULL, &xpf_bench_fops);
}

/**
 * xpf_dma_bench_exit() - remove the benchmark (waits for a run in progress)
 */
void xpf_dma_bench_exit(void)
{
	/* a run in progress holds the lock until its threads are done */
	mutex_lock(&xpf_bench_lock);
	mutex_unlock(&xpf_bench_lock);
}
