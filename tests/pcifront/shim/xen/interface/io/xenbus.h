/* SPDX-License-Identifier: GPL-2.0 */
/* The xenbus states (Xen's public io/xenbus.h), for userspace builds. */
#ifndef XPF_SHIM_XENBUS_H
#define XPF_SHIM_XENBUS_H
enum xenbus_state {
	XenbusStateUnknown = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait = 2,
	XenbusStateInitialised = 3,
	XenbusStateConnected = 4,
	XenbusStateClosing = 5,
	XenbusStateClosed = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured = 8
};
#endif
