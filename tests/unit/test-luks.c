/* SPDX-License-Identifier: MIT */
/* LUKS headers and the JSON reader: headers written by cryptsetup 2.6.1's
 * luksFormat (tests/unit/luks/, the first 4 KiB of a LUKS1 image and the
 * two 16 KiB header copies of two LUKS2 images, made by
 * tests/unit/luks/make-fixtures.sh), damaged and edited copies, every
 * refusal; JSON edge cases (depth, duplicates, truncation, escapes,
 * numbers). The checksum's sha256 is dmboot's (hash.h; the fixtures'
 * checksums check it too). */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "luks.h"

/* The checksums' sha256: dmboot's own (hash.h), as luks_read passes it. */
static void test_sha256(const void *data, size_t len, uint8_t out[32])
{
	hash_digest(&hash_sha256, data, len, out);
}

static void test_sha256_vectors(void **state)
{
	uint8_t d[32];
	static const uint8_t abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

	(void)state;
	test_sha256("abc", 3, d);
	assert_memory_equal(d, abc, 32);
}

/* ---- fixtures ---- */
#define LUKS1_FIXTURE "tests/unit/luks/luks1.hdr"
#define LUKS2_PBKDF2 "tests/unit/luks/luks2-pbkdf2.hdr"
#define LUKS2_ARGON2 "tests/unit/luks/luks2-argon2.hdr"
#define FIXTURE_DEV (4u << 20) /* the images were 4 MiB */
#define HDR16K 16384u
#define LUKS2_FIXTURE_SIZE (2 * HDR16K)

static size_t load(const char *path, uint8_t *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, size, f);
	fclose(f);
	return n;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* ---- the JSON reader ---- */
static struct json_tok toks[LUKS2_JSON_TOKENS];

static int jparse(struct json *j, const char *s)
{
	return json_parse(j, s, strlen(s), toks, NELEM(toks));
}

static void test_json_walk(void **state)
{
	struct json j;
	const char *doc =
		" {\"a\": {\"b\": [1, \"x\", true, false, null, {}, []]},"
		" \"s\": \"a\\/b\\n\\u0041\\\"\", \"n\": 18446744073709551615,"
		" \"q\": \"123\", \"f\": -1.5e+3}\n";
	char s[16];
	uint64_t v;
	int a, b;

	(void)state;
	assert_int_equal(jparse(&j, doc), 0);
	a = json_get(&j, 0, "a");
	assert_int_equal(j.tok[a].type, JSON_OBJECT);
	b = json_get(&j, a, "b");
	assert_int_equal(j.tok[b].type, JSON_ARRAY);
	assert_int_equal(j.tok[b].count, 7);
	assert_int_equal(j.tok[json_elem(&j, b, 1)].type, JSON_STRING);
	assert_true(json_str_is(&j, json_elem(&j, b, 1), "x"));
	assert_int_equal(j.tok[json_elem(&j, b, 6)].type, JSON_ARRAY);
	assert_int_equal(json_elem(&j, b, 7), -ENOENT);
	assert_int_equal(json_get(&j, 0, "b"), -ENOENT);
	assert_int_equal(json_get(&j, b, "x"), -EINVAL);
	assert_int_equal(json_str_copy(&j, json_get(&j, 0, "s"), s, sizeof(s)),
			 6);
	assert_string_equal(s, "a/b\nA\"");
	assert_true(json_str_is(&j, json_get(&j, 0, "s"), "a/b\nA\""));
	assert_false(json_str_is(&j, json_get(&j, 0, "s"), "a/b\nA"));
	assert_int_equal(json_str_copy(&j, json_get(&j, 0, "s"), s, 6),
			 -ENAMETOOLONG);
	assert_int_equal(json_u64(&j, json_get(&j, 0, "n"), 0, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(json_u64(&j, json_get(&j, 0, "q"), 1, &v), 0);
	assert_true(v == 123);
	/* A number is not a string and a string not a number. */
	assert_int_equal(json_u64(&j, json_get(&j, 0, "q"), 0, &v), -EINVAL);
	assert_int_equal(json_u64(&j, json_get(&j, 0, "n"), 1, &v), -EINVAL);
	assert_int_equal(json_u64(&j, json_get(&j, 0, "f"), 0, &v), -EINVAL);
}

static void test_json_depth(void **state)
{
	char doc[256];
	struct json j;
	int i, n;

	(void)state;
	for (n = JSON_MAX_DEPTH; n <= JSON_MAX_DEPTH + 1; n++) {
		char *p = doc;

		for (i = 0; i < n - 1; i++)
			p += sprintf(p, "{\"a\":");
		p += sprintf(p, "[]");
		for (i = 0; i < n - 1; i++)
			*p++ = '}';
		*p = 0;
		/* n containers nested: the innermost at depth n - 1. */
		assert_int_equal(jparse(&j, doc),
				 n <= JSON_MAX_DEPTH ? 0 : -ELOOP);
	}
}

static void test_json_duplicates(void **state)
{
	struct json j;

	(void)state;
	assert_int_equal(jparse(&j, "{\"a\":1,\"a\":2}"), -ENOTUNIQ);
	assert_int_equal(
		jparse(&j, "{\"a\":{\"b\":1},\"c\":[],\"b\":{\"a\":1}}"), 0);
	assert_int_equal(jparse(&j, "{\"a\":{\"b\":1,\"c\":{},\"b\":2}}"),
			 -ENOTUNIQ);
	assert_int_equal(jparse(&j, "{\"ab\":1,\"a\":2,\"b\":3}"), 0);
}

static void test_json_malformed(void **state)
{
	static const struct {
		const char *doc;
		int err;
	} bad[] = {
		{"", -EINVAL},
		{"   ", -EINVAL},
		{"[]", -EINVAL},
		{"\"a\"", -EINVAL},
		{"{", -EINVAL},
		{"{\"a\"", -EINVAL},
		{"{\"a\":", -EINVAL},
		{"{\"a\":1", -EINVAL},
		{"{\"a\":1,}", -EINVAL},
		{"{,}", -EINVAL},
		{"{\"a\":[1,]}", -EINVAL},
		{"{\"a\":1}}", -EINVAL},
		{"{\"a\":1} x", -EINVAL},
		{"{\"a\":01}", -EINVAL},
		{"{\"a\":1.}", -EINVAL},
		{"{\"a\":-}", -EINVAL},
		{"{\"a\":1e}", -EINVAL},
		{"{\"a\":+1}", -EINVAL},
		{"{\"a\":.5}", -EINVAL},
		{"{\"a\":tru}", -EINVAL},
		{"{\"a\":nul}", -EINVAL},
		{"{\"a\":True}", -EINVAL},
		{"{a:1}", -EINVAL},
		{"{'a':1}", -EINVAL},
		{"{\"a\" 1}", -EINVAL},
		{"{\"a\":\"x}", -EINVAL},
		{"{\"a\":\"\\x\"}", -EINVAL},
		{"{\"a\":\"\\u12\"}", -EINVAL},
		{"{\"a\":\"\\u00g1\"}", -EINVAL},
		{"{\"a\":\"\\", -EINVAL},
		{"{\"a\":\"tab\there\"}", -EINVAL},
		{"{\"a\":\"\\u00e9\"}", -EILSEQ},
		{"{\"a\":\"\\u0000\"}", -EILSEQ},
		{"{\"a\":\"\\ud800\\udc00\"}", -EILSEQ},
		{"{\"\\u0061\":1}", -EILSEQ},
		{"{\"a\\/\":1}", -EILSEQ},
	};
	struct json j;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		int r = jparse(&j, bad[i].doc);

		if (r != bad[i].err)
			fail_msg("%s: %d, want %d", bad[i].doc, r, bad[i].err);
	}
	/* A NUL inside the text is a control character, not an end. */
	assert_int_equal(json_parse(&j, "{\"a\":\"\0\"}", 9, toks, NELEM(toks)),
			 -EINVAL);
	assert_int_equal(json_parse(&j, "{}\0", 3, toks, NELEM(toks)), -EINVAL);
	/* Token space runs out: 1 object + 3 keys + 3 values = 7. */
	assert_int_equal(
		json_parse(&j, "{\"a\":1,\"b\":2,\"c\":3}", 19, toks, 7), 0);
	assert_int_equal(
		json_parse(&j, "{\"a\":1,\"b\":2,\"c\":3}", 19, toks, 6),
		-E2BIG);
}

/* Every proper prefix of a valid document is refused, none read beyond. */
static void test_json_truncated(void **state)
{
	static const char doc[] =
		"{\"keyslots\":{\"0\":{\"type\":\"luks2\",\"a\":[1,2.5e-1,"
		"\"x\\/y\",true,null]}},\"n\":\"18446744073709551615\"}";
	struct json j;
	size_t n;

	(void)state;
	assert_int_equal(jparse(&j, doc), 0);
	for (n = 0; n < sizeof(doc) - 1; n++) {
		char *copy = malloc(n ? n : 1);

		memcpy(copy, doc, n);
		assert_true(json_parse(&j, copy, n, toks, NELEM(toks)) < 0);
		free(copy);
	}
}

static void test_json_numbers(void **state)
{
	static const struct {
		const char *doc;
		int from_string, err;
		uint64_t v;
	} cases[] = {
		{"{\"v\":0}", 0, 0, 0},
		{"{\"v\":4000}", 0, 0, 4000},
		{"{\"v\":18446744073709551615}", 0, 0, UINT64_MAX},
		{"{\"v\":18446744073709551616}", 0, -ERANGE, 0},
		{"{\"v\":99999999999999999999999999}", 0, -ERANGE, 0},
		{"{\"v\":\"000000000000000000000000x\"}", 1, -EINVAL, 0},
		{"{\"v\":\"10000000000000000000000000\"}", 1, -ERANGE, 0},
		{"{\"v\":-1}", 0, -EINVAL, 0},
		{"{\"v\":1.0}", 0, -EINVAL, 0},
		{"{\"v\":1e3}", 0, -EINVAL, 0},
		{"{\"v\":\"16384\"}", 1, 0, 16384},
		{"{\"v\":\"18446744073709551615\"}", 1, 0, UINT64_MAX},
		{"{\"v\":\"18446744073709551616\"}", 1, -ERANGE, 0},
		{"{\"v\":\"\"}", 1, -EINVAL, 0},
		{"{\"v\":\"007\"}", 1, -EINVAL, 0},
		{"{\"v\":\"-1\"}", 1, -EINVAL, 0},
		{"{\"v\":\" 1\"}", 1, -EINVAL, 0},
		{"{\"v\":\"1x\"}", 1, -EINVAL, 0},
		{"{\"v\":\"\\u0031\"}", 1, -EINVAL, 0},
	};
	struct json j;
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		int r;

		assert_int_equal(jparse(&j, cases[i].doc), 0);
		v = 0;
		r = json_u64(&j, json_get(&j, 0, "v"), cases[i].from_string,
			     &v);
		if (r != cases[i].err || (!r && v != cases[i].v))
			fail_msg("%s: %d", cases[i].doc, r);
	}
}

/* ---- LUKS1 ---- */
static uint8_t l1[4096];

static void test_luks1_fixture(void **state)
{
	static const uint8_t mk_digest[4] = {0x82, 0x93, 0x1f, 0xb2};
	static const uint8_t ks0_salt[4] = {0x97, 0xc7, 0x62, 0x35};
	struct luks1_hdr h;
	const char *field = NULL;
	int i;

	(void)state;
	assert_int_equal(load(LUKS1_FIXTURE, l1, sizeof(l1)), sizeof(l1));
	assert_int_equal(luks1_parse(l1, sizeof(l1), FIXTURE_DEV, &h, &field),
			 0);
	assert_string_equal(h.cipher_name, "aes");
	assert_string_equal(h.cipher_mode, "xts-plain64");
	assert_string_equal(h.hash, "sha256");
	assert_string_equal(h.uuid, "11111111-2222-3333-4444-555555555555");
	assert_int_equal(h.payload_offset, 4096);
	assert_int_equal(h.key_bytes, 64);
	assert_int_equal(h.mk_iterations, 1000);
	assert_memory_equal(h.mk_digest, mk_digest, 4);
	assert_true(h.ks[0].active);
	assert_int_equal(h.ks[0].iterations, 1000);
	assert_memory_equal(h.ks[0].salt, ks0_salt, 4);
	assert_int_equal(h.ks[0].offset, 8);
	for (i = 0; i < LUKS1_KEYSLOTS; i++)
		assert_int_equal(h.ks[i].stripes, LUKS_STRIPES);
	for (i = 1; i < LUKS1_KEYSLOTS; i++)
		assert_false(h.ks[i].active);
	assert_true(luks1_keyslot_sectors(64, 4000) == 500);
	/* A detached header (payload 0) and an unknown device size pass. */
	assert_int_equal(luks1_parse(l1, LUKS1_HDR_SIZE, 0, &h, &field), 0);
}

static void test_luks1_refusals(void **state)
{
	static const struct {
		unsigned int off, n;
		const char *bytes;
		int err;
		const char *field;
	} cases[] = {
		{0, 1, "l", LUKS_E_MAGIC, "magic"},
		{5, 1, "\xbb", LUKS_E_MAGIC, "magic"},
		{6, 2, "\0\2", LUKS_E_VERSION, "version"},
		{8, 1, "\0", LUKS_E_FIELD, "cipher-name"},
		{8, 32, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", LUKS_E_FIELD,
		 "cipher-name"},
		{40, 32, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", LUKS_E_FIELD,
		 "cipher-mode"},
		{72, 1, "\0", LUKS_E_FIELD, "hash-spec"},
		/* What would reach a table line or the dm UUID: no spaces. */
		{40, 14, "xts-plain64 0\0", LUKS_E_FIELD, "cipher-mode"},
		{8, 4, "a\nb\0", LUKS_E_FIELD, "cipher-name"},
		{72, 7,
		 "sha\x80"
		 "56\0",
		 LUKS_E_FIELD, "hash-spec"},
		{168, 1, "g", LUKS_E_FIELD, "uuid"},
		{168, 1, " ", LUKS_E_FIELD, "uuid"},
		{168, 40, "1111111111111111111111111111111111111111",
		 LUKS_E_FIELD, "uuid"},
		{108, 4, "\0\0\0\x0f", LUKS_E_FIELD, "key-bytes"},
		{108, 4, "\0\0\0\x41", LUKS_E_FIELD, "key-bytes"},
		{164, 4, "\0\0\0\0", LUKS_E_FIELD, "mk-digest-iter"},
		{104, 4, "\0\0\x20\x01", LUKS_E_LAYOUT,
		 "payload-offset"}, /* > 4 MiB */
		{104, 4, "\0\0\0\1", LUKS_E_LAYOUT,
		 "payload-offset"}, /* inside the header */
		{104, 4, "\0\0\x0f\xa0", LUKS_E_LAYOUT,
		 "keyslot.key-material-offset"},
		{208, 4, "\0\xac\x71\xf4", LUKS_E_FIELD, "keyslot.active"},
		{208 + 4, 4, "\0\0\0\0", LUKS_E_FIELD, "keyslot.iterations"},
		{208 + 7 * 48 + 44, 4, "\0\0\x0f\x9f", LUKS_E_FIELD,
		 "keyslot.stripes"},
		{208 + 40, 4, "\0\0\0\1", LUKS_E_LAYOUT,
		 "keyslot.key-material-offset"},
		{208 + 48 + 40, 4, "\0\0\0\x0f", LUKS_E_LAYOUT,
		 "keyslot.key-material-offset"},
		{208 + 7 * 48 + 40, 4, "\0\0\x0f\xf0", LUKS_E_LAYOUT,
		 "keyslot.key-material-offset"},
	};
	uint8_t b[sizeof(l1)];
	struct luks1_hdr h;
	size_t i;

	(void)state;
	assert_int_equal(load(LUKS1_FIXTURE, l1, sizeof(l1)), sizeof(l1));
	for (i = 0; i < NELEM(cases); i++) {
		const char *field = NULL;
		int r;

		memcpy(b, l1, sizeof(b));
		memcpy(b + cases[i].off, cases[i].bytes, cases[i].n);
		r = luks1_parse(b, sizeof(b), FIXTURE_DEV, &h, &field);
		if (r != -cases[i].err || !field ||
		    strcmp(field, cases[i].field))
			fail_msg("case %zu: %d %s, want %d %s", i, r,
				 field ? field : "-", -cases[i].err,
				 cases[i].field);
	}
	/* Truncated; the key material beyond a small device. */
	assert_int_equal(luks1_parse(l1, LUKS1_HDR_SIZE - 1, 0, &h, NULL),
			 -LUKS_E_TRUNCATED);
	assert_int_equal(luks1_parse(l1, sizeof(l1), 1 << 20, &h, NULL),
			 -LUKS_E_LAYOUT);
	assert_string_equal(luks_strerror(-LUKS_E_LAYOUT),
			    "area outside its bounds or overlapping another");
}

/* ---- LUKS2 binary headers ---- */
static uint8_t l2[LUKS2_FIXTURE_SIZE];

static void rehash(uint8_t *copy)
{
	uint8_t d[32];

	memset(copy + 448, 0, 64);
	test_sha256(copy, HDR16K, d);
	memcpy(copy + 448, d, 32);
}

static void test_luks2_pick(void **state)
{
	struct luks2_bin b;
	size_t off = 0, len = 0;
	const char *field = NULL;
	uint8_t before[sizeof(l2)];

	(void)state;
	assert_int_equal(load(LUKS2_PBKDF2, l2, sizeof(l2)), sizeof(l2));
	memcpy(before, l2, sizeof(l2));
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 0);
	assert_memory_equal(before, l2, sizeof(l2)); /* csum fields put back */
	assert_true(b.hdr_size == HDR16K && b.hdr_offset == 0);
	assert_int_equal(off, 4096);
	assert_int_equal(len, HDR16K - 4096);
	assert_string_equal(b.label, "fixture");
	assert_string_equal(b.uuid, "22222222-2222-3333-4444-555555555555");
	assert_string_equal(b.checksum_alg, "sha256");
	assert_string_equal(b.subsystem, "");
	/* The secondary copy alone. */
	assert_int_equal(luks2_bin_parse(l2 + HDR16K, HDR16K, 1, &b, &field),
			 0);
	assert_true(b.hdr_offset == HDR16K);
	assert_int_equal(luks2_bin_parse(l2 + HDR16K, HDR16K, 0, &b, &field),
			 -LUKS_E_MAGIC);
}

/* Primary damaged: its checksum, then its magic; the secondary is used. */
static void test_luks2_damaged_primary(void **state)
{
	struct luks2_bin b;
	size_t off = 0, len = 0;
	const char *field = NULL;

	(void)state;
	assert_int_equal(load(LUKS2_PBKDF2, l2, sizeof(l2)), sizeof(l2));
	l2[4096 + 20] ^= 1; /* in the primary's JSON */
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 0);
	assert_null(field);
	assert_int_equal(off, HDR16K + 4096);
	assert_true(b.hdr_offset == HDR16K);
	memset(l2, 0, 4096); /* wiped: found at the offsets allowed */
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 0);
	assert_int_equal(off, HDR16K + 4096);
	/* Both damaged: the primary's reason. */
	assert_int_equal(load(LUKS2_PBKDF2, l2, sizeof(l2)), sizeof(l2));
	l2[4096 + 20] ^= 1;
	l2[HDR16K + 4096 + 20] ^= 1;
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 -LUKS_E_CHECKSUM);
	assert_string_equal(field, "csum");
	/* The secondary beyond what was read. */
	assert_int_equal(load(LUKS2_PBKDF2, l2, sizeof(l2)), sizeof(l2));
	l2[4096 + 20] ^= 1;
	assert_int_equal(luks2_hdr_pick(l2, HDR16K + 4096, test_sha256, &b,
					&off, &len, &field),
			 -LUKS_E_CHECKSUM);
	/* No LUKS2 at all. */
	memset(l2, 0, sizeof(l2));
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 -LUKS_E_MAGIC);
}

static void test_luks2_seqid(void **state)
{
	struct luks2_bin b, p;
	size_t off = 0, len = 0;
	const char *field = NULL;

	(void)state;
	assert_int_equal(load(LUKS2_ARGON2, l2, sizeof(l2)), sizeof(l2));
	assert_int_equal(luks2_bin_parse(l2, sizeof(l2), 0, &p, &field), 0);
	/* A newer secondary wins. */
	put_be(l2 + HDR16K + 16, p.seqid + 1, 8);
	rehash(l2 + HDR16K);
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 0);
	assert_int_equal(off, HDR16K + 4096);
	assert_true(b.seqid == p.seqid + 1);
	/* A newer primary wins. */
	put_be(l2 + 16, p.seqid + 2, 8);
	rehash(l2);
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 0);
	assert_int_equal(off, 4096);
	assert_true(b.seqid == p.seqid + 2);
	/* A tie: the primary. */
	put_be(l2 + HDR16K + 16, p.seqid + 2, 8);
	rehash(l2 + HDR16K);
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 0);
	assert_int_equal(off, 4096);
	/* Two valid copies of two volumes: refused, not a tie to break. */
	l2[HDR16K + 168] = '9';
	rehash(l2 + HDR16K);
	assert_int_equal(luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off,
					&len, &field),
			 -LUKS_E_FIELD);
	assert_string_equal(field, "uuid");
}

static void test_luks2_bin_refusals(void **state)
{
	static const struct {
		unsigned int off, n;
		const char *bytes;
		int err;
		const char *field;
	} cases[] = {
		{6, 2, "\0\1", LUKS_E_VERSION, "version"},
		{8, 8, "\0\0\0\0\0\0\x30\0", LUKS_E_FIELD, "hdr_size"},
		{8, 8, "\0\0\0\0\0\x80\0\0", LUKS_E_FIELD, "hdr_size"},
		{8, 8, "\0\0\0\0\0\0\x20\0", LUKS_E_FIELD, "hdr_size"},
		{24, 48, "llllllllllllllllllllllllllllllllllllllllllllllll",
		 LUKS_E_FIELD, "label"},
		{72, 7, "sha1\0\0\0", LUKS_E_UNSUPPORTED, "checksum_alg"},
		{72, 1, "\0", LUKS_E_FIELD, "checksum_alg"},
		{168, 1, "\0", LUKS_E_FIELD, "uuid"},
		{168, 2, "2/", LUKS_E_FIELD, "uuid"},
		{208, 48, "ssssssssssssssssssssssssssssssssssssssssssssssss",
		 LUKS_E_FIELD, "subsystem"},
		{256, 8, "\0\0\0\0\0\0\x10\0", LUKS_E_FIELD, "hdr_offset"},
	};
	struct luks2_bin b;
	size_t i, off, len;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		const char *field = NULL;
		int r;

		assert_int_equal(load(LUKS2_PBKDF2, l2, sizeof(l2)),
				 sizeof(l2));
		memset(l2 + HDR16K, 0,
		       HDR16K); /* no secondary to fall back on */
		memcpy(l2 + cases[i].off, cases[i].bytes, cases[i].n);
		rehash(l2);
		r = luks2_hdr_pick(l2, sizeof(l2), test_sha256, &b, &off, &len,
				   &field);
		if (r != -cases[i].err || !field ||
		    strcmp(field, cases[i].field))
			fail_msg("case %zu: %d %s, want %d %s", i, r,
				 field ? field : "-", -cases[i].err,
				 cases[i].field);
	}
	assert_int_equal(luks2_bin_parse(l2, 4095, 0, &b, NULL),
			 -LUKS_E_TRUNCATED);
	assert_int_equal(
		luks2_hdr_pick(l2, 4095, test_sha256, &b, &off, &len, NULL),
		-LUKS_E_TRUNCATED);
}

/* ---- LUKS2 JSON ---- */
static struct luks2_meta meta;
static char jtext[HDR16K];

/* The fixture's JSON area with from replaced by to (from must be there). */
static int json_edit(const char *path, const char *from, const char *to,
		     const char **field)
{
	char *at;

	assert_int_equal(load(path, l2, sizeof(l2)), sizeof(l2));
	memset(jtext, 0, sizeof(jtext));
	memcpy(jtext, l2 + 4096, HDR16K - 4096);
	if (from) {
		at = strstr(jtext, from);
		if (!at)
			fail_msg("not in the fixture: %s", from);
		memmove(at + strlen(to), at + strlen(from),
			strlen(at + strlen(from)) + 1);
		memcpy(at, to, strlen(to));
	}
	*field = NULL;
	return luks2_json_parse(jtext, HDR16K - 4096, HDR16K, toks, NELEM(toks),
				&meta, field);
}

static void test_luks2_json_pbkdf2(void **state)
{
	const char *field;
	const struct luks2_keyslot *ks = &meta.keyslots[0];
	const struct luks2_segment *sg = &meta.segments[0];
	int i;

	(void)state;
	assert_int_equal(json_edit(LUKS2_PBKDF2, NULL, NULL, &field), 0);
	assert_true(ks->used && ks->key_size == 64 && ks->priority == 1);
	assert_int_equal(ks->kdf.type, LUKS2_KDF_PBKDF2);
	assert_string_equal(ks->kdf.hash, "sha256");
	assert_int_equal(ks->kdf.iterations, 1000);
	assert_int_equal(ks->kdf.salt_len, 32);
	assert_true(ks->area.offset == 32768);
	assert_string_equal(ks->area.encryption, "aes-xts-plain64");
	assert_int_equal(ks->af_stripes, 4000);
	assert_string_equal(ks->af_hash, "sha256");
	for (i = 1; i < LUKS2_KEYSLOTS; i++)
		assert_false(meta.keyslots[i].used);
	assert_true(sg->used && sg->dynamic && sg->offset == 2097152 &&
		    sg->iv_tweak == 0);
	assert_int_equal(sg->sector_size,
			 4096); /* luksFormat chose it for the file */
	assert_string_equal(sg->encryption, "aes-xts-plain64");
	assert_true(meta.digests[0].used);
	assert_int_equal(meta.digests[0].keyslots, 1);
	assert_int_equal(meta.digests[0].segments, 1);
	assert_int_equal(meta.digests[0].digest_len, 32);
	assert_true(meta.json_size == 12288 && meta.keyslots_size == 1048576);
	assert_false(meta.tokens[0].used);
}

static void test_luks2_json_argon2(void **state)
{
	static const uint8_t salt0[6] = {0x6a, 0xdb, 0x20, 0xe5, 0xd8, 0x52};
	const char *field;

	(void)state;
	assert_int_equal(json_edit(LUKS2_ARGON2, NULL, NULL, &field), 0);
	assert_int_equal(meta.keyslots[0].kdf.type, LUKS2_KDF_ARGON2ID);
	assert_int_equal(meta.keyslots[1].kdf.type, LUKS2_KDF_ARGON2I);
	assert_int_equal(meta.keyslots[0].kdf.time, 4);
	assert_int_equal(meta.keyslots[0].kdf.memory, 32);
	assert_int_equal(meta.keyslots[0].kdf.cpus, 1);
	assert_memory_equal(meta.keyslots[0].kdf.salt, salt0, sizeof(salt0));
	assert_int_equal(meta.keyslots[1].priority, 2);
	assert_true(meta.keyslots[1].area.offset == 290816);
	assert_int_equal(meta.segments[0].sector_size, 4096);
	assert_int_equal(meta.digests[0].keyslots, 3);
	assert_true(meta.tokens[0].used);
	assert_string_equal(meta.tokens[0].type, "luks2-keyring");
	assert_int_equal(meta.tokens[0].keyslots, 2);
	assert_string_equal(meta.tokens[0].key_description, "dmboot:fixture");
	/* Accepted edits: escapes, flags, an empty requirement list, a sized
	 * segment, a detached header's offset 0. */
	assert_int_equal(json_edit(LUKS2_ARGON2, "dmboot:fixture",
				   "dmboot:\\/fix\\u0074ure", &field),
			 0);
	assert_string_equal(meta.tokens[0].key_description, "dmboot:/fixture");
	assert_int_equal(json_edit(LUKS2_ARGON2,
				   "\"keyslots_size\":\"1048576\"",
				   "\"keyslots_size\":\"1048576\",\"flags\":["
				   "\"allow-discards\","
				   "\"no-write-workqueue\",\"future-flag\"],"
				   "\"requirements\":{\"mandatory\":[]}",
				   &field),
			 0);
	assert_int_equal(meta.flags, LUKS2_FLAG_ALLOW_DISCARDS |
					     LUKS2_FLAG_NO_WRITE_WORKQUEUE);
	assert_int_equal(json_edit(LUKS2_ARGON2, "\"size\":\"dynamic\"",
				   "\"size\":\"8192000\"", &field),
			 0);
	assert_true(!meta.segments[0].dynamic &&
		    meta.segments[0].size == 8192000);
	assert_int_equal(json_edit(LUKS2_ARGON2, "\"offset\":\"2097152\"",
				   "\"offset\":\"0\"", &field),
			 0);
	/* A token type dmboot cannot hold is one it does not know. */
	assert_int_equal(
		json_edit(
			LUKS2_ARGON2, "\"type\":\"luks2-keyring\"",
			"\"type\":\"an-external-token-type-of-40-characters\"",
			&field),
		0);
	assert_true(meta.tokens[0].used && !meta.tokens[0].type[0]);
}

static void test_luks2_json_refusals(void **state)
{
	static const struct {
		const char *from, *to;
		int err;
		const char *field;
	} cases[] = {
		/* What dmboot will not open. */
		{"\"sector_size\":4096}",
		 "\"sector_size\":4096,\"integrity\":{\"type\":\"hmac(sha256)"
		 "\"}}",
		 LUKS_E_INTEGRITY, "segments.integrity"},
		{"\"keyslots_size\":\"1048576\"",
		 "\"keyslots_size\":\"1048576\",\"requirements\":{"
		 "\"mandatory\":[\"online-reencrypt-v2\"]}",
		 LUKS_E_REENCRYPT, "config.requirements.mandatory"},
		{"\"keyslots_size\":\"1048576\"",
		 "\"keyslots_size\":\"1048576\",\"requirements\":{"
		 "\"mandatory\":[\"frobnicate\"]}",
		 LUKS_E_UNSUPPORTED, "config.requirements.mandatory"},
		{"\"keyslots_size\":\"1048576\"",
		 "\"keyslots_size\":\"1048576\",\"requirements\":{"
		 "\"mandatory\":[1]}",
		 LUKS_E_FIELD, "config.requirements.mandatory"},
		{"{\"type\":\"luks2\"", "{\"type\":\"reencrypt\"",
		 LUKS_E_REENCRYPT, "keyslots.type"},
		{"{\"type\":\"luks2\"", "{\"type\":\"luks3\"",
		 LUKS_E_UNSUPPORTED, "keyslots.type"},
		{"{\"type\":\"luks2\"", "{\"typo\":\"luks2\"", LUKS_E_FIELD,
		 "keyslots.type"},
		{"\"argon2id\"", "\"scrypt\"", LUKS_E_UNSUPPORTED,
		 "keyslots.kdf.type"},
		{"\"type\":\"raw\"", "\"type\":\"datashift\"",
		 LUKS_E_UNSUPPORTED, "keyslots.area.type"},
		{"\"type\":\"luks1\"", "\"type\":\"luks9\"", LUKS_E_UNSUPPORTED,
		 "keyslots.af.type"},
		{"\"type\":\"crypt\"", "\"type\":\"linear\"",
		 LUKS_E_UNSUPPORTED, "segments.type"},
		{"\"iv_tweak\"", "\"flags\":[\"backup-previous\"],\"iv_tweak\"",
		 LUKS_E_REENCRYPT, "segments.flags"},
		{"{\"type\":\"pbkdf2\"", "{\"type\":\"hmac\"",
		 LUKS_E_UNSUPPORTED, "digests.type"},
		/* Text bound for a table line: printable, no spaces. */
		{"\"encryption\":\"aes-xts-plain64\",\"key_size\"",
		 "\"encryption\":\"aes-xts-plain64 0 /dev/sda\",\"key_size\"",
		 LUKS_E_FIELD, "keyslots.area.encryption"},
		{"\"encryption\":\"aes-xts-plain64\",\"sector_size\"",
		 "\"encryption\":\"aes-xts-plain64\\t\",\"sector_size\"",
		 LUKS_E_FIELD, "segments.encryption"},
		{"\"encryption\":\"aes-xts-plain64\",\"sector_size\"",
		 "\"encryption\":\"\",\"sector_size\"", LUKS_E_FIELD,
		 "segments.encryption"},
		{"\"hash\":\"sha256\",\"iterations\"",
		 "\"hash\":\"sha 256\",\"iterations\"", LUKS_E_FIELD,
		 "digests.hash"},
		{"\"hash\":\"sha256\"}", "\"hash\":\"\\u007f\"}", LUKS_E_FIELD,
		 "keyslots.af.hash"},
		{"dmboot:fixture", "dmboot fixture", LUKS_E_FIELD,
		 "tokens.key_description"},
		{"\"type\":\"luks2-keyring\"", "\"type\":5", LUKS_E_FIELD,
		 "tokens.type"},
		/* Offsets outside their areas, overlaps. */
		{"\"offset\":\"32768\"", "\"offset\":\"16384\"", LUKS_E_LAYOUT,
		 "keyslots.area"},
		{"\"size\":\"258048\"", "\"size\":\"2000000\"", LUKS_E_LAYOUT,
		 "keyslots.area"},
		{"\"size\":\"258048\"", "\"size\":\"4096\"", LUKS_E_LAYOUT,
		 "keyslots.area"},
		{"\"offset\":\"32768\"", "\"offset\":\"18446744073709518848\"",
		 LUKS_E_LAYOUT, "keyslots.area"},
		{"\"offset\":\"290816\"", "\"offset\":\"40960\"", LUKS_E_LAYOUT,
		 "keyslots.area"},
		{"\"offset\":\"2097152\"", "\"offset\":\"65536\"",
		 LUKS_E_LAYOUT, "segments.offset"},
		{"\"size\":\"dynamic\"", "\"size\":\"18446744073709547520\"",
		 LUKS_E_LAYOUT, "segments.size"},
		/* Malformed fields. */
		{"\"json_size\":\"12288\"", "\"json_size\":\"12289\"",
		 LUKS_E_FIELD, "config.json_size"},
		{"\"json_size\":\"12288\"", "\"json_size\":12288", LUKS_E_FIELD,
		 "config.json_size"},
		{"\"keyslots_size\":\"1048576\"",
		 "\"keyslots_size\":\"1048577\"", LUKS_E_FIELD,
		 "config.keyslots_size"},
		{"\"stripes\":4000", "\"stripes\":3999", LUKS_E_FIELD,
		 "keyslots.af.stripes"},
		{"\"key_size\":64,\"af\"", "\"key_size\":65,\"af\"",
		 LUKS_E_FIELD, "keyslots.key_size"},
		{"\"memory\":32", "\"memory\":4194305", LUKS_E_FIELD,
		 "keyslots.kdf.memory"},
		{"\"cpus\":1", "\"cpus\":0", LUKS_E_FIELD, "keyslots.kdf.cpus"},
		{"\"time\":4", "\"time\":\"4\"", LUKS_E_FIELD,
		 "keyslots.kdf.time"},
		{"atsg5", "ats!5", LUKS_E_FIELD, "keyslots.kdf.salt"},
		{"LYIByPY=", "LYIByPZ=", LUKS_E_FIELD, "keyslots.kdf.salt"},
		{"LYIByPY=", "LYIByPY", LUKS_E_FIELD, "keyslots.kdf.salt"},
		{"\"priority\":2", "\"priority\":3", LUKS_E_FIELD,
		 "keyslots.priority"},
		{"\"sector_size\":4096", "\"sector_size\":3072", LUKS_E_FIELD,
		 "segments.sector_size"},
		{"\"sector_size\":4096", "\"sector_size\":8192", LUKS_E_FIELD,
		 "segments.sector_size"},
		{"\"size\":\"dynamic\"", "\"size\":\"dynamik\"", LUKS_E_FIELD,
		 "segments.size"},
		{"\"iv_tweak\":\"0\"", "\"iv_tweak\":0", LUKS_E_FIELD,
		 "segments.iv_tweak"},
		{"\"keyslots\":[\"0\",\"1\"]", "\"keyslots\":[\"0\",\"5\"]",
		 LUKS_E_FIELD, "digests.keyslots"},
		{"\"keyslots\":[\"0\",\"1\"]", "\"keyslots\":[\"0\",\"0\"]",
		 LUKS_E_FIELD, "digests.keyslots"},
		{"\"segments\":[\"0\"]", "\"segments\":[\"1\"]", LUKS_E_FIELD,
		 "digests.segments"},
		{"\"keyslots\":[\"1\"]", "\"keyslots\":[\"2\"]", LUKS_E_FIELD,
		 "tokens.keyslots"},
		{"\"key_description\"", "\"key_descriptio\"", LUKS_E_FIELD,
		 "tokens.key_description"},
		/* Limits, sections, JSON. */
		{"\"1\":{\"type\":\"luks2\"", "\"32\":{\"type\":\"luks2\"",
		 LUKS_E_LIMIT, "keyslots"},
		{"\"1\":{\"type\":\"luks2\"", "\"01\":{\"type\":\"luks2\"",
		 LUKS_E_LIMIT, "keyslots"},
		{"\"segments\":{\"0\":", "\"segments\":{\"8\":", LUKS_E_LIMIT,
		 "segments"},
		{"\"tokens\":{\"0\":{", "\"tokens\":{\"0\":[],\"1\":{",
		 LUKS_E_FIELD, "tokens"},
		{"\"tokens\":", "\"tokenz\":", LUKS_E_FIELD, "tokens"},
		{"{\"keyslots\":", "{\"tokens\":{},\"keyslots\":", LUKS_E_JSON,
		 "json"},
		{"\"config\":{", "\"config\":{,", LUKS_E_JSON, "json"},
		/* The member table's paths: an object on the way that is
		 * not one, a key missing, a value of the wrong type. */
		{"\"af\":{\"type\":\"luks1\"",
		 "\"af\":[],\"x\":{\"type\":\"luks1\"", LUKS_E_FIELD,
		 "keyslots.af.type"},
		{"{\"type\":\"argon2id\"", "{\"typ\":\"argon2id\"",
		 LUKS_E_FIELD, "keyslots.kdf.type"},
		{"\"argon2id\"", "5", LUKS_E_FIELD, "keyslots.kdf.type"},
		{"\"priority\":2", "\"priority\":\"2\"", LUKS_E_FIELD,
		 "keyslots.priority"},
		{"\"json_size\"", "\"json_sizes\"", LUKS_E_FIELD,
		 "config.json_size"},
		{"\"keyslots_size\":\"1048576\"",
		 "\"keyslots_size\":\"1048576\",\"requirements\":[]",
		 LUKS_E_FIELD, "config.requirements"},
		{"\"keyslots_size\":\"1048576\"",
		 "\"keyslots_size\":\"1048576\",\"flags\":{}", LUKS_E_FIELD,
		 "config.flags"},
		{"\"segments\":[\"0\"]", "\"segments\":[0]", LUKS_E_FIELD,
		 "digests.segments"},
		/* Ids are plain digits, as cryptsetup writes them. */
		{"\"keyslots\":[\"0\",\"1\"]",
		 "\"keyslots\":[\"\\u0030\",\"1\"]", LUKS_E_FIELD,
		 "digests.keyslots"},
		{"\"stripes\":4000", "\"stripes\":4000.0", LUKS_E_FIELD,
		 "keyslots.af.stripes"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		const char *field;
		int r = json_edit(LUKS2_ARGON2, cases[i].from, cases[i].to,
				  &field);

		if (r != -cases[i].err || !field ||
		    strcmp(field, cases[i].field))
			fail_msg("%s -> %s: %d %s, want %d %s", cases[i].from,
				 cases[i].to, r, field ? field : "-",
				 -cases[i].err, cases[i].field);
	}
}

/* The area without a NUL, a bad header size, too few tokens. */
static void test_luks2_json_area(void **state)
{
	const char *field = NULL;

	(void)state;
	assert_int_equal(json_edit(LUKS2_ARGON2, NULL, NULL, &field), 0);
	memset(jtext, ' ', sizeof(jtext));
	jtext[0] = '{';
	assert_int_equal(luks2_json_parse(jtext, HDR16K - 4096, HDR16K, toks,
					  NELEM(toks), &meta, &field),
			 -LUKS_E_JSON);
	assert_int_equal(json_edit(LUKS2_ARGON2, NULL, NULL, &field), 0);
	assert_int_equal(luks2_json_parse(jtext, HDR16K - 4096, 12345, toks,
					  NELEM(toks), &meta, &field),
			 -LUKS_E_FIELD);
	assert_int_equal(luks2_json_parse(jtext, HDR16K - 4096, HDR16K, toks,
					  50, &meta, &field),
			 -LUKS_E_LIMIT);
	assert_string_equal(field, "json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_json_walk),
		cmocka_unit_test(test_json_depth),
		cmocka_unit_test(test_json_duplicates),
		cmocka_unit_test(test_json_malformed),
		cmocka_unit_test(test_json_truncated),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_luks1_fixture),
		cmocka_unit_test(test_luks1_refusals),
		cmocka_unit_test(test_luks2_pick),
		cmocka_unit_test(test_luks2_damaged_primary),
		cmocka_unit_test(test_luks2_seqid),
		cmocka_unit_test(test_luks2_bin_refusals),
		cmocka_unit_test(test_luks2_json_pbkdf2),
		cmocka_unit_test(test_luks2_json_argon2),
		cmocka_unit_test(test_luks2_json_refusals),
		cmocka_unit_test(test_luks2_json_area),
	};

	return cmocka_run_group_tests_name("luks", tests, NULL, NULL);
}
