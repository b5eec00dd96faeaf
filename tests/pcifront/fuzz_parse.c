// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the xenstore value parsers (num_devs, state-N, root-N,
 * vdev-N) on arbitrary strings of any length. The string is copied into a
 * buffer of exactly its size plus the NUL, so a parser reading past the end
 * is caught. Any accepted value must be in range and survive a print/parse
 * round trip; a refused one leaves the result alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_parse.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const unsigned int maxes[] = { 0, 7, 64, 256, 0xffffffffU };
	char out[64];
	unsigned int d = 0, b = 0, v, d2, b2, i;
	struct xpf_bdf a, a2;
	char *s = malloc(size + 1);
	const char *t;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;

	if (!xpf_parse_root(s, &d, &b)) {
		if (d > 0xffff || b > 0xff)
			abort();
		snprintf(out, sizeof(out), "%04x:%02x", d, b);
		if (xpf_parse_root(out, &d2, &b2) || d2 != d || b2 != b)
			abort();
	} else if (d || b) {
		abort();
	}
	memset(&a, 0x5a, sizeof(a));
	if (!xpf_parse_bdf(s, &a)) {
		snprintf(out, sizeof(out), "%04x:%02x:%02x.%02x", a.domain, a.bus,
			 a.devfn >> 3, a.devfn & 7);
		if (xpf_parse_bdf(out, &a2) || memcmp(&a, &a2, sizeof(a)))
			abort();
	} else if (a.domain != 0x5a5a || a.bus != 0x5a || a.devfn != 0x5a) {
		abort();
	}
	for (i = 0; i < ARRAY_SIZE(maxes); i++) {
		int err;

		v = 0xdeadbeef;
		err = xpf_parse_uint(s, maxes[i], &v);
		if (err) {
			if (v != 0xdeadbeef)
				abort();
			continue;
		}
		if (v > maxes[i])
			abort();
		/* only plain digits are taken: the value prints back as the
		 * string, leading zeros aside
		 */
		snprintf(out, sizeof(out), "%u", v);
		for (t = s; t[0] == '0' && t[1]; t++)
			;
		if (strcmp(t, out))
			abort();
	}
	free(s);
	return 0;
}
