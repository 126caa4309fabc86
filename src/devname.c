/* SPDX-License-Identifier: MIT */
/* Names of block devices from sysfs, for -o devname|blkdevname, and the
 * files behind loop devices. */
#include "devname.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rawsys.h"
#include "util.h"

static char *sys_path(char *p, uint32_t major, uint32_t minor)
{
	memcpy(p, "/sys/dev/block/", 15);
	p += 15;
	p += fmt_u64(p, major);
	*p++ = ':';
	p += fmt_u64(p, minor);
	return p;
}

int blkdev_name(uint32_t major, uint32_t minor, char *out, size_t size)
{
	char path[64], *p = sys_path(path, major, minor);
	char link[256];
	ssize_t n;

	*p = 0;
	n = sys_readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = 0;
	/* The last component (a loop: musl's strrchr is 80 bytes) */
	for (p = link + n; p > link && p[-1] != '/'; p--)
		;
	if ((size_t)(link + n - p) >= size)
		return -1;
	memcpy(out, p, (size_t)(link + n - p) + 1);
	return 0;
}

/* A sysfs attribute of the device, without the newline sysfs ends it with
 * (one: a file name may end in a newline of its own). 0 or -1. */
static int sys_attr(uint32_t major, uint32_t minor, const char *attr, char *out,
		    size_t size)
{
	char path[64], *p = sys_path(path, major, minor);
	ssize_t n;
	int fd;

	memcpy(p, attr, strlen(attr) + 1);
	if ((fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0)) < 0)
		return -1;
	n = read(fd, out, size - 1);
	close(fd);
	if (n > 0 && out[n - 1] == '\n')
		n--;
	if (n <= 0)
		return -1;
	out[n] = 0;
	return 0;
}

int dm_dev_name(uint32_t major, uint32_t minor, char *out, size_t size)
{
	return sys_attr(major, minor, "/dm/name", out, size);
}

int loop_backing_file(uint32_t major, uint32_t minor, char *out, size_t size)
{
	return sys_attr(major, minor, "/loop/backing_file", out, size);
}
