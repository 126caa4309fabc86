/* SPDX-License-Identifier: MIT */
/* BLAKE2b (RFC 7693), unkeyed, digests of 1 to 64 bytes: the hash under
 * Argon2 (its H, and H' built on it in argon2.c). No I/O. */
#ifndef DMBOOT_BLAKE2B_H
#define DMBOOT_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

#define BLAKE2B_OUTMAX 64
#define BLAKE2B_BLOCK 128

struct blake2b {
	uint64_t h[8], t;
	uint8_t buf[BLAKE2B_BLOCK];
	size_t n, outlen;
};

/* outlen: 1..BLAKE2B_OUTMAX (the caller's constant or checked length). */
void blake2b_init(struct blake2b *s, size_t outlen);
void blake2b_update(struct blake2b *s, const void *p, size_t len);
/* Writes outlen bytes and wipes the state. */
void blake2b_final(struct blake2b *s, void *out);

#endif
