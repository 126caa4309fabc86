/* SPDX-License-Identifier: MIT */
#include "keyring.h"

#include <errno.h>
#include <unistd.h>

/* dietlibc wraps the two calls and hides their numbers; musl and glibc
 * have the numbers and no wrappers. */
#ifdef __dietlibc__
#include <sys/key.h>
#define sys_add_key(t, d, p, l, k) add_key(t, d, p, l, k)
#define sys_keyctl(op, a, b) keyctl(op, a, b)
#define sys_keyctl4(op, a, b, c) keyctl(op, a, b, c)
#define sys_request_key(t, d) request_key(t, d, (const char *)0, 0)
#else
#include <sys/syscall.h>
#define sys_add_key(t, d, p, l, k) syscall(SYS_add_key, t, d, p, l, k)
#define sys_keyctl(op, a, b) syscall(SYS_keyctl, op, a, b)
#define sys_keyctl4(op, a, b, c) syscall(SYS_keyctl, op, a, b, c)
#define sys_request_key(t, d) syscall(SYS_request_key, t, d, (void *)0, 0L)
#endif

#define KEYCTL_UNLINK_OP 9
#define KEYCTL_READ_OP 11

int32_t keyring_add(const char *type, const char *desc, const void *payload,
		    size_t len, int32_t keyring)
{
	long r = sys_add_key(type, desc, payload, len, keyring);

	return r < 0 ? -errno : (int32_t)r;
}

int keyring_unlink(int32_t key, int32_t keyring)
{
	return sys_keyctl(KEYCTL_UNLINK_OP, key, keyring) < 0 ? -errno : 0;
}

int32_t keyring_search(const char *type, const char *desc)
{
	long r;

	do
		r = sys_request_key(type, desc);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : (int32_t)r;
}

long keyring_read(int32_t key, void *buf, size_t len)
{
	long r = sys_keyctl4(KEYCTL_READ_OP, key, buf, len);

	return r < 0 ? -errno : r;
}
