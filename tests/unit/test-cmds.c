/* SPDX-License-Identifier: MIT */
/* Every command of the command line: the exact requests it sends, byte
 * for byte, on a kernel that needs nothing special (4.47.0). */
#include "harness.h"

#include <stdio.h>
#include <string.h>

/* A TABLE_LOAD spec at p: fields, type NUL-padded, params NUL-terminated,
 * next the 8-aligned offset to the following spec. Returns the next spec. */
static const unsigned char *check_spec(const unsigned char *p, uint64_t start,
				       uint64_t len, const char *type,
				       const char *params)
{
	uint32_t next = (uint32_t)((40 + strlen(params) + 1 + 7) & ~7u);
	char want_type[16] = {0};
	size_t i;

	memcpy(want_type, type, strlen(type));
	assert_int_equal(rd64_at(p), start);
	assert_int_equal(rd64_at(p + 8), len);
	assert_int_equal(rd32_at(p + 16), 0); /* status */
	assert_int_equal(rd32_at(p + 20), next);
	assert_memory_equal(p + 24, want_type, 16);
	assert_string_equal((const char *)p + 40, params);
	for (i = 40 + strlen(params); i < next; i++)
		assert_int_equal(p[i], 0); /* padding */
	return p + next;
}

static void expect_zero_from(const struct fk_rec *r, const unsigned char *p)
{
	size_t i;

	for (i = (size_t)(p - r->buf); i < r->len; i++)
		if (r->buf[i])
			fail_msg("byte %zu of the request is %#x, want 0", i,
				 r->buf[i]);
}

static void expect_ops(const char *const *want, int n)
{
	int i;

	assert_int_equal(host.nops, n);
	for (i = 0; i < n; i++)
		assert_string_equal(host.ops[i], want[i]);
}

static void test_version(void **state)
{
	(void)state;
	fk_set_version(4, 48, 1);
	RUN_OK("version");
	assert_string_equal(R.out, "Library version:   dmboot " DMBOOT_VERSION
				   "\nDriver version:    4.48.1\n");
	assert_string_equal(R.err, "");
	EXPECT_NRS(FK_VERSION);
	expect_req(0, FK_VERSION, 0, "", "");
	expect_zero_from(fk_rec(0), fk_rec(0)->buf + 312);
}

static void test_targets(void **state)
{
	(void)state;
	RUN_OK("targets");
	EXPECT_NRS(FK_LIST_VERSIONS);
	expect_req(0, FK_LIST_VERSIONS, 0, "", "");
	assert_string_equal(R.out, "crypt            v1.24.0\n"
				   "striped          v1.6.0\n"
				   "linear           v1.4.0\n"
				   "error            v1.6.0\n"
				   "zero             v1.2.0\n"
				   "verity           v1.9.0\n"
				   "integrity        v1.10.0\n");
}

static void test_target_version(void **state)
{
	(void)state;
	RUN_OK("target-version", "linear", "crypt");
	EXPECT_NRS(FK_GET_TARGET_VERSION, FK_GET_TARGET_VERSION);
	expect_req(0, FK_GET_TARGET_VERSION, 0, "linear", "");
	expect_req(1, FK_GET_TARGET_VERSION, 0, "crypt", "");
	assert_string_equal(R.out, "linear           v1.4.0\n"
				   "crypt            v1.24.0\n");
}

static void test_create(void **state)
{
	static const char *const ops[] = {"unlink x", "mkdir 0755",
					  "mknod x b 253:0 0600"};
	const unsigned char *p;
	const struct fk_rec *r;

	(void)state;
	RUN_OK("create", "x", "--table", "0 100 linear 8:1 0\n100 50 zero");
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND);
	expect_req(0, FK_DEV_CREATE, 0, "x", "");
	assert_int_equal(fk_rec(0)->hdr.dev, 0);
	expect_zero_from(fk_rec(0), fk_rec(0)->buf + 312);
	expect_req(1, FK_TABLE_LOAD, 0, "x", "");
	r = fk_rec(1);
	assert_int_equal(r->hdr.target_count, 2);
	p = check_spec(r->buf + 312, 0, 100, "linear", "8:1 0");
	assert_ptr_equal(p, r->buf + 312 + 48);
	p = check_spec(p, 100, 50, "zero", "");
	expect_zero_from(r, p);
	expect_req(2, FK_DEV_SUSPEND, 0, "x", "");
	/* The device is live, and /dev/mapper/x made as libdevmapper does. */
	assert_int_equal(fk_find("x")->live.n, 2);
	assert_false(fk_find("x")->suspended);
	expect_ops(ops, 3);
}

static void test_create_options(void **state)
{
	(void)state;
	RUN_OK("create", "-r", "--uuid", "CRYPT-PLAIN-y", "-j", "253", "-m",
	       "300", "y", "--table", "0 8 error");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND);
	expect_req(0, FK_DEV_CREATE, DM_PERSISTENT_DEV_FLAG, "y",
		   "CRYPT-PLAIN-y");
	/* huge_encode_dev(253:300): minor's low byte, major, minor's rest. */
	assert_int_equal(fk_rec(0)->hdr.dev, 0x10fd2cu);
	assert_int_equal(fk_rec(0)->hdr.dev, fk_encode_dev(253, 300));
	/* Read-only goes with the table, not with the create. */
	expect_req(1, FK_TABLE_LOAD, DM_READONLY_FLAG, "y", "");
	check_spec(fk_rec(1)->buf + 312, 0, 8, "error", "");
	expect_req(2, FK_DEV_SUSPEND, 0, "y", "");
	assert_string_equal(host.ops[2], "mknod y b 253:300 0600");
}

static void test_create_notable(void **state)
{
	(void)state;
	RUN_OK("create", "--notable", "z");
	EXPECT_NRS(FK_DEV_CREATE);
	expect_req(0, FK_DEV_CREATE, 0, "z", "");
	assert_int_equal(host.nops, 0);
}

static void test_create_stdin_and_file(void **state)
{
	char path[512];
	FILE *f;

	(void)state;
	RUN_IN_OK("  0 16 zero  \n# comment\n\n", "create", "s");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND);
	check_spec(fk_rec(1)->buf + 312, 0, 16, "zero", "");
	assert_int_equal(fk_rec(1)->hdr.target_count, 1);

	snprintf(path, sizeof(path), "%s/table", host.root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("0 10 linear 8:16 2048\t \n", f);
	fclose(f);
	fk_reset();
	RUN_OK("create", "f", path);
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND);
	check_spec(fk_rec(1)->buf + 312, 0, 10, "linear", "8:16 2048");
}

static void test_load_reload(void **state)
{
	const char *cmds[] = {"load", "reload"};
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		fk_reset();
		fk_add_dev("d", NULL);
		RUN_OK(cmds[i], "d", "-r", "--table",
		       "0 1 linear 7:0 0\n1 2 linear 7:1 0\n"
		       "3 3 linear 7:2 0");
		EXPECT_NRS(FK_TABLE_LOAD);
		expect_req(0, FK_TABLE_LOAD, DM_READONLY_FLAG, "d", "");
		assert_int_equal(fk_rec(0)->hdr.target_count, 3);
		expect_zero_from(
			fk_rec(0),
			check_spec(
				check_spec(check_spec(fk_rec(0)->buf + 312, 0,
						      1, "linear", "7:0 0"),
					   1, 2, "linear", "7:1 0"),
				3, 3, "linear", "7:2 0"));
		assert_true(fk_find("d")->inactive.present);
		assert_false(fk_find("d")->live.present);
		assert_int_equal(host.nops, 0);
	}
}

static void test_resume(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	fk_add_dev("b", NULL)->suspended = 1;
	RUN_OK("resume", "a", "b", "--nolockfs");
	EXPECT_NRS(FK_DEV_SUSPEND, FK_DEV_SUSPEND);
	expect_req(0, FK_DEV_SUSPEND, DM_SKIP_LOCKFS_FLAG, "a", "");
	expect_req(1, FK_DEV_SUSPEND, DM_SKIP_LOCKFS_FLAG, "b", "");
	assert_false(fk_find("b")->suspended);
	assert_int_equal(host.nops, 6);
	assert_string_equal(host.ops[2], "mknod a b 253:0 0600");
	assert_string_equal(host.ops[5], "mknod b b 253:1 0600");
}

static void test_suspend(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	RUN_OK("suspend", "a");
	EXPECT_NRS(FK_DEV_SUSPEND);
	expect_req(0, FK_DEV_SUSPEND, DM_SUSPEND_FLAG, "a", "");
	assert_true(fk_find("a")->suspended);
	fk_reset();
	fk_add_dev("a", NULL);
	RUN_OK("suspend", "--nolockfs", "a");
	expect_req(0, FK_DEV_SUSPEND, DM_SUSPEND_FLAG | DM_SKIP_LOCKFS_FLAG,
		   "a", "");
	assert_int_equal(host.nops, 0);
}

static void test_remove(void **state)
{
	static const char *const ops[] = {"unlink a", "unlink b"};

	(void)state;
	fk_add_dev("a", NULL);
	fk_add_dev("b", NULL);
	RUN_OK("remove", "a", "b");
	EXPECT_NRS(FK_DEV_REMOVE, FK_DEV_REMOVE);
	expect_req(0, FK_DEV_REMOVE, 0, "a", "");
	expect_req(1, FK_DEV_REMOVE, 0, "b", "");
	assert_int_equal(fk.ndevs, 0);
	expect_ops(ops, 2);
}

static void test_remove_all(void **state)
{
	char text[64];

	(void)state;
	fk_add_dev("a", NULL);
	fk_add_dev("busy", NULL)->open_count = 1;
	host_write("mapper/a", "stale");
	RUN_OK("remove_all");
	/* Then /dev/mapper is made to match what is left. */
	EXPECT_NRS(FK_REMOVE_ALL, FK_LIST_DEVICES);
	expect_req(0, FK_REMOVE_ALL, 0, "", "");
	expect_req(1, FK_LIST_DEVICES, 0, "", "");
	assert_int_equal(fk.ndevs, 1);
	assert_false(host_node("a", text, sizeof(text)));
	assert_true(host_node("busy", text, sizeof(text)));
	assert_string_equal(text, "b 253:1 0600");
}

static void test_info(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	RUN_OK("info", "a");
	EXPECT_NRS(FK_DEV_STATUS);
	expect_req(0, FK_DEV_STATUS, 0, "a", "");

	fk_reset();
	fk_add_dev("a", NULL);
	fk_add_dev("b", NULL);
	RUN_OK("info");
	EXPECT_NRS(FK_LIST_DEVICES, FK_DEV_STATUS, FK_DEV_STATUS);
	expect_req(0, FK_LIST_DEVICES, 0, "", "");
	expect_req(1, FK_DEV_STATUS, 0, "a", "");
	expect_req(2, FK_DEV_STATUS, 0, "b", "");
}

static void test_info_columns(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	fk_add_dev("b", NULL);
	RUN_OK("info", "-c", "b", "a");
	EXPECT_NRS(FK_DEV_STATUS, FK_DEV_STATUS);
	expect_req(0, FK_DEV_STATUS, 0, "b", "");
	expect_req(1, FK_DEV_STATUS, 0, "a", "");
	fk_reset();
	fk_add_dev("a", NULL);
	RUN_OK("info", "-C");
	EXPECT_NRS(FK_LIST_DEVICES, FK_DEV_STATUS);
}

static void test_ls(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	RUN_OK("ls");
	EXPECT_NRS(FK_LIST_DEVICES);
	expect_req(0, FK_LIST_DEVICES, 0, "", "");
	assert_string_equal(R.out, "a\t(253:0)\n");
}

static void test_ls_target(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 linear 7:0 0");
	fk_set_table(fk_add_dev("c", NULL), 1, "0 8 zero\n8 8 crypt x");
	fk_add_dev("none", NULL);
	RUN_OK("ls", "--target", "crypt");
	EXPECT_NRS(FK_LIST_DEVICES, FK_TABLE_STATUS, FK_TABLE_STATUS,
		   FK_TABLE_STATUS);
	/* status, not table: the flags are those of dmsetup's status. */
	expect_req(1, FK_TABLE_STATUS, 0, "a", "");
	expect_req(2, FK_TABLE_STATUS, 0, "c", "");
	expect_req(3, FK_TABLE_STATUS, 0, "none", "");
	assert_string_equal(R.out, "c\t(253, 1)\n");
}

static void test_table_status(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 linear 7:0 0");
	RUN_OK("table", "a");
	EXPECT_NRS(FK_TABLE_STATUS);
	expect_req(0, FK_TABLE_STATUS, DM_STATUS_TABLE_FLAG, "a", "");
	RUN_OK("status", "a");
	EXPECT_NRS(FK_TABLE_STATUS, FK_TABLE_STATUS);
	expect_req(1, FK_TABLE_STATUS, 0, "a", "");
	fk_reset();
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 linear 7:0 0");
	fk_add_dev("b", NULL);
	RUN_OK("table");
	EXPECT_NRS(FK_LIST_DEVICES, FK_TABLE_STATUS, FK_TABLE_STATUS);
	expect_req(2, FK_TABLE_STATUS, DM_STATUS_TABLE_FLAG, "b", "");
}

static void test_deps(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	RUN_OK("deps", "a");
	EXPECT_NRS(FK_TABLE_DEPS);
	expect_req(0, FK_TABLE_DEPS, 0, "a", "");
}

static void test_message(void **state)
{
	const unsigned char *p;

	(void)state;
	fk_set_table(fk_add_dev("m", NULL), 1, "0 100 zero\n100 100 zero");
	RUN_OK("message", "m", "150", "key", "wipe");
	/* DM_SECURE_DATA_FLAG (4.20) is sent without asking the version:
	 * an older kernel ignores the bit, and nothing depends on it. */
	EXPECT_NRS(FK_TARGET_MSG);
	expect_req(0, FK_TARGET_MSG, DM_SECURE_DATA_FLAG, "m", "");
	p = fk_payload(fk_rec(0));
	assert_int_equal(rd64_at(p), 150);
	assert_string_equal((const char *)p + 8, "key wipe");
	expect_zero_from(fk_rec(0), p + 8 + 9);
	assert_int_equal(fk_find("m")->msg_sector, 150);
	assert_string_equal(fk_find("m")->msg, "key wipe");
	assert_string_equal(R.out, "");
}

static void test_rename(void **state)
{
	static const char *const ops[] = {"rename a b"};

	(void)state;
	fk_add_dev("a", NULL);
	host_write("mapper/a", "b 253:0 0600");
	RUN_OK("rename", "a", "b");
	EXPECT_NRS(FK_DEV_RENAME);
	expect_req(0, FK_DEV_RENAME, 0, "a", "");
	assert_string_equal((const char *)fk_payload(fk_rec(0)), "b");
	expect_zero_from(fk_rec(0), fk_payload(fk_rec(0)) + 2);
	assert_non_null(fk_find("b"));
	expect_ops(ops, 1);
}

static void test_rename_setuuid(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	RUN_OK("rename", "a", "--setuuid", "UUID-1");
	EXPECT_NRS(FK_VERSION, FK_DEV_RENAME);
	expect_req(1, FK_DEV_RENAME, DM_UUID_FLAG, "a", "");
	assert_string_equal((const char *)fk_payload(fk_rec(1)), "UUID-1");
	expect_zero_from(fk_rec(1), fk_payload(fk_rec(1)) + 7);
	assert_string_equal(fk_find("a")->uuid, "UUID-1");
	assert_int_equal(host.nops, 0);
}

static void test_clear(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 0, "0 1 zero");
	RUN_OK("clear", "a");
	EXPECT_NRS(FK_TABLE_CLEAR);
	expect_req(0, FK_TABLE_CLEAR, 0, "a", "");
	assert_false(fk_find("a")->inactive.present);
}

static void test_wait(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	RUN_OK("wait", "a", "7");
	EXPECT_NRS(FK_DEV_WAIT);
	expect_req(0, FK_DEV_WAIT, 0, "a", "");
	assert_int_equal(fk_rec(0)->hdr.event_nr, 7);
	assert_string_equal(R.out, "");
	RUN_OK("wait", "a");
	assert_int_equal(fk_rec(1)->hdr.event_nr, 0);
}

static void test_mknodes(void **state)
{
	char text[64];

	(void)state;
	fk_add_dev("a", NULL);
	RUN_OK("mknodes", "a", "gone");
	EXPECT_NRS(FK_DEV_STATUS, FK_DEV_STATUS);
	expect_req(0, FK_DEV_STATUS, 0, "a", "");
	expect_req(1, FK_DEV_STATUS, 0, "gone", "");
	assert_true(host_node("a", text, sizeof(text)));
	assert_string_equal(text, "b 253:0 0600");
	assert_string_equal(host.ops[host.nops - 1], "unlink gone");

	/* No name: every listed device gets a node, stale ones go. */
	fk_reset();
	fk_add_dev("b", NULL);
	host_write("mapper/stale", "x");
	host_write("mapper/control", "c 10:236");
	RUN_OK("mknodes");
	EXPECT_NRS(FK_LIST_DEVICES);
	assert_false(host_node("stale", text, sizeof(text)));
	assert_true(host_node("control", text, sizeof(text)));
	assert_true(host_node("b", text, sizeof(text)));
	assert_string_equal(text, "b 253:0 0600");
}

static void test_udev_running_no_nodes(void **state)
{
	(void)state;
	host.udev_running = 1;
	RUN_OK("create", "x", "--table", "0 1 zero");
	RUN_OK("remove", "x");
	assert_int_equal(host.nops, 0);
}

static void test_setgeometry(void **state)
{
	(void)state;
	fk_add_dev("g", NULL);
	RUN_OK("setgeometry", "g", "1024", "255", "63", "0");
	EXPECT_NRS(FK_DEV_SET_GEOMETRY);
	expect_req(0, FK_DEV_SET_GEOMETRY, 0, "g", "");
	assert_string_equal((const char *)fk_payload(fk_rec(0)),
			    "1024 255 63 0");
	expect_zero_from(fk_rec(0), fk_payload(fk_rec(0)) + 14);
	assert_string_equal(fk_find("g")->geometry, "1024 255 63 0");
}

static void test_help(void **state)
{
	(void)state;
	RUN_OK("help");
	assert_string_equal(R.out, "");
	assert_non_null(strstr(R.err, "\tcreate NAME"));
	assert_non_null(strstr(R.err, "\ttarget-version TARGET_TYPE..."));
	EXPECT_NO_REQUESTS();
	RUN_OK("--version");
	assert_string_equal(R.out, DMBOOT_VERSION "\n");
	EXPECT_NO_REQUESTS();
	assert_int_equal(RUN(NULL), 1); /* no command: usage, exit 1 */
	assert_non_null(strstr(R.err, "Usage:"));
	EXPECT_NO_REQUESTS();
}

static void test_options_anywhere(void **state)
{
	(void)state;
	/* getopt permutes: options after the arguments, "--" ends them,
	 * "--opt=value", clustered short options. */
	fk_add_dev("-dash", NULL);
	RUN_OK("suspend", "--", "-dash");
	expect_req(0, FK_DEV_SUSPEND, DM_SUSPEND_FLAG, "-dash", "");
	RUN_OK("create", "u", "--table=0 1 zero", "-ru", "U1");
	expect_req(1, FK_DEV_CREATE, 0, "u", "U1");
	expect_req(2, FK_TABLE_LOAD, DM_READONLY_FLAG, "u", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_version),
		T(test_targets),
		T(test_target_version),
		T(test_create),
		T(test_create_options),
		T(test_create_notable),
		T(test_create_stdin_and_file),
		T(test_load_reload),
		T(test_resume),
		T(test_suspend),
		T(test_remove),
		T(test_remove_all),
		T(test_info),
		T(test_info_columns),
		T(test_ls),
		T(test_ls_target),
		T(test_table_status),
		T(test_deps),
		T(test_message),
		T(test_rename),
		T(test_rename_setuuid),
		T(test_clear),
		T(test_wait),
		T(test_mknodes),
		T(test_udev_running_no_nodes),
		T(test_setgeometry),
		T(test_help),
		T(test_options_anywhere),
	};

	return cmocka_run_group_tests_name("commands: requests sent", tests,
					   NULL, NULL);
}
