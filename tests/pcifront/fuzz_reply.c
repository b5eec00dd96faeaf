// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a hostile backend's MSI-X/MSI answers. Whatever the page
 * holds, an accepted answer has distinct PIRQs in range and echoes our table
 * indexes.
 */
#include <stdlib.h>
#include <string.h>
#include "pcifront-op.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct xen_pci_op op;
	struct xen_msix_entry ents[SH_INFO_MAX_VEC];
	u16 idx[SH_INFO_MAX_VEC];
	struct xpf_req r = { .cmd = XEN_PCI_OP_enable_msix, .entries = idx };
	struct xpf_reply rep = { .entries = ents };
	int pirqs[SH_INFO_MAX_VEC];
	unsigned int i, j;

	if (size < 1)
		return 0;
	r.nvec = data[0] % (SH_INFO_MAX_VEC + 2);
	for (i = 0; i < SH_INFO_MAX_VEC; i++)
		idx[i] = i;
	if (xpf_req_encode(&r, &op))
		return 0;
	memcpy(&op, data + 1, size - 1 < sizeof(op) ? size - 1 : sizeof(op));
	xpf_reply_copy(&op, r.nvec, &rep);
	if (rep.nvec > SH_INFO_MAX_VEC)
		abort();
	if (!xpf_msix_check(&r, &rep, pirqs)) {
		for (i = 0; i < r.nvec; i++) {
			if (pirqs[i] <= 0 || pirqs[i] > XPF_PIRQ_MAX || ents[i].entry != idx[i])
				abort();
			for (j = 0; j < i; j++)
				if (pirqs[i] == pirqs[j])
					abort();
		}
	}
	if (!xpf_msi_check(&rep, &pirqs[0]) && (pirqs[0] <= 0 || pirqs[0] > XPF_PIRQ_MAX))
		abort();
	return 0;
}
