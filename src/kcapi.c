/* SPDX-License-Identifier: MIT */
#include "kcapi.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hash.h"
#include "rawsys.h"
#include "secret.h"
#include "util.h"

#ifndef AF_ALG
#define AF_ALG 38
#endif
#define SOL_ALG_DM 279
#define ALG_SET_KEY_DM 1
#define ALG_SET_IV_DM 2
#define ALG_SET_OP_DM 3
#define ALG_OP_DECRYPT_DM 0
#define ALG_OP_ENCRYPT_DM 1

/* linux/if_alg.h, which musl-gcc and dietlibc do not see. */
struct sockaddr_alg_dm {
	uint16_t salg_family;
	uint8_t salg_type[14];
	uint32_t salg_feat;
	uint32_t salg_mask;
	uint8_t salg_name[64];
};
_Static_assert(sizeof(struct sockaddr_alg_dm) == 88, "sockaddr_alg layout");

/* Binds {type, alg}, sets key (if any) on the transform socket and
 * accepts an operation socket into *op. */
static int alg_bind(int *tfm, int *op, const char *type, const char *alg,
		    const void *key, size_t klen)
{
	struct sockaddr_alg_dm sa;
	size_t n = strlen(alg);

	*tfm = *op = -1;
	if (n >= sizeof(sa.salg_name))
		return -ENAMETOOLONG;
	memset(&sa, 0, sizeof(sa));
	sa.salg_family = AF_ALG;
	memcpy(sa.salg_type, type, strlen(type));
	memcpy(sa.salg_name, alg, n);
	*tfm = sys_socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (*tfm < 0)
		return -errno;
	if (sys_bind(*tfm, (struct sockaddr *)(void *)&sa, sizeof(sa)))
		return -errno;
	/* A refused key is the caller's input, not a missing algorithm. */
	if (klen && sys_setsockopt(*tfm, SOL_ALG_DM, ALG_SET_KEY_DM, key,
				   (socklen_t)klen))
		return errno == ENOENT ? -EINVAL : -errno;
	*op = sys_accept(*tfm, NULL, 0);
	return *op < 0 ? -errno : 0;
}

static void close_pair(int *tfm, int *op)
{
	if (*op >= 0)
		close(*op);
	if (*tfm >= 0)
		close(*tfm);
	*op = *tfm = -1;
}

int kc_hash_open(struct kc_hash *h, const char *alg)
{
	int r = alg_bind(&h->tfm, &h->op, "hash", alg, NULL, 0);

	if (r)
		kc_hash_close(h);
	return r;
}

static int send_all(int fd, const void *p, size_t len, int more)
{
	const char *s = p;

	do {
		ssize_t n = sys_send(fd, s, len, more ? MSG_MORE : 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	} while (len);
	return 0;
}

int kc_hash2(struct kc_hash *h, const void *a, size_t alen, const void *b,
	     size_t blen, uint8_t *out, size_t size)
{
	ssize_t n;
	int r;

	if ((alen && (r = send_all(h->op, a, alen, 1))) ||
	    (r = send_all(h->op, b, blen, 0)))
		return r;
	do
		n = read(h->op, out, size);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (int)n;
}

void kc_hash_close(struct kc_hash *h)
{
	close_pair(&h->tfm, &h->op);
}

/* ---- skcipher: keyslot areas ---- */

/* Ciphers with 64-bit blocks; every other is taken to have 128. */
static int block_size(const char *cipher)
{
	static const char small[] = "des des3_ede blowfish cast5";

	return str_word_index(small, cipher) >= 0 ? 8 : 16;
}

int kc_cipher_spec(const char *spec, char *kname, size_t size, int *iv_mode,
		   char *ehash)
{
	static const char ivs[] = "plain plain64 plain64be essiv benbi null";
	const char *m = str_chrnul(spec, '-'), *iv, *colon;
	char ivname[16];
	size_t cl = (size_t)(m - spec), ml, il;
	int ecb, k;

	ehash[0] = 0;
	if (!*m || !cl || cl >= 32)
		return -EINVAL;
	iv = str_chrnul(++m, '-');
	ml = (size_t)(iv - m);
	/* "capi:" specs and names with parentheses are the kernel's own
	 * syntax, which LUKS headers written by cryptsetup do not hold. */
	if (!ml || ml >= 16 || cl + ml + 3 > size || mem_chr(spec, ':', cl) ||
	    mem_chr(spec, '(', cl) || mem_chr(m, '(', ml))
		return -EINVAL;
	/* "mode(cipher)" */
	memcpy(kname, m, ml);
	kname[ml] = '(';
	memcpy(kname + ml + 1, spec, cl);
	memcpy(kname + ml + 1 + cl, ")", 2);
	ecb = !memcmp(kname, "ecb(", 4);
	*iv_mode = ecb ? KC_IV_NONE : KC_IV_NULL;
	if (!*iv)
		return 0;
	colon = str_chrnul(++iv, ':');
	il = (size_t)(colon - iv);
	if (ecb || !il || il >= sizeof(ivname))
		return -EINVAL;
	memcpy(ivname, iv, il);
	ivname[il] = 0;
	k = str_word_index(ivs, ivname);
	if (k < 0)
		return -EINVAL;
	*iv_mode = KC_IV_PLAIN + k;
	if ((*iv_mode == KC_IV_ESSIV) != (*colon == ':'))
		return -EINVAL;
	if (*colon && (!colon[1] || strlen(colon + 1) >= 16))
		return -EINVAL;
	if (*colon)
		memcpy(ehash, colon + 1, strlen(colon + 1) + 1);
	return 0;
}

int kc_cipher_open(struct kc_cipher *c, const char *spec, const uint8_t *key,
		   size_t klen)
{
	struct {
		uint8_t salt[HASH_MAX_DIGEST];
	} s;
	char ehash[16], ename[64];
	const struct hash_alg *alg;
	size_t cl;
	int mode, r;

	c->tfm = c->op = c->essiv_tfm = c->essiv_op = -1;
	r = kc_cipher_spec(spec, c->kname, sizeof(c->kname), &mode, ehash);
	if (r)
		return r;
	cl = (size_t)(str_chrnul(spec, '-') - spec);
	memcpy(ename, spec, cl);
	ename[cl] = 0;
	c->iv_mode = (uint8_t)mode;
	c->iv_size = (uint8_t)(mode == KC_IV_NONE ? 0 : block_size(ename));
	/* benbi counts the cipher's blocks from 1: 9 - log2(block) bits. */
	c->benbi_shift = c->iv_size == 8 ? 6 : 5;
	r = alg_bind(&c->tfm, &c->op, "skcipher", c->kname, key, klen);
	if (r || mode != KC_IV_ESSIV)
		goto out;
	alg = hash_by_name(ehash);
	if (!alg) {
		r = -ENOSYS;
		goto out;
	}
	hash_digest(alg, key, klen, s.salt);
	memmove(ename + 4, ename, cl + 1);
	memcpy(ename, "ecb(", 4);
	memcpy(ename + 4 + cl, ")", 2);
	r = alg_bind(&c->essiv_tfm, &c->essiv_op, "skcipher", ename, s.salt,
		     alg->digest_size);
	if (r == -ENOENT)
		memcpy(c->kname, ename, sizeof(c->kname));
out:
	wipe(&s, sizeof(s));
	if (r)
		kc_cipher_close(c);
	return r;
}

/* One request on op: the operation, the IV (ivlen bytes, none if 0),
 * len bytes from in, the result into out (which may be in; sendmsg's
 * iovec is not const, so neither is in). */
static int alg_crypt(int op, unsigned dir, const uint8_t *iv, size_t ivlen,
		     void *in, void *out, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t)) +
			 CMSG_SPACE(sizeof(uint32_t) + 16)];
		struct cmsghdr align;
	} cb;
	struct iovec io = {in, len};
	struct msghdr msg;
	struct cmsghdr *cm;
	uint32_t ivl = (uint32_t)ivlen;
	char *p = out;
	ssize_t n;

	memset(&cb, 0, sizeof(cb));
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &io;
	msg.msg_iovlen = 1;
	msg.msg_control = cb.buf;
	msg.msg_controllen =
		ivlen ? sizeof(cb.buf) : CMSG_SPACE(sizeof(uint32_t));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_ALG_DM;
	cm->cmsg_type = ALG_SET_OP_DM;
	cm->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	memcpy(CMSG_DATA(cm), &dir, sizeof(uint32_t));
	if (ivlen) {
		cm = CMSG_NXTHDR(&msg, cm);
		cm->cmsg_level = SOL_ALG_DM;
		cm->cmsg_type = ALG_SET_IV_DM;
		cm->cmsg_len = CMSG_LEN(sizeof(uint32_t) + ivlen);
		memcpy(CMSG_DATA(cm), &ivl, sizeof(ivl));
		memcpy(CMSG_DATA(cm) + sizeof(ivl), iv, ivlen);
	}
	do
		n = sys_sendmsg(op, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	while (len) {
		n = sys_recv(op, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* v into n bytes at p, little- or big-endian. */
static void put_uint(uint8_t *p, uint64_t v, int n, int big)
{
	int i;

	for (i = 0; i < n; i++, v >>= 8)
		p[big ? n - 1 - i : i] = (uint8_t)v;
}

/* Sectors per request where the IV does not change between them (ecb):
 * well under the socket's send buffer, which a single send must fit. */
#define KC_BATCH_SECTORS 32

int kc_decrypt(struct kc_cipher *c, uint8_t *buf, size_t len, uint64_t sector)
{
	uint8_t iv[16];
	size_t step;
	int r = 0;

	if (len % 512)
		return -EINVAL;
	for (; len; buf += step, len -= step, sector++) {
		step = 512;
		memset(iv, 0, sizeof(iv));
		switch (c->iv_mode) {
		case KC_IV_NONE:
			step = len < KC_BATCH_SECTORS * 512
				       ? len
				       : KC_BATCH_SECTORS * 512;
			sector += step / 512 - 1;
			break;
		case KC_IV_PLAIN:
			put_uint(iv, sector, 4, 0);
			break;
		case KC_IV_PLAIN64:
		case KC_IV_ESSIV:
			put_uint(iv, sector, 8, 0);
			break;
		case KC_IV_PLAIN64BE:
			put_uint(iv + c->iv_size - 8, sector, 8, 1);
			break;
		case KC_IV_BENBI:
			put_uint(iv + c->iv_size - 8,
				 (sector << c->benbi_shift) + 1, 8, 1);
			break;
		}
		if (c->iv_mode == KC_IV_ESSIV) {
			r = alg_crypt(c->essiv_op, ALG_OP_ENCRYPT_DM, NULL, 0,
				      iv, iv, c->iv_size);
			if (r)
				break;
		}
		r = alg_crypt(c->op, ALG_OP_DECRYPT_DM, iv, c->iv_size, buf,
			      buf, step);
		if (r)
			break;
	}
	wipe(iv, sizeof(iv));
	return r;
}

void kc_cipher_close(struct kc_cipher *c)
{
	close_pair(&c->tfm, &c->op);
	close_pair(&c->essiv_tfm, &c->essiv_op);
}
