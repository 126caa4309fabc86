/* SPDX-License-Identifier: MIT */
/* Reading block devices (and image files) by path: size, bytes at an
 * offset, major:minor. */
#ifndef DMBOOT_BLKDEV_H
#define DMBOOT_BLKDEV_H

#include <stddef.h>
#include <stdint.h>

/* open O_RDONLY|O_CLOEXEC; fd or -errno. */
int blkdev_open(const char *path);
/* Size in bytes of a block device or regular file. 0 or -errno. */
int blkdev_size(int fd, uint64_t *bytes);
/* Exactly len bytes at off; -EIO on a short read, or -errno. */
int blkdev_read(int fd, void *buf, size_t len, uint64_t off);
/* The device number of a block device path. 0 or -errno (-ENOTBLK). */
int blkdev_devno(const char *path, uint32_t *major, uint32_t *minor);
/* ioctl(2) with an integer or pointer argument: its non-negative result
 * or -errno. The seam the unit tests wrap for loop devices. */
int blkdev_ioctl(int fd, unsigned long request, unsigned long arg);

#endif
