/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol as the rogue backend sees it: the project's one userspace
 * copy of Xen's public pciif and xenbus headers (shared with the pcifront
 * unit tests), and the Linux values the backend answers AER requests with.
 */
#ifndef ROGUE_PCIIF_H
#define ROGUE_PCIIF_H

#include "../../tests/pcifront/shim/xen/interface/io/pciif.h"
#include "../../tests/pcifront/shim/xen/interface/io/xenbus.h"

/* pci_channel_state_t and pci_ers_result_t values, as Linux has them */
#define ROGUE_CH_NORMAL			1
#define ROGUE_CH_FROZEN			2
#define ROGUE_CH_PERM_FAILURE		3
#define ROGUE_ERS_NONE			1
#define ROGUE_ERS_CAN_RECOVER		2
#define ROGUE_ERS_NEED_RESET		3
#define ROGUE_ERS_DISCONNECT		4
#define ROGUE_ERS_RECOVERED		5
#define ROGUE_ERS_NO_AER_DRIVER		6

#endif /* ROGUE_PCIIF_H */
