/* SPDX-License-Identifier: MIT */
/* The kernel's AF_ALG skcipher sockets, done by OpenSSL (libcrypto):
 * fake-sys.h's fsys.alg hooks for the tests that open LUKS keyslots on a
 * build machine whose kernel has no AF_ALG. An AF_ALG socket is a memfd
 * standing in for it; the calls on other fds go to libc. The ciphers the
 * fixtures use: xts(aes), cbc(aes), ecb(aes) (ESSIV). Included by the
 * tests that use it (test-crypt-luks.c, selects.c), which link -lcrypto:
 * the other test binaries stay without libcrypto. A cross build (no
 * libcrypto for the other machine, TEST_OPENSSL=0) has none: FAKE_ALG is
 * NULL and the tests that open keyslots skip. */
#ifndef TEST_OPENSSL
#define TEST_OPENSSL 1
#endif
#if !TEST_OPENSSL
#define FAKE_ALG NULL
#else
#define FAKE_ALG (&fake_alg_openssl)
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "fake-sys.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALG_SOCKS 16
#define SOL_ALG_ 279
#define ALG_SET_KEY_ 1
#define ALG_SET_IV_ 2
#define ALG_SET_OP_ 3

int __real_socket(int domain, int type, int proto);
int __real_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __real_setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len);
int __real_accept(int fd, struct sockaddr *sa, socklen_t *len);
ssize_t __real_sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t __real_recv(int fd, void *buf, size_t len, int flags);

#ifndef AF_ALG
#define AF_ALG 38
#endif

struct alg_sock {
	int fd;
	ino_t ino; /* fds are reused once closed: the memfd's inode */
	struct alg_sock *tfm; /* an operation socket's transform */
	char name[64];
	unsigned char key[64], iv[16], *data;
	int klen, encrypt;
	size_t len;
};
static struct alg_sock alg_socks[ALG_SOCKS];

static ino_t ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

static struct alg_sock *sock_of(int fd)
{
	ino_t ino = ino_of(fd);
	int i;

	for (i = 0; ino && i < ALG_SOCKS; i++)
		if (alg_socks[i].fd == fd && alg_socks[i].ino == ino)
			return &alg_socks[i];
	return NULL;
}

static struct alg_sock *sock_new(void)
{
	int fd = memfd_create("af_alg", MFD_CLOEXEC), i;

	for (i = 0; fd >= 0 && i < ALG_SOCKS; i++) {
		if (alg_socks[i].ino &&
		    ino_of(alg_socks[i].fd) == alg_socks[i].ino)
			continue; /* still open */
		free(alg_socks[i].data);
		memset(&alg_socks[i], 0, sizeof(alg_socks[i]));
		alg_socks[i].fd = fd;
		alg_socks[i].ino = ino_of(fd);
		return &alg_socks[i];
	}
	abort();
}

static const EVP_CIPHER *evp_of(const char *name, int klen)
{
	if (!strcmp(name, "xts(aes)"))
		return klen == 32   ? EVP_aes_128_xts()
		       : klen == 64 ? EVP_aes_256_xts()
				    : NULL;
	if (!strcmp(name, "cbc(aes)"))
		return klen == 16   ? EVP_aes_128_cbc()
		       : klen == 24 ? EVP_aes_192_cbc()
		       : klen == 32 ? EVP_aes_256_cbc()
				    : NULL;
	if (!strcmp(name, "ecb(aes)"))
		return klen == 16   ? EVP_aes_128_ecb()
		       : klen == 24 ? EVP_aes_192_ecb()
		       : klen == 32 ? EVP_aes_256_ecb()
				    : NULL;
	return NULL;
}

static int k_socket(int domain, int type, int proto)
{
	if (domain != AF_ALG)
		return __real_socket(domain, type, proto);
	return sock_new()->fd;
}

static int k_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct alg_sock *s = sock_of(fd);
	const char *type = (const char *)sa->sa_data;

	if (!s)
		return __real_bind(fd, sa, len);
	/* struct sockaddr_alg: family, type[14], feat, mask, name[64] */
	if (strcmp(type, "skcipher") ||
	    (!evp_of(type + 22, 16) && !evp_of(type + 22, 32))) {
		errno = ENOENT;
		return -1;
	}
	snprintf(s->name, sizeof(s->name), "%s", type + 22);
	return 0;
}

static int k_setsockopt(int fd, int level, int name, const void *val,
			socklen_t len)
{
	struct alg_sock *s = sock_of(fd);

	if (!s)
		return __real_setsockopt(fd, level, name, val, len);
	if (level != SOL_ALG_ || name != ALG_SET_KEY_ || len > 64 ||
	    !evp_of(s->name, (int)len)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(s->key, val, len);
	s->klen = (int)len;
	return 0;
}

static int k_accept(int fd, struct sockaddr *sa, socklen_t *len)
{
	struct alg_sock *s = sock_of(fd), *op;

	if (!s)
		return __real_accept(fd, sa, len);
	op = sock_new();
	op->tfm = s;
	return op->fd;
}

static ssize_t k_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct alg_sock *s = sock_of(fd);
	struct cmsghdr *c;
	size_t i, n = 0;

	if (!s)
		return __real_sendmsg(fd, msg, flags);
	for (c = CMSG_FIRSTHDR(msg); c;
	     c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		if (c->cmsg_level != SOL_ALG_)
			continue;
		if (c->cmsg_type == ALG_SET_OP_)
			s->encrypt = *(const uint32_t *)(void *)CMSG_DATA(c);
		else if (c->cmsg_type == ALG_SET_IV_)
			memcpy(s->iv, CMSG_DATA(c) + 4,
			       *(const uint32_t *)(void *)CMSG_DATA(c));
	}
	for (i = 0; i < msg->msg_iovlen; i++)
		n += msg->msg_iov[i].iov_len;
	free(s->data);
	s->data = malloc(n ? n : 1);
	s->len = 0;
	for (i = 0; i < msg->msg_iovlen; i++) {
		memcpy(s->data + s->len, msg->msg_iov[i].iov_base,
		       msg->msg_iov[i].iov_len);
		s->len += msg->msg_iov[i].iov_len;
	}
	return (ssize_t)n;
}

static ssize_t k_recv(int fd, void *buf, size_t len, int flags)
{
	struct alg_sock *s = sock_of(fd);
	EVP_CIPHER_CTX *c;
	int n = 0, ok;

	if (!s)
		return __real_recv(fd, buf, len, flags);
	if (len > s->len)
		len = s->len;
	c = EVP_CIPHER_CTX_new();
	ok = c &&
	     EVP_CipherInit_ex(c, evp_of(s->tfm->name, s->tfm->klen), NULL,
			       s->tfm->key, s->iv, s->encrypt) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	     EVP_CipherUpdate(c, buf, &n, s->data, (int)len) == 1;
	EVP_CIPHER_CTX_free(c);
	memset(s->data, 0, s->len);
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	return n;
}

static const struct fsys_alg fake_alg_openssl = {
	k_socket, k_bind, k_setsockopt, k_accept, k_sendmsg, k_recv,
};
#endif
