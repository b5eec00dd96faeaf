// SPDX-License-Identifier: GPL-2.0
/*
 * AER requests from the backend. pciback posts one request at a time in
 * the shared page (aer_op + _XEN_PCIB_active) and waits for the answer (up
 * to 300 s in 6.1's pciback, then it gives up and treats the guest as not
 * handling it). The interrupt only queues aer_work; here, in process
 * context, the request is copied out once, checked, matched against our
 * own devices, and the bound driver's pci_error_handlers callback runs
 * under the device lock, as the native AER core calls it.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include "aercodec.h"
#include "xpf.h"

bool xpf_aer_enable = true;
module_param_named(aer, xpf_aer_enable, bool, 0444);
MODULE_PARM_DESC(aer,
		 "Take AER requests from the backend and pass them to the drivers' error handlers (default on; off: pciback treats errors as unhandled)");

static const char *const xpf_aer_names[XPF_AER_NR] = {
	"error_detected", "mmio_enabled", "slot_reset", "resume",
};

/* Runs the callback; device lock held. Returns the XPF_ERS_* answer. */
static u32 xpf_aer_call_driver(struct pci_dev *dev, const struct xpf_aer_call *call)
{
	struct pci_driver *drv = dev->dev.driver ? to_pci_driver(dev->dev.driver) : NULL;
	const struct pci_error_handlers *eh = drv ? drv->err_handler : NULL;
	pci_ers_result_t r = PCI_ERS_RESULT_NONE;
	bool has = false;

	switch (call->step) {
	case XPF_AER_DETECTED:
		has = eh && eh->error_detected;
		if (has)
			r = eh->error_detected(dev, (__force pci_channel_state_t)call->state);
		break;
	case XPF_AER_MMIO:
		has = eh && eh->mmio_enabled;
		if (has)
			r = eh->mmio_enabled(dev);
		break;
	case XPF_AER_SLOT_RESET:
		has = eh && eh->slot_reset;
		if (has)
			r = eh->slot_reset(dev);
		break;
	case XPF_AER_RESUME:
		has = eh && eh->resume;
		if (has)
			eh->resume(dev);
		r = PCI_ERS_RESULT_RECOVERED;
		break;
	default:
		break;
	}
	if (!has)
		dev_info_ratelimited(&dev->dev, "AER %s from the backend: %s\n",
				     xpf_aer_names[call->step],
				     drv ? "the driver has no handler for it" : "no driver bound");
	return xpf_aer_result(call->step, drv, has, (__force u32)r);
}

static void xpf_aer_answer(struct xpf_front *front, const struct xpf_aer_req *req, u32 result)
{
	bool delivered = xpf_chan_aer_reply(&front->chan, req, result);

	trace_xpf_aer_answer(req, result, delivered);
	if (!delivered)
		dev_warn_ratelimited(&front->xdev->dev,
				     "AER request (cmd %u) was withdrawn by the backend before our answer %u; dropped\n",
				     req->cmd, result);
}

static void xpf_aer_work(struct work_struct *work)
{
	struct xpf_front *front = container_of(work, struct xpf_front, aer_work);
	struct device *d = &front->xdev->dev;
	struct xpf_aer_call call;
	struct xpf_aer_req req;
	struct pci_dev *dev;
	bool mine;
	u32 result;
	int err;

	if (!xpf_chan_aer_take(&front->chan, &req))
		return;
	trace_xpf_aer_request(&req);
	err = xpf_aer_check(&req, &call);
	if (err) {
		dev_err_ratelimited(d, "backend sent a malformed AER request (cmd %u, %x:%x:%x, err %d); refused\n",
				    req.cmd, req.domain, req.bus, req.devfn, req.err);
		xpf_count(front, XPF_HP_AER_BAD);
		xpf_aer_answer(front, &req, xpf_aer_refusal());
		return;
	}
	/* A Reconfiguring round may free the device's root meanwhile: look it up under the lock. */
	pci_lock_rescan_remove();
	dev = pci_get_domain_bus_and_slot(call.domain, call.bus, call.devfn);
	mine = dev && xpf_front_of_bus(dev->bus) == front;
	pci_unlock_rescan_remove();
	if (!mine) {
		dev_err_ratelimited(d, "backend sent AER %s for %04x:%02x:%02x.%u, which is not one of its devices here; refused\n",
				    xpf_aer_names[call.step], call.domain, call.bus,
				    PCI_SLOT(call.devfn), PCI_FUNC(call.devfn));
		pci_dev_put(dev);
		xpf_count(front, XPF_HP_AER_BAD);
		xpf_aer_answer(front, &req, xpf_aer_refusal());
		return;
	}
	device_lock(&dev->dev);
	result = xpf_aer_call_driver(dev, &call);
	device_unlock(&dev->dev);
	dev_info_ratelimited(&dev->dev, "AER %s from the backend answered %u\n",
			     xpf_aer_names[call.step], result);
	pci_dev_put(dev);
	xpf_count(front, XPF_HP_AER);
	xpf_aer_answer(front, &req, result);
}

/**
 * xpf_aer_init() - prepare a frontend's AER work
 * @front: the frontend
 */
void xpf_aer_init(struct xpf_front *front)
{
	BUILD_BUG_ON(XPF_CH_NORMAL != (__force int)pci_channel_io_normal);
	BUILD_BUG_ON(XPF_CH_FROZEN != (__force int)pci_channel_io_frozen);
	BUILD_BUG_ON(XPF_CH_PERM_FAILURE != (__force int)pci_channel_io_perm_failure);
	BUILD_BUG_ON(XPF_ERS_NONE != (__force int)PCI_ERS_RESULT_NONE);
	BUILD_BUG_ON(XPF_ERS_CAN_RECOVER != (__force int)PCI_ERS_RESULT_CAN_RECOVER);
	BUILD_BUG_ON(XPF_ERS_NEED_RESET != (__force int)PCI_ERS_RESULT_NEED_RESET);
	BUILD_BUG_ON(XPF_ERS_DISCONNECT != (__force int)PCI_ERS_RESULT_DISCONNECT);
	BUILD_BUG_ON(XPF_ERS_RECOVERED != (__force int)PCI_ERS_RESULT_RECOVERED);
	BUILD_BUG_ON(XPF_ERS_NO_AER_DRIVER != (__force int)PCI_ERS_RESULT_NO_AER_DRIVER);
	INIT_WORK(&front->aer_work, xpf_aer_work);
}

/**
 * xpf_aer_start() - tell the backend we handle AER, and take requests
 * @front: the frontend
 *
 * Sets _XEN_PCIB_AERHANDLER when the aer parameter is on.
 */
void xpf_aer_start(struct xpf_front *front)
{
	if (xpf_aer_enable)
		xpf_chan_aer_start(&front->chan, &front->aer_work);
}

/**
 * xpf_aer_stop() - stop taking AER requests
 * @front: the frontend
 *
 * Clears _XEN_PCIB_AERHANDLER, waits for the work, and refuses a request
 * still posted so that the backend does not wait for it.
 */
void xpf_aer_stop(struct xpf_front *front)
{
	struct xpf_aer_req req;
	bool delivered;

	xpf_chan_aer_stop(&front->chan);
	/* Do not leave pciback waiting for an answer that will not come. */
	if (xpf_chan_aer_take(&front->chan, &req)) {
		trace_xpf_aer_request(&req);
		delivered = xpf_chan_aer_reply(&front->chan, &req, xpf_aer_refusal());
		trace_xpf_aer_answer(&req, xpf_aer_refusal(), delivered);
	}
}
