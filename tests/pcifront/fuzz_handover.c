// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the hand-over record an earlier instance of the module
 * left in xenstore (pfn, token, pci-op-ref, event-channel). The input is the
 * four values separated by newlines; a value not in the input is a missing
 * node. Each value is copied into a buffer of exactly its size, so reading
 * past its end is caught. The parser must accept exactly what a reference
 * check written here accepts, give the values back as printed with the
 * formats the record is written with, and leave the result alone otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/errno.h>
#include "xs_parse.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static bool ref_hex(const char *s, unsigned int maxdigits, u64 *v)
{
	size_t n = strlen(s), i;

	if (!n || n > maxdigits || strspn(s, "0123456789abcdefABCDEF") != n)
		return false;
	*v = 0;
	for (i = 0; i < n; i++)
		*v = *v * 16 + (u64)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	return true;
}

static bool ref_dec(const char *s, u64 *v)
{
	size_t n = strlen(s), i;

	if (!n || n > 10 || strspn(s, "0123456789") != n)
		return false;
	*v = 0;
	for (i = 0; i < n; i++)
		*v = *v * 10 + (u64)(s[i] - '0');
	return *v <= 0xffffffffULL;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char *v[4] = { NULL, NULL, NULL, NULL };
	struct xpf_handover h, untouched, h2;
	char out[4][32];
	u64 pfn, tok, ref, port;
	size_t start = 0, i;
	unsigned int k = 0;
	bool ok;
	int err;

	for (i = 0; i <= size && k < 4; i++) {
		if (i < size && data[i] != '\n')
			continue;
		v[k] = malloc(i - start + 1);
		if (!v[k])
			goto out;
		memcpy(v[k], data + start, i - start);
		v[k][i - start] = 0;
		k++;
		start = i + 1;
	}

	memset(&h, 0x5a, sizeof(h));
	untouched = h;
	err = xpf_parse_handover(v[0], v[1], v[2], v[3], &h);
	if (!v[0] || !v[1]) {
		if (err != -ENOENT)
			abort();
	} else {
		ok = ref_hex(v[0], 2 * sizeof(unsigned long), &pfn) && pfn &&
		     ref_hex(v[1], 16, &tok) && v[2] && ref_dec(v[2], &ref) &&
		     v[3] && ref_dec(v[3], &port) && port;
		if (ok != !err || (err && err != -EINVAL))
			abort();
		if (ok && (h.pfn != pfn || h.token != tok || h.ref != ref || h.port != port))
			abort();
	}
	if (err) {
		if (memcmp(&h, &untouched, sizeof(h)))
			abort();
		goto out;
	}

	/* the record as xpf_chan_handover() and the handshake write it */
	snprintf(out[0], sizeof(out[0]), "%lx", h.pfn);
	snprintf(out[1], sizeof(out[1]), "%llx", (unsigned long long)h.token);
	snprintf(out[2], sizeof(out[2]), "%u", h.ref);
	snprintf(out[3], sizeof(out[3]), "%u", h.port);
	if (xpf_parse_handover(out[0], out[1], out[2], out[3], &h2) ||
	    memcmp(&h, &h2, sizeof(h)))
		abort();
out:
	for (k = 0; k < 4; k++)
		free(v[k]);
	return 0;
}
