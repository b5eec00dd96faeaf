/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/errno.h>: the uapi values are Linux's own. */
#ifndef XPF_SHIM_ERRNO_H
#define XPF_SHIM_ERRNO_H
#include <asm/errno.h>
#endif
