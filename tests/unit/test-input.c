/* SPDX-License-Identifier: MIT */
/* Bad input is refused before anything reaches the kernel. */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = 0;
	return buf;
}

/* exit 1, one line on stderr containing want, nothing sent. */
static void refused(const char *want)
{
	expect_one_error(want);
	EXPECT_NO_REQUESTS();
}

static void test_name_length(void **state)
{
	char name[200];

	(void)state;
	RUN("create", repeat(name, 'n', 128), "--table", "0 8 zero");
	refused("File name too long");
	/* 127 is the longest the header holds with its NUL. */
	RUN_OK("create", repeat(name, 'n', 127), "--table", "0 8 zero");
	expect_req(0, FK_DEV_CREATE, 0, name, "");
	fk_reset();
	/* Commands that take an existing name refuse before sending too. */
	RUN("suspend", repeat(name, 's', 128));
	refused("File name too long");
	RUN("info", repeat(name, 'i', 199));
	refused("File name too long");
}

static void test_uuid_length(void **state)
{
	char uuid[200];

	(void)state;
	RUN("create", "x", "-u", repeat(uuid, 'u', 129), "--table", "0 8 zero");
	refused("File name too long");
	RUN_OK("create", "x", "-u", repeat(uuid, 'u', 128), "--table",
	       "0 8 zero");
	expect_req(0, FK_DEV_CREATE, 0, "x", uuid);
	fk_reset();
	fk_add_dev("a", NULL);
	RUN("rename", "a", "--setuuid", repeat(uuid, 'u', 129));
	refused("File name too long");
}

static void test_bad_names(void **state)
{
	const char *bad[] = {"a/b", "/", ".", "..", "control", ""};
	char name[200];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		RUN("create", bad[i], "--table", "0 8 zero");
		refused("dmboot: create: ");
		RUN("rename", "a", bad[i]);
		refused("dmboot: rename: ");
	}
	RUN("rename", "a", repeat(name, 'r', 128));
	refused("File name too long");
}

static const struct {
	const char *table;
	const char *error;
} bad_tables[] = {
	{"0 8", "table line 1: missing target type"},
	{"0", "table line 1: bad length"},
	{"x 8 zero", "table line 1: bad start sector"},
	{"0 x zero", "table line 1: bad length"},
	{"-1 8 zero", "table line 1: bad start sector"},
	{"0 8x zero", "table line 1: bad length"},
	{"18446744073709551616 8 zero", "table line 1: start sector overflows"},
	{"0 99999999999999999999 zero", "table line 1: length overflows"},
	{"0 18446744073709551615 zero\n18446744073709551615 1 zero",
	 "table line 2: length overflows"},
	{"0 8 zero\n9 8 zero", "table line 2: gap or overlap"},
	{"0 8 zero\n\n# c\n7 8 zero", "table line 4: gap or overlap"},
	{"1 8 zero", "table line 1: first target must start at sector 0"},
	{"0 0 zero", "table line 1: zero length"},
	{"0 8 abcdefghijklmnop", "table line 1: target type name too long"},
	{"", "no targets"},
	{"# only a comment\n\n   \n", "no targets"},
};

static void test_bad_tables(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad_tables); i++) {
		RUN("create", "x", "--table", bad_tables[i].table);
		if (R.rc != 1 || !strstr(R.err, bad_tables[i].error) ||
		    err_lines() != 1 || fk_count())
			fail_msg("table \"%s\": exit %d, %zu requests, stderr "
				 "\"%s\", "
				 "want \"%s\"",
				 bad_tables[i].table, R.rc, fk_count(), R.err,
				 bad_tables[i].error);
		RUN_IN(bad_tables[i].table, "load", "a");
		refused(bad_tables[i].error);
	}
	/* The longest type name that fits is sent as is. */
	fk_add_dev("a", NULL);
	RUN("load", "a", "--table", "0 8 abcdefghijklmno");
	assert_int_equal(fk_count_nr(FK_TABLE_LOAD), 1);
	assert_string_equal((const char *)fk_payload(fk_rec(0)) + 24,
			    "abcdefghijklmno");
}

static void test_table_file_errors(void **state)
{
	char path[512];
	FILE *f;

	(void)state;
	RUN("create", "x", "/nonexistent/table");
	refused("dmboot: create: /nonexistent/table: No such file or "
		"directory");
	snprintf(path, sizeof(path), "%s/nul", host.root);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite("0 8 zero\0junk\n", 1, 14, f);
	fclose(f);
	RUN("create", "x", path);
	refused("NUL byte in table");
}

static void test_command_line(void **state)
{
	(void)state;
	RUN("bogus");
	refused("dmboot: unknown command: bogus");
	RUN("ls", "--bogus");
	refused("dmboot: unrecognized option: --bogus");
	RUN("ls", "-z");
	refused("dmboot: invalid option: -z");
	RUN("create", "x", "--table");
	refused("dmboot: option requires an argument: --table");
	RUN("create", "x", "-u");
	refused("dmboot: option requires an argument: -u");
	RUN("suspend", "--readonly=1", "a");
	refused("dmboot: option takes no argument: --readonly=1");
}

/* Usage errors: the reason, then the command's usage line. */
static void usage_refused(const char *reason)
{
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.out, "");
	if (strncmp(R.err, reason, strlen(reason)) ||
	    !strstr(R.err, "\nUsage: dmboot "))
		fail_msg("stderr \"%s\", want \"%s\" and usage", R.err, reason);
	EXPECT_NO_REQUESTS();
}

static void test_usage_errors(void **state)
{
	(void)state;
	RUN("create");
	usage_refused("dmboot: create: too few arguments\n");
	RUN("rename", "a");
	usage_refused("dmboot: rename: too few arguments\n");
	RUN("rename", "a", "b", "c");
	usage_refused("dmboot: rename: too many arguments\n");
	RUN("setgeometry", "a", "1", "2", "3");
	usage_refused("dmboot: setgeometry: too few arguments\n");
	RUN("ls", "x");
	usage_refused("dmboot: ls: too many arguments\n");
	RUN("create", "x", "--table", "0 8 zero", "--notable");
	usage_refused(
		"dmboot: create: --table and --notable are incompatible\n");
	RUN("create", "x", "-j", "253", "--table", "0 8 zero");
	usage_refused("dmboot: create: give both --major and --minor\n");
	RUN("create", "x", "-j", "4096", "-m", "0", "--table", "0 8 zero");
	usage_refused("dmboot: create: bad major or minor number\n");
	RUN("create", "x", "-j", "253", "-m", "1048576", "--table", "0 8 zero");
	usage_refused("dmboot: create: bad major or minor number\n");
	RUN("message", "a", "1x", "hi");
	usage_refused("dmboot: message: invalid sector\n");
	RUN("wait", "a", "-1");
	/* "-1" is taken for an option, as getopt would. */
	assert_int_equal(R.rc, 1);
	EXPECT_NO_REQUESTS();
	RUN("wait", "a", "x1");
	usage_refused("dmboot: wait: invalid event number\n");
	RUN("setgeometry", "a", "123456789012345678901", "2", "3", "4");
	usage_refused("dmboot: setgeometry: number too long\n");
}

/* The usage line is the failing command's own, whether the command
 * speaks dmsetup's options or its own (verity): the dispatcher hands it
 * over in struct cli, since cli_usage no longer searches the table. */
static void test_usage_line(void **state)
{
	(void)state;
	RUN("rename", "a");
	assert_int_equal(R.rc, 1);
	assert_string_equal(
		R.err, "dmboot: rename: too few arguments\n"
		       "Usage: dmboot rename NAME NEW_NAME | NAME --setuuid "
		       "UUID\n");
	RUN("verity");
	assert_int_equal(R.rc, 1);
	assert_string_equal(
		R.err, "dmboot: verity: too few arguments\n"
		       "Usage: dmboot verity open DATA NAME HASH ROOTHASH | "
		       "close NAME | status NAME | verify DATA HASH ROOTHASH "
		       "[veritysetup options]\n");
	RUN("verity", "open", "a");
	assert_int_equal(R.rc, 1);
	assert_non_null(strstr(R.err, "\nUsage: dmboot verity open DATA "));
	EXPECT_NO_REQUESTS();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_name_length),	   T(test_uuid_length),
		T(test_bad_names),	   T(test_bad_tables),
		T(test_table_file_errors), T(test_command_line),
		T(test_usage_errors),	   T(test_usage_line),
	};

	return cmocka_run_group_tests_name("bad input: nothing sent", tests,
					   NULL, NULL);
}
