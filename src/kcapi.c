#include "kcapi.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rawsys.h"

#ifndef AF_ALG
#define AF_ALG 38
#endif

/* linux/if_alg.h, which musl-gcc and dietlibc do not see. */
struct sockaddr_alg_dm {
	uint16_t salg_family;
	uint8_t salg_type[14];
	uint32_t salg_feat;
	uint32_t salg_mask;
	uint8_t salg_name[64];
};
_Static_assert(sizeof(struct sockaddr_alg_dm) == 88, "sockaddr_alg layout");

int kc_hash_open(struct kc_hash *h, const char *alg)
{
	struct sockaddr_alg_dm sa;
	size_t n = strlen(alg);
	int r;

	h->tfm = h->op = -1;
	if (n >= sizeof(sa.salg_name))
		return -ENAMETOOLONG;
	memset(&sa, 0, sizeof(sa));
	sa.salg_family = AF_ALG;
	memcpy(sa.salg_type, "hash", 4);
	memcpy(sa.salg_name, alg, n);
	h->tfm = sys_socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (h->tfm < 0)
		return -errno;
	if (sys_bind(h->tfm, (struct sockaddr *)(void *)&sa, sizeof(sa)) ||
	    (h->op = sys_accept(h->tfm, NULL, 0)) < 0) {
		r = -errno;
		kc_hash_close(h);
		return r;
	}
	return 0;
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
	if (h->op >= 0)
		close(h->op);
	if (h->tfm >= 0)
		close(h->tfm);
	h->op = h->tfm = -1;
}
