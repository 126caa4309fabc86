/* SPDX-License-Identifier: MIT */
/* Argon2 (RFC 9106), version 0x13 only, as LUKS2 keyslots use it: the
 * password hash in argon2.c on BLAKE2b (blake2b.h). No I/O: the memory
 * area is an anonymous mapping, out of core dumps and wiped before it
 * is unmapped; lanes run in forked workers (ARGON2_WORKERS). */
#ifndef DMBOOT_ARGON2_H
#define DMBOOT_ARGON2_H

#include <stddef.h>
#include <stdint.h>

/* RFC 9106's type numbers y, which go into H0. */
enum argon2_type { ARGON2_D = 0, ARGON2_I = 1, ARGON2_ID = 2 };

#define ARGON2_MIN_SALT 8
#define ARGON2_MIN_OUT 4
#define ARGON2_LANES_MAX 0xffffff
/* Workers forked per slice at most; lanes beyond share them. */
#define ARGON2_MAX_WORKERS 16

/* The inputs; secret (K) and ad (X) may be empty (LUKS2 has neither). */
struct argon2_in {
	const void *pwd, *salt, *secret, *ad;
	size_t pwdlen, saltlen, secretlen, adlen;
};

/* outlen bytes of tag into out: 0, -EINVAL (parameters RFC 9106 does
 * not allow: t_cost 0, lanes 0 or above ARGON2_LANES_MAX, m_cost_kib
 * below 8 * lanes, salt shorter than 8, out shorter than 4, lengths
 * above 2^32 - 1), -ENOMEM (the m_cost_kib KiB area could not be
 * mapped: the caller names the figure) or -ECHILD (a worker died). */
int argon2_ext(enum argon2_type type, uint32_t t_cost, uint32_t m_cost_kib,
	       uint32_t lanes, const struct argon2_in *in, void *out,
	       size_t outlen);
/* The same with password and salt only. */
int argon2(enum argon2_type type, uint32_t t_cost, uint32_t m_cost_kib,
	   uint32_t lanes, const void *pwd, size_t pwdlen, const void *salt,
	   size_t saltlen, void *out, size_t outlen);

#endif
