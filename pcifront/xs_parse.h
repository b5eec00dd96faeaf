/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xs_parse.h - strict parsers for the values pciback publishes in xenstore.
 *
 * Pure logic: no kernel-only calls, also built by the userspace tests and
 * the fuzz target. Every value comes from an untrusted backend.
 */
#ifndef PCIFRONT_XS_PARSE_H
#define PCIFRONT_XS_PARSE_H

#include <linux/types.h>

/* Upper bounds we accept from xenstore. */
#define XPF_MAX_ROOTS	64	/* root_num */
#define XPF_MAX_DEVS	256	/* num_devs */

/**
 * struct xpf_bdf - a PCI address as published by the backend
 * @domain: PCI segment, 0..0xffff
 * @bus: bus number, 0..0xff
 * @devfn: slot << 3 | function
 */
struct xpf_bdf {
	u16 domain;
	u8 bus;
	u8 devfn;
};

/**
 * xpf_parse_uint() - parse a decimal xenstore value
 * @s: NUL-terminated string
 * @max: largest accepted value
 * @out: result
 *
 * Accepts 1..10 decimal digits and nothing else (no sign, no spaces).
 *
 * Return: 0, or -EINVAL for a malformed string, -ERANGE above @max.
 */
int xpf_parse_uint(const char *s, unsigned int max, unsigned int *out);

/**
 * xpf_parse_root() - parse a "root-N" value, "dddd:bb"
 * @s: NUL-terminated string
 * @domain: result, 0..0xffff
 * @bus: result, 0..0xff
 *
 * Hex fields of 1..4 and 1..2 digits, as pciback writes with "%04x:%02x".
 *
 * Return: 0 or -EINVAL.
 */
int xpf_parse_root(const char *s, unsigned int *domain, unsigned int *bus);

/**
 * xpf_parse_bdf() - parse a "vdev-N"/"dev-N" value, "dddd:bb:ss.f"
 * @s: NUL-terminated string
 * @out: result
 *
 * pciback writes "%04x:%02x:%02x.%02x", so the function has one or two hex
 * digits. Slot must be <= 0x1f and function <= 7.
 *
 * Return: 0 or -EINVAL.
 */
int xpf_parse_bdf(const char *s, struct xpf_bdf *out);

/**
 * struct xpf_handover - the record a previous instance of the module left
 *                       in our xenstore directory (see xpf_chan_handover())
 * @pfn: frame of the shared page ("xpf-handover-pfn", hex, not 0)
 * @token: the token also kept in the page ("xpf-handover-token", hex)
 * @ref: grant reference of the page ("pci-op-ref", decimal)
 * @port: its event channel ("event-channel", decimal, not 0)
 */
struct xpf_handover {
	unsigned long pfn;
	u64 token;
	u32 ref;
	u32 port;
};

/**
 * xpf_parse_handover() - parse a hand-over record
 * @pfn: the "xpf-handover-pfn" value, or NULL if there is none
 * @token: the "xpf-handover-token" value, or NULL
 * @ref: the "pci-op-ref" value, or NULL
 * @port: the "event-channel" value, or NULL
 * @out: result (written only on success)
 *
 * The values are as xenbus_printf() wrote them, "%lx", "%llx", "%u" and
 * "%u": hex fields of 1..16 digits, decimal ones as xpf_parse_uint() takes
 * them, up to U32_MAX; no prefix, sign or space.
 *
 * Return: 0, -ENOENT if @pfn or @token is missing (no hand-over pending),
 * -EINVAL for anything malformed or missing besides.
 */
int xpf_parse_handover(const char *pfn, const char *token, const char *ref,
		       const char *port, struct xpf_handover *out);

#endif /* PCIFRONT_XS_PARSE_H */
