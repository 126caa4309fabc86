/* SPDX-License-Identifier: MIT */
/* SHA-1's block function (FIPS 180-4 section 6.1): for LUKS1 headers made
 * with --hash sha1 (cryptsetup's default before 1.7). */
#include "hash.h"

#define ROL32(x, n) ((x) << (n) | (x) >> (32 - (n)))

static void sha1_block(union hash_state *s, union hash_work *work,
		       const uint8_t *p)
{
	uint32_t *w = work->w32, a = s->w32[0], b = s->w32[1], c = s->w32[2],
		 d = s->w32[3], e = s->w32[4];

	for (unsigned i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 16) {
			w[i] = (uint32_t)p[4 * i] << 24 |
			       (uint32_t)p[4 * i + 1] << 16 |
			       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		} else {
			t = w[(i - 3) & 15] ^ w[(i - 8) & 15] ^
			    w[(i - 14) & 15] ^ w[i & 15];
			w[i & 15] = ROL32(t, 1);
		}
		if (i < 20) {
			f = d ^ (b & (c ^ d));
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (d & (b | c));
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = ROL32(a, 5) + f + e + k + w[i & 15];
		e = d;
		d = c;
		c = ROL32(b, 30);
		b = a;
		a = t;
	}
	s->w32[0] += a;
	s->w32[1] += b;
	s->w32[2] += c;
	s->w32[3] += d;
	s->w32[4] += e;
}

const struct hash_alg hash_sha1 = {
	.name = "sha1",
	.digest_size = 20,
	.block_size = 64,
	.word_size = 4,
	.iv.w32 = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0},
	.block = sha1_block,
};
