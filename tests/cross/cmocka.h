/* SPDX-License-Identifier: MIT */
/* The part of cmocka's API the unit tests use, for targets Debian ships
 * no libcmocka for (mips: Debian dropped big-endian MIPS after buster).
 * Same semantics for what is used: a failed check ends the test (longjmp),
 * the group runs on, the exit status counts the failures. */
#ifndef CMOCKA_LITE_H
#define CMOCKA_LITE_H

#include <stddef.h>
#include <stdint.h>

typedef uintmax_t LargestIntegralType;
typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
	const char *name;
	CMUnitTestFunction test_func;
	CMFixtureFunction setup_func, teardown_func;
	void *initial_state;
};

#define cmocka_unit_test_setup_teardown(f, setup, teardown)                    \
	{                                                                      \
#f, f, setup, teardown, NULL                                   \
	}
#define cmocka_unit_test(f)                                                    \
	{                                                                      \
#f, f, NULL, NULL, NULL                                        \
	}
#define cmocka_run_group_tests_name(name, tests, setup, teardown)              \
	_cmocka_run_group_tests(name, tests,                                   \
				sizeof(tests) / sizeof((tests)[0]), setup,     \
				teardown)

int _cmocka_run_group_tests(const char *name, const struct CMUnitTest *tests,
			    size_t n, CMFixtureFunction setup,
			    CMFixtureFunction teardown);

void _cm_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void _cm_skip(const char *file, int line) __attribute__((noreturn));
void print_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void _cm_int(LargestIntegralType a, LargestIntegralType b, int eq,
	     const char *file, int line);
void _cm_str(const char *a, const char *b, const char *file, int line);
void _cm_mem(const void *a, const void *b, size_t n, const char *file,
	     int line);

#define fail() _cm_fail(__FILE__, __LINE__, "fail()")
#define fail_msg(...) _cm_fail(__FILE__, __LINE__, __VA_ARGS__)
#define skip() _cm_skip(__FILE__, __LINE__)
#define assert_true(c)                                                         \
	((c) ? (void)0 : _cm_fail(__FILE__, __LINE__, "%s is false", #c))
#define assert_false(c)                                                        \
	(!(c) ? (void)0 : _cm_fail(__FILE__, __LINE__, "%s is true", #c))
#define assert_non_null(p)                                                     \
	((p) ? (void)0 : _cm_fail(__FILE__, __LINE__, "%s is NULL", #p))
#define assert_null(p)                                                         \
	(!(p) ? (void)0 : _cm_fail(__FILE__, __LINE__, "%s is not NULL", #p))
#define assert_int_equal(a, b)                                                 \
	_cm_int((LargestIntegralType)(a), (LargestIntegralType)(b), 1,         \
		__FILE__, __LINE__)
#define assert_int_not_equal(a, b)                                             \
	_cm_int((LargestIntegralType)(a), (LargestIntegralType)(b), 0,         \
		__FILE__, __LINE__)
#define assert_ptr_equal(a, b)                                                 \
	_cm_int((LargestIntegralType)(uintptr_t)(a),                           \
		(LargestIntegralType)(uintptr_t)(b), 1, __FILE__, __LINE__)
#define assert_string_equal(a, b) _cm_str(a, b, __FILE__, __LINE__)
#define assert_memory_equal(a, b, n) _cm_mem(a, b, n, __FILE__, __LINE__)

#endif
