/* SPDX-License-Identifier: MIT */
/* Key files read as cryptsetup reads them in plain mode: a number of raw
 * bytes at an offset, from a file or from stdin ("-"). */
#ifndef DMBOOT_KEYFILE_H
#define DMBOOT_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#define KEYFILE_WORLD_READABLE 1u /* a regular file others may read */

/* Exactly len (> 0) bytes at offset into key. 0, -ENODATA if the file
 * ends first, or -errno (key wiped). *notes gets KEYFILE_* bits. Bytes
 * skipped on the way pass through key, nowhere else. */
int keyfile_read(const char *path, uint64_t offset, void *key, size_t len,
		 unsigned *notes);

#endif
