// SPDX-License-Identifier: GPL-2.0
/*
 * edu_dma - DMA round trips through QEMU's "edu" device (1234:11e8), to check
 * the dma_map_ops a device gets (here: xen-pcifront's bounce layer) byte by
 * byte, with the device's real 28-bit DMA limit.
 *
 * The device copies between RAM and a 4 KiB buffer of its own (at device
 * address 0x40000) with a timer-driven engine: registers 0x80 source, 0x88
 * destination, 0x90 count, 0x98 command (bit 0 start/busy, bit 1 set: device
 * buffer -> RAM). It drops address bits above 28 silently, so every bus
 * address is checked against the mask before a transfer starts. QEMU 7.2
 * aborts the whole VM on a transfer that touches the last byte of the device
 * buffer: transfers stay below offset 4095.
 *
 *   cat /sys/kernel/debug/edu_dma/run     runs every check, prints KTAP
 *   cat /sys/kernel/debug/edu_dma/msi     MSI enabled, interrupts counted, disabled; twice
 *   cat /sys/kernel/debug/edu_dma/limit   holds mappings up to the bounce pool's
 *                                         limit (limit_kib=), prints KTAP
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/dma-map-ops.h>
#include <linux/scatterlist.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include "lab-out.h"
#include <linux/interrupt.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <asm/xen/page.h>

#define EDU_REG_ID	0x00
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK	0x64
#define EDU_MSI_IRQS	50
#define EDU_MSI_ROUNDS	2
#define EDU_REG_SRC	0x80
#define EDU_REG_DST	0x88
#define EDU_REG_CNT	0x90
#define EDU_REG_CMD	0x98
#define EDU_CMD_RUN	0x1
#define EDU_CMD_TO_RAM	0x2
#define EDU_BUF		0x40000
#define EDU_BUF_USABLE	4095	/* see the QEMU 7.2 note above */
#define EDU_MASK	DMA_BIT_MASK(28)
#define EDU_CHUNK	2048

struct edu {
	struct pci_dev *pdev;
	void __iomem *regs;
	int mask_ret;
	unsigned int xfers;
	dma_addr_t max_addr;
	atomic_t irqs;		/* interrupts taken by edu_msi_irq() */
	u32 last_status;	/* the status word of the last one */
	struct completion irq_done;
};

static char *expect = "bounce";
module_param(expect, charp, 0444);
MODULE_PARM_DESC(expect, "How a buffer already machine-contiguous below 2^28 must be mapped: bounce (swiotlb=force in effect) or direct");

static unsigned int limit_kib;
module_param(limit_kib, uint, 0444);
MODULE_PARM_DESC(limit_kib, "The bounce pool limit of the device's class the run set, KiB, for the limit test (0: no limit test)");

static struct lab_bound edu_bound = LAB_BOUND_INIT(edu_bound);
static struct dentry *edu_dir;

/* One engine transfer; @to_ram: device buffer -> RAM. */
static int edu_xfer(struct edu *e, dma_addr_t ram, u32 devoff, u32 len, bool to_ram)
{
	unsigned long deadline;

	if (!len || devoff + len > EDU_BUF_USABLE)
		return -EINVAL;
	if (ram == DMA_MAPPING_ERROR)
		return -ERANGE;
	/*
	 * Noted before the mask test, so that the "highest bus address" check sees an
	 * address the DMA layer handed out beyond the mask, not only the ones that passed.
	 */
	e->max_addr = max_t(dma_addr_t, e->max_addr, ram + len - 1);
	if (ram + len - 1 > EDU_MASK || ram + len - 1 < ram)
		return -ERANGE;	/* the device would clamp it and hit other memory */
	if (readq(e->regs + EDU_REG_CMD) & EDU_CMD_RUN)
		return -EBUSY;
	writeq(to_ram ? EDU_BUF + devoff : ram, e->regs + EDU_REG_SRC);
	writeq(to_ram ? ram : EDU_BUF + devoff, e->regs + EDU_REG_DST);
	writeq(len, e->regs + EDU_REG_CNT);
	writeq(EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0), e->regs + EDU_REG_CMD);
	deadline = jiffies + 5 * HZ;
	while (readq(e->regs + EDU_REG_CMD) & EDU_CMD_RUN) {
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		usleep_range(2000, 4000);
	}
	e->xfers++;
	return 0;
}

/* RAM @src -> device @devoff -> RAM @dst, in chunks. */
static int edu_round_trip(struct edu *e, dma_addr_t src, dma_addr_t dst, u32 len)
{
	u32 done, c;
	int ret;

	for (done = 0; done < len; done += c) {
		c = min_t(u32, len - done, EDU_CHUNK);
		ret = edu_xfer(e, src + done, 0, c, false);
		if (!ret)
			ret = edu_xfer(e, dst + done, 0, c, true);
		if (ret)
			return ret;
	}
	return 0;
}

static void edu_fill(u8 *p, size_t len, u32 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed * 131 + i * 7 + (i >> 8) * 13 + 1);
}

/* First differing index of @p against the pattern, or -1. */
static long edu_cmp(const u8 *p, size_t len, u32 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(seed * 131 + i * 7 + (i >> 8) * 13 + 1))
			return i;
	return -1;
}

static bool edu_all(const u8 *p, size_t len, u8 v)
{
	return !memchr_inv(p, v, len);
}

static void edu_test_single(struct edu *e, struct lab_out *o, u32 off, u32 len, u32 seed)
{
	struct device *dev = &e->pdev->dev;
	u8 *a = kmalloc(8192, GFP_KERNEL), *b = kmalloc(8192, GFP_KERNEL);
	dma_addr_t da = DMA_MAPPING_ERROR, db = DMA_MAPPING_ERROR;
	char name[128];
	long bad = -2;
	int ret = -ENOMEM;

	snprintf(name, sizeof(name), "single: %u bytes at buffer offset %u, RAM->device->RAM",
		 len, off);
	if (!a || !b)
		goto out;
	edu_fill(a, 8192, seed);
	memset(b, 0xa5, 8192);
	da = dma_map_single(dev, a + off, len, DMA_TO_DEVICE);
	db = dma_map_single(dev, b + off, len, DMA_FROM_DEVICE);
	ret = -EIO;
	if (dma_mapping_error(dev, da) || dma_mapping_error(dev, db))
		goto unmap;
	ret = edu_xfer(e, da, 100, len, false);
	if (!ret)
		ret = edu_xfer(e, db, 100, len, true);
unmap:
	if (!dma_mapping_error(dev, da))
		dma_unmap_single(dev, da, len, DMA_TO_DEVICE);
	if (!dma_mapping_error(dev, db))
		dma_unmap_single(dev, db, len, DMA_FROM_DEVICE);
	if (!ret) {
		bad = memcmp(b + off, a + off, len) ? 1 : -1;
		if (bad < 0 && (!edu_all(b, off, 0xa5) ||
				!edu_all(b + off + len, 8192 - off - len, 0xa5)))
			bad = 2;
	}
	if (ret)
		lab_line(o, "# %s: error %d (dma %pad / %pad)", name, ret, &da, &db);
	else if (bad == 1)
		lab_line(o, "# %s: data differs", name);
	else if (bad == 2)
		lab_line(o, "# %s: bytes outside the mapping changed", name);
out:
	lab_result(o, !ret && bad == -1, name);
	kfree(a);
	kfree(b);
}

static void edu_test_bidi_sync(struct edu *e, struct lab_out *o)
{
	struct device *dev = &e->pdev->dev;
	const u32 len = 1500;
	u8 *q, *r, *c = kmalloc(len, GFP_KERNEL);
	dma_addr_t dq, dr, dc;
	int ret = -ENOMEM;
	bool ok = false;

	q = dma_alloc_coherent(dev, PAGE_SIZE, &dq, GFP_KERNEL);
	r = dma_alloc_coherent(dev, PAGE_SIZE, &dr, GFP_KERNEL);
	if (!q || !r || !c)
		goto out;
	/* device[0..len) = Q; C = P, mapped both ways */
	edu_fill(q, len, 21);
	edu_fill(c, len, 22);
	ret = edu_xfer(e, dq, 0, len, false);
	if (ret)
		goto out;
	dc = dma_map_single(dev, c, len, DMA_BIDIRECTIONAL);
	ret = -EIO;
	if (dma_mapping_error(dev, dc))
		goto out;
	/* device reads P into [2048..), writes Q over C */
	ret = edu_xfer(e, dc, 2048, len, false);
	if (!ret)
		ret = edu_xfer(e, dc, 0, len, true);
	dma_unmap_single(dev, dc, len, DMA_BIDIRECTIONAL);
	if (!ret)
		ret = edu_xfer(e, dr, 2048, len, true);
	ok = !ret && edu_cmp(c, len, 21) < 0 && edu_cmp(r, len, 22) < 0;
out:
	if (ret)
		lab_line(o, "# bidirectional: error %d", ret);
	lab_result(o, ok, "single bidirectional: device reads and writes the same mapping");

	/* sync: the CPU sees device data before unmap, the device sees CPU data after sync */
	ok = false;
	if (!q || !r || !c)
		goto free;
	edu_fill(q, len, 23);
	ret = edu_xfer(e, dq, 0, len, false);
	dc = dma_map_single(dev, c, len, DMA_BIDIRECTIONAL);
	if (ret || dma_mapping_error(dev, dc)) {
		lab_line(o, "# sync: error %d", ret);
		if (!dma_mapping_error(dev, dc))
			dma_unmap_single(dev, dc, len, DMA_BIDIRECTIONAL);
		goto res;
	}
	ret = edu_xfer(e, dc, 0, len, true);
	dma_sync_single_for_cpu(dev, dc, len, DMA_BIDIRECTIONAL);
	ok = !ret && edu_cmp(c, len, 23) < 0;
	edu_fill(c, len, 24);
	dma_sync_single_for_device(dev, dc, len, DMA_BIDIRECTIONAL);
	ret = ret ? ret : edu_xfer(e, dc, 2048, len, false);
	dma_unmap_single(dev, dc, len, DMA_BIDIRECTIONAL);
	ret = ret ? ret : edu_xfer(e, dr, 2048, len, true);
	ok = ok && !ret && edu_cmp(r, len, 24) < 0;
	if (ret)
		lab_line(o, "# sync: error %d", ret);
res:
	lab_result(o, ok, "single sync_for_cpu/sync_for_device between transfers");
free:
	if (q)
		dma_free_coherent(dev, PAGE_SIZE, q, dq);
	if (r)
		dma_free_coherent(dev, PAGE_SIZE, r, dr);
	kfree(c);
}

#define EDU_SG_N 4
static const u32 edu_sg_off[EDU_SG_N] = { 0, 100, 2048, 1 };
static const u32 edu_sg_len[EDU_SG_N] = { 4096, 3000, 2048, 4095 };

static void edu_test_sg(struct edu *e, struct lab_out *o)
{
	struct device *dev = &e->pdev->dev;
	struct scatterlist sa[EDU_SG_N], sb[EDU_SG_N], *x, *y;
	struct page *pa[EDU_SG_N] = {}, *pb[EDU_SG_N] = {};
	int na = 0, nb = 0, i, ret = -ENOMEM;
	bool ok = false;

	sg_init_table(sa, EDU_SG_N);
	sg_init_table(sb, EDU_SG_N);
	for (i = 0; i < EDU_SG_N; i++) {
		pa[i] = alloc_page(GFP_KERNEL);
		pb[i] = alloc_page(GFP_KERNEL);
		if (!pa[i] || !pb[i])
			goto out;
		edu_fill(page_address(pa[i]), PAGE_SIZE, 40 + i);
		memset(page_address(pb[i]), 0x5a, PAGE_SIZE);
		sg_set_page(&sa[i], pa[i], edu_sg_len[i], edu_sg_off[i]);
		sg_set_page(&sb[i], pb[i], edu_sg_len[i], edu_sg_off[i]);
	}
	na = dma_map_sg(dev, sa, EDU_SG_N, DMA_TO_DEVICE);
	nb = dma_map_sg(dev, sb, EDU_SG_N, DMA_FROM_DEVICE);
	ret = -EIO;
	if (na != EDU_SG_N || nb != EDU_SG_N) {
		lab_line(o, "# sg: mapped %d and %d of %d segments", na, nb, EDU_SG_N);
		goto unmap;
	}
	ret = 0;
	for (x = sa, y = sb, i = 0; i < na && !ret; i++, x = sg_next(x), y = sg_next(y)) {
		if (sg_dma_len(x) != edu_sg_len[i] || sg_dma_len(y) != edu_sg_len[i])
			ret = -EINVAL;
		else
			ret = edu_round_trip(e, sg_dma_address(x), sg_dma_address(y),
					     sg_dma_len(x));
	}
unmap:
	if (na > 0)
		dma_unmap_sg(dev, sa, EDU_SG_N, DMA_TO_DEVICE);
	if (nb > 0)
		dma_unmap_sg(dev, sb, EDU_SG_N, DMA_FROM_DEVICE);
	if (ret)
		goto out;
	ok = true;
	for (i = 0; i < EDU_SG_N; i++) {
		u8 *pga = page_address(pa[i]), *pgb = page_address(pb[i]);
		u32 off = edu_sg_off[i], len = edu_sg_len[i];

		if (memcmp(pga + off, pgb + off, len) || !edu_all(pgb, off, 0x5a) ||
		    !edu_all(pgb + off + len, PAGE_SIZE - off - len, 0x5a)) {
			lab_line(o, "# sg: segment %d (offset %u, %u bytes) differs", i, off, len);
			ok = false;
		}
	}
out:
	if (ret)
		lab_line(o, "# sg: error %d", ret);
	lab_result(o, ok, "sg: 4 pages (offsets 0/100/2048/1), RAM->device->RAM, every byte");
	for (i = 0; i < EDU_SG_N; i++) {
		if (pa[i])
			__free_page(pa[i]);
		if (pb[i])
			__free_page(pb[i]);
	}
}

/* dma_get_sgtable() of a coherent buffer: one entry, the buffer's own pages */
static void edu_test_sgtable(struct lab_out *o, struct device *dev, void *x, dma_addr_t dx,
			     size_t size)
{
	struct sg_table sgt;
	int err = dma_get_sgtable(dev, &sgt, x, dx, size);
	bool own = !err && sg_page(sgt.sgl) == virt_to_page(x) && sgt.sgl->length >= size;

	if (!err)
		sg_free_table(&sgt);
	else
		lab_line(o, "# coherent: dma_get_sgtable() returned %d", err);
	lab_result(o, own, "coherent: dma_get_sgtable() gives the buffer's own pages");
}

static void edu_test_coherent(struct edu *e, struct lab_out *o)
{
	struct device *dev = &e->pdev->dev;
	const size_t size = 2 * PAGE_SIZE;
	dma_addr_t dx = 0, dy = 0;
	u8 *x, *y;
	bool ok = false, below;
	int ret = -ENOMEM;

	x = dma_alloc_coherent(dev, size, &dx, GFP_KERNEL);
	y = dma_alloc_coherent(dev, size, &dy, GFP_KERNEL);
	below = x && y && dx + size - 1 <= EDU_MASK && dy + size - 1 <= EDU_MASK;
	lab_result(o, below, "coherent: two 8 KiB buffers below the 28-bit coherent mask");
	if (!below)
		goto out;
	/* below 2^28 they came from an exchange: the new frames must be cleared too */
	lab_result(o, edu_all(x, size, 0) && edu_all(y, size, 0),
		   "coherent: new buffers read all zero");
	edu_test_sgtable(o, dev, x, dx, size);
	edu_fill(x, size, 60);
	memset(y, 0x3c, size);
	ret = edu_round_trip(e, dx, dy, size);
	ok = !ret && !memcmp(x, y, size);
out:
	if (ret)
		lab_line(o, "# coherent: error %d (%pad, %pad)", ret, &dx, &dy);
	lab_result(o, ok, "coherent: 8 KiB RAM->device->RAM, every byte");
	if (x)
		dma_free_coherent(dev, size, x, dx);
	if (y)
		dma_free_coherent(dev, size, y, dy);
}

/*
 * Zero-copy (expect=direct): a coherent buffer is machine-contiguous below the
 * mask, so a streaming map of it must give its own bus address. The map says
 * DMA_ATTR_SKIP_CPU_SYNC: coherent memory needs no CPU sync, and only then
 * does the DMA-API debug code accept a streaming map over a coherent buffer
 * ("cacheline tracking EEXIST" otherwise). Forced bounce (expect=bounce):
 * kmalloc() buffers, each mapped away from its own machine address.
 */
static void edu_test_zero_copy(struct edu *e, struct lab_out *o)
{
	struct device *dev = &e->pdev->dev;
	const size_t size = 2 * PAGE_SIZE;
	dma_addr_t dx = 0, dy = 0, mx = DMA_MAPPING_ERROR, my = DMA_MAPPING_ERROR;
	bool direct = !strcmp(expect, "direct"), placed = false, ok = false;
	unsigned long attrs = direct ? DMA_ATTR_SKIP_CPU_SYNC : 0;
	u8 *x, *y;
	int ret = -ENOMEM;

	if (direct) {
		x = dma_alloc_coherent(dev, size, &dx, GFP_KERNEL);
		y = dma_alloc_coherent(dev, size, &dy, GFP_KERNEL);
	} else {
		x = kmalloc(size, GFP_KERNEL);
		y = kmalloc(size, GFP_KERNEL);
		if (x && y) {
			dx = virt_to_machine(x).maddr;
			dy = virt_to_machine(y).maddr;
		}
	}
	if (!x || !y)
		goto out;
	edu_fill(x, size, 70);
	memset(y, 0xc3, size);
	mx = dma_map_single_attrs(dev, x, size, DMA_TO_DEVICE, attrs);
	my = dma_map_single_attrs(dev, y, size, DMA_FROM_DEVICE, attrs);
	ret = -EIO;
	if (dma_mapping_error(dev, mx) || dma_mapping_error(dev, my))
		goto unmap;
	placed = direct ? mx == dx && my == dy : mx != dx && my != dy;
	lab_line(o, "# zero-copy: buffers at %pad/%pad mapped to %pad/%pad", &dx, &dy, &mx, &my);
	ret = edu_round_trip(e, mx, my, size);
unmap:
	if (!dma_mapping_error(dev, mx))
		dma_unmap_single_attrs(dev, mx, size, DMA_TO_DEVICE, attrs);
	if (!dma_mapping_error(dev, my))
		dma_unmap_single_attrs(dev, my, size, DMA_FROM_DEVICE, attrs);
	ok = !ret && !memcmp(x, y, size);
out:
	lab_result(o, placed, direct ? "zero-copy: 8 KiB below 2^28 mapped at its own bus address" :
		   "forced bounce: 8 KiB mapped away from its own machine address");
	if (ret)
		lab_line(o, "# zero-copy: error %d", ret);
	lab_result(o, ok, direct ? "zero-copy: 8 KiB RAM->device->RAM without bouncing" :
		   "forced bounce: 8 KiB RAM->device->RAM");
	if (direct) {
		if (x)
			dma_free_coherent(dev, size, x, dx);
		if (y)
			dma_free_coherent(dev, size, y, dy);
	} else {
		kfree(x);
		kfree(y);
	}
}

/* Does [@a, @a + @len) cross a multiple of @b + 1? */
static bool edu_crosses(dma_addr_t a, size_t len, u64 b)
{
	return (a | b) != ((a + len - 1) | b);
}

/*
 * A device with a 64 KiB segment boundary: bounced mappings of 32 and then
 * 60 KiB (the second would cross 64 KiB right after the first) each stay
 * inside one 64 KiB window, and the data still arrives.
 */
static void edu_test_boundary(struct edu *e, struct lab_out *o)
{
	static const size_t len[] = { 32 << 10, 60 << 10 };
	const u64 b = 0xffff;
	struct device *dev = &e->pdev->dev;
	dma_addr_t m[2] = { DMA_MAPPING_ERROR, DMA_MAPPING_ERROR };
	unsigned long old = dma_get_seg_boundary(dev);
	u8 *buf[2] = { NULL, NULL }, *back = NULL;
	bool inside = true, ok = false;
	int i, ret = -ENOMEM;

	if (!strcmp(expect, "direct")) {
		lab_result(o, true, "boundary: inside 64 KiB windows # SKIP no bouncing here");
		lab_result(o, true, "boundary: data through a bounce # SKIP no bouncing here");
		return;
	}
	/* dma_set_seg_boundary() returns nothing since 6.x: it needs dma_parms */
	if (!dev->dma_parms) {
		lab_result(o, false, "boundary: dma_parms for a 64 KiB boundary");
		return;
	}
	dma_set_seg_boundary(dev, b);
	back = kmalloc(EDU_CHUNK, GFP_KERNEL);
	for (i = 0; i < 2; i++) {
		buf[i] = kmalloc(len[i], GFP_KERNEL);
		if (!buf[i] || !back)
			goto out;
		edu_fill(buf[i], len[i], 80 + i);
		m[i] = dma_map_single(dev, buf[i], len[i], DMA_TO_DEVICE);
		if (dma_mapping_error(dev, m[i])) {
			ret = -EIO;
			goto out;
		}
		lab_line(o, "# boundary: %zu bytes at %pad", len[i], &m[i]);
		if (edu_crosses(m[i], len[i], b))
			inside = false;
	}
	/* the last 2 KiB of the 60 KiB mapping: RAM -> device -> RAM */
	ret = edu_xfer(e, m[1] + len[1] - EDU_CHUNK, 100, EDU_CHUNK, false);
	if (!ret) {
		dma_addr_t d = dma_map_single(dev, back, EDU_CHUNK, DMA_FROM_DEVICE);

		ret = dma_mapping_error(dev, d) ? -EIO : edu_xfer(e, d, 100, EDU_CHUNK, true);
		if (!dma_mapping_error(dev, d))
			dma_unmap_single(dev, d, EDU_CHUNK, DMA_FROM_DEVICE);
		ok = !ret && !memcmp(back, buf[1] + len[1] - EDU_CHUNK, EDU_CHUNK);
	}
out:
	for (i = 0; i < 2; i++) {
		if (m[i] != DMA_MAPPING_ERROR && !dma_mapping_error(dev, m[i]))
			dma_unmap_single(dev, m[i], len[i], DMA_TO_DEVICE);
		kfree(buf[i]);
	}
	kfree(back);
	dma_set_seg_boundary(dev, old);
	if (ret)
		lab_line(o, "# boundary: error %d", ret);
	lab_result(o, !ret && inside, "boundary: 32 + 60 KiB bounces each in one 64 KiB window");
	lab_result(o, ok, "boundary: data through the 60 KiB bounce arrives");
}

static void edu_run(void *dev, struct lab_out *o)
{
	struct edu *e = dev;
	static const u32 cases[][2] = {
		{ 0, 3995 }, { 0, 1 }, { 3, 7 }, { 1000, 3000 }, { 4095, 2048 }, { 2048, 2048 },
	};
	unsigned int i;

	lab_line(o, "KTAP version 1");
	e->xfers = 0;
	e->max_addr = 0;
	lab_result(o, e->mask_ret == 0, "dma_set_mask_and_coherent(DMA_BIT_MASK(28))");
	lab_result(o, (readl(e->regs + EDU_REG_ID) & 0xff) == 0xed, "edu identification register");
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		edu_test_single(e, o, cases[i][0], cases[i][1], i + 1);
	edu_test_bidi_sync(e, o);
	edu_test_sg(e, o);
	edu_test_coherent(e, o);
	edu_test_zero_copy(e, o);
	edu_test_boundary(e, o);
	lab_line(o, "# %u transfers, highest bus address %pad", e->xfers, &e->max_addr);
	lab_result(o, e->xfers > 0 && e->max_addr <= EDU_MASK,
		   "every bus address handed to the device was below 2^28");
	lab_line(o, "1..%u", o->n);
}

#define EDU_HOLD_LEN	(64 << 10)
#define EDU_HOLD_MAX	64
#define EDU_HOLD_RETRY_MS	50
#define EDU_HOLD_WAIT_MS	3000

/* Map @buf, retrying for EDU_HOLD_WAIT_MS while the pool grows; *@refused counts refusals. */
static dma_addr_t edu_hold_map(struct device *dev, void *buf, unsigned int *refused)
{
	unsigned int waited = 0;
	dma_addr_t d;

	for (;;) {
		d = dma_map_single(dev, buf, EDU_HOLD_LEN, DMA_BIDIRECTIONAL);
		if (!dma_mapping_error(dev, d))
			return d;
		(*refused)++;
		if (waited >= EDU_HOLD_WAIT_MS)
			return DMA_MAPPING_ERROR;
		msleep(EDU_HOLD_RETRY_MS);
		waited += EDU_HOLD_RETRY_MS;
	}
}

/*
 * The bounce pool's limit, with no timing in it: hold 64 KiB mappings until
 * one stays refused. The pool starts smaller than its limit and grows when a
 * mapping is refused (the run sets dma_pool_grow_pct=100), so the first
 * refusals are retried and mapped once it grew; at the limit a mapping stays
 * refused, with what was mapped within the limit. Then one unmap makes room:
 * the next mapping succeeds at once and the device moves data through it.
 */
static void edu_test_limit(void *dev_data, struct lab_out *o)
{
	struct edu *e = dev_data;
	struct device *dev = &e->pdev->dev;
	unsigned int n = min_t(unsigned int, EDU_HOLD_MAX,
			       limit_kib * 2 / (EDU_HOLD_LEN >> 10) + 1);
	unsigned int i, kib, held = 0, early = 0, late = 0, first_refusal = 0;
	dma_addr_t *d;
	void **buf;
	u8 *x;
	int ret = -ENOMEM;
	bool data = false;

	lab_line(o, "KTAP version 1");
	d = kcalloc(EDU_HOLD_MAX, sizeof(*d), GFP_KERNEL);
	buf = kcalloc(EDU_HOLD_MAX, sizeof(*buf), GFP_KERNEL);
	lab_line(o, "# limit: limit_kib=%u", limit_kib);
	lab_result(o, limit_kib > 0 && d && buf,
		   "limit: the run gave the pool's limit (limit_kib=)");
	if (!limit_kib || !d || !buf)
		goto out;
	for (i = 0; i < n; i++) {
		buf[i] = kmalloc(EDU_HOLD_LEN, GFP_KERNEL);
		if (!buf[i])
			goto out;
		d[i] = DMA_MAPPING_ERROR;
	}
	for (held = 0; held < n; held++) {
		unsigned int r = 0;

		d[held] = edu_hold_map(dev, buf[held], &r);
		if (r && !early && !late)
			first_refusal = held;
		if (dma_mapping_error(dev, d[held])) {
			late = r;
			break;
		}
		early += r;
	}
	kib = held * (EDU_HOLD_LEN >> 10);
	lab_line(o, "# limit: %u of %u mappings of 64 KiB held (%u KiB), %u refusals retried",
		 held, n, kib, early);
	lab_line(o, "# limit: the first refusal after %u KiB; the last mapping refused %u times",
		 first_refusal * (EDU_HOLD_LEN >> 10), late);
	lab_result(o, early > 0 && first_refusal * (EDU_HOLD_LEN >> 10) < limit_kib,
		   "limit: mappings refused below the limit were mapped on retry once the pool grew");
	lab_result(o, held < n && late > 0, "limit: at the limit a mapping stays refused");
	lab_result(o, kib <= limit_kib && kib * 2 >= limit_kib,
		   "limit: what was held before the refusal fits the limit and fills at least half of it");
	if (held == n || !held)
		goto out;
	/* room for one: unmap the first, map the refused one */
	dma_unmap_single(dev, d[0], EDU_HOLD_LEN, DMA_BIDIRECTIONAL);
	d[0] = DMA_MAPPING_ERROR;
	x = buf[held];
	edu_fill(x, EDU_HOLD_LEN, 77);
	memset(x + 4096, 0xa5, 4096);
	d[held] = dma_map_single(dev, x, EDU_HOLD_LEN, DMA_BIDIRECTIONAL);
	lab_result(o, !dma_mapping_error(dev, d[held]),
		   "limit: after one unmap the next mapping succeeds at once");
	if (!dma_mapping_error(dev, d[held])) {
		ret = edu_round_trip(e, d[held], d[held] + 4096, 2048);
		dma_sync_single_for_cpu(dev, d[held], EDU_HOLD_LEN, DMA_BIDIRECTIONAL);
		data = !ret && !memcmp(x + 4096, x, 2048) && edu_all(x + 4096 + 2048, 2048, 0xa5);
		if (ret)
			lab_line(o, "# limit: round trip error %d", ret);
		held++;
	}
	lab_result(o, data, "limit: the device moved 2 KiB through that mapping and back");
out:
	for (i = 0; d && buf && i < n; i++) {
		if (i < held && !dma_mapping_error(dev, d[i]))
			dma_unmap_single(dev, d[i], EDU_HOLD_LEN, DMA_BIDIRECTIONAL);
		kfree(buf[i]);
	}
	kfree(d);
	kfree(buf);
	lab_line(o, "1..%u", o->n);
}

/* edu raised its interrupt: note the status and acknowledge it. */
static irqreturn_t edu_msi_irq(int irq, void *data)
{
	struct edu *e = data;
	u32 st = readl(e->regs + EDU_REG_IRQ_STATUS);

	if (!st)
		return IRQ_NONE;
	writel(st, e->regs + EDU_REG_IRQ_ACK);
	WRITE_ONCE(e->last_status, st);
	atomic_inc(&e->irqs);
	complete(&e->irq_done);
	return IRQ_HANDLED;
}

/*
 * edu has an MSI capability and no MSI-X: enable plain MSI through the PCI
 * core (and so through the frontend's enable_msi op), have the device raise
 * EDU_MSI_IRQS interrupts one after the other, each with its own status
 * bit, then disable it again; twice, so that a second enable after a
 * disable works too.
 */
static void edu_test_msi(void *dev, struct lab_out *o)
{
	struct edu *e = dev;
	struct pci_dev *pdev = e->pdev;
	unsigned int r, i, late;
	int nvec, irq, ret;

	lab_line(o, "KTAP version 1");
	for (r = 1; r <= EDU_MSI_ROUNDS; r++) {
		nvec = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
		lab_line(o, "# round %u: pci_alloc_irq_vectors(MSI) = %d", r, nvec);
		lab_result(o, nvec == 1 && pdev->msi_enabled && !pdev->msix_enabled,
			   "msi: one MSI vector enabled (no MSI-X, no legacy line)");
		if (nvec != 1)
			break;
		irq = pci_irq_vector(pdev, 0);
		ret = request_irq(irq, edu_msi_irq, 0, "edu_dma-msi", e);
		lab_result(o, !ret, "msi: request_irq on the MSI vector");
		if (ret) {
			pci_free_irq_vectors(pdev);
			break;
		}
		atomic_set(&e->irqs, 0);
		late = 0;
		for (i = 0; i < EDU_MSI_IRQS; i++) {
			reinit_completion(&e->irq_done);
			writel(BIT(i % 32), e->regs + EDU_REG_IRQ_RAISE);
			if (!wait_for_completion_timeout(&e->irq_done, 2 * HZ) ||
			    READ_ONCE(e->last_status) != BIT(i % 32))
				late++;
		}
		lab_line(o, "# round %u: irq %d, %d interrupts taken, %u late or wrong", r, irq,
			 atomic_read(&e->irqs), late);
		lab_result(o, !late && atomic_read(&e->irqs) == EDU_MSI_IRQS,
			   "msi: every interrupt the device raised arrived, with its status");
		free_irq(irq, e);
		pci_free_irq_vectors(pdev);
		lab_result(o, !pdev->msi_enabled, "msi: disabled again");
	}
	lab_line(o, "1..%u", o->n);
}

/* The debugfs files: each runs one test and prints its KTAP. */
struct edu_test {
	const char *name;
	void (*fn)(void *dev, struct lab_out *o);
};

static const struct edu_test edu_tests[] = {
	{ "run", edu_run },
	{ "msi", edu_test_msi },
	{ "limit", edu_test_limit },
};

static int edu_test_open(struct inode *inode, struct file *f)
{
	const struct edu_test *t = inode->i_private;

	return lab_out_open(f, &edu_bound, t->fn);
}

static const struct file_operations edu_test_fops = {
	.owner = THIS_MODULE,
	.open = edu_test_open,
	.read = lab_out_read,
	.release = lab_out_release,
	.llseek = default_llseek,
};

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *e;
	int ret;

	e = devm_kzalloc(&pdev->dev, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), "edu_dma");
	if (ret)
		return ret;
	e->regs = pcim_iomap_table(pdev)[0];
	e->pdev = pdev;
	init_completion(&e->irq_done);
	pci_set_master(pdev);
	e->mask_ret = dma_set_mask_and_coherent(&pdev->dev, EDU_MASK);
	mutex_lock(&edu_bound.lock);
	if (!edu_bound.dev)
		edu_bound.dev = e;
	mutex_unlock(&edu_bound.lock);
	pci_set_drvdata(pdev, e);
	dev_info(&pdev->dev, "edu_dma: bound, DMA mask 28 bits (%d), ops %ps\n", e->mask_ret,
		 (const void *)get_dma_ops(&pdev->dev));
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	mutex_lock(&edu_bound.lock);
	if (edu_bound.dev == pci_get_drvdata(pdev))
		edu_bound.dev = NULL;
	mutex_unlock(&edu_bound.lock);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "edu_dma",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init edu_init(void)
{
	int ret = pci_register_driver(&edu_driver);
	unsigned int i;

	if (ret)
		return ret;
	edu_dir = debugfs_create_dir("edu_dma", NULL);
	for (i = 0; i < ARRAY_SIZE(edu_tests); i++)
		debugfs_create_file(edu_tests[i].name, 0400, edu_dir, (void *)&edu_tests[i],
				    &edu_test_fops);
	return 0;
}

static void __exit edu_exit(void)
{
	debugfs_remove(edu_dir);
	pci_unregister_driver(&edu_driver);
}

module_init(edu_init);
module_exit(edu_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DMA round trips through QEMU's edu device (lab test driver)");
