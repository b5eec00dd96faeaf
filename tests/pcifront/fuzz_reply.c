// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a hostile backend's answers. Whatever the page holds, an
 * accepted MSI-X/MSI answer has distinct PIRQs in range and echoes our table
 * indexes, and the error field maps to a known class, a PCIBIOS_* value and
 * an errno that is 0 exactly for success.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/pci.h>
#include "errmap.h"
#include "opcodec.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct xen_pci_op op;
	struct xen_msix_entry ents[SH_INFO_MAX_VEC];
	u16 idx[SH_INFO_MAX_VEC];
	struct xpf_req r = { .cmd = XEN_PCI_OP_enable_msix, .entries = idx };
	struct xpf_reply rep = { .entries = ents };
	int pirqs[SH_INFO_MAX_VEC];
	unsigned int i, j, c;
	int pcibios, errno_val;

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
	c = xpf_err_classify(rep.err);
	if (c >= XPF_EC_NR || !c != !rep.err || !xpf_err_class_name(c))
		abort();
	pcibios = xpf_err_to_pcibios(rep.err);
	if (!pcibios != !rep.err ||
	    (pcibios != PCIBIOS_SUCCESSFUL && (pcibios < PCIBIOS_FUNC_NOT_SUPPORTED ||
					       pcibios > PCIBIOS_BUFFER_TOO_SMALL)))
		abort();
	errno_val = xpf_err_to_errno(rep.err);
	if (errno_val > 0 || !errno_val != !rep.err)
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
