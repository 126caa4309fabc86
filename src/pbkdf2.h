/* SPDX-License-Identifier: MIT */
/* PBKDF2 (RFC 8018 section 5.2) with HMAC over a hash.h family: LUKS1's
 * key slots and LUKS2's "pbkdf2" keyslots and digests. No I/O. */
#ifndef DMBOOT_PBKDF2_H
#define DMBOOT_PBKDF2_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

/* Derives outlen bytes into out. 0, or -EINVAL (no iterations, no
 * output, or more than RFC 8018's (2^32 - 1) blocks), or -ENOSYS
 * without KDF_PBKDF2. Every intermediate value is wiped; out is wiped
 * on error. */
int pbkdf2(const struct hash_alg *alg, const void *pw, size_t pwlen,
	   const void *salt, size_t saltlen, uint32_t iterations, uint8_t *out,
	   size_t outlen);

#endif
