/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA layer's rules for address masks (pure logic, also built by
 * tests/swiotlb/): which bounce class serves a device mask, and the mask
 * that reaches all of the host's memory.
 */
#ifndef XPF_MASKS_H
#define XPF_MASKS_H

#include <linux/types.h>

/* The narrowest mask we bounce for: 16 MiB, ISA-like devices. */
#define XPF_MIN_BITS	24

/**
 * xpf_mask_top() - the DMA mask that covers every machine frame
 * @max_mfn: the highest machine frame number of the host (XENMEM_maximum_ram_page)
 *
 * Return: the smallest DMA_BIT_MASK(n) that contains the last byte of frame
 * @max_mfn, never below 32 bits; DMA_BIT_MASK(64) for a frame number too big
 * to shift.
 */
u64 xpf_mask_top(u64 max_mfn);

/**
 * xpf_mask_class_bits() - the bounce class that serves a device's DMA limit
 * @mask: the device's limit (DMA mask, lowered by its bus limit)
 * @top: xpf_mask_top() of the host
 *
 * A limit that reaches all machine memory needs no low memory: class 64. One
 * between 32 bits and @top uses the 32-bit class (always below the limit,
 * and shared by every such device); narrower limits get a class of their
 * own width.
 *
 * Return: the class width in bits (64, 32, or XPF_MIN_BITS..31), or 0 when
 * the limit is too narrow for any class.
 */
unsigned int xpf_mask_class_bits(u64 mask, u64 top);

#endif /* XPF_MASKS_H */
