// SPDX-License-Identifier: GPL-2.0
/*
 * Address-mask rules of the DMA layer (see masks.h); pure logic.
 */
#include <linux/bitops.h>
#include <linux/dma-mapping.h>

#include "masks.h"

u64 xpf_mask_top(u64 max_mfn)
{
	unsigned int bits;
	u64 last;

	if (max_mfn >= (1ULL << (64 - PAGE_SHIFT)) - 1)
		return DMA_BIT_MASK(64);
	/* the last byte of the highest frame must be inside the mask */
	last = ((max_mfn + 1) << PAGE_SHIFT) - 1;
	bits = fls64(last);
	if (bits < 32)
		bits = 32;
	return DMA_BIT_MASK(bits);
}

unsigned int xpf_mask_class_bits(u64 mask, u64 top)
{
	if (mask >= top)
		return 64;
	if (mask >= DMA_BIT_MASK(32))
		return 32;
	if (mask < DMA_BIT_MASK(XPF_MIN_BITS))
		return 0;
	/* a ragged limit (0x0fffefff) counts as its full width below it */
	return fls64(mask + 1) - 1;
}
