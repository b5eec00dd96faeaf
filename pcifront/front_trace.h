/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcifront's tracepoints, system "xen_pcifront" in tracefs
 * (events/xen_pcifront/, shared with the DMA layer's, swiotlb/dma_trace.h),
 * for trace-cmd, perf trace and the like:
 *
 *   xpf_op             a backend op ended: type, device, latency, result
 *   xpf_dev_add        a device of ours entered the PCI core, and why
 *   xpf_dev_remove     a device of ours is leaving the PCI core, and why
 *   xpf_backend_state  xenbus told us the backend's state
 *   xpf_aer_request    the backend posted an AER request
 *   xpf_aer_answer     we answered it (or refused it)
 *
 * A PCI function is printed as dev=dddd:bb:ss.f, the PCI core's name of
 * it, from the fields domain, bus and devfn (for filters). The events are
 * made once, in front_trace.c. __assign_str() differs between kernels: the
 * events use xpf_assign_str() of compat/compat.h.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_pcifront

#if !defined(XPF_FRONT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define XPF_FRONT_TRACE_H

#include <linux/pci.h>
#include <linux/tracepoint.h>
#include <xen/xenbus.h>
#include <xen/interface/io/pciif.h>

#ifndef XPF_FRONT_TRACE_TYPES
#define XPF_FRONT_TRACE_TYPES

/*
 * Why a device comes or goes (xpf_dev_add, xpf_dev_remove): the round of
 * pcifront/reconcile.c that holds the PCI core's rescan lock, if any.
 */
enum xpf_trace_why {
	XPF_WHY_SYSFS,		/* none of ours: a rescan or remove from sysfs */
	XPF_WHY_CONNECT,	/* the devices listed at connect */
	XPF_WHY_ATTACH,		/* hotplug: a Reconfigured round */
	XPF_WHY_REVIVE,		/* the backend answers again after a timeout */
	XPF_WHY_SLOT,		/* slot power from sysfs */
	XPF_WHY_DETACH,		/* hotplug: a Reconfiguring round */
	XPF_WHY_CLOSE,		/* the backend is closing */
	XPF_WHY_UNBIND,		/* our xenbus driver is unbound (or unloaded) */
	XPF_WHY_RESTART,	/* a new handshake (resume, a new backend) */
};

struct xpf_req;
struct xpf_aer_req;

#endif /* XPF_FRONT_TRACE_TYPES */

TRACE_DEFINE_ENUM(XPF_WHY_SYSFS);
TRACE_DEFINE_ENUM(XPF_WHY_CONNECT);
TRACE_DEFINE_ENUM(XPF_WHY_ATTACH);
TRACE_DEFINE_ENUM(XPF_WHY_REVIVE);
TRACE_DEFINE_ENUM(XPF_WHY_SLOT);
TRACE_DEFINE_ENUM(XPF_WHY_DETACH);
TRACE_DEFINE_ENUM(XPF_WHY_CLOSE);
TRACE_DEFINE_ENUM(XPF_WHY_UNBIND);
TRACE_DEFINE_ENUM(XPF_WHY_RESTART);

#define xpf_show_why(why)					\
	__print_symbolic(why,					\
			 { XPF_WHY_SYSFS, "sysfs" },		\
			 { XPF_WHY_CONNECT, "connect" },	\
			 { XPF_WHY_ATTACH, "attach" },		\
			 { XPF_WHY_REVIVE, "revive" },		\
			 { XPF_WHY_SLOT, "slot-power" },	\
			 { XPF_WHY_DETACH, "detach" },		\
			 { XPF_WHY_CLOSE, "close" },		\
			 { XPF_WHY_UNBIND, "unbind" },		\
			 { XPF_WHY_RESTART, "restart" })

TRACE_DEFINE_ENUM(XenbusStateUnknown);
TRACE_DEFINE_ENUM(XenbusStateInitialising);
TRACE_DEFINE_ENUM(XenbusStateInitWait);
TRACE_DEFINE_ENUM(XenbusStateInitialised);
TRACE_DEFINE_ENUM(XenbusStateConnected);
TRACE_DEFINE_ENUM(XenbusStateClosing);
TRACE_DEFINE_ENUM(XenbusStateClosed);
TRACE_DEFINE_ENUM(XenbusStateReconfiguring);
TRACE_DEFINE_ENUM(XenbusStateReconfigured);

#define xpf_show_xenbus_state(s)					\
	__print_symbolic(s,						\
			 { XenbusStateUnknown, "Unknown" },		\
			 { XenbusStateInitialising, "Initialising" },	\
			 { XenbusStateInitWait, "InitWait" },		\
			 { XenbusStateInitialised, "Initialised" },	\
			 { XenbusStateConnected, "Connected" },		\
			 { XenbusStateClosing, "Closing" },		\
			 { XenbusStateClosed, "Closed" },		\
			 { XenbusStateReconfiguring, "Reconfiguring" },	\
			 { XenbusStateReconfigured, "Reconfigured" })

#define xpf_show_op(cmd)						\
	__print_symbolic(cmd,						\
			 { XEN_PCI_OP_conf_read, "conf_read" },		\
			 { XEN_PCI_OP_conf_write, "conf_write" },	\
			 { XEN_PCI_OP_enable_msi, "enable_msi" },	\
			 { XEN_PCI_OP_disable_msi, "disable_msi" },	\
			 { XEN_PCI_OP_enable_msix, "enable_msix" },	\
			 { XEN_PCI_OP_disable_msix, "disable_msix" })

#define xpf_show_aer_cmd(cmd)						\
	__print_symbolic(cmd,						\
			 { XEN_PCI_OP_aer_detected, "error_detected" },	\
			 { XEN_PCI_OP_aer_mmio, "mmio_enabled" },	\
			 { XEN_PCI_OP_aer_slotreset, "slot_reset" },	\
			 { XEN_PCI_OP_aer_resume, "resume" })

#define xpf_show_ers(r)							\
	__print_symbolic(r,						\
			 { XPF_ERS_NONE, "none" },			\
			 { XPF_ERS_CAN_RECOVER, "can_recover" },	\
			 { XPF_ERS_NEED_RESET, "need_reset" },		\
			 { XPF_ERS_DISCONNECT, "disconnect" },		\
			 { XPF_ERS_RECOVERED, "recovered" },		\
			 { XPF_ERS_NO_AER_DRIVER, "no_aer_driver" })

/*
 * One backend op ended (pcifront/chan.c), traced once the channel lock is
 * dropped: ns is the round trip (0: never sent), ret the transport's
 * result (-ENODEV: dead or gone, -ETIMEDOUT: no answer in time), err the
 * backend's XEN_PCI_ERR_* answer (0 when there is none).
 */
TRACE_EVENT(xpf_op,
	    TP_PROTO(const struct xpf_req *req, u64 ns, int ret, int err),
	    TP_ARGS(req, ns, ret, err),
	    TP_STRUCT__entry(__field(u64, ns)
			     __field(u32, cmd)
			     __field(int, ret)
			     __field(int, err)
			     __field(u16, offset)
			     __field(u8, size)
			     __field(u16, domain)
			     __field(u8, bus)
			     __field(u8, devfn)),
	    TP_fast_assign(__entry->ns = ns;
			   __entry->cmd = req->cmd;
			   __entry->ret = ret;
			   __entry->err = err;
			   __entry->offset = req->offset;
			   __entry->size = req->size;
			   __entry->domain = req->domain;
			   __entry->bus = req->bus;
			   __entry->devfn = req->devfn;),
	    TP_printk("op=%s dev=%04x:%02x:%02x.%u offset=%#x size=%u ns=%llu ret=%d err=%d",
		      xpf_show_op(__entry->cmd), __entry->domain, __entry->bus,
		      PCI_SLOT(__entry->devfn), PCI_FUNC(__entry->devfn), __entry->offset,
		      __entry->size, __entry->ns, __entry->ret, __entry->err)
);

DECLARE_EVENT_CLASS(xpf_dev_class,
		    TP_PROTO(struct pci_dev *dev, enum xpf_trace_why why),
		    TP_ARGS(dev, why),
		    TP_STRUCT__entry(__field(u32, why)
				     __field(u16, vendor)
				     __field(u16, device)
				     __field(u16, domain)
				     __field(u8, bus)
				     __field(u8, devfn)),
		    TP_fast_assign(__entry->why = why;
				   __entry->vendor = dev->vendor;
				   __entry->device = dev->device;
				   __entry->domain = pci_domain_nr(dev->bus);
				   __entry->bus = dev->bus->number;
				   __entry->devfn = dev->devfn;),
		    TP_printk("dev=%04x:%02x:%02x.%u id=%04x:%04x why=%s",
			      __entry->domain, __entry->bus, PCI_SLOT(__entry->devfn),
			      PCI_FUNC(__entry->devfn), __entry->vendor, __entry->device,
			      xpf_show_why(__entry->why))
);

/* A device of ours entered the PCI core (pcifront/bus.c), before any driver. */
DEFINE_EVENT(xpf_dev_class, xpf_dev_add,
	     TP_PROTO(struct pci_dev *dev, enum xpf_trace_why why),
	     TP_ARGS(dev, why)
);

/* A device of ours is leaving the PCI core (pcifront/bus.c), its driver gone. */
DEFINE_EVENT(xpf_dev_class, xpf_dev_remove,
	     TP_PROTO(struct pci_dev *dev, enum xpf_trace_why why),
	     TP_ARGS(dev, why)
);

/*
 * xenbus told us the backend's state (pcifront/xenbus.c); ours is the
 * state we were in then. dev is our xenbus device (pci-N).
 */
TRACE_EVENT(xpf_backend_state,
	    TP_PROTO(struct xenbus_device *xdev, enum xenbus_state be),
	    TP_ARGS(xdev, be),
	    TP_STRUCT__entry(__string(name, dev_name(&xdev->dev))
			     __field(u32, be)
			     __field(u32, fe)),
	    TP_fast_assign(xpf_assign_str(name, dev_name(&xdev->dev));
			   __entry->be = be;
			   __entry->fe = xdev->state;),
	    TP_printk("dev=%s backend=%s frontend=%s", __get_str(name),
		      xpf_show_xenbus_state(__entry->be), xpf_show_xenbus_state(__entry->fe))
);

/*
 * An AER request as the backend posted it (pcifront/aer.c), before it is
 * checked: state is its err field (the channel state of error_detected).
 */
TRACE_EVENT(xpf_aer_request,
	    TP_PROTO(const struct xpf_aer_req *req),
	    TP_ARGS(req),
	    TP_STRUCT__entry(__field(u32, cmd)
			     __field(int, state)
			     __field(u32, domain)
			     __field(u32, bus)
			     __field(u32, devfn)),
	    TP_fast_assign(__entry->cmd = req->cmd;
			   __entry->state = req->err;
			   __entry->domain = req->domain;
			   __entry->bus = req->bus;
			   __entry->devfn = req->devfn;),
	    TP_printk("cmd=%s dev=%04x:%02x:%02x.%u state=%d", xpf_show_aer_cmd(__entry->cmd),
		      __entry->domain, __entry->bus, PCI_SLOT(__entry->devfn),
		      PCI_FUNC(__entry->devfn), __entry->state)
);

/*
 * Our answer to an AER request (pcifront/aer.c): the driver's result, or
 * "none" for a refusal; delivered=0 when the backend had withdrawn it.
 */
TRACE_EVENT(xpf_aer_answer,
	    TP_PROTO(const struct xpf_aer_req *req, u32 result, bool delivered),
	    TP_ARGS(req, result, delivered),
	    TP_STRUCT__entry(__field(u32, cmd)
			     __field(u32, result)
			     __field(u32, domain)
			     __field(u32, bus)
			     __field(u32, devfn)
			     __field(bool, delivered)),
	    TP_fast_assign(__entry->cmd = req->cmd;
			   __entry->result = result;
			   __entry->domain = req->domain;
			   __entry->bus = req->bus;
			   __entry->devfn = req->devfn;
			   __entry->delivered = delivered;),
	    TP_printk("cmd=%s dev=%04x:%02x:%02x.%u result=%s delivered=%d",
		      xpf_show_aer_cmd(__entry->cmd), __entry->domain, __entry->bus,
		      PCI_SLOT(__entry->devfn), PCI_FUNC(__entry->devfn),
		      xpf_show_ers(__entry->result), __entry->delivered)
);

#endif /* XPF_FRONT_TRACE_H */

/* Out of the kernel's tree: define_trace.h finds us by Kbuild's -I for front_trace.c. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE front_trace
#include <trace/define_trace.h>
