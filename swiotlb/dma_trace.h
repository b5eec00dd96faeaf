/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA layer's tracepoints, system "xen_pcifront" in tracefs (shared
 * with pcifront's, pcifront/front_trace.h):
 *
 *   xpf_pool_grow      a bounce class got a block (or could not)
 *   xpf_pool_shrink    a bounce class gave a block back
 *   xpf_dma_map_fail   a DMA mapping or coherent buffer was refused
 *   xpf_dma_bounce     a mapping bounced through a class
 *
 * A device is printed as dev=dddd:bb:ss.f (ffff:ff:1f.7 when it is not a
 * PCI function). The events are made once, in dma_trace.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_pcifront

#if !defined(XPF_DMA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define XPF_DMA_TRACE_H

#include <linux/dma-direction.h>
#include <linux/pci.h>
#include <linux/tracepoint.h>

#ifndef XPF_DMA_TRACE_TYPES
#define XPF_DMA_TRACE_TYPES

/* What xpf_dma_map_fail refused. */
enum xpf_trace_mapfail {
	XPF_MAPFAIL_NO_CLASS,	/* no bounce class serves the device's mask */
	XPF_MAPFAIL_BOUNCE,	/* the class had no room, or cannot fit the mapping */
	XPF_MAPFAIL_COHERENT,	/* no coherent buffer below the coherent mask */
};

/* The address of @dev for an event; ffff:ff:1f.7 when it is not on PCI. */
static inline void xpf_trace_bdf(struct device *dev, u16 *domain, u8 *bus, u8 *devfn)
{
	struct pci_dev *pdev;

	if (!dev_is_pci(dev)) {
		*domain = 0xffff;
		*bus = 0xff;
		*devfn = 0xff;
		return;
	}
	pdev = to_pci_dev(dev);
	*domain = pci_domain_nr(pdev->bus);
	*bus = pdev->bus->number;
	*devfn = pdev->devfn;
}

#endif /* XPF_DMA_TRACE_TYPES */

TRACE_DEFINE_ENUM(XPF_MAPFAIL_NO_CLASS);
TRACE_DEFINE_ENUM(XPF_MAPFAIL_BOUNCE);
TRACE_DEFINE_ENUM(XPF_MAPFAIL_COHERENT);

#define xpf_show_mapfail(r)					\
	__print_symbolic(r,					\
			 { XPF_MAPFAIL_NO_CLASS, "no-class" },	\
			 { XPF_MAPFAIL_BOUNCE, "bounce" },	\
			 { XPF_MAPFAIL_COHERENT, "coherent" })

TRACE_DEFINE_ENUM(DMA_BIDIRECTIONAL);
TRACE_DEFINE_ENUM(DMA_TO_DEVICE);
TRACE_DEFINE_ENUM(DMA_FROM_DEVICE);
TRACE_DEFINE_ENUM(DMA_NONE);

#define xpf_show_dma_dir(dir)						\
	__print_symbolic(dir,						\
			 { DMA_BIDIRECTIONAL, "bidirectional" },	\
			 { DMA_TO_DEVICE, "to_device" },		\
			 { DMA_FROM_DEVICE, "from_device" },		\
			 { DMA_NONE, "none" })

/*
 * A bounce class grew by a block of bytes (swiotlb/pool.c), or could not:
 * err -ENOSPC at dma_pool_max_mib, -ENOMEM without machine memory below
 * the class's limit (bytes is then what was asked). class is the address
 * bits the class serves (64: any address), total its size after it.
 */
TRACE_EVENT(xpf_pool_grow,
	    TP_PROTO(unsigned int bits, u64 bytes, u64 total, int err),
	    TP_ARGS(bits, bytes, total, err),
	    TP_STRUCT__entry(__field(u64, bytes)
			     __field(u64, total)
			     __field(u32, bits)
			     __field(int, err)),
	    TP_fast_assign(__entry->bytes = bytes;
			   __entry->total = total;
			   __entry->bits = bits;
			   __entry->err = err;),
	    TP_printk("class=%u bytes=%llu total=%llu err=%d", __entry->bits, __entry->bytes,
		      __entry->total, __entry->err)
);

/*
 * A bounce class gave a block back to Xen (swiotlb/pool.c): one idle for
 * dma_pool_idle_secs, or one a restore moved to other frames.
 */
TRACE_EVENT(xpf_pool_shrink,
	    TP_PROTO(unsigned int bits, u64 bytes, u64 total, bool moved),
	    TP_ARGS(bits, bytes, total, moved),
	    TP_STRUCT__entry(__field(u64, bytes)
			     __field(u64, total)
			     __field(u32, bits)
			     __field(bool, moved)),
	    TP_fast_assign(__entry->bytes = bytes;
			   __entry->total = total;
			   __entry->bits = bits;
			   __entry->moved = moved;),
	    TP_printk("class=%u bytes=%llu total=%llu reason=%s", __entry->bits, __entry->bytes,
		      __entry->total, __entry->moved ? "moved" : "idle")
);

/*
 * The DMA layer refused a mapping or a coherent buffer (swiotlb/): the
 * device's mask, the class tried (0: none; for a coherent buffer the bits
 * of its mask, 64: any), the allocator's errno (0: none).
 */
TRACE_EVENT(xpf_dma_map_fail,
	    TP_PROTO(struct device *dev, u64 size, u64 mask, unsigned int bits,
		     enum xpf_trace_mapfail reason, int err),
	    TP_ARGS(dev, size, mask, bits, reason, err),
	    TP_STRUCT__entry(__field(u64, size)
			     __field(u64, mask)
			     __field(u32, bits)
			     __field(u32, reason)
			     __field(int, err)
			     __field(u16, domain)
			     __field(u8, bus)
			     __field(u8, devfn)),
	    TP_fast_assign(__entry->size = size;
			   __entry->mask = mask;
			   __entry->bits = bits;
			   __entry->reason = reason;
			   __entry->err = err;
			   xpf_trace_bdf(dev, &__entry->domain, &__entry->bus,
					 &__entry->devfn);),
	    TP_printk("dev=%04x:%02x:%02x.%u size=%llu mask=%#llx class=%u reason=%s err=%d",
		      __entry->domain, __entry->bus, PCI_SLOT(__entry->devfn),
		      PCI_FUNC(__entry->devfn), __entry->size, __entry->mask, __entry->bits,
		      xpf_show_mapfail(__entry->reason), __entry->err)
);

/*
 * A mapping bounced through a class (swiotlb/bounce.c). The hot path: a
 * few scalars, no string; dma is the bus address the device got.
 */
TRACE_EVENT(xpf_dma_bounce,
	    TP_PROTO(struct device *dev, u32 size, enum dma_data_direction dir,
		     unsigned int bits, dma_addr_t dma),
	    TP_ARGS(dev, size, dir, bits, dma),
	    TP_STRUCT__entry(__field(u64, dma)
			     __field(u32, size)
			     __field(u8, dir)
			     __field(u8, bits)
			     __field(u16, domain)
			     __field(u8, bus)
			     __field(u8, devfn)),
	    TP_fast_assign(__entry->dma = dma;
			   __entry->size = size;
			   __entry->dir = dir;
			   __entry->bits = bits;
			   xpf_trace_bdf(dev, &__entry->domain, &__entry->bus,
					 &__entry->devfn);),
	    TP_printk("dev=%04x:%02x:%02x.%u size=%u dir=%s class=%u dma=%#llx",
		      __entry->domain, __entry->bus, PCI_SLOT(__entry->devfn),
		      PCI_FUNC(__entry->devfn), __entry->size, xpf_show_dma_dir(__entry->dir),
		      __entry->bits, __entry->dma)
);

#endif /* XPF_DMA_TRACE_H */

/* Out of the kernel's tree: define_trace.h finds us by Kbuild's -I for dma_trace.c. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dma_trace
#include <trace/define_trace.h>
