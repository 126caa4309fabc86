/* SPDX-License-Identifier: MIT */
/* SHA-1, SHA-256 and SHA-512 (FIPS 180-4) and HMAC over them (RFC 2104):
 * dmboot's own, for LUKS key slots (pbkdf2.h) without the kernel's AF_ALG.
 * Each family is built with its Kconfig symbol (HASH_SHA1, HASH_SHA256,
 * HASH_SHA512); hash_by_name finds only those. No I/O.
 *
 * The three share one Merkle-Damgard frame: a family is its block
 * function, initial state and sizes (struct hash_alg); buffering,
 * padding and the big-endian digest are common. */
#ifndef DMBOOT_HASH_H
#define DMBOOT_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_MAX_DIGEST 64
#define HASH_MAX_BLOCK 128

/* The chaining value: 5 words (SHA-1) or 8 (SHA-256, SHA-512). */
union hash_state {
	uint32_t w32[8];
	uint64_t w64[8];
};

/* The message schedule's 16 words. The caller owns it, so that one wipe
 * at the end clears what every block left there (PBKDF2 runs the block
 * function millions of times). */
union hash_work {
	uint32_t w32[16];
	uint64_t w64[16];
};

struct hash_alg {
	char name
		[8]; /* "sha1", "sha256", "sha512": LUKS's and the kernel's names */
	uint8_t digest_size;
	uint8_t block_size;
	uint8_t word_size; /* 4 or 8: state words, and half the length field */
	union hash_state iv;
	void (*block)(union hash_state *s, union hash_work *w,
		      const uint8_t *p);
};

extern const struct hash_alg hash_sha1, hash_sha256, hash_sha512;

/* The family called name, or NULL if it is unknown or not built. */
const struct hash_alg *hash_by_name(const char *name);

struct hash_ctx {
	const struct hash_alg *alg;
	union hash_state s;
	union hash_work w;
	uint64_t bytes; /* hashed so far */
	uint8_t buf[HASH_MAX_BLOCK];
};

void hash_init(struct hash_ctx *c, const struct hash_alg *alg);
void hash_update(struct hash_ctx *c, const void *p, size_t n);
/* Writes alg->digest_size bytes and wipes c. */
void hash_final(struct hash_ctx *c, uint8_t *out);
/* One shot: init, update, final. */
void hash_digest(const struct hash_alg *alg, const void *p, size_t n,
		 uint8_t *out);

/* The first n bytes of the state, big-endian: the digest, or a prefix. */
void hash_state_out(const struct hash_alg *alg, const union hash_state *s,
		    uint8_t *out, size_t n);

/* HMAC: the inner hash under way, and the outer state after the key's
 * block (key XOR opad), so that a key's two blocks are hashed once. */
struct hmac_ctx {
	struct hash_ctx inner;
	union hash_state outer;
};

void hmac_init(struct hmac_ctx *h, const struct hash_alg *alg, const void *key,
	       size_t klen);
void hmac_update(struct hmac_ctx *h, const void *p, size_t n);
/* Writes alg->digest_size bytes and wipes h. */
void hmac_final(struct hmac_ctx *h, uint8_t *out);
void hmac_digest(const struct hash_alg *alg, const void *key, size_t klen,
		 const void *p, size_t n, uint8_t *out);

#endif
