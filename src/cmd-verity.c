/* CMD(verity, "verity", VERITY, 1, 5, verity_opts, "open DATA NAME HASH ROOTHASH | close NAME | status NAME | verify DATA HASH ROOTHASH [veritysetup options]") */
/* CMD(veritysetup, "veritysetup", VERITYSETUP, 1, 5, verity_opts, "open|close|status|verify ... as veritysetup") */
/* veritysetup's open, close, status and verify: the same table, the same
 * device UUID, the same options; the root hash is checked against the
 * hash tree before the device exists. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"
#include "cli.h"
#include "devname.h"
#include "keyring.h"
#include "loop.h"
#include "ops.h"
#include "out.h"
#include "rawsys.h"
#include "util.h"
#include "verity-tree.h"
#include "verity.h"

#define VERITY_OPTIONS(X)                                                      \
	X(HASH_OFFSET, "-", "hash-offset", 1)                                  \
	X(DATA_BLOCK_SIZE, "-", "data-block-size", 1)                          \
	X(HASH_BLOCK_SIZE, "-", "hash-block-size", 1)                          \
	X(DATA_BLOCKS, "-", "data-blocks", 1)                                  \
	X(FORMAT, "-", "format", 1)                                            \
	X(SALT, "s", "salt", 1)                                                \
	X(HASH, "h", "hash", 1)                                                \
	X(NO_SUPERBLOCK, "-", "no-superblock", 0)                              \
	X(UUID, "-", "uuid", 1)                                                \
	X(ROOT_HASH_FILE, "-", "root-hash-file", 1)                            \
	X(SIGNATURE, "-", "root-hash-signature", 1)                            \
	X(IGNORE_CORRUPTION, "-", "ignore-corruption", 0)                      \
	X(RESTART, "-", "restart-on-corruption", 0)                            \
	X(PANIC, "-", "panic-on-corruption", 0)                                \
	X(IGNORE_ZERO, "-", "ignore-zero-blocks", 0)                           \
	X(AT_MOST_ONCE, "-", "check-at-most-once", 0)                          \
	X(TASKLETS, "-", "use-tasklets", 0)                                    \
	X(FEC_DEVICE, "-", "fec-device", 1)                                    \
	X(FEC_OFFSET, "-", "fec-offset", 1)                                    \
	X(FEC_ROOTS, "-", "fec-roots", 1)                                      \
	X(NO_ROOT_CHECK, "-", "no-root-hash-check", 0)                         \
	X(VERBOSE, "v", "verbose", 0)                                          \
	X(DEBUG, "-", "debug", 0)

#define VOPT_ENUM(id, s, l, a) VO_##id,
enum { VERITY_OPTIONS(VOPT_ENUM) VO_COUNT };
#undef VOPT_ENUM
_Static_assert(VO_COUNT <= CLI_MAX_OPTS, "too many verity options");
CLI_OPTSET(verity_opts, VERITY_OPTIONS);

/* veritysetup's exit codes (cryptsetup's translate_errno). */
enum {
	EXIT_INVALID = 1,
	EXIT_PERM = 2,
	EXIT_NOMEM = 3,
	EXIT_DEVICE = 4,
	EXIT_BUSY = 5,
};

#define FEC_ROOTS_DEFAULT 2
#define FEC_ROOTS_MIN 2
#define FEC_ROOTS_MAX 24
#define SIG_MAX (64 * 1024)
#define DEFAULT_BLOCK 4096

static int exit_code(int err)
{
	switch (-err) {
	case EEXIST:
	case EBUSY:
		return EXIT_BUSY;
	case ENOTBLK:
	case ENODEV:
	case ENXIO:
		return EXIT_DEVICE;
	case ENOMEM:
		return EXIT_NOMEM;
	case EPERM:
	case EACCES:
		return EXIT_PERM;
	}
	return EXIT_INVALID;
}

static int fail(struct cli *c, const char *what, int err)
{
	cli_fail(c, what, err);
	return exit_code(err);
}

static int fail_msg(struct cli *c, const char *what, const char *why)
{
	err_line(c->cmd, what, why);
	return EXIT_INVALID;
}

static int opt_u64(struct cli *c, int o, uint64_t *v)
{
	const char *s = c->arg[o];

	if (!opt(c, o))
		return 0;
	if (parse_u64(s, strlen(s), v)) {
		err_line(c->cmd, cli_opt_name(&verity_opts, o), "not a number");
		return -1;
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

struct devs {
	const char *data, *hash, *fec;
	int data_fd, hash_fd;
	int loop_fd[3]; /* data, hash, FEC: files' loop devices, or -1 */
	uint8_t uuid[16];
	int have_uuid;
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

static int open_dev(struct cli *c, const char *path, int *fd)
{
	int r = blkdev_open(path);

	if (r < 0)
		return fail(c, path, r);
	*fd = r;
	return 0;
}

/* The root digest: the argument, or --root-hash-file's text. */
static int get_root(struct cli *c, const char *arg, struct verity_params *p)
{
	uint8_t text[2 * VERITY_MAX_DIGEST + 8];
	const char *what = arg;
	size_t len;
	int r;

	if (opt(c, VO_ROOT_HASH_FILE)) {
		what = c->arg[VO_ROOT_HASH_FILE];
		r = read_small_file(what, text, sizeof(text));
		if (r < 0)
			return fail(c, what, r);
		len = (size_t)r;
		while (len && is_space(text[len - 1]))
			len--;
		arg = (const char *)text;
	} else {
		len = strlen(arg);
	}
	r = verity_hex_decode(arg, len, p->root, sizeof(p->root));
	if (r < 0 || (uint32_t)r != p->digest_size)
		return fail_msg(
			c, what,
			"root hash is not a hex digest of the hash's size");
	return 0;
}

/* Everything the table needs but the devices: from the superblock at
 * --hash-offset, or from the options with --no-superblock. */
static int get_params(struct cli *c, struct devs *d, struct verity_params *p)
{
	uint64_t v;
	int r;

	memset(p, 0, sizeof(*p));
	if (opt_u64(c, VO_HASH_OFFSET, &p->hash_offset))
		return EXIT_INVALID;
	if (!CFG_VERITY_NO_SUPERBLOCK && opt(c, VO_NO_SUPERBLOCK))
		return fail_msg(c, "--no-superblock",
				"not built into this dmboot");
	if (!CFG_VERITY_NO_SUPERBLOCK ||
	    (CFG_VERITY_SUPERBLOCK && !opt(c, VO_NO_SUPERBLOCK))) {
		uint8_t buf[VERITY_SB_SIZE];
		struct verity_sb sb;

		if (p->hash_offset % 512)
			return fail_msg(c, "--hash-offset",
					"not a multiple of 512");
		r = blkdev_read(d->hash_fd, buf, sizeof(buf), p->hash_offset);
		if (r)
			return fail(c, d->hash, r);
		r = verity_sb_parse(buf, sizeof(buf), &sb);
		if (r)
			return fail_msg(c, d->hash, verity_sb_strerror(r));
		verity_params_from_sb(p, &sb);
		memcpy(d->uuid, sb.uuid, sizeof(d->uuid));
		d->have_uuid = 1;
	} else {
		const char *hash = opt(c, VO_HASH) ? c->arg[VO_HASH] : "sha256";
		const char *salt = c->arg[VO_SALT];

		v = 1;
		if (opt_u64(c, VO_FORMAT, &v))
			return EXIT_INVALID;
		if (v > 1)
			return fail_msg(c, "--format", "must be 0 or 1");
		p->hash_type = (uint32_t)v;
		if (strlen(hash) >= sizeof(p->hash_name))
			return fail_msg(c, hash, "unknown hash algorithm");
		memcpy(p->hash_name, hash, strlen(hash));
		v = DEFAULT_BLOCK;
		if (opt_u64(c, VO_DATA_BLOCK_SIZE, &v))
			return EXIT_INVALID;
		if (!verity_block_size_ok(v))
			return fail_msg(c, "--data-block-size",
					"unsupported block size");
		p->data_block_size = (uint32_t)v;
		v = DEFAULT_BLOCK;
		if (opt_u64(c, VO_HASH_BLOCK_SIZE, &v))
			return EXIT_INVALID;
		if (!verity_block_size_ok(v))
			return fail_msg(c, "--hash-block-size",
					"unsupported block size");
		p->hash_block_size = (uint32_t)v;
		if (opt(c, VO_DATA_BLOCKS)) {
			if (opt_u64(c, VO_DATA_BLOCKS, &p->data_blocks))
				return EXIT_INVALID;
		} else {
			if ((r = blkdev_size(d->data_fd, &v)))
				return fail(c, d->data, r);
			p->data_blocks = v / p->data_block_size;
		}
		if (!p->data_blocks ||
		    p->data_blocks > UINT64_MAX / p->data_block_size)
			return fail_msg(c, d->data,
					"bad number of data blocks");
		if (salt && strcmp(salt, "-")) {
			r = verity_hex_decode(salt, strlen(salt), p->salt,
					      sizeof(p->salt));
			if (r < 0)
				return fail_msg(
					c, "--salt",
					"not hex, or longer than 256 bytes");
			p->salt_size = (uint16_t)r;
		}
		if (opt(c, VO_UUID)) {
			if (verity_uuid_parse(c->arg[VO_UUID], d->uuid))
				return fail_msg(c, "--uuid", "not a UUID");
			d->have_uuid = 1;
		}
	}
	p->digest_size = verity_digest_size(p->hash_name);
	if (!p->digest_size)
		return fail_msg(c, p->hash_name, "unknown hash algorithm");
	return 0;
}

/* The option behind each VF_ flag bit. */
static const uint8_t flag_opt[] = {
	VO_IGNORE_CORRUPTION, VO_RESTART,  VO_PANIC,	  VO_IGNORE_ZERO,
	VO_AT_MOST_ONCE,      VO_TASKLETS, VO_FEC_DEVICE, VO_SIGNATURE,
};

static int gate(struct cli *c, unsigned flags)
{
	uint32_t v[3];
	unsigned need, f, i;
	char msg[80], *m = msg, what[32] = "--";
	int r;

	if (!flags)
		return 0;
	r = dm_target_version(&c->dm, "verity", v);
	if (r < 0)
		return fail(c, "verity target version", r);
	if (r > 0 || !(f = verity_gate(flags, v, &need)))
		return 0;
	/* "needs dm-verity 1.7.0, kernel has 1.3.0" */
	memcpy(m, "needs dm-verity 1.", 18);
	m += 18;
	m += fmt_u64(m, need);
	memcpy(m, ".0, kernel has ", 15);
	m += 15;
	for (need = 0; need < 3; need++) {
		m += fmt_u64(m, v[need]);
		*m++ = need < 2 ? '.' : 0;
	}
	for (i = 0; f >> (i + 1); i++)
		;
	m = (char *)cli_opt_name(&verity_opts, flag_opt[i]);
	memcpy(what + 2, m, strlen(m) + 1); /* the longest is 19 */
	return fail_msg(c, what, msg);
}

static unsigned option_flags(struct cli *c)
{
	unsigned f = 0;
	size_t i;

	for (i = 0; i < sizeof(flag_opt); i++)
		if (opt(c, flag_opt[i]))
			f |= 1u << i;
	return f;
}

static int setup_fec(struct cli *c, struct devs *d, struct verity_params *p)
{
	uint64_t roots = FEC_ROOTS_DEFAULT, off = 0, hash_bytes;
	int r;

	if (!CFG_VERITY_FEC)
		return fail_msg(c, "--fec-device",
				"FEC not built into this dmboot");
	if (opt_u64(c, VO_FEC_ROOTS, &roots) || opt_u64(c, VO_FEC_OFFSET, &off))
		return EXIT_INVALID;
	if (roots < FEC_ROOTS_MIN || roots > FEC_ROOTS_MAX)
		return fail_msg(c, "--fec-roots", "must be 2 to 24");
	if (p->data_block_size != p->hash_block_size)
		return fail_msg(c, "--fec-device",
				"FEC needs equal data and hash block sizes");
	p->fec_roots = (uint32_t)roots;
	if ((r = loop_devno(d->fec, 0, CFG_DRY_RUN && c->dm.dry_run, 0,
			    &p->fec_dev[0], &p->fec_dev[1], &d->loop_fd[2])))
		return fail(c, d->fec, r);
	if ((r = blkdev_size(d->hash_fd, &hash_bytes)))
		return fail(c, d->hash, r);
	if (verity_fec_area(p, hash_bytes,
			    (p->fec_dev[0] && /* 0:0: a dry run's file */
			     p->fec_dev[0] == p->hash_dev[0] &&
			     p->fec_dev[1] == p->hash_dev[1]) ||
				    same_file(d->fec, d->hash),
			    off))
		return fail_msg(c, "--fec-offset",
				"does not fit the hash device");
	return 0;
}

static int root_check_fail(struct cli *c, const char *name, int r)
{
	if (r == -VT_ROOT_MISMATCH)
		return fail_msg(c, name,
				"root hash does not match the hash tree");
	if (r == -VT_HASH_SIZE)
		return fail_msg(c, name, "the kernel's digest size differs");
	if (r == -EAFNOSUPPORT || r == -ENOENT) {
		err_line(c->cmd, "root hash check",
			 r == -ENOENT
				 ? "the kernel lacks this hash (AF_ALG)"
				 : "no AF_ALG in this kernel "
				   "(--no-root-hash-check skips the check)");
		return EXIT_INVALID;
	}
	return fail(c, "root hash check", r);
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

static int verity_open(struct cli *c, struct devs *d)
{
	const char *name = c->argv[2];
	struct verity_params p;
	struct table t = {0};
	char params[1024], uuid[DM_UUID_LEN], desc[DM_NAME_LEN + 64];
	uint8_t *sig = NULL;
	int32_t key = -1;
	int r, sig_len = 0, dry = CFG_DRY_RUN && c->dm.dry_run;

	if ((r = dm_check_name(name)))
		return fail(c, name, r);
	if ((opt(c, VO_RESTART) && opt(c, VO_PANIC)) ||
	    (opt(c, VO_RESTART) && opt(c, VO_IGNORE_CORRUPTION)))
		return cli_usage(
			c, "--restart-on-corruption excludes "
			   "--ignore-corruption and --panic-on-corruption");
	if (open_dev(c, d->data, &d->data_fd) ||
	    open_dev(c, d->hash, &d->hash_fd))
		return EXIT_DEVICE;
	if ((r = get_params(c, d, &p)))
		return r;
	if ((r = loop_devno(d->data, 0, dry, p.data_block_size, &p.data_dev[0],
			    &p.data_dev[1], &d->loop_fd[0])))
		return fail(c, d->data, r);
	/* veritysetup opens DATA and HASH as one device when a superblock
	 * is read and both are the same path: one loop device then. */
	if (CFG_LOOP_FILES && d->loop_fd[0] >= 0 && p.superblock &&
	    !strcmp(d->data, d->hash))
		memcpy(p.hash_dev, p.data_dev, sizeof(p.hash_dev));
	else if ((r = loop_devno(d->hash, 0, dry, p.hash_block_size,
				 &p.hash_dev[0], &p.hash_dev[1],
				 &d->loop_fd[1])))
		return fail(c, d->hash, r);
	if (get_root(c, c->argv[4], &p))
		return EXIT_INVALID;
	p.flags = option_flags(c);
	if (d->fec && (r = setup_fec(c, d, &p)))
		return r;
	if ((p.flags & VF_SIGNATURE) && !CFG_VERITY_SIGNATURE)
		return fail_msg(c, "--root-hash-signature",
				"signatures not built into this dmboot");
	if ((r = gate(c, p.flags)))
		return r;
	if (CFG_VERITY_ROOTHASH_CHECK && !opt(c, VO_NO_ROOT_CHECK) &&
	    (r = verity_check_root(d->data_fd, d->hash_fd, &p)))
		return root_check_fail(c, name, r);

	verity_dm_uuid(d->have_uuid ? d->uuid : NULL, name, uuid);
	if (CFG_VERITY_SIGNATURE && (p.flags & VF_SIGNATURE)) {
		const char *file = c->arg[VO_SIGNATURE];
		char *q = desc;

		sig = mem_alloc(SIG_MAX);
		if (!sig)
			return fail(c, file, -ENOMEM);
		sig_len = read_small_file(file, sig, SIG_MAX);
		if (sig_len <= 0) {
			mem_free(sig, SIG_MAX);
			return fail(c, file, sig_len ? sig_len : -ENODATA);
		}
		/* cryptsetup's description, so that tables compare equal. */
		memcpy(q, "cryptsetup:", 11);
		q += 11;
		if (d->have_uuid) {
			uuid_text(d->uuid, q);
			q += 36;
			*q++ = '-';
		}
		memcpy(q, name, strlen(name) + 1);
		p.sig_key_desc = desc;
		/* A dry run names the key and adds none. */
		if (!dry)
			key = keyring_add("user", desc, sig, (size_t)sig_len,
					  KEY_SPEC_THREAD_KEYRING);
		mem_free(sig, SIG_MAX);
		if (!dry && key < 0)
			return fail(c, "root hash signature key", key);
	}
	r = verity_table_text(&p, params, sizeof(params));
	if (r >= 0)
		r = table_add(&t, 0, verity_sectors(&p), "verity", 6, params,
			      (size_t)r);
	if (!r)
		r = dm_create(&c->dm, name, uuid, 0, DM_READONLY_FLAG, &t);
	table_free(&t);
	/* The kernel has read the signature during the load, or never will. */
	if (key >= 0)
		keyring_unlink(key, KEY_SPEC_THREAD_KEYRING);
	if (r && key >= 0 &&
	    (r == -EKEYREJECTED || r == -ENOKEY || r == -EBADMSG ||
	     r == -EKEYEXPIRED || r == -ENOPKG)) {
		char buf[96];

		err_line(c->cmd, "kernel rejected the root hash signature",
			 dm_strerror(&c->dm, r, buf, sizeof(buf)));
		return EXIT_INVALID;
	}
	return r ? fail(c, name, r) : 0;
}

static void progress(uint64_t done, uint64_t total)
{
	char b[64], *p = b;

	*p++ = '\r';
	p += fmt_u64(p, done);
	*p++ = '/';
	p += fmt_u64(p, total);
	memcpy(p, " blocks verified", 17);
	err_raw(b);
	if (done == total)
		err_raw("\n");
}

static int verity_verify(struct cli *c, struct devs *d)
{
	struct verity_params p;
	struct verity_bad bad;
	int r;

	if (!CFG_VERITY_VERIFY)
		return fail_msg(c, "verify", "not built into this dmboot");
	if (open_dev(c, d->data, &d->data_fd) ||
	    open_dev(c, d->hash, &d->hash_fd))
		return EXIT_DEVICE;
	if ((r = get_params(c, d, &p)) || (r = get_root(c, c->argv[3], &p)))
		return r;
	r = verity_verify_all(d->data_fd, d->hash_fd, &p, &bad,
			      isatty(2) ? progress : NULL);
	if (r == -VT_BLOCK_MISMATCH || r == -VT_PADDING) {
		char what[80], *q = what;

		memcpy(q, bad.data ? "data block " : "hash block ", 11);
		q += 11;
		q += fmt_u64(q, bad.block);
		if (!bad.data) {
			memcpy(q, " at level ", 10);
			q += 10;
			q += fmt_u64(q, bad.level);
		}
		if (r == -VT_PADDING) {
			memcpy(q, ", byte ", 7);
			q += 7;
			q += fmt_u64(q, bad.offset);
		}
		*q = 0;
		err_line(c->cmd, what,
			 r == -VT_PADDING ? "padding not zeroed"
					  : "does not match its digest");
		return EXIT_PERM;
	}
	if (r == -VT_ROOT_MISMATCH)
		return fail_msg(c, d->hash,
				"root hash does not match the hash tree");
	return r ? root_check_fail(c, "verify", r) : 0;
}

static int verity_close(struct cli *c, const char *name)
{
	struct dm_info info;
	int r = dm_get_info(&c->dm, name, 0, &info);

	if (r == -ENXIO) {
		err_line(c->cmd, name, "device is not active");
		return EXIT_DEVICE;
	}
	if (r)
		return fail(c, name, r);
	if (!str_prefix(info.uuid, VERITY_UUID_PREFIX))
		return fail_msg(c, name, "not a verity device");
	r = dm_remove(&c->dm, name, 0, 0);
	return r ? fail(c, name, r) : 0;
}

static void line(const char *label, const char *value)
{
	out_str("  ");
	out_lpad(label, 13);
	out_str(value);
	out_ch('\n');
}

static void line_u64(const char *label, uint64_t v, const char *unit)
{
	char b[48];
	size_t n = fmt_u64(b, v);

	memcpy(b + n, unit, strlen(unit) + 1);
	line(label, b);
}

/* "253:0" as veritysetup shows it: /dev/vda; then, under loop_label, the
 * file of a loop device. */
static void line_dev(const char *label, const char *majmin,
		     const char *loop_label)
{
	char name[LOOP_FILE_MAX];
	const char *colon = str_chr(majmin, ':');
	uint32_t ma, mi;

	memcpy(name, "/dev/", 5);
	if (colon && colon - majmin < 12) {
		char m[12];

		memcpy(m, majmin, (size_t)(colon - majmin));
		m[colon - majmin] = 0;
		if (!parse_u32(m, &ma) && !parse_u32(colon + 1, &mi) &&
		    !blkdev_name(ma, mi, name + 5, sizeof(name) - 5)) {
			line(label, name);
			if (loop_label &&
			    !loop_backing_file(ma, mi, name, sizeof(name)))
				line(loop_label, name);
			return;
		}
	}
	line(label, majmin);
}

static int verity_status(struct cli *c, const char *name)
{
	struct dm_req req = {.name = name, .flags = DM_STATUS_TABLE_FLAG};
	struct dm_info info;
	struct verity_table vt;
	struct dm_target tgt;
	struct dm_walk w;
	char params[1024], buf[160];
	uint64_t length;
	uint32_t flags;
	int r;

	/* The short form needs only to know that the device exists. */
	r = CFG_VERITY_STATUS ? dm_call(&c->dm, DM_CMD_TABLE_STATUS, &req)
			      : dm_get_info(&c->dm, name, 0, &info);
	out_str("/dev/mapper/");
	out_str(name);
	if (r == -ENXIO) {
		out_str(" is inactive.\n");
		return EXIT_DEVICE;
	}
	if (r || (CFG_VERITY_STATUS && ((r = dm_walk_start(c->dm.io, &w)) ||
					(r = dm_walk_targets(&w, &tgt)) < 0))) {
		out_ch('\n');
		return fail(c, name, r);
	}
	out_str(" is active.\n");
	if (!CFG_VERITY_STATUS)
		return 0;
	if (!r || strcmp(tgt.type, "verity") ||
	    strlen(tgt.params) >= sizeof(params)) {
		line("type:", "n/a");
		return EXIT_INVALID;
	}
	flags = c->dm.io->flags;
	length = tgt.length;
	memcpy(params, tgt.params, strlen(tgt.params) + 1);
	if (verity_table_parse(params, &vt))
		return fail_msg(c, name, "unexpected verity table");
	req.flags = 0;
	if ((r = dm_call(&c->dm, DM_CMD_TABLE_STATUS, &req)) ||
	    (r = dm_walk_start(c->dm.io, &w)) ||
	    (r = dm_walk_targets(&w, &tgt)) <= 0)
		return fail(c, name, r ? r : -DM_ERR_REPLY);
	line("type:", "VERITY");
	line("status:", tgt.params[0] == 'V'   ? "verified"
			: tgt.params[0] == 'C' ? "corrupted"
					       : "unknown");
	line_u64("hash type:", vt.version, "");
	line_u64("data block:", vt.data_block_size, "");
	line_u64("hash block:", vt.hash_block_size, "");
	line("hash name:", vt.alg);
	if (vt.salt_len >= sizeof(buf))
		vt.salt_len = sizeof(buf) - 1;
	memcpy(buf, vt.salt, vt.salt_len);
	buf[vt.salt_len] = 0;
	line("salt:", buf);
	line_dev("data device:", vt.data_dev, "data loop:");
	line_u64("size:", length, " sectors");
	line("mode:", flags & DM_READONLY_FLAG ? "readonly" : "read/write");
	line_dev("hash device:", vt.hash_dev, "hash loop:");
	line_u64("hash offset:", vt.hash_start * (vt.hash_block_size / 512),
		 " sectors");
	if (vt.flags & VF_FEC) {
		/* veritysetup looks for a FEC loop device only at the path that
		 * status's own --fec-device names. */
		line_dev("FEC device:", vt.fec_dev, NULL);
		line_u64("FEC offset:",
			 vt.fec_start * (vt.data_block_size / 512), " sectors");
		line_u64("FEC roots:", vt.fec_roots, "");
	}
	if (vt.root_len < sizeof(buf)) {
		memcpy(buf, vt.root, vt.root_len);
		buf[vt.root_len] = 0;
		line("root hash:", buf);
	}
	if (vt.flags & (VF_FEC - 1)) {
		/* veritysetup's spacing: a blank after each but the last. */
		out_str("  flags:       ");
		if (vt.flags & VF_IGNORE_CORRUPTION)
			out_str("ignore_corruption ");
		if (vt.flags & VF_RESTART_ON_CORRUPTION)
			out_str("restart_on_corruption ");
		if (vt.flags & VF_PANIC_ON_CORRUPTION)
			out_str("panic_on_corruption ");
		if (vt.flags & VF_IGNORE_ZERO_BLOCKS)
			out_str("ignore_zero_blocks ");
		if (vt.flags & VF_CHECK_AT_MOST_ONCE)
			out_str("check_at_most_once");
		if (vt.flags & VF_TASKLETS)
			out_str(" try_verify_in_tasklet");
		out_ch('\n');
	}
	return 0;
}

/* One string, not four: "status" alone would look like dmsetup's command
 * to the check that a disabled command leaves no trace. */
static int action_index(const char *a)
{
	static const char actions[] = "open close status verify";
	const char *p = actions;
	size_t n = strlen(a);
	int i;

	for (i = 0; *p; i++) {
		size_t k = (size_t)(str_chrnul(p, ' ') - p);

		if (k == n && !memcmp(p, a, n))
			return i;
		p += k + (p[k] == ' ');
	}
	return -1;
}

int cmd_verity(struct cli *c)
{
	struct devs d = {.data_fd = -1, .hash_fd = -1};
	int n = c->argc - 1, root_args, r;

	if (CFG_LOOP_FILES)
		memset(d.loop_fd, -1, sizeof(d.loop_fd));

	/* With --root-hash-file the root hash is not on the line. */
	root_args = !opt(c, VO_ROOT_HASH_FILE);
	d.fec = c->arg[VO_FEC_DEVICE];
	switch (action_index(c->argv[0])) {
	case 0:
		if (n != 3 + root_args)
			goto usage;
		d.data = c->argv[1];
		d.hash = c->argv[3];
		r = verity_open(c, &d);
		break;
	case 1:
	case 2:
		if (n != 1)
			goto usage;
		r = *c->argv[0] == 'c' ? verity_close(c, c->argv[1])
				       : verity_status(c, c->argv[1]);
		break;
	case 3:
		if (n != 2 + root_args)
			goto usage;
		d.data = c->argv[1];
		d.hash = c->argv[2];
		r = verity_verify(c, &d);
		break;
	default:
	usage:
		return cli_usage(c,
				 "unknown action or wrong number of arguments");
	}
	devs_close(&d);
	return r;
}

/* The multi-call name: a function of its own so that a build without it
 * keeps no trace of it. */
int cmd_veritysetup(struct cli *c)
{
	return cmd_verity(c);
}
