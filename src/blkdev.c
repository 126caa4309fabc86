/* SPDX-License-Identifier: MIT */
#include "blkdev.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rawsys.h"

/* _IOR(0x12, 114, size_t), spelled out: dietlibc lacks it. Read is bit 31
 * on x86/arm, bit 30 (value 2 at shift 29) on mips/powerpc/sparc. */
#if defined(__mips__) || defined(__powerpc__) || defined(__sparc__)
#define BLK_IOR 0x40000000u
#else
#define BLK_IOR 0x80000000u
#endif
#define BLKGETSIZE64_REQ                                                       \
	((unsigned long)(BLK_IOR | ((uint32_t)sizeof(size_t) << 16) |          \
			 0x1200u | 114u))

int blkdev_open(const char *path)
{
	int fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);

	return fd < 0 ? -errno : fd;
}

int blkdev_size(int fd, uint64_t *bytes)
{
	struct stat st;

	if (sys_fstat(fd, &st))
		return -errno;
	if (S_ISREG(st.st_mode)) {
		*bytes = (uint64_t)st.st_size;
		return 0;
	}
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	return sys_ioctl(fd, BLKGETSIZE64_REQ, bytes) ? -errno : 0;
}

int blkdev_read(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;

	while (len) {
		ssize_t n = sys_pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int blkdev_devno(const char *path, uint32_t *major, uint32_t *minor)
{
	struct stat st;

	if (sys_stat(path, &st))
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	*major = major(st.st_rdev);
	*minor = minor(st.st_rdev);
	return 0;
}

int blkdev_ioctl(int fd, unsigned long request, unsigned long arg)
{
	int r = sys_ioctl(fd, request, arg);

	return r < 0 ? -errno : r;
}
