/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for, in one place. Kbuild
 * includes this header before every source file of the module. The sources
 * use the newest name where one macro maps it to the older kernels
 * (MAX_PAGE_ORDER), and an xpf_ wrapper from here where the call itself
 * differs. Nothing else in the tree tests LINUX_VERSION_CODE.
 *
 * Kernels built and checked: 6.1 (Debian 12), 6.12 (Debian 12 and 13),
 * 7.3 (Debian 13 backports) and 7.2 (sid). The 7.x changes are dated 7.0
 * here: the headers of 6.12 have the old form and those of 7.2 the new one;
 * the releases between were not checked.
 */
#ifndef XPF_COMPAT_H
#define XPF_COMPAT_H

#include <linux/version.h>

/*
 * Only <linux/version.h> comes first: the sources include what they use
 * (and may define pr_fmt) after this header, so what follows is macros,
 * expanded where the kernel's declarations are in scope.
 */

/*
 * 6.4 made MAX_ORDER the largest order itself (it was one past it), and
 * 6.8 renamed it MAX_PAGE_ORDER. The sources use MAX_PAGE_ORDER.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define MAX_PAGE_ORDER (MAX_ORDER - 1)
#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#define MAX_PAGE_ORDER MAX_ORDER
#endif

/* 6.5 added evtchn_make_refcounted()'s is_static; ours are never static. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define xpf_evtchn_make_refcounted(evtchn) evtchn_make_refcounted(evtchn)
#else
#define xpf_evtchn_make_refcounted(evtchn) evtchn_make_refcounted(evtchn, false)
#endif

/*
 * Up to 6.5 a PCI frontend could set up the kernel's xen-swiotlb when it
 * found devices. 6.6 removed pci_xen_swiotlb_init_late(): xen-swiotlb is
 * set up at boot (iommu=soft, or when the guest may get PCI devices) or
 * never. When it is up, the x86 dma_ops point at it (a PV guest has no
 * other), so that is what we check there: 0 when it is up, -ENODEV when
 * only a boot with iommu=soft can give it.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define xpf_xen_swiotlb_init_late() pci_xen_swiotlb_init_late()
#else
#define xpf_xen_swiotlb_init_late() (dma_ops ? 0 : -ENODEV)
#endif

/* 7.0: xenbus_read_driver_state() takes the device as well as the path. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define xpf_read_driver_state(dev, path) xenbus_read_driver_state(path)
#else
#define xpf_read_driver_state(dev, path) xenbus_read_driver_state(dev, path)
#endif

/*
 * 7.0: struct dma_map_ops maps physical addresses (map_phys, unmap_phys)
 * instead of pages (map_page, unmap_page), with the same unmap signature.
 * The bounce logic is written once, for a physical address;
 * XPF_DMA_MAP_OPS() puts it into an ops table (@phys_fn itself, or its
 * page wrapper @page_fn on older kernels, and @unmap_fn), and xpf_ops_map()
 * and xpf_ops_unmap() call whichever form another table (the kernel's) has.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define XPF_DMA_MAP_OPS(page_fn, phys_fn, unmap_fn) \
	.map_page = (page_fn), .unmap_page = (unmap_fn)
#define xpf_ops_can_map(ops) ((ops) && (ops)->map_page)
#define xpf_ops_map(ops, dev, page, size, dir, attrs) \
	((ops)->map_page((dev), (page), 0, (size), (dir), (attrs)))
#define xpf_ops_can_unmap(ops) (!!(ops)->unmap_page)
#define xpf_ops_unmap(ops, dev, dma, size, dir, attrs) \
	((ops)->unmap_page((dev), (dma), (size), (dir), (attrs)))
#else
#define XPF_DMA_MAP_OPS(page_fn, phys_fn, unmap_fn) \
	.map_phys = (phys_fn), .unmap_phys = (unmap_fn)
#define xpf_ops_can_map(ops) ((ops) && (ops)->map_phys)
#define xpf_ops_map(ops, dev, page, size, dir, attrs) \
	((ops)->map_phys((dev), page_to_phys(page), (size), (dir), (attrs)))
#define xpf_ops_can_unmap(ops) (!!(ops)->unmap_phys)
#define xpf_ops_unmap(ops, dev, dma, size, dir, attrs) \
	((ops)->unmap_phys((dev), (dma), (size), (dir), (attrs)))
#endif

/*
 * 7.0 removed xen_resume_notifier_unregister(): a module can no longer take
 * a resume notifier off again, so it must not put one on. There the DMA
 * layer hears of a resume from our xenbus devices' resume instead
 * (XPF_RESUME_VIA_XENBUS), which covers the resumes that matter: the pools
 * only serve the PCI devices of those xenbus devices.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define XPF_RESUME_VIA_XENBUS false
#define xpf_resume_notifier_register(nb) xen_resume_notifier_register(nb)
#define xpf_resume_notifier_unregister(nb) xen_resume_notifier_unregister(nb)
#else
#define XPF_RESUME_VIA_XENBUS true
#define xpf_resume_notifier_register(nb) ((void)(nb))
#define xpf_resume_notifier_unregister(nb) ((void)(nb))
#endif

/*
 * 7.0: ktime_get_snapshot() became ktime_get_snapshot_id(clock, snapshot),
 * and the snapshot says whether it is valid (an AUX clock may be off).
 * CLOCK_MONOTONIC is always valid; the counter value is what we use.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define xpf_ktime_snapshot(snap) ktime_get_snapshot(snap)
#define xpf_snapshot_valid(snap) true
#else
#define xpf_ktime_snapshot(snap) ktime_get_snapshot_id(CLOCK_MONOTONIC, snap)
#define xpf_snapshot_valid(snap) ((snap)->valid)
#endif

/*
 * 6.10: __assign_str() of a trace event takes only the field; the source
 * is the one its __string() declaration names (6.1 has both arguments,
 * 6.12 the one). For pcifront/front_trace.h.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define xpf_assign_str(dst, src) __assign_str(dst, src)
#else
#define xpf_assign_str(dst, src) __assign_str(dst)
#endif

/*
 * Workarounds for kernel behaviour, by the kernels they are known for. They
 * stay on for every kernel we build: the code they work around was the same
 * in 6.1 and 6.12 and has not been shown fixed since.
 *
 * XPF_QUIRK_MSI_DISABLE (6.1, 6.12; pcifront/msi.c): the arch code's
 * xen_pv_teardown_msi_irqs() chooses disable_msi or disable_msix from
 * dev->msix_enabled, which the PCI core has already cleared, so an MSI-X
 * teardown arrives as disable_msi. We disable what we enabled instead.
 *
 * XPF_QUIRK_GSI_RELEASE (6.1, 6.12; pcifront/intx.c): restore_pirqs()
 * frees the IRQ of a GSI it cannot map again while it walks its IRQ list,
 * which crashes a restored guest that once had a device on that GSI. We
 * release the GSI's binding when its device goes.
 */
#define XPF_QUIRK_MSI_DISABLE true
#define XPF_QUIRK_GSI_RELEASE true

#endif /* XPF_COMPAT_H */
