/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The message prefix of every pr_*() in the module, once (Kbuild includes
 * this before each source, ahead of <linux/printk.h>).
 */
#ifndef XPF_LOG_H
#define XPF_LOG_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#endif /* XPF_LOG_H */
