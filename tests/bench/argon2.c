/* SPDX-License-Identifier: MIT */
/* argon2 benchmark driver (tests/bench-argon2.sh builds and runs it):
 *   argon2 dmboot|libargon2 i|id T_COST M_KIB LANES
 * derives a 64-byte tag from a fixed passphrase and 32-byte salt and
 * prints its first 8 bytes in hex, so that runs can be compared. The
 * libargon2 side exists only where BENCH_LIBARGON2 is defined (glibc
 * with libargon2-dev); it runs LANES threads, as cryptsetup does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argon2.h"

#ifdef BENCH_LIBARGON2
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#include BENCH_LIBARGON2_H
#pragma GCC diagnostic pop
#endif

int main(int argc, char **argv)
{
	static const char pwd[] = "correct horse battery staple";
	static const uint8_t salt[32] = {0x5a, 1, 2, 3, 4, 5, 6, 7, 8};
	uint8_t tag[64];
	unsigned long t, m, p;
	int id, r = -1, i;

	if (argc != 6)
		return 2;
	id = !strcmp(argv[2], "id");
	t = strtoul(argv[3], NULL, 10);
	m = strtoul(argv[4], NULL, 10);
	p = strtoul(argv[5], NULL, 10);
	if (!strcmp(argv[1], "dmboot"))
		r = argon2(id ? ARGON2_ID : ARGON2_I, (uint32_t)t, (uint32_t)m,
			   (uint32_t)p, pwd, sizeof(pwd) - 1, salt,
			   sizeof(salt), tag, sizeof(tag));
#ifdef BENCH_LIBARGON2
	else if (!strcmp(argv[1], "libargon2")) {
		argon2_context c;

		memset(&c, 0, sizeof(c));
		c.out = tag;
		c.outlen = sizeof(tag);
		c.pwd = (uint8_t *)(uintptr_t)pwd;
		c.pwdlen = sizeof(pwd) - 1;
		c.salt = (uint8_t *)(uintptr_t)salt;
		c.saltlen = sizeof(salt);
		c.t_cost = (uint32_t)t;
		c.m_cost = (uint32_t)m;
		c.lanes = c.threads = (uint32_t)p;
		c.version = ARGON2_VERSION_13;
		r = argon2_ctx(&c, id ? Argon2_id : Argon2_i);
	}
#endif
	if (r) {
		fprintf(stderr, "argon2: %s: failed: %d\n", argv[1], r);
		return 1;
	}
	for (i = 0; i < 8; i++)
		printf("%02x", tag[i]);
	printf("\n");
	return 0;
}
