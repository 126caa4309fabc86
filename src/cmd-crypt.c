/* SPDX-License-Identifier: MIT */
/* CMD(crypt, "crypt", CRYPT, 1, 3, crypt_opts, "open [--type plain|luks|luks1|luks2] DEVICE NAME [-d KEYFILE] [-c|-s|-o|-p|-b|-S|-T|--header...: see README] | plainOpen|luksOpen DEVICE NAME | isLuks|luksUUID|luksDump DEVICE | close NAME | status NAME") */
/* CMD(cryptsetup, "cryptsetup", CRYPTSETUP, 1, 3, crypt_opts, "open [--type plain|luks|luks1|luks2] DEVICE NAME [-d KEYFILE] [-c|-s|-o|-p|-b|-S|-T|--header...: see README] | plainOpen|luksOpen DEVICE NAME | isLuks|luksUUID|luksDump DEVICE | close NAME | status NAME") */
/* cryptsetup's command line for dm-crypt, plain and LUKS: options into a
 * struct crypt_open (crypt-open.h does the rest), the LUKS header's
 * isLuks, luksUUID and luksDump, close, and status. */
#include <errno.h>
#include <string.h>

#include "activate.h"
#include "blkdev.h"
#include "cli.h"
#include "crypt-luks.h"
#include "crypt-open.h"
#include "devname.h"
#include "loop.h"
#include "ops.h"
#include "out.h"

const struct optset crypt_opts = {CO_OPTION_COUNT, crypt_field_defs};

static int fail(struct cli *c, const char *what, int err)
{
	cli_fail(c, what, err);
	return act_exit_code(err);
}

static int refuse(struct cli *c, const char *what, const char *why)
{
	err_line(c->cmd, what, why);
	return 1;
}

/* Field f as the command line spells it: "--key-size". */
static const char *field_text(int f, char *buf)
{
	const char *s = crypt_field_name(f);

	buf[0] = buf[1] = '-';
	memcpy(buf + 2, s, strlen(s) + 1);
	return buf;
}

/* How an action names the type: open by --type (LUKS without one),
 * plainOpen and create plain, luksOpen LUKS. */
enum open_kind { OPEN_BY_TYPE, OPEN_PLAIN, OPEN_LUKS };

static int open_device(struct cli *c, enum open_kind kind, const char *dev,
		       const char *name)
{
	struct crypt_open o;
	struct act_err e = {0};
	char field[40]; /* "--perf-submit_from_crypt_cpus" and more */
	unsigned warn = 0;
	int f, r = 0;

	crypt_open_init(&o);
	if (kind == OPEN_PLAIN)
		o.type = CRYPT_TYPE_PLAIN;
	/* --type is open's; the others know theirs. */
	for (f = 0; f < CO_OPTION_COUNT && !r; f++)
		if (opt(c, f) && (kind == OPEN_BY_TYPE || f != CO_TYPE))
			r = crypt_open_set(&o, f, c->arg[f], &e);
	o.device = dev;
	o.name = name;
	if (!r)
		r = crypt_activate(&c->dm, &o, &warn, &e);
	if (warn & CRYPT_WARN_HASH)
		err_line(c->cmd, "--hash", crypt_warn_text(CRYPT_WARN_HASH));
	if (warn & CRYPT_WARN_KEYFILE_SIZE)
		err_line(c->cmd, "--keyfile-size",
			 crypt_warn_text(CRYPT_WARN_KEYFILE_SIZE));
	if (!r)
		return 0;
	/* Field 0 is --type, whose refusals name the value: 0 without a
	 * path names nothing (act_err's rule). */
	f = act_fail(&c->dm, c->cmd,
		     e.field ? field_text(e.field, field) : NULL, &e, r);
	/* cryptsetup fails every key file error as invalid input. */
	return e.field == CO_KEY_FILE ? 1 : f;
}

/* isLuks, luksUUID and luksDump (in cmd_crypt's order): the header of
 * DEVICE. */
enum { SHOW_IS_LUKS, SHOW_UUID, SHOW_DUMP };

static int show_header(struct cli *c, int action, const char *path)
{
	struct act_err e = {0};
	struct luks_volume *v;
	const char *type = opt(c, CO_TYPE) ? c->arg[CO_TYPE] : NULL;
	int version = !type		       ? 0
		      : !strcmp(type, "luks1") ? 1
		      : !strcmp(type, "luks2") ? 2
					       : -1;
	int r, fd;

	if (version < 0)
		return refuse(c, type, "not luks1 or luks2");
	if (action == SHOW_DUMP && !CFG_CRYPT_LUKS_DUMP)
		return refuse(c, "luksDump", "not built into this dmboot");
	r = crypt_luks_header(path, version, &v, &fd, &e);
	/* isLuks answers "no" silently, as cryptsetup without -v */
	if (r == -EINVAL && action == SHOW_IS_LUKS && !opt(c, CO_VERBOSE))
		return 1;
	if (r)
		return act_fail(&c->dm, c->cmd, NULL, &e,
				r == -ENOTSUP ? -EINVAL : r);
	if (action == SHOW_UUID)
		out_kv("", v->uuid);
	else if (CFG_CRYPT_LUKS_DUMP && action == SHOW_DUMP)
		luks_dump(v, path);
	else if (opt(c, CO_VERBOSE))
		out_str("Command successful.\n");
	crypt_luks_release(v, fd);
	return 0;
}

static void out_sectors(const char *label, uint64_t n)
{
	out_str(label);
	out_u64(n);
	out_str(" sectors\n");
}

/* Does a LUKS device's header say what its dm UUID does? cryptsetup
 * status reads it (from --header, else the data device) and, where it
 * finds none or another volume's, knows no type: "n/a", 512-byte
 * sectors. */
static int luks_header_found(struct cli *c, const char *uuid,
			     const struct crypt_plain *p)
{
	char path[LOOP_FILE_MAX] = "/dev/";
	struct act_err e = {0};
	struct luks_volume *v;
	const char *h = uuid + sizeof("CRYPT-LUKS1-") - 1, *u;
	int fd, found;

	if (!opt(c, CO_HEADER) &&
	    blkdev_name(p->major, p->minor, path + 5, sizeof(path) - 5))
		return 0;
	if (crypt_luks_header(opt(c, CO_HEADER) ? c->arg[CO_HEADER] : path,
			      uuid[10] - '0', &v, &fd, &e))
		return 0;
	for (u = v->uuid; *u && *h != '-'; u++)
		if (*u != '-' && *u != *h++)
			break;
	found = !*u && *h == '-';
	crypt_luks_release(v, fd);
	return found;
}

/* "PLAIN", "LUKS2"...: the word after CRYPT- in cryptsetup's UUIDs; a
 * LUKS device's only with its header. 0 for a LUKS device without one,
 * whose sectors cryptsetup then shows as 512 bytes. */
static int out_type(struct cli *c, const char *uuid,
		    const struct crypt_plain *p)
{
	size_t n = 0;
	int luks;

	out_str("  type:    ");
	if (str_prefix(uuid, "CRYPT-"))
		n = (size_t)(str_chrnul(uuid + 6, '-') - (uuid + 6));
	luks = CFG_CRYPT_LUKS && n == 5 && str_prefix(uuid + 6, "LUKS") &&
	       (uuid[10] == '1' || uuid[10] == '2');
	if (luks && !luks_header_found(c, uuid, p))
		n = 0;
	if (!n)
		out_str("n/a");
	else
		out_mem(uuid + 6, n);
	out_ch('\n');
	return !luks || n;
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
	int typed;
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
	typed = out_type(c, io->uuid, &p);
	out_kv("  cipher:  ", p.cipher);
	out_str("  keysize: ");
	out_u64((uint64_t)p.key_size * 8);
	out_str(" bits\n");
	out_kv("  key location: ", p.keyring ? "keyring" : "dm-crypt");
	out_device(p.major, p.minor);
	out_str("  sector size:  ");
	out_u64(typed ? p.sector_size : CRYPT_SECTOR);
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

int cmd_crypt(struct cli *c)
{
	/* cryptsetup's actions, by what dmboot does with them. */
	static const char actions[] =
		"open plainOpen create luksOpen isLuks luksUUID luksDump "
		"loopaesOpen tcryptOpen bitlkOpen close remove plainClose "
		"luksClose status";
	enum {
		LUKS_OPEN = 3,
		IS_LUKS,
		LUKS_UUID,
		LUKS_DUMP,
		REFUSED_END = 10,
		STATUS = 14,
		UNKNOWN
	};
	const char *action = c->argv[0];
	int k = str_word_index(actions, action);

	if (k < 0 || (!CFG_CRYPT_LUKS && k >= LUKS_OPEN && k < REFUSED_END))
		k = k < 0 ? UNKNOWN : REFUSED_END - 1;
	if (k <= LUKS_OPEN) {
		const char *dev = c->argv[1], *name = c->argv[2];

		/* "open --test-passphrase DEVICE" needs no name */
		if (c->argc != 3 && !(c->argc == 2 && (!k || k == LUKS_OPEN) &&
				      opt(c, CO_TEST_PASSPHRASE)))
			return cli_usage(c, "open takes DEVICE and NAME");
		if (c->argc == 2)
			name = NULL;
		if (k == 2) { /* cryptsetup's old "create": the name first */
			dev = c->argv[2];
			name = c->argv[1];
		}
		return open_device(c,
				   !k		   ? OPEN_BY_TYPE
				   : k < LUKS_OPEN ? OPEN_PLAIN
						   : OPEN_LUKS,
				   dev, name);
	}
	if (k < REFUSED_END - 3) {
		if (c->argc != 2)
			return cli_usage(c, "give one DEVICE");
		/* cryptsetup reads a detached header, not DEVICE */
		return show_header(c, k - IS_LUKS,
				   opt(c, CO_HEADER) ? c->arg[CO_HEADER]
						     : c->argv[1]);
	}
	if (k < REFUSED_END)
		return refuse(c, action,
			      CFG_CRYPT_LUKS ? "not supported: dmboot opens "
					       "plain and LUKS only"
					     : "not supported: dmboot opens "
					       "--type plain only");
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
