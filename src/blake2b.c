/* SPDX-License-Identifier: MIT */
/* BLAKE2b after RFC 7693 section 3. Messages here are short (Argon2's
 * H0 input, 1 KiB blocks), so the byte counter is one 64-bit word: the
 * high word of RFC 7693's t stays 0 below 2^64 bytes. */
#include "blake2b.h"

#include <string.h>

#include "le.h"
#include "secret.h"

static const uint64_t blake2b_iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
	0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

/* Two message-word indexes per byte: rounds 10 and 11 repeat 0 and 1. */
static const uint8_t blake2b_sigma[10][8] = {
	{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef},
	{0xea, 0x48, 0x9f, 0xd6, 0x1c, 0x02, 0xb7, 0x53},
	{0xb8, 0xc0, 0x52, 0xfd, 0xae, 0x36, 0x71, 0x94},
	{0x79, 0x31, 0xdc, 0xbe, 0x26, 0x5a, 0x40, 0xf8},
	{0x90, 0x57, 0x24, 0xaf, 0xe1, 0xbc, 0x68, 0x3d},
	{0x2c, 0x6a, 0x0b, 0x83, 0x4d, 0x75, 0xfe, 0x19},
	{0xc5, 0x1f, 0xed, 0x4a, 0x07, 0x63, 0x92, 0x8b},
	{0xdb, 0x7e, 0xc1, 0x39, 0x50, 0xf4, 0x86, 0x2a},
	{0x6f, 0xe9, 0xb3, 0x08, 0xc2, 0xd7, 0x14, 0xa5},
	{0xa2, 0x84, 0x76, 0x15, 0xfb, 0x9e, 0x3c, 0xd0},
};

static inline uint64_t ror64(uint64_t x, unsigned n)
{
	return x >> n | x << (64 - n);
}

static void blake2b_mix(uint64_t *v, unsigned a, unsigned b, unsigned c,
			unsigned d, uint64_t x, uint64_t y)
{
	v[a] += v[b] + x;
	v[d] = ror64(v[d] ^ v[a], 32);
	v[c] += v[d];
	v[b] = ror64(v[b] ^ v[c], 24);
	v[a] += v[b] + y;
	v[d] = ror64(v[d] ^ v[a], 16);
	v[c] += v[d];
	v[b] = ror64(v[b] ^ v[c], 63);
}

static void blake2b_compress(struct blake2b *s, int last)
{
	/* The mixing pattern of one round: columns, then diagonals. */
	static const uint16_t lanes[8] = {0x048c, 0x159d, 0x26ae, 0x37bf,
					  0x05af, 0x16bc, 0x278d, 0x349e};
	uint64_t v[16], m[16];
	int i, r;

	for (i = 0; i < 16; i++)
		m[i] = le64(s->buf + 8 * i);
	memcpy(v, s->h, sizeof(s->h));
	memcpy(v + 8, blake2b_iv, sizeof(blake2b_iv));
	v[12] ^= s->t;
	if (last)
		v[14] = ~v[14];
	for (r = 0; r < 12; r++) {
		const uint8_t *sg = blake2b_sigma[r % 10];

		for (i = 0; i < 8; i++) {
			unsigned l = lanes[i];

			blake2b_mix(v, l >> 12, l >> 8 & 15, l >> 4 & 15,
				    l & 15, m[sg[i] >> 4], m[sg[i] & 15]);
		}
	}
	for (i = 0; i < 8; i++)
		s->h[i] ^= v[i] ^ v[i + 8];
	wipe(v, sizeof(v));
	wipe(m, sizeof(m));
}

void blake2b_init(struct blake2b *s, size_t outlen)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->h, blake2b_iv, sizeof(s->h));
	/* Parameter block: digest length, no key, fanout 1, depth 1. */
	s->h[0] ^= 0x01010000 ^ (uint64_t)outlen;
	s->outlen = outlen;
}

void blake2b_update(struct blake2b *s, const void *p, size_t len)
{
	const uint8_t *in = p;

	while (len) {
		size_t k;

		/* The last block is compressed in final, with its flag: a
		 * full buffer waits until more input shows it is not last. */
		if (s->n == BLAKE2B_BLOCK) {
			s->t += BLAKE2B_BLOCK;
			blake2b_compress(s, 0);
			s->n = 0;
		}
		k = BLAKE2B_BLOCK - s->n;
		if (k > len)
			k = len;
		memcpy(s->buf + s->n, in, k);
		s->n += k;
		in += k;
		len -= k;
	}
}

void blake2b_final(struct blake2b *s, void *out)
{
	uint8_t *o = out;
	size_t i;

	s->t += s->n;
	memset(s->buf + s->n, 0, BLAKE2B_BLOCK - s->n);
	blake2b_compress(s, 1);
	for (i = 0; i < s->outlen; i++)
		o[i] = (uint8_t)(s->h[i / 8] >> (8 * (i % 8)));
	wipe(s, sizeof(*s));
}
