/* SPDX-License-Identifier: MIT */
#include "ops.h"

#include <errno.h>
#include <string.h>

#include "config.h"
#include "devwait.h"
#include "dirscan.h"
#include "nodes.h"
#include "util.h"

static int check_len(const char *s, size_t size)
{
	return strlen(s) < size ? 0 : -ENAMETOOLONG;
}

int dm_check_name(const char *name)
{
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	    !strcmp(name, "control") || mem_chr(name, '/', strlen(name)))
		return -EINVAL;
	return check_len(name, DM_NAME_LEN);
}

int dm_check_uuid(const char *uuid)
{
	return check_len(uuid, DM_UUID_LEN);
}

int dm_get_info(struct dm_ctx *ctx, const char *name, uint32_t flags,
		struct dm_info *info)
{
	struct dm_req req = {.name = name, .flags = flags};
	int r = dm_call(ctx, DM_CMD_DEV_STATUS, &req);

	if (r)
		return r;
	info->flags = ctx->io->flags;
	info->open_count = ctx->io->open_count;
	info->event_nr = ctx->io->event_nr;
	info->target_count = ctx->io->target_count;
	info->major = dm_dev_major(ctx->io->dev);
	info->minor = dm_dev_minor(ctx->io->dev);
	memcpy(info->name, ctx->io->name, sizeof(info->name));
	memcpy(info->uuid, ctx->io->uuid, sizeof(info->uuid));
	return 0;
}

int dm_list(struct dm_ctx *ctx, struct dm_list *l)
{
	static const struct dm_req none;
	int r = dm_call(ctx, DM_CMD_LIST_DEVICES, &none);

	memset(&l->b, 0, sizeof(l->b));
	if (!r)
		r = buf_add(&l->b, ctx->io, ctx->io->data_size);
	/* The copy (mem_alloc: page-aligned) is the header and payload. */
	if (!r)
		r = dm_walk_start((const struct dm_ioctl *)(const void *)l->b.p,
				  &l->w);
	if (r)
		buf_free(&l->b);
	return r;
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
			/* A walk of its own, from the start. */
			struct dm_walk s = list.w;
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

int dm_load(struct dm_ctx *ctx, const char *name, const struct table *t,
	    uint32_t flags)
{
	struct dm_req req = {
		.name = name,
		.flags = flags | (t->secure ? DM_SECURE_DATA_FLAG : 0),
		.target_count = t->count,
		.data = t->b.p,
		.data_len = t->b.len,
	};

	return dm_call(ctx, DM_CMD_TABLE_LOAD, &req);
}

static int resume_call(struct dm_ctx *ctx, const char *name, uint32_t flags)
{
	struct dm_req req = {.name = name, .flags = flags};

	return dm_call(ctx, DM_CMD_DEV_SUSPEND, &req);
}

int dm_resume(struct dm_ctx *ctx, const char *name, uint32_t flags)
{
	uint64_t dev;
	int r = resume_call(ctx, name, flags);

	if (r || !CFG_DEV_NODES)
		return r;
	dev = ctx->io->dev;
	/* A device its users cannot find by name is no success (create
	 * removes it again). */
	return node_add(ctx->io->name, dm_dev_major(dev), dm_dev_minor(dev));
}

int dm_suspend(struct dm_ctx *ctx, const char *name, uint32_t flags)
{
	struct dm_req req = {.name = name, .flags = flags | DM_SUSPEND_FLAG};

	return dm_call(ctx, DM_CMD_DEV_SUSPEND, &req);
}

static int remove_once(struct dm_ctx *ctx, const char *name, uint32_t flags)
{
	struct dm_req req = {.name = name, .flags = flags};

	return dm_call(ctx, DM_CMD_DEV_REMOVE, &req);
}

int dm_create(struct dm_ctx *ctx, const char *name, const char *uuid,
	      uint64_t dev, uint32_t flags, const struct table *t)
{
	struct dm_req req = {
		.name = name,
		.uuid = uuid,
		.dev = dev,
		.flags = flags & DM_PERSISTENT_DEV_FLAG,
	};
	int r;

	if (CFG_DRY_RUN && ctx->dry_run) {
		ctx->dry_run(name, uuid, flags, t);
		return 0;
	}
	r = dm_call(ctx, DM_CMD_DEV_CREATE, &req);
	if (r == -DM_ERR_REPLY)
		remove_once(ctx, name, 0); /* made, but we cannot trust it */
	if (r || !t)
		return r;
	r = dm_load(ctx, name, t, flags & DM_READONLY_FLAG);
	if (!r)
		r = dm_resume(ctx, name, 0);
	if (r)
		remove_once(ctx, name, 0);
	return r;
}

static int force_error_table(struct dm_ctx *ctx, const char *name)
{
	struct dm_info info;
	struct table t = {0};
	struct dm_walk w;
	struct dm_target tgt;
	struct dm_req req = {.name = name};
	uint64_t sectors = 0;
	int r;

	if ((r = dm_get_info(ctx, name, 0, &info)))
		return r;
	if (!(info.flags & DM_ACTIVE_PRESENT_FLAG))
		return 0;
	if ((r = dm_call_walk(ctx, DM_CMD_TABLE_STATUS, &req, &w)))
		return r;
	while ((r = dm_walk_targets(&w, &tgt)) > 0)
		sectors = tgt.start + tgt.length;
	if (r < 0 || !sectors)
		return r;
	r = table_add(&t, 0, sectors, "error", 5, "", 0);
	if (!r)
		r = dm_load(ctx, name, &t, info.flags & DM_READONLY_FLAG);
	table_free(&t);
	/* Before 4.12 a resume cannot skip the flush: do without, as
	 * libdevmapper does. No node: the device is on its way out. */
	if (!r)
		r = resume_call(
			ctx, name,
			DM_SKIP_LOCKFS_FLAG |
				(dm_kernel_has(ctx, 12) ? DM_NOFLUSH_FLAG : 0));
	return r;
}

int dm_remove(struct dm_ctx *ctx, const char *name, uint32_t flags,
	      unsigned how)
{
	int tries = how & DM_REMOVE_RETRY ? 25 : 1;
	int r;

	if (CFG_REMOVE_FORCE && (how & DM_REMOVE_FORCE)) {
		/* A flag the kernel would refuse must stop us before the
		 * table is replaced, not after. */
		uint32_t f = flags;

		r = dm_gate_flags(ctx, DM_CMD_DEV_REMOVE, &f);
		if (!r)
			r = force_error_table(ctx, name);
		if (r)
			return r;
	}
	for (;;) {
		r = remove_once(ctx, name, flags);
		if (r != -EBUSY || --tries <= 0)
			break;
		sleep_ms(200);
	}
	if (!r && CFG_DEV_NODES && !(flags & DM_DEFERRED_REMOVE_FLAG))
		node_del(name);
	return r;
}

int dm_target_version(struct dm_ctx *ctx, const char *target, uint32_t v[3])
{
	static const struct dm_req all;
	const struct dm_req one = {.name = target};
	struct dm_version_item it;
	struct dm_walk w;
	int r;

	/* Asked first, so that an old kernel never logs an "ioctl
	 * interface mismatch" for a request it predates; the version that
	 * request needs is dm-cmds.h's. */
	if ((r = dm_kernel_version(ctx)))
		return r;
	r = dm_kernel_has(ctx, DM_MINOR_GET_TARGET_VERSION)
		    ? dm_call(ctx, DM_CMD_GET_TARGET_VERSION, &one)
		    : dm_call(ctx, DM_CMD_LIST_VERSIONS, &all);
	if (r == -EINVAL || r == -ENOENT)
		return 1; /* a target the kernel cannot load */
	if (r || (r = dm_walk_start(ctx->io, &w)))
		return r;
	while ((r = dm_walk_versions(&w, &it)) > 0) {
		if (!strcmp(it.name, target)) {
			memcpy(v, it.version, sizeof(it.version));
			return 0;
		}
	}
	return r < 0 ? r : 1;
}
