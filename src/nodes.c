/* SPDX-License-Identifier: MIT */
/* /dev/mapper/NAME nodes for systems without udev, as libdevmapper makes
 * them: directory 0755, block node 0600 root:root. */
#include "nodes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dm-abi.h"

#define MAPPER_DIR "/dev/mapper/"

int node_udev_running(void)
{
	return access("/run/udev/control", F_OK) == 0;
}

static int node_path(char *path, const char *name)
{
	size_t n = strlen(name);

	if (n >= DM_NAME_LEN)
		return -ENAMETOOLONG;
	memcpy(path, MAPPER_DIR, sizeof(MAPPER_DIR) - 1);
	memcpy(path + sizeof(MAPPER_DIR) - 1, name, n + 1);
	return 0;
}

int node_add(const char *name, uint32_t major, uint32_t minor)
{
	char path[sizeof(MAPPER_DIR) + DM_NAME_LEN];

	if (node_udev_running() || node_path(path, name))
		return 0;
	/* Made anew rather than checked: the same node either way, and no
	 * stat in the binary. */
	unlink(path);
	mkdir("/dev/mapper", 0755);
	return mknod(path, S_IFBLK | 0600, makedev(major, minor)) ? -errno : 0;
}

int node_del(const char *name)
{
	char path[sizeof(MAPPER_DIR) + DM_NAME_LEN];

	if (node_udev_running() || node_path(path, name))
		return 0;
	return unlink(path) && errno != ENOENT ? -errno : 0;
}

int node_rename(const char *from, const char *to)
{
	char a[sizeof(MAPPER_DIR) + DM_NAME_LEN];
	char b[sizeof(MAPPER_DIR) + DM_NAME_LEN];

	if (node_udev_running() || node_path(a, from) || node_path(b, to))
		return 0;
	return rename(a, b) && errno != ENOENT ? -errno : 0;
}
