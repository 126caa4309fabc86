/* SPDX-License-Identifier: MIT */
/* veritytab and crypttab lines: fields, options, quoting, and every kind
 * of bad line refused with its line number. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmdline.h"
#include "fake-sys.h"
#include "init.h"
#include "kcapi.h"
#include "tab-open.h"

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

/* Loop devices 7:0..7:n-1 in the fake /sys and /dev, so that names like
 * "7:2" resolve to /dev/loop2. */
static void loop_names(int n)
{
	char rel[64], target[64];
	int i;

	host.fake_dev = 1;
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "sys/dev/block/7:%d", i);
		snprintf(target, sizeof(target),
			 "../../devices/virtual/block/loop%d", i);
		host_symlink(rel, target);
		snprintf(rel, sizeof(rel), "dev/loop%d", i);
		host_write(rel, "");
	}
}

/* Issue #12: fec-device= twice resolved a fourth device name into
 * tab_line.paths[3], over nopts and npaths, then wrote through
 * opts[garbage]. A repeated option now counts once, as its last value
 * (tab_opt's rule, systemd's), and no array is written past its end. */
static void test_repeated_options(void **state)
{
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e;

	(void)state;
	loop_names(4);
	start("v 7:0 7:1 00 "
	      "fec-device=7:2,fec-device=7:3,ignore-zero-blocks\n"
	      "w 7:0 7:1 00 hash=sha1,superblock=no,hash=sha256,"
	      "superblock=yes,fec-device=7:2,fec-device=/dev/f\n"
	      "c 7:0 /k plain,cipher=aes-cbc-plain,size=256,"
	      "cipher=aes-xts-plain64,plain,read-only,read-only\n");
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_VERITY, &e, &l), 0);
	assert_string_equal(tab_open_given(&l),
			    "ignore-zero-blocks fec-device data-device name "
			    "hash-device root-hash");
	assert_string_equal(l.verity.data, "/dev/loop0");
	assert_string_equal(l.verity.hash, "/dev/loop1");
	assert_string_equal(l.verity.fec, "/dev/loop3");
	assert_int_equal(l.npaths, 3);

	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_VERITY, &e, &l), 0);
	assert_string_equal(tab_open_given(&l),
			    "hash fec-device data-device name hash-device "
			    "root-hash");
	assert_string_equal(l.verity.hash_name, "sha256");
	assert_string_equal(l.verity.fec, "/dev/f");
	assert_int_equal(l.npaths, 2);

	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l),
			    "type cipher key-size key-file readonly device "
			    "name");
	assert_string_equal(l.crypt.device, "/dev/loop0");
	assert_string_equal(l.crypt.cipher, "aes-xts-plain64");
}

/* The same from the kernel command line: systemd.verity_root_options=
 * with fec-device= four times (data and hash are paths there). */
static void test_repeated_root_options(void **state)
{
	static struct tab_open l;
	static char opts[] = "fec-device=7:0,fec-device=7:1,fec-device=7:2,"
			     "fec-device=7:3,fec-roots=2,fec-roots=3";
	struct dm_ctx c = {.fd = -1};
	struct boot_cfg cfg;

	(void)state;
	loop_names(4);
	memset(&cfg, 0, sizeof(cfg));
	cfg.roothash = (char *)"ab";
	cfg.verity_options = opts;
	assert_int_equal(init_verity_open(&c, &cfg, "/dev/vda", "/dev/vdb", &l),
			 0);
	assert_string_equal(tab_open_given(&l),
			    "fec-device fec-roots data-device name "
			    "hash-device root-hash");
	assert_string_equal(l.verity.fec, "/dev/loop3");
	assert_int_equal(l.verity.fec_roots, 3);
	assert_int_equal(l.npaths, 1);
}

static char tabdir[300];

static const char *tab_path(const char *name, const char *body)
{
	static char path[4][600];
	static int n;
	char *p = path[n++ % 4];
	int fd;

	snprintf(p, sizeof(path[0]), "%s/%s", tabdir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
	close(fd);
	return p;
}

/* A FEC device named that does not resolve: one line, and the line
 * fails (it used to fail without a word). */
static void test_fec_device_unknown(void **state)
{
	(void)state;
	snprintf(tabdir, sizeof(tabdir), "%s", host.root);
	RUN("tab",
	    tab_path("veritytab", "v /dev/a /dev/b 00 fec-device=7:9\n"));
	expect_one_error("7:9: no such device");
}

static void make_file(const char *name, off_t size, const char *body)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tabdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	if (body)
		assert_int_equal(write(fd, body, strlen(body)),
				 (ssize_t)strlen(body));
	close(fd);
}

/* Issue #14: a crypttab line without "luks" or "plain" is LUKS where
 * its device has a LUKS header and plain where not, as systemd-cryptsetup
 * picks; a plain line keeps its key file and needs one. */
static void test_crypttab_type_plain(void **state)
{
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e;

	(void)state;
	loop_names(2);
	/* 64 KiB of zeros: no primary magic, no secondary at 16 or 32 KiB */
	snprintf(tabdir, sizeof(tabdir), "%s", host.root);
	make_file("dev/loop1", 65536, NULL);
	start("p 7:0 /k cipher=aes-xts-plain64,size=512\n"
	      "z 7:1 /k tries=2,timeout=30,discard\n");
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l),
			    "type cipher key-size key-file device name");
	assert_int_equal(l.crypt.type, CRYPT_TYPE_PLAIN);
	assert_string_equal(l.crypt.key_file, "/k");

	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l),
			    "type key-file allow-discards tries timeout "
			    "device name");
	assert_int_equal(l.crypt.type, CRYPT_TYPE_PLAIN);
}

/* A LUKS header's magic at offset off of the fake device rel. */
static void luks_magic(const char *rel, off_t off, int secondary)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", host.root, rel);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 8 << 20), 0);
	assert_int_equal(
		pwrite(fd, secondary ? "SKUL\xba\xbe" : "LUKS\xba\xbe", 6, off),
		6);
	close(fd);
}

/* Issue #14: LUKS lines. Without "luks", the LUKS header decides: on
 * the device, at a secondary's offset (a damaged primary), or on
 * header= (a detached header, its name resolved); what the header holds
 * (cipher=, size=...) is ignored as systemd ignores it; tries=0 asks for
 * ever; no key file: the passphrase prompt. */
static void test_crypttab_luks(void **state)
{
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e;

	(void)state;
	loop_names(5);
	luks_magic("dev/loop2", 0, 0);
	luks_magic("dev/loop3", 32768, 1);
	luks_magic("dev/loop4", 0, 0);
	start("h 7:1 /k cipher=aes-cbc-plain,size=256,header=7:2,key-slot=3,"
	      "tries=0,timeout=9,keyfile-size=32,keyfile-offset=4,discard\n"
	      "s 7:3 /k offset=8,skip=1,sector-size=4096,hash=sha1\n"
	      "p 7:4 none tries=5\n"
	      "f 7:0 /k luks\n");
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l),
			    "type key-file keyfile-offset keyfile-size "
			    "allow-discards header key-slot tries timeout "
			    "device name");
	assert_int_equal(l.crypt.type, CRYPT_TYPE_ANY);
	assert_string_equal(l.crypt.header, "/dev/loop2");
	assert_string_equal(l.crypt.device, "/dev/loop1");
	assert_int_equal(l.crypt.key_slot, 3);
	assert_int_equal(l.crypt.tries, UINT32_MAX);
	assert_int_equal(l.crypt.timeout_ms, 9000);
	assert_int_equal(l.crypt.keyfile_size, 32);
	assert_int_equal(l.crypt.keyfile_offset, 4);

	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l), "type key-file device name");
	assert_int_equal(l.crypt.type, CRYPT_TYPE_ANY);

	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l), "type tries device name");
	assert_null(l.crypt.key_file);
	assert_int_equal(l.crypt.tries, 5);

	/* "luks" without a header: the activation says so, not the tab. */
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_int_equal(l.crypt.type, CRYPT_TYPE_ANY);
}

/* crypttab's timeout= as systemd reads it (parse_sec): a time span, a
 * bare number in seconds, 0 and infinity no timeout; into the prompt's
 * milliseconds (microseconds round up). */
static void test_crypttab_timeout_spans(void **state)
{
	static const struct {
		const char *span;
		uint64_t ms;
	} spans[] = {
		{"30", 30000},
		{"30s", 30000},
		{"1min", 60000},
		{"2min 30s", 150000},
		{"2min30s", 150000},
		{"1h 2m 3s 4ms", 3723004},
		{"500ms", 500},
		{"500 msec", 500},
		{"1.5s", 1500},
		{"0.25min", 15000},
		{"1us", 1},
		{"1500us", 2},
		{"2 seconds", 2000},
		{"1hr", 3600000},
		{"1d", 86400000},
		{"1w", 604800000},
		{"1M", 2629800000},
		{"1y", 31557600000},
		{"0", 0},
		{"0s", 0},
		{"infinity", 0},
	};
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e;
	char line[96];
	size_t i;

	(void)state;
	loop_names(1);
	for (i = 0; i < NELEM(spans); i++) {
		/* a span with blanks: the field quoted, as systemd takes it */
		snprintf(line, sizeof(line), "a 7:0 /k \"luks,timeout=%s\"\n",
			 spans[i].span);
		start(line);
		assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
		assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l),
				 0);
		if (l.crypt.timeout_ms != spans[i].ms)
			fail_msg("timeout=%s: %llu ms, want %llu",
				 spans[i].span,
				 (unsigned long long)l.crypt.timeout_ms,
				 (unsigned long long)spans[i].ms);
		assert_true(crypt_given(&l.crypt, CO_TIMEOUT));
	}
}

/* What a crypttab line may not say, each refused in one line before any
 * device is touched. */
static void test_crypttab_refused(void **state)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
		{"a 7:0 /k luks,plain\n",
		 "a: luks and plain exclude each other"},
		{"a 7:0 /k plain,header=/h\n", "header: for LUKS lines only"},
		{"a 7:0 /k plain,key-slot=1\n",
		 "key-slot: for LUKS lines only"},
		{"a 7:0 none plain\n",
		 "a: needs a key file: dmboot hashes no plain passphrases"},
		{"a 7:0 - plain\n",
		 "a: needs a key file: dmboot hashes no plain passphrases"},
		{"a 7:0 /k luks,header=relative\n",
		 "relative: not a device name"},
		{"a 7:0 /k "
		 "luks,header=UUID=00000000-0000-0000-0000-0000000000\n",
		 "no such device"},
		{"a 7:0 /k luks,tpm2-device=auto\n",
		 "a: unsupported option tpm2-device"},
		{"a 7:0 /k luks,tries\n", "tries: needs a value"},
		{"a 7:0 /k luks,discard=1\n", "discard: takes no value"},
		{"a /dev/none /k\n", "/dev/none: No such file or directory"},
		{"a 7:0 /k luks,timeout\n", "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=\n", "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=abc\n", "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=5x\n", "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=-5\n", "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=5mins\n",
		 "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=1.s\n", "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=.5s\n", "a: timeout=: not a time span"},
		{"a 7:0 /k 'luks,timeout=5s x'\n",
		 "a: timeout=: not a time span"},
		{"a 7:0 /k luks,timeout=99999999999y\n",
		 "a: timeout=: not a time span"},
		{"a 7:0 /k luks,x-systemd.device-timeout\n",
		 "a: x-systemd.device-timeout=: not a time span"},
		{"a 7:0 /k luks,x-systemd.device-timeout=\n",
		 "a: x-systemd.device-timeout=: not a time span"},
		{"a 7:0 /k luks,x-systemd.device-timeout=soon\n",
		 "a: x-systemd.device-timeout=: not a time span"},
		{"a 7:0 /k luks,x-systemd.device-timeout=-1\n",
		 "a: x-systemd.device-timeout=: not a time span"},
		{"a 7:0 none luks,headless=maybe\n",
		 "a: headless=: not a boolean"},
		{"a 7:0 none luks,headless=\n", "a: headless=: not a boolean"},
	};
	size_t i;

	(void)state;
	loop_names(1);
	snprintf(tabdir, sizeof(tabdir), "%s", host.root);
	for (i = 0; i < NELEM(cases); i++) {
		RUN("tab", tab_path("crypttab", cases[i].line));
		expect_one_error(cases[i].err);
		assert_int_equal(fk.ndevs, 0);
	}
}

/* Issue #16: x-systemd.device-timeout= on either file, as systemd
 * reads it: a time span (a bare number in seconds), 0 and infinity for
 * ever; the line's devices are waited for that long, from one budget,
 * on the fake clock (nanosleep counts, returns at once). Without it the
 * tab command looks once, as before. */
static void test_device_timeout(void **state)
{
	static const struct {
		const char *span;
		uint32_t ms;
	} spans[] = {
		{"90", 90000},	       {"5s", 5000}, {"1min 30s", 90000},
		{"500ms", 500},	       {"0", 0},     {"infinity", 0},
		{"1000d", UINT32_MAX},
	};
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e;
	char line[160];
	size_t i;

	(void)state;
	loop_names(2);
	for (i = 0; i < NELEM(spans); i++) {
		snprintf(line, sizeof(line),
			 "a 7:0 /k \"luks,x-systemd.device-timeout=%s\"\n",
			 spans[i].span);
		start(line);
		assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
		assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l),
				 0);
		assert_int_equal(l.wait, 1);
		assert_int_equal(l.budget_ms, spans[i].ms);
		if (spans[i].ms)
			assert_ptr_equal(l.budget, &l.budget_ms);
		else
			assert_null(l.budget);
		/* the same on a veritytab line */
		snprintf(line, sizeof(line),
			 "v 7:0 7:1 %064d \"x-systemd.device-timeout=%s\"\n", 0,
			 spans[i].span);
		start(line);
		assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 1);
		assert_int_equal(tab_open_fill(&c, "tab", TAB_VERITY, &e, &l),
				 0);
		assert_int_equal(l.wait, 1);
		assert_int_equal(l.budget_ms, spans[i].ms);
		assert_string_equal(l.verity.data, "/dev/loop0");
	}
	/* devices there: no wait at all */
	assert_int_equal(host.sleeps, 0);

	snprintf(tabdir, sizeof(tabdir), "%s", host.root);
	/* not there: waited for 2 s of the fake clock in all (data found,
	 * hash not), then one line naming the key */
	RUN("tab", tab_path("veritytab",
			    "v 7:0 UUID=00000000-0000-0000-0000-000000000000 "
			    "0000000000000000000000000000000000000000000000000"
			    "000000000000000 x-systemd.device-timeout=2s\n"));
	expect_one_error("UUID=00000000-0000-0000-0000-000000000000: not "
			 "there within x-systemd.device-timeout=");
	assert_int_equal(host.slept_ns, 2000000000LL);
	assert_int_equal(fk.ndevs, 0);
	host.slept_ns = 0;
	RUN("tab",
	    tab_path("crypttab", "c /dev/none /k "
				 "luks,x-systemd.device-timeout=300ms\n"));
	expect_one_error("/dev/none: not there within "
			 "x-systemd.device-timeout=");
	assert_int_equal(host.slept_ns, 300000000LL);
	assert_int_equal(fk.ndevs, 0);
	/* without it: looked for once */
	host.sleeps = 0;
	RUN("tab", tab_path("crypttab", "c /dev/none /k luks\n"));
	expect_one_error("/dev/none: No such file or directory");
	assert_int_equal(host.sleeps, 0);
}

/* Issue #16: crypttab's headless, a systemd boolean: without a key file
 * a LUKS line gets its tokens only, never the prompt (test-crypt-luks.c
 * runs one); with a key file (or a keyring key) nothing changes. */
static void test_headless(void **state)
{
	static const struct {
		const char *opt;
		int on;
	} opts[] = {
		{"headless", 1},       {"headless=yes", 1},
		{"headless=1", 1},     {"headless=true", 1},
		{"headless=on", 1},    {"headless=y", 1},
		{"headless=no", 0},    {"headless=0", 0},
		{"headless=false", 0}, {"headless=off", 0},
	};
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e;
	char line[96];
	size_t i;

	(void)state;
	loop_names(1);
	for (i = 0; i < NELEM(opts); i++) {
		snprintf(line, sizeof(line), "a 7:0 none luks,%s\n",
			 opts[i].opt);
		start(line);
		assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
		assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l),
				 0);
		assert_int_equal(l.crypt.token_only,
				 opts[i].on ? CRYPT_HEADLESS : 0);
		snprintf(line, sizeof(line), "a 7:0 /k luks,%s\n", opts[i].opt);
		start(line);
		assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
		assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l),
				 0);
		assert_int_equal(l.crypt.token_only, 0);
		assert_string_equal(l.crypt.key_file, "/k");
	}
	start("a 7:0 %logon:k luks,headless\n");
	assert_int_equal(tab_next(&rd, TAB_CRYPT, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_int_equal(l.crypt.token_only, 0);
	/* headless is crypttab's only */
	start("v 7:0 7:0 0000000000000000000000000000000000000000000000000"
	      "000000000000000 headless\n");
	assert_int_equal(tab_next(&rd, TAB_VERITY, &e), 1);
	assert_int_equal(tab_open_fill(&c, "tab", TAB_VERITY, &e, &l), -EINVAL);
}

#define KEY64 "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"
#define SALT "aabbccdd"

/* The root hash of one data block over an all-zero hash block: the
 * fake sha256 of salt || block (format 1), in hex. */
static void zero_root(char *hex)
{
	static const uint8_t salt[] = {0xaa, 0xbb, 0xcc, 0xdd};
	static uint8_t block[4096];
	struct kc_hash h;
	uint8_t d[64];
	int i, n;

	assert_int_equal(kc_hash_open(&h, "sha256"), 0);
	n = kc_hash2(&h, salt, sizeof(salt), block, sizeof(block), d,
		     sizeof(d));
	kc_hash_close(&h);
	assert_int_equal(n, 32);
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

/* Only reads reach the kernel in a dry run: no device made, loaded or
 * resumed, no loop device bound or asked for, no key added. */
static void expect_no_side_effects(void)
{
	size_t i;

	for (i = 0; i < fk_count(); i++) {
		unsigned nr = fk_rec(i)->nr;

		if (nr != FK_VERSION && nr != FK_DEV_STATUS &&
		    nr != FK_LIST_VERSIONS && nr != FK_GET_TARGET_VERSION)
			fail_msg("request %zu: command %u in a dry run", i, nr);
	}
	assert_int_equal(fsys.loop_ioctls, 0);
	assert_int_equal(fsys_loop_fds(), 0);
	assert_int_equal(fsys.adds, 0);
	assert_int_equal(fsys.nkeys, 0);
	assert_int_equal(fk.ndevs, 0);
	/* The key was read into a page buffer and wiped before its free. */
	assert_int_equal(host.secret_freed, 0);
	assert_int_equal(host.freed_dirty, 0);
	assert_false(host_live_has(KEY64));
}

static void set_crypt_version(uint32_t a, uint32_t b, uint32_t c)
{
	size_t i;

	for (i = 0; i < fk.ntargets; i++)
		if (!strcmp(fk.targets[i].name, "crypt")) {
			fk.targets[i].v[0] = a;
			fk.targets[i].v[1] = b;
			fk.targets[i].v[2] = c;
		}
}

/* tab --dry-run prints the tables and changes nothing: image files get
 * no loop device (0:0 stands for it), a key file's key goes to no
 * keyring, and a key in the table is masked as "table" masks it. */
static void test_dry_run_no_side_effects(void **state)
{
	char root[65], vtab[1200], ctab[1200], want[1024];
	const char *crypttab, *veritytab;

	(void)state;
	fsys_reset();
	fsys_loop_nodes();
	snprintf(tabdir, sizeof(tabdir), "%s", host.root);
	make_file("data.img", 64 * 4096, NULL);
	make_file("hash.img", 4096, NULL);
	make_file("key", 0, KEY64);
	zero_root(root);
	snprintf(vtab, sizeof(vtab),
		 "v %s/data.img %s/hash.img %s "
		 "superblock=no,data-blocks=1,salt=" SALT "\n",
		 tabdir, tabdir, root);
	snprintf(ctab, sizeof(ctab),
		 "c %s/data.img %s/key plain,cipher=aes-xts-plain64,size=512\n",
		 tabdir, tabdir);
	veritytab = tab_path("veritytab", vtab);
	crypttab = tab_path("crypttab", ctab);
	host.secret = KEY64;

	/* dm-crypt 1.18.1 and later: the key reference a run would use. */
	RUN_OK("tab", "--dry-run", crypttab, veritytab);
	snprintf(want, sizeof(want),
		 "c: 0 512 crypt aes-xts-plain64 :64:logon:dmboot:"
		 "CRYPT-PLAIN-c-d0 0 0:0 0\n"
		 "v: 0 8 verity 1 0:0 0:0 4096 4096 1 0 sha256 %s " SALT "\n",
		 root);
	assert_string_equal(R.out, want);
	assert_int_equal(R.err_len, 0);
	expect_no_side_effects();

	/* Before 1.18.1 the key is in the table: printed as '0's. */
	fk_reset();
	set_crypt_version(1, 18, 0);
	RUN_OK("tab", "--dry-run", crypttab);
	assert_string_equal(R.out, "c: 0 512 crypt aes-xts-plain64 "
				   "0000000000000000000000000000000000000000"
				   "0000000000000000000000000000000000000000"
				   "000000000000000000000000000000000000000000"
				   "000000 0 0:0 0\n");
	expect_no_side_effects();

	/* No /dev/mapper/control: the same. */
	fk_reset();
	fk.open_err = ENOENT;
	RUN("tab", "--dry-run", crypttab);
	assert_null(strstr(R.out, "3031"));
	assert_null(strstr(R.err, "3031"));
	expect_no_side_effects();
	host.secret = NULL;
}

/* A crypttab key file that others may read or execute: one warning, in
 * systemd-cryptsetup's words (a warning, not a refusal); cryptsetup's
 * command line has none (test-crypt.c). */
static void test_crypttab_key_world_readable(void **state)
{
	static const struct {
		mode_t mode;
		int warns;
	} modes[] = {{0644, 1}, {0601, 1}, {0604, 1}, {0640, 0}, {0600, 0}};
	char ctab[1200], key[600];
	const char *crypttab;
	size_t i;

	(void)state;
	fsys_reset();
	fsys_loop_nodes();
	snprintf(tabdir, sizeof(tabdir), "%s", host.root);
	make_file("data.img", 64 * 4096, NULL);
	make_file("key", 0, KEY64);
	snprintf(key, sizeof(key), "%s/key", tabdir);
	snprintf(ctab, sizeof(ctab),
		 "c %s/data.img %s plain,cipher=aes-xts-plain64,size=512\n",
		 tabdir, key);
	crypttab = tab_path("crypttab", ctab);
	for (i = 0; i < NELEM(modes); i++) {
		assert_int_equal(chmod(key, modes[i].mode), 0);
		RUN_OK("tab", "--dry-run", crypttab);
		if (!modes[i].warns) {
			assert_string_equal(R.err, "");
			continue;
		}
		assert_int_equal(err_lines(), 1);
		assert_non_null(strstr(R.err, key));
		assert_non_null(strstr(R.err, "warning: key file is "
					      "world-readable. This is not a "
					      "good idea!"));
	}
}

/* A veritytab line with root-hash-signature=: the dry run reads the
 * signature, names its key in the table and adds no key. */
static void test_dry_run_signature(void **state)
{
	char root[65], vtab[1200];

	(void)state;
	fsys_reset();
	fsys_loop_nodes();
	snprintf(tabdir, sizeof(tabdir), "%s", host.root);
	make_file("data.img", 64 * 4096, NULL);
	make_file("hash.img", 4096, NULL);
	make_file("sig", 0, "not really a PKCS#7 signature");
	zero_root(root);
	snprintf(vtab, sizeof(vtab),
		 "s %s/data.img %s/hash.img %s superblock=no,data-blocks=1,"
		 "salt=" SALT ",root-hash-signature=%s/sig\n",
		 tabdir, tabdir, root, tabdir);
	RUN_OK("tab", "--dry-run", tab_path("veritytab", vtab));
	assert_non_null(strstr(R.out, " root_hash_sig_key_desc cryptsetup:s"));
	expect_no_side_effects();
}

/* init --dry-run runs no tab line and no verity open: it prints the plan
 * (a crypt key in a dm-mod.create= table masked as well) and sends only
 * what expect_no_side_effects allows. */
static void test_init_dry_run_no_side_effects(void **state)
{
	(void)state;
	fsys_reset();
	fsys_loop_nodes();
	host.secret = KEY64;
	RUN_OK("init", "--dry-run", "--cmdline",
	       "root=/dev/mapper/root roothash=0123456789abcdef0123456789abcdef"
	       " systemd.verity_root_data=/dev/vda"
	       " systemd.verity_root_hash=/dev/vdb"
	       " systemd.verity_root_options=fec-device=7:2,fec-device=7:3"
	       " dm-mod.create=\"c,,,rw,0 8 crypt aes-xts-plain64 "
	       "00112233445566778899aabbccddeeff0011223344556677"
	       "8899aabbccddeeff 0 /dev/vdc 0\"");
	assert_non_null(strstr(R.out,
			       "table: c: 0 8 crypt aes-xts-plain64 "
			       "0000000000000000000000000000000000000000"
			       "000000000000000000000000 0 /dev/vdc 0\n"));
	expect_no_side_effects();
	host.secret = NULL;
}

#define U1 "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
#define U2 "11111111-2222-3333-4444-555555555555"
#define U3 "22222222-2222-3333-4444-555555555555"

/* Issue #14: rd.luks.* lines join crypttab's in /init's one pass. Once
 * rd.luks.uuid= or .name= names UUIDs, only crypttab lines of those
 * run (the line standing for its UUID); the others become lines of
 * their own, luks-UUID unless named, with the key and options given for
 * all. rd.luks.crypttab=no leaves the file out, rd.luks=no everything. */
static void test_init_luks_lines(void **state)
{
	(void)state;
	host.fake_root = 1;
	host_write("etc/crypttab", "a UUID=" U1 " /k1 luks\n"
				   "b /dev/disk/by-uuid/" U3 " none luks\n"
				   "c /dev/vdc /kc plain\n");
	RUN_OK("init", "--dry-run", "--cmdline",
	       "root=/dev/mapper/a rd.luks.uuid=" U1 " rd.luks.name=" U2
	       "=cryptroot rd.luks.options=" U1 "=discard "
	       "rd.luks.key=/etc/all-key rd.luks.options=tries=1");
	assert_non_null(strstr(R.out, "timeout: 10\n"
				      "waitfor: UUID=" U1 "\n"
				      "rd.luks: cryptroot UUID=" U2
				      " /etc/all-key tries=1\n"
				      "waitfor: UUID=" U2 "\n"
				      "tab: /etc/crypttab\n"));
	assert_null(strstr(R.out, U3));
	assert_null(strstr(R.out, "/dev/vdc"));

	/* Nothing named: every crypttab line, no line of rd.luks.'s. */
	RUN_OK("init", "--dry-run", "--cmdline",
	       "root=/dev/mapper/a luks.key=" U1 "=/k luks.options=discard");
	assert_non_null(strstr(R.out, "waitfor: UUID=" U1 "\n"
				      "waitfor: /dev/disk/by-uuid/" U3 "\n"
				      "waitfor: /dev/vdc\n"
				      "tab: /etc/crypttab\n"));
	assert_null(strstr(R.out, "rd.luks:"));

	RUN_OK("init", "--dry-run", "--cmdline",
	       "root=/dev/mapper/a rd.luks.crypttab=no luks.uuid=" U1
	       " rd.luks.key=" U1 "=none");
	assert_non_null(strstr(R.out, "timeout: 10\n"
				      "rd.luks: luks-" U1 " UUID=" U1 " none\n"
				      "waitfor: UUID=" U1 "\n"
				      "root: "));

	RUN_OK("init", "--dry-run", "--cmdline",
	       "root=/dev/mapper/a rd.luks=no rd.luks.uuid=" U1);
	assert_null(strstr(R.out, "waitfor:"));
	assert_null(strstr(R.out, "tab:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown_tab)
		T(test_veritytab),
		T(test_crypttab),
		T(test_crypttab_type_plain),
		T(test_crypttab_refused),
		T(test_crypttab_luks),
		T(test_init_luks_lines),
		T(test_bad_lines),
		T(test_option_limit),
		T(test_repeated_options),
		T(test_repeated_root_options),
		T(test_fec_device_unknown),
		T(test_dry_run_no_side_effects),
		T(test_crypttab_key_world_readable),
		T(test_crypttab_timeout_spans),
		T(test_device_timeout),
		T(test_headless),
		T(test_dry_run_signature),
		T(test_init_dry_run_no_side_effects),
	};

	return cmocka_run_group_tests_name("veritytab and crypttab", tests,
					   NULL, NULL);
}
