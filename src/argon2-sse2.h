/* SPDX-License-Identifier: MIT */
/* Argon2's compression G with SSE2 (every x86-64 has it): a row of the
 * block is eight vectors of two words, BLAKE2b's round on them with the
 * multiplications of BlaMka (pmuludq), all in registers. argon2.c calls
 * it where ARGON2_SSE2 is 1 and keeps its portable G for other
 * machines. */
#ifndef DMBOOT_ARGON2_SSE2_H
#define DMBOOT_ARGON2_SSE2_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>

#define ARGON2_SSE2 1

static inline __m128i argon2_vmul(__m128i x, __m128i y)
{
	__m128i m = _mm_mul_epu32(x, y);

	return _mm_add_epi64(_mm_add_epi64(x, y), _mm_add_epi64(m, m));
}

static inline __m128i argon2_vror(__m128i x, int n)
{
	return _mm_xor_si128(_mm_srli_epi64(x, n), _mm_slli_epi64(x, 64 - n));
}

/* (a's high word, b's low word) */
static inline __m128i argon2_vpick(__m128i a, __m128i b)
{
	return _mm_castpd_si128(
		_mm_shuffle_pd(_mm_castsi128_pd(a), _mm_castsi128_pd(b), 1));
}

/* Two of GB side by side: a holds words (0, 1) of the four-word set, etc. */
#define ARGON2_VGB(a, b, c, d)                                                 \
	do {                                                                   \
		a = argon2_vmul(a, b);                                         \
		d = _mm_shuffle_epi32(_mm_xor_si128(d, a), 0xb1);              \
		c = argon2_vmul(c, d);                                         \
		b = argon2_vror(_mm_xor_si128(b, c), 24);                      \
		a = argon2_vmul(a, b);                                         \
		d = argon2_vror(_mm_xor_si128(d, a), 16);                      \
		c = argon2_vmul(c, d);                                         \
		b = _mm_xor_si128(b, c);                                       \
		b = _mm_xor_si128(_mm_srli_epi64(b, 63), _mm_add_epi64(b, b)); \
	} while (0)

/* p, q = (p's high, q's low), (q's high, p's low): (v4, v5), (v6, v7)
 * become (v5, v6), (v7, v4); ARGON2_VBACK undoes it. */
#define ARGON2_VTURN(p, q, t)                                                  \
	do {                                                                   \
		t = argon2_vpick(p, q);                                        \
		q = argon2_vpick(q, p);                                        \
		p = t;                                                         \
	} while (0)
#define ARGON2_VBACK(p, q, t)                                                  \
	do {                                                                   \
		t = argon2_vpick(q, p);                                        \
		q = argon2_vpick(p, q);                                        \
		p = t;                                                         \
	} while (0)

/* P on words v0..v15 held as a0 = (v0, v1), a1 = (v2, v3), b0 = (v4, v5)
 * ... d1 = (v14, v15): the columns (v0, v4, v8, v12)..., then the
 * diagonals (v0, v5, v10, v15), (v1, v6, v11, v12), (v2, v7, v8, v13),
 * (v3, v4, v9, v14), for which b turns to (v5, v6), (v7, v4) and d to
 * d0 = (v13, v14), d1 = (v15, v12) (c0 and c1 swap roles) so that the
 * same vector positions line up, and turn back. */
#define ARGON2_VP(a0, a1, b0, b1, c0, c1, d0, d1, t)                           \
	do {                                                                   \
		ARGON2_VGB(a0, b0, c0, d0);                                    \
		ARGON2_VGB(a1, b1, c1, d1);                                    \
		ARGON2_VTURN(b0, b1, t);                                       \
		ARGON2_VTURN(d1, d0, t);                                       \
		ARGON2_VGB(a0, b0, c1, d1);                                    \
		ARGON2_VGB(a1, b1, c0, d0);                                    \
		ARGON2_VBACK(b0, b1, t);                                       \
		ARGON2_VBACK(d1, d0, t);                                       \
	} while (0)

/* out = G(x, y), or out ^= G(x, y); out may be y. Blocks are 128 words,
 * r is 128 words of scratch: rows of R = x ^ y (vectors 8k..8k + 7) go
 * through P into r, then its columns of word pairs (vectors k, k + 8,
 * ... k + 56); a column's words are final then and go to out as R ^
 * P(R), R recomputed from x and y rather than copied. (A P shared by
 * rows and columns, or R kept whole in r, is 450 to 1200 bytes smaller
 * and 10 % slower: measured.) */
static inline void argon2_g_sse2(uint64_t *r, const uint64_t *x,
				 const uint64_t *y, uint64_t *out, int xor_out)
{
	__m128i *vr = (void *)r, *vo = (void *)out;
	const __m128i *vx = (const void *)x, *vy = (const void *)y;
	__m128i a0, a1, b0, b1, c0, c1, d0, d1, t;
	int k, j;

#define ARGON2_VIN(j)                                                          \
	_mm_xor_si128(_mm_loadu_si128(vx + (j)), _mm_loadu_si128(vy + (j)))
	for (k = 0; k < 64; k += 8) {
		a0 = ARGON2_VIN(k);
		a1 = ARGON2_VIN(k + 1);
		b0 = ARGON2_VIN(k + 2);
		b1 = ARGON2_VIN(k + 3);
		c0 = ARGON2_VIN(k + 4);
		c1 = ARGON2_VIN(k + 5);
		d0 = ARGON2_VIN(k + 6);
		d1 = ARGON2_VIN(k + 7);
		ARGON2_VP(a0, a1, b0, b1, c0, c1, d0, d1, t);
		_mm_storeu_si128(vr + k, a0);
		_mm_storeu_si128(vr + k + 1, a1);
		_mm_storeu_si128(vr + k + 2, b0);
		_mm_storeu_si128(vr + k + 3, b1);
		_mm_storeu_si128(vr + k + 4, c0);
		_mm_storeu_si128(vr + k + 5, c1);
		_mm_storeu_si128(vr + k + 6, d0);
		_mm_storeu_si128(vr + k + 7, d1);
	}
	for (k = 0; k < 8; k++) {
		a0 = _mm_loadu_si128(vr + k);
		a1 = _mm_loadu_si128(vr + k + 8);
		b0 = _mm_loadu_si128(vr + k + 16);
		b1 = _mm_loadu_si128(vr + k + 24);
		c0 = _mm_loadu_si128(vr + k + 32);
		c1 = _mm_loadu_si128(vr + k + 40);
		d0 = _mm_loadu_si128(vr + k + 48);
		d1 = _mm_loadu_si128(vr + k + 56);
		ARGON2_VP(a0, a1, b0, b1, c0, c1, d0, d1, t);
		_mm_storeu_si128(vr + k, a0);
		_mm_storeu_si128(vr + k + 8, a1);
		_mm_storeu_si128(vr + k + 16, b0);
		_mm_storeu_si128(vr + k + 24, b1);
		_mm_storeu_si128(vr + k + 32, c0);
		_mm_storeu_si128(vr + k + 40, c1);
		_mm_storeu_si128(vr + k + 48, d0);
		_mm_storeu_si128(vr + k + 56, d1);
		for (j = k; j < 64; j += 8) {
			t = _mm_xor_si128(_mm_loadu_si128(vr + j),
					  ARGON2_VIN(j));
			if (xor_out)
				t = _mm_xor_si128(t, _mm_loadu_si128(vo + j));
			_mm_storeu_si128(vo + j, t);
		}
	}
#undef ARGON2_VIN
}
#else
#define ARGON2_SSE2 0

static inline void argon2_g_sse2(uint64_t *r, const uint64_t *x,
				 const uint64_t *y, uint64_t *out, int xor_out)
{
	(void)r;
	(void)x;
	(void)y;
	(void)out;
	(void)xor_out;
}
#endif

#endif
