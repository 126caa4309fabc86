/* SPDX-License-Identifier: MIT */
/* See cmocka.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmocka.h"

static jmp_buf env;
static int skipped;

void _cm_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "[  ERROR   ] %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	longjmp(env, 1);
}

void print_message(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void _cm_skip(const char *file, int line)
{
	(void)file;
	(void)line;
	skipped = 1;
	longjmp(env, 1);
}

void _cm_int(LargestIntegralType a, LargestIntegralType b, int eq,
	     const char *file, int line)
{
	if ((a == b) != eq)
		_cm_fail(file, line, "%ju (%#jx) %s %ju (%#jx)", a, a,
			 eq ? "!=" : "==", b, b);
}

void _cm_str(const char *a, const char *b, const char *file, int line)
{
	if (!a || !b || strcmp(a, b))
		_cm_fail(file, line, "\"%s\" != \"%s\"", a ? a : "(null)",
			 b ? b : "(null)");
}

void _cm_mem(const void *a, const void *b, size_t n, const char *file, int line)
{
	if (memcmp(a, b, n))
		_cm_fail(file, line, "%zu bytes differ", n);
}

int _cmocka_run_group_tests(const char *name, const struct CMUnitTest *tests,
			    size_t n, CMFixtureFunction setup,
			    CMFixtureFunction teardown)
{
	volatile size_t i, failed = 0, passed = 0;
	void *state = NULL;

	printf("[==========] %s: running %zu test(s).\n", name, n);
	if (setup && setup(&state)) {
		printf("[  FAILED  ] group setup\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		const struct CMUnitTest *t = &tests[i];
		void *ts = t->initial_state ? t->initial_state : state;

		skipped = 0;
		if (!setjmp(env)) {
			if (t->setup_func && t->setup_func(&ts))
				fail_msg("setup failed");
			t->test_func(&ts);
			if (t->teardown_func && t->teardown_func(&ts))
				fail_msg("teardown failed");
			passed++;
		} else {
			if (t->teardown_func)
				t->teardown_func(&ts);
			if (skipped) {
				printf("[  SKIPPED ] %s\n", t->name);
			} else {
				printf("[  FAILED  ] %s\n", t->name);
				failed++;
			}
		}
	}
	if (teardown)
		teardown(&state);
	printf("[==========] %s: %zu passed, %zu failed.\n", name,
	       (size_t)passed, (size_t)failed);
	return (int)failed;
}
