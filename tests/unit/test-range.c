/* SPDX-License-Identifier: MIT */
/* The kernel range: nine interface versions from 4.0 (Linux 2.6.x) to
 * 4.50, and for each every command and every gated flag: sent with the
 * command's minimum version where the kernel has it, refused with the
 * documented message where it does not. test-gating.c has the details of
 * each gate; this file is the matrix. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static const uint32_t kernels[] = {0, 5, 12, 27, 37, 41, 45, 47, 50};

#define KEY "00112233445566778899aabbccddeeff"

static void use_kernel(uint32_t minor)
{
	fk_reset();
	host_reset();
	fk_set_version(4, minor, 0);
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	fk_set_table(fk_add_dev("b", NULL), 1, "0 8 zero");
	fk_set_table(fk_find("b"), 0, "0 8 error");
}

struct cmd_case {
	uint32_t need; /* interface minor of its request */
	unsigned nr; /* the request that needs it */
	const char *what; /* the error's second part */
	const char *args[7];
};

/* Every command, each with the newest request it sends. */
static const struct cmd_case cmds[] = {
	{0, FK_VERSION, NULL, {"version"}},
	{0, FK_LIST_DEVICES, NULL, {"ls"}},
	{0, FK_DEV_STATUS, NULL, {"info", "a"}},
	{0, FK_DEV_STATUS, NULL, {"info", "-c"}},
	{0, FK_TABLE_STATUS, NULL, {"table", "a"}},
	{0, FK_TABLE_STATUS, NULL, {"status"}},
	{0, FK_TABLE_DEPS, NULL, {"deps", "a"}},
	{0, FK_TABLE_LOAD, NULL, {"create", "n", "--table", "0 1 zero"}},
	{0, FK_TABLE_LOAD, NULL, {"load", "a", "--table", "0 1 zero"}},
	{0, FK_DEV_SUSPEND, NULL, {"suspend", "a"}},
	{0, FK_DEV_SUSPEND, NULL, {"resume", "b"}},
	{0, FK_TABLE_CLEAR, NULL, {"clear", "b"}},
	{0, FK_DEV_RENAME, NULL, {"rename", "a", "c"}},
	{0, FK_DEV_WAIT, NULL, {"wait", "a"}},
	{0, FK_DEV_REMOVE, NULL, {"remove", "a"}},
	{0, FK_REMOVE_ALL, NULL, {"remove_all"}},
	{0, FK_LIST_DEVICES, NULL, {"mknodes"}},
	{1, FK_LIST_VERSIONS, "list", {"targets"}},
	{2, FK_TARGET_MSG, "a", {"message", "a", "0", "hi"}},
	{6, FK_DEV_SET_GEOMETRY, "a", {"setgeometry", "a", "1", "2", "3", "4"}},
	{41, FK_GET_TARGET_VERSION, "linear", {"target-version", "linear"}},
};

static void test_commands(void **state)
{
	char want[200];
	size_t k, i, j;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		for (i = 0; i < NELEM(cmds); i++) {
			const struct cmd_case *c = &cmds[i];
			const struct fk_rec *r;

			use_kernel(kernels[k]);
			RUN(c->args[0], c->args[1], c->args[2], c->args[3],
			    c->args[4], c->args[5], c->args[6]);
			if (kernels[k] < c->need) {
				snprintf(want, sizeof(want),
					 "dmboot: %s: %s: DM_%s needs 4.%u.0, "
					 "kernel has 4.%u.0\n",
					 c->args[0], c->what, fk_nr_name[c->nr],
					 c->need, kernels[k]);
				expect_one_error(NULL);
				assert_string_equal(R.err, want);
				continue;
			}
			if (R.rc)
				fail_msg("%s on 4.%u: exit %d: %s", c->args[0],
					 kernels[k], R.rc, R.err);
			/* Every request at its command's minimum, never more. */
			for (j = 0; j < fk_count(); j++) {
				r = fk_rec(j);
				assert_true(r->nr < FK_NR_COUNT);
				assert_int_equal(r->hdr.version[1],
						 want_minor[r->nr]);
				assert_true(want_minor[r->nr] <= kernels[k]);
			}
			assert_true(fk_count_nr(c->nr) > 0);
		}
	}
}

struct flag_case {
	uint32_t need;
	uint32_t flag;
	const char *flag_name; /* NULL: dropped below need, never refused */
	unsigned nr; /* the request that carries it */
	const char *what; /* the error's second part */
	const char *args[6];
};

static const struct flag_case flags[] = {
	{12,
	 DM_NOFLUSH_FLAG,
	 "DM_NOFLUSH_FLAG",
	 FK_DEV_SUSPEND,
	 "a",
	 {"suspend", "--noflush", "a"}},
	{12,
	 DM_NOFLUSH_FLAG,
	 "DM_NOFLUSH_FLAG",
	 FK_DEV_SUSPEND,
	 "b",
	 {"resume", "--noflush", "b"}},
	{16,
	 DM_QUERY_INACTIVE_TABLE_FLAG,
	 "DM_QUERY_INACTIVE_TABLE_FLAG",
	 FK_TABLE_STATUS,
	 "b",
	 {"table", "--inactive", "b"}},
	{19,
	 DM_UUID_FLAG,
	 "DM_UUID_FLAG",
	 FK_DEV_RENAME,
	 "a",
	 {"rename", "a", "--setuuid", "U"}},
	{27,
	 DM_DEFERRED_REMOVE_FLAG,
	 "DM_DEFERRED_REMOVE_FLAG",
	 FK_DEV_REMOVE,
	 "a",
	 {"remove", "--deferred", "a"}},
	{20,
	 DM_SECURE_DATA_FLAG,
	 NULL,
	 FK_TABLE_LOAD,
	 NULL,
	 {"create", "c", "--table",
	  "0 8 crypt aes-xts-plain64 " KEY " 0 7:0 0"}},
	{0,
	 DM_SKIP_LOCKFS_FLAG,
	 NULL,
	 FK_DEV_SUSPEND,
	 NULL,
	 {"suspend", "--nolockfs", "a"}},
};

static void test_flags(void **state)
{
	char want[200];
	size_t k, i;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		for (i = 0; i < NELEM(flags); i++) {
			const struct flag_case *f = &flags[i];
			const struct fk_rec *r;

			use_kernel(kernels[k]);
			RUN(f->args[0], f->args[1], f->args[2], f->args[3],
			    f->args[4], f->args[5]);
			if (kernels[k] < f->need && f->flag_name) {
				snprintf(want, sizeof(want),
					 "dmboot: %s: %s: %s needs 4.%u.0, "
					 "kernel has 4.%u.0\n",
					 f->args[0], f->what, f->flag_name,
					 f->need, kernels[k]);
				expect_one_error(NULL);
				assert_string_equal(R.err, want);
				assert_int_equal(fk_count_nr(f->nr), 0);
				continue;
			}
			if (R.rc)
				fail_msg("%s %s on 4.%u: exit %d: %s",
					 f->args[0], f->args[1], kernels[k],
					 R.rc, R.err);
			r = fk_find_nr(f->nr, 0);
			assert_non_null(r);
			/* Sent where the kernel honours it, dropped below. */
			if (kernels[k] >= f->need)
				assert_true(r->hdr.flags & f->flag);
			else
				assert_false(r->hdr.flags & f->flag);
		}
	}
}

/* The kernel's answer to a version it does not speak: 4.x below a
 * command's minimum gets EINVAL; the message names what it lacks, on
 * every old kernel, without a second request. */
static void test_refusal_costs_one_request(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(kernels) && kernels[k] < 41; k++) {
		use_kernel(kernels[k]);
		RUN("target-version", "linear");
		EXPECT_NRS(FK_GET_TARGET_VERSION);
		assert_int_equal(fk_rec(0)->ret, -22);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_commands),
		T(test_flags),
		T(test_refusal_costs_one_request),
#undef T
	};

	return cmocka_run_group_tests_name("kernel range 4.0 to 4.50", tests,
					   NULL, NULL);
}
