/* SPDX-License-Identifier: MIT */
/* fstatat, openat, unlinkat: dietlibc declares them only for this. */
#define _ATFILE_SOURCE 1
#include "boot.h"

#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "dirscan.h"
#include "rawsys.h"
#include "util.h"

/* Everything below dirfd on device dev, depth first; a mount point of
 * another file system (the new root among them) is left alone, symlinks
 * are removed, never followed. Errors are skipped: what cannot go merely
 * stays in memory, as with util-linux. dirscan, not readdir: musl's
 * opendir would bring malloc along. */
static void wipe_dir(int dirfd, dev_t dev)
{
	struct dirscan d;
	const char *name;

	dirscan_fd(&d, dirfd);
	while ((name = dirscan_next(&d))) {
		struct stat st;
		int isdir, fd;

		if (sys_fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) ||
		    st.st_dev != dev)
			continue;
		isdir = S_ISDIR(st.st_mode);
		if (isdir) {
			fd = sys_openat(dirfd, name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);
			if (fd < 0)
				continue;
			wipe_dir(fd, dev);
		}
		sys_unlinkat(dirfd, name, isdir ? AT_REMOVEDIR : 0);
	}
	dirscan_close(&d); /* closes dirfd */
}

static const char moved[] = "/dev\0/proc\0/sys\0/run\0";

int switch_root(const char *newroot, const char **step)
{
	struct stat root, nr;
	struct statfs sfs;
	char target[256];
	const char *m;
	size_t n = strlen(newroot);
	int fd;

	*step = "checks";
	if (getpid() != 1)
		return -SWITCH_ERR_NOT_PID1;
	if (sys_stat("/", &root) || sys_stat(newroot, &nr))
		return -errno;
	if (root.st_dev == nr.st_dev)
		return -SWITCH_ERR_NOT_MOUNT;
	if (sys_statfs("/", &sfs))
		return -errno;
	if ((uint32_t)sfs.f_type != RAMFS_MAGIC_FS &&
	    (uint32_t)sfs.f_type != TMPFS_MAGIC_FS)
		return -SWITCH_ERR_NOT_INITRAMFS;
	for (m = moved; *m; m += strlen(m) + 1) {
		if (n + strlen(m) >= sizeof(target))
			return -ENAMETOOLONG;
		memcpy(target, newroot, n);
		memcpy(target + n, m, strlen(m) + 1);
		/* A root without the directory cannot have it: let go. */
		if (mount(m, target, NULL, MS_MOVE, NULL))
			umount2(m, MNT_DETACH);
	}
	*step = "chdir";
	if (sys_chdir(newroot))
		return -errno;
	fd = sys_open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd >= 0)
		wipe_dir(fd, root.st_dev);
	*step = "mount --move . /";
	if (mount(".", "/", NULL, MS_MOVE, NULL))
		return -errno;
	*step = "chroot";
	if (sys_chroot("."))
		return -errno;
	*step = "chdir /";
	return sys_chdir("/") ? -errno : 0;
}
