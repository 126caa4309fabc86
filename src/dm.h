/* SPDX-License-Identifier: MIT */
/* Device-mapper requests: build, send with the command's minimum version,
 * grow on a full buffer, check the reply before anyone reads it. */
#ifndef DMBOOT_DM_H
#define DMBOOT_DM_H

#include <stddef.h>
#include <stdint.h>

#include "dm-abi.h"
#include "dm-cmds.h"

/* Errors beyond errno, returned negated like errno values. */
enum {
	DM_ERR_BASE = 4096,
	DM_ERR_TOO_NEW, /* kernel lacks the command: ctx->err_cmd */
	DM_ERR_FLAG_TOO_NEW, /* kernel lacks a flag: ctx->err_flag */
	DM_ERR_REPLY, /* malformed reply */
	DM_ERR_NOCMD, /* command not compiled in */
	DM_ERR_TOO_BIG, /* reply would exceed the buffer cap */
};

struct table;

struct dm_ctx {
	int fd; /* /dev/mapper/control, -1 until first use */
	uint32_t kver[3]; /* from the latest reply; kver[0] == 0: unknown */
	struct dm_ioctl *io; /* the latest reply, valid until the next call */
	size_t io_size;
	int io_secret; /* io is secret memory (secret.h): it carried a key */
	int unlocked; /* key memory that mlock refused (secret.h) */
	size_t buf_size; /* size to start the next request with */
	enum dm_cmd err_cmd;
	uint8_t err_flag_minor; /* beside err_cmd: no padding of its own */
	const char *err_flag; /* DM_X_FLAG */
	/* Dry run: dm_create hands what it would create to this (the
	 * command layer prints it) and sends nothing. */
	void (*dry_run)(const char *name, const char *uuid, uint32_t flags,
			const struct table *t);
};

/* What goes into one request. data is copied to the payload. */
struct dm_req {
	const char *name;
	const char *uuid;
	uint64_t dev;
	uint32_t flags;
	uint32_t event_nr;
	uint32_t target_count;
	const void *data;
	size_t data_len;
};

void dm_init(struct dm_ctx *ctx);
void dm_done(struct dm_ctx *ctx);
int dm_call(struct dm_ctx *ctx, enum dm_cmd cmd, const struct dm_req *req);
/* Makes ctx->kver known, asking the kernel only if no reply has told yet. */
int dm_kernel_version(struct dm_ctx *ctx);
/* Leaves out the flags the kernel would ignore but need not honour, and
 * refuses (-DM_ERR_FLAG_TOO_NEW) those whose loss would change the request.
 * dm_call does this itself; callers use it to check before a multi-step
 * operation. */
int dm_gate_flags(struct dm_ctx *ctx, enum dm_cmd cmd, uint32_t *flags);
/* Does the kernel (version known) speak interface 4.minor? */
static inline int dm_kernel_has(const struct dm_ctx *ctx, uint32_t minor)
{
	return ctx->kver[0] == DM_VERSION_MAJOR && ctx->kver[1] >= minor;
}

/* The version a command is sent with, and its name for messages. */
void dm_cmd_version(enum dm_cmd cmd, uint32_t v[3]);
const char *dm_cmd_name(enum dm_cmd cmd);
/* Human-readable text for a negative return of this layer. */
const char *dm_strerror(const struct dm_ctx *ctx, int err, char *buf,
			size_t len);

/* The kernel seam: the only place an ioctl reaches the kernel. Returns 0 or
 * -errno. Unit tests link their own. */
int dm_sys_ioctl(int fd, unsigned long request, struct dm_ioctl *io);
int dm_sys_open(void);

/* Reply walkers. Each checks every offset and string against the reply
 * before handing it out; a walker returns 1 with an item, 0 at the end,
 * -DM_ERR_REPLY on a malformed reply. */
struct dm_walk {
	const char *base; /* payload start */
	size_t len; /* payload length */
	size_t off; /* next item's offset in the payload */
	uint32_t left; /* items left (target specs) */
	int done;
};
int dm_walk_start(const struct dm_ioctl *io, struct dm_walk *w);
/* dm_call, then dm_walk_start on its reply. */
int dm_call_walk(struct dm_ctx *ctx, enum dm_cmd cmd, const struct dm_req *req,
		 struct dm_walk *w);

struct dm_name {
	uint64_t dev;
	const char *name;
};
int dm_walk_names(struct dm_walk *w, struct dm_name *out);

struct dm_target {
	uint64_t start, length;
	const char *type;
	const char *params;
};
int dm_walk_targets(struct dm_walk *w, struct dm_target *out);

struct dm_version_item {
	uint32_t version[3];
	const char *name;
};
int dm_walk_versions(struct dm_walk *w, struct dm_version_item *out);

/* Dependencies: count and the array, checked to fit the reply. */
int dm_reply_deps(const struct dm_ioctl *io, const uint64_t **devs,
		  uint32_t *count);
/* The text a TARGET_MSG or similar returned (DM_DATA_OUT_FLAG), or NULL. */
int dm_reply_text(const struct dm_ioctl *io, const char **text);

#endif
