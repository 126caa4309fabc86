/* Names of block devices from sysfs, for -o devname|blkdevname. */
#include "devname.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static int read_line(const char *path, char *out, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, out, size - 1);
	close(fd);
	while (n > 0 && out[n - 1] == '\n')
		n--;
	if (n <= 0)
		return -1;
	out[n] = 0;
	return 0;
}

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
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = 0;
	p = strrchr(link, '/');
	p = p ? p + 1 : link;
	if (strlen(p) >= size)
		return -1;
	strcpy(out, p);
	return 0;
}

int dm_dev_name(uint32_t major, uint32_t minor, char *out, size_t size)
{
	char path[64], *p = sys_path(path, major, minor);

	memcpy(p, "/dm/name", sizeof("/dm/name"));
	return read_line(path, out, size);
}
