/* SPDX-License-Identifier: GPL-2.0 */
#include "../xpf-shim.h"
