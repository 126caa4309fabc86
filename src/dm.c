/* SPDX-License-Identifier: MIT */
#include "dm.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "secret.h"
#include "util.h"

#define CMD_MINOR(id, nr, minor, patch, cfg) minor,
#define CMD_PATCH(id, nr, minor, patch, cfg) patch,
#define CMD_NR(id, nr, minor, patch, cfg) nr,
#define CMD_CFG(id, nr, minor, patch, cfg) cfg,
/* One string, a NUL before each name; a command not built in leaves no
 * name (CFG_X is 0 or 1 by the time CMD_NAME_IF pastes it). */
#define CMD_NAME_0(id) ""
#define CMD_NAME_1(id) #id
#define CMD_NAME_IF(cfg, id) CMD_NAME_##cfg(id)
#define CMD_NAME_IF_(cfg, id) CMD_NAME_IF(cfg, id)
#define CMD_NAME(id, nr, minor, patch, cfg) "\0" CMD_NAME_IF_(cfg, id)
static const uint8_t cmd_minor[] = {DM_COMMANDS(CMD_MINOR)};
static const uint8_t cmd_patch[] = {DM_COMMANDS(CMD_PATCH)};
static const uint8_t cmd_nr[] = {DM_COMMANDS(CMD_NR)};
static const uint8_t cmd_enabled[] = {DM_COMMANDS(CMD_CFG)};
static const char cmd_names[] = DM_COMMANDS(CMD_NAME);

void dm_cmd_version(enum dm_cmd cmd, uint32_t v[3])
{
	v[0] = DM_VERSION_MAJOR;
	v[1] = cmd_minor[cmd];
	v[2] = cmd_patch[cmd];
#ifdef DMBOOT_TEST_TOO_NEW
#define TOO_NEW_ID(x) TOO_NEW_ID_(x)
#define TOO_NEW_ID_(x) DM_CMD_##x
	/* Test builds only (make TEST_TOO_NEW=CMD): one command claims a
	 * minimum no kernel has, to exercise the refusal path for real. */
	if (cmd == TOO_NEW_ID(DMBOOT_TEST_TOO_NEW))
		v[1] = 99;
#endif
}

const char *dm_cmd_name(enum dm_cmd cmd)
{
	const char *s = cmd_names;
	unsigned i;

	if (cmd >= DM_CMD_COUNT || !cmd_enabled[cmd])
		return "";
	for (i = 0; i <= cmd; i++)
		s += strlen(s) + 1;
	return s;
}

void dm_init(struct dm_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->fd = -1;
	ctx->buf_size = CFG_BUFFER_SIZE;
}

static void io_free(struct dm_ctx *ctx)
{
	if (CFG_SECRET_MEMORY && ctx->io_secret)
		secret_free(ctx->io, ctx->io_size);
	else
		mem_free(ctx->io, ctx->io_size);
	ctx->io = NULL;
	ctx->io_size = 0;
	ctx->io_secret = 0;
}

void dm_done(struct dm_ctx *ctx)
{
	io_free(ctx);
	if (ctx->fd >= 0)
		close(ctx->fd);
	ctx->fd = -1;
}

int dm_kernel_version(struct dm_ctx *ctx)
{
	static const struct dm_req none;

	if (ctx->kver[0])
		return 0;
	return dm_call(ctx, DM_CMD_VERSION, &none);
}

static int gate_flag(struct dm_ctx *ctx, uint32_t *flags, uint32_t flag,
		     uint8_t minor, enum dm_flag_policy policy,
		     const char *name)
{
	int r;

	/* A flag that may be dropped is harmless to an old kernel, which
	 * ignores it: no reason to ask the version for it. */
	if (!ctx->kver[0] && policy == DM_FLAG_DROP)
		return 0;
	if (!ctx->kver[0] && (r = dm_kernel_version(ctx)))
		return r;
	if (dm_kernel_has(ctx, minor))
		return 0;
	if (policy == DM_FLAG_DROP) {
		*flags &= ~flag;
		return 0;
	}
	ctx->err_flag = name;
	ctx->err_flag_minor = minor;
	return -DM_ERR_FLAG_TOO_NEW;
}

/* Each row of DM_GATED_FLAGS is code under its CFG_: a build that sends
 * no such flag keeps neither the row nor the flag's name. */
#define FLAG_OFF(flag, c, minor, policy, cfg) | (cfg ? 0u : (uint32_t)flag)
#define GATE_ROW(flag, c, minor, policy, cfg)                                  \
	if (cfg && !r && (*flags & flag) && (c == DM_CMD_COUNT || c == cmd))   \
		r = gate_flag(ctx, flags, flag, minor, policy, #flag);

/* Leaves out or refuses flags the kernel would ignore. Asks the kernel
 * its version only when a gated flag is present and no reply told yet. */
int dm_gate_flags(struct dm_ctx *ctx, enum dm_cmd cmd, uint32_t *flags)
{
	int r = 0;

	if (*flags & (0 DM_GATED_FLAGS(FLAG_OFF)))
		return -DM_ERR_NOCMD;
	DM_GATED_FLAGS(GATE_ROW)
	return r;
}

static int set_str(char *dst, size_t size, const char *src)
{
	size_t n;

	if (!src)
		return 0;
	n = strlen(src);
	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(dst, src, n);
	return 0;
}

static int fill(struct dm_ioctl *io, size_t size, enum dm_cmd cmd,
		const struct dm_req *req, uint32_t flags)
{
	memset(io, 0, size);
	dm_cmd_version(cmd, io->version);
	io->data_size = (uint32_t)size;
	io->data_start = DM_PAYLOAD_START;
	io->flags = flags;
	io->event_nr = req->event_nr;
	io->dev = req->dev;
	io->target_count = req->target_count;
	/* Names first: a refused request leaves no key in the buffer. */
	if (set_str(io->name, sizeof(io->name), req->name) ||
	    set_str(io->uuid, sizeof(io->uuid), req->uuid))
		return -ENAMETOOLONG;
	if (req->data_len)
		memcpy((char *)io + DM_PAYLOAD_START, req->data, req->data_len);
	return 0;
}

/* What was sent may hold a key: wipe it, but not a reply that the kernel
 * wrote over it (data_start up to data_size), such as a message's. */
static void wipe_sent(struct dm_ioctl *io, size_t size, int r)
{
	size_t from = DM_PAYLOAD_START;

	if (!r && !(io->flags & DM_BUFFER_FULL_FLAG) &&
	    io->data_start >= from && io->data_start <= io->data_size &&
	    io->data_size <= size) {
		wipe((char *)io + from, io->data_start - from);
		from = io->data_size;
	}
	wipe((char *)io + from, size - from);
}

static int grow(struct dm_ctx *ctx, size_t size)
{
	io_free(ctx);
	ctx->io = mem_alloc(size);
	if (!ctx->io)
		return -ENOMEM;
	ctx->io_size = size;
	return 0;
}

/* data_start is the walkers' business: a reply without a payload ends
 * before it (data_size 305, data_start as sent, since Linux 4.19). */
static int reply_ok(const struct dm_ioctl *io, size_t size)
{
	return io->data_size >= DM_MIN_DATA_SIZE && io->data_size <= size &&
	       mem_chr(io->name, 0, sizeof(io->name)) &&
	       mem_chr(io->uuid, 0, sizeof(io->uuid));
}

int dm_call(struct dm_ctx *ctx, enum dm_cmd cmd, const struct dm_req *req)
{
	const size_t cap = (size_t)CFG_BUFFER_MAX_MB << 20;
	uint32_t flags = req->flags, sent[3];
	size_t size = ctx->buf_size;
	int r, told;
	/* A key goes out (DM_SECURE_DATA_FLAG) or may come back (a table:
	 * crypt and integrity tables hold theirs). */
	int secret =
		CFG_SECRET_MEMORY && ((req->flags & DM_SECURE_DATA_FLAG) ||
				      (cmd == DM_CMD_TABLE_STATUS &&
				       (req->flags & DM_STATUS_TABLE_FLAG)));

	if (cmd >= DM_CMD_COUNT || !cmd_enabled[cmd])
		return -DM_ERR_NOCMD;
	r = dm_gate_flags(ctx, cmd, &flags);
	if (r)
		return r;
	if (req->data_len > cap - DM_PAYLOAD_START)
		return -DM_ERR_TOO_BIG;
	while (size < DM_PAYLOAD_START + req->data_len)
		size *= 2;
	if (ctx->fd < 0) {
		ctx->fd = dm_sys_open();
		if (ctx->fd < 0)
			return ctx->fd;
	}
	for (;;) {
		if (size > ctx->io_size && (r = grow(ctx, size)))
			return r;
		/* Each new buffer, before the key is copied in. */
		if (secret && !ctx->io_secret) {
			if (secret_guard(ctx->io, ctx->io_size))
				ctx->unlocked = 1;
			ctx->io_secret = 1;
		}
		/* Rebuilt from req on every try: under DM_SECURE_DATA_FLAG
		 * the kernel has cleared what we sent. */
		r = fill(ctx->io, ctx->io_size, cmd, req, flags);
		if (r)
			return r;
		r = dm_sys_ioctl(ctx->fd, DM_REQUEST(cmd_nr[cmd]), ctx->io);
		if (CFG_DM_FLAG_SECURE_DATA &&
		    (req->flags & DM_SECURE_DATA_FLAG))
			wipe_sent(ctx->io, ctx->io_size, r);
		/* The kernel writes its version back once it has looked at
		 * the request (on success always); an unchanged version on
		 * failure means it never got that far (EACCES, not dm). */
		dm_cmd_version(cmd, sent);
		told = !r || memcmp(ctx->io->version, sent, sizeof(sent));
		/* Under DM_SECURE_DATA_FLAG the kernel clears the whole
		 * buffer, version too, once read: 0.0.0 tells nothing. */
		if (!ctx->io->version[0])
			told = 0;
		if (told)
			memcpy(ctx->kver, ctx->io->version, sizeof(ctx->kver));
		if (r < 0) {
			if (told &&
			    (r == -ENOTTY ||
			     (r == -EINVAL && (ctx->kver[0] != sent[0] ||
					       ctx->kver[1] < sent[1])))) {
				ctx->err_cmd = cmd;
				return -DM_ERR_TOO_NEW;
			}
			return r;
		}
		if (!(ctx->io->flags & DM_BUFFER_FULL_FLAG))
			break;
		if (ctx->io_size >= cap)
			return -DM_ERR_TOO_BIG;
		size = ctx->io_size * 2 > cap ? cap : ctx->io_size * 2;
		ctx->buf_size = size;
	}
	if (!reply_ok(ctx->io, ctx->io_size))
		return -DM_ERR_REPLY;
	return 0;
}

static void put_version(char **p, const uint32_t v[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		*p += fmt_u64(*p, v[i]);
		if (i < 2)
			*(*p)++ = '.';
	}
}

/* The errors device-mapper requests actually meet, in glibc's words, for
 * builds that leave out the full strerror table (about 2 KiB). */
/* clang-format off */
static const uint8_t short_errnos[] = {
	EPERM, ENOENT, EIO, ENXIO, E2BIG, ENOMEM, EACCES, EBUSY, EEXIST,
	ENODEV, EINVAL, ENOSPC, ENOTTY, EROFS, ERANGE, ENAMETOOLONG, ENOSYS,
	ENOTBLK,
};
/* clang-format on */
static const char short_errtext[] =
	"Operation not permitted\0No such file or directory\0"
	"Input/output error\0No such device or address\0"
	"Argument list too long\0Cannot allocate memory\0Permission denied\0"
	"Device or resource busy\0File exists\0No such device\0"
	"Invalid argument\0No space left on device\0"
	"Inappropriate ioctl for device\0Read-only file system\0"
	"Numerical result out of range\0File name too long\0"
	"Function not implemented\0Block device required";

static const char *errno_text(int e, char *buf)
{
	const char *s = short_errtext;
	size_t i;

	if (CFG_FULL_STRERROR)
		return strerror(e);
	for (i = 0; i < sizeof(short_errnos); i++, s += strlen(s) + 1)
		if (short_errnos[i] == e)
			return s;
	memcpy(buf, "error ", 6);
	fmt_u64(buf + 6, (uint64_t)e);
	return buf;
}

const char *dm_strerror(const struct dm_ctx *ctx, int err, char *buf,
			size_t len)
{
	uint32_t need[3] = {DM_VERSION_MAJOR, 0, 0};
	const char *what, *prefix = "DM_";
	char *p = buf, *end = buf + len - 1;

	switch (-err) {
	case DM_ERR_TOO_NEW:
		dm_cmd_version(ctx->err_cmd, need);
		what = dm_cmd_name(ctx->err_cmd);
		break;
	case DM_ERR_FLAG_TOO_NEW:
		what = ctx->err_flag;
		need[1] = ctx->err_flag_minor;
		prefix = "";
		break;
	case DM_ERR_REPLY:
		return "malformed reply from the kernel";
	case DM_ERR_NOCMD:
		return "request not built into this dmboot";
	case DM_ERR_TOO_BIG:
		return "reply larger than the buffer limit (BUFFER_MAX_MB)";
	default:
		return errno_text(-err, buf);
	}
	/* "DM_X needs 4.n.n, kernel has 4.m.m": fits any 80-byte buffer. */
	if (len < 80)
		return "kernel too old";
	p = str_put(str_put(str_put(p, end, prefix), end, what), end,
		    " needs ");
	put_version(&p, need);
	p = str_put(p, end, ", kernel has ");
	put_version(&p, ctx->kver);
	*p = 0;
	return buf;
}

int dm_call_walk(struct dm_ctx *ctx, enum dm_cmd cmd, const struct dm_req *req,
		 struct dm_walk *w)
{
	int r = dm_call(ctx, cmd, req);

	return r ? r : dm_walk_start(ctx->io, w);
}

int dm_walk_start(const struct dm_ioctl *io, struct dm_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->left = io->target_count;
	if (io->data_size == DM_MIN_DATA_SIZE)
		return 0; /* the kernel returned nothing (a table without targets) */
	if (io->data_start < DM_MIN_DATA_SIZE || io->data_start > io->data_size)
		return -DM_ERR_REPLY;
	w->base = (const char *)io + io->data_start;
	w->len = io->data_size - io->data_start;
	return 0;
}

/* The string at off must end before limit (itself within the payload). */
static const char *str_at(const struct dm_walk *w, size_t off, size_t limit)
{
	if (off >= limit || limit > w->len ||
	    !mem_chr(w->base + off, 0, limit - off))
		return NULL;
	return w->base + off;
}

static uint32_t rd32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Chains whose next offset is relative to the current item. */
static int chain_next(struct dm_walk *w, size_t item_min, uint32_t next)
{
	if (!next) {
		w->done = 1;
		return 0;
	}
	if (next < item_min || next > w->len - w->off)
		return -DM_ERR_REPLY;
	w->off += next;
	return 0;
}

/* One entry of a chain whose next offset counts from the entry: hdr bytes
 * with the u32 next at next_at, then a NUL-terminated name. 1 with *at
 * and *name set, 0 at the end, -DM_ERR_REPLY when malformed. */
static int walk_entry(struct dm_walk *w, size_t hdr, size_t next_at, size_t *at,
		      const char **name)
{
	uint32_t next;
	size_t limit;

	if (w->done)
		return 0;
	if (w->len - w->off < hdr)
		return -DM_ERR_REPLY;
	*at = w->off;
	next = rd32(w->base + w->off + next_at);
	limit = next && next <= w->len - w->off ? w->off + next : w->len;
	*name = str_at(w, w->off + hdr, limit);
	if (!*name || chain_next(w, hdr + strlen(*name) + 1, next))
		return -DM_ERR_REPLY;
	return 1;
}

int dm_walk_names(struct dm_walk *w, struct dm_name *out)
{
	size_t at;
	int r;

	/* dev 0 in the first entry: no devices */
	if (!w->done && w->off == 0 &&
	    (w->len < sizeof(uint64_t) || !rd64(w->base)))
		w->done = 1;
	r = walk_entry(w, offsetof(struct dm_name_list, name),
		       offsetof(struct dm_name_list, next), &at, &out->name);
	if (r > 0)
		out->dev = rd64(w->base + at);
	return r;
}

int dm_walk_versions(struct dm_walk *w, struct dm_version_item *out)
{
	size_t at;
	int r;

	if (w->len == 0)
		w->done = 1;
	r = walk_entry(w, offsetof(struct dm_target_versions, name),
		       offsetof(struct dm_target_versions, next), &at,
		       &out->name);
	if (r > 0)
		memcpy(out->version,
		       w->base + at +
			       offsetof(struct dm_target_versions, version),
		       sizeof(out->version));
	return r;
}

int dm_walk_targets(struct dm_walk *w, struct dm_target *out)
{
	const size_t hdr = sizeof(struct dm_target_spec);
	const char *spec;
	uint32_t next;

	if (!w->left)
		return 0;
	if (w->off > w->len || w->len - w->off < hdr)
		return -DM_ERR_REPLY;
	spec = w->base + w->off;
	out->start = rd64(spec);
	out->length = rd64(spec + 8);
	out->type = spec + offsetof(struct dm_target_spec, target_type);
	if (!mem_chr(out->type, 0, DM_MAX_TYPE_NAME))
		return -DM_ERR_REPLY;
	out->params = str_at(w, w->off + hdr, w->len);
	if (!out->params)
		return -DM_ERR_REPLY;
	next = rd32(spec + offsetof(struct dm_target_spec, next));
	if (--w->left) {
		/* Output chains count from data_start and must move on. */
		if (next < w->off + hdr + strlen(out->params) + 1 ||
		    next > w->len)
			return -DM_ERR_REPLY;
		w->off = next;
	}
	return 1;
}

int dm_reply_deps(const struct dm_ioctl *io, const uint64_t **devs,
		  uint32_t *count)
{
	struct dm_walk w;
	uint32_t n;

	if (dm_walk_start(io, &w))
		return -DM_ERR_REPLY;
	if (!w.base) { /* no table: the kernel returns nothing */
		*devs = NULL;
		*count = 0;
		return 0;
	}
	if (w.len < sizeof(struct dm_target_deps))
		return -DM_ERR_REPLY;
	n = rd32(w.base);
	if (n > (w.len - sizeof(struct dm_target_deps)) / sizeof(uint64_t))
		return -DM_ERR_REPLY;
	if ((uintptr_t)w.base % sizeof(uint64_t))
		return -DM_ERR_REPLY;
	*devs = (const uint64_t *)(const void *)(w.base + 8);
	*count = n;
	return 0;
}

int dm_reply_text(const struct dm_ioctl *io, const char **text)
{
	struct dm_walk w;

	*text = NULL;
	if (!(io->flags & DM_DATA_OUT_FLAG))
		return 0;
	if (dm_walk_start(io, &w) || !w.len || !mem_chr(w.base, 0, w.len))
		return -DM_ERR_REPLY;
	*text = w.base;
	return 0;
}
