/* SPDX-License-Identifier: MIT */
/* BLAKE2b (RFC 7693) and Argon2 (RFC 9106): the RFCs' vectors, random
 * parameters against libargon2 (the reference implementation, linked
 * into this test alone where run.sh defines DMBOOT_LIBARGON2), refused
 * parameters, a memory cost that cannot be mapped, and the area: out of
 * core dumps, wiped before it is unmapped. */
#include "harness.h"

#include <stdio.h>

#include <errno.h>
#include <string.h>

#include "argon2.h"
#include "blake2b.h"
#include "config.h"
#include "fake-sys.h"

#if DMBOOT_LIBARGON2
/* By its path: -Isrc puts dmboot's argon2.h first for <argon2.h>. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef" /* its #elif _MSC_VER */
#include "/usr/include/argon2.h" /* libargon2-dev, tests/deps.sh */
#pragma GCC diagnostic pop
#endif

static void unhex(uint8_t *out, const char *hex)
{
	size_t i;

	for (i = 0; hex[2 * i]; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void assert_hex(const uint8_t *got, size_t len, const char *hex)
{
	uint8_t want[256];

	assert_int_equal(strlen(hex), 2 * len);
	unhex(want, hex);
	assert_memory_equal(got, want, len);
}

static void test_blake2b_vectors(void **state)
{
	struct blake2b s;
	uint8_t out[64];
	uint8_t msg[300];
	uint8_t whole[64];
	size_t i, cut;

	(void)state;
	/* RFC 7693 appendix A. */
	blake2b_init(&s, 64);
	blake2b_update(&s, "abc", 3);
	blake2b_final(&s, out);
	assert_hex(out, 64,
		   "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbf"
		   "fa2d1"
		   "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd40"
		   "09923");
	/* The empty message: only the final, flagged block. */
	blake2b_init(&s, 64);
	blake2b_final(&s, out);
	assert_hex(out, 64,
		   "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71"
		   "f5419"
		   "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9"
		   "be2ce");
	/* Any split of the input gives the same digest, at block edges too. */
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 1);
	blake2b_init(&s, 64);
	blake2b_update(&s, msg, sizeof(msg));
	blake2b_final(&s, whole);
	for (cut = 0; cut <= sizeof(msg); cut += 1) {
		blake2b_init(&s, 64);
		blake2b_update(&s, msg, cut);
		blake2b_update(&s, msg + cut, sizeof(msg) - cut);
		blake2b_final(&s, out);
		assert_memory_equal(out, whole, 64);
	}
	/* The state is wiped by final. */
	for (i = 0; i < sizeof(s.buf); i++)
		assert_int_equal(s.buf[i], 0);
}

/* RFC 9106 section 5: m 32 KiB, t 3, p 4, 32-byte tag, every input. */
static void rfc9106(enum argon2_type type, const char *tag)
{
	uint8_t pwd[32], salt[16], secret[8], ad[12], out[32];
	struct argon2_in in = {
		pwd,	     salt,	   secret,	   ad,
		sizeof(pwd), sizeof(salt), sizeof(secret), sizeof(ad)};

	memset(pwd, 1, sizeof(pwd));
	memset(salt, 2, sizeof(salt));
	memset(secret, 3, sizeof(secret));
	memset(ad, 4, sizeof(ad));
	assert_int_equal(argon2_ext(type, 3, 32, 4, &in, out, sizeof(out)), 0);
	assert_hex(out, sizeof(out), tag);
}

#define RFC9106_ID                                                             \
	"0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"

static void test_rfc9106_vectors(void **state)
{
	(void)state;
	rfc9106(ARGON2_D, "512b391b6f1162975371d30919734294"
			  "f868e3be3984f3c1a13a4db9fabe4acb");
	rfc9106(ARGON2_I, "c814d9d1dc7f37aa13f0d77f2494bda1"
			  "c8de6b016dd388d29952a4c4672b6ce8");
	rfc9106(ARGON2_ID, RFC9106_ID);
}

#if DMBOOT_LIBARGON2
/* The area was mapped, kept out of core dumps with the process made
 * non-dumpable, and unmapped wiped: nothing live, nothing dirty. */
static void assert_area_clean(size_t kib)
{
	int i, seen = 0;

	assert_int_equal(host.live, 0);
	assert_int_equal(host.freed_dirty, 0);
	assert_true(fsys.undumpable);
	for (i = 0; i < fsys.nsecrets; i++)
		if (fsys.secrets[i].len == kib * 1024 &&
		    fsys.secrets[i].dontdump)
			seen = 1;
	assert_true(seen);
}

static void reference(enum argon2_type type, uint32_t t, uint32_t m, uint32_t p,
		      const struct argon2_in *in, uint8_t *out, size_t outlen)
{
	argon2_context ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.out = out;
	ctx.outlen = (uint32_t)outlen;
	ctx.pwd = (uint8_t *)(uintptr_t)in->pwd;
	ctx.pwdlen = (uint32_t)in->pwdlen;
	ctx.salt = (uint8_t *)(uintptr_t)in->salt;
	ctx.saltlen = (uint32_t)in->saltlen;
	ctx.secret = (uint8_t *)(uintptr_t)in->secret;
	ctx.secretlen = (uint32_t)in->secretlen;
	ctx.ad = (uint8_t *)(uintptr_t)in->ad;
	ctx.adlen = (uint32_t)in->adlen;
	ctx.t_cost = t;
	ctx.m_cost = m;
	ctx.lanes = p;
	ctx.threads = 1;
	ctx.version = ARGON2_VERSION_13;
	assert_int_equal(argon2_ctx(&ctx, (argon2_type)type), ARGON2_OK);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: the same cases on every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

static void test_random_against_libargon2(void **state)
{
	uint8_t pwd[100], salt[64], secret[32], ad[32], got[300], want[300];
	int n;

	(void)state;
	for (n = 0; n < 60; n++) {
		enum argon2_type type = (enum argon2_type)rnd(3);
		uint32_t p = 1 + rnd(5), t = 1 + rnd(3);
		uint32_t m = 8 * p + rnd(200); /* not always a multiple of 4p */
		size_t outlen = 4 + rnd(n % 4 ? 80 : 296), i;
		struct argon2_in in = {pwd,	 salt,	      secret, ad,
				       rnd(101), 8 + rnd(57), 0,      0};

		if (n % 5 == 0) {
			in.secretlen = rnd(33);
			in.adlen = rnd(33);
		}
		for (i = 0; i < sizeof(pwd); i++)
			pwd[i] = (uint8_t)rnd(256);
		for (i = 0; i < sizeof(salt); i++)
			salt[i] = (uint8_t)rnd(256);
		for (i = 0; i < sizeof(secret); i++)
			secret[i] = ad[i] = (uint8_t)rnd(256);
		reference(type, t, m, p, &in, want, outlen);
		fsys_reset();
		assert_int_equal(argon2_ext(type, t, m, p, &in, got, outlen),
				 0);
		if (memcmp(got, want, outlen))
			fail_msg("case %d: type %d t %u m %u p %u pwd %zu salt "
				 "%zu "
				 "secret %zu ad %zu out %zu differs",
				 n, type, t, m, p, in.pwdlen, in.saltlen,
				 in.secretlen, in.adlen, outlen);
		assert_area_clean(m / (4 * p) * 4 * p);
	}
}

/* 64 MiB, four lanes: the mapping at a size that is a real mmap. */
static void test_64mib_against_libargon2(void **state)
{
	static const char pwd[] = "correct horse battery staple";
	static const uint8_t salt[32] = {0x5a, 1, 2, 3, 4, 5, 6, 7, 8};
	uint8_t got[64], want[64];
	struct argon2_in in = {pwd,	     salt, NULL, NULL, sizeof(pwd) - 1,
			       sizeof(salt), 0,	   0};

	(void)state;
	fsys_reset();
	reference(ARGON2_ID, 1, 65536, 4, &in, want, sizeof(want));
	assert_int_equal(argon2(ARGON2_ID, 1, 65536, 4, pwd, sizeof(pwd) - 1,
				salt, sizeof(salt), got, sizeof(got)),
			 0);
	assert_memory_equal(got, want, sizeof(want));
	assert_area_clean(65536);
}
#endif

/* Four lanes, three passes: three workers forked once beside this
 * process, over a shared area (a private one gives a wrong tag). */
static void test_workers(void **state)
{
	(void)state;
	rfc9106(ARGON2_ID, RFC9106_ID);
	assert_int_equal(host.forks, CFG_ARGON2_WORKERS ? 3 : 0);
	assert_int_equal(host.live, 0);
	assert_int_equal(host.freed_dirty, 0);
}

/* fork refused (the first of each run, or all after the first): this
 * process fills the lanes that no worker took; the tag is the same. */
static void test_fork_refused_falls_back(void **state)
{
	(void)state;
	host.fork_fail_at = 1;
	rfc9106(ARGON2_ID, RFC9106_ID);
	host.forks = 0;
	host.fork_fail_at = 2;
	rfc9106(ARGON2_ID, RFC9106_ID);
	assert_int_equal(host.live, 0);
}

/* A worker that dies fails the hash (-ECHILD), the tag is not written
 * and the area is still wiped and unmapped. */
static void test_worker_dies(void **state)
{
	uint8_t pwd[32] = {1}, salt[16] = {2}, out[32];
	size_t i;

	(void)state;
	if (!CFG_ARGON2_WORKERS)
		skip();
	memset(out, 0xaa, sizeof(out));
	host.fork_crash = 1;
	assert_int_equal(argon2(ARGON2_ID, 1, 64, 4, pwd, sizeof(pwd), salt,
				sizeof(salt), out, sizeof(out)),
			 -ECHILD);
	for (i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0xaa);
	assert_int_equal(host.live, 0);
	assert_int_equal(host.freed_dirty, 0);
}

static void test_refused_parameters(void **state)
{
	static const uint8_t salt[16];
	uint8_t out[32];
	struct argon2_in in = {"pw", salt, NULL, NULL, 2, sizeof(salt), 0, 0};

	(void)state;
	assert_int_equal(argon2_ext(ARGON2_ID, 0, 64, 1, &in, out, 32),
			 -EINVAL);
	assert_int_equal(argon2_ext(ARGON2_ID, 1, 64, 0, &in, out, 32),
			 -EINVAL);
	assert_int_equal(argon2_ext(ARGON2_ID, 1, 31, 4, &in, out, 32),
			 -EINVAL);
	assert_int_equal(argon2_ext(ARGON2_ID, 1, 0xffffffffu,
				    ARGON2_LANES_MAX + 1, &in, out, 32),
			 -EINVAL);
	assert_int_equal(
		argon2_ext((enum argon2_type)3, 1, 64, 1, &in, out, 32),
		-EINVAL);
	assert_int_equal(argon2_ext(ARGON2_ID, 1, 64, 1, &in, out, 3), -EINVAL);
	in.saltlen = 7;
	assert_int_equal(argon2_ext(ARGON2_ID, 1, 64, 1, &in, out, 32),
			 -EINVAL);
	/* The smallest allowed: 8 KiB a lane, 8-byte salt, 4-byte tag. */
	in.saltlen = 8;
	assert_int_equal(argon2_ext(ARGON2_I, 1, 32, 4, &in, out, 4), 0);
	assert_int_equal(host.allocs, 1);
	assert_int_equal(host.live, 0);
}

/* A memory cost the machine cannot give: -ENOMEM, nothing written. */
static void test_unmappable_memory(void **state)
{
	static const uint8_t salt[16];
	uint8_t out[32];

	(void)state;
	memset(out, 0xaa, sizeof(out));
	host.alloc_fail_at = 1;
	assert_int_equal(argon2(ARGON2_ID, 4, 1048576, 4, "pw", 2, salt,
				sizeof(salt), out, sizeof(out)),
			 -ENOMEM);
	assert_int_equal(host.live, 0);
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0xaa);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_blake2b_vectors),
		T(test_rfc9106_vectors),
#if DMBOOT_LIBARGON2
		T(test_random_against_libargon2),
		T(test_64mib_against_libargon2),
#endif
		T(test_workers),
		T(test_fork_refused_falls_back),
		T(test_worker_dies),
		T(test_refused_parameters),
		T(test_unmappable_memory),
	};

	return cmocka_run_group_tests_name("argon2: BLAKE2b and Argon2", tests,
					   NULL, NULL);
}
