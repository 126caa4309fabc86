/* SPDX-License-Identifier: MIT */
/* dm-verity: the superblock parser, the table text veritysetup builds
 * (strings taken from `dmsetup table` of veritysetup 2.6.1's devices on
 * Linux 6.1), the option gates, the UUID, the tree layout, verify's
 * padding check (fake AF_ALG), and close and status against the fake
 * kernel. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-sys.h"
#include "kcapi.h"
#include "verity-tree.h"
#include "verity.h"

/* ---- superblock ---- */

static void put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static const uint8_t sb_uuid[16] = {0xdb, 0x9b, 0xe9, 0xde, 0xfa, 0x88,
				    0x41, 0xd6, 0x86, 0xa4, 0x92, 0xef,
				    0x55, 0x4e, 0x9f, 0x01};

static void good_sb(uint8_t b[512])
{
	memset(b, 0, 512);
	memcpy(b, "verity\0\0", 8);
	put_le(b + 8, 1, 4);
	put_le(b + 12, 1, 4);
	memcpy(b + 16, sb_uuid, 16);
	memcpy(b + 32, "sha256", 6);
	put_le(b + 64, 4096, 4);
	put_le(b + 68, 4096, 4);
	put_le(b + 72, 1024, 8);
	put_le(b + 80, 32, 2);
	memset(b + 88, 0xab, 32);
	memset(b + 88 + 32, 0xcd, 256 - 32); /* beyond salt_size: ignored */
}

static void test_sb_valid(void **state)
{
	uint8_t b[512];
	struct verity_sb sb;

	(void)state;
	good_sb(b);
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb), 0);
	assert_int_equal(sb.hash_type, 1);
	assert_string_equal(sb.algorithm, "sha256");
	assert_int_equal(sb.data_block_size, 4096);
	assert_int_equal(sb.hash_block_size, 4096);
	assert_true(sb.data_blocks == 1024);
	assert_int_equal(sb.salt_size, 32);
	assert_memory_equal(sb.uuid, sb_uuid, 16);
	assert_int_equal(sb.salt[0], 0xab);
	assert_int_equal(sb.salt[31], 0xab);
	/* Little-endian whatever the host: high bytes count. */
	put_le(b + 72, 0x0000000100000002ull, 8);
	put_le(b + 64, 512, 4);
	put_le(b + 68, 512 * 1024, 4);
	put_le(b + 80, 256, 2);
	put_le(b + 12, 0, 4);
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb), 0);
	assert_true(sb.data_blocks == 0x0000000100000002ull);
	assert_int_equal(sb.hash_block_size, 512 * 1024);
	assert_int_equal(sb.salt_size, 256);
	assert_int_equal(sb.hash_type, 0);
	/* 31 characters and the NUL fill the field. */
	memset(b + 32, 'a', 32);
	memcpy(b + 32, "sha1", 4);
	b[63] = 0;
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb), -VSB_ALGORITHM);
}

struct bad_sb {
	size_t off;
	uint64_t val;
	int n, err;
};

static void test_sb_invalid(void **state)
{
	static const struct bad_sb cases[] = {
		{0, 'V', 1, -VSB_SIGNATURE},
		{7, 1, 1, -VSB_SIGNATURE},
		{8, 0, 4, -VSB_VERSION},
		{8, 2, 4, -VSB_VERSION},
		{8, 0x101, 4, -VSB_VERSION},
		{12, 2, 4, -VSB_HASH_TYPE},
		{12, 0x80000000u, 4, -VSB_HASH_TYPE},
		{32, 0, 1, -VSB_ALGORITHM}, /* empty */
		{32, 'x', 1, -VSB_ALGORITHM}, /* xha256 */
		{32, 'S', 1, -VSB_ALGORITHM}, /* upper case */
		{64, 0, 4, -VSB_BLOCK_SIZE},
		{64, 256, 4, -VSB_BLOCK_SIZE},
		{64, 1000, 4, -VSB_BLOCK_SIZE},
		{64, 1024 * 1024, 4, -VSB_BLOCK_SIZE},
		{68, 4097, 4, -VSB_BLOCK_SIZE},
		{68, 0x80000000u, 4, -VSB_BLOCK_SIZE},
		{80, 257, 2, -VSB_SALT_SIZE},
		{80, 300, 2, -VSB_SALT_SIZE},
		{80, 0xffff, 2, -VSB_SALT_SIZE},
		{72, 0, 8, -VSB_DATA_BLOCKS},
		{72, UINT64_MAX, 8, -VSB_DATA_BLOCKS},
		{72, UINT64_MAX / 4096 + 1, 8, -VSB_DATA_BLOCKS},
	};
	uint8_t b[512];
	struct verity_sb sb;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		good_sb(b);
		put_le(b + cases[i].off, cases[i].val, cases[i].n);
		assert_int_equal(verity_sb_parse(b, sizeof(b), &sb),
				 cases[i].err);
		assert_true(*verity_sb_strerror(cases[i].err));
	}
	good_sb(b);
	put_le(b + 72, UINT64_MAX / 4096, 8);
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb), 0);
	memset(b + 32, 'a', 32); /* no NUL in the field */
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb), -VSB_ALGORITHM);
	good_sb(b);
	assert_int_equal(verity_sb_parse(b, 511, &sb), -VSB_TRUNCATED);
	assert_int_equal(verity_sb_parse(b, 0, &sb), -VSB_TRUNCATED);
	assert_string_equal(verity_sb_strerror(-VSB_SALT_SIZE),
			    "salt larger than 256 bytes");
	assert_string_equal(verity_sb_strerror(-VSB_TRUNCATED),
			    "superblock truncated");
}

/* ---- table text ---- */

static void params(struct verity_params *p, uint32_t type, const char *alg,
		   uint32_t dbs, uint32_t hbs, uint64_t blocks,
		   const char *root, const char *salt)
{
	memset(p, 0, sizeof(*p));
	p->hash_type = type;
	strcpy(p->hash_name, alg);
	p->data_block_size = dbs;
	p->hash_block_size = hbs;
	p->data_blocks = blocks;
	p->superblock = 1;
	p->digest_size = verity_digest_size(alg);
	assert_int_equal(verity_hex_decode(root, strlen(root), p->root, 64),
			 p->digest_size);
	if (strcmp(salt, "-"))
		p->salt_size = (uint16_t)verity_hex_decode(salt, strlen(salt),
							   p->salt, 256);
	p->data_dev[0] = 253;
	p->data_dev[1] = 0;
	p->hash_dev[0] = 253;
	p->hash_dev[1] = 16;
}

#define ROOT1 "79a2a0b1781b0042d6f4bee12754964b0d6916924be9c7867d9706c12156008a"
#define SALT1 "6131d59b80885fa0093721cb1dfa6e047084e6a8c666ca3408fc31b0829ec899"
#define HEAD1 "1 253:0 253:16 4096 4096 1024 1 sha256 " ROOT1 " " SALT1

static void expect_text(const struct verity_params *p, const char *want)
{
	char out[1024];

	assert_int_equal(verity_table_text(p, out, sizeof(out)),
			 (int)strlen(want));
	assert_string_equal(out, want);
}

static void test_table_text(void **state)
{
	struct verity_params p;
	char small[40];

	(void)state;
	params(&p, 1, "sha256", 4096, 4096, 1024, ROOT1, SALT1);
	expect_text(&p, HEAD1);
	assert_true(verity_sectors(&p) == 8192);
	assert_int_equal(verity_table_text(&p, small, sizeof(small)), -ENOSPC);

	/* format 0, sha1, 1024-byte data blocks */
	params(&p, 0, "sha1", 1024, 4096, 4096,
	       "a9937badc3a19d230861b2a16e66737ca2951d2c",
	       "e8f23407da7be402aeef118fcc2ed6de40714c2557a7ee43059c66db02373b7"
	       "6");
	expect_text(&p, "0 253:0 253:16 1024 4096 4096 1 sha1 "
			"a9937badc3a19d230861b2a16e66737ca2951d2c "
			"e8f23407da7be402aeef118fcc2ed6de40714c2557a7ee43059c66"
			"db02373b76");

	/* no superblock, no salt */
	params(&p, 1, "sha256", 4096, 4096, 1024,
	       "f41219c536239faaf11b0abc98383c98d594ffe197a2bddb4cdf3d0ac6a4a41"
	       "e",
	       "-");
	p.superblock = 0;
	expect_text(&p, "1 253:0 253:16 4096 4096 1024 0 sha256 "
			"f41219c536239faaf11b0abc98383c98d594ffe197a2bddb4cdf3d"
			"0ac6a4a41e -");
	p.hash_offset = 8192;
	assert_true(verity_hash_start(&p) == 2);
	/* with a superblock at 4 MiB: ceil((4194304 + 512) / 4096) */
	p.superblock = 1;
	p.hash_offset = 4194304;
	assert_true(verity_hash_start(&p) == 1025);
	p.hash_block_size = 512;
	assert_true(verity_hash_start(&p) == 8193);
}

static void test_table_options(void **state)
{
	struct verity_params p;

	(void)state;
	params(&p, 1, "sha256", 4096, 4096, 1024, ROOT1, SALT1);
	p.flags = VF_IGNORE_CORRUPTION | VF_IGNORE_ZERO_BLOCKS |
		  VF_CHECK_AT_MOST_ONCE;
	expect_text(
		&p, HEAD1
		" 3 ignore_corruption ignore_zero_blocks check_at_most_once");
	/* cryptsetup's order, whatever the order of the bits asked */
	p.flags =
		VF_TASKLETS | VF_CHECK_AT_MOST_ONCE | VF_RESTART_ON_CORRUPTION;
	expect_text(&p, HEAD1 " 3 restart_on_corruption check_at_most_once "
			      "try_verify_in_tasklet");
	/* panic beats ignore and restart, as in libcryptsetup */
	p.flags = VF_PANIC_ON_CORRUPTION | VF_IGNORE_CORRUPTION;
	expect_text(&p, HEAD1 " 1 panic_on_corruption");
	p.flags = VF_PANIC_ON_CORRUPTION | VF_RESTART_ON_CORRUPTION;
	expect_text(&p, HEAD1 " 1 panic_on_corruption");
	p.flags = VF_RESTART_ON_CORRUPTION | VF_IGNORE_CORRUPTION;
	expect_text(&p, HEAD1 " 1 restart_on_corruption");

	/* FEC on its own device: the whole hash device from the tree on */
	p.flags = VF_FEC;
	p.fec_dev[0] = 253;
	p.fec_dev[1] = 32;
	p.fec_roots = 2;
	assert_int_equal(verity_fec_area(&p, 1 << 20, 0, 0), 0);
	assert_true(p.fec_blocks == 1279 && p.fec_start == 0);
	expect_text(&p, HEAD1 " 8 use_fec_from_device 253:32 fec_start 0 "
			      "fec_blocks 1279 fec_roots 2");
	/* the signature: 2 words more, last */
	p.flags |= VF_SIGNATURE | VF_IGNORE_ZERO_BLOCKS;
	p.sig_key_desc = "cryptsetup:db9be9de-fa88-41d6-86a4-92ef554e9f01-v";
	expect_text(
		&p, HEAD1
		" 11 ignore_zero_blocks use_fec_from_device 253:32 fec_start 0 "
		"fec_blocks 1279 fec_roots 2 root_hash_sig_key_desc "
		"cryptsetup:db9be9de-fa88-41d6-86a4-92ef554e9f01-v");
	p.flags = VF_SIGNATURE;
	expect_text(&p,
		    HEAD1 " 2 root_hash_sig_key_desc "
			  "cryptsetup:db9be9de-fa88-41d6-86a4-92ef554e9f01-v");

	/* data, hash and FEC on one 8 MiB device: the tree at 4 MiB, FEC at
	 * 6 MiB covers the data and the hash area up to itself */
	p.hash_offset = 4194304;
	p.hash_dev[1] = 0;
	p.fec_dev[1] = 0;
	assert_int_equal(verity_fec_area(&p, 8 << 20, 1, 6291456), 0);
	assert_true(p.fec_blocks == 1535 && p.fec_start == 1536);
	assert_int_equal(verity_fec_area(&p, 8 << 20, 1, 6291456 + 512),
			 -EINVAL);
	assert_int_equal(verity_fec_area(&p, 8 << 20, 1, 4096), -EINVAL);
}

static void test_gates(void **state)
{
	static const uint32_t v13[3] = {1, 3, 0}, v12[3] = {1, 2, 0},
			      v16[3] = {1, 6, 0}, v19[3] = {1, 9, 0},
			      v20[3] = {2, 0, 0};
	unsigned need = 0;

	(void)state;
	assert_int_equal(verity_gate(0, v12, &need), 0);
	assert_int_equal(verity_gate(VF_IGNORE_CORRUPTION, v12, &need),
			 VF_IGNORE_CORRUPTION);
	assert_int_equal(need, 3);
	assert_int_equal(verity_gate(VF_FEC, v12, &need), VF_FEC);
	assert_int_equal(
		verity_gate(VF_FEC | VF_IGNORE_ZERO_BLOCKS, v13, &need), 0);
	assert_int_equal(verity_gate(VF_CHECK_AT_MOST_ONCE, v13, &need),
			 VF_CHECK_AT_MOST_ONCE);
	assert_int_equal(need, 4);
	assert_int_equal(verity_gate(VF_SIGNATURE, v13, &need), VF_SIGNATURE);
	assert_int_equal(need, 5);
	assert_int_equal(
		verity_gate(VF_PANIC_ON_CORRUPTION | VF_SIGNATURE, v16, &need),
		VF_PANIC_ON_CORRUPTION);
	assert_int_equal(need, 7);
	assert_int_equal(verity_gate(VF_TASKLETS, v16, &need), VF_TASKLETS);
	assert_int_equal(need, 9);
	assert_int_equal(verity_gate(0xff, v19, &need), 0);
	assert_int_equal(verity_gate(0xff, v20, &need), 0);
}

static void test_uuid(void **state)
{
	char out[129], name[200];
	uint8_t u[16];

	(void)state;
	verity_dm_uuid(sb_uuid, "v", out);
	assert_string_equal(out,
			    "CRYPT-VERITY-db9be9defa8841d686a492ef554e9f01-v");
	verity_dm_uuid(NULL, "root", out);
	assert_string_equal(out, "CRYPT-VERITY-root");
	memset(name, 'n', 127);
	name[127] = 0;
	verity_dm_uuid(sb_uuid, name, out);
	assert_int_equal(strlen(out), 128);
	assert_memory_equal(out + 46, name, 128 - 46);
	assert_int_equal(
		verity_uuid_parse("db9be9de-fa88-41d6-86a4-92ef554e9f01", u),
		0);
	assert_memory_equal(u, sb_uuid, 16);
	assert_int_equal(
		verity_uuid_parse("DB9BE9DEFA8841D686A492EF554E9F01", u), 0);
	assert_memory_equal(u, sb_uuid, 16);
	assert_int_equal(
		verity_uuid_parse("db9be9de-fa88-41d6-86a4-92ef554e9f0", u),
		-EINVAL);
	assert_int_equal(
		verity_uuid_parse("db9be9de-fa88-41d6-86a4-92ef554e9f011", u),
		-EINVAL);
	assert_int_equal(
		verity_uuid_parse("xb9be9de-fa88-41d6-86a4-92ef554e9f01", u),
		-EINVAL);
	assert_int_equal(verity_hex_decode("abc", 3, u, 16), -EINVAL);
	assert_int_equal(verity_hex_decode("zz", 2, u, 16), -EINVAL);
	assert_int_equal(verity_hex_decode("00112233", 8, u, 3), -EINVAL);
}

static void test_tree_layout(void **state)
{
	struct verity_params p;
	struct verity_tree t;
	uint64_t blk;
	uint32_t off;

	(void)state;
	/* veritysetup format: 1024 x 4 KiB with sha256 = 9 hash blocks */
	params(&p, 1, "sha256", 4096, 4096, 1024, ROOT1, SALT1);
	assert_int_equal(verity_tree_layout(&p, &t), 0);
	assert_int_equal(t.levels, 2);
	assert_int_equal(t.per_block_bits, 7);
	assert_true(t.level_block[1] == 1 && t.level_block[0] == 2 &&
		    t.end == 10);
	verity_digest_pos(&p, &t, 0, 129, &blk, &off);
	assert_true(blk == 3 && off == 32);
	/* 4096 x 1 KiB with sha1 = 33 hash blocks; format 0 packs digests */
	params(&p, 0, "sha1", 1024, 4096, 4096,
	       "a9937badc3a19d230861b2a16e66737ca2951d2c", "-");
	assert_int_equal(verity_tree_layout(&p, &t), 0);
	assert_true(t.levels == 2 && t.end - t.start == 33);
	verity_digest_pos(&p, &t, 0, 3, &blk, &off);
	assert_true(blk == t.level_block[0] && off == 60);
	p.hash_type = 1; /* 20-byte digests in 32-byte slots */
	verity_digest_pos(&p, &t, 0, 3, &blk, &off);
	assert_true(off == 96);
	/* one data block: no levels, the root is the block's hash */
	p.data_blocks = 1;
	assert_int_equal(verity_tree_layout(&p, &t), 0);
	assert_int_equal(t.levels, 0);
	/* the largest device: levels stop at 64 bits */
	params(&p, 1, "sha512", 512, 512, UINT64_MAX / 512, ROOT1 ROOT1, "-");
	assert_int_equal(verity_tree_layout(&p, &t), 0);
	assert_int_equal(t.levels, 19); /* 55 bits, 3 per level */
	p.data_blocks = 0;
	assert_int_equal(verity_tree_layout(&p, &t), -EINVAL);
}

static void test_table_parse(void **state)
{
	struct verity_table vt;

	(void)state;
	assert_int_equal(verity_table_parse(HEAD1, &vt), 0);
	assert_string_equal(vt.data_dev, "253:0");
	assert_string_equal(vt.alg, "sha256");
	assert_true(vt.hash_start == 1 && vt.data_blocks == 1024 && !vt.flags);
	assert_int_equal(vt.root_len, 64);
	assert_memory_equal(vt.salt, SALT1, 64);
	/* as the kernel prints it back: fec_blocks before fec_start */
	assert_int_equal(
		verity_table_parse(
			HEAD1
			" 10 ignore_corruption use_fec_from_device "
			"253:48 fec_blocks 1535 fec_start 1536 fec_roots 2 "
			"check_at_most_once",
			&vt),
		0);
	assert_int_equal(vt.flags,
			 VF_IGNORE_CORRUPTION | VF_FEC | VF_CHECK_AT_MOST_ONCE);
	assert_string_equal(vt.fec_dev, "253:48");
	assert_true(vt.fec_blocks == 1535 && vt.fec_start == 1536 &&
		    vt.fec_roots == 2);
	assert_int_equal(
		verity_table_parse(HEAD1 " 2 root_hash_sig_key_desc x", &vt),
		0);
	assert_int_equal(vt.flags, VF_SIGNATURE);
	assert_int_equal(verity_table_parse("1 253:0 253:16 4096", &vt),
			 -EINVAL);
	assert_int_equal(verity_table_parse(HEAD1 " 1 fec_start x", &vt),
			 -EINVAL);
}

/* ---- verify: hash tree images built with the fake AF_ALG ---- */

struct img {
	struct verity_params p;
	struct verity_tree t;
	char data[300], hash[300], root[2 * VERITY_MAX_DIGEST + 1];
};

static void digest(const struct verity_params *p, const uint8_t *b, size_t len,
		   uint8_t *out)
{
	struct kc_hash h;

	assert_int_equal(kc_hash_open(&h, p->hash_name), 0);
	assert_int_equal(p->hash_type
				 ? kc_hash2(&h, p->salt, p->salt_size, b, len,
					    out, VERITY_MAX_DIGEST)
				 : kc_hash2(&h, b, len, p->salt, p->salt_size,
					    out, VERITY_MAX_DIGEST),
			 p->digest_size);
	kc_hash_close(&h);
}

static void write_file(const char *path, const void *b, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* 512-byte blocks, salt 01020304, no superblock; byte `at` of hash block
 * `poke` (UINT64_MAX: none) set before the levels above are hashed, as a
 * careless tool would leave it: the tree is consistent all the same. */
static void build(struct img *m, uint32_t type, const char *alg,
		  uint64_t blocks, uint64_t poke, uint32_t at)
{
	const size_t bs = 512;
	struct verity_params *p = &m->p;
	uint8_t *data = malloc(blocks * bs), *hash, d[VERITY_MAX_DIGEST];
	uint64_t i, n, blk, top;
	uint32_t off;
	unsigned l;

	memset(p, 0, sizeof(*p));
	p->hash_type = type;
	strcpy(p->hash_name, alg);
	p->data_block_size = p->hash_block_size = (uint32_t)bs;
	p->data_blocks = blocks;
	p->digest_size = verity_digest_size(alg);
	p->salt_size = 4;
	memcpy(p->salt, "\1\2\3\4", 4);
	assert_int_equal(verity_tree_layout(p, &m->t), 0);
	hash = calloc(m->t.end ? m->t.end : 1, bs);
	assert_true(data && hash);
	for (i = 0; i < blocks * bs; i++)
		data[i] = (uint8_t)(i * 7 + i / bs);
	for (l = 0; l < m->t.levels; l++) {
		n = l ? (l > 1 ? m->t.level_block[l - 2] : m->t.end) -
				    m->t.level_block[l - 1]
		      : blocks;
		for (i = 0; i < n; i++) {
			digest(p,
			       l ? hash + (m->t.level_block[l - 1] + i) * bs
				 : data + i * bs,
			       bs, d);
			verity_digest_pos(p, &m->t, l, i, &blk, &off);
			memcpy(hash + blk * bs + off, d, p->digest_size);
		}
		if (poke >= m->t.level_block[l] &&
		    poke < (l ? m->t.level_block[l - 1] : m->t.end))
			hash[poke * bs + at] = 0xa5;
	}
	top = m->t.levels ? m->t.level_block[m->t.levels - 1] : 0;
	digest(p, m->t.levels ? hash + top * bs : data, bs, d);
	verity_hex_encode(d, p->digest_size, m->root);
	memcpy(p->root, d, p->digest_size);
	snprintf(m->data, sizeof(m->data), "%s/data", host.root);
	snprintf(m->hash, sizeof(m->hash), "%s/hash", host.root);
	write_file(m->data, data, blocks * bs);
	write_file(m->hash, hash, (m->t.end ? m->t.end : 1) * bs);
	free(data);
	free(hash);
}

/* Sets byte `at` of a file, as an edit after veritysetup format would. */
static void poke_file(const char *path, long at)
{
	FILE *f = fopen(path, "r+b");

	assert_non_null(f);
	assert_int_equal(fseek(f, at, SEEK_SET), 0);
	assert_int_equal(fputc(0x5a, f), 0x5a);
	assert_int_equal(fclose(f), 0);
}

/* verity_verify_all on the image: its return, *bad filled. */
static int verify(struct img *m, struct verity_bad *bad)
{
	FILE *d = fopen(m->data, "rb"), *h = fopen(m->hash, "rb");
	int r;

	assert_true(d && h);
	memset(bad, 0xee, sizeof(*bad));
	r = verity_verify_all(fileno(d), fileno(h), &m->p, bad, NULL);
	fclose(d);
	fclose(h);
	return r;
}

static void expect_padding(struct img *m, unsigned level, uint64_t block,
			   uint32_t offset)
{
	struct verity_bad bad;

	assert_int_equal(verify(m, &bad), -VT_PADDING);
	assert_int_equal(bad.data, 0);
	assert_int_equal(bad.level, level);
	assert_int_equal(bad.block, block);
	assert_int_equal(bad.offset, offset);
}

static void test_verify_padding(void **state)
{
	struct verity_bad bad;
	struct img m;

	(void)state;
	fsys_reset();
	/* sha1, format 1: 16 digests in 32-byte slots per 512-byte block; 40
	 * blocks: level 1 = block 0 (3 digests), level 0 = blocks 1-3 (16,
	 * 16, 8) */
	build(&m, 1, "sha1", 40, UINT64_MAX, 0);
	assert_true(m.t.levels == 2 && m.t.level_block[0] == 1 && m.t.end == 4);
	assert_int_equal(verify(&m, &bad), 0);
	assert_int_equal(fsys.hash_opens, fsys.hash_closes);
	build(&m, 1, "sha1", 40, 3, 8 * 32 + 5); /* after the last digest */
	expect_padding(&m, 0, 3, 261);
	build(&m, 1, "sha1", 40, 1, 2 * 32 + 20 + 3); /* a slot's spare */
	expect_padding(&m, 0, 1, 87);
	build(&m, 1, "sha1", 40, 0, 2 * 32 + 31); /* the top block's */
	expect_padding(&m, 1, 0, 95);
	build(&m, 1, "sha1", 40, 0, 3 * 32); /* its unused slots */
	expect_padding(&m, 1, 0, 96);
	/* set in a finished image: named before the digest above it (or the
	 * root hash) disagrees, as veritysetup names it */
	build(&m, 1, "sha1", 40, UINT64_MAX, 0);
	poke_file(m.hash, 1 * 512 + 87);
	expect_padding(&m, 0, 1, 87);
	build(&m, 1, "sha1", 40, UINT64_MAX, 0);
	poke_file(m.hash, 511);
	expect_padding(&m, 1, 0, 511);
	/* a digest's last byte is no padding: data block 2 mismatches */
	build(&m, 1, "sha1", 40, 1, 2 * 32 + 19);
	assert_int_equal(verify(&m, &bad), -VT_BLOCK_MISMATCH);
	assert_true(bad.data && bad.block == 2);

	/* format 0 packs them: 16 x 20 bytes, then zeros */
	build(&m, 0, "sha1", 40, UINT64_MAX, 0);
	assert_int_equal(verify(&m, &bad), 0);
	build(&m, 0, "sha1", 40, 1, 320);
	expect_padding(&m, 0, 1, 320);
	build(&m, 0, "sha1", 40, 3, 8 * 20);
	expect_padding(&m, 0, 3, 160);
	build(&m, 0, "sha1", 40, 1, 2 * 20 + 19);
	assert_int_equal(verify(&m, &bad), -VT_BLOCK_MISMATCH);
	assert_true(bad.data && bad.block == 2);

	/* sha256 fills its slots: only unused slots are padding */
	build(&m, 1, "sha256", 17, UINT64_MAX, 0);
	assert_int_equal(verify(&m, &bad), 0);
	build(&m, 1, "sha256", 17, 2, 32);
	expect_padding(&m, 0, 2, 32);
	/* one data block: no hash blocks at all */
	build(&m, 1, "sha1", 1, UINT64_MAX, 0);
	assert_int_equal(verify(&m, &bad), 0);
	assert_int_equal(fsys.hash_opens, fsys.hash_closes);
}

static void test_verify_cmd(void **state)
{
	struct img m;

#define VERIFY_ARGS                                                            \
	"verity", "verify", "--no-superblock", "--hash", "sha1",               \
		"--data-block-size", "512", "--hash-block-size", "512",        \
		"--data-blocks", "40", "--salt", "01020304", m.data, m.hash,   \
		m.root
	(void)state;
	build(&m, 1, "sha1", 40, UINT64_MAX, 0);
	RUN_OK(VERIFY_ARGS);
	assert_string_equal(R.err, "");
	build(&m, 1, "sha1", 40, 3, 8 * 32 + 5);
	RUN(VERIFY_ARGS);
	assert_int_equal(R.rc, 2); /* as veritysetup's -EPERM */
	assert_string_equal(R.err, "dmboot: verity: hash block 3 at level 0, "
				   "byte 261: padding not zeroed\n");
	build(&m, 1, "sha1", 40, 1, 2 * 32 + 19);
	RUN(VERIFY_ARGS);
	assert_int_equal(R.rc, 2);
	assert_string_equal(R.err, "dmboot: verity: data block 2: does not "
				   "match its digest\n");
	EXPECT_NO_REQUESTS();
#undef VERIFY_ARGS
}

/* ---- the command against the fake kernel ---- */

static void test_close_status(void **state)
{
	(void)state;
	RUN("verity", "close", "nonexist");
	assert_int_equal(R.rc, 4);
	assert_string_equal(R.err,
			    "dmboot: verity: nonexist: device is not active\n");
	EXPECT_NRS(FK_DEV_STATUS);

	fk_reset();
	RUN("verity", "status", "nonexist");
	assert_int_equal(R.rc, 4);
	assert_string_equal(R.out, "/dev/mapper/nonexist is inactive.\n");

	fk_reset();
	fk_set_table(fk_add_dev("lin", "LVM-x"), 1, "0 8 zero");
	RUN("verity", "close", "lin");
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.err,
			    "dmboot: verity: lin: not a verity device\n");
	EXPECT_NRS(FK_DEV_STATUS);
	RUN("verity", "status", "lin");
	assert_int_equal(R.rc, 1);
	assert_string_equal(R.out,
			    "/dev/mapper/lin is active.\n  type:        n/a\n");

	fk_reset();
	fk_add_dev("v", "CRYPT-VERITY-db9be9defa8841d686a492ef554e9f01-v");
	fk_add_target(fk_find("v"), 1, 0, 8192, "verity",
		      HEAD1 " 1 ignore_corruption", "V");
	RUN_OK("verity", "status", "v");
	assert_non_null(strstr(
		R.out, "/dev/mapper/v is active.\n  type:        VERITY\n"
		       "  status:      verified\n  hash type:   1\n"));
	assert_non_null(strstr(R.out, "  size:        8192 sectors\n"));
	assert_non_null(strstr(
		R.out, "  hash offset: 8 sectors\n  root hash:   " ROOT1 "\n"
		       "  flags:       ignore_corruption \n"));
	RUN_OK("veritysetup", "close", "v");
	assert_int_equal(fk_count_nr(FK_DEV_REMOVE), 1);
	assert_null(fk_find("v"));
}

static void test_usage(void **state)
{
	(void)state;
	RUN("verity", "open", "/nonexistent-data", "v", "/nonexistent-hash",
	    "00");
	assert_int_equal(R.rc,
			 4); /* veritysetup: a device that does not exist */
	assert_string_equal(R.err, "dmboot: verity: /nonexistent-data: No such "
				   "file or directory\n");
	EXPECT_NO_REQUESTS();
	RUN("verity", "frob", "x");
	assert_int_equal(R.rc, 1);
	EXPECT_NO_REQUESTS();
	RUN("verity", "--restart-on-corruption", "--panic-on-corruption",
	    "open", "a", "v", "b", "00");
	assert_int_equal(R.rc, 1);
	EXPECT_NO_REQUESTS();
	RUN("verity", "open", "a", "v/x", "b", "00");
	expect_one_error("v/x");
	RUN("verity", "--bogus", "close", "x");
	expect_one_error("--bogus");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_sb_valid),	T(test_sb_invalid),
		T(test_table_text),	T(test_table_options),
		T(test_gates),		T(test_uuid),
		T(test_tree_layout),	T(test_table_parse),
		T(test_close_status),	T(test_usage),
		T(test_verify_padding), T(test_verify_cmd),
	};

	return cmocka_run_group_tests_name("verity", tests, NULL, NULL);
}
