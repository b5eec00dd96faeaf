/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktap.h - the smallest KTAP writer for the project's kselftests: numbered results,
 * a plan, and the kselftest exit codes (0 pass, 1 fail, 4 skip).
 */
#ifndef XPF_SELFTEST_KTAP_H
#define XPF_SELFTEST_KTAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

static unsigned int ktap_count, ktap_failed;

static inline void ktap_header(void)
{
	printf("KTAP version 1\n");
}

static inline void ktap_result(int pass, const char *fmt, ...)
{
	va_list ap;

	ktap_count++;
	if (!pass)
		ktap_failed++;
	printf("%sok %u - ", pass ? "" : "not ", ktap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline int ktap_finish(void)
{
	printf("1..%u\n", ktap_count);
	if (!ktap_count)
		return KSFT_SKIP;
	return ktap_failed ? KSFT_FAIL : KSFT_PASS;
}

#endif /* XPF_SELFTEST_KTAP_H */
