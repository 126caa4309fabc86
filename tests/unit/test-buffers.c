/* SPDX-License-Identifier: MIT */
/* Buffers: growth on DM_BUFFER_FULL_FLAG, big replies, the size cap, and
 * buffers that carried a key being wiped. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm.h"
#include "fake-sys.h"
#include "ops.h"
#include "table.h"

#define KEY "0123456789abcdeffedcba9876543210"
#define CRYPT_TABLE "0 8 crypt aes-xts-plain64 " KEY " 0 7:0 0"

/* Records i and j are the same request but for the buffer size. */
static void expect_same_request(size_t i, size_t j)
{
	const struct fk_rec *a = fk_rec(i), *b = fk_rec(j);
	struct dm_ioctl x = a->hdr, y = b->hdr;
	size_t n = a->len < b->len ? a->len : b->len;

	x.data_size = y.data_size = 0;
	assert_memory_equal(&x, &y, sizeof(x));
	assert_memory_equal(a->buf + 312, b->buf + 312, n - 312);
}

static void test_list_buffer_full(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	fk.full_below[FK_LIST_DEVICES] = 20000;
	RUN_OK("ls");
	assert_string_equal(R.out, "a\t(253:0)\n");
	EXPECT_NRS(FK_LIST_DEVICES, FK_LIST_DEVICES);
	assert_int_equal(fk_rec(0)->hdr.data_size, 16 * KB);
	assert_int_equal(fk_rec(1)->hdr.data_size, 32 * KB);
	expect_same_request(0, 1);
}

static void test_status_buffer_full(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 linear 7:0 0");
	fk.full_below[FK_TABLE_STATUS] = 40000;
	RUN_OK("table", "a");
	assert_string_equal(R.out, "0 8 linear 7:0 0\n");
	EXPECT_NRS(FK_TABLE_STATUS, FK_TABLE_STATUS, FK_TABLE_STATUS);
	assert_int_equal(fk_rec(0)->hdr.data_size, 16 * KB);
	assert_int_equal(fk_rec(1)->hdr.data_size, 32 * KB);
	assert_int_equal(fk_rec(2)->hdr.data_size, 64 * KB);
	expect_same_request(0, 1);
	expect_same_request(0, 2);
	/* The next request starts at the size that worked. */
	fk_reset();
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 linear 7:0 0");
	fk_set_table(fk_add_dev("b", NULL), 1, "0 8 zero");
	fk.full_below[FK_TABLE_STATUS] = 20000;
	RUN_OK("table", "a", "b");
	EXPECT_NRS(FK_TABLE_STATUS, FK_TABLE_STATUS, FK_TABLE_STATUS);
	assert_int_equal(fk_rec(2)->hdr.data_size, 32 * KB);
	assert_string_equal(fk_rec(2)->hdr.name, "b");
}

static void test_message_buffer_full(void **state)
{
	static char big[20000];
	struct fk_dev *d;

	(void)state;
	memset(big, 'r', sizeof(big) - 1);
	d = fk_add_dev("m", NULL);
	fk_set_table(d, 1, "0 8 zero");
	d->msg_reply = big;
	RUN_OK("message", "m", "0", "dump");
	/* DM_SECURE_DATA_FLAG costs no version query: a kernel without it
	 * ignores the bit. */
	EXPECT_NRS(FK_TARGET_MSG, FK_TARGET_MSG);
	assert_int_equal(fk_rec(1)->hdr.data_size, 32 * KB);
	/* Rebuilt, not resent from a buffer the kernel cleared. */
	assert_string_equal((const char *)fk_payload(fk_rec(1)) + 8, "dump");
	assert_int_equal(R.out_len, sizeof(big));
	assert_memory_equal(R.out, big, sizeof(big) - 1);
}

static void test_ten_thousand_devices(void **state)
{
	char name[32], *want, *p;
	size_t i, n = 10000;

	(void)state;
	want = malloc(n * 32);
	assert_non_null(want);
	p = want;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "dev-%05zu", i);
		fk_add_dev(name, NULL);
		p += sprintf(p, "%s\t(253:%zu)\n", name, i);
	}
	RUN_OK("ls");
	assert_string_equal(R.out, want);
	free(want);
	/* 16 KiB doubled to 512 KiB: 320,000 bytes of names. */
	assert_int_equal(fk_count(), 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(fk_rec(i)->nr, FK_LIST_DEVICES);
		assert_int_equal(fk_rec(i)->hdr.data_size, (16 * KB) << i);
		assert_int_equal(
			!!(fk_rec(i)->reply_hdr.flags & DM_BUFFER_FULL_FLAG),
			i < 5);
	}
}

static void test_hundred_thousand_targets(void **state)
{
	size_t i, n = 100000;
	struct fk_dev *d;
	char *want, *p, params[32];

	(void)state;
	d = fk_add_dev("big", NULL);
	want = malloc(n * 48);
	assert_non_null(want);
	p = want;
	for (i = 0; i < n; i++) {
		snprintf(params, sizeof(params), "7:%zu %zu", i % 16, i * 3);
		fk_add_target(d, 1, i * 8, 8, i % 2 ? "zero" : "linear",
			      i % 2 ? "" : params, NULL);
		p += sprintf(p, "%zu 8 %s %s\n", i * 8,
			     i % 2 ? "zero" : "linear", i % 2 ? "" : params);
	}
	RUN_OK("table", "big");
	assert_int_equal(R.out_len, (size_t)(p - want));
	assert_string_equal(R.out, want);
	free(want);
	assert_int_equal(fk_rec(fk_count() - 1)->hdr.data_size, 8192 * KB);
	/* And loaded the other way: 100,000 specs, each pointing on. */
	fk_reset();
	fk_add_dev("big", NULL);
	{
		size_t len = n * 24 + 1;
		char *t = malloc(len);

		assert_non_null(t);
		for (p = t, i = 0; i < n; i++)
			p += sprintf(p, "%zu 8 zero\n", i * 8);
		RUN_OK("load", "big", "--table", t);
		free(t);
	}
	EXPECT_NRS(FK_TABLE_LOAD);
	assert_int_equal(fk_rec(0)->hdr.target_count, n);
	assert_int_equal(fk_rec(0)->hdr.data_size, 8192 * KB);
	assert_int_equal(fk_find("big")->inactive.n, n);
	assert_int_equal(fk_find("big")->inactive.t[n - 1].start, (n - 1) * 8);
}

static void test_buffer_cap(void **state)
{
	size_t i;

	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	fk.full_below[FK_TABLE_STATUS] = (size_t)-1;
	fk.record_max = 4096;
	RUN("table", "a");
	expect_one_error("dmboot: table: a: reply larger than the buffer limit "
			 "(BUFFER_MAX_MB)\n");
	/* 16 KiB, 32 KiB ... 256 MiB, then it stops. */
	assert_int_equal(fk_count(), 15);
	for (i = 0; i < 15; i++)
		assert_int_equal(fk_rec(i)->hdr.data_size, (16 * KB) << i);
}

/* ---- keys ---- */

static void dm_level_load(struct dm_ctx *ctx, const char *name, int want_r)
{
	struct table t = {0};
	int r;

	assert_int_equal(table_parse(&t, CRYPT_TABLE, strlen(CRYPT_TABLE)), 0);
	assert_true(t.secure);
	assert_true(fk_mem_has(t.b.p, t.b.len, KEY));
	dm_init(ctx);
	r = dm_load(ctx, name, &t, 0);
	assert_int_equal(r, want_r);
	table_free(&t);
	assert_null(t.b.p);
}

static void expect_no_key(const struct dm_ctx *ctx)
{
	assert_non_null(ctx->io);
	if (fk_mem_has(ctx->io, ctx->io_size, KEY))
		fail_msg("the key is still in the request buffer");
}

static void test_key_wiped_after_call(void **state)
{
	static const uint32_t minors[] = {19, 20, 47};
	struct dm_ctx ctx;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(minors); i++) {
		fk_reset();
		fk_set_version(4, minors[i], 0);
		fk_add_dev("c", NULL);
		host.secret = KEY;
		dm_level_load(&ctx, "c", 0);
		expect_no_key(&ctx);
		/* The key went to the kernel, once, flagged: with no version
		 * known yet, a kernel before 4.20 ignores the bit. */
		assert_int_equal(fk_count_nr(FK_TABLE_LOAD), 1);
		assert_true(fk_mem_has(fk_find_nr(FK_TABLE_LOAD, 0)->buf,
				       fk_find_nr(FK_TABLE_LOAD, 0)->len, KEY));
		assert_int_equal(fk_find_nr(FK_TABLE_LOAD, 0)->hdr.flags,
				 DM_SECURE_DATA_FLAG);
		assert_int_equal(fk_count_nr(FK_VERSION), 0);
		dm_done(&ctx);
		assert_int_equal(host.secret_freed, 0);
		assert_int_equal(host.live, 0);
	}
}

static void test_key_wiped_on_failure(void **state)
{
	char name[200];
	struct dm_ctx ctx;

	(void)state;
	fk_set_version(4, 19, 0); /* a kernel that does not clear it */
	fk_add_dev("c", NULL);
	fk_fail(FK_TABLE_LOAD, EIO, 0, 1);
	dm_level_load(&ctx, "c", -EIO);
	expect_no_key(&ctx);
	dm_done(&ctx);
	/* Refused before sending: the key never enters the buffer. */
	memset(name, 'n', 150);
	name[150] = 0;
	dm_level_load(&ctx, name, -ENAMETOOLONG);
	if (ctx.io)
		expect_no_key(&ctx);
	dm_done(&ctx);
	/* A full buffer: retried from the table, the old buffer wiped. */
	fk_reset();
	fk_set_version(4, 19, 0);
	fk_add_dev("c", NULL);
	host.secret = KEY;
	fk.full_below[FK_TABLE_LOAD] = 20000;
	dm_level_load(&ctx, "c", 0);
	expect_no_key(&ctx);
	assert_int_equal(fk_count_nr(FK_TABLE_LOAD), 2);
	assert_true(fk_mem_has(fk_find_nr(FK_TABLE_LOAD, 1)->buf,
			       fk_find_nr(FK_TABLE_LOAD, 1)->len, KEY));
	dm_done(&ctx);
	assert_int_equal(host.secret_freed, 0);
	/* The cap reached with the key in the buffer. */
	fk.full_below[FK_TABLE_LOAD] = (size_t)-1;
	fk.record_max = 4096;
	dm_level_load(&ctx, "c", -DM_ERR_TOO_BIG);
	expect_no_key(&ctx);
	dm_done(&ctx);
	assert_int_equal(host.secret_freed, 0);
}

static void test_key_buffers_wiped_cli(void **state)
{
	char path[512];
	FILE *f;

	(void)state;
	host.secret = KEY;
	RUN_OK("create", "c1", "--table", CRYPT_TABLE);
	RUN_IN_OK(CRYPT_TABLE "\n", "create", "c2");
	snprintf(path, sizeof(path), "%s/t", host.root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(CRYPT_TABLE "\n", f);
	fclose(f);
	fk_set_version(4, 19, 0);
	RUN_OK("create", "c3", path);
	RUN_OK("message", "c3", "0", "key", "set", KEY);
	/* Every page buffer was freed (run_cmd checks), none with the key
	 * in it: the text, the parsed table, the request, the message. */
	assert_true(host.frees >= 12);
	assert_int_equal(host.secret_freed, 0);
	assert_int_equal(host.freed_dirty, 0);
	assert_int_equal(host.live, 0);
	assert_true(fk_mem_has(fk_find_nr(FK_TARGET_MSG, 0)->buf,
			       fk_find_nr(FK_TARGET_MSG, 0)->len,
			       "key set " KEY));
	/* A failing create still wipes (rollback path). */
	fk_fail(FK_TABLE_LOAD, EIO, 0, 1);
	RUN_IN(CRYPT_TABLE, "create", "c4");
	expect_one_error("Input/output error");
	assert_int_equal(host.secret_freed, 0);
	/* And a table refused by the parser. */
	RUN("create", "c5", "--table", CRYPT_TABLE "\n9 1 zero");
	expect_one_error("table line 2");
	assert_int_equal(host.secret_freed, 0);
}

/* ---- secret memory: locked, out of core dumps, wiped, unlocked ---- */

/* Every range guarded was unlocked again, and only once wiped; no key
 * reached the kernel, the key file reader or the keyring from memory
 * that was not guarded. */
static void expect_secrets_released(void)
{
	assert_int_equal(fsys_locked(), 0);
	assert_int_equal(fsys.unlocked_dirty, 0);
	assert_int_equal(fsys.ioctl_unguarded, 0);
	assert_int_equal(fsys.key_unguarded, 0);
	assert_int_equal(fsys.payload_unguarded, 0);
	assert_int_equal(host.secret_freed, 0);
	assert_int_equal(host.freed_dirty, 0);
}

static void test_secret_ioctl_buffer(void **state)
{
	struct dm_ctx ctx;

	(void)state;
	fsys_reset();
	fk_add_dev("c", NULL);
	host.secret = KEY;
	dm_level_load(&ctx, "c", 0);
	/* The process is not dumpable; the buffer that carried the key is
	 * locked and out of dumps until it goes. */
	assert_true(fsys.undumpable);
	assert_true(fsys_guarded(ctx.io, ctx.io_size));
	assert_int_equal(fsys_locked(), 1);
	dm_done(&ctx);
	expect_secrets_released();
	/* Grown on a full buffer: the new one guarded before the key is
	 * copied in (the seam checks), the old one wiped and unlocked. */
	fk_reset();
	fk_set_version(4, 19, 0);
	fk_add_dev("c", NULL);
	fk.full_below[FK_TABLE_LOAD] = 20000;
	dm_level_load(&ctx, "c", 0);
	assert_int_equal(fk_count_nr(FK_TABLE_LOAD), 2);
	assert_true(fsys_guarded(ctx.io, ctx.io_size));
	assert_int_equal(ctx.io_size, 32 * KB);
	assert_int_equal(fsys_locked(), 1);
	dm_done(&ctx);
	expect_secrets_released();
	/* A failed load, and one refused before sending. */
	fk_reset();
	fk_add_dev("c", NULL);
	fk_fail(FK_TABLE_LOAD, EIO, 0, 1);
	dm_level_load(&ctx, "c", -EIO);
	dm_done(&ctx);
	expect_secrets_released();
	/* Requests without a key leave the buffer as it was. */
	fsys_reset();
	RUN_OK("version");
	RUN_OK("ls");
	assert_int_equal(fsys.mlocks, 0);
	assert_int_equal(fsys.dumpable_calls, 0);
}

/* create and message from the command line: every buffer that held the
 * key (the text read, the parsed table, the request) guarded and
 * released, on success and on failure. */
static void test_secret_cli(void **state)
{
	(void)state;
	fsys_reset();
	host.secret = KEY;
	RUN_IN_OK(CRYPT_TABLE "\n", "create", "c1");
	/* text read from stdin, table payload, ioctl buffer */
	assert_true(fsys.mlocks >= 3);
	assert_int_equal(fsys.mlocks, fsys.munlocks);
	expect_secrets_released();
	RUN_OK("message", "c1", "0", "key", "wipe");
	expect_secrets_released();
	fk_fail(FK_TABLE_LOAD, EIO, 0, 1);
	RUN_IN(CRYPT_TABLE, "create", "c2");
	expect_one_error("Input/output error");
	expect_secrets_released();
	RUN_IN(CRYPT_TABLE "\n9 1 zero", "create", "c3");
	expect_one_error("table line 2");
	expect_secrets_released();
	/* A table read back holds the key too (crypt, integrity). */
	fk_set_table(fk_add_dev("t", NULL), 1, CRYPT_TABLE);
	fsys.mlocks = 0;
	RUN_OK("table", "--showkeys", "t");
	assert_true(fsys.mlocks >= 1);
	expect_secrets_released();
}

/* mlock refused (RLIMIT_MEMLOCK, no CAP_IPC_LOCK): the key is used
 * anyway, as cryptsetup does, still wiped and out of dumps, and one
 * warning says so. */
static void test_secret_mlock_fails(void **state)
{
	(void)state;
	fsys_reset();
	fsys.mlock_err = EPERM;
	host.secret = KEY;
	RUN_IN_OK(CRYPT_TABLE "\n", "create", "c1");
	assert_string_equal(R.err,
			    "dmboot: create: warning: key memory could not be "
			    "locked (mlock): it may have reached swap\n");
	assert_non_null(fk_find("c1"));
	assert_true(fsys.undumpable);
	expect_secrets_released();
	/* Nothing to lock, nothing to say. */
	RUN_OK("info", "c1");
	assert_string_equal(R.err, "");
}

/* The three dm-integrity options that may end in a key: such a table is
 * sent with DM_SECURE_DATA_FLAG and its buffers are wiped; the same
 * options without a key are not secret. */
static void test_integrity_key_secure(void **state)
{
	static const char *const opts[] = {
		"internal_hash:hmac(sha256):" KEY,
		"journal_crypt:ctr(aes):" KEY,
		"journal_mac:hmac(sha256):" KEY,
	};
	static const char *const keyless[] = {
		"internal_hash:crc32c",
		"journal_mac:crc32c journal_watermark:50",
	};
	char text[256];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(opts); i++) {
		struct table t = {0};
		size_t n;

		fk_reset();
		fsys_reset();
		host.secret = KEY;
		n = (size_t)snprintf(text, sizeof(text),
				     "0 8 integrity 7:0 0 32 J 2 "
				     "block_size:512 %s\n",
				     opts[i]);
		/* The parser: secret, its payload guarded. */
		assert_int_equal(table_parse(&t, text, n), 0);
		assert_true(t.secure);
		assert_true(fsys_guarded(t.b.p, t.b.len));
		table_free(&t);
		expect_secrets_released();
		/* The command: flagged, wiped, released. */
		RUN_IN_OK(text, "create", "i");
		assert_int_equal(fk_find_nr(FK_TABLE_LOAD, 0)->hdr.flags,
				 DM_SECURE_DATA_FLAG);
		assert_true(fk_mem_has(fk_find_nr(FK_TABLE_LOAD, 0)->buf,
				       fk_find_nr(FK_TABLE_LOAD, 0)->len, KEY));
		expect_secrets_released();
		RUN_IN_OK(text, "reload", "i");
		assert_int_equal(fk_find_nr(FK_TABLE_LOAD, 1)->hdr.flags,
				 DM_SECURE_DATA_FLAG);
		expect_secrets_released();
	}
	for (i = 0; i < NELEM(keyless); i++) {
		fk_reset();
		snprintf(text, sizeof(text), "0 8 integrity 7:0 0 32 J 1 %s\n",
			 keyless[i]);
		RUN_IN_OK(text, "create", "i");
		assert_int_equal(fk_find_nr(FK_TABLE_LOAD, 0)->hdr.flags, 0);
	}
}

/* What the parser takes for key bytes: words as the kernel splits them
 * (any blanks), keyring references and empty keys not. */
static void test_table_key_detection(void **state)
{
	static const struct {
		const char *text;
		int key_text, secure;
	} cases[] = {
		{"0 8 crypt aes-xts-plain64 " KEY " 0 7:0 0", 1, 1},
		{"0 8 crypt aes-xts-plain64 \t  " KEY " 0 7:0 0", 1, 1},
		{"0 8 crypt aes-xts-plain64  " KEY " 0 7:0 0", 1, 1},
		{"0 8 crypt aes-xts-plain64 :32:logon:d 0 7:0 0", 0, 1},
		{"0 8 crypt cipher_null-ecb - 0 7:0 0", 0, 1},
		{"0 8 integrity 7:0 0 32 J 1 internal_hash:hmac(sha256):" KEY,
		 1, 1},
		{"0 8 integrity 7:0 0 32 J 2 block_size:512\t"
		 "journal_mac:hmac(sha256):" KEY,
		 1, 1},
		{"0 8 integrity 7:0 0 32 J 1 internal_hash:crc32c", 0, 0},
		{"0 8 integrity 7:0 0 32 J 1 journal_crypt:ctr(aes):", 0, 0},
		{"0 8 integrity 7:0 0 32 J 1 xinternal_hash:a:b", 0, 0},
		{"0 8 linear 7:0 0", 0, 0},
		{"0 8 linear 7:0 0\n8 8 crypt aes " KEY " 0 7:0 8", 1, 1},
	};
	size_t i;

	(void)state;
	fsys_reset();
	for (i = 0; i < NELEM(cases); i++) {
		struct table t = {0};
		const char *text = cases[i].text;

		assert_int_equal(table_parse(&t, text, strlen(text)), 0);
		if (t.key_text != cases[i].key_text ||
		    t.secure != cases[i].secure)
			fail_msg("%s: key_text %d secure %d", text, t.key_text,
				 t.secure);
		table_free(&t);
	}
	assert_int_equal(fsys_locked(), 0);
}

#define ARGV_WARNING(cmd)                                                      \
	"dmboot: " cmd ": warning: the table holds a key on the command "      \
	"line, visible in /proc/PID/cmdline; use a table file, stdin or a "    \
	"keyring key (:32:logon:DESC)\n"

/* A key in --table is in /proc/PID/cmdline: one warning, whatever the
 * number of targets, for create, load and reload; none for a table from
 * a file or stdin, or with a keyring reference. */
static void test_table_key_in_argv(void **state)
{
	char path[512];
	FILE *f;

	(void)state;
	RUN_OK("create", "c1", "--table", CRYPT_TABLE);
	assert_string_equal(R.err, ARGV_WARNING("create"));
	RUN_OK("load", "c1", "--table",
	       "0 8 crypt aes-xts-plain64 " KEY " 0 7:0 0\n"
	       "8 8 crypt aes-xts-plain64 " KEY " 0 7:0 8");
	assert_string_equal(R.err, ARGV_WARNING("load"));
	RUN_OK("reload", "c1", "--table",
	       "0 8 integrity 7:0 0 32 J 1 journal_mac:hmac(sha256):" KEY);
	assert_string_equal(R.err, ARGV_WARNING("reload"));
	/* A refused table: its error only. */
	RUN("create", "c0", "--table", CRYPT_TABLE "\n9 1 zero");
	expect_one_error("table line 2");
	/* No key bytes on the command line. */
	RUN_OK("create", "c2", "--table",
	       "0 8 crypt aes-xts-plain64 :32:logon:dmboot:x 0 7:0 0");
	assert_string_equal(R.err, "");
	RUN_OK("create", "c3", "--table",
	       "0 8 crypt cipher_null-ecb - 0 7:0 0");
	assert_string_equal(R.err, "");
	RUN_OK("create", "c4", "--table",
	       "0 8 integrity 7:0 0 32 J 1 internal_hash:crc32c");
	assert_string_equal(R.err, "");
	RUN_OK("create", "c5", "--table", "0 8 linear 7:0 0");
	assert_string_equal(R.err, "");
	RUN_IN_OK(CRYPT_TABLE "\n", "create", "c6");
	assert_string_equal(R.err, "");
	snprintf(path, sizeof(path), "%s/t", host.root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(CRYPT_TABLE "\n", f);
	fclose(f);
	RUN_OK("create", "c7", path);
	assert_string_equal(R.err, "");
}

static void test_version_learned_on_failure(void **state)
{
	struct dm_ctx ctx;
	struct dm_info info;

	(void)state;
	fk_set_version(4, 20, 3);
	dm_init(&ctx);
	assert_int_equal(ctx.kver[0], 0);
	assert_int_equal(dm_get_info(&ctx, "nosuch", 0, &info), -ENXIO);
	assert_int_equal(ctx.kver[0], 4);
	assert_int_equal(ctx.kver[1], 20);
	assert_int_equal(ctx.kver[2], 3);
	/* Known now: a gated flag asks nothing. */
	assert_int_equal(dm_suspend(&ctx, "nosuch", DM_NOFLUSH_FLAG), -ENXIO);
	EXPECT_NRS(FK_DEV_STATUS, FK_DEV_SUSPEND);
	dm_done(&ctx);
}

static void test_no_control_device(void **state)
{
	(void)state;
	fk.open_err = ENOENT;
	RUN("info", "a");
	expect_one_error("dmboot: info: a: No such file or directory\n");
	EXPECT_NO_REQUESTS();
}

static void test_out_of_memory(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	host.alloc_fail_at = host.allocs + 1;
	RUN("info", "a");
	expect_one_error("dmboot: info: a: Cannot allocate memory\n");
	EXPECT_NO_REQUESTS();
	/* The second buffer (the growth) fails. */
	fk.full_below[FK_LIST_DEVICES] = 20000;
	host.alloc_fail_at = host.allocs + 2;
	RUN("ls");
	expect_one_error("Cannot allocate memory");
	EXPECT_NRS(FK_LIST_DEVICES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_list_buffer_full),
		T(test_status_buffer_full),
		T(test_message_buffer_full),
		T(test_ten_thousand_devices),
		T(test_hundred_thousand_targets),
		T(test_buffer_cap),
		T(test_key_wiped_after_call),
		T(test_key_wiped_on_failure),
		T(test_key_buffers_wiped_cli),
		T(test_secret_ioctl_buffer),
		T(test_secret_cli),
		T(test_secret_mlock_fails),
		T(test_integrity_key_secure),
		T(test_table_key_detection),
		T(test_table_key_in_argv),
		T(test_version_learned_on_failure),
		T(test_no_control_device),
		T(test_out_of_memory),
	};

	return cmocka_run_group_tests_name("buffers: growth, cap, keys", tests,
					   NULL, NULL);
}
