/* SPDX-License-Identifier: MIT */
/* /dev/mapper/NAME nodes for systems without udev: the layer under ops.c,
 * which makes and removes them with the devices (dm_sync_nodes there
 * matches them to the kernel's list). */
#ifndef DMBOOT_NODES_H
#define DMBOOT_NODES_H

#include <stdint.h>

/* Each does nothing (returns 0) while udev is running. */
int node_add(const char *name, uint32_t major, uint32_t minor);
int node_del(const char *name);
int node_rename(const char *from, const char *to);
int node_udev_running(void);

#endif
