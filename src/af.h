/* SPDX-License-Identifier: MIT */
/* LUKS's anti-forensic information splitter, the merge side: a keyslot's
 * key material (stripes copies of the key's size, all but one diffused
 * with a hash) back into the key. No I/O. */
#ifndef DMBOOT_AF_H
#define DMBOOT_AF_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

/* key_bytes × stripes bytes at src merged into key_bytes at out with
 * alg: d = 0; d = H(d ^ s_i) for every stripe but the last; out =
 * d ^ s_last. H hashes d in digest-sized pieces, piece j becoming
 * hash(be32(j) || piece j), the last piece cut to length. 0, or -EINVAL
 * for no stripes or no key. Leaves nothing of the key but out. */
int af_merge(const struct hash_alg *alg, const uint8_t *src, size_t key_bytes,
	     uint32_t stripes, uint8_t *out);

#endif
