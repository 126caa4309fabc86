/* SPDX-License-Identifier: MIT */
/* dmboot's SHA-1, SHA-256, SHA-512, HMAC and PBKDF2: the published vectors
 * (FIPS 180-4's examples, RFC 2202, RFC 4231, RFC 6070, RFC 7914), then,
 * when built with OpenSSL (TEST_OPENSSL: not in cross builds), random
 * inputs of every length 0..300, at unaligned addresses and split at every
 * offset, against OpenSSL's own. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "pbkdf2.h"

#ifdef TEST_OPENSSL
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

#define MAX_LEN 300

static void hex_equal(const uint8_t *got, size_t n, const char *want)
{
	char h[2 * 256 + 1];

	assert_true(n <= 256);
	for (size_t i = 0; i < n; i++)
		snprintf(h + 2 * i, 3, "%02x", got[i]);
	h[2 * n] = 0;
	assert_string_equal(h, want);
}

static const struct hash_alg *alg(const char *name)
{
	const struct hash_alg *a = hash_by_name(name);

	assert_non_null(a);
	return a;
}

/* FIPS 180-4's examples (NIST's "Examples with Intermediate Values"):
 * "abc", the 448-bit message, SHA-512's 896-bit one and a million 'a'. */
#define M448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define M896                                                                   \
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"     \
	"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
static const struct {
	const char *alg, *msg, *digest;
} fips_vecs[] = {
	{"sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
	{"sha1", M448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
	{"sha1", NULL, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
	{"sha256", "abc",
	 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"sha256", M448,
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	{"sha256", NULL,
	 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
	{"sha512", "abc",
	 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
	{"sha512", M448,
	 "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
	 "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"},
	{"sha512", M896,
	 "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	 "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
	{"sha512", NULL,
	 "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	 "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
};

static void test_fips_vectors(void **state)
{
	uint8_t d[HASH_MAX_DIGEST];
	char *a = malloc(1000000);

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	for (size_t i = 0; i < NELEM(fips_vecs); i++) {
		const struct hash_alg *h = alg(fips_vecs[i].alg);
		const char *m = fips_vecs[i].msg ? fips_vecs[i].msg : a;
		size_t n = fips_vecs[i].msg ? strlen(m) : 1000000;

		hash_digest(h, m, n, d);
		hex_equal(d, h->digest_size, fips_vecs[i].digest);
	}
	free(a);
}

static void test_by_name(void **state)
{
	(void)state;
	assert_int_equal(alg("sha1")->digest_size, 20);
	assert_int_equal(alg("sha1")->block_size, 64);
	assert_int_equal(alg("sha256")->digest_size, 32);
	assert_int_equal(alg("sha256")->block_size, 64);
	assert_int_equal(alg("sha512")->digest_size, 64);
	assert_int_equal(alg("sha512")->block_size, 128);
	assert_null(hash_by_name("md5"));
	assert_null(hash_by_name("sha"));
	assert_null(hash_by_name("sha2566"));
	assert_null(hash_by_name("SHA256"));
	assert_null(hash_by_name(""));
}

/* A key or message: n bytes of fill, or the bytes of s. */
struct bytes {
	size_t n;
	uint8_t fill;
	const char *s;
};

struct hmac_vec {
	const char *alg;
	int tc;
	struct bytes key, data;
	const char *mac;
};

/* RFC 2202 section 3 (HMAC-SHA1) and RFC 4231 section 4 (HMAC-SHA256,
 * HMAC-SHA512): test case, key, data, HMAC (case 5 cut to 128 bits, as
 * RFC 4231 gives it). */
static const struct hmac_vec hmac_vecs[] = {
	{"sha1",
	 1,
	 {20, 0x0b, NULL},
	 {8, 0, "Hi There"},
	 "b617318655057264e28bc0b6fb378c8ef146be00"},
	{"sha1",
	 2,
	 {4, 0, "Jefe"},
	 {28, 0, "what do ya want for nothing?"},
	 "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
	{"sha1",
	 3,
	 {20, 0xaa, NULL},
	 {50, 0xdd, NULL},
	 "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
	{"sha1",
	 4,
	 {25, 0,
	  "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
	  "\x12\x13\x14\x15\x16\x17\x18\x19"},
	 {50, 0xcd, NULL},
	 "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
	{"sha1",
	 5,
	 {20, 0x0c, NULL},
	 {20, 0, "Test With Truncation"},
	 "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
	{"sha1",
	 6,
	 {80, 0xaa, NULL},
	 {54, 0, "Test Using Larger Than Block-Size Key - Hash Key First"},
	 "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
	{"sha1",
	 7,
	 {80, 0xaa, NULL},
	 {73, 0,
	  "Test Using Larger Than Block-Size Key and Larger Than One "
	  "Block-Size Data"},
	 "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
	{"sha256",
	 1,
	 {20, 0x0b, NULL},
	 {8, 0, "Hi There"},
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{"sha256",
	 2,
	 {4, 0, "Jefe"},
	 {28, 0, "what do ya want for nothing?"},
	 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	{"sha256",
	 3,
	 {20, 0xaa, NULL},
	 {50, 0xdd, NULL},
	 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
	{"sha256",
	 4,
	 {25, 0,
	  "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
	  "\x12\x13\x14\x15\x16\x17\x18\x19"},
	 {50, 0xcd, NULL},
	 "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
	{"sha256",
	 5,
	 {20, 0x0c, NULL},
	 {20, 0, "Test With Truncation"},
	 "a3b6167473100ee06e0c796c2955552b"},
	{"sha256",
	 6,
	 {131, 0xaa, NULL},
	 {54, 0, "Test Using Larger Than Block-Size Key - Hash Key First"},
	 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	{"sha256",
	 7,
	 {131, 0xaa, NULL},
	 {152, 0,
	  "This is a test using a larger than block-size key and a larger than "
	  "block-size data. The key needs to be hashed before being used by "
	  "the HMAC algorithm."},
	 "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	{"sha512",
	 1,
	 {20, 0x0b, NULL},
	 {8, 0, "Hi There"},
	 "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa83"
	 "3b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
	{"sha512",
	 2,
	 {4, 0, "Jefe"},
	 {28, 0, "what do ya want for nothing?"},
	 "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758b"
	 "f75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
	{"sha512",
	 3,
	 {20, 0xaa, NULL},
	 {50, 0xdd, NULL},
	 "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e8"
	 "48279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
	{"sha512",
	 4,
	 {25, 0,
	  "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11"
	  "\x12\x13\x14\x15\x16\x17\x18\x19"},
	 {50, 0xcd, NULL},
	 "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca"
	 "5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
	{"sha512",
	 5,
	 {20, 0x0c, NULL},
	 {20, 0, "Test With Truncation"},
	 "415fad6271580a531d4179bc891d87a6"},
	{"sha512",
	 6,
	 {131, 0xaa, NULL},
	 {54, 0, "Test Using Larger Than Block-Size Key - Hash Key First"},
	 "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d"
	 "037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
	{"sha512",
	 7,
	 {131, 0xaa, NULL},
	 {152, 0,
	  "This is a test using a larger than block-size key and a larger than "
	  "block-size data. The key needs to be hashed before being used by "
	  "the HMAC algorithm."},
	 "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022"
	 "cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

static const uint8_t *bytes(const struct bytes *b, uint8_t *buf)
{
	if (b->s)
		return (const uint8_t *)b->s;
	memset(buf, b->fill, b->n);
	return buf;
}

static void test_hmac_vectors(void **state)
{
	uint8_t kb[256], db[256], mac[HASH_MAX_DIGEST];

	(void)state;
	for (size_t i = 0; i < NELEM(hmac_vecs); i++) {
		const struct hmac_vec *v = &hmac_vecs[i];
		const struct hash_alg *h = alg(v->alg);

		hmac_digest(h, bytes(&v->key, kb), v->key.n,
			    bytes(&v->data, db), v->data.n, mac);
		hex_equal(mac, strlen(v->mac) / 2, v->mac);
	}
}

/* RFC 6070 (PBKDF2-HMAC-SHA1; its 16777216-iteration case is left out:
 * minutes under ASan) and RFC 7914 section 11 (PBKDF2-HMAC-SHA256). */
static const struct {
	const char *alg;
	struct bytes pw, salt;
	uint32_t c;
	const char *dk;
} pbkdf2_vecs[] = {
	{"sha1",
	 {8, 0, "password"},
	 {4, 0, "salt"},
	 1,
	 "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
	{"sha1",
	 {8, 0, "password"},
	 {4, 0, "salt"},
	 2,
	 "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
	{"sha1",
	 {8, 0, "password"},
	 {4, 0, "salt"},
	 4096,
	 "4b007901b765489abead49d926f721d065a429c1"},
	{"sha1",
	 {24, 0, "passwordPASSWORDpassword"},
	 {36, 0, "saltSALTsaltSALTsaltSALTsaltSALTsalt"},
	 4096,
	 "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"},
	{"sha1",
	 {9, 0, "pass\0word"},
	 {5, 0, "sa\0lt"},
	 4096,
	 "56fa6aa75548099dcc37d7f03425e0c3"},
	{"sha256",
	 {6, 0, "passwd"},
	 {4, 0, "salt"},
	 1,
	 "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
	 "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"},
	{"sha256",
	 {8, 0, "Password"},
	 {4, 0, "NaCl"},
	 80000,
	 "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
	 "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"},
};

static void test_pbkdf2_vectors(void **state)
{
	uint8_t dk[64];

	(void)state;
	for (size_t i = 0; i < NELEM(pbkdf2_vecs); i++) {
		size_t n = strlen(pbkdf2_vecs[i].dk) / 2;

		assert_int_equal(
			pbkdf2(alg(pbkdf2_vecs[i].alg), pbkdf2_vecs[i].pw.s,
			       pbkdf2_vecs[i].pw.n, pbkdf2_vecs[i].salt.s,
			       pbkdf2_vecs[i].salt.n, pbkdf2_vecs[i].c, dk, n),
			0);
		hex_equal(dk, n, pbkdf2_vecs[i].dk);
	}
}

/* Refusals: the output is wiped, nothing is derived. */
static void test_pbkdf2_refusals(void **state)
{
	uint8_t dk[32];

	(void)state;
	memset(dk, 0xee, sizeof(dk));
	assert_int_equal(
		pbkdf2(alg("sha256"), "pw", 2, "salt", 4, 0, dk, sizeof(dk)),
		-EINVAL);
	for (size_t i = 0; i < sizeof(dk); i++)
		assert_int_equal(dk[i], 0);
	assert_int_equal(pbkdf2(alg("sha256"), "pw", 2, "salt", 4, 1, dk, 0),
			 -EINVAL);
}

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

/* A context that held a key is all zero once its digest is out. */
static void test_contexts_wiped(void **state)
{
	static const char *const names[] = {"sha1", "sha256", "sha512"};
	uint8_t d[HASH_MAX_DIGEST];

	(void)state;
	for (size_t i = 0; i < NELEM(names); i++) {
		struct hash_ctx c;
		struct hmac_ctx h;

		hash_init(&c, alg(names[i]));
		hash_update(&c, "secret key material", 19);
		hash_final(&c, d);
		assert_true(all_zero(&c, sizeof(c)));
		hmac_init(&h, alg(names[i]), "key", 3);
		hmac_update(&h, "message", 7);
		hmac_final(&h, d);
		assert_true(all_zero(&h, sizeof(h)));
	}
}

#ifdef TEST_OPENSSL
/* xorshift64: the same inputs on every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		p[i] = (uint8_t)rng;
	}
}

static const EVP_MD *md(const char *name)
{
	const EVP_MD *m = EVP_get_digestbyname(name);

	assert_non_null(m);
	return m;
}

static void test_hash_random(void **state)
{
	static const char *const names[] = {"sha1", "sha256", "sha512"};
	uint8_t msg[MAX_LEN + 8], want[EVP_MAX_MD_SIZE], got[HASH_MAX_DIGEST];

	(void)state;
	for (size_t a = 0; a < NELEM(names); a++) {
		const struct hash_alg *h = alg(names[a]);

		for (size_t n = 0; n <= MAX_LEN; n++) {
			/* Unaligned: the message starts at 1 + n % 7. */
			uint8_t *m = msg + 1 + n % 7;

			fill_random(m, n);
			assert_int_equal(EVP_Digest(m, n, want, NULL,
						    md(names[a]), NULL),
					 1);
			hash_digest(h, m, n, got);
			assert_memory_equal(got, want, h->digest_size);
			/* Two updates, split at every offset. */
			for (size_t cut = 0; cut <= n; cut++) {
				struct hash_ctx c;

				hash_init(&c, h);
				hash_update(&c, m, cut);
				hash_update(&c, m + cut, n - cut);
				hash_final(&c, got);
				assert_memory_equal(got, want, h->digest_size);
			}
			/* A byte at a time. */
			{
				struct hash_ctx c;

				hash_init(&c, h);
				for (size_t i = 0; i < n; i++)
					hash_update(&c, m + i, 1);
				hash_final(&c, got);
				assert_memory_equal(got, want, h->digest_size);
			}
		}
	}
}

/* Keys of every length 0..300 (shorter, equal to and longer than a
 * block), messages of every length, split at every third offset. */
static void test_hmac_random(void **state)
{
	static const char *const names[] = {"sha1", "sha256", "sha512"};
	uint8_t key[MAX_LEN + 8], msg[MAX_LEN + 8], want[EVP_MAX_MD_SIZE],
		got[HASH_MAX_DIGEST];

	(void)state;
	for (size_t a = 0; a < NELEM(names); a++) {
		const struct hash_alg *h = alg(names[a]);

		for (size_t n = 0; n <= MAX_LEN; n++) {
			uint8_t *k = key + 1 + n % 5, *m = msg + 3 + n % 3;
			size_t mlen = (n * 7) % (MAX_LEN + 1);
			unsigned int wl = 0;

			fill_random(k, n);
			fill_random(m, mlen);
			assert_non_null(HMAC(md(names[a]), k, (int)n, m, mlen,
					     want, &wl));
			assert_int_equal(wl, h->digest_size);
			hmac_digest(h, k, n, m, mlen, got);
			assert_memory_equal(got, want, wl);
			for (size_t cut = 0; cut <= mlen; cut += 3) {
				struct hmac_ctx c;

				hmac_init(&c, h, k, n);
				hmac_update(&c, m, cut);
				hmac_update(&c, m + cut, mlen - cut);
				hmac_final(&c, got);
				assert_memory_equal(got, want, wl);
			}
		}
	}
}

/* Outputs of 1..300 bytes (one block, several, a part of the last),
 * iterations 1..40, passwords and salts of every length class. */
static void test_pbkdf2_random(void **state)
{
	static const char *const names[] = {"sha1", "sha256", "sha512"};
	uint8_t pw[MAX_LEN + 8], salt[MAX_LEN + 8], want[MAX_LEN], got[MAX_LEN];

	(void)state;
	for (size_t a = 0; a < NELEM(names); a++) {
		for (size_t i = 0; i < 100; i++) {
			size_t pl = (i * 37) % (MAX_LEN + 1),
			       sl = (i * 53) % (MAX_LEN + 1),
			       ol = 1 + (i * 29) % MAX_LEN;
			uint32_t c = 1 + (uint32_t)(i % 40);
			uint8_t *p = pw + 1 + i % 7, *s = salt + i % 5;

			fill_random(p, pl);
			fill_random(s, sl);
			assert_int_equal(PKCS5_PBKDF2_HMAC((const char *)p,
							   (int)pl, s, (int)sl,
							   (int)c, md(names[a]),
							   (int)ol, want),
					 1);
			memset(got, 0, sizeof(got));
			assert_int_equal(
				pbkdf2(alg(names[a]), p, pl, s, sl, c, got, ol),
				0);
			assert_memory_equal(got, want, ol);
		}
	}
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name),
		cmocka_unit_test(test_fips_vectors),
		cmocka_unit_test(test_hmac_vectors),
		cmocka_unit_test(test_pbkdf2_vectors),
		cmocka_unit_test(test_pbkdf2_refusals),
		cmocka_unit_test(test_contexts_wiped),
#ifdef TEST_OPENSSL
		cmocka_unit_test(test_hash_random),
		cmocka_unit_test(test_hmac_random),
		cmocka_unit_test(test_pbkdf2_random),
#endif
	};

	return cmocka_run_group_tests_name("hash: SHA, HMAC, PBKDF2", tests,
					   NULL, NULL);
}
