/* The kernel's own hashes through AF_ALG: no hash code in dmboot. */
#ifndef DMBOOT_KCAPI_H
#define DMBOOT_KCAPI_H

#include <stddef.h>
#include <stdint.h>

struct kc_hash {
	int tfm, op;
};

/* Binds {"hash", alg} and accepts an operation socket. 0 or -errno
 * (-EAFNOSUPPORT: no AF_ALG; -ENOENT: the kernel lacks alg). */
int kc_hash_open(struct kc_hash *h, const char *alg);
/* Digest of a || b into out (size bytes at most); returns the digest's
 * length or -errno. Either part may be empty. */
int kc_hash2(struct kc_hash *h, const void *a, size_t alen, const void *b,
	     size_t blen, uint8_t *out, size_t size);
void kc_hash_close(struct kc_hash *h);

#endif
