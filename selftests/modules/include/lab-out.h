/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KTAP output of the lab's test drivers: a test runs when its debugfs
 * file is opened, writes its result lines into a buffer, and the reader
 * gets them (lab_out_open(), lab_out_read(), lab_out_release()).
 */
#ifndef LAB_OUT_H
#define LAB_OUT_H

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define LAB_OUT_SIZE	(16 * 1024)

struct lab_out {
	char *buf;
	size_t len;
	unsigned int n, failed;
};

/* The device a test driver runs its tests on (the first it bound), and its lock. */
struct lab_bound {
	struct mutex lock;	/* guards @dev, and the tests run under it */
	void *dev;
};

#define LAB_BOUND_INIT(name) { .lock = __MUTEX_INITIALIZER(name.lock) }

static inline __printf(2, 3) void lab_line(struct lab_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= LAB_OUT_SIZE - 1)
		return;
	va_start(ap, fmt);
	n = vscnprintf(o->buf + o->len, LAB_OUT_SIZE - o->len, fmt, ap);
	va_end(ap);
	o->len += n;
	if (o->len < LAB_OUT_SIZE - 1)
		o->buf[o->len++] = '\n';
}

static inline void lab_result(struct lab_out *o, bool ok, const char *name)
{
	o->n++;
	if (!ok)
		o->failed++;
	lab_line(o, "%sok %u - %s", ok ? "" : "not ", o->n, name);
}

/*
 * Run @test on @b's device under its lock into a fresh buffer for the
 * reader of @f; without a device bound, one failed result instead.
 */
static inline int lab_out_open(struct file *f, struct lab_bound *b,
			       void (*test)(void *dev, struct lab_out *o))
{
	struct lab_out *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	o->buf = kzalloc(LAB_OUT_SIZE, GFP_KERNEL);
	if (!o->buf) {
		kfree(o);
		return -ENOMEM;
	}
	mutex_lock(&b->lock);
	if (b->dev)
		test(b->dev, o);
	else
		lab_line(o, "KTAP version 1\nnot ok 1 - the test device is bound\n1..1");
	mutex_unlock(&b->lock);
	f->private_data = o;
	return 0;
}

static inline ssize_t lab_out_read(struct file *f, char __user *ubuf, size_t len, loff_t *ppos)
{
	struct lab_out *o = f->private_data;

	return simple_read_from_buffer(ubuf, len, ppos, o->buf, o->len);
}

static inline int lab_out_release(struct inode *inode, struct file *f)
{
	struct lab_out *o = f->private_data;

	kfree(o->buf);
	kfree(o);
	return 0;
}

#endif /* LAB_OUT_H */
