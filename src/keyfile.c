/* SPDX-License-Identifier: MIT */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rawsys.h"
#include "util.h"

static int read_full(int fd, char *p, size_t len)
{
	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Pipes cannot seek: read the bytes before the key and drop them. They
 * go through the key's own memory (the caller's, locked: secret.h), not
 * the stack: a key file may hold other keys there. */
static int skip(int fd, uint64_t offset, char *key, size_t len)
{
	int r = 0;

	if (!offset || sys_lseek(fd, (off_t)offset, SEEK_SET) >= 0)
		return 0;
	if (errno != ESPIPE)
		return -errno;
	while (!r && offset && len) {
		size_t n = offset < len ? (size_t)offset : len;

		r = read_full(fd, key, n);
		offset -= n;
	}
	return r;
}

int keyfile_read(const char *path, uint64_t offset, void *key, size_t len)
{
	int stdin_key = !strcmp(path, "-");
	int fd = stdin_key ? 0 : sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return -errno;
	r = skip(fd, offset, key, len);
	if (!r)
		r = read_full(fd, key, len);
	if (!stdin_key)
		close(fd);
	if (r)
		wipe(key, len);
	return r;
}
