/* SPDX-License-Identifier: MIT */
/* PBKDF2-HMAC (RFC 8018 section 5.2). The password's two HMAC key blocks
 * are hashed once (hmac_init); each later iteration is then two block
 * calls on one padded block: U's inner and outer messages are both
 * block_size + digest_size bytes long, so they share the padding. */
#include "pbkdf2.h"

#include <errno.h>
#include <string.h>

#include "config.h"
#include "util.h"

int pbkdf2(const struct hash_alg *alg, const void *pw, size_t pwlen,
	   const void *salt, size_t saltlen, uint32_t iterations, uint8_t *out,
	   size_t outlen)
{
	struct {
		struct hmac_ctx key, h;
		union hash_state s;
		union hash_work w;
		uint8_t blk[HASH_MAX_BLOCK], u[HASH_MAX_DIGEST],
			t[HASH_MAX_DIGEST];
	} x;
	size_t dl = alg->digest_size, bs = alg->block_size;
	uint64_t bits = (uint64_t)(bs + dl) << 3;

	if (!CFG_KDF_PBKDF2)
		return -ENOSYS;
	if (!iterations || !outlen || (outlen - 1) / dl >= 0xffffffffu) {
		wipe(out, outlen);
		return -EINVAL;
	}
	hmac_init(&x.key, alg, pw, pwlen);
	memset(x.blk, 0, bs);
	x.blk[dl] = 0x80;
	for (size_t i = 1; i <= 8; i++, bits >>= 8)
		x.blk[bs - i] = (uint8_t)bits;
	for (uint32_t i = 1; outlen; i++) {
		uint8_t be[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16),
				 (uint8_t)(i >> 8), (uint8_t)i};
		size_t n = outlen < dl ? outlen : dl;

		x.h = x.key;
		hmac_update(&x.h, salt, saltlen);
		hmac_update(&x.h, be, sizeof(be));
		hmac_final(&x.h, x.u);
		memcpy(x.t, x.u, dl);
		memcpy(x.blk, x.u, dl);
		for (uint32_t j = 1; j < iterations; j++) {
			/* inner, then outer */
			for (int h = 0; h < 2; h++) {
				x.s = h ? x.key.outer : x.key.inner.s;
				alg->block(&x.s, &x.w, x.blk);
				hash_state_out(alg, &x.s, x.blk, dl);
			}
			for (size_t k = 0; k < dl; k++)
				x.t[k] ^= x.blk[k];
		}
		memcpy(out, x.t, n);
		out += n;
		outlen -= n;
	}
	wipe(&x, sizeof(x));
	return 0;
}
