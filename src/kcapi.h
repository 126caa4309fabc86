/* SPDX-License-Identifier: MIT */
/* The kernel's own hashes and block ciphers through AF_ALG: no hash code
 * for verity, no cipher code for LUKS keyslots in dmboot. */
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

/* A cryptsetup cipher spec ("aes-xts-plain64", "aes-cbc-essiv:sha256")
 * keyed for decrypting 512-byte sectors: the kernel's skcipher
 * "mode(cipher)" and, for ESSIV, "ecb(cipher)" keyed with HASH(key).
 * IV modes: plain, plain64, plain64be, essiv:HASH, benbi, null; none
 * with ecb. */
enum {
	KC_IV_NONE,
	KC_IV_PLAIN,
	KC_IV_PLAIN64,
	KC_IV_PLAIN64BE,
	KC_IV_ESSIV,
	KC_IV_BENBI,
	KC_IV_NULL
};

struct kc_cipher {
	int tfm, op, essiv_tfm, essiv_op;
	uint8_t iv_mode, iv_size, benbi_shift;
	/* The kernel's name, "xts(aes)"; after -ENOENT, the one the kernel
	 * lacks ("ecb(aes)" for ESSIV's). */
	char kname[64];
};

/* Reads spec into the kernel's name (kname, size bytes), the IV mode and
 * the ESSIV hash (ehash, 16 bytes). 0, or -EINVAL for a spec dmboot
 * cannot read. No I/O. */
int kc_cipher_spec(const char *spec, char *kname, size_t size, int *iv_mode,
		   char *ehash);
/* Binds the spec's skcipher and sets key (klen bytes). 0 or -errno:
 * -EAFNOSUPPORT no AF_ALG, -ENOENT the kernel lacks c->kname (or
 * algif_skcipher), -ENOSYS an ESSIV hash this build lacks, -EINVAL a
 * bad spec or a key the cipher refuses. c->kname is set as soon as the
 * spec is read, for the caller's message. */
int kc_cipher_open(struct kc_cipher *c, const char *spec, const uint8_t *key,
		   size_t klen);
/* Decrypts len bytes (whole 512-byte sectors) at buf in place; the first
 * is sector number sector. 0 or -errno. */
int kc_decrypt(struct kc_cipher *c, uint8_t *buf, size_t len, uint64_t sector);
void kc_cipher_close(struct kc_cipher *c);

#endif
