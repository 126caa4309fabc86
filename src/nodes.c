/* /dev/mapper/NAME nodes for systems without udev, as libdevmapper makes
 * them: directory 0755, block node 0600 root:root. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dirscan.h"
#include "ops.h"

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

int dm_sync_nodes(struct dm_ctx *ctx)
{
	struct dm_list list;
	struct dm_name n;
	struct dirscan dir;
	const char *e;
	int r;

	if (node_udev_running())
		return 0;
	if ((r = dm_list(ctx, &list)))
		return r;
	if (!dirscan_open(&dir, "/dev/mapper")) {
		while ((e = dirscan_next(&dir))) {
			struct dm_walk s = list.w; /* from the start */
			int found = 0;

			if (!strcmp(e, "control"))
				continue;
			while (!found && (r = dm_walk_names(&s, &n)) > 0)
				found = !strcmp(n.name, e);
			if (r < 0)
				break;
			if (!found)
				node_del(e);
		}
		dirscan_close(&dir);
	}
	while (r >= 0 && (r = dm_list_next(&list, &n)) > 0)
		node_add(n.name, dm_dev_major(n.dev), dm_dev_minor(n.dev));
	dm_list_free(&list);
	return r;
}
