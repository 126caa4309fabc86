/* SPDX-License-Identifier: MIT */
/* The frame the three SHA families share: buffering, FIPS 180-4's
 * padding (0x80, zeros, the bit length big-endian in the last two
 * words), the digest out of the state, lookup by name, and HMAC. */
#include "hash.h"

#include <string.h>

#include "config.h"
#include "util.h"

const struct hash_alg *hash_by_name(const char *name)
{
	const struct hash_alg *const algs[] = {
		CFG_HASH_SHA1 ? &hash_sha1 : NULL,
		CFG_HASH_SHA256 ? &hash_sha256 : NULL,
		CFG_HASH_SHA512 ? &hash_sha512 : NULL,
	};

	for (size_t i = 0; i < ARRAY_SIZE(algs); i++)
		if (algs[i] && !strcmp(algs[i]->name, name))
			return algs[i];
	return NULL;
}

void hash_init(struct hash_ctx *c, const struct hash_alg *alg)
{
	c->alg = alg;
	c->s = alg->iv;
	c->bytes = 0;
}

void hash_update(struct hash_ctx *c, const void *p, size_t n)
{
	const uint8_t *in = p;
	size_t bs = c->alg->block_size;

	while (n) {
		size_t used = (size_t)(c->bytes % bs), take = bs - used;

		if (take > n)
			take = n;
		if (!used && take == bs) {
			c->alg->block(&c->s, &c->w,
				      in); /* whole blocks skip buf */
		} else {
			memcpy(c->buf + used, in, take);
			if (used + take == bs)
				c->alg->block(&c->s, &c->w, c->buf);
		}
		c->bytes += take;
		in += take;
		n -= take;
	}
}

void hash_state_out(const struct hash_alg *alg, const union hash_state *s,
		    uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned shift = 8 * (alg->word_size - 1 - i % alg->word_size);

		out[i] =
			(uint8_t)(alg->word_size == 4 ? s->w32[i / 4] >> shift
						      : s->w64[i / 8] >> shift);
	}
}

void hash_final(struct hash_ctx *c, uint8_t *out)
{
	const struct hash_alg *alg = c->alg;
	size_t bs = alg->block_size, used = (size_t)(c->bytes % bs);
	uint64_t bits = c->bytes << 3;

	c->buf[used++] = 0x80;
	if (used > bs - 2u * alg->word_size) {
		memset(c->buf + used, 0, bs - used);
		alg->block(&c->s, &c->w, c->buf);
		used = 0;
	}
	memset(c->buf + used, 0, bs - used);
	/* SHA-512's 128-bit length: its top word is bytes >> 61. */
	if (alg->word_size == 8)
		c->buf[bs - 9] = (uint8_t)(c->bytes >> 61);
	for (size_t i = 1; i <= 8; i++, bits >>= 8)
		c->buf[bs - i] = (uint8_t)bits;
	alg->block(&c->s, &c->w, c->buf);
	hash_state_out(alg, &c->s, out, alg->digest_size);
	wipe(c, sizeof(*c));
}

void hash_digest(const struct hash_alg *alg, const void *p, size_t n,
		 uint8_t *out)
{
	struct hash_ctx c;

	hash_init(&c, alg);
	hash_update(&c, p, n);
	hash_final(&c, out);
}

#define HMAC_IPAD 0x36
#define HMAC_OPAD 0x5c

void hmac_init(struct hmac_ctx *h, const struct hash_alg *alg, const void *key,
	       size_t klen)
{
	uint8_t k[HASH_MAX_BLOCK] = {0};
	size_t bs = alg->block_size;

	if (klen > bs)
		hash_digest(alg, key, klen, k);
	else
		memcpy(k, key, klen);
	for (size_t i = 0; i < bs; i++)
		k[i] ^= HMAC_OPAD;
	hash_init(&h->inner, alg);
	hash_update(&h->inner, k, bs);
	h->outer = h->inner.s;
	for (size_t i = 0; i < bs; i++)
		k[i] ^= HMAC_OPAD ^ HMAC_IPAD;
	hash_init(&h->inner, alg);
	hash_update(&h->inner, k, bs);
	wipe(k, sizeof(k));
}

void hmac_update(struct hmac_ctx *h, const void *p, size_t n)
{
	hash_update(&h->inner, p, n);
}

void hmac_final(struct hmac_ctx *h, uint8_t *out)
{
	const struct hash_alg *alg = h->inner.alg;
	uint8_t d[HASH_MAX_DIGEST];

	hash_final(&h->inner, d);
	h->inner.alg = alg;
	h->inner.s = h->outer;
	h->inner.bytes = alg->block_size;
	hash_update(&h->inner, d, alg->digest_size);
	hash_final(&h->inner, out);
	wipe(d, sizeof(d));
	wipe(h, sizeof(*h));
}

void hmac_digest(const struct hash_alg *alg, const void *key, size_t klen,
		 const void *p, size_t n, uint8_t *out)
{
	struct hmac_ctx h;

	hmac_init(&h, alg, key, klen);
	hmac_update(&h, p, n);
	hmac_final(&h, out);
}
