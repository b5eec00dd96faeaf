/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XPF_SHIM_BITS_H
#define XPF_SHIM_BITS_H
#define BIT(n) (1UL << (n))
#endif
