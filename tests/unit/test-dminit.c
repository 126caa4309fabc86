/* SPDX-License-Identifier: MIT */
/* dm-mod.create= as drivers/md/dm-init.c parses it: every accepted form,
 * every error, the limits; and "dmboot init --dry-run" printing the plan
 * without a single request. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm-abi.h"
#include "dminit.h"

static struct dminit d;
static char str[16384];

static int parse(const char *text)
{
	dminit_free(&d);
	snprintf(str, sizeof(str), "%s", text);
	return dminit_parse(&d, str);
}

static int teardown_dminit(void **state)
{
	dminit_free(&d);
	return teardown(state);
}

/* Target i of device k as "start length type params". */
static const char *target(unsigned k, unsigned i)
{
	static char out[4096];
	const char *p = d.dev[k].t.b.p;
	const struct dm_target_spec *s;

	assert_true(i < d.dev[k].t.count);
	for (;;) {
		s = (const void *)p;
		if (!i--)
			break;
		p += s->next;
	}
	snprintf(out, sizeof(out), "%llu %llu %s %s",
		 (unsigned long long)s->sector_start,
		 (unsigned long long)s->length, s->target_type,
		 (const char *)(s + 1));
	return out;
}

#define ANY_WORD ((const char *)1) /* checked elsewhere */
static void expect_error(const char *text, int err, unsigned dev, unsigned tgt,
			 const char *why, const char *word)
{
	assert_int_equal(parse(text), err);
	assert_non_null(d.err);
	if (!strstr(d.err, why))
		fail_msg("error \"%s\" lacks \"%s\" for %s", d.err, why, text);
	assert_int_equal(d.err_dev, dev);
	assert_int_equal(d.err_target, tgt);
	if (word == ANY_WORD)
		assert_non_null(d.err_word);
	else if (word)
		assert_string_equal(d.err_word, word);
	else
		assert_null(d.err_word);
}

static void test_verity_root(void **state)
{
	(void)state;
	assert_int_equal(parse("root,,,ro,0 16384 verity 1 /dev/vda /dev/vdb "
			       "4096 4096 2048 1 sha256 "
			       "4392712ba01368efdf14b05c76f9e4df0d53664630b5d48"
			       "632ed17a137f39076 "
			       "12340000000000000000000000000000000000000000000"
			       "00000000000000000"),
			 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.dev[0].name, "root");
	assert_string_equal(d.dev[0].uuid, "");
	assert_int_equal(d.dev[0].flags, DM_READONLY_FLAG);
	assert_int_equal(d.dev[0].t.count, 1);
	assert_int_equal(d.dev[0].t.secure, 0);
	assert_string_equal(
		target(0, 0),
		"0 16384 verity 1 /dev/vda /dev/vdb 4096 4096 2048 1 sha256 "
		"4392712ba01368efdf14b05c76f9e4df0d53664630b5d48632ed17a137f390"
		"76 "
		"12340000000000000000000000000000000000000000000000000000000000"
		"00");
}

/* The example of the kernel's dm-init.rst, blanks and all. */
static void test_devices_and_targets(void **state)
{
	(void)state;
	assert_int_equal(parse(" lroot , uuid-1 , 5 , rw , 0 4096 linear 98:16 "
			       "0 , 4096 4096 linear 98:32 0 ; "
			       "\tv,,,ro,0 8 striped 2 8 /dev/a 0 /dev/b "
			       "0\t;x,U,0x10,rw,0 1 delay /dev/c 0 500"),
			 0);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.dev[0].name, "lroot");
	assert_string_equal(d.dev[0].uuid, "uuid-1");
	assert_int_equal(d.dev[0].dev, 5);
	assert_int_equal(d.dev[0].flags, DM_PERSISTENT_DEV_FLAG);
	assert_int_equal(d.dev[0].t.count, 2);
	assert_string_equal(target(0, 0), "0 4096 linear 98:16 0");
	assert_string_equal(target(0, 1), "4096 4096 linear 98:32 0");
	assert_string_equal(d.dev[1].name, "v");
	assert_int_equal(d.dev[1].flags, DM_READONLY_FLAG);
	assert_string_equal(target(1, 0), "0 8 striped 2 8 /dev/a 0 /dev/b 0");
	assert_string_equal(d.dev[2].uuid, "U");
	assert_int_equal(d.dev[2].dev, 16);
	assert_string_equal(target(2, 0), "0 1 delay /dev/c 0 500");
	/* A crypt table is sent as secure data. */
	assert_int_equal(
		parse("c,,,rw,0 8 crypt aes-xts-plain64 0011 0 /dev/a 0"), 0);
	assert_int_equal(d.dev[0].t.secure, 1);
	/* A snapshot-origin, and a trailing ';' ending nothing. */
	assert_int_equal(parse("o,,,rw,0 8 snapshot-origin /dev/a"), 0);
	assert_string_equal(target(0, 0), "0 8 snapshot-origin /dev/a");
	/* Arguments keep their inner blanks and backslashes as given: the
	 * kernel's own argument splitter reads them. */
	assert_int_equal(parse("a,,,rw,0 8 linear  /dev/x\\ y   0  "), 0);
	assert_string_equal(target(0, 0), "0 8 linear /dev/x\\ y   0");
}

static void test_numbers(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(dminit_kstrtoull("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(dminit_kstrtoull("0x1f", &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(dminit_kstrtoull("0X1F", &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(dminit_kstrtoull("017", &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(dminit_kstrtoull("+5", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(dminit_kstrtoull("5\n", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(dminit_kstrtoull("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(dminit_kstrtoull("0xffffffffffffffff", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(dminit_kstrtoull("18446744073709551616", &v), -ERANGE);
	assert_int_equal(dminit_kstrtoull("0x10000000000000000", &v), -ERANGE);
	assert_int_equal(dminit_kstrtoull("019", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("0x", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("0xg", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("-5", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("+", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("5\n\n", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("5 ", &v), -EINVAL);
	assert_int_equal(dminit_kstrtoull("1x", &v), -EINVAL);
	/* In a table: hex sectors, octal minor, '+'. */
	assert_int_equal(parse("a,,010,rw,0x0 0x10 linear /dev/x 0,+16 010 "
			       "linear /dev/y 0"),
			 0);
	assert_int_equal(d.dev[0].dev, 8);
	assert_string_equal(target(0, 0), "0 16 linear /dev/x 0");
	assert_string_equal(target(0, 1), "16 8 linear /dev/y 0");
}

static void test_fields(void **state)
{
	(void)state;
	/* Five fields, at least. */
	expect_error("", -EINVAL, 1, 0,
		     "expected <name>,<uuid>,<minor>,<flags>,<table>", NULL);
	expect_error("root", -EINVAL, 1, 0, "expected <name>", NULL);
	assert_string_equal(d.dev[0].name, "root");
	expect_error("root,,,ro", -EINVAL, 1, 0, "expected <name>", NULL);
	expect_error("a,,,ro,0 8 linear /dev/x 0;b,,,ro", -EINVAL, 2, 0,
		     "expected <name>", NULL);
	assert_string_equal(d.dev[1].name, "b");
	/* Flags: exactly ro or rw, blanks around them trimmed. */
	assert_int_equal(parse("a,,, ro ,0 8 linear /dev/x 0"), 0);
	expect_error("a,,,RO,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "flags must be ro or rw", "RO");
	expect_error("a,,,,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "flags must be ro or rw", "");
	expect_error("a,,,r o,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "flags must be ro or rw", "r o");
	/* Minor: empty for any, else a number. */
	expect_error("a,,08,rw,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "bad minor number", "08");
	expect_error("a,,-1,rw,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "bad minor number", "-1");
	assert_int_equal(parse("a,, ,rw,0 8 linear /dev/x 0"), 0);
	assert_int_equal(d.dev[0].flags, 0);
	/* Names and UUIDs: what the kernel takes, refused where it would
	 * truncate. */
	expect_error(",,,rw,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "bad device name", "");
	expect_error("control,,,rw,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "bad device name", "control");
	expect_error("a/b,,,rw,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "bad device name", "a/b");
	expect_error("..,,,rw,0 8 linear /dev/x 0", -EINVAL, 1, 0,
		     "bad device name", "..");
	{
		char text[600], name[200], uuid[200];

		memset(name, 'n', 127);
		name[127] = 0;
		memset(uuid, 'u', 128);
		uuid[128] = 0;
		snprintf(text, sizeof(text), "%s,%s,,rw,0 8 linear /dev/x 0",
			 name, uuid);
		assert_int_equal(parse(text), 0);
		assert_int_equal(strlen(d.dev[0].name), 127);
		assert_int_equal(strlen(d.dev[0].uuid), 128);
		snprintf(text, sizeof(text), "%sn,,,rw,0 8 linear /dev/x 0",
			 name);
		expect_error(text, -EINVAL, 1, 0, "name longer than 127 bytes",
			     ANY_WORD);
		snprintf(text, sizeof(text), "a,%su,,rw,0 8 linear /dev/x 0",
			 uuid);
		expect_error(text, -EINVAL, 1, 0, "uuid longer than 128 bytes",
			     ANY_WORD);
	}
}

static void test_tables(void **state)
{
	(void)state;
	/* Four space-separated fields; only ' ' separates them. */
	expect_error("a,,,rw,0 8 linear", -EINVAL, 1, 1,
		     "expected <start> <length> <type> <args>", "0");
	expect_error("a,,,rw,0 8", -EINVAL, 1, 1, "expected <start>", "0");
	expect_error("a,,,rw,", -EINVAL, 1, 1, "expected <start>", "");
	expect_error("a,,,rw,0\t8 linear /dev/x 0", -EINVAL, 1, 1,
		     "bad start sector", "0\t8");
	/* Empty arguments are fine where a ',' follows them, not at the end. */
	assert_int_equal(parse("a,,,rw,0 8 linear ,8 8 linear /dev/x 0"), 0);
	assert_string_equal(target(0, 0), "0 8 linear ");
	expect_error("a,,,rw,0 8 linear /dev/x 0,", -EINVAL, 1, 2,
		     "expected <start>", "");
	expect_error("a,,,rw,x 8 linear /dev/x 0", -EINVAL, 1, 1,
		     "bad start sector", "x");
	expect_error("a,,,rw,0 8x linear /dev/x 0", -EINVAL, 1, 1, "bad length",
		     "8x");
	expect_error("a,,,rw,0 0x10000000000000000 linear /dev/x 0", -EINVAL, 1,
		     1, "length overflows", "0x10000000000000000");
	expect_error("a,,,rw,99999999999999999999 8 linear /dev/x 0", -EINVAL,
		     1, 1, "start sector overflows", "99999999999999999999");
	/* Only dm-init's six target types, spelled exactly. */
	expect_error("a,,,rw,0 8 zero x", -EINVAL, 1, 1, "invalid type",
		     "zero");
	expect_error("a,,,rw,0 8 error x", -EINVAL, 1, 1, "invalid type",
		     "error");
	expect_error("a,,,rw,0 8 Linear x", -EINVAL, 1, 1, "invalid type",
		     "Linear");
	expect_error("a,,,rw,0 8 snapshot-originX x", -EINVAL, 1, 1,
		     "invalid type", "snapshot-originX");
	expect_error("a,,,rw,0 8 linear /dev/x 0;b,,,rw,0 8 linear /dev/x 0,8 "
		     "8 thin x",
		     -EINVAL, 2, 2, "invalid type", "thin");
	/* What the kernel refuses on load, refused before any request. */
	expect_error("a,,,rw,8 8 linear /dev/x 0", -EINVAL, 1, 1,
		     "first target must start at sector 0", NULL);
	expect_error("a,,,rw,0 8 linear /dev/x 0,9 8 linear /dev/x 0", -EINVAL,
		     1, 2, "gap or overlap", NULL);
	expect_error("a,,,rw,0 0 linear /dev/x 0", -EINVAL, 1, 1, "zero length",
		     NULL);
}

static void test_limits(void **state)
{
	char *text = malloc(8192);
	unsigned i;
	size_t n;

	(void)state;
	assert_non_null(text);
	/* 256 targets, then 257. */
	n = (size_t)sprintf(text, "a,,,rw,");
	for (i = 0; i < 256; i++)
		n += (size_t)sprintf(text + n, "%u 1 delay %s", i,
				     i < 255 ? "," : "x");
	assert_true(n < DMINIT_MAX_STR);
	assert_int_equal(parse(text), 0);
	assert_int_equal(d.dev[0].t.count, 256);
	assert_string_equal(target(0, 255), "255 1 delay x");
	sprintf(text + n - 1, ",256 1 delay x");
	expect_error(text, -E2BIG, 1, 257, "too many targets (limit 256)",
		     NULL);
	/* The string: 4095 bytes pass, 4096 do not. */
	n = (size_t)sprintf(text, "a,,,rw,0 1 linear ");
	memset(text + n, 'x', DMINIT_MAX_STR - 1 - n);
	text[DMINIT_MAX_STR - 1] = 0;
	assert_int_equal(parse(text), 0);
	strcat(text, "x");
	expect_error(text, -E2BIG, 0, 0,
		     "argument is too big (limit 4096 bytes)", NULL);
	/* 200 devices fit in the string (256 cannot: at 19 bytes each the
	 * string limit comes first, in the kernel too). */
	for (n = 0, i = 0; i < 200; i++)
		n += (size_t)sprintf(text + n, "%s%u,,,rw,0 1 delay x",
				     i ? ";" : "", i);
	assert_int_equal(parse(text), 0);
	assert_int_equal(d.n, 200);
	assert_string_equal(d.dev[199].name, "199");
	free(text);
}

/* The whole command: parse, print the plan, no request to the kernel. */
static void test_dry_run(void **state)
{
	(void)state;
	RUN_OK("init", "--dry-run", "--cmdline",
	       "console=ttyS0 dm-mod.create=\"root,,,ro,0 16 verity 1 /dev/vda "
	       "/dev/vdb 4096 4096 2 1 sha256 ab cd\" "
	       "root=/dev/dm-0 dm-mod.waitfor=/dev/vda,/dev/vdb "
	       "rootfstype=ext4 ro dmboot.onfail=poweroff",
	       "single");
	assert_string_equal(
		R.out,
		"cmdline: console=ttyS0 dm-mod.create=\"root,,,ro,0 16 verity "
		"1 /dev/vda /dev/vdb 4096 4096 2 1 sha256 ab cd\" "
		"root=/dev/dm-0 dm-mod.waitfor=/dev/vda,/dev/vdb "
		"rootfstype=ext4 ro dmboot.onfail=poweroff\n"
		"onfail: poweroff\n"
		"timeout: 10\n"
		"waitfor: /dev/vda\n"
		"waitfor: /dev/vdb\n"
		"create: root,,,ro\n"
		"table: root: 0 16 verity 1 /dev/vda /dev/vdb 4096 4096 2 1 "
		"sha256 ab cd\n"
		"root: /dev/dm-0\n"
		"rootfstype: ext4\n"
		"mount: ro\n"
		"init: /sbin/init single\n");
	assert_int_equal(R.err_len, 0);
	EXPECT_NO_REQUESTS();
	RUN_OK("init", "-n", "--cmdline",
	       "root=/dev/vda rw rootwait init=/bin/sh "
	       "dm_mod.create=\"a,u,7,rw,0 8 linear /dev/x 0\"");
	assert_string_equal(R.out,
			    "cmdline: root=/dev/vda rw rootwait init=/bin/sh "
			    "dm_mod.create=\"a,u,7,rw,0 8 linear /dev/x 0\"\n"
			    "onfail: panic\n"
			    "timeout: 10\n"
			    "create: a,u,7,rw\n"
			    "table: a: 0 8 linear /dev/x 0\n"
			    "root: /dev/vda\n"
			    "rootfstype: auto\n"
			    "mount: rw\n"
			    "rootwait: forever\n"
			    "init: /bin/sh\n");
	EXPECT_NO_REQUESTS();
}

/* systemd.verity=no: roothash= is not acted on, and root= is what it is. */
static void test_dry_run_systemd_switch(void **state)
{
	static const char line[] = "roothash=0123456789abcdef0123456789abcdef "
				   "systemd.verity_root_data=/dev/vda "
				   "systemd.verity_root_hash=/dev/vdb";
	char off[256];

	(void)state;
	RUN_OK("init", "--dry-run", "--cmdline", line);
	assert_non_null(strstr(R.out, "verity: root /dev/vda /dev/vdb "
				      "0123456789abcdef0123456789abcdef\n"));
	assert_non_null(strstr(R.out, "root: /dev/mapper/root\n"));
	snprintf(off, sizeof(off), "%s rd.systemd.verity=0 root=/dev/vdc",
		 line);
	RUN_OK("init", "--dry-run", "--cmdline", off);
	assert_null(strstr(R.out, "verity:"));
	assert_non_null(strstr(R.out, "root: /dev/vdc\n"));
	EXPECT_NO_REQUESTS();
}

static void test_dry_run_errors(void **state)
{
	(void)state;
	RUN("init", "--dry-run", "--cmdline",
	    "root=/dev/x dm-mod.create=\"root,,,ro,0 8 zero x\"");
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.err, "dmboot: init: dm-mod.create: device 1 "
				   "(root), target 1: \"zero\": "
				   "invalid type (crypt, delay, linear, "
				   "snapshot-origin, striped, verity)\n");
	RUN("init", "--dry-run", "--cmdline",
	    "dm-mod.create=a,,,xx,0 8 linear /dev/x 0");
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.err, "dmboot: init: dm-mod.create: device 1 (a): "
				   "\"xx\": flags must be ro or rw\n");
	RUN("init", "--dry-run", "--cmdline", "dm-mod.create=\" x ,,ro\"");
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.err,
			    "dmboot: init: dm-mod.create: device 1 (x): "
			    "expected <name>,<uuid>,<minor>,<flags>,<table>\n");
	RUN("init", "--dry-run", "--cmdline", "dm-mod.create=");
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.err,
			    "dmboot: init: dm-mod.create: device 1: "
			    "expected <name>,<uuid>,<minor>,<flags>,<table>\n");
	RUN("init", "--dry-run", "--cmdline", "dmboot.onfail=later");
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.err,
			    "dmboot: init: kernel command line: dmboot.onfail: "
			    "not panic, reboot, shell, halt or poweroff\n");
	RUN("init", "--dry-run", "--cmdline", "ro");
	assert_int_equal(R.rc, 1);
	assert_string_equal(
		R.err, "dmboot: init: no root= on the kernel command line\n");
	RUN("init", "--cmdline", "ro");
	assert_int_equal(R.rc, 1);
	assert_non_null(
		strstr(R.err, "--cmdline and arguments go with --dry-run"));
	EXPECT_NO_REQUESTS();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown_dminit)
		T(test_verity_root),
		T(test_devices_and_targets),
		T(test_numbers),
		T(test_fields),
		T(test_tables),
		T(test_limits),
		T(test_dry_run),
		T(test_dry_run_errors),
		T(test_dry_run_systemd_switch),
	};

	return cmocka_run_group_tests_name("dm-mod.create= and init --dry-run",
					   tests, NULL, NULL);
}
