// SPDX-License-Identifier: GPL-2.0
/*
 * The module's tracepoints (include/xpf_trace.h), made here once. The
 * events read the requests of the op channel and of AER, whose types are
 * pcifront's own.
 */
#include "aercodec.h"
#include "opcodec.h"

#define CREATE_TRACE_POINTS
#include "xpf_trace.h"
