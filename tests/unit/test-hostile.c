/* SPDX-License-Identifier: MIT */
/* Regressions from fuzzing (tests/fuzz/): each input that crashed a
 * harness, reduced to the call that went wrong. The inputs themselves
 * are in tests/fuzz/corpus/NAME/regress-*, replayed by every fuzz pass. */
#include "harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "blkid.h"
#include "dminit.h"
#include "out.h"

/* What err_line wrote, parts of these lengths. */
static size_t err_line_len(size_t la, size_t lb, size_t lc, char *out)
{
	char *a = malloc(la + 1), *b = malloc(lb + 1), *c = malloc(lc + 1);
	int fd = memfd_create("err", 0), save = dup(2);
	ssize_t n;

	memset(a, 'a', la), a[la] = 0;
	memset(b, 'b', lb), b[lb] = 0;
	memset(c, 'c', lc), c[lc] = 0;
	dup2(fd, 2);
	err_line(a, b, c);
	dup2(save, 2);
	close(save);
	n = pread(fd, out, 1024, 0);
	close(fd);
	free(a), free(b), free(c);
	return n < 0 ? 0 : (size_t)n;
}

/* fuzz-cli: findfs with a 500-byte name overflowed err_line's line when
 * the text so far ended 3 bytes short of it. */
static void test_err_line_long_parts(void **state)
{
	char out[1024];
	size_t la, n;

	(void)state;
	for (la = 480; la < 530; la++) {
		n = err_line_len(la, 40, 10, out);
		assert_true(n > 0 && n <= 512);
		assert_int_equal(out[n - 1], '\n');
		assert_null(memchr(out, '\n', n - 1));
		n = err_line_len(10, la, 3, out);
		assert_true(n > 0 && n <= 512);
		assert_int_equal(out[n - 1], '\n');
	}
	n = err_line_len(5, 5, 5, out);
	assert_int_equal(n, strlen("dmboot: aaaaa: bbbbb: ccccc\n"));
	assert_memory_equal(out, "dmboot: aaaaa: bbbbb: ccccc\n", n);
}

/* fuzz-fs: a 1158-byte read passed the length check (1152) but the ext
 * label ends at 1160. */
static void test_fs_probe_short_ext(void **state)
{
	const size_t len = 1158;
	uint8_t *b = calloc(1, len);
	struct fs_id id;

	(void)state;
	b[1024 + 56] = 0x53, b[1024 + 57] = 0xef; /* ext magic */
	memset(b + 1024 + 120, 'L', len - 1024 - 120);
	assert_int_equal(fs_probe(b, len, &id), -EINVAL);
	free(b);
}

/* fuzz-cli: info -c with no devices did arithmetic on a NULL row buffer
 * (UBSan: applying zero offset to null pointer). */
static void test_info_columns_no_devices(void **state)
{
	(void)state;
	RUN_OK("info", "-c");
	RUN_OK("info", "-C", "--noheadings");
}

/* fuzz-dminit: "0" read by the kernel's number rules, exactly sized. */
static void test_kstrtoull_short(void **state)
{
	static const char *const in[] = {"0", "0x", "+", "0X1", "+0"};
	static const int want[] = {0, -EINVAL, -EINVAL, 0, 0};
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(in); i++) {
		char *s = strdup(in[i]);

		assert_int_equal(dminit_kstrtoull(s, &v), want[i]);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_err_line_long_parts),
		T(test_fs_probe_short_ext),
		T(test_info_columns_no_devices),
		T(test_kstrtoull_short),
#undef T
	};

	return cmocka_run_group_tests_name("hostile input: fuzz regressions",
					   tests, NULL, NULL);
}
