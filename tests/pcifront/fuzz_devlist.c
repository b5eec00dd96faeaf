// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the reader of the backend's device list and roots
 * (devlist.c) over a store made from the input: lines "key=value". Every
 * value is handed out in a buffer of exactly its size, so a read past its
 * end is caught. The result must be bounded and free of duplicates, every
 * device's address must be what its vdev-N says, and every string handed
 * out must be given back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "devlist.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define MAX_KEYS 700

struct store {
	unsigned int n;
	char *key[MAX_KEYS];
	char *val[MAX_KEYS];
	int out;
};

static char *store_get(void *ctx, const char *key)
{
	struct store *st = ctx;
	unsigned int i;
	char *v;

	for (i = 0; i < st->n; i++) {
		if (strcmp(st->key[i], key))
			continue;
		v = malloc(strlen(st->val[i]) + 1);
		if (!v)
			abort();
		strcpy(v, st->val[i]);
		st->out++;
		return v;
	}
	return NULL;
}

static void store_put(void *ctx, char *s)
{
	struct store *st = ctx;

	st->out--;
	free(s);
}

static void check(const struct xpf_devlist *l, struct store *st, int err)
{
	unsigned int i, j;

	if (l->ndevs > XPF_MAX_DEVS || l->nroots > XPF_MAX_ROOTS || st->out)
		abort();
	if (err && l->ndevs)
		abort();
	for (i = 0; i < l->ndevs; i++) {
		char key[24], *v;
		struct xpf_bdf b;

		for (j = i + 1; j < l->ndevs; j++)
			if (!memcmp(&l->dev[i].bdf, &l->dev[j].bdf, sizeof(b)))
				abort();
		snprintf(key, sizeof(key), "vdev-%u", l->dev[i].index);
		v = store_get(st, key);
		if (!v || xpf_parse_bdf(v, &b) || memcmp(&b, &l->dev[i].bdf, sizeof(b)))
			abort();
		store_put(st, v);
	}
	for (i = 0; i < l->nroots; i++)
		for (j = i + 1; j < l->nroots; j++)
			if (l->root[i].domain == l->root[j].domain &&
			    l->root[i].bus == l->root[j].bus)
				abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct xpf_devlist l;
	struct store st = { 0 };
	struct xpf_devlist_src src = { .get = store_get, .put = store_put, .ctx = &st };
	char *buf = malloc(size + 1), *line, *save, *eq;
	unsigned int i;
	int err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	for (line = strtok_r(buf, "\n", &save); line && st.n < MAX_KEYS;
	     line = strtok_r(NULL, "\n", &save)) {
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = 0;
		st.key[st.n] = strdup(line);
		st.val[st.n] = strdup(eq + 1);
		st.n++;
	}
	err = xpf_devlist_build(&l, &src);
	check(&l, &st, err);
	for (i = 0; i < st.n; i++) {
		free(st.key[i]);
		free(st.val[i]);
	}
	free(buf);
	return 0;
}
