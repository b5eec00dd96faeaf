// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's device list and roots (see devlist.h); pure logic.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <xen/interface/io/xenbus.h>
#include "devlist.h"

static char *xpf_dl_get(const struct xpf_devlist_src *src, const char *fmt, unsigned int i)
{
	char key[24];

	snprintf(key, sizeof(key), fmt, i);
	return src->get(src->ctx, key);
}

static void xpf_dl_problem(struct xpf_devlist *l, unsigned int bit, int index)
{
	l->problems |= bit;
	if (l->bad_index < 0)
		l->bad_index = index;
}

static bool xpf_dl_listed(const struct xpf_devlist *l, const struct xpf_bdf *b)
{
	unsigned int i;

	for (i = 0; i < l->ndevs; i++)
		if (l->dev[i].bdf.domain == b->domain && l->dev[i].bdf.bus == b->bus &&
		    l->dev[i].bdf.devfn == b->devfn)
			return true;
	return false;
}

bool xpf_devlist_has_root(const struct xpf_devlist *l, unsigned int domain, unsigned int bus)
{
	unsigned int i;

	for (i = 0; i < l->nroots; i++)
		if (l->root[i].domain == domain && l->root[i].bus == bus)
			return true;
	return false;
}

static int xpf_dl_devices(struct xpf_devlist *l, const struct xpf_devlist_src *src)
{
	unsigned int num, i, st;
	struct xpf_devent *e;
	char *s;
	int err;

	s = xpf_dl_get(src, "num_devs", 0);
	if (!s) {
		xpf_dl_problem(l, XPF_DL_NO_NUMDEVS, -1);
		return -EPROTO;
	}
	err = xpf_parse_uint(s, XPF_MAX_DEVS, &num);
	src->put(src->ctx, s);
	if (err) {
		xpf_dl_problem(l, XPF_DL_BAD_NUMDEVS, -1);
		return -EPROTO;
	}
	for (i = 0; i < num; i++) {
		e = &l->dev[l->ndevs];
		e->index = i;
		e->state = 0;
		s = xpf_dl_get(src, "state-%u", i);
		if (s) {
			err = xpf_parse_uint(s, XenbusStateReconfigured, &st);
			src->put(src->ctx, s);
			if (err) {
				xpf_dl_problem(l, XPF_DL_BAD_STATE, i);
				continue;
			}
			e->state = st;
		}
		s = xpf_dl_get(src, "vdev-%u", i);
		if (!s)
			continue;	/* a hole left by an earlier detach */
		err = xpf_parse_bdf(s, &e->bdf);
		src->put(src->ctx, s);
		if (err) {
			xpf_dl_problem(l, XPF_DL_BAD_VDEV, i);
			continue;
		}
		if (xpf_dl_listed(l, &e->bdf)) {
			xpf_dl_problem(l, XPF_DL_DUP_VDEV, i);
			continue;
		}
		l->ndevs++;
	}
	return 0;
}

static void xpf_dl_roots(struct xpf_devlist *l, const struct xpf_devlist_src *src)
{
	unsigned int num, i, dom, bus;
	char *s;
	int err;

	s = xpf_dl_get(src, "root_num", 0);
	if (!s) {
		xpf_dl_problem(l, XPF_DL_NO_ROOTNUM, -1);
		l->root[0].domain = 0;
		l->root[0].bus = 0;
		l->root[0].devfn = 0;
		l->nroots = 1;
		return;
	}
	err = xpf_parse_uint(s, XPF_MAX_ROOTS, &num);
	src->put(src->ctx, s);
	if (err) {
		xpf_dl_problem(l, XPF_DL_BAD_ROOTNUM, -1);
		return;
	}
	for (i = 0; i < num; i++) {
		s = xpf_dl_get(src, "root-%u", i);
		if (!s) {
			xpf_dl_problem(l, XPF_DL_BAD_ROOT, i);
			continue;
		}
		err = xpf_parse_root(s, &dom, &bus);
		src->put(src->ctx, s);
		if (err) {
			xpf_dl_problem(l, XPF_DL_BAD_ROOT, i);
			continue;
		}
		if (xpf_devlist_has_root(l, dom, bus)) {
			xpf_dl_problem(l, XPF_DL_DUP_ROOT, i);
			continue;
		}
		l->root[l->nroots].domain = dom;
		l->root[l->nroots].bus = bus;
		l->root[l->nroots].devfn = 0;
		l->nroots++;
	}
}

int xpf_devlist_build(struct xpf_devlist *l, const struct xpf_devlist_src *src)
{
	int err;

	l->ndevs = 0;
	l->nroots = 0;
	l->problems = 0;
	l->bad_index = -1;
	err = xpf_dl_devices(l, src);
	xpf_dl_roots(l, src);
	return err;
}

bool xpf_devent_exported(const struct xpf_devent *e)
{
	return !e->state || e->state == XenbusStateInitialised ||
	       e->state == XenbusStateConnected;
}

bool xpf_devent_closing(const struct xpf_devent *e)
{
	return e->state == XenbusStateClosing;
}
