// SPDX-License-Identifier: GPL-2.0
/* Makes the DMA layer's tracepoints (dma_trace.h) once. */
#define CREATE_TRACE_POINTS
#include "dma_trace.h"
