/* SPDX-License-Identifier: GPL-2.0 */
/* Force-included into every userspace build of pcifront sources. */
#ifndef XPF_SHIM_H
#define XPF_SHIM_H
#include <linux/types.h>
#endif
