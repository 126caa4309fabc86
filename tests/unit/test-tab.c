/* veritytab and crypttab lines: fields, options, quoting, and every kind
 * of bad line refused with its line number. */
#include "harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tab.h"

/* The parser works in place and may write text[len]: an exact-size heap
 * copy with one byte more, so ASan sees anything past that. */
static struct tab_reader rd;
static char *text;

static void start(const char *s)
{
	size_t n = strlen(s);

	free(text);
	text = malloc(n + 1);
	assert_non_null(text);
	memcpy(text, s, n);
	text[n] = 'X'; /* not a NUL: the parser may not count on one */
	tab_init(&rd, text, n);
}

static int teardown_tab(void **state)
{
	free(text);
	text = NULL;
	return teardown(state);
}

static void test_veritytab(void **state)
{
	struct tab_entry e;

	(void)state;
	start("# comment\n"
	      "\n"
	      "   \t\n"
	      "  # indented comment\n"
	      "root PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de4 "
	      "PARTLABEL=hash 4f2a0c  \n"
	      "usr\t/dev/vda3\t/dev/vda4\tabcd\t"
	      "ignore-zero-blocks,hash-offset=4096,superblock=no,x-frob=1,,\r\n"
	      "last /dev/a /dev/b 01 -");
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 1);
	assert_int_equal(e.line, 5);
	assert_string_equal(e.name, "root");
	assert_string_equal(e.dev,
			    "PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de4");
	assert_string_equal(e.hash, "PARTLABEL=hash");
	assert_string_equal(e.roothash, "4f2a0c");
	assert_null(e.key);
	assert_int_equal(e.nopt, 0);

	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 1);
	assert_int_equal(e.line, 6);
	assert_string_equal(e.name, "usr");
	assert_string_equal(e.dev, "/dev/vda3");
	assert_string_equal(e.hash, "/dev/vda4");
	assert_string_equal(e.roothash, "abcd");
	assert_int_equal(e.nopt, 4);
	assert_string_equal(e.opt[0].key, "ignore-zero-blocks");
	assert_null(e.opt[0].val);
	assert_string_equal(e.opt[1].key, "hash-offset");
	assert_string_equal(e.opt[1].val, "4096");
	assert_string_equal(e.opt[2].key, "superblock");
	assert_string_equal(e.opt[2].val, "no");
	/* Unknown options are kept for the caller to name. */
	assert_string_equal(e.opt[3].key, "x-frob");
	assert_string_equal(e.opt[3].val, "1");
	assert_ptr_equal(tab_opt(&e, "hash-offset"), &e.opt[1]);
	assert_null(tab_opt(&e, "hash"));

	/* Last line without a newline; options "-" are none. */
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 1);
	assert_int_equal(e.line, 7);
	assert_string_equal(e.roothash, "01");
	assert_int_equal(e.nopt, 0);
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 0);
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 0);

	start("");
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 0);
	start("\n\n# only comments\n");
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 0);
}

static void test_crypttab(void **state)
{
	struct tab_entry e;

	(void)state;
	start("swap /dev/vdb\n"
	      "home UUID=01234567-89ab-cdef-1032-547698badcfe none "
	      "luks,discard\n"
	      "data /dev/vdc - "
	      "plain,cipher=aes-xts-plain64,size=512,offset=0,cipher=aes-cbc-"
	      "essiv:sha256\n"
	      "keyed /dev/vdd /etc/keys/k:UUID=x\n"
	      "q \"/dev/disk/by-label/my disk\" 'a key' \"read-only\",'x=1 2'\n"
	      "e /dev/x \"\"\n");
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_string_equal(e.name, "swap");
	assert_string_equal(e.dev, "/dev/vdb");
	assert_null(e.key);
	assert_null(e.hash);
	assert_int_equal(e.nopt, 0);

	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_string_equal(e.dev, "UUID=01234567-89ab-cdef-1032-547698badcfe");
	assert_null(e.key);
	assert_int_equal(e.nopt, 2);
	assert_string_equal(e.opt[0].key, "luks");
	assert_string_equal(e.opt[1].key, "discard");

	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_null(e.key);
	assert_int_equal(e.nopt, 5);
	/* Repeated: the last one wins, as in systemd. */
	assert_string_equal(tab_opt(&e, "cipher")->val, "aes-cbc-essiv:sha256");
	assert_string_equal(tab_opt(&e, "size")->val, "512");

	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_string_equal(e.key, "/etc/keys/k:UUID=x");
	assert_int_equal(e.nopt, 0);

	/* Quotes group words and are removed. */
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(e.line, 5);
	assert_string_equal(e.dev, "/dev/disk/by-label/my disk");
	assert_string_equal(e.key, "a key");
	assert_int_equal(e.nopt, 2);
	assert_string_equal(e.opt[0].key, "read-only");
	assert_string_equal(e.opt[1].key, "x");
	assert_string_equal(e.opt[1].val, "1 2");

	/* An empty quoted key file is none. */
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_null(e.key);
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 0);
}

static const struct {
	enum tab_kind kind;
	const char *text;
	unsigned line;
	const char *err;
	int rc;
} bad[] = {
	{TAB_VERITY, "a b c\n", 1, "too few fields", -EINVAL},
	{TAB_VERITY, "# c\nok d h 00\nroot /dev/a /dev/b 00 opts extra\n", 3,
	 "too many fields", -EINVAL},
	{TAB_VERITY, "a b c d e f g h i\n", 1, "too many fields", -EINVAL},
	{TAB_CRYPT, "\n\nlonely\n", 3, "too few fields", -EINVAL},
	{TAB_CRYPT, "a b c d e\n", 1, "too many fields", -EINVAL},
	{TAB_CRYPT, "a /dev/my\\ disk\n", 1,
	 "backslash escapes are not supported", -EINVAL},
	{TAB_CRYPT, "a \"/dev/x\n", 1, "unterminated quote", -EINVAL},
	{TAB_CRYPT, "a '/dev/x\" b\n", 1, "unterminated quote", -EINVAL},
	{TAB_CRYPT, "a /dev/x\0y\n", 1, "NUL byte", -EINVAL},
	{TAB_CRYPT,
	 "x /dev/x - "
	 "a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,b\n",
	 1, "too many options", -E2BIG},
};

static void test_bad_lines(void **state)
{
	struct tab_entry e;
	size_t i, n;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		int r;

		/* Lengths by hand: one case holds a NUL. */
		n = strlen(bad[i].text);
		if (strstr(bad[i].err, "NUL"))
			n += 1 + strlen(bad[i].text + n + 1);
		free(text);
		text = malloc(n + 1);
		assert_non_null(text);
		memcpy(text, bad[i].text, n);
		tab_init(&rd, text, n);
		while ((r = tab_next(&rd, bad[i].kind, &e)) == 1)
			;
		if (r != bad[i].rc || rd.line != bad[i].line || !rd.err ||
		    strcmp(rd.err, bad[i].err))
			fail_msg("case %zu: rc %d line %u err %s", i, r,
				 rd.line, rd.err ? rd.err : "(none)");
	}
}

/* 32 options fit; the parser does not read past an option list ending
 * the buffer. */
static void test_option_limit(void **state)
{
	struct tab_entry e;

	(void)state;
	start("x /dev/x - "
	      "a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,"
	      "last=");
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(e.nopt, TAB_OPTS_MAX);
	assert_string_equal(e.opt[31].key, "last");
	assert_string_equal(e.opt[31].val, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown_tab)
		T(test_veritytab),
		T(test_crypttab),
		T(test_bad_lines),
		T(test_option_limit),
	};

	return cmocka_run_group_tests_name("veritytab and crypttab", tests,
					   NULL, NULL);
}
