// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parsers for backend-published xenstore values. Pure: also built in
 * userspace and fuzzed.
 */
#include <linux/errno.h>
#include "xs_parse.h"

static int xpf_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Read 1..maxdigits hex digits at *sp; advance *sp past them.
 * Returns the value or -1.
 */
static long xpf_hexfield(const char **sp, unsigned int maxdigits)
{
	const char *s = *sp;
	unsigned int n = 0;
	long v = 0;
	int d;

	while ((d = xpf_hexval(s[n])) >= 0) {
		if (++n > maxdigits)
			return -1;
		v = v * 16 + d;
	}
	if (!n)
		return -1;
	*sp = s + n;
	return v;
}

int xpf_parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long long v = 0;
	unsigned int n = 0;

	if (!s)
		return -EINVAL;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 10)
			return -EINVAL;
		v = v * 10 + (unsigned int)(s[n] - '0');
	}
	if (!n)
		return -EINVAL;
	if (v > max)
		return -ERANGE;
	*out = (unsigned int)v;
	return 0;
}

/* "dddd:bb" at *sp; on success *sp points after the bus */
static int xpf_parse_dombus(const char **sp, long *d, long *b)
{
	if (!*sp)
		return -EINVAL;
	*d = xpf_hexfield(sp, 4);
	if (*d < 0 || *(*sp)++ != ':')
		return -EINVAL;
	*b = xpf_hexfield(sp, 2);
	return *b < 0 ? -EINVAL : 0;
}

int xpf_parse_root(const char *s, unsigned int *domain, unsigned int *bus)
{
	long d, b;

	if (xpf_parse_dombus(&s, &d, &b) || *s)
		return -EINVAL;
	*domain = (unsigned int)d;
	*bus = (unsigned int)b;
	return 0;
}

int xpf_parse_bdf(const char *s, struct xpf_bdf *out)
{
	long d, b, sl, f;

	if (xpf_parse_dombus(&s, &d, &b) || *s++ != ':')
		return -EINVAL;
	sl = xpf_hexfield(&s, 2);
	if (sl < 0 || sl > 0x1f || *s++ != '.')
		return -EINVAL;
	f = xpf_hexfield(&s, 2);
	if (f < 0 || f > 7 || *s)
		return -EINVAL;
	out->domain = (u16)d;
	out->bus = (u8)b;
	out->devfn = (u8)((sl << 3) | f);
	return 0;
}

/* exactly 1..maxdigits hex digits and nothing else */
static int xpf_parse_hex(const char *s, unsigned int maxdigits, u64 *out)
{
	unsigned int n;
	u64 v = 0;
	int d;

	if (!s)
		return -EINVAL;
	for (n = 0; s[n]; n++) {
		d = xpf_hexval(s[n]);
		if (d < 0 || n >= maxdigits)
			return -EINVAL;
		v = v << 4 | (unsigned int)d;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	return 0;
}

int xpf_parse_handover(const char *pfn, const char *token, const char *ref,
		       const char *port, struct xpf_handover *out)
{
	unsigned int r, p;
	u64 f, t;

	if (!pfn || !token)
		return -ENOENT;
	if (xpf_parse_hex(pfn, 2 * sizeof(unsigned long), &f) || !f ||
	    xpf_parse_hex(token, 16, &t) ||
	    xpf_parse_uint(ref, ~0U, &r) || xpf_parse_uint(port, ~0U, &p) || !p)
		return -EINVAL;
	out->pfn = (unsigned long)f;
	out->token = t;
	out->ref = r;
	out->port = p;
	return 0;
}
