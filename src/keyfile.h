/* SPDX-License-Identifier: MIT */
/* Key files read as cryptsetup reads them in plain mode: a number of raw
 * bytes at an offset, from a file or from stdin ("-"). */
#ifndef DMBOOT_KEYFILE_H
#define DMBOOT_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

/* Exactly len (> 0) bytes at offset into key. 0, -ENODATA if the file
 * ends first, or -errno (key wiped). Bytes skipped on the way pass
 * through key, nowhere else. No word on the file's mode: cryptsetup has
 * none (systemd-cryptsetup's warning is tab-open.c's). */
int keyfile_read(const char *path, uint64_t offset, void *key, size_t len);

#endif
