// SPDX-License-Identifier: GPL-2.0
/*
 * AER requests from the backend: checks and result mapping (pure, also
 * built by the userspace tests).
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <xen/interface/io/pciif.h>
#include "aercodec.h"

void xpf_aer_copy(const struct xen_pcie_aer_op *op, struct xpf_aer_req *req)
{
	req->cmd = READ_ONCE(op->cmd);
	req->err = READ_ONCE(op->err);
	req->domain = READ_ONCE(op->domain);
	req->bus = READ_ONCE(op->bus);
	req->devfn = READ_ONCE(op->devfn);
}

int xpf_aer_check(const struct xpf_aer_req *req, struct xpf_aer_call *call)
{
	enum xpf_aer_step step;
	u32 state = 0;

	switch (req->cmd) {
	case XEN_PCI_OP_aer_detected:
		step = XPF_AER_DETECTED;
		break;
	case XEN_PCI_OP_aer_mmio:
		step = XPF_AER_MMIO;
		break;
	case XEN_PCI_OP_aer_slotreset:
		step = XPF_AER_SLOT_RESET;
		break;
	case XEN_PCI_OP_aer_resume:
		step = XPF_AER_RESUME;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (req->domain > 0xffff || req->bus > 0xff || req->devfn > 0xff)
		return -EINVAL;
	if (step == XPF_AER_DETECTED) {
		if (req->err < XPF_CH_NORMAL || req->err > XPF_CH_PERM_FAILURE)
			return -EINVAL;
		state = req->err;
	}
	call->step = step;
	call->state = state;
	call->domain = req->domain;
	call->bus = req->bus;
	call->devfn = req->devfn;
	return 0;
}

u32 xpf_aer_result(enum xpf_aer_step step, bool bound, bool has_cb, u32 ret)
{
	if (!bound || !has_cb)
		return step == XPF_AER_DETECTED ? XPF_ERS_NO_AER_DRIVER : XPF_ERS_RECOVERED;
	if (step == XPF_AER_RESUME)
		return XPF_ERS_RECOVERED;
	if (ret < XPF_ERS_NONE || ret > XPF_ERS_NO_AER_DRIVER)
		return XPF_ERS_DISCONNECT;
	return ret;
}

u32 xpf_aer_refusal(void)
{
	return XPF_ERS_NONE;
}
