// SPDX-License-Identifier: GPL-2.0
/*
 * Backend error codes to PCIBIOS_* and errno. Pure: also built in userspace.
 */
#include <linux/errno.h>
#include <linux/pci.h>
#include <xen/interface/io/pciif.h>
#include "errmap.h"

enum xpf_err_class xpf_err_classify(s32 err)
{
	switch (err) {
	case XEN_PCI_ERR_success:
		return XPF_EC_OK;
	case XEN_PCI_ERR_dev_not_found:
		return XPF_EC_DEV_NOT_FOUND;
	case XEN_PCI_ERR_invalid_offset:
		return XPF_EC_INVALID_OFFSET;
	case XEN_PCI_ERR_access_denied:
		return XPF_EC_ACCESS_DENIED;
	case XEN_PCI_ERR_not_implemented:
		return XPF_EC_NOT_IMPLEMENTED;
	case XEN_PCI_ERR_op_failed:
		return XPF_EC_OP_FAILED;
	case -EINVAL:
		return XPF_EC_EINVAL;
	case -EALREADY:
		return XPF_EC_EALREADY;
	case -ENXIO:
		return XPF_EC_ENXIO;
	case -ENOMEM:
		return XPF_EC_ENOMEM;
	case -ENOSPC:
		return XPF_EC_ENOSPC;
	}
	return err < 0 ? XPF_EC_OTHER_NEG : XPF_EC_POSITIVE;
}

static const char *const xpf_err_names[XPF_EC_NR] = {
	[XPF_EC_OK] = "ok",
	[XPF_EC_DEV_NOT_FOUND] = "dev_not_found",
	[XPF_EC_INVALID_OFFSET] = "invalid_offset",
	[XPF_EC_ACCESS_DENIED] = "access_denied",
	[XPF_EC_NOT_IMPLEMENTED] = "not_implemented",
	[XPF_EC_OP_FAILED] = "op_failed",
	[XPF_EC_EINVAL] = "EINVAL",
	[XPF_EC_EALREADY] = "EALREADY",
	[XPF_EC_ENXIO] = "ENXIO",
	[XPF_EC_ENOMEM] = "ENOMEM",
	[XPF_EC_ENOSPC] = "ENOSPC",
	[XPF_EC_OTHER_NEG] = "other_negative",
	[XPF_EC_POSITIVE] = "positive",
};

const char *xpf_err_class_name(unsigned int c)
{
	return c < XPF_EC_NR ? xpf_err_names[c] : "?";
}

int xpf_err_to_pcibios(s32 err)
{
	switch (xpf_err_classify(err)) {
	case XPF_EC_OK:
		return PCIBIOS_SUCCESSFUL;
	case XPF_EC_DEV_NOT_FOUND:
		return PCIBIOS_DEVICE_NOT_FOUND;
	case XPF_EC_INVALID_OFFSET:
	case XPF_EC_EINVAL:
		return PCIBIOS_BAD_REGISTER_NUMBER;
	case XPF_EC_NOT_IMPLEMENTED:
		return PCIBIOS_FUNC_NOT_SUPPORTED;
	case XPF_EC_ACCESS_DENIED:
	case XPF_EC_OP_FAILED:
	default:
		return PCIBIOS_SET_FAILED;
	}
}

int xpf_err_to_errno(s32 err)
{
	switch (xpf_err_classify(err)) {
	case XPF_EC_OK:
		return 0;
	case XPF_EC_DEV_NOT_FOUND:
		return -ENODEV;
	case XPF_EC_INVALID_OFFSET:
	case XPF_EC_EINVAL:
		return -EINVAL;
	case XPF_EC_ACCESS_DENIED:
		return -EPERM;
	case XPF_EC_NOT_IMPLEMENTED:
		return -EOPNOTSUPP;
	case XPF_EC_OP_FAILED:
	case XPF_EC_OTHER_NEG:
		return -EIO;
	case XPF_EC_EALREADY:
		return -EALREADY;
	case XPF_EC_ENXIO:
		return -ENXIO;
	case XPF_EC_ENOMEM:
		return -ENOMEM;
	case XPF_EC_ENOSPC:
		return -ENOSPC;
	case XPF_EC_POSITIVE:
	default:
		return -EPROTO;
	}
}
