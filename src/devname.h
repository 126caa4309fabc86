/* SPDX-License-Identifier: MIT */
#ifndef DMBOOT_DEVNAME_H
#define DMBOOT_DEVNAME_H

#include <stddef.h>
#include <stdint.h>

/* Kernel name ("dm-0", "vda") of a block device. 0 or -1. */
int blkdev_name(uint32_t major, uint32_t minor, char *out, size_t size);
/* Device-mapper name of a dm device. 0 or -1. */
int dm_dev_name(uint32_t major, uint32_t minor, char *out, size_t size);
/* The file a loop device is bound to, as the kernel shows it (with
 * " (deleted)" once unlinked): 0, or -1 for no loop device. */
int loop_backing_file(uint32_t major, uint32_t minor, char *out, size_t size);
/* Its longest text: a sysfs attribute is at most a page. */
#define LOOP_FILE_MAX 4096

#endif
