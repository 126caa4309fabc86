/* SPDX-License-Identifier: MIT */
#include "dirscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "rawsys.h"

/* The kernel's linux_dirent64: d_reclen at 16, d_name at 19. */
#define DIRENT_RECLEN 16
#define DIRENT_NAME 19

void dirscan_fd(struct dirscan *d, int fd)
{
	d->fd = fd;
	d->len = d->off = 0;
}

int dirscan_open(struct dirscan *d, const char *path)
{
	int fd = sys_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	dirscan_fd(d, fd);
	return 0;
}

/* "." or "..", without two calls of strcmp. */
static int is_dot(const char *n)
{
	return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

const char *dirscan_next(struct dirscan *d)
{
	for (;;) {
		const char *name;
		uint16_t reclen;

		if (d->off >= d->len) {
			d->len = sys_getdents64(d->fd, (void *)d->buf,
						sizeof(d->buf));
			d->off = 0;
			if (d->len <= 0)
				return NULL;
		}
		memcpy(&reclen, d->buf + d->off + DIRENT_RECLEN,
		       sizeof(reclen));
		if (reclen < DIRENT_NAME + 1 || reclen > d->len - d->off) {
			d->len = 0;
			return NULL;
		}
		name = d->buf + d->off + DIRENT_NAME;
		d->off += reclen;
		if (!is_dot(name))
			return name;
	}
}

void dirscan_rewind(struct dirscan *d)
{
	sys_lseek(d->fd, 0, SEEK_SET);
	d->len = d->off = 0;
}

void dirscan_close(struct dirscan *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
