/* SPDX-License-Identifier: MIT */
/* Version gating: flags an older kernel would silently ignore are refused
 * or dropped according to the version replies report, asking DM_VERSION
 * only when no reply has told it yet; commands newer than the kernel give
 * an error that names them. */
#include "harness.h"
#include "fake-sys.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static const uint32_t kernels[][3] = {
	{4, 0, 0}, {4, 12, 0}, {4, 20, 0}, {4, 47, 0}, {4, 50, 0},
};

#define CRYPT_KEY "00112233445566778899aabbccddeeff"
#define CRYPT_TABLE "0 8 crypt aes-xts-plain64 " CRYPT_KEY " 0 7:0 0"

static void use_kernel(size_t i)
{
	fk_reset();
	host_reset();
	fk_set_version(kernels[i][0], kernels[i][1], kernels[i][2]);
	fk_add_dev("a", NULL);
	fk_set_table(fk_find("a"), 1, "0 8 zero");
}

static void expect_refused(const char *cmd, const char *flag, uint32_t need,
			   size_t k)
{
	char want[160];

	snprintf(want, sizeof(want),
		 "dmboot: %s: a: %s needs 4.%u.0, kernel has 4.%u.0\n", cmd,
		 flag, need, kernels[k][1]);
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, want);
	/* Asked, then nothing sent. */
	EXPECT_NRS(FK_VERSION);
}

static void test_suspend_noflush(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		use_kernel(k);
		fk_add_dev("b", NULL);
		RUN("suspend", "--noflush", "a", "b");
		if (kernels[k][1] < 12) {
			expect_refused("suspend", "DM_NOFLUSH_FLAG", 12, k);
			assert_false(fk_find("a")->suspended);
			continue;
		}
		assert_int_equal(R.rc, 0);
		/* One question for both devices. */
		EXPECT_NRS(FK_VERSION, FK_DEV_SUSPEND, FK_DEV_SUSPEND);
		expect_req(1, FK_DEV_SUSPEND, DM_SUSPEND_FLAG | DM_NOFLUSH_FLAG,
			   "a", "");
		expect_req(2, FK_DEV_SUSPEND, DM_SUSPEND_FLAG | DM_NOFLUSH_FLAG,
			   "b", "");
	}
}

static void test_resume_and_wait_noflush(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		use_kernel(k);
		RUN("resume", "a", "--noflush");
		if (kernels[k][1] < 12) {
			expect_refused("resume", "DM_NOFLUSH_FLAG", 12, k);
		} else {
			assert_int_equal(R.rc, 0);
			EXPECT_NRS(FK_VERSION, FK_DEV_SUSPEND);
			expect_req(1, FK_DEV_SUSPEND, DM_NOFLUSH_FLAG, "a", "");
		}
		use_kernel(k);
		RUN("wait", "--noflush", "a", "3");
		if (kernels[k][1] < 12) {
			expect_refused("wait", "DM_NOFLUSH_FLAG", 12, k);
		} else {
			assert_int_equal(R.rc, 0);
			EXPECT_NRS(FK_VERSION, FK_DEV_WAIT);
			expect_req(1, FK_DEV_WAIT, DM_NOFLUSH_FLAG, "a", "");
		}
	}
}

static void test_remove_deferred(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		use_kernel(k);
		fk_find("a")->open_count = 1;
		RUN("remove", "--deferred", "a");
		if (kernels[k][1] < 27) {
			expect_refused("remove", "DM_DEFERRED_REMOVE_FLAG", 27,
				       k);
			assert_false(fk_find("a")->deferred);
			continue;
		}
		assert_int_equal(R.rc, 0);
		EXPECT_NRS(FK_VERSION, FK_DEV_REMOVE);
		expect_req(1, FK_DEV_REMOVE, DM_DEFERRED_REMOVE_FLAG, "a", "");
		assert_true(fk_find("a")->deferred);
		/* Deferred: the node stays until the kernel removes it. */
		assert_int_equal(host.nops, 0);
	}
	use_kernel(0);
	RUN("remove_all", "--deferred");
	assert_int_equal(R.rc, 1);
	assert_string_equal(
		R.err,
		"dmboot: remove_all: remove_all: DM_DEFERRED_REMOVE_FLAG "
		"needs 4.27.0, kernel has 4.0.0\n");
	EXPECT_NRS(FK_VERSION);
}

static void test_rename_setuuid(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		use_kernel(k);
		RUN("rename", "a", "--setuuid", "U-1");
		if (kernels[k][1] < 19) {
			expect_refused("rename", "DM_UUID_FLAG", 19, k);
			assert_string_equal(fk_find("a")->uuid, "");
			continue;
		}
		assert_int_equal(R.rc, 0);
		EXPECT_NRS(FK_VERSION, FK_DEV_RENAME);
		expect_req(1, FK_DEV_RENAME, DM_UUID_FLAG, "a", "");
		assert_string_equal(fk_find("a")->uuid, "U-1");
	}
}

static void test_table_inactive(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		use_kernel(k);
		RUN("table", "--inactive", "a");
		if (kernels[k][1] < 16) {
			expect_refused("table", "DM_QUERY_INACTIVE_TABLE_FLAG",
				       16, k);
			continue;
		}
		assert_int_equal(R.rc, 0);
		EXPECT_NRS(FK_VERSION, FK_TABLE_STATUS);
		expect_req(1, FK_TABLE_STATUS,
			   DM_STATUS_TABLE_FLAG | DM_QUERY_INACTIVE_TABLE_FLAG,
			   "a", "");
		/* With no name, the list's reply tells the version. */
		use_kernel(k);
		RUN_OK("status", "--inactive");
		EXPECT_NRS(FK_LIST_DEVICES, FK_TABLE_STATUS);
		expect_req(1, FK_TABLE_STATUS, DM_QUERY_INACTIVE_TABLE_FLAG,
			   "a", "");
	}
}

static void test_secure_data_crypt(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		uint32_t want = kernels[k][1] >= 20 ? DM_SECURE_DATA_FLAG : 0;

		use_kernel(k);
		/* DEV_CREATE's reply told the version: no question. */
		RUN_OK("create", "c", "--table", CRYPT_TABLE);
		EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND);
		expect_req(1, FK_TABLE_LOAD, want, "c", "");
		assert_int_equal(fk.secure_clears, want ? 1 : 0);
		/* load alone does not ask: the flag goes as is, and a
		 * kernel before 4.20 ignores it. */
		use_kernel(k);
		RUN_OK("load", "a", "--table", CRYPT_TABLE);
		EXPECT_NRS(FK_TABLE_LOAD);
		expect_req(0, FK_TABLE_LOAD, DM_SECURE_DATA_FLAG, "a", "");
		/* Not a crypt table: no flag and no question. */
		use_kernel(k);
		RUN_OK("load", "a", "--table", "0 8 linear 7:0 0");
		EXPECT_NRS(FK_TABLE_LOAD);
		expect_req(0, FK_TABLE_LOAD, 0, "a", "");
	}
}

/* No gated flag: nothing but the command's own requests, on any kernel
 * that has the command. */
static void test_no_extra_version(void **state)
{
	static const char *const cmds[][4] = {
		{"info", "a"},
		{"info"},
		{"ls"},
		{"table", "a"},
		{"status"},
		{"deps", "a"},
		{"suspend", "a"},
		{"resume", "a"},
		{"clear", "a"},
		{"wait", "a"},
		{"info", "-c"},
		{"remove", "a"},
		{"remove_all"},
		{"mknodes", "a"},
		{"rename", "a", "b"},
		{"create", "n", "--table", "0 1 zero"},
	};
	size_t k, i;

	(void)state;
	for (k = 0; k < NELEM(kernels); k++) {
		for (i = 0; i < NELEM(cmds); i++) {
			use_kernel(k);
			RUN_OK(cmds[i][0], cmds[i][1], cmds[i][2], cmds[i][3]);
			if (fk_count_nr(FK_VERSION))
				fail_msg("%s on 4.%u sent DM_VERSION",
					 cmds[i][0], kernels[k][1]);
		}
	}
}

static void test_too_new_einval(void **state)
{
	(void)state;
	fk_set_version(4, 0, 0);
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	RUN("message", "a", "0", "hi");
	expect_one_error(NULL);
	assert_string_equal(R.err, "dmboot: message: a: DM_TARGET_MSG needs "
				   "4.2.0, kernel has 4.0.0\n");
	/* The refused request: sent with its minimum, 4.2.0, and answered
	 * EINVAL by check_version (the secure flag costs no question). */
	EXPECT_NRS(FK_TARGET_MSG);
	expect_req(0, FK_TARGET_MSG, DM_SECURE_DATA_FLAG, "a", "");
	assert_int_equal(fk_rec(0)->ret, -22);

	RUN("target-version", "linear");
	assert_string_equal(
		R.err,
		"dmboot: target-version: linear: "
		"DM_GET_TARGET_VERSION needs 4.41.0, kernel has 4.0.0\n");
	fk_set_version(4, 40, 0);
	RUN("target-version", "linear");
	assert_string_equal(
		R.err,
		"dmboot: target-version: linear: "
		"DM_GET_TARGET_VERSION needs 4.41.0, kernel has 4.40.0\n");
	RUN("setgeometry", "a", "1", "2", "3", "4");
	assert_int_equal(R.rc, 0);
	fk_set_version(4, 5, 9);
	RUN("setgeometry", "a", "1", "2", "3", "4");
	assert_string_equal(
		R.err, "dmboot: setgeometry: a: "
		       "DM_DEV_SET_GEOMETRY needs 4.6.0, kernel has 4.5.9\n");
	fk_set_version(4, 0, 0);
	RUN("targets");
	assert_string_equal(R.err,
			    "dmboot: targets: list: "
			    "DM_LIST_VERSIONS needs 4.1.0, kernel has 4.0.0\n");
}

static void test_too_new_enotty(void **state)
{
	(void)state;
	/* A kernel that lets any 4.x through but lacks the command. */
	fk_set_version(4, 0, 0);
	fk.no_version_check = 1;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	RUN("message", "a", "0", "hi");
	assert_string_equal(R.err, "dmboot: message: a: DM_TARGET_MSG needs "
				   "4.2.0, kernel has 4.0.0\n");
	assert_int_equal(fk_rec(fk_count() - 1)->ret, -25);
}

static void test_einval_not_too_new(void **state)
{
	(void)state;
	/* EINVAL from a kernel that has the command is just EINVAL. */
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	RUN("message", "a", "100", "hi"); /* sector outside the device */
	expect_one_error(NULL);
	assert_string_equal(R.err, "dmboot: message: a: Invalid argument\n");
	/* Another major version: too new, whatever the minor. */
	fk_set_version(5, 0, 0);
	RUN("info", "a");
	assert_string_equal(R.err, "dmboot: info: a: DM_DEV_STATUS needs "
				   "4.0.0, kernel has 5.0.0\n");
}

/* dm-verity's own versions: an option the target is too old for is
 * refused by name (the target's version, not the interface's), before
 * any device exists. */
static void verity_at(uint32_t minor)
{
	size_t i;

	for (i = 0; i < fk.ntargets; i++)
		if (!strcmp(fk.targets[i].name, "verity"))
			fk.targets[i].v[1] = minor;
}

static void test_verity_target_gates(void **state)
{
	static const char root[] = "0123456789abcdef0123456789abcdef"
				   "0123456789abcdef0123456789abcdef";
	static const struct {
		uint32_t minor;
		const char *opt, *want;
	} cases[] = {
		{2, "--ignore-corruption",
		 "--ignore-corruption: needs "
		 "dm-verity 1.3.0, kernel has 1.2.0"},
		{3, "--check-at-most-once",
		 "--check-at-most-once: needs "
		 "dm-verity 1.4.0, kernel has 1.3.0"},
		{6, "--panic-on-corruption",
		 "--panic-on-corruption: needs "
		 "dm-verity 1.7.0, kernel has 1.6.0"},
		{8, "--use-tasklets",
		 "--use-tasklets: needs dm-verity 1.9.0, "
		 "kernel has 1.8.0"},
		{9, "--use-tasklets", NULL},
	};
	char data[512], hash[512], want[160];
	size_t i;

	(void)state;
	fsys_reset();
	verity_blkdev_pair(data, hash);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		fk_reset();
		verity_at(cases[i].minor);
		RUN("verity", "open", "--no-superblock", "--data-blocks", "8",
		    "--no-root-hash-check", cases[i].opt, data, "v", hash,
		    root);
		if (!cases[i].want) {
			assert_int_equal(R.rc, 0);
			assert_non_null(fk_find("v"));
			continue;
		}
		snprintf(want, sizeof(want), "dmboot: verity: %s\n",
			 cases[i].want);
		assert_string_equal(R.err, want);
		assert_int_equal(R.rc, 1);
		assert_null(fk_find("v"));
		/* Its version, then the target's: nothing created. */
		EXPECT_NRS(FK_VERSION, FK_GET_TARGET_VERSION);
	}
	fsys_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_suspend_noflush),     T(test_resume_and_wait_noflush),
		T(test_remove_deferred),     T(test_rename_setuuid),
		T(test_table_inactive),	     T(test_secure_data_crypt),
		T(test_no_extra_version),    T(test_too_new_einval),
		T(test_too_new_enotty),	     T(test_einval_not_too_new),
		T(test_verity_target_gates),
	};

	return cmocka_run_group_tests_name("version gating", tests, NULL, NULL);
}
