/* SPDX-License-Identifier: MIT */
/* Device-mapper operations built from single requests: what libdevmapper
 * users expect of create, remove and friends, including the rollback. */
#ifndef DMBOOT_OPS_H
#define DMBOOT_OPS_H

#include "dm.h"
#include "table.h"
#include "util.h"

struct dm_info {
	uint32_t flags;
	int32_t open_count;
	uint32_t event_nr;
	uint32_t target_count;
	uint32_t major, minor;
	char name[DM_NAME_LEN];
	char uuid[DM_UUID_LEN];
};

/* Refuses names and UUIDs the kernel would: too long, '/', "." ... */
int dm_check_name(const char *name);
int dm_check_uuid(const char *uuid);

/* DEV_STATUS. -ENXIO: no such device. */
int dm_get_info(struct dm_ctx *ctx, const char *name, uint32_t flags,
		struct dm_info *info);
/* LIST_DEVICES: the reply, copied so that it outlives later requests,
 * and a walker over its devices. */
struct dm_list {
	struct buf b; /* the reply: an ioctl header and its payload */
	struct dm_walk w;
};
/* 0 with l ready for dm_list_next, or -errno with nothing held;
 * dm_list_free is safe after either. */
int dm_list(struct dm_ctx *ctx, struct dm_list *l);
/* The next device: 1 with *n set (its name lives in l), 0 at the end,
 * -DM_ERR_REPLY on a malformed reply. */
static inline int dm_list_next(struct dm_list *l, struct dm_name *n)
{
	return dm_walk_names(&l->w, n);
}
static inline void dm_list_free(struct dm_list *l)
{
	buf_free(&l->b);
}
/* Makes /dev/mapper match the kernel's list: a node for every device,
 * none for devices that are gone (without udev; nodes.h below). */
int dm_sync_nodes(struct dm_ctx *ctx);
int dm_load(struct dm_ctx *ctx, const char *name, const struct table *t,
	    uint32_t flags);
/* create = DEV_CREATE, TABLE_LOAD, resume; the device is removed again if
 * load or resume fails, and the first error returned. t NULL: no table. */
int dm_create(struct dm_ctx *ctx, const char *name, const char *uuid,
	      uint64_t dev, uint32_t flags, const struct table *t);
/* DEV_SUSPEND without DM_SUSPEND_FLAG, then the node (without udev). */
int dm_resume(struct dm_ctx *ctx, const char *name, uint32_t flags);
int dm_suspend(struct dm_ctx *ctx, const char *name, uint32_t flags);

#define DM_REMOVE_RETRY 1u /* EBUSY: up to 25 tries, 200 ms apart */
#define DM_REMOVE_FORCE 2u /* swap in an error target first */
int dm_remove(struct dm_ctx *ctx, const char *name, uint32_t flags,
	      unsigned how);

/* A target type's version (GET_TARGET_VERSION, which loads its module;
 * before 4.41 the list of loaded targets): 0, 1 when the kernel has no
 * such target (loaded), or -errno. */
int dm_target_version(struct dm_ctx *ctx, const char *target, uint32_t v[3]);

#endif
