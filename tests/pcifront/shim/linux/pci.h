/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/pci.h>: only the PCIBIOS_* codes (values as in Linux). */
#ifndef XPF_SHIM_PCI_H
#define XPF_SHIM_PCI_H
#define PCIBIOS_SUCCESSFUL		0x00
#define PCIBIOS_FUNC_NOT_SUPPORTED	0x81
#define PCIBIOS_BAD_VENDOR_ID		0x83
#define PCIBIOS_DEVICE_NOT_FOUND	0x86
#define PCIBIOS_BAD_REGISTER_NUMBER	0x87
#define PCIBIOS_SET_FAILED		0x88
#define PCIBIOS_BUFFER_TOO_SMALL	0x89
#endif
