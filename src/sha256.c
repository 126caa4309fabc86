/* SPDX-License-Identifier: MIT */
/* SHA-256's block function (FIPS 180-4 section 6.2), one round in a loop
 * over a 16-word schedule: the smallest form measured. */
#include "hash.h"

#define ROR32(x, n) ((x) >> (n) | (x) << (32 - (n)))

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(union hash_state *s, union hash_work *work,
			 const uint8_t *p)
{
	uint32_t *w = work->w32, a = s->w32[0], b = s->w32[1], c = s->w32[2],
		 d = s->w32[3], e = s->w32[4], f = s->w32[5], g = s->w32[6],
		 h = s->w32[7];

	for (unsigned i = 0; i < 64; i++) {
		uint32_t t1, t2;

		if (i < 16) {
			w[i] = (uint32_t)p[4 * i] << 24 |
			       (uint32_t)p[4 * i + 1] << 16 |
			       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		} else {
			uint32_t x = w[(i - 15) & 15], y = w[(i - 2) & 15];

			w[i & 15] += (ROR32(x, 7) ^ ROR32(x, 18) ^ x >> 3) +
				     w[(i - 7) & 15] +
				     (ROR32(y, 17) ^ ROR32(y, 19) ^ y >> 10);
		}
		t1 = h + (ROR32(e, 6) ^ ROR32(e, 11) ^ ROR32(e, 25)) +
		     (g ^ (e & (f ^ g))) + sha256_k[i] + w[i & 15];
		t2 = (ROR32(a, 2) ^ ROR32(a, 13) ^ ROR32(a, 22)) +
		     ((a & b) | (c & (a | b)));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	s->w32[0] += a;
	s->w32[1] += b;
	s->w32[2] += c;
	s->w32[3] += d;
	s->w32[4] += e;
	s->w32[5] += f;
	s->w32[6] += g;
	s->w32[7] += h;
}

const struct hash_alg hash_sha256 = {
	.name = "sha256",
	.digest_size = 32,
	.block_size = 64,
	.word_size = 4,
	.iv.w32 = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
		   0x9b05688c, 0x1f83d9ab, 0x5be0cd19},
	.block = sha256_block,
};
