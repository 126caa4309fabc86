/* SPDX-License-Identifier: MIT */
/* dmboot crypt open for LUKS1 and LUKS2 (crypt-luks.c) on images
 * cryptsetup 2.6.1 made (tests/unit/luks/make-open-fixtures.sh): the
 * table, dm UUID and keyring key cryptsetup loads for them (seen in the
 * VM), every copy of the volume key gone, a wrong passphrase (exit 2,
 * nothing created), --key-slot, detached headers, --test-passphrase, the
 * refusals, and isLuks, luksUUID and luksDump against cryptsetup's
 * output for the same images. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypt-open.h"
#include "fake-alg.h" /* the keyslots' AF_ALG, by OpenSSL */
#include "fake-sys.h"

#define LUKS1_IMG "tests/unit/luks/open-luks1.img"
#define LUKS2_IMG "tests/unit/luks/open-luks2.img"
#define LUKS1_DUMP "tests/unit/luks/open-luks1.dump"
#define LUKS2_DUMP "tests/unit/luks/open-luks2.dump"
#define DATA_SECTORS 16384u /* an 8 MiB "disk", block device 8:16 */
/* The images' volume keys (--volume-key-file): printable, for
 * host_live_has and fk_mem_has to look for. */
#define VK1 "0123456789abcdef"
#define VK2 "0123456789abcdefghijklmnopqrstuv"
#define UUID1 "11111111-aaaa-bbbb-cccc-000000000001"
#define UUID2 "22222222-aaaa-bbbb-cccc-000000000002"
#define DM_UUID1 "CRYPT-LUKS1-11111111aaaabbbbcccc000000000001-"
#define DM_UUID2 "CRYPT-LUKS2-22222222aaaabbbbcccc000000000002-"
#define DESC2 "cryptsetup:" UUID2 "-d0"

static char data_path[512], pw_path[512], pw2_path[512], bad_path[512],
	hdr_path[512];

static void write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n))
		abort();
	close(fd);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1u << 20);

	if (!f || !buf)
		abort();
	*n = fread(buf, 1, (1u << 20) - 1, f);
	buf[*n] = 0;
	fclose(f);
	return buf;
}

/* path: the image's bytes, then zeros to sectors. */
static void make_disk(const char *path, const char *img, uint64_t sectors)
{
	size_t n = 0;
	char *buf = img ? read_file(img, &n) : NULL;
	int fd;

	write_file(path, buf, n);
	fd = open(path, O_WRONLY);
	if (fd < 0 || ftruncate(fd, (off_t)(sectors * 512)))
		abort();
	close(fd);
	free(buf);
}

static int luks_setup(void **state)
{
	setup(state);
	fsys_reset();
	fake_alg_reset();
	fsys.alg = &fake_alg;
	snprintf(data_path, sizeof(data_path), "%s/vdb", host.root);
	snprintf(pw_path, sizeof(pw_path), "%s/pw", host.root);
	snprintf(pw2_path, sizeof(pw2_path), "%s/pw2", host.root);
	snprintf(bad_path, sizeof(bad_path), "%s/bad", host.root);
	snprintf(hdr_path, sizeof(hdr_path), "%s/hdr", host.root);
	write_file(pw_path, "dmboot-test", 11);
	write_file(pw2_path, "second", 6);
	write_file(bad_path, "dmboot-tesT", 11);
	fsys_blkdev(data_path, 8, 16);
	return 0;
}

static int luks_teardown(void **state)
{
	fsys_reset();
	return teardown(state);
}

/* The tests that open a keyslot need fake-alg.c's AF_ALG. */
static void need_alg(void)
{
	if (!TEST_OPENSSL)
		skip();
}

static void set_crypt_version(uint32_t a, uint32_t b, uint32_t c)
{
	size_t i;

	for (i = 0; i < fk.ntargets; i++) {
		if (!strcmp(fk.targets[i].name, "crypt")) {
			fk.targets[i].v[0] = a;
			fk.targets[i].v[1] = b;
			fk.targets[i].v[2] = c;
		}
	}
}

static void expect_error_rc(int rc, const char *want)
{
	if (R.rc != rc || R.out_len || err_lines() != 1 ||
	    strncmp(R.err, "dmboot: ", 8) || !strstr(R.err, want))
		fail_msg("want exit %d and one error line with \"%s\"; got "
			 "exit %d, stdout \"%s\", stderr \"%s\"",
			 rc, want, R.rc, R.out, R.err);
}

/* The one TABLE_LOAD: flags, one crypt target, its length and params. */
static void expect_load(uint32_t flags, uint64_t len, const char *params)
{
	const struct fk_rec *r = fk_find_nr(FK_TABLE_LOAD, 0);
	const unsigned char *p;

	assert_non_null(r);
	assert_int_equal(r->hdr.flags, flags);
	assert_int_equal(r->hdr.target_count, 1);
	p = fk_payload(r);
	assert_int_equal(rd64_at(p), 0);
	assert_int_equal(rd64_at(p + 8), len);
	assert_string_equal((const char *)p + 24, "crypt");
	assert_string_equal((const char *)p + 40, params);
}

static const char *hex_of(const char *s, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", (unsigned char)s[i]);
	return out;
}

/* No request (but the load where the table carries it, hex != NULL
 * allowed there) and no live memory holds the volume key; no key is
 * left in the keyring; secret memory wiped and unlocked. */
static void expect_key_gone(const char *raw)
{
	size_t i;

	for (i = 0; i < fk_count(); i++)
		assert_false(fk_mem_has(fk_rec(i)->buf, fk_rec(i)->len, raw));
	assert_false(host_live_has(raw));
	assert_int_equal(fsys_linked(), 0);
	assert_int_equal(fsys.key_unguarded, 0);
	assert_int_equal(fsys.payload_unguarded, 0);
	assert_int_equal(fsys.ioctl_unguarded, 0);
	assert_int_equal(fsys_locked(), 0);
	assert_int_equal(fsys.unlocked_dirty, 0);
}

/* Nothing created, nothing in the keyring. */
static void expect_nothing_left(const char *name)
{
	assert_null(fk_find(name));
	assert_int_equal(fsys_linked(), 0);
	assert_int_equal(fsys_locked(), 0);
}

/* LUKS1: the volume key in hex in the table, under DM_SECURE_DATA_FLAG,
 * never in the keyring; the payload offset from the header (2048). */
static void test_luks1_open(void **state)
{
	char hex[33];

	(void)state;
	need_alg();
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	/* a key file others may read: no word, as cryptsetup */
	chmod(pw_path, 0644);
	RUN_OK("crypt", "open", data_path, "l1", "-d", pw_path);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	/* the name checked first; no keyring: no target version asked */
	EXPECT_NRS(FK_DEV_STATUS, FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND);
	expect_req(1, FK_DEV_CREATE, 0, "l1", DM_UUID1 "l1");
	hex_of(VK1, 16, hex);
	{
		char params[160];

		snprintf(params, sizeof(params),
			 "aes-cbc-essiv:sha256 %s 0 8:16 2048", hex);
		expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS - 2048, params);
	}
	assert_int_equal(fsys.adds, 0);
	expect_key_gone(VK1);
	assert_non_null(fk_find("l1"));
}

/* LUKS2: cryptsetup's logon key, unlinked after the load; the segment's
 * offset and sector size. */
static void test_luks2_open(void **state)
{
	(void)state;
	need_alg();
	make_disk(data_path, LUKS2_IMG, DATA_SECTORS);
	RUN_OK("crypt", "open", "--type", "luks2", data_path, "l2", "-d",
	       pw_path);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	EXPECT_NRS(FK_DEV_STATUS, FK_GET_TARGET_VERSION, FK_DEV_CREATE,
		   FK_TABLE_LOAD, FK_DEV_SUSPEND);
	expect_req(2, FK_DEV_CREATE, 0, "l2", DM_UUID2 "l2");
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS - 2048,
		    "aes-xts-plain64 :32:logon:" DESC2
		    " 0 8:16 2048 1 sector_size:4096");
	assert_int_equal(fsys.adds, 1);
	assert_string_equal(fsys.keys[0].type, "logon");
	assert_string_equal(fsys.keys[0].desc, DESC2);
	assert_int_equal(fsys.keys[0].keyring, -1);
	assert_int_equal(fsys.keys[0].len, 32);
	assert_memory_equal(fsys.keys[0].payload, VK2, 32);
	assert_int_equal(fsys.unlinks, 1);
	expect_key_gone(VK2);
}

/* --disable-keyring (and below, dm-crypt before 1.18.1): the key in hex,
 * as cryptsetup loads it then; the command line's flags with the table's
 * options in cryptsetup's order; -r; --size. */
static void test_luks2_hex(void **state)
{
	char hex[65], params[256];

	(void)state;
	need_alg();
	make_disk(data_path, LUKS2_IMG, DATA_SECTORS);
	hex_of(VK2, 32, hex);
	RUN_OK("cryptsetup", "luksOpen", data_path, "h", "-d", pw_path,
	       "--disable-keyring", "--allow-discards",
	       "--perf-no_read_workqueue", "-r");
	snprintf(params, sizeof(params),
		 "aes-xts-plain64 %s 0 8:16 2048 3 allow_discards "
		 "no_read_workqueue sector_size:4096",
		 hex);
	expect_load(DM_SECURE_DATA_FLAG | DM_READONLY_FLAG, DATA_SECTORS - 2048,
		    params);
	assert_int_equal(fsys.adds, 0);
	expect_key_gone(VK2);
}

static void test_luks2_old_dm_crypt(void **state)
{
	char hex[65], params[256];

	(void)state;
	need_alg();
	make_disk(data_path, LUKS2_IMG, DATA_SECTORS);
	hex_of(VK2, 32, hex);
	set_crypt_version(1, 18, 0);
	RUN_OK("crypt", "open", data_path, "o", "-d", pw_path, "-b", "64");
	snprintf(params, sizeof(params),
		 "aes-xts-plain64 %s 0 8:16 2048 1 sector_size:4096", hex);
	expect_load(DM_SECURE_DATA_FLAG, 64, params);
	assert_int_equal(fsys.adds, 0);
	expect_key_gone(VK2);
}

/* A passphrase that opens no keyslot: cryptsetup's line, exit 2, no
 * device, no key. A key file is one try. */
static void test_wrong_passphrase(void **state)
{
	(void)state;
	need_alg();
	make_disk(data_path, LUKS2_IMG, DATA_SECTORS);
	RUN("crypt", "open", data_path, "w", "-d", bad_path);
	expect_error_rc(2, "No key available with this passphrase.");
	expect_nothing_left("w");
	assert_int_equal(fsys.adds, 0);
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	RUN("cryptsetup", "open", "--type", "luks1", data_path, "w", "-d",
	    bad_path, "--tries", "5");
	expect_error_rc(2, "No key available with this passphrase.");
	expect_nothing_left("w");
	EXPECT_NRS(FK_DEV_STATUS, FK_DEV_STATUS);
}

/* A name in use: cryptsetup's exit 5 and nothing else, before any
 * passphrase is read (stdin keeps it) and any keyslot tried; the device
 * there is untouched. */
static void test_name_in_use(void **state)
{
	static const char *const imgs[] = {LUKS1_IMG, LUKS2_IMG};
	size_t i;
	int mlocks, sockets;

	(void)state;
	need_alg();
	for (i = 0; i < 2; i++) {
		make_disk(data_path, imgs[i], DATA_SECTORS);
		RUN_OK("crypt", "open", data_path, "u", "-d", pw_path);
		sockets = falg.sockets;
		mlocks = fsys.mlocks;
		RUN_IN("dmboot-test\n", "cryptsetup", "luksOpen", data_path,
		       "u");
		expect_error_rc(5,
				"dmboot: cryptsetup: u: device already exists");
		assert_int_equal(falg.sockets, sockets);
		assert_int_equal(fsys.mlocks, mlocks);
		RUN("crypt", "open", data_path, "u", "-d", pw_path);
		expect_error_rc(5, "u: device already exists");
		assert_int_equal(falg.sockets, sockets);
		assert_null(fk_find_nr(FK_DEV_CREATE, i + 1));
		RUN_OK("crypt", "close", "u");
	}
	expect_key_gone(VK2);
}

/* --key-slot: that slot only; the other passphrase's slot refuses. */
static void test_key_slot(void **state)
{
	(void)state;
	need_alg();
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	RUN_OK("crypt", "open", data_path, "s1", "-d", pw2_path, "-S", "1");
	assert_non_null(fk_find("s1"));
	RUN("crypt", "open", data_path, "s0", "-d", pw2_path, "-S", "0");
	expect_error_rc(2, "No key available");
	expect_nothing_left("s0");
	RUN("crypt", "open", data_path, "s8", "-d", pw_path, "-S", "8");
	expect_error_rc(1, "--key-slot");
	RUN("crypt", "open", data_path, "s3", "-d", pw_path, "-S", "3");
	expect_error_rc(1, "--key-slot: keyslot not active");
	expect_nothing_left("s3");
	/* LUKS2's argon2id slot, with its passphrase */
	make_disk(data_path, LUKS2_IMG, DATA_SECTORS);
	RUN_OK("crypt", "open", data_path, "a1", "-d", pw2_path,
	       "--key-slot=1");
	assert_non_null(fk_find("a1"));
	expect_key_gone(VK2);
}

/* A detached header: the data device holds no LUKS header at all. */
static void test_detached_header(void **state)
{
	char hex[33], params[160];

	(void)state;
	need_alg();
	make_disk(hdr_path, LUKS1_IMG, 2048);
	make_disk(data_path, NULL, DATA_SECTORS);
	RUN("crypt", "open", data_path, "d", "-d", pw_path);
	expect_error_rc(1, "not a valid LUKS device");
	RUN_OK("crypt", "open", "--header", hdr_path, data_path, "d", "-d",
	       pw_path);
	snprintf(params, sizeof(params), "aes-cbc-essiv:sha256 %s 0 8:16 2048",
		 hex_of(VK1, 16, hex));
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS - 2048, params);
	expect_key_gone(VK1);
}

/* status of a volume opened with a detached header: with --header, its
 * type and sector size; without, cryptsetup 2.6.1's "type: n/a" and 512
 * (no header on the data device: seen in the VM). */
static void test_detached_status(void **state)
{
	char dev[512];

	(void)state;
	need_alg();
	/* the data device as /dev/vdb, 8:16 in sysfs: where status looks */
	host.fake_dev = 1;
	host_write("dev/null", ""); /* the fake kernel's control fd */
	host_symlink("sys/dev/block/8:16", "../../block/vdb");
	snprintf(dev, sizeof(dev), "%s/dev/vdb", host.root);
	fsys_blkdev("/dev/vdb", 8, 16);
	make_disk(hdr_path, LUKS2_IMG, 2048);
	make_disk(dev, NULL, DATA_SECTORS);
	RUN_OK("crypt", "open", "--header", hdr_path, "/dev/vdb", "d", "-d",
	       pw_path);
	RUN_OK("crypt", "status", "d", "--header", hdr_path);
	assert_non_null(strstr(R.out, "  type:    LUKS2\n"));
	assert_non_null(strstr(R.out, "  sector size:  4096\n"));
	RUN_OK("cryptsetup", "status", "d");
	assert_non_null(strstr(R.out, "  type:    n/a\n"));
	assert_non_null(strstr(R.out, "  sector size:  512\n"));
	assert_non_null(strstr(R.out, "  cipher:  aes-xts-plain64\n"));
	assert_non_null(strstr(R.out, "  device:  /dev/vdb\n"));
	/* another volume's header: no type either */
	make_disk(hdr_path, LUKS1_IMG, 2048);
	RUN_OK("crypt", "status", "d", "--header", hdr_path);
	assert_non_null(strstr(R.out, "  type:    n/a\n"));
	RUN_OK("crypt", "close", "d");
	/* the header on the data device: its type */
	make_disk(dev, LUKS2_IMG, DATA_SECTORS);
	RUN_OK("crypt", "open", "/dev/vdb", "e", "-d", pw_path);
	RUN_OK("crypt", "status", "e");
	assert_non_null(strstr(R.out, "  type:    LUKS2\n"));
	assert_non_null(strstr(R.out, "  sector size:  4096\n"));
	assert_string_equal(R.err, "");
}

/* --test-passphrase: the keyslot opened, no request, no device; NAME may
 * be left out; a wrong one is still exit 2. */
static void test_test_passphrase(void **state)
{
	(void)state;
	need_alg();
	make_disk(data_path, LUKS2_IMG, DATA_SECTORS);
	RUN_OK("crypt", "open", "--test-passphrase", data_path, "-d", pw_path);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	EXPECT_NO_REQUESTS();
	RUN_OK("cryptsetup", "open", "--test-passphrase", data_path, "t", "-d",
	       pw_path);
	EXPECT_NO_REQUESTS();
	assert_int_equal(fsys.adds, 0);
	expect_key_gone(VK2);
	RUN("crypt", "open", "--test-passphrase", data_path, "-d", bad_path);
	expect_error_rc(2, "No key available");
	RUN("crypt", "open", "--type", "plain", "--test-passphrase", data_path,
	    "t", "-d", pw_path);
	expect_error_rc(1, "--test-passphrase: allowed only for LUKS");
}

/* The passphrase from the key file's middle: --keyfile-offset and
 * --keyfile-size, as cryptsetup reads them. */
static void test_keyfile_offset_size(void **state)
{
	(void)state;
	need_alg();
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	write_file(pw_path, "xxdmboot-testyyy", 16);
	RUN_OK("crypt", "open", data_path, "k", "-d", pw_path,
	       "--keyfile-offset", "2", "-l", "11");
	assert_non_null(fk_find("k"));
	RUN("crypt", "open", data_path, "k2", "-d", pw_path, "--keyfile-offset",
	    "2");
	expect_error_rc(2, "No key available");
	expect_nothing_left("k2");
}

/* No key file and stdin not a terminal: one line from stdin, one try
 * (cryptsetup's), the newline not part of the passphrase. (An empty
 * pipe is the VM's: the harness's stdin is a memfd, a regular file.) */
static void test_passphrase_stdin(void **state)
{
	(void)state;
	need_alg();
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	RUN_IN_OK("dmboot-test\n", "crypt", "open", data_path, "p");
	assert_string_equal(R.err, "");
	assert_non_null(fk_find("p"));
	RUN_IN("dmboot-tesT\ndmboot-test\n", "crypt", "open", data_path, "q");
	expect_error_rc(2, "No key available");
	expect_nothing_left("q");
	expect_key_gone(VK1);
}

/* Issue #16: a crypttab line with headless never prompts: without a key
 * file it fails in one line saying so, the passphrase on stdin unread
 * (the same line without headless takes it); with a key file it opens. */
static void test_tab_headless(void **state)
{
	char tab[600], line[1100];

	(void)state;
	need_alg();
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	snprintf(tab, sizeof(tab), "%s/crypttab", host.root);
	snprintf(line, sizeof(line), "h %s none luks,headless\n", data_path);
	write_file(tab, line, strlen(line));
	RUN_IN("dmboot-test\n", "tab", tab);
	expect_error_rc(1, "headless: no token unlocked a keyslot, no "
			   "prompt");
	expect_nothing_left("h");
	snprintf(line, sizeof(line), "h %s none luks,headless=no\n", data_path);
	write_file(tab, line, strlen(line));
	RUN_IN_OK("dmboot-test\n", "tab", tab);
	assert_non_null(fk_find("h"));
	snprintf(line, sizeof(line), "k %s %s luks,headless\n", data_path,
		 pw_path);
	write_file(tab, line, strlen(line));
	RUN_OK("tab", tab);
	assert_non_null(fk_find("k"));
}

/* What cryptsetup refuses for LUKS, and what is not LUKS. */
static void test_refusals(void **state)
{
	static const struct {
		const char *args[4];
		const char *err;
	} cases[] = {
		{{"-o", "8"}, "--offset: supported only for plain devices"},
		{{"-p", "8"}, "--skip: supported only for plain"},
		{{"--sector-size", "4096"}, "--sector-size: supported only"},
		{{"--iv-large-sectors"}, "--iv-large-sectors: supported only"},
		{{"--volume-key-keyring", "%logon:k"},
		 "--volume-key-keyring: supported only"},
		{{"-S", "32"}, "--key-slot: not a number in range"},
		{{"--type", "luks2"}, "not a valid LUKS device"},
	};
	size_t i, k;

	(void)state;
	need_alg();
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	for (i = 0; i < NELEM(cases); i++) {
		const char *argv[16] = {"crypt", "open", data_path,
					"r",	 "-d",	 pw_path};
		int n = 6;

		for (k = 0; cases[i].args[k]; k++)
			argv[n++] = cases[i].args[k];
		run_cmd(NULL, argv);
		expect_error_rc(1, cases[i].err);
		EXPECT_NO_REQUESTS();
	}
	/* cryptsetup ignores the plain options -c, -s and -h for LUKS */
	RUN_OK("crypt", "open", data_path, "r", "-d", pw_path, "-c", "twofish",
	       "-s", "512", "-h", "sha1");
	RUN("crypt", "open", data_path, "bad/name", "-d", pw_path);
	expect_error_rc(1, "bad/name");
	RUN("crypt", "open", data_path, "r", "-d", pw_path);
	expect_error_rc(5, "r");
	RUN("crypt", "open", data_path, "n", "-d", "/nonexistent/key");
	expect_error_rc(1, "/nonexistent/key");
	expect_nothing_left("n");
	RUN("crypt", "open", "--token-only", data_path, "n", "-d", pw_path);
	expect_error_rc(1, "no token");
	expect_nothing_left("n");
}

/* R.out is the dump cryptsetup printed (LUKS1's first line names the
 * device as given: DEVICE in the file). */
static void expect_dump(const char *dump, const char *path)
{
	size_t n, i;
	char *want = read_file(dump, &n), *dev = strstr(want, "DEVICE");
	char line[4096];

	if (dev)
		snprintf(line, sizeof(line), "%.*s%s%s", (int)(dev - want),
			 want, path, dev + 6);
	else
		snprintf(line, sizeof(line), "%s", want);
	free(want);
	for (i = 0; line[i] && line[i] == R.out[i]; i++)
		;
	if (line[i] || R.out[i])
		fail_msg("%s: differs at byte %zu: want \"%.40s\", got "
			 "\"%.40s\"",
			 dump, i, line + i, R.out + i);
}

/* isLuks, luksUUID, luksDump: cryptsetup 2.6.1's answers for the same
 * images. */
static void test_header_commands(void **state)
{
	(void)state;
	make_disk(data_path, LUKS1_IMG, DATA_SECTORS);
	RUN_OK("crypt", "isLuks", data_path);
	assert_string_equal(R.out, "");
	RUN_OK("cryptsetup", "isLuks", "-v", data_path);
	assert_string_equal(R.out, "Command successful.\n");
	RUN_OK("cryptsetup", "isLuks", "--type", "luks1", data_path);
	RUN("cryptsetup", "isLuks", "--type", "luks2", data_path);
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	RUN_OK("crypt", "luksUUID", data_path);
	assert_string_equal(R.out, UUID1 "\n");
	RUN_OK("crypt", "luksDump", data_path);
	expect_dump(LUKS1_DUMP, data_path);
	assert_string_equal(R.err, "");

	make_disk(data_path, LUKS2_IMG, DATA_SECTORS);
	RUN_OK("crypt", "luksUUID", data_path);
	assert_string_equal(R.out, UUID2 "\n");
	RUN_OK("cryptsetup", "luksDump", data_path);
	expect_dump(LUKS2_DUMP, data_path);
	EXPECT_NO_REQUESTS();

	make_disk(data_path, NULL, DATA_SECTORS);
	RUN("crypt", "isLuks", data_path);
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	RUN("crypt", "isLuks", "-v", data_path);
	expect_error_rc(1, "not a valid LUKS device");
	RUN("crypt", "luksUUID", data_path);
	expect_error_rc(1, "not a valid LUKS device");
	RUN("crypt", "luksDump", data_path);
	expect_error_rc(1, "not a valid LUKS device");
	RUN("crypt", "isLuks", "/nonexistent");
	expect_error_rc(4, "/nonexistent");
}

/* The struct the tab lines fill: crypt_open_set's LUKS fields. */
static void test_open_set(void **state)
{
	struct crypt_open o;
	struct act_err e;

	(void)state;
	crypt_open_init(&o);
	assert_int_equal(o.type, CRYPT_TYPE_ANY);
	assert_int_equal(o.key_slot, -1);
	assert_int_equal(crypt_open_set(&o, CO_TYPE, "luks1", &e), 0);
	assert_int_equal(o.type, CRYPT_TYPE_LUKS1);
	assert_int_equal(crypt_open_set(&o, CO_TYPE, "luks", &e), 0);
	assert_int_equal(o.type, CRYPT_TYPE_ANY);
	assert_int_equal(crypt_open_set(&o, CO_TYPE, "plain", &e), 0);
	assert_int_equal(o.type, CRYPT_TYPE_PLAIN);
	assert_int_equal(crypt_open_set(&o, CO_KEY_SLOT, "31", &e), 0);
	assert_int_equal(o.key_slot, 31);
	assert_int_equal(crypt_open_set(&o, CO_KEY_SLOT, "32", &e), -EINVAL);
	assert_int_equal(crypt_open_set(&o, CO_TRIES, "7", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_TIMEOUT, "9", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_KEYFILE_SIZE, "11", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_HEADER, "/h", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_KEY_DESCRIPTION, "d", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_TEST_PASSPHRASE, NULL, &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_TOKEN_ONLY, NULL, &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_DISABLE_KEYRING, NULL, &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_VERBOSE, NULL, &e), 0);
	assert_int_equal(o.tries, 7);
	assert_int_equal(o.timeout_ms, 9000);
	assert_int_equal(o.keyfile_size, 11);
	assert_string_equal(o.header, "/h");
	assert_string_equal(o.key_desc, "d");
	assert_int_equal(o.test_passphrase, 1);
	assert_int_equal(o.token_only, 1);
	assert_int_equal(o.disable_keyring, 1);
	/* the new flags are no dm-crypt options */
	assert_int_equal(o.flags, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, luks_setup, luks_teardown)
	const struct CMUnitTest tests[] = {
		T(test_luks1_open),
		T(test_luks2_open),
		T(test_luks2_hex),
		T(test_luks2_old_dm_crypt),
		T(test_wrong_passphrase),
		T(test_name_in_use),
		T(test_key_slot),
		T(test_detached_header),
		T(test_detached_status),
		T(test_test_passphrase),
		T(test_keyfile_offset_size),
		T(test_passphrase_stdin),
		T(test_tab_headless),
		T(test_refusals),
		T(test_header_commands),
		T(test_open_set),
	};

	return cmocka_run_group_tests_name("crypt-luks: LUKS open", tests, NULL,
					   NULL);
}
