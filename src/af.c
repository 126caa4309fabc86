/* SPDX-License-Identifier: MIT */
#include "af.h"

#include <errno.h>
#include <string.h>

#include "secret.h"

/* d replaced by H(d) in place (see af.h). */
static void diffuse(const struct hash_alg *alg, uint8_t *d, size_t len)
{
	struct hash_ctx c;
	uint8_t md[HASH_MAX_DIGEST], be[4];
	size_t ds = alg->digest_size, off, n;
	uint32_t j;

	for (j = 0, off = 0; off < len; j++, off += n) {
		n = len - off < ds ? len - off : ds;
		be[0] = (uint8_t)(j >> 24);
		be[1] = (uint8_t)(j >> 16);
		be[2] = (uint8_t)(j >> 8);
		be[3] = (uint8_t)j;
		hash_init(&c, alg);
		hash_update(&c, be, sizeof(be));
		hash_update(&c, d + off, n);
		hash_final(&c, md);
		memcpy(d + off, md, n);
	}
	wipe(md, sizeof(md));
}

int af_merge(const struct hash_alg *alg, const uint8_t *src, size_t key_bytes,
	     uint32_t stripes, uint8_t *out)
{
	uint32_t i;
	size_t k;

	if (!stripes || !key_bytes)
		return -EINVAL;
	memset(out, 0, key_bytes);
	for (i = 0; i < stripes; i++, src += key_bytes) {
		for (k = 0; k < key_bytes; k++)
			out[k] ^= src[k];
		if (i + 1 < stripes)
			diffuse(alg, out, key_bytes);
	}
	return 0;
}
