/* SPDX-License-Identifier: MIT */
/* The verity activation layer called directly, as tab lines and /init
 * call it: verity_open_set's refusals name their field, verity_activate
 * sends veritysetup's requests for a filled struct, refuses by field
 * before any request, and removes the device again when the load fails.
 * Fake block devices (fake-sys.c), fake kernel (fake-kernel.c). */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dm.h"
#include "fake-sys.h"
#include "table.h"
#include "verity-open.h"

#define ROOT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SALT "aabbccdd"

static char data[512], hash[512];

static int open_setup(void **state)
{
	setup(state);
	fsys_reset();
	verity_blkdev_pair(data, hash);
	return 0;
}

static int open_teardown(void **state)
{
	fsys_reset();
	return teardown(state);
}

/* What "verity open --no-superblock --data-blocks 8 --salt SALT
 * --no-root-hash-check DATA v HASH ROOT" fills in. */
static void filled(struct verity_open *o)
{
	struct act_err e = {0};

	verity_open_init(o);
	assert_int_equal(verity_open_set(o, VO_NO_SUPERBLOCK, NULL, &e), 0);
	assert_int_equal(verity_open_set(o, VO_DATA_BLOCKS, "8", &e), 0);
	assert_int_equal(verity_open_set(o, VO_SALT, SALT, &e), 0);
	assert_int_equal(verity_open_set(o, VO_NO_ROOT_CHECK, NULL, &e), 0);
	assert_int_equal(verity_open_set(o, VO_DATA, data, &e), 0);
	assert_int_equal(verity_open_set(o, VO_NAME, "v", &e), 0);
	assert_int_equal(verity_open_set(o, VO_HASH_DEVICE, hash, &e), 0);
	assert_int_equal(verity_open_set(o, VO_ROOT_HASH, ROOT, &e), 0);
}

static const char *loaded_params(void)
{
	const struct fk_rec *r = fk_find_nr(FK_TABLE_LOAD, 0);

	assert_non_null(r);
	return (const char *)fk_payload(r) + 40;
}

static void test_field_names(void **state)
{
	(void)state;
	assert_string_equal(verity_field_name(VO_HASH_OFFSET), "hash-offset");
	assert_string_equal(verity_field_name(VO_SIGNATURE),
			    "root-hash-signature");
	assert_string_equal(verity_field_name(VO_NO_ROOT_CHECK),
			    "no-root-hash-check");
	assert_string_equal(verity_field_name(VO_DEBUG), "debug");
	assert_string_equal(verity_field_name(VO_DATA), "");
	assert_string_equal(verity_field_name(VO_NONE), "");
	assert_string_equal(verity_field_name(VO_COUNT), "");
}

/* One input's text: the refusal names the field and gives the reason
 * the command line gives; o keeps its default. */
static void test_set_refusals(void **state)
{
	static const struct {
		int f;
		const char *val, *why;
	} cases[] = {
		{VO_HASH_OFFSET, "12x", "not a number"},
		{VO_HASH_OFFSET, "", "not a number"},
		{VO_DATA_BLOCKS, "-1", "not a number"},
		{VO_DATA_BLOCK_SIZE, "1000", "unsupported block size"},
		{VO_HASH_BLOCK_SIZE, "256", "unsupported block size"},
		{VO_FORMAT, "2", "must be 0 or 1"},
		{VO_FEC_ROOTS, "1", "must be 2 to 24"},
		{VO_FEC_ROOTS, "25", "must be 2 to 24"},
		{VO_SALT, "abc", "not hex, or longer than 256 bytes"},
		{VO_SALT, "zz", "not hex, or longer than 256 bytes"},
		{VO_UUID, "not-a-uuid", "not a UUID"},
		{VO_HASH, "nosuch", "unknown hash algorithm"},
		{VO_HASH_OFFSET, NULL, "needs a value"},
		{VO_ROOT_HASH_FILE, NULL, "needs a value"},
	};
	struct verity_open o;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		struct act_err e = {0};

		verity_open_init(&o);
		assert_int_equal(
			verity_open_set(&o, cases[i].f, cases[i].val, &e),
			-EINVAL);
		assert_int_equal(e.field, cases[i].f);
		assert_non_null(e.why);
		assert_string_equal(e.why, cases[i].why);
		assert_int_equal(o.format, 1);
		assert_int_equal(o.data_block_size, 4096);
		assert_int_equal(o.fec_roots, 2);
		assert_int_equal(o.salt_size, 0);
		assert_string_equal(o.hash_name, "sha256");
	}
	/* What is accepted lands in o. */
	{
		struct act_err e = {0};

		verity_open_init(&o);
		assert_int_equal(
			verity_open_set(&o, VO_HASH_OFFSET, "4096", &e), 0);
		assert_int_equal(verity_open_set(&o, VO_FORMAT, "0", &e), 0);
		assert_int_equal(verity_open_set(&o, VO_HASH, "sha1", &e), 0);
		assert_int_equal(verity_open_set(&o, VO_PANIC, NULL, &e), 0);
		assert_int_equal(
			verity_open_set(&o, VO_FEC_DEVICE, "/dev/x", &e), 0);
		assert_int_equal(verity_open_set(&o, VO_SALT, "-", &e), 0);
		assert_true(o.hash_offset == 4096);
		assert_int_equal(o.format, 0);
		assert_string_equal(o.hash_name, "sha1");
		assert_int_equal(o.flags, VF_PANIC_ON_CORRUPTION | VF_FEC);
		assert_int_equal(o.salt_size, 0);
		assert_true(verity_given(&o, VO_HASH_OFFSET));
		assert_true(verity_given(&o, VO_PANIC));
		assert_false(verity_given(&o, VO_RESTART));
		assert_int_equal(verity_open_set(&o, VO_COUNT, "x", &e),
				 -EINVAL);
	}
}

/* A filled struct: the device made as "verity open" makes it, its node
 * too, and nothing printed. */
static void test_activate_requests(void **state)
{
	struct verity_open o;
	struct act_err e = {0};
	struct dm_ctx ctx;
	const struct fk_rec *r;
	char node[64];

	(void)state;
	filled(&o);
	dm_init(&ctx);
	assert_int_equal(verity_activate(&ctx, &o, &e), 0);
	dm_done(&ctx);
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND);
	r = fk_find_nr(FK_DEV_CREATE, 0);
	assert_string_equal(r->hdr.name, "v");
	assert_string_equal(r->hdr.uuid, "CRYPT-VERITY-v");
	assert_true(fk_find_nr(FK_TABLE_LOAD, 0)->hdr.flags & DM_READONLY_FLAG);
	assert_string_equal(loaded_params(),
			    "1 8:48 8:64 4096 4096 8 0 sha256 " ROOT " " SALT);
	assert_non_null(fk_find("v"));
	assert_true(host_node("v", node, sizeof(node)));
	assert_int_equal(e.field, VO_NONE);
	assert_null(e.why);
}

/* Refusals before any request: each names its field (or the value at
 * fault), and nothing exists afterwards. */
static void test_activate_refusals(void **state)
{
	struct verity_open o;
	struct act_err e;
	struct dm_ctx ctx;

	(void)state;
	dm_init(&ctx);

	filled(&o);
	o.data = "/nonexistent-data";
	memset(&e, 0, sizeof(e));
	assert_int_equal(verity_activate(&ctx, &o, &e), -ENOENT);
	assert_int_equal(e.field, VO_DATA);
	assert_string_equal(e.what, "/nonexistent-data");
	assert_null(e.why);

	filled(&o);
	o.name = "a/b";
	memset(&e, 0, sizeof(e));
	assert_int_equal(verity_activate(&ctx, &o, &e), -EINVAL);
	assert_int_equal(e.field, VO_NAME);
	assert_string_equal(e.what, "a/b");

	filled(&o);
	o.root_hash = "0123";
	memset(&e, 0, sizeof(e));
	assert_int_equal(verity_activate(&ctx, &o, &e), -EINVAL);
	assert_int_equal(e.field, VO_ROOT_HASH);
	assert_string_equal(e.what, "0123");
	assert_string_equal(e.why,
			    "root hash is not a hex digest of the hash's size");

	filled(&o);
	assert_int_equal(verity_open_set(&o, VO_RESTART, NULL, &e), 0);
	assert_int_equal(verity_open_set(&o, VO_IGNORE_CORRUPTION, NULL, &e),
			 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(verity_activate(&ctx, &o, &e), -EINVAL);
	assert_int_equal(e.field, VO_RESTART);

	filled(&o);
	o.name = NULL;
	memset(&e, 0, sizeof(e));
	assert_int_equal(verity_activate(&ctx, &o, &e), -EINVAL);
	assert_int_equal(e.field, VO_NAME);

	EXPECT_NO_REQUESTS();
	assert_null(fk_find("v"));
	dm_done(&ctx);
}

/* An option the kernel's dm-verity lacks: refused by field with both
 * versions, after the two version probes, before any device exists. */
static void test_activate_gate(void **state)
{
	struct verity_open o;
	struct act_err e = {0};
	struct dm_ctx ctx;
	size_t i;

	(void)state;
	for (i = 0; i < fk.ntargets; i++)
		if (!strcmp(fk.targets[i].name, "verity"))
			fk.targets[i].v[1] = 6;
	filled(&o);
	assert_int_equal(verity_open_set(&o, VO_PANIC, NULL, &e), 0);
	dm_init(&ctx);
	assert_int_equal(verity_activate(&ctx, &o, &e), -EINVAL);
	dm_done(&ctx);
	assert_int_equal(e.field, VO_PANIC);
	assert_null(e.what);
	assert_string_equal(e.why, "needs dm-verity 1.7.0, kernel has 1.6.0");
	EXPECT_NRS(FK_VERSION, FK_GET_TARGET_VERSION);
	assert_null(fk_find("v"));
}

/* The load fails: the device is removed again, the kernel's error comes
 * back naming the device, and no node is left. */
static void test_activate_rollback(void **state)
{
	struct verity_open o;
	struct act_err e = {0};
	struct dm_ctx ctx;
	char node[64];

	(void)state;
	filled(&o);
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, 1);
	dm_init(&ctx);
	assert_int_equal(verity_activate(&ctx, &o, &e), -EINVAL);
	dm_done(&ctx);
	assert_int_equal(e.field, VO_NAME);
	assert_string_equal(e.what, "v");
	assert_null(e.why);
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_REMOVE);
	assert_null(fk_find("v"));
	assert_false(host_node("v", node, sizeof(node)));
}

/* A dry run hands the table to ctx->dry_run and sends nothing. */
static char dry_table[256], dry_uuid[DM_UUID_LEN];
static void dry(const char *name, const char *uuid, uint32_t flags,
		const struct table *t)
{
	(void)flags;
	(void)t;
	assert_string_equal(name, "v");
	snprintf(dry_uuid, sizeof(dry_uuid), "%s", uuid);
	snprintf(dry_table, sizeof(dry_table), "seen");
}

static void test_activate_dry_run(void **state)
{
	struct verity_open o;
	struct act_err e = {0};
	struct dm_ctx ctx;

	(void)state;
	filled(&o);
	dm_init(&ctx);
	ctx.dry_run = dry;
	dry_table[0] = 0;
	assert_int_equal(verity_activate(&ctx, &o, &e), 0);
	dm_done(&ctx);
	assert_string_equal(dry_table, "seen");
	assert_string_equal(dry_uuid, "CRYPT-VERITY-v");
	EXPECT_NO_REQUESTS();
}

/* The shared exit-code map says 4 for ENOENT, which veritysetup means
 * for a missing data or hash device only: a missing root hash file,
 * signature or FEC device is invalid input, 1. */
static void test_missing_file_exit_codes(void **state)
{
	(void)state;
	RUN("verity", "open", "--no-superblock", "--data-blocks", "8",
	    "--root-hash-file", "/nonexistent-root", data, "v", hash);
	assert_int_equal(R.rc, 1);
	expect_one_error("/nonexistent-root: No such file or directory");
	RUN("verity", "open", "--no-superblock", "--data-blocks", "8",
	    "--no-root-hash-check", "--fec-device", "/nonexistent-fec", data,
	    "v", hash, ROOT);
	assert_int_equal(R.rc, 1);
	expect_one_error("/nonexistent-fec: No such file or directory");
	RUN("verity", "open", "--no-superblock", "--data-blocks", "8",
	    "--no-root-hash-check", "--root-hash-signature", "/nonexistent-sig",
	    data, "v", hash, ROOT);
	assert_int_equal(R.rc, 1);
	expect_one_error("/nonexistent-sig: No such file or directory");
	RUN("verity", "open", data, "v", "/nonexistent-hash", ROOT);
	assert_int_equal(R.rc, 4);
	RUN("verity", "verify", "/nonexistent-data", hash, ROOT);
	assert_int_equal(R.rc, 4);
	assert_null(fk_find("v"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, open_setup, open_teardown)
		T(test_field_names),	   T(test_set_refusals),
		T(test_activate_requests), T(test_activate_refusals),
		T(test_activate_gate),	   T(test_activate_rollback),
		T(test_activate_dry_run),  T(test_missing_file_exit_codes),
	};

	return cmocka_run_group_tests_name("verity activation", tests, NULL,
					   NULL);
}
