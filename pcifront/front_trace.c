// SPDX-License-Identifier: GPL-2.0
/*
 * Makes pcifront's tracepoints (front_trace.h) once. The events read the
 * requests of the op channel and of AER, whose types are pcifront's own.
 */
#include "aercodec.h"
#include "opcodec.h"

#define CREATE_TRACE_POINTS
#include "front_trace.h"
