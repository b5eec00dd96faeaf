/* SPDX-License-Identifier: GPL-2.0 */
/*
 * errmap.h - translate pciif backend error codes.
 *
 * Pure logic: no kernel-only calls, also built by the userspace tests.
 */
#ifndef PCIFRONT_ERRMAP_H
#define PCIFRONT_ERRMAP_H

#include <linux/types.h>

/**
 * enum xpf_err_class - the error codes a backend may put in xen_pci_op.err
 * @XPF_EC_OK: success (0)
 * @XPF_EC_DEV_NOT_FOUND: XEN_PCI_ERR_dev_not_found
 * @XPF_EC_INVALID_OFFSET: XEN_PCI_ERR_invalid_offset
 * @XPF_EC_ACCESS_DENIED: XEN_PCI_ERR_access_denied
 * @XPF_EC_NOT_IMPLEMENTED: XEN_PCI_ERR_not_implemented
 * @XPF_EC_OP_FAILED: XEN_PCI_ERR_op_failed
 * @XPF_EC_EINVAL: raw -EINVAL (pciback MSI-X: too many vectors)
 * @XPF_EC_EALREADY: raw -EALREADY (pciback: MSI/MSI-X already on in dom0)
 * @XPF_EC_ENXIO: raw -ENXIO (pciback: other IRQ type on, or memory decoding off)
 * @XPF_EC_ENOMEM: raw -ENOMEM (pciback: allocation failed)
 * @XPF_EC_ENOSPC: raw -ENOSPC (dom0 could not get the vectors)
 * @XPF_EC_OTHER_NEG: any other negative value
 * @XPF_EC_POSITIVE: a positive value (never valid)
 * @XPF_EC_NR: number of classes
 */
enum xpf_err_class {
	XPF_EC_OK,
	XPF_EC_DEV_NOT_FOUND,
	XPF_EC_INVALID_OFFSET,
	XPF_EC_ACCESS_DENIED,
	XPF_EC_NOT_IMPLEMENTED,
	XPF_EC_OP_FAILED,
	XPF_EC_EINVAL,
	XPF_EC_EALREADY,
	XPF_EC_ENXIO,
	XPF_EC_ENOMEM,
	XPF_EC_ENOSPC,
	XPF_EC_OTHER_NEG,
	XPF_EC_POSITIVE,
	XPF_EC_NR,
};

/**
 * xpf_err_classify() - sort a backend error value into a class
 * @err: the value the backend wrote into xen_pci_op.err
 *
 * The protocol codes (-1..-5) win over the raw errno values they collide
 * with (-EPERM..-EIO), because pciback only ever returns those raw values
 * from its MSI paths and then never in that range.
 *
 * Return: an &enum xpf_err_class.
 */
enum xpf_err_class xpf_err_classify(s32 err);

/**
 * xpf_err_class_name() - short name of an error class, for statistics
 * @c: the class
 *
 * Return: a static string; "?" for an out-of-range class.
 */
const char *xpf_err_class_name(unsigned int c);

/**
 * xpf_err_to_pcibios() - map a backend error of a config access to PCIBIOS_*
 * @err: the value the backend wrote into xen_pci_op.err
 *
 * Return: PCIBIOS_SUCCESSFUL or one of the positive PCIBIOS_* errors.
 */
int xpf_err_to_pcibios(s32 err);

/**
 * xpf_err_to_errno() - map a backend error of an MSI/MSI-X op to an errno
 * @err: the value the backend wrote into xen_pci_op.err
 *
 * Return: 0 or a negative errno. Unknown negative values become -EIO,
 * positive values -EPROTO.
 */
int xpf_err_to_errno(s32 err);

#endif /* PCIFRONT_ERRMAP_H */
