// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: AER requests as a hostile backend posts them. The input
 * is the page's aer_op (zero-padded when short), then three bytes that pick
 * the driver's situation for the answer. An accepted request is one of the
 * four AER ops with in-range coordinates and, for aer_detected, a known
 * channel state; a refused one leaves the result alone; every answer is a
 * pci_ers_result_t.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/errno.h>
#include <xen/interface/io/pciif.h>
#include "aercodec.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct xen_pcie_aer_op *op = calloc(1, sizeof(*op));
	struct xpf_aer_call call, untouched;
	struct xpf_aer_req req;
	const u8 *tail = data + sizeof(*op);
	bool is_detected, asked_detected;
	u32 ret;
	int err;

	if (!op)
		return 0;
	memcpy(op, data, size < sizeof(*op) ? size : sizeof(*op));
	xpf_aer_copy(op, &req);
	if (req.cmd != op->cmd || req.err != op->err || req.domain != op->domain ||
	    req.bus != op->bus || req.devfn != op->devfn)
		abort();

	memset(&call, 0xa5, sizeof(call));
	untouched = call;
	err = xpf_aer_check(&req, &call);
	if (err) {
		if (err != -EOPNOTSUPP && err != -EINVAL)
			abort();
		if (memcmp(&call, &untouched, sizeof(call)))
			abort();
		if ((err == -EOPNOTSUPP) != (req.cmd < XEN_PCI_OP_aer_detected ||
					     req.cmd > XEN_PCI_OP_aer_slotreset))
			abort();
		if (xpf_aer_refusal() != XPF_ERS_NONE)
			abort();
		free(op);
		return 0;
	}
	if (req.cmd < XEN_PCI_OP_aer_detected || req.cmd > XEN_PCI_OP_aer_slotreset)
		abort();
	if ((unsigned int)call.step >= XPF_AER_NR)
		abort();
	is_detected = call.step == XPF_AER_DETECTED;
	asked_detected = req.cmd == XEN_PCI_OP_aer_detected;
	if (is_detected != asked_detected)
		abort();
	if (call.step == XPF_AER_DETECTED ?
	    call.state < XPF_CH_NORMAL || call.state > XPF_CH_PERM_FAILURE ||
	    call.state != (u32)req.err : call.state != 0)
		abort();
	if (call.domain != req.domain || call.bus != req.bus || call.devfn != req.devfn)
		abort();

	/* the answer for whatever the driver has and returns */
	if (size > sizeof(*op)) {
		size_t left = size - sizeof(*op);
		bool bound = tail[0] & 1, has_cb = tail[0] & 2;

		ret = 0;
		memcpy(&ret, tail + 1, left - 1 < sizeof(ret) ? left - 1 : sizeof(ret));
		ret = xpf_aer_result(call.step, bound, has_cb, ret);
	} else {
		ret = xpf_aer_result(call.step, false, false, 0);
	}
	if (ret < XPF_ERS_NONE || ret > XPF_ERS_NO_AER_DRIVER)
		abort();
	free(op);
	return 0;
}
