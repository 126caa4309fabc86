/* SPDX-License-Identifier: MIT */
/* What the commands print from the kernel's replies, byte for byte in
 * dmsetup's formats (docs: shared/reference/formats.md, dmsetup-facts). */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define EXPECT_OUT(s)                                                          \
	do {                                                                   \
		assert_string_equal(R.out, s);                                 \
		assert_string_equal(R.err, "");                                \
	} while (0)

static void test_ls(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	fk.next_minor = 300;
	fk_add_dev("big-minor", NULL);
	fk_add_dev("c", "UUID-C");
	RUN_OK("ls");
	EXPECT_OUT("a\t(253:0)\nbig-minor\t(253:300)\nc\t(253:301)\n");
}

static void test_ls_empty(void **state)
{
	(void)state;
	RUN_OK("ls");
	EXPECT_OUT("No devices found\n");
	/* Kernels before 4.37 have no event/flags after each name. */
	fk_set_version(4, 20, 0);
	fk_add_dev("a", NULL);
	fk_add_dev("b", NULL);
	RUN_OK("ls");
	EXPECT_OUT("a\t(253:0)\nb\t(253:1)\n");
}

static void test_ls_devname(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	fk_add_dev("b", NULL);
	host_write("sys/devices/virtual/block/dm-0/dm/name", "a\n");
	host_symlink("sys/dev/block/253:0", "../../devices/virtual/block/dm-0");
	RUN_OK("ls", "-o", "blkdevname");
	/* No sysfs entry for b: the numbers, as dmsetup falls back. */
	EXPECT_OUT("a\t(dm-0)\nb\t(253:1)\n");
	RUN_OK("ls", "-o", "blk");
	EXPECT_OUT("a\t(dm-0)\nb\t(253:1)\n");
	RUN_OK("ls", "-o", "devname");
	EXPECT_OUT("a\t(a)\nb\t(253:1)\n");
	RUN_OK("ls", "-o", "devno");
	EXPECT_OUT("a\t(253:0)\nb\t(253:1)\n");
	assert_int_equal(RUN("ls", "-o", "bogus"), 1);
	assert_string_equal(R.out, "");
	assert_non_null(strstr(R.err, "dmboot: ls: "));
}

static void test_info_long(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("a", "LVM-xyz");
	fk_set_table(d, 1, "0 8 linear 7:0 0\n8 8 zero");
	d->open_count = 2;
	d->event_nr = 5;
	RUN_OK("info", "a");
	EXPECT_OUT("Name:              a\n"
		   "State:             ACTIVE\n"
		   "Tables present:    LIVE\n"
		   "Open count:        2\n"
		   "Event number:      5\n"
		   "Major, minor:      253, 0\n"
		   "Number of targets: 2\n"
		   "UUID: LVM-xyz\n"
		   "\n");
}

static void test_info_states(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("s", NULL);
	fk_set_table(d, 1, "0 8 zero");
	d->live.readonly = 1;
	d->suspended = 1;
	d->deferred = 1;
	fk_set_table(d, 0, "0 8 zero");
	fk.next_minor = 1000;
	fk_set_table(fk_add_dev("i", NULL), 0, "0 1 zero");
	fk_add_dev("none", NULL);
	RUN_OK("info", "s", "i", "none");
	EXPECT_OUT(
		"Name:              s\n"
		"State:             SUSPENDED (READ-ONLY) (DEFERRED REMOVE)\n"
		"Tables present:    LIVE & INACTIVE\n"
		"Open count:        0\n"
		"Event number:      0\n"
		"Major, minor:      253, 0\n"
		"Number of targets: 1\n"
		"\n"
		"Name:              i\n"
		"State:             ACTIVE\n"
		"Tables present:    INACTIVE\n"
		"Open count:        0\n"
		"Event number:      0\n"
		"Major, minor:      253, 1000\n"
		"Number of targets: 0\n"
		"\n"
		"Name:              none\n"
		"State:             ACTIVE\n"
		"Tables present:    None\n"
		"Open count:        0\n"
		"Event number:      0\n"
		"Major, minor:      253, 1001\n"
		"Number of targets: 0\n"
		"\n");
}

static void test_info_read_ahead(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	host_write("sys/dev/block/253:0/bdi/read_ahead_kb", "128\n");
	RUN_OK("info");
	EXPECT_OUT("Name:              a\n"
		   "State:             ACTIVE\n"
		   "Read Ahead:        256\n"
		   "Tables present:    LIVE\n"
		   "Open count:        0\n"
		   "Event number:      0\n"
		   "Major, minor:      253, 0\n"
		   "Number of targets: 1\n"
		   "\n");
}

static void test_info_missing(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	RUN("info", "a", "x", "a");
	/* Stops at the first missing name, after printing a. */
	assert_int_equal(R.rc, 1);
	assert_non_null(strstr(R.out, "Name:              a\n"));
	assert_string_equal(R.err, "dmboot: info: x: Device does not exist\n");
	EXPECT_NRS(FK_DEV_STATUS, FK_DEV_STATUS);
}

static void test_no_devices(void **state)
{
	const char *cmds[] = {"info", "table", "status", "deps"};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cmds); i++) {
		RUN_OK(cmds[i]);
		EXPECT_OUT("No devices found\n");
	}
	RUN_OK("info", "-c");
	EXPECT_OUT("No devices found\n");
}

static void test_info_columns(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("a", NULL);
	fk_set_table(d, 1, "0 8 zero");
	d->event_nr = 12;
	d = fk_add_dev("b", "CRYPT-VERITY-0123456789abcdef0123456789abcdef-b");
	fk_set_table(d, 1, "0 8 zero\n8 8 zero");
	fk_set_table(d, 0, "0 8 zero");
	d->live.readonly = 1;
	d->suspended = 1;
	d->open_count = 1;
	fk.next_minor = 1234;
	fk_add_dev("a-much-longer-name", NULL);
	RUN_OK("info", "-c");
	/* Widths: name 18 (longest), uuid 47 (longest), the rest minimum;
	 * numbers right-aligned, strings left, every column padded. */
	EXPECT_OUT("Name               Maj Min  Stat Open Targ Event  UUID     "
		   "                                      \n"
		   "a                  253    0 L--w    0    1     12          "
		   "                                      \n"
		   "b                  253    1 LIsr    1    2      0 "
		   "CRYPT-VERITY-0123456789abcdef0123456789abcdef-b\n"
		   "a-much-longer-name 253 1234 ---w    0    0      0          "
		   "                                      \n");
}

static void test_info_columns_minimum(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	RUN_OK("info", "--columns", "a");
	EXPECT_OUT("Name             Maj Min Stat Open Targ Event  UUID        "
		   "                    \n"
		   "a                253   0 L--w    0    1      0             "
		   "                    \n");
	RUN_OK("info", "-c", "--noheadings", "a");
	EXPECT_OUT("a:253:0:L--w:0:1:0:\n");
	fk_find("a")->event_nr = 7;
	snprintf(fk_find("a")->uuid, DM_UUID_LEN, "U-1");
	RUN_OK("info", "-C", "--noheadings");
	EXPECT_OUT("a:253:0:L--w:0:1:7:U-1\n");
}

static void test_table_single_and_multi(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1,
		     "0 8 linear 7:0 0\n8 4 error\n12 4 zero");
	fk_add_dev("empty", NULL);
	RUN_OK("table", "a");
	/* Always a space after the type, even with no parameters. */
	EXPECT_OUT("0 8 linear 7:0 0\n8 4 error \n12 4 zero \n");
	RUN_OK("table", "empty");
	EXPECT_OUT("\n");
	RUN_OK("table");
	EXPECT_OUT(
		"a: 0 8 linear 7:0 0\na: 8 4 error \na: 12 4 zero \nempty: \n");
	RUN_OK("table", "empty", "a");
	EXPECT_OUT(
		"empty: \na: 0 8 linear 7:0 0\na: 8 4 error \na: 12 4 zero \n");
	RUN_OK("table", "--target", "zero");
	EXPECT_OUT("a: 12 4 zero \n");
}

static void test_table_inactive(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("a", NULL);
	fk_set_table(d, 1, "0 8 zero");
	fk_set_table(d, 0, "0 16 error");
	RUN_OK("table", "--inactive", "a");
	EXPECT_OUT("0 16 error \n");
	RUN_OK("status", "--inactive", "a");
	EXPECT_OUT("0 16 error \n");
}

static void test_table_keys(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("c", NULL);
	fk_set_table(
		d, 1,
		"0 8 crypt aes-xts-plain64 00112233445566778899aabbccddeeff 0 "
		"7:0 0\n"
		"8 8 crypt aes-cbc-essiv:sha256 :32:logon:cryptsetup:x-d0 0 "
		"7:1 0\n"
		"16 8 crypt capi:xts(aes)-plain64 - 0 7:2 0 1 allow_discards\n"
		"24 8 integrity 7:3 0 32 J 2 internal_hash:hmac(sha256):0a0b "
		"journal_crypt:aes:abcd\n"
		"32 8 linear 7:4 0");
	RUN_OK("table", "c");
	EXPECT_OUT(
		"0 8 crypt aes-xts-plain64 00000000000000000000000000000000 0 "
		"7:0 0\n"
		"8 8 crypt aes-cbc-essiv:sha256 :32:logon:cryptsetup:x-d0 0 "
		"7:1 0\n"
		"16 8 crypt capi:xts(aes)-plain64 0 0 7:2 0 1 allow_discards\n"
		"24 8 integrity 7:3 0 32 J 2 internal_hash:hmac(sha256):0000 "
		"journal_crypt:aes:0000\n"
		"32 8 linear 7:4 0\n");
	RUN_OK("table", "--showkeys", "c");
	EXPECT_OUT(
		"0 8 crypt aes-xts-plain64 00112233445566778899aabbccddeeff 0 "
		"7:0 0\n"
		"8 8 crypt aes-cbc-essiv:sha256 :32:logon:cryptsetup:x-d0 0 "
		"7:1 0\n"
		"16 8 crypt capi:xts(aes)-plain64 - 0 7:2 0 1 allow_discards\n"
		"24 8 integrity 7:3 0 32 J 2 internal_hash:hmac(sha256):0a0b "
		"journal_crypt:aes:abcd\n"
		"32 8 linear 7:4 0\n");
	/* status is never masked: it shows what the target reports. */
	fk_reset();
	fk_add_target(fk_add_dev("c", NULL), 1, 0, 8, "crypt",
		      "aes-xts-plain64 0011 0 7:0 0", "");
	RUN_OK("status", "c");
	EXPECT_OUT("0 8 crypt \n");
}

static void test_table_concise(void **state)
{
	struct fk_dev *d;

	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 linear 7:0 0\n8 8 error");
	d = fk_add_dev("b;c", "U,1\\x");
	fk_set_table(d, 1, "0 1 crypt aes-xts-plain64 0a0b 0 7:1 0");
	d->live.readonly = 1;
	fk_add_dev("e", NULL);
	RUN_OK("table", "--concise");
	EXPECT_OUT(
		"a,,0,rw,0 8 linear 7:0 0,8 8 error ;"
		"b\\;c,U\\,1\\\\x,1,ro,0 1 crypt aes-xts-plain64 0000 0 7:1 0;"
		"e,,2,rw\n");
	RUN_OK("table", "--concise", "a");
	EXPECT_OUT("a,,0,rw,0 8 linear 7:0 0,8 8 error \n");
	/* Run twice in one process: no device count carried over. */
	RUN_OK("table", "--concise", "a");
	EXPECT_OUT("a,,0,rw,0 8 linear 7:0 0,8 8 error \n");
}

static void test_status(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("v", NULL);
	fk_add_target(d, 1, 0, 100, "verity",
		      "1 7:0 7:1 4096 4096 12 1 sha256 aa bb", "V");
	fk_add_target(d, 1, 100, 8, "linear", "7:2 0", NULL);
	fk_add_dev("w", NULL);
	RUN_OK("status", "v");
	EXPECT_OUT("0 100 verity V\n100 8 linear \n");
	RUN_OK("status");
	EXPECT_OUT("v: 0 100 verity V\nv: 100 8 linear \nw: \n");
	RUN_OK("status", "--target", "verity", "v");
	EXPECT_OUT("0 100 verity V\n");
	assert_int_equal(RUN("status", "nope"), 1);
	expect_one_error("dmboot: status: nope: Device does not exist");
}

static void test_deps(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("a", NULL);
	d->deps[0] = fk_encode_dev(8, 16);
	d->deps[1] = fk_encode_dev(253, 300);
	d->ndeps = 2;
	fk_add_dev("b", NULL);
	RUN_OK("deps", "a");
	EXPECT_OUT("2 dependencies\t: (8, 16) (253, 300)\n");
	RUN_OK("deps");
	EXPECT_OUT("a: 2 dependencies\t: (8, 16) (253, 300)\nb: 0 "
		   "dependencies\t:\n");
	host_symlink("sys/dev/block/8:16",
		     "../../devices/pci0000:00/block/sdb");
	RUN_OK("deps", "-o", "blkdevname", "a");
	EXPECT_OUT("2 dependencies\t: (sdb) (253, 300)\n");
}

static void test_message_reply(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("m", NULL);
	fk_set_table(d, 1, "0 8 zero");
	d->msg_reply = "answer 42";
	RUN_OK("message", "m", "0", "stats");
	EXPECT_OUT("answer 42\n");
	d = fk_find("m");
	d->msg_reply = "two\nlines\n";
	RUN_OK("message", "m", "0", "stats");
	EXPECT_OUT("two\nlines\n");
	d = fk_find("m");
	d->msg_reply = "";
	RUN_OK("message", "m", "0", "stats");
	EXPECT_OUT("");
	/* The same on a kernel that does not clear secure buffers. */
	fk_set_version(4, 19, 0);
	fk_find("m")->msg_reply = "old";
	RUN_OK("message", "m", "0", "stats");
	EXPECT_OUT("old\n");
}

static void test_targets_and_version(void **state)
{
	(void)state;
	fk.ntargets = 0;
	snprintf(fk.targets[0].name, 16, "a-very-long-nam");
	fk.targets[0].v[0] = 10;
	fk.targets[0].v[1] = 200;
	fk.targets[0].v[2] = 3000;
	fk.ntargets = 1;
	RUN_OK("targets");
	EXPECT_OUT("a-very-long-nam  v10.200.3000\n");
	RUN_OK("target-version", "a-very-long-nam");
	EXPECT_OUT("a-very-long-nam  v10.200.3000\n");
	assert_int_equal(RUN("target-version", "nosuch"), 1);
	expect_one_error("dmboot: target-version: nosuch: Invalid argument");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_ls),
		T(test_ls_empty),
		T(test_ls_devname),
		T(test_info_long),
		T(test_info_states),
		T(test_info_read_ahead),
		T(test_info_missing),
		T(test_no_devices),
		T(test_info_columns),
		T(test_info_columns_minimum),
		T(test_table_single_and_multi),
		T(test_table_inactive),
		T(test_table_keys),
		T(test_table_concise),
		T(test_status),
		T(test_deps),
		T(test_message_reply),
		T(test_targets_and_version),
	};

	return cmocka_run_group_tests_name("output: replies decoded", tests,
					   NULL, NULL);
}
