/* SPDX-License-Identifier: MIT */
/* The kernel seam. Unit tests replace this file, never libc's ioctl(),
 * which glibc, musl and dietlibc declare differently. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config.h"
#include "dm.h"
#include "rawsys.h"

#define DM_CONTROL "/dev/mapper/control"
#define DM_CONTROL_MAJOR 10
#define DM_CONTROL_MINOR 236

int dm_sys_open(void)
{
	int fd = sys_open(DM_CONTROL, O_RDWR | O_CLOEXEC, 0);

	/* Without udev nobody else makes the node (libdevmapper does the
	 * same): a missing control node is recreated once. */
	if (fd < 0 && errno == ENOENT && CFG_DEV_NODES) {
		mkdir("/dev/mapper", 0755);
		if (!mknod(DM_CONTROL, S_IFCHR | 0600,
			   makedev(DM_CONTROL_MAJOR, DM_CONTROL_MINOR)))
			fd = sys_open(DM_CONTROL, O_RDWR | O_CLOEXEC, 0);
	}
	return fd < 0 ? -errno : fd;
}

int dm_sys_ioctl(int fd, unsigned long request, struct dm_ioctl *io)
{
	return sys_ioctl(fd, request, io) < 0 ? -errno : 0;
}
