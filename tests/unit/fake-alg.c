/* SPDX-License-Identifier: MIT */
/* The kernel's AF_ALG skcipher, faked: see fake-alg.h. Linked into the
 * unit tests that open keyslots (with -lcrypto), selects (tests/
 * selects.sh) and the fuzz harnesses (TEST_OPENSSL=0: the echo). */
#include "fake-alg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#if TEST_OPENSSL
#include <openssl/evp.h>
#endif

#ifndef AF_ALG
#define AF_ALG 38
#endif
#define SOL_ALG_ 279
#define ALG_SET_KEY_ 1
#define ALG_SET_IV_ 2
#define ALG_SET_OP_ 3
#define SOCKADDR_ALG_LEN 88 /* family, type[14], feat, mask, name[64] */
#define SA_TYPE 2
#define SA_NAME 24
#define KEY_MAX 64
#define IV_MAX 16
#define ALG_SOCKS 64 /* more than one unlock holds at once */

int __real_socket(int domain, int type, int proto);
int __real_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __real_setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len);
int __real_accept(int fd, struct sockaddr *sa, socklen_t *len);
ssize_t __real_sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t __real_recv(int fd, void *buf, size_t len, int flags);

struct fake_alg_state falg;

struct alg_sock {
	int fd;
	ino_t ino; /* fds are reused once closed: the memfd's inode */
	int op; /* an operation socket (accepted) */
	char name[64];
	unsigned char key[KEY_MAX], iv[IV_MAX];
	int klen, enc, done;
	size_t ivlen, len, at;
	unsigned char *data;
};
static struct alg_sock socks[ALG_SOCKS];

static void bad(const char *what)
{
	fprintf(stderr, "fake-alg: a request the kernel would refuse: %s\n",
		what);
	abort();
}

static ino_t ino_of(int fd)
{
	struct stat st;

	return fd < 0 || fstat(fd, &st) ? 0 : st.st_ino;
}

static int is_open(const struct alg_sock *s)
{
	return s->ino && ino_of(s->fd) == s->ino;
}

static struct alg_sock *sock_of(int fd)
{
	int i;

	for (i = 0; fd >= 0 && i < ALG_SOCKS; i++)
		if (socks[i].fd == fd && is_open(&socks[i]))
			return &socks[i];
	return NULL;
}

static struct alg_sock *sock_new(void)
{
	int fd = memfd_create("af_alg", MFD_CLOEXEC), i;

	if (fd < 0)
		return NULL;
	for (i = 0; i < ALG_SOCKS; i++) {
		if (is_open(&socks[i]))
			continue;
		free(socks[i].data);
		memset(&socks[i], 0, sizeof(socks[i]));
		socks[i].fd = fd;
		socks[i].ino = ino_of(fd);
		falg.sockets++;
		return &socks[i];
	}
	bad("more AF_ALG sockets open than one unlock needs");
	return NULL;
}

static int echo(void)
{
	return !TEST_OPENSSL || falg.echo;
}

#if TEST_OPENSSL
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

/* The operation's data, in place: 0 or -1. */
static int crypt_data(struct alg_sock *s)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	ok = c &&
	     EVP_CipherInit_ex(c, evp_of(s->name, s->klen), NULL, s->key,
			       s->ivlen ? s->iv : NULL, s->enc) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	     EVP_CipherUpdate(c, s->data, &n, s->data, (int)s->len) == 1 &&
	     (size_t)n == s->len;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}
#else
static const void *evp_of(const char *name, int klen)
{
	(void)name;
	(void)klen;
	return NULL;
}

static int crypt_data(struct alg_sock *s)
{
	(void)s;
	return -1;
}
#endif

static int k_socket(int domain, int type, int proto)
{
	struct alg_sock *s;

	if (domain != AF_ALG)
		return __real_socket(domain, type, proto);
	if (falg.absent) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	s = sock_new();
	return s ? s->fd : -1;
}

static int k_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct alg_sock *s = sock_of(fd);
	const char *type = (const char *)sa + SA_TYPE,
		   *name = (const char *)sa + SA_NAME;

	if (!s)
		return __real_bind(fd, sa, len);
	if (s->op || sa->sa_family != AF_ALG || len != SOCKADDR_ALG_LEN ||
	    strcmp(type, "skcipher") || !memchr(name, 0, 64))
		bad("bind: not an skcipher sockaddr_alg on a new socket");
	if (falg.lacks_all || (falg.missing && !strcmp(name, falg.missing)) ||
	    (!echo() && !evp_of(name, 16) && !evp_of(name, 32))) {
		errno = ENOENT;
		return -1;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	return 0;
}

static int k_setsockopt(int fd, int level, int name, const void *val,
			socklen_t len)
{
	struct alg_sock *s = sock_of(fd);

	if (!s)
		return __real_setsockopt(fd, level, name, val, len);
	if (s->op || !s->name[0] || level != SOL_ALG_ || name != ALG_SET_KEY_)
		bad("setsockopt: not ALG_SET_KEY on a bound transform");
	if (!len || len > KEY_MAX || (!echo() && !evp_of(s->name, (int)len))) {
		errno = EINVAL;
		return -1;
	}
	memcpy(s->key, val, len);
	s->klen = (int)len;
	return 0;
}

static int k_accept(int fd, struct sockaddr *sa, socklen_t *len)
{
	struct alg_sock *s = sock_of(fd), *o;

	if (!s)
		return __real_accept(fd, sa, len);
	if (s->op || !s->name[0])
		bad("accept: not on a bound transform");
	if (!s->klen) {
		errno = ENOKEY;
		return -1;
	}
	if (!(o = sock_new()))
		return -1;
	o->op = 1;
	memcpy(o->name, s->name, sizeof(o->name));
	memcpy(o->key, s->key, sizeof(o->key));
	o->klen = s->klen;
	return o->fd;
}

/* One operation (ALG_OP_DECRYPT 0 or ALG_OP_ENCRYPT 1) and at most one
 * IV whose length field matches its message, nothing else. */
static void take_cmsgs(struct alg_sock *s, const struct msghdr *msg)
{
	struct cmsghdr *cm;
	uint32_t v;
	int ops = 0, ivs = 0;

	s->ivlen = 0;
	for (cm = CMSG_FIRSTHDR(msg); cm;
	     cm = CMSG_NXTHDR((struct msghdr *)msg, cm)) {
		if (cm->cmsg_level != SOL_ALG_)
			bad("sendmsg: a control message not SOL_ALG");
		if (cm->cmsg_len < CMSG_LEN(sizeof(v)))
			bad("sendmsg: a control message too short");
		memcpy(&v, CMSG_DATA(cm), sizeof(v));
		if (cm->cmsg_type == ALG_SET_OP_) {
			if (v > 1 || cm->cmsg_len != CMSG_LEN(sizeof(v)))
				bad("sendmsg: ALG_SET_OP not 0 or 1");
			s->enc = (int)v;
			ops++;
		} else if (cm->cmsg_type == ALG_SET_IV_) {
			if (v > IV_MAX ||
			    cm->cmsg_len != CMSG_LEN(sizeof(v) + v))
				bad("sendmsg: ALG_SET_IV's length is not "
				    "its message's");
			memcpy(s->iv, CMSG_DATA(cm) + sizeof(v), v);
			s->ivlen = v;
			ivs++;
		} else {
			bad("sendmsg: neither ALG_SET_OP nor ALG_SET_IV");
		}
	}
	if (ops != 1 || ivs > 1)
		bad("sendmsg: not one ALG_SET_OP and at most one ALG_SET_IV");
}

static ssize_t k_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct alg_sock *s = sock_of(fd);
	size_t n;

	if (!s)
		return __real_sendmsg(fd, msg, flags);
	if (!s->op)
		bad("sendmsg: not on an operation socket");
	falg.requests++;
	take_cmsgs(s, msg);
	if (msg->msg_iovlen != 1)
		bad("sendmsg: not one iovec");
	n = msg->msg_iov[0].iov_len;
	free(s->data);
	if (!(s->data = malloc(n ? n : 1)))
		abort();
	memcpy(s->data, msg->msg_iov[0].iov_base, n);
	s->len = n;
	s->at = 0;
	s->done = 0;
	return (ssize_t)n;
}

static ssize_t k_recv(int fd, void *buf, size_t len, int flags)
{
	struct alg_sock *s = sock_of(fd);
	size_t n;

	if (!s)
		return __real_recv(fd, buf, len, flags);
	if (!s->op || !s->data)
		bad("recv: no request sent on this operation socket");
	if (!s->done && !echo() && crypt_data(s)) {
		errno = EINVAL;
		return -1;
	}
	s->done = 1;
	n = s->len - s->at < len ? s->len - s->at : len;
	memcpy(buf, s->data + s->at, n);
	memset(s->data + s->at, 0, n);
	s->at += n;
	return (ssize_t)n;
}

const struct fsys_alg fake_alg = {
	k_socket, k_bind, k_setsockopt, k_accept, k_sendmsg, k_recv,
};

void fake_alg_reset(void)
{
	int i;

	for (i = 0; i < ALG_SOCKS; i++)
		free(socks[i].data);
	memset(socks, 0, sizeof(socks));
	memset(&falg, 0, sizeof(falg));
}

int fake_alg_open(void)
{
	int i, n = 0;

	for (i = 0; i < ALG_SOCKS; i++)
		n += is_open(&socks[i]);
	return n;
}
