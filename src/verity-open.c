/* SPDX-License-Identifier: MIT */
/* veritysetup open as a function: the same table, the same device UUID,
 * the same option gates; the root hash is checked against the hash tree
 * before the device exists. */
#include "verity-open.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"
#include "config.h"
#include "keyring.h"
#include "loop.h"
#include "ops.h"
#include "rawsys.h"
#include "table.h"
#include "util.h"
#include "verity-tree.h"

#define VERITY_DEF_0 "\1"
#define VERITY_DEF_1 "\2"
#define VERITY_DEF(id, s, l, a) VERITY_DEF_##a s l "\0"
const char verity_field_defs[] = VERITY_OPTIONS(VERITY_DEF);
#undef VERITY_DEF

#define FEC_ROOTS_DEFAULT 2
#define FEC_ROOTS_MIN 2
#define FEC_ROOTS_MAX 24
#define SIG_MAX (64 * 1024)
#define DEFAULT_BLOCK 4096

/* The field behind each VF_ flag bit. */
static const uint8_t flag_field[] = {
	VO_IGNORE_CORRUPTION, VO_RESTART,  VO_PANIC,	  VO_IGNORE_ZERO,
	VO_AT_MOST_ONCE,      VO_TASKLETS, VO_FEC_DEVICE, VO_SIGNATURE,
};

const char *verity_field_name(int f)
{
	const char *e = verity_field_defs;

	if (f <= VO_NONE || f >= VO_DATA)
		return "";
	while (--f > VO_NONE)
		e += 2 + strlen(e + 2) + 1;
	return e + 2;
}

void verity_open_init(struct verity_open *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->hash_name, "sha256", 7);
	o->data_block_size = o->hash_block_size = DEFAULT_BLOCK;
	o->format = 1;
	o->fec_roots = FEC_ROOTS_DEFAULT;
}

static int refuse(struct act_err *e, int f, const char *what, const char *why)
{
	e->field = f;
	e->what = what;
	e->why = why;
	return -EINVAL;
}

static int failed(struct act_err *e, int f, const char *what, int err)
{
	e->field = f;
	e->what = what;
	e->why = NULL;
	return err;
}

static const char not_built[] = "not built into this dmboot";

#define BIT(f) ((uint64_t)1 << (f))
_Static_assert(VO_RESTART - VO_IGNORE_CORRUPTION == 1 &&
		       VO_PANIC - VO_IGNORE_CORRUPTION == 2 &&
		       VO_IGNORE_ZERO - VO_IGNORE_CORRUPTION == 3 &&
		       VO_AT_MOST_ONCE - VO_IGNORE_CORRUPTION == 4 &&
		       VO_TASKLETS - VO_IGNORE_CORRUPTION == 5 &&
		       VF_TASKLETS == 1u << 5,
	       "the flag options are the VF_ bits in order");

/* Where the inputs kept by reference go (0: elsewhere). */
#define AT(m) (uint8_t) offsetof(struct verity_open, m)
static const uint8_t text_at[VO_COUNT] = {
	[VO_ROOT_HASH_FILE] = AT(root_hash_file),
	[VO_SIGNATURE] = AT(signature),
	[VO_FEC_DEVICE] = AT(fec),
	[VO_DATA] = AT(data),
	[VO_NAME] = AT(name),
	[VO_HASH_DEVICE] = AT(hash),
	[VO_ROOT_HASH] = AT(root_hash),
};

int verity_open_set(struct verity_open *o, int f, const char *val,
		    struct act_err *e)
{
	/* What a build cannot use is taken unread, as veritysetup ignores
	 * --no-superblock's parameters when it reads a superblock. */
	const uint64_t nosb = CFG_VERITY_NO_SUPERBLOCK ? ~0ull : 0,
		       fec = CFG_VERITY_FEC ? ~0ull : 0,
		       numbers =
			       BIT(VO_HASH_OFFSET) |
			       (nosb & (BIT(VO_DATA_BLOCK_SIZE) |
					BIT(VO_HASH_BLOCK_SIZE) |
					BIT(VO_DATA_BLOCKS) | BIT(VO_FORMAT))) |
			       (fec & (BIT(VO_FEC_OFFSET) | BIT(VO_FEC_ROOTS)));
	uint64_t v = 0;
	int r;

	if (f <= VO_NONE || f >= VO_COUNT)
		return refuse(e, VO_NONE, NULL, NULL); /* a caller's bug */
	if ((!CFG_VERITY_NO_SUPERBLOCK && f == VO_NO_SUPERBLOCK) ||
	    (!CFG_VERITY_FEC && f == VO_FEC_DEVICE) ||
	    (!CFG_VERITY_SIGNATURE && f == VO_SIGNATURE))
		return refuse(e, f, NULL, not_built);
	o->given |= BIT(f);
	if (f >= VO_IGNORE_CORRUPTION && f <= VO_TASKLETS) {
		o->flags |= 1u << (f - VO_IGNORE_CORRUPTION);
		return 0;
	}
	if (f == VO_NO_SUPERBLOCK)
		o->no_superblock = 1;
	if (f == VO_NO_ROOT_CHECK)
		o->no_root_check = 1;
	if (f == VO_NO_SUPERBLOCK || f == VO_NO_ROOT_CHECK || f == VO_VERBOSE ||
	    f == VO_DEBUG)
		return 0;
	if (!val)
		return refuse(e, f, NULL, "needs a value");
	if (text_at[f]) {
		if (f == VO_FEC_DEVICE)
			o->flags |= VF_FEC;
		if (f == VO_SIGNATURE)
			o->flags |= VF_SIGNATURE;
		memcpy((char *)o + text_at[f], &val, sizeof(val));
		return 0;
	}
	if ((numbers & BIT(f)) && parse_u64(val, strlen(val), &v))
		return refuse(e, f, NULL, "not a number");
	if (f == VO_HASH_OFFSET)
		o->hash_offset = v;
	if (CFG_VERITY_FEC && f == VO_FEC_OFFSET)
		o->fec_offset = v;
	if (CFG_VERITY_FEC && f == VO_FEC_ROOTS) {
		if (v < FEC_ROOTS_MIN || v > FEC_ROOTS_MAX)
			return refuse(e, f, NULL, "must be 2 to 24");
		o->fec_roots = (uint32_t)v;
	}
	if (!CFG_VERITY_NO_SUPERBLOCK)
		return 0;
	if (f == VO_DATA_BLOCK_SIZE || f == VO_HASH_BLOCK_SIZE) {
		if (!verity_block_size_ok(v))
			return refuse(e, f, NULL, "unsupported block size");
		*(f == VO_DATA_BLOCK_SIZE ? &o->data_block_size
					  : &o->hash_block_size) = (uint32_t)v;
	} else if (f == VO_DATA_BLOCKS) {
		o->data_blocks = v;
	} else if (f == VO_FORMAT) {
		if (v > 1)
			return refuse(e, f, NULL, "must be 0 or 1");
		o->format = (uint32_t)v;
	} else if (f == VO_SALT) {
		o->salt_size = 0;
		if (strcmp(val, "-")) {
			r = verity_hex_decode(val, strlen(val), o->salt,
					      sizeof(o->salt));
			if (r < 0)
				return refuse(e, f, NULL,
					      "not hex, or longer than 256 "
					      "bytes");
			o->salt_size = (uint16_t)r;
		}
	} else if (f == VO_HASH) {
		if (strlen(val) >= sizeof(o->hash_name) ||
		    !verity_digest_size(val))
			return refuse(e, f, val, "unknown hash algorithm");
		memcpy(o->hash_name, val, strlen(val) + 1);
	} else if (f == VO_UUID && verity_uuid_parse(val, o->uuid)) {
		return refuse(e, f, NULL, "not a UUID");
	}
	return 0;
}

static int read_small_file(const char *path, uint8_t *buf, size_t max)
{
	int fd = blkdev_open(path);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	while (len < max && (n = read(fd, buf + len, max - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return (int)n;
		}
		len += (size_t)n;
	}
	close(fd);
	return len == max ? -EFBIG : (int)len;
}

/* The root digest: the argument, or the root hash file's text. */
static int get_root(const struct verity_open *o, struct verity_params *p,
		    struct act_err *e)
{
	uint8_t text[2 * VERITY_MAX_DIGEST + 8];
	const char *what = o->root_hash, *hex = o->root_hash;
	int f = VO_ROOT_HASH, r;
	size_t len;

	if (o->root_hash_file) {
		what = o->root_hash_file;
		f = VO_ROOT_HASH_FILE;
		r = read_small_file(what, text, sizeof(text));
		if (r < 0)
			return failed(e, f, what, r);
		len = (size_t)r;
		while (len && is_space(text[len - 1]))
			len--;
		hex = (const char *)text;
	} else if (!hex) {
		return refuse(e, f, NULL, "missing");
	} else {
		len = strlen(hex);
	}
	r = verity_hex_decode(hex, len, p->root, sizeof(p->root));
	if (r < 0 || (uint32_t)r != p->digest_size)
		return refuse(e, f, what,
			      "root hash is not a hex digest of the hash's "
			      "size");
	return 0;
}

int verity_open_params(const struct verity_open *o, int data_fd, int hash_fd,
		       struct verity_params *p, uint8_t uuid[16],
		       int *have_uuid, struct act_err *e)
{
	uint64_t v;
	int r;

	memset(p, 0, sizeof(*p));
	*have_uuid = 0;
	p->hash_offset = o->hash_offset;
	if (!CFG_VERITY_NO_SUPERBLOCK ||
	    (CFG_VERITY_SUPERBLOCK && !o->no_superblock)) {
		uint8_t buf[VERITY_SB_SIZE];
		struct verity_sb sb;

		if (p->hash_offset % 512)
			return refuse(e, VO_HASH_OFFSET, NULL,
				      "not a multiple of 512");
		r = blkdev_read(hash_fd, buf, sizeof(buf), p->hash_offset);
		if (r)
			return failed(e, VO_HASH_DEVICE, o->hash, r);
		r = verity_sb_parse(buf, sizeof(buf), &sb);
		if (r)
			return refuse(e, VO_HASH_DEVICE, o->hash,
				      verity_sb_strerror(r));
		verity_params_from_sb(p, &sb);
		memcpy(uuid, sb.uuid, 16);
		*have_uuid = 1;
	} else {
		p->hash_type = o->format;
		memcpy(p->hash_name, o->hash_name, sizeof(p->hash_name));
		p->data_block_size = o->data_block_size;
		p->hash_block_size = o->hash_block_size;
		if (verity_given(o, VO_DATA_BLOCKS)) {
			p->data_blocks = o->data_blocks;
		} else {
			if ((r = blkdev_size(data_fd, &v)))
				return failed(e, VO_DATA, o->data, r);
			p->data_blocks = v / p->data_block_size;
		}
		if (!p->data_blocks ||
		    p->data_blocks > UINT64_MAX / p->data_block_size)
			return refuse(e, VO_DATA, o->data,
				      "bad number of data blocks");
		p->salt_size = o->salt_size;
		memcpy(p->salt, o->salt, o->salt_size);
		if (verity_given(o, VO_UUID)) {
			memcpy(uuid, o->uuid, 16);
			*have_uuid = 1;
		}
	}
	p->digest_size = verity_digest_size(p->hash_name);
	if (!p->digest_size) {
		/* A superblock's name: e's own copy outlives p. */
		memcpy(e->text, p->hash_name, sizeof(p->hash_name));
		return refuse(e, VO_HASH, e->text, "unknown hash algorithm");
	}
	return get_root(o, p, e);
}

int verity_root_check_failed(int r, const char *what, struct act_err *e)
{
	if (r == -VT_ROOT_MISMATCH || r == -VT_HASH_SIZE) {
		refuse(e, r == -VT_ROOT_MISMATCH ? VO_ROOT_HASH : VO_NONE, what,
		       r == -VT_ROOT_MISMATCH
			       ? "root hash does not match the hash tree"
			       : "the kernel's digest size differs");
		return r;
	}
	if (r == -EAFNOSUPPORT || r == -ENOENT)
		return refuse(e, VO_NONE, "root hash check",
			      r == -ENOENT ? (CFG_VERITY_HASH_BUILTIN
						      ? "dmboot lacks this hash"
						      : "the kernel lacks this "
							"hash (AF_ALG)")
					   : "no AF_ALG in this kernel "
					     "(--no-root-hash-check skips the "
					     "check)");
	return failed(e, VO_NONE, "root hash check", r);
}

/* "needs dm-verity 1.7.0, kernel has 1.3.0" for the first option in
 * flags that the kernel's dm-verity lacks. */
static int gate(struct dm_ctx *ctx, unsigned flags, struct act_err *e)
{
	uint32_t v[3];
	unsigned need, f, i;
	char *m = e->text;
	int r;

	if (!flags)
		return 0;
	r = dm_target_version(ctx, "verity", v);
	if (r < 0)
		return failed(e, VO_NONE, "verity target version", r);
	if (r > 0 || !(f = verity_gate(flags, v, &need)))
		return 0;
	memcpy(m, "needs dm-verity 1.", 18);
	m += 18;
	m += fmt_u64(m, need);
	memcpy(m, ".0, kernel has ", 15);
	m += 15;
	for (i = 0; i < 3; i++) {
		m += fmt_u64(m, v[i]);
		*m++ = i < 2 ? '.' : 0;
	}
	for (i = 0; f >> (i + 1); i++)
		;
	return refuse(e, flag_field[i], NULL, e->text);
}

struct devs {
	int data_fd, hash_fd;
	int loop_fd[3]; /* data, hash, FEC: files' loop devices, or -1 */
};

static void devs_close(struct devs *d)
{
	int i;

	if (d->data_fd >= 0)
		close(d->data_fd);
	if (d->hash_fd >= 0)
		close(d->hash_fd);
	/* After the resume the table holds them; after a failure nothing
	 * does, and autoclear detaches them now. */
	for (i = 0; CFG_LOOP_FILES && i < 3; i++)
		if (d->loop_fd[i] >= 0)
			close(d->loop_fd[i]);
}

/* The FEC device's file gets a loop device of its own, as in veritysetup,
 * and a FEC area in the hash file is still on the hash device. */
static int same_file(const char *a, const char *b)
{
	struct stat x, y;

	return CFG_LOOP_FILES && !sys_stat(a, &x) && !sys_stat(b, &y) &&
	       S_ISREG(x.st_mode) && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

static int setup_fec(const struct verity_open *o, struct devs *d,
		     struct verity_params *p, int dry, struct act_err *e)
{
	uint64_t hash_bytes;
	int r;

	if (p->data_block_size != p->hash_block_size)
		return refuse(e, VO_FEC_DEVICE, NULL,
			      "FEC needs equal data and hash block sizes");
	p->fec_roots = o->fec_roots;
	if ((r = loop_devno(o->fec, 0, dry, 0, &p->fec_dev[0], &p->fec_dev[1],
			    &d->loop_fd[2])))
		return failed(e, VO_FEC_DEVICE, o->fec, r);
	if ((r = blkdev_size(d->hash_fd, &hash_bytes)))
		return failed(e, VO_HASH_DEVICE, o->hash, r);
	if (verity_fec_area(p, hash_bytes,
			    (p->fec_dev[0] && /* 0:0: a dry run's file */
			     p->fec_dev[0] == p->hash_dev[0] &&
			     p->fec_dev[1] == p->hash_dev[1]) ||
				    same_file(o->fec, o->hash),
			    o->fec_offset))
		return refuse(e, VO_FEC_OFFSET, NULL,
			      "does not fit the hash device");
	return 0;
}

static void uuid_text(const uint8_t u[16], char *out)
{
	static const uint8_t groups[] = {4, 2, 2, 2, 6};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		verity_hex_encode(u, groups[i], out);
		u += groups[i];
		out += 2 * groups[i];
		*out++ = i < 4 ? '-' : 0;
	}
}

/* The signature as a "user" key in the thread keyring, described as
 * cryptsetup describes it so that tables compare equal; a dry run names
 * the key and adds none (*key stays -1). */
static int add_signature(const struct verity_open *o, const uint8_t *uuid,
			 int dry, char *desc, int32_t *key, struct act_err *e)
{
	uint8_t *sig = mem_alloc(SIG_MAX);
	char *q = desc;
	int len;

	if (!sig)
		return failed(e, VO_SIGNATURE, o->signature, -ENOMEM);
	len = read_small_file(o->signature, sig, SIG_MAX);
	if (len <= 0) {
		mem_free(sig, SIG_MAX);
		return failed(e, VO_SIGNATURE, o->signature,
			      len ? len : -ENODATA);
	}
	memcpy(q, "cryptsetup:", 11);
	q += 11;
	if (uuid) {
		uuid_text(uuid, q);
		q += 36;
		*q++ = '-';
	}
	memcpy(q, o->name, strlen(o->name) + 1);
	if (!dry)
		*key = keyring_add("user", desc, sig, (size_t)len,
				   KEY_SPEC_THREAD_KEYRING);
	mem_free(sig, SIG_MAX);
	if (!dry && *key < 0)
		return failed(e, VO_SIGNATURE, "root hash signature key", *key);
	return 0;
}

/* Everything after the devices are open: o's parameters, loop devices,
 * gates, the root check, the key, the table and the device. */
static int activate(struct dm_ctx *ctx, const struct verity_open *o,
		    struct devs *d, struct act_err *e)
{
	struct verity_params p;
	struct table t = {0};
	char params[1024], uuid[DM_UUID_LEN], desc[DM_NAME_LEN + 64];
	uint8_t sb_uuid[16];
	int32_t key = -1;
	int r, have_uuid, dry = CFG_DRY_RUN && ctx->dry_run;

	if ((r = verity_open_params(o, d->data_fd, d->hash_fd, &p, sb_uuid,
				    &have_uuid, e)))
		return r;
	if ((r = loop_devno(o->data, 0, dry, p.data_block_size, &p.data_dev[0],
			    &p.data_dev[1], &d->loop_fd[0])))
		return failed(e, VO_DATA, o->data, r);
	/* veritysetup opens DATA and HASH as one device when a superblock
	 * is read and both are the same path: one loop device then. */
	if (CFG_LOOP_FILES && d->loop_fd[0] >= 0 && p.superblock &&
	    !strcmp(o->data, o->hash))
		memcpy(p.hash_dev, p.data_dev, sizeof(p.hash_dev));
	else if ((r = loop_devno(o->hash, 0, dry, p.hash_block_size,
				 &p.hash_dev[0], &p.hash_dev[1],
				 &d->loop_fd[1])))
		return failed(e, VO_HASH_DEVICE, o->hash, r);
	p.flags = o->flags;
	if (CFG_VERITY_FEC && o->fec && (r = setup_fec(o, d, &p, dry, e)))
		return r;
	if ((r = gate(ctx, p.flags, e)))
		return r;
	if (CFG_VERITY_ROOTHASH_CHECK && !o->no_root_check &&
	    (r = verity_check_root(d->data_fd, d->hash_fd, &p)))
		return verity_root_check_failed(r, o->name, e);

	verity_dm_uuid(have_uuid ? sb_uuid : NULL, o->name, uuid);
	if (CFG_VERITY_SIGNATURE && (p.flags & VF_SIGNATURE)) {
		if ((r = add_signature(o, have_uuid ? sb_uuid : NULL, dry, desc,
				       &key, e)))
			return r;
		p.sig_key_desc = desc;
	}
	r = verity_table_text(&p, params, sizeof(params));
	if (r >= 0)
		r = table_add(&t, 0, verity_sectors(&p), "verity", 6, params,
			      (size_t)r);
	if (!r)
		r = dm_create(ctx, o->name, uuid, 0, DM_READONLY_FLAG, &t);
	table_free(&t);
	/* The kernel has read the signature during the load, or never will. */
	if (key >= 0)
		keyring_unlink(key, KEY_SPEC_THREAD_KEYRING);
	if (r && key >= 0 &&
	    (r == -EKEYREJECTED || r == -ENOKEY || r == -EBADMSG ||
	     r == -EKEYEXPIRED || r == -ENOPKG))
		return failed(e, VO_SIGNATURE,
			      "kernel rejected the root hash signature", r);
	return r ? failed(e, VO_NAME, o->name, r) : 0;
}

int verity_activate(struct dm_ctx *ctx, const struct verity_open *o,
		    struct act_err *e)
{
	struct devs d = {.data_fd = -1, .hash_fd = -1};
	int r;

	if (CFG_LOOP_FILES)
		memset(d.loop_fd, -1, sizeof(d.loop_fd));
	if (!o->data || !o->name || !o->hash)
		return refuse(e,
			      !o->data	 ? VO_DATA
			      : !o->name ? VO_NAME
					 : VO_HASH_DEVICE,
			      NULL, "missing");
	if ((r = dm_check_name(o->name)))
		return failed(e, VO_NAME, o->name, r);
	if ((o->flags & VF_RESTART_ON_CORRUPTION) &&
	    (o->flags & (VF_PANIC_ON_CORRUPTION | VF_IGNORE_CORRUPTION)))
		return refuse(e, VO_RESTART, NULL,
			      "excludes --ignore-corruption and "
			      "--panic-on-corruption");
	r = blkdev_open(o->data);
	if (r < 0)
		return failed(e, VO_DATA, o->data, r);
	d.data_fd = r;
	r = blkdev_open(o->hash);
	if (r < 0) {
		failed(e, VO_HASH_DEVICE, o->hash, r);
	} else {
		d.hash_fd = r;
		r = activate(ctx, o, &d, e);
	}
	devs_close(&d);
	return r;
}
