/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one KTAP runner of the userspace unit programs (tests/<area>/). A test
 * is a function that reports through CHECK() (a failed check prints where and
 * what, and fails the test) or ut_fail(); every test gives exactly one result
 * line. "--plan" prints the number of tests and nothing else; otherwise the
 * header and the plan come first and every line is flushed as it is written,
 * so a run that dies part way leaves the lines it got to and tests/run-unit.sh
 * can tell from the plan how many are missing.
 */
#ifndef UNIT_KTAP_H
#define UNIT_KTAP_H

#include <stdio.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct ut_case {
	const char *name;
	void (*fn)(void);
};

static int ut_failed, ut_cur;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		ut_cur = 1;						\
	}								\
} while (0)

/* Fail the running test with a reason of its own. */
static inline void ut_fail(const char *why)
{
	printf("# %s\n", why);
	ut_cur = 1;
}

/* main() of a unit program: return ut_main(argc, argv, cases, ARRAY_SIZE(cases)); */
static inline int ut_main(int argc, char **argv, const struct ut_case *t, size_t n)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "--plan")) {
		printf("%zu\n", n);
		return 0;
	}
	printf("KTAP version 1\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		ut_cur = 0;
		t[i].fn();
		ut_failed += ut_cur;
		printf("%sok %zu - %s\n", ut_cur ? "not " : "", i + 1, t[i].name);
	}
	return ut_failed ? 1 : 0;
}

#endif /* UNIT_KTAP_H */
