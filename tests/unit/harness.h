/* SPDX-License-Identifier: MIT */
/* Running whole dmboot commands in the test process, and the checks every
 * test file shares. Include after cmocka.h's prerequisites. */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake-host.h"
#include "fake-kernel.h"

struct tab_open;
/* The fields a tab line set in its verity or crypt struct, by their
 * names, in field order, joined with spaces (static storage). */
const char *tab_open_given(const struct tab_open *t);
/* Empty files vdd and vde in the fake root as block devices 8:48 and
 * 8:64, their paths in data and hash (512 bytes each): a verity pair. */
void verity_blkdev_pair(char *data, char *hash);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define REQ(nr) (0xc138fd00ul + (nr))
#define KB 1024u

/* main.c, built with -Dmain=dmboot_main. */
int dmboot_main(int argc, char **argv);

struct run_result {
	int rc;
	char *out, *err;
	size_t out_len, err_len;
};
extern struct run_result R;

/* Runs "dmboot ARGS..." with stdin from in (NULL: empty), capturing
 * stdout and stderr into R; fails the test if the run leaked a page
 * buffer. Returns the exit code. */
int run_cmd(const char *in, const char *const *args);
#define RUN(...) run_cmd(NULL, (const char *const[]){__VA_ARGS__, NULL})
#define RUN_IN(in, ...) run_cmd(in, (const char *const[]){__VA_ARGS__, NULL})
/* The same, failing the test with the captured stderr unless exit 0. */
void ok_(int rc, const char *file, int line);
#define RUN_OK(...) ok_(RUN(__VA_ARGS__), __FILE__, __LINE__)
#define RUN_IN_OK(in, ...) ok_(RUN_IN(in, __VA_ARGS__), __FILE__, __LINE__)

/* The standard per-test set-up: a fresh fake kernel (4.47.0, no
 * devices) and a fresh fake host. */
int setup(void **state);
int teardown(void **state);

/* Lines on stderr. */
int err_lines(void);
/* A failed command: exit 1, nothing on stdout, exactly one line on
 * stderr starting with "dmboot: " and containing want (if not NULL). */
void expect_one_error(const char *want);

/* The request sequence is exactly these command numbers. */
void expect_nrs_(const unsigned *nrs, size_t n, const char *file, int line);
#define EXPECT_NRS(...)                                                        \
	do {                                                                   \
		static const unsigned nrs_[] = {__VA_ARGS__};                  \
		expect_nrs_(nrs_, NELEM(nrs_), __FILE__, __LINE__);            \
	} while (0)
#define EXPECT_NO_REQUESTS() assert_int_equal(fk_count(), 0)

/* Request i is command nr with its minimum version, data_start 312, the
 * initial 16 KiB buffer, these flags, name and uuid ("" = empty). */
void expect_req(size_t i, unsigned nr, uint32_t flags, const char *name,
		const char *uuid);

/* Expected minimum version of each command: the kernel's history. */
extern const uint32_t want_minor[FK_NR_COUNT];

/* Reads a little-endian field of a recorded buffer. */
uint32_t rd32_at(const unsigned char *p);
uint64_t rd64_at(const unsigned char *p);

#endif
