/* SPDX-License-Identifier: MIT */
/* What PID 1 needs from the kernel: leaving the initramfs for the real
 * root as util-linux switch_root does (switchroot.c), loading modules and
 * the udev database entry (boot.c). -errno on failure. */
#ifndef DMBOOT_BOOT_H
#define DMBOOT_BOOT_H

#include <stdint.h>

#define RAMFS_MAGIC_FS 0x858458f6u
#define TMPFS_MAGIC_FS 0x01021994u

/* Errors beyond errno for switch_root's preconditions, negated. */
enum {
	SWITCH_ERR_BASE = 8192,
	SWITCH_ERR_NOT_PID1, /* only PID 1 may leave the initramfs */
	SWITCH_ERR_NOT_MOUNT, /* the new root is not a mount point */
	SWITCH_ERR_NOT_INITRAMFS, /* / is not ramfs or tmpfs */
};

/* Moves /dev /proc /sys /run into newroot (detaches those it cannot
 * move), deletes the initramfs's files without crossing into other file
 * systems, makes newroot / and the working directory. On failure *step
 * names what failed. */
int switch_root(const char *newroot, const char **step);

/* Loads the kernel module open at fd with params (finit_module). 0 also
 * when it was loaded already. */
int module_load_fd(int fd, const char *params);

/* /run/udev/data/b<major>:<minor> saying the device-mapper device was set
 * up properly (DM_UDEV_PRIMARY_SOURCE_FLAG=1), so that udev on the real
 * root does not treat it as not ready when it replays the add event. */
int udev_db_add(uint32_t major, uint32_t minor);

#endif
