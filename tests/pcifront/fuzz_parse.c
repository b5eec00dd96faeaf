// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the xenstore value parsers on arbitrary strings. Any
 * accepted value must be in range and survive a print/parse round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcifront-parse.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char s[64], out[64];
	unsigned int d, b, v, d2, b2;
	struct xpf_bdf a, a2;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = 0;

	if (!xpf_parse_root(s, &d, &b)) {
		if (d > 0xffff || b > 0xff)
			abort();
		snprintf(out, sizeof(out), "%04x:%02x", d, b);
		if (xpf_parse_root(out, &d2, &b2) || d2 != d || b2 != b)
			abort();
	}
	if (!xpf_parse_bdf(s, &a)) {
		snprintf(out, sizeof(out), "%04x:%02x:%02x.%02x", a.domain, a.bus,
			 a.devfn >> 3, a.devfn & 7);
		if (xpf_parse_bdf(out, &a2) || memcmp(&a, &a2, sizeof(a)))
			abort();
	}
	if (!xpf_parse_uint(s, 256, &v) && v > 256)
		abort();
	return 0;
}
