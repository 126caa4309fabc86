/* CMD(crypt, "crypt", CRYPT, 1, 3, crypt_opts, "open --type plain DEVICE NAME -d KEYFILE|--volume-key-keyring %TYPE:DESC [-c CIPHER] [-s BITS] [-o|-p|-b SECTORS] [--sector-size BYTES] [--iv-large-sectors] [--keyfile-offset BYTES] [-r] [--allow-discards] [--perf-*] | close NAME | status NAME") */
/* CMD(cryptsetup, "cryptsetup", CRYPTSETUP, 1, 3, crypt_opts, "open --type plain DEVICE NAME -d KEYFILE|--volume-key-keyring %TYPE:DESC [-c CIPHER] [-s BITS] [-o|-p|-b SECTORS] [--sector-size BYTES] [--iv-large-sectors] [--keyfile-offset BYTES] [-r] [--allow-discards] [--perf-*] | close NAME | status NAME") */
/* cryptsetup's plain mode: the same table cryptsetup 2.6 loads for the
 * same arguments, except that the key travels through the kernel keyring
 * (a logon key, unlinked once the table is loaded) where dm-crypt takes
 * one, and otherwise as hex under DM_SECURE_DATA_FLAG. Keys come from a
 * key file only; passphrases are not hashed. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "cli-table.h"
#include "crypt.h"
#include "devname.h"
#include "keyfile.h"
#include "keyring.h"
#include "loop.h"
#include "ops.h"
#include "out.h"
#include "secret.h"

/* cryptsetup 2.6's compiled-in plain defaults (cryptsetup --help). */
#define PLAIN_CIPHER "aes-cbc-essiv:sha256"
#define PLAIN_KEY_BITS 256

/* The five flag options are consecutive and in crypt.h's flag order. */
#define CRYPT_OPTIONS(X)                                                       \
	X(TYPE, "M", "type", 1)                                                \
	X(CIPHER, "c", "cipher", 1)                                            \
	X(KEY_SIZE, "s", "key-size", 1)                                        \
	X(KEY_FILE, "d", "key-file", 1)                                        \
	X(KEYFILE_OFFSET, "-", "keyfile-offset", 1)                            \
	X(KEYFILE_SIZE, "l", "keyfile-size", 1)                                \
	X(HASH, "h", "hash", 1)                                                \
	X(OFFSET, "o", "offset", 1)                                            \
	X(SKIP, "p", "skip", 1)                                                \
	X(SIZE, "b", "size", 1)                                                \
	X(SECTOR_SIZE, "-", "sector-size", 1)                                  \
	X(IV_LARGE_SECTORS, "-", "iv-large-sectors", 0)                        \
	X(ALLOW_DISCARDS, "-", "allow-discards", 0)                            \
	X(SAME_CPU_CRYPT, "-", "perf-same_cpu_crypt", 0)                       \
	X(SUBMIT_FROM_CRYPT_CPUS, "-", "perf-submit_from_crypt_cpus", 0)       \
	X(NO_READ_WORKQUEUE, "-", "perf-no_read_workqueue", 0)                 \
	X(NO_WRITE_WORKQUEUE, "-", "perf-no_write_workqueue", 0)               \
	X(READONLY, "r", "readonly", 0)                                        \
	X(BATCH_MODE, "q", "batch-mode", 0)                                    \
	X(VOLUME_KEY_KEYRING, "-", "volume-key-keyring", 1)

#define CO_ENUM(id, s, l, a) CO_##id,
enum { CRYPT_OPTIONS(CO_ENUM) CO_COUNT };
#undef CO_ENUM

CLI_OPTSET(crypt_opts, CRYPT_OPTIONS);

/* cryptsetup's exit codes (translate_errno). */
static int crypt_exit(int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		return 2;
	case ENOMEM:
		return 3;
	case ENOENT:
	case ENXIO:
	case ENODEV:
	case ENOTBLK:
		return 4;
	case EBUSY:
	case EEXIST:
		return 5;
	}
	return 1;
}

static int fail(struct cli *c, const char *what, int err)
{
	cli_fail(c, what, err);
	return crypt_exit(err);
}

static int refuse(struct cli *c, const char *what, const char *why)
{
	err_line(c->cmd, what, why);
	return 1;
}

/* A number option, at most max. 0, or 1 after the message. */
static int num_opt(struct cli *c, int o, uint64_t max, uint64_t *v)
{
	const char *s = c->arg[o];
	char what[40];

	if (!opt(c, o))
		return 0;
	if (!parse_u64(s, strlen(s), v) && *v <= max)
		return 0;
	s = cli_opt_name(&crypt_opts, o);
	what[0] = what[1] = '-';
	memcpy(what + 2, s, strlen(s) + 1);
	return refuse(c, what, "not a number in range");
}

static int plain_params(struct cli *c, struct crypt_plain *p, uint64_t *size)
{
	const char *cipher =
		opt(c, CO_CIPHER) ? c->arg[CO_CIPHER] : PLAIN_CIPHER;
	uint64_t bits = 0, sector = CRYPT_SECTOR;

	if (crypt_cipher_spec(cipher, p->cipher, sizeof(p->cipher)))
		return refuse(c, cipher,
			      "no known cipher specification pattern");
	if (num_opt(c, CO_KEY_SIZE, CRYPT_KEY_MAX * 8, &bits) ||
	    num_opt(c, CO_SECTOR_SIZE, 4096, &sector) ||
	    num_opt(c, CO_OFFSET, UINT64_MAX, &p->offset) ||
	    num_opt(c, CO_SKIP, UINT64_MAX, &p->iv_offset) ||
	    num_opt(c, CO_SIZE, UINT64_MAX, size))
		return 1;
	if (bits % 8)
		return refuse(c, "--key-size", "must be a multiple of 8 bits");
	if (sector < CRYPT_SECTOR || (sector & (sector - 1)))
		return refuse(c, "--sector-size",
			      "unsupported encryption sector size");
	if (opt(c, CO_IV_LARGE_SECTORS) && sector == CRYPT_SECTOR)
		return refuse(c, "--iv-large-sectors",
			      "needs a --sector-size above 512");
	p->key_size = (uint32_t)(bits ? bits : PLAIN_KEY_BITS) / 8;
	p->sector_size = (uint32_t)sector;
	p->flags = (unsigned)(c->set >> CO_ALLOW_DISCARDS) & 0x1f;
	if (opt(c, CO_IV_LARGE_SECTORS))
		p->flags |= CRYPT_IV_LARGE_SECTORS;
	return 0;
}

/* Where the key comes from, as cryptsetup reads a plain key: a key file
 * is never hashed and is read for exactly the key size; stdin is hashed
 * unless --hash plain, and dmboot does not hash. */
static int key_source(struct cli *c)
{
	const char *file = c->arg[CO_KEY_FILE], *hash = c->arg[CO_HASH];

	if (opt(c, CO_VOLUME_KEY_KEYRING)) {
		if (file || opt(c, CO_KEYFILE_OFFSET) ||
		    opt(c, CO_KEYFILE_SIZE))
			return refuse(c, "--volume-key-keyring",
				      "excludes --key-file and its options");
		if (!CFG_CRYPT_KEYRING)
			return refuse(c, "--volume-key-keyring",
				      "not built into this dmboot");
		return 0;
	}
	if (!file)
		return refuse(c, "--key-file",
			      "needed: dmboot reads no passphrases (for a raw "
			      "key on stdin: -d - --hash plain)");
	if (!strcmp(file, "-")) {
		if (!hash || strcmp(hash, "plain"))
			return refuse(c, "--key-file -",
				      "passphrase hashing is not supported: "
				      "give --hash plain for a raw key");
		return 0;
	}
	if (hash)
		err_line(
			c->cmd, "--hash",
			"warning: ignored with a key file, as cryptsetup does");
	if (opt(c, CO_KEYFILE_SIZE))
		err_line(c->cmd, "--keyfile-size",
			 "warning: ignored, the key size is read, as "
			 "cryptsetup does");
	return 0;
}

static int keyring_usable(struct dm_ctx *ctx)
{
	uint32_t v[3];

	return !dm_target_version(ctx, "crypt", v) && crypt_has_keyring(v);
}

/* Device size in sectors and its number, for the table; an image file's
 * loop device in *loop_fd (see loop.h). */
static int data_device(struct cli *c, const char *dev, struct crypt_plain *p,
		       uint64_t *sectors, int *loop_fd)
{
	uint64_t bytes;
	int fd, r;

	if ((r = loop_devno(dev, !opt(c, CO_READONLY),
			    CFG_DRY_RUN && c->dm.dry_run, p->sector_size,
			    &p->major, &p->minor, loop_fd)))
		return fail(c, dev, r);
	if ((fd = blkdev_open(dev)) < 0)
		return fail(c, dev, fd);
	r = blkdev_size(fd, &bytes);
	close(fd);
	if (r)
		return fail(c, dev, r);
	*sectors = bytes / CRYPT_SECTOR;
	return 0;
}

static int mapped_size(struct cli *c, const char *dev,
		       const struct crypt_plain *p, uint64_t sectors,
		       uint64_t *size)
{
	if (p->offset >= sectors)
		return refuse(c, dev,
			      "--offset is beyond the end of the device");
	if (!*size)
		*size = sectors - p->offset;
	else if (*size > sectors - p->offset)
		return refuse(c, dev, "too small for --size after --offset");
	if (*size % (p->sector_size / CRYPT_SECTOR))
		return refuse(
			c, dev,
			"size is not a multiple of the encryption sector size");
	return 0;
}

static int key_read(struct cli *c, const struct crypt_plain *p,
		    unsigned char *key)
{
	const char *file = c->arg[CO_KEY_FILE];
	uint64_t offset = 0;
	unsigned notes;
	char buf[32];
	int r;

	if (num_opt(c, CO_KEYFILE_OFFSET, UINT64_MAX, &offset))
		return 1;
	r = keyfile_read(file, offset, key, p->key_size, &notes);
	if (notes & KEYFILE_WORLD_READABLE)
		err_line(c->cmd, file,
			 "warning: key file is readable by every user");
	if (r == -ENODATA)
		return refuse(c, file,
			      "key file too short for --key-size after "
			      "--keyfile-offset");
	return r ? refuse(c, file, dm_strerror(&c->dm, r, buf, sizeof(buf)))
		 : 0;
}

/* --volume-key-keyring %TYPE:DESCRIPTION: a key an earlier stage put in
 * the kernel keyring (firmware, a TPM unseal, keyctl), for the table to
 * name; dmboot never sees its bytes. Only a dm-crypt that takes keyring
 * keys can: there are no bytes to fall back to. 0 or 1 after the message. */
static int keyring_ref(struct cli *c, char *ref)
{
	const char *arg = c->arg[CO_VOLUME_KEY_KEYRING];

	if (crypt_key_ref(arg, ref, CRYPT_KEY_REF_LEN))
		return refuse(c, arg,
			      "not %logon:, %user:, %encrypted: or %trusted: "
			      "and a description without blanks");
	if (!keyring_usable(&c->dm))
		return refuse(c, "--volume-key-keyring",
			      "this dm-crypt takes no keyring keys "
			      "(needs 1.18.1)");
	return 0;
}

static int crypt_open(struct cli *c, const char *dev, const char *name)
{
	struct crypt_plain p = {0};
	struct table t = {0};
	char uuid[DM_UUID_LEN];
	/* "logon:DESC": the key's description is made in place */
	char ref[CRYPT_KEY_REF_LEN] = "logon:", *desc = ref + 6;
	unsigned char *key;
	uint64_t size = 0, sectors = 0;
	int32_t serial = 0;
	int r, loop_fd = -1, by_ref = 0;

	if (plain_params(c, &p, &size) || key_source(c))
		return 1;
	if ((r = dm_check_name(name)))
		return fail(c, name, r);
	if (strlen(name) >= sizeof(uuid) - 12)
		return fail(c, name, -ENAMETOOLONG);
	memcpy(uuid, "CRYPT-PLAIN-", 12); /* cryptsetup's, for plain */
	memcpy(uuid + 12, name, strlen(name) + 1);
	if ((r = data_device(c, dev, &p, &sectors, &loop_fd)) ||
	    (r = mapped_size(c, dev, &p, sectors, &size)))
		goto out;
	if (CFG_CRYPT_KEYRING && opt(c, CO_VOLUME_KEY_KEYRING)) {
		if (keyring_ref(c, ref)) {
			r = 1;
			goto out;
		}
		key = NULL;
		by_ref = 1;
	} else if (!(key = secret_alloc(p.key_size, &c->dm.unlocked))) {
		r = fail(c, name, -ENOMEM);
		goto out;
	} else if (key_read(c, &p, key)) {
		secret_free(key, p.key_size);
		r = 1;
		goto out;
	} else if (CFG_CRYPT_KEYRING && keyring_usable(&c->dm) &&
		   !crypt_key_desc(uuid, desc, CRYPT_KEY_DESC_LEN)) {
		/* Any failure leaves the hex key, as on old dm-crypt. A dry
		 * run adds no key: it shows the reference a run would. */
		if (CFG_DRY_RUN && c->dm.dry_run) {
			by_ref = 1;
		} else {
			serial = keyring_add("logon", desc, key, p.key_size,
					     KEY_SPEC_THREAD_KEYRING);
			by_ref = serial > 0;
		}
	}
	r = crypt_table_add(&t, size, &p, key, by_ref ? ref : NULL);
	secret_free(key, p.key_size);
	if (r) {
		r = fail(c, name, r);
	} else {
		r = dm_create(&c->dm, name, uuid, 0,
			      opt(c, CO_READONLY) ? DM_READONLY_FLAG : 0, &t);
		if (r) {
			cli_table_fail(c, name, &t, r);
			r = crypt_exit(r);
		}
	}
	/* dm-crypt copied the key at the load: the keyring's copy goes. */
	if (serial > 0)
		keyring_unlink(serial, KEY_SPEC_THREAD_KEYRING);
	table_free(&t);
out:
	/* The table holds the loop device now, or autoclear detaches it. */
	if (CFG_LOOP_FILES && loop_fd >= 0)
		close(loop_fd);
	return r;
}

static void out_sectors(const char *label, uint64_t n)
{
	out_str(label);
	out_u64(n);
	out_str(" sectors\n");
}

/* "PLAIN", "LUKS2"...: the word after CRYPT- in cryptsetup's UUIDs. */
static void out_type(const char *uuid)
{
	size_t n;

	out_str("  type:    ");
	if (!str_prefix(uuid, "CRYPT-") ||
	    !(n = (size_t)(str_chrnul(uuid + 6, '-') - (uuid + 6))))
		out_str("n/a");
	else
		out_mem(uuid + 6, n);
	out_ch('\n');
}

static void out_device(uint32_t major, uint32_t minor)
{
	char name[LOOP_FILE_MAX];

	out_str("  device:  ");
	if (blkdev_name(major, minor, name, sizeof(name))) {
		out_u64(major);
		out_ch(':');
		out_u64(minor);
	} else if (str_prefix(name, "dm-") &&
		   !dm_dev_name(major, minor, name, sizeof(name))) {
		out_str("/dev/mapper/");
		out_str(name);
	} else {
		out_str("/dev/");
		out_str(name);
	}
	out_ch('\n');
	/* A file behind a loop device, as cryptsetup shows it: only where
	 * dmboot opens files itself, to keep boot builds as they were. */
	if (CFG_LOOP_FILES &&
	    !loop_backing_file(major, minor, name, sizeof(name)))
		out_kv("  loop:    ", name);
}

static int crypt_status(struct cli *c, const char *name)
{
	/* The reply may hold a hex key: the kernel wipes its copy, ours
	 * goes with the buffer. */
	struct dm_req req = {.name = name,
			     .flags = DM_STATUS_TABLE_FLAG |
				      DM_SECURE_DATA_FLAG};
	struct dm_ioctl *io;
	struct dm_info info;
	struct crypt_plain p;
	struct dm_target t;
	struct dm_walk w;
	unsigned i;
	/* The short form needs only to know that the device exists. */
	int r = CFG_CRYPT_STATUS ? dm_call(&c->dm, DM_CMD_TABLE_STATUS, &req)
				 : dm_get_info(&c->dm, name, 0, &info);

	if (r == -ENXIO) {
		out_str("/dev/mapper/");
		out_str(name);
		out_str(" is inactive.\n");
		return 4;
	}
	if (!CFG_CRYPT_STATUS) {
		if (r)
			return fail(c, name, r);
		out_str("/dev/mapper/");
		out_str(name);
		out_str(info.open_count ? " is active and is in use.\n"
					: " is active.\n");
		return 0;
	}
	if (r || (r = dm_walk_start(c->dm.io, &w)) ||
	    (r = dm_walk_targets(&w, &t)) < 0)
		return fail(c, name, r);
	io = c->dm.io;
	if (!r || strcmp(t.type, "crypt") || crypt_table_parse(t.params, &p))
		return refuse(c, name, "not a dm-crypt device");
	out_str("/dev/mapper/");
	out_str(name);
	out_str(io->open_count ? " is active and is in use.\n"
			       : " is active.\n");
	out_type(io->uuid);
	out_kv("  cipher:  ", p.cipher);
	out_str("  keysize: ");
	out_u64((uint64_t)p.key_size * 8);
	out_str(" bits\n");
	out_kv("  key location: ", p.keyring ? "keyring" : "dm-crypt");
	out_device(p.major, p.minor);
	out_str("  sector size:  ");
	out_u64(p.sector_size);
	out_ch('\n');
	out_sectors("  offset:  ", p.offset);
	out_sectors("  size:    ", t.length);
	if (p.iv_offset)
		out_sectors("  skipped: ", p.iv_offset);
	out_str("  mode:    ");
	out_str(io->flags & DM_READONLY_FLAG ? "readonly" : "read/write");
	if (io->flags & DM_SUSPEND_FLAG)
		out_str(" (suspended)");
	out_ch('\n');
	if (p.flags & 0x1f) {
		out_str("  flags:   ");
		/* The table's names, "discards" for allow_discards, as
		 * cryptsetup shows them: a blank after each but the last. */
		for (i = 0; i < 5; i++) {
			if (!((p.flags >> i) & 1))
				continue;
			out_str(crypt_opt_name(i) + (i ? 0 : 6));
			if (i < 4)
				out_ch(' ');
		}
		out_ch('\n');
	}
	return 0;
}

static int crypt_close(struct cli *c, const char *name)
{
	struct dm_info info;
	int r = dm_get_info(&c->dm, name, 0, &info);

	if (r == -ENXIO) {
		err_line(c->cmd, name, "device is not active");
		return 4;
	}
	if (!r && info.open_count) {
		err_line(c->cmd, name, "device is still in use");
		return 5;
	}
	if (!r)
		r = dm_remove(&c->dm, name, 0, DM_REMOVE_RETRY);
	return r ? fail(c, name, r) : 0;
}

/* Is s the word (up to a blank or the end) at w? */
static int word_is(const char *w, const char *s)
{
	while (*s && *s == *w && *w != ' ')
		s++, w++;
	return !*s && (*w == ' ' || !*w);
}

int cmd_crypt(struct cli *c)
{
	/* cryptsetup's actions, by what dmboot does with them. Blanks, not
	 * NULs, between them: "remove" is not a string of its own, which
	 * tests/configs.sh would take for dmsetup's remove. */
	static const char actions[] =
		"open plainOpen create luksOpen loopaesOpen tcryptOpen "
		"bitlkOpen close remove plainClose luksClose status";
	enum { OPEN_END = 3, REFUSED_END = 7, STATUS = 11 };
	const char *action = c->argv[0], *type = c->arg[CO_TYPE];
	const char *w = actions;
	int k;

	for (k = 0; w && !word_is(w, action); k++)
		if ((w = str_chr(w, ' ')))
			w++;
	if (k < OPEN_END) {
		if (c->argc != 3)
			return cli_usage(c, "open takes DEVICE and NAME");
		if (action[0] == 'o' && (!type || strcmp(type, "plain")))
			return refuse(c, type ? type : "luks",
				      "not supported: dmboot opens --type "
				      "plain only");
		/* cryptsetup's old "create" takes the name first. */
		return action[0] == 'c' ? crypt_open(c, c->argv[2], c->argv[1])
					: crypt_open(c, c->argv[1], c->argv[2]);
	}
	if (k < REFUSED_END)
		return refuse(c, action,
			      "not supported: dmboot opens --type plain only");
	if (c->argc != 2)
		return cli_usage(c, "give one NAME");
	if (k < STATUS)
		return crypt_close(c, c->argv[1]);
	if (k == STATUS)
		return crypt_status(c, c->argv[1]);
	return cli_usage(c, "unknown action");
}

/* The multi-call name: a function of its own so that a build without it
 * keeps none of it. */
int cmd_cryptsetup(struct cli *c)
{
	return cmd_crypt(c);
}
