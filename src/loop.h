/* SPDX-License-Identifier: MIT */
/* Image files as block devices, as veritysetup and cryptsetup take them:
 * each bound to a free loop device with autoclear, which then detaches by
 * itself when its last user (the dm table, or our fd) lets go. */
#ifndef DMBOOT_LOOP_H
#define DMBOOT_LOOP_H

#include <stdint.h>

/* The device number a table names for path: a block device's own, or
 * with LOOP_FILES a regular file's new loop device, writable if rw, with
 * logical blocks of block_size bytes (0: the default, 512) as cryptsetup
 * and veritysetup set them (sector size; data and hash block size). Then
 * *loop_fd holds the loop device until the table does: close it once the
 * device is resumed, or on failure, and the loop device goes with the dm
 * device (or at once). Otherwise *loop_fd is left alone. A dry run
 * binds nothing: a file is 0:0 (which loop device a real run gets is
 * known only once one is bound).
 * 0 or -errno (-ENOTBLK: neither; -ENODEV: no loop driver). */
int loop_devno(const char *path, int rw, int dry, uint32_t block_size,
	       uint32_t *major, uint32_t *minor, int *loop_fd);

#endif
