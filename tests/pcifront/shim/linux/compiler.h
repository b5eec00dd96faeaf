/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XPF_SHIM_COMPILER_H
#define XPF_SHIM_COMPILER_H
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#endif
