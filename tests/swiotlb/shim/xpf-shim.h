/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the few kernel facilities the pure DMA-layer code
 * uses, so the same .c files build in tests/swiotlb/.
 */
#ifndef XPF_SHIM_H
#define XPF_SHIM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <errno.h>
#include <pthread.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef unsigned int gfp_t;

#define GFP_KERNEL 0u
#define U32_MAX 0xffffffffU
#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define BIT(n) (1UL << (n))
#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

static inline unsigned int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}
#define xpf_fuzz_entry LLVMFuzzerTestOneInput

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

typedef pthread_mutex_t spinlock_t;
#define spin_lock_init(l) pthread_mutex_init((l), NULL)
#define spin_lock_irqsave(l, f) do { (f) = 0; pthread_mutex_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f) do { (void)(f); pthread_mutex_unlock(l); } while (0)

static inline void *kvcalloc(size_t n, size_t sz, gfp_t gfp)
{
	(void)gfp;
	return calloc(n, sz);
}

static inline void *kcalloc(size_t n, size_t sz, gfp_t gfp)
{
	(void)gfp;
	return calloc(n, sz);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

#endif
