/* SPDX-License-Identifier: MIT */
/* PBKDF2's speed, for tests/bench-pbkdf2.sh: iterations per second of one
 * 32-byte (sha256) or 64-byte (sha512) derivation, as LUKS makes them
 * (one output block), with dmboot's pbkdf2() or, built with
 * -DBENCH_OPENSSL, OpenSSL's PKCS5_PBKDF2_HMAC.
 *
 *   pbkdf2 HASH ITERATIONS   prints "HASH ITERATIONS SECONDS ITER/S" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef BENCH_OPENSSL
#include <openssl/evp.h>
#else
#include "pbkdf2.h"
#endif

int main(int argc, char **argv)
{
	static const char pw[] = "correct horse battery staple";
	static const unsigned char salt[32] = "a LUKS key slot's salt, 32 byte";
	unsigned char out[64];
	struct timespec t0, t1;
	unsigned long iter;
	size_t n;
	double s;
	int rc;

	if (argc != 3)
		return 2;
	iter = strtoul(argv[2], NULL, 10);
	n = strcmp(argv[1], "sha512") ? 32 : 64;
	clock_gettime(CLOCK_MONOTONIC, &t0);
#ifdef BENCH_OPENSSL
	rc = PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, sizeof(salt),
			       (int)iter, EVP_get_digestbyname(argv[1]), (int)n,
			       out) != 1;
#else
	rc = pbkdf2(hash_by_name(argv[1]), pw, strlen(pw), salt, sizeof(salt),
		    (uint32_t)iter, out, n);
#endif
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc)
		return 1;
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%s %lu %.3f %.0f ", argv[1], iter, s, (double)iter / s);
	for (size_t i = 0; i < 4; i++)
		printf("%02x", out[i]);
	printf("\n");
	return 0;
}
