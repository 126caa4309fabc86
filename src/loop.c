/* SPDX-License-Identifier: MIT */
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"
#include "config.h"
#include "rawsys.h"
#include "util.h"

/* <linux/loop.h>, spelled out: dietlibc and musl-gcc come without kernel
 * headers. Plain numbers, no size or direction bits: every architecture
 * has these. */
#define LOOP_SET_FD 0x4C00
#define LOOP_CLR_FD 0x4C01
#define LOOP_SET_STATUS64 0x4C04
#define LOOP_SET_BLOCK_SIZE 0x4C09 /* Linux 4.14 */
#define LOOP_CONFIGURE 0x4C0A /* Linux 5.8: SET_FD and SET_STATUS64 at once */
#define LOOP_CTL_GET_FREE 0x4C82
#define LO_FLAGS_AUTOCLEAR 4
#define LO_NAME_SIZE 64
#define LOOP_CONTROL "/dev/loop-control"
#define LOOP_PREFIX "/dev/loop"
/* Another process may bind the free device first (LOOP_SET_FD: EBUSY). */
#define LOOP_TRIES 8

struct loop_info64 {
	uint64_t device, inode, rdevice, offset, sizelimit;
	uint32_t number, encrypt_type, encrypt_key_size, flags;
	uint8_t file_name[LO_NAME_SIZE], crypt_name[LO_NAME_SIZE];
	uint8_t encrypt_key[32];
	uint64_t init[2];
};
_Static_assert(sizeof(struct loop_info64) == 232, "struct loop_info64");

struct loop_config {
	uint32_t fd, block_size; /* 0: the default, 512 */
	struct loop_info64 info;
	uint64_t reserved[8];
};
_Static_assert(sizeof(struct loop_config) == 304, "struct loop_config");

/* Binds file to a free loop device: its fd, or -errno. The name is what
 * losetup shows where sysfs is missing. */
static int loop_attach(int file, const char *path, int rw, uint32_t block_size,
		       uint32_t *major, uint32_t *minor)
{
	struct loop_config cfg;
	char dev[32] = LOOP_PREFIX;
	size_t len = strlen(path);
	int ctl, fd = -1, n, r = -EBUSY, tries, configured = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (uint32_t)file;
	cfg.block_size = block_size;
	cfg.info.flags = LO_FLAGS_AUTOCLEAR;
	memcpy(cfg.info.file_name, path,
	       len < LO_NAME_SIZE ? len : LO_NAME_SIZE - 1);
	if ((ctl = sys_open(LOOP_CONTROL, O_RDWR | O_CLOEXEC, 0)) < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	for (tries = 0; r == -EBUSY && tries < LOOP_TRIES; tries++) {
		if (fd >= 0)
			close(fd);
		fd = -1;
		if ((r = n = blkdev_ioctl(ctl, LOOP_CTL_GET_FREE, 0)) < 0)
			break;
		fmt_u64(dev + sizeof(LOOP_PREFIX) - 1, (uint64_t)n);
		if ((fd = sys_open(dev, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC,
				   0)) < 0) {
			r = -errno;
			continue;
		}
		/* Bound with autoclear in one step where the kernel can, so
		 * that no moment leaves a device bound without it. */
		r = blkdev_ioctl(fd, LOOP_CONFIGURE, (unsigned long)&cfg);
		configured = !r;
		if (r == -EINVAL || r == -ENOTTY)
			r = blkdev_ioctl(fd, LOOP_SET_FD, (unsigned long)file);
	}
	close(ctl);
	if (!r) {
		if (!configured)
			r = blkdev_ioctl(fd, LOOP_SET_STATUS64,
					 (unsigned long)&cfg.info);
		/* Before 4.14 the loop device keeps 512-byte blocks, which
		 * every table still reads and writes correctly. */
		if (!r && !configured && block_size > 512 &&
		    (r = blkdev_ioctl(fd, LOOP_SET_BLOCK_SIZE, block_size)) &&
		    (r == -EINVAL || r == -ENOTTY))
			r = 0;
		if (!r)
			r = blkdev_devno(dev, major, minor);
		if (r)
			blkdev_ioctl(fd, LOOP_CLR_FD, 0);
	}
	if (r && fd >= 0)
		close(fd);
	return r ? r : fd;
}

int loop_devno(const char *path, int rw, int dry, uint32_t block_size,
	       uint32_t *major, uint32_t *minor, int *loop_fd)
{
	struct stat st;
	int r = blkdev_devno(path, major, minor), file;

	if (r != -ENOTBLK || !CFG_LOOP_FILES)
		return r;
	if (sys_stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOTBLK;
	if (dry) {
		*major = *minor = 0;
		return 0;
	}
	if ((file = sys_open(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC, 0)) <
	    0)
		return -errno;
	r = loop_attach(file, path, rw, block_size, major, minor);
	close(file);
	if (r < 0)
		return r;
	*loop_fd = r;
	return 0;
}
