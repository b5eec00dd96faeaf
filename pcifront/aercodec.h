/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aercodec.h - AER requests from the backend: checks and result mapping.
 *
 * Pure: also built by the userspace tests. The kernel side (work item,
 * driver callbacks under the device lock) is pcifront/aer.c.
 */
#ifndef PCIFRONT_AERCODEC_H
#define PCIFRONT_AERCODEC_H

#include <linux/types.h>

/*
 * Values of pci_channel_state_t and pci_ers_result_t as Linux defines them
 * (include/linux/pci.h); pcifront/aer.c checks at build time that they match.
 */
#define XPF_CH_NORMAL		1
#define XPF_CH_FROZEN		2
#define XPF_CH_PERM_FAILURE	3

#define XPF_ERS_NONE		1
#define XPF_ERS_CAN_RECOVER	2
#define XPF_ERS_NEED_RESET	3
#define XPF_ERS_DISCONNECT	4
#define XPF_ERS_RECOVERED	5
#define XPF_ERS_NO_AER_DRIVER	6

/**
 * enum xpf_aer_step - the four AER callbacks the backend can ask for
 * @XPF_AER_DETECTED: error_detected(state)
 * @XPF_AER_MMIO: mmio_enabled()
 * @XPF_AER_SLOT_RESET: slot_reset()
 * @XPF_AER_RESUME: resume()
 * @XPF_AER_NR: number of steps
 */
enum xpf_aer_step {
	XPF_AER_DETECTED,
	XPF_AER_MMIO,
	XPF_AER_SLOT_RESET,
	XPF_AER_RESUME,
	XPF_AER_NR,
};

/**
 * struct xpf_aer_req - an AER request, copied once out of the shared page
 * @cmd: XEN_PCI_OP_aer_* as the backend wrote it
 * @err: the backend's err field (the channel state for aer_detected)
 * @domain: PCI segment the backend names
 * @bus: bus the backend names
 * @devfn: devfn the backend names
 */
struct xpf_aer_req {
	u32 cmd;
	s32 err;
	u32 domain;
	u32 bus;
	u32 devfn;
};

/**
 * struct xpf_aer_call - a checked AER request
 * @step: which callback
 * @state: channel state for %XPF_AER_DETECTED (XPF_CH_*), else 0
 * @domain: PCI segment, 0..0xffff
 * @bus: bus, 0..0xff
 * @devfn: devfn, 0..0xff
 */
struct xpf_aer_call {
	enum xpf_aer_step step;
	u32 state;
	u16 domain;
	u8 bus;
	u8 devfn;
};

struct xen_pcie_aer_op;

/**
 * xpf_aer_copy() - copy an AER request out of the shared page, once
 * @op: the page's aer_op, after _XEN_PCIB_active was seen set
 * @req: destination
 *
 * Every field is read exactly once; callers check only the copy.
 */
void xpf_aer_copy(const struct xen_pcie_aer_op *op, struct xpf_aer_req *req);

/**
 * xpf_aer_check() - validate a request from the (untrusted) backend
 * @req: the request as read from the page
 * @call: the checked request (written only on success)
 *
 * The command must be one of the four AER ops, the coordinates must fit
 * a PCI address (the caller still has to find the device among its own),
 * and aer_detected must carry a known channel state.
 *
 * Return: 0, -EOPNOTSUPP for an unknown command, -EINVAL for bad
 * coordinates or state.
 */
int xpf_aer_check(const struct xpf_aer_req *req, struct xpf_aer_call *call);

/**
 * xpf_aer_result() - the answer to put in the page's err field
 * @step: the callback that was asked for
 * @bound: a driver is bound to the device
 * @has_cb: the driver has that callback
 * @ret: what the callback returned (ignored unless @bound and @has_cb;
 *       resume returns nothing, pass %XPF_ERS_RECOVERED)
 *
 * error_detected without a driver or callback gives
 * %XPF_ERS_NO_AER_DRIVER (as the native AER core votes); a missing
 * mmio_enabled/slot_reset/resume means nothing to do, %XPF_ERS_RECOVERED.
 * A value that is not a pci_ers_result_t becomes %XPF_ERS_DISCONNECT.
 *
 * Return: a XPF_ERS_* value.
 */
u32 xpf_aer_result(enum xpf_aer_step step, bool bound, bool has_cb, u32 ret);

/**
 * xpf_aer_refusal() - the answer to a request that failed the checks
 *
 * Return: %XPF_ERS_NONE, which tells pciback the guest did not handle it.
 */
u32 xpf_aer_refusal(void);

#endif /* PCIFRONT_AERCODEC_H */
