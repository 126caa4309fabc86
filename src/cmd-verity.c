/* SPDX-License-Identifier: MIT */
/* CMD(verity, "verity", VERITY, 1, 5, verity_opts, "open DATA NAME HASH ROOTHASH | close NAME | status NAME | verify DATA HASH ROOTHASH [veritysetup options]") */
/* CMD(veritysetup, "veritysetup", VERITYSETUP, 1, 5, verity_opts, "open|close|status|verify ... as veritysetup") */
/* veritysetup's open, close, status and verify: the same table, the same
 * device UUID, the same options; the root hash is checked against the
 * hash tree before the device exists. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "activate.h"
#include "blkdev.h"
#include "cli.h"
#include "devname.h"
#include "loop.h"
#include "ops.h"
#include "out.h"
#include "util.h"
#include "verity-open.h"
#include "verity-tree.h"
#include "verity.h"

_Static_assert(VO_OPTION_COUNT <= CLI_MAX_OPTS, "too many verity options");
const struct optset verity_opts = {VO_OPTION_COUNT, verity_field_defs};

/* A failure at what: fills e, returns err for cmd_verity's one line. */
static int at(struct act_err *e, const char *what, const char *why, int err)
{
	e->what = what;
	e->why = why;
	return err;
}

/* open and verify: the options, then the positionals, into o. */
static int fill(struct cli *c, struct verity_open *o, const uint8_t *pos,
		int npos, struct act_err *e)
{
	int k, r = 0;

	verity_open_init(o);
	for (k = 0; !r && k < VO_OPTION_COUNT; k++)
		if (opt(c, k))
			r = verity_open_set(o, k + 1, c->arg[k], e);
	for (k = 0; !r && k < npos; k++)
		r = verity_open_set(o, pos[k], c->argv[k + 1], e);
	return r;
}

static int open_cmd(struct cli *c, int npos, struct act_err *e)
{
	static const uint8_t pos[] = {VO_DATA, VO_NAME, VO_HASH_DEVICE,
				      VO_ROOT_HASH};
	struct verity_open o;
	int r = fill(c, &o, pos, npos, e);

	return r ? r : verity_activate(&c->dm, &o, e);
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

static int verify_cmd(struct cli *c, int npos, struct act_err *e)
{
	static const uint8_t pos[] = {VO_DATA, VO_HASH_DEVICE, VO_ROOT_HASH};
	struct verity_open o;
	struct verity_params p;
	struct verity_bad bad = {0};
	uint8_t uuid[16];
	int r, have_uuid, fd[2] = {-1, -1};

	if (!CFG_VERITY_VERIFY)
		return at(e, "verify", "not built into this dmboot", -EINVAL);
	if ((r = fill(c, &o, pos, npos, e)))
		return r;
	if ((r = fd[0] = blkdev_open(o.data)) < 0) {
		e->field = VO_DATA;
		e->what = o.data;
	} else if ((r = fd[1] = blkdev_open(o.hash)) < 0) {
		e->field = VO_HASH_DEVICE;
		e->what = o.hash;
	} else if (!(r = verity_open_params(&o, fd[0], fd[1], &p, uuid,
					    &have_uuid, e))) {
		r = verity_verify_all(fd[0], fd[1], &p, &bad,
				      isatty(2) ? progress : NULL);
		if (r == -VT_ROOT_MISMATCH)
			r = verity_root_check_failed(r, o.hash, e);
		else if (r && r != -VT_BLOCK_MISMATCH && r != -VT_PADDING)
			r = verity_root_check_failed(r, "verify", e);
	}
	if (fd[0] >= 0)
		close(fd[0]);
	if (fd[1] >= 0)
		close(fd[1]);
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
		return 2; /* veritysetup's: a corrupted device */
	}
	return r;
}

static int verity_close(struct cli *c, const char *name, struct act_err *e)
{
	struct dm_info info;
	int r = dm_get_info(&c->dm, name, 0, &info);

	if (!r && !str_prefix(info.uuid, VERITY_UUID_PREFIX))
		return at(e, name, "not a verity device", -EINVAL);
	if (!r)
		r = dm_remove(&c->dm, name, 0, 0);
	return at(e, name, r == -ENXIO ? "device is not active" : NULL, r);
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

static int verity_status(struct cli *c, const char *name, struct act_err *e)
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
		return act_exit_code(r);
	}
	if (r || (CFG_VERITY_STATUS && ((r = dm_walk_start(c->dm.io, &w)) ||
					(r = dm_walk_targets(&w, &tgt)) < 0))) {
		out_ch('\n');
		return at(e, name, NULL, r);
	}
	out_str(" is active.\n");
	if (!CFG_VERITY_STATUS)
		return 0;
	if (!r || strcmp(tgt.type, "verity") ||
	    strlen(tgt.params) >= sizeof(params)) {
		line("type:", "n/a");
		return 1;
	}
	flags = c->dm.io->flags;
	length = tgt.length;
	memcpy(params, tgt.params, strlen(tgt.params) + 1);
	if (verity_table_parse(params, &vt))
		return at(e, name, "unexpected verity table", -EINVAL);
	req.flags = 0;
	if ((r = dm_call(&c->dm, DM_CMD_TABLE_STATUS, &req)) ||
	    (r = dm_walk_start(c->dm.io, &w)) ||
	    (r = dm_walk_targets(&w, &tgt)) <= 0)
		return at(e, name, NULL, r ? r : -DM_ERR_REPLY);
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

int cmd_verity(struct cli *c)
{
	struct act_err e = {0};
	char spelt[24] = "--"; /* the longest option is 19 */
	/* With --root-hash-file the root hash is not on the line. */
	int n = c->argc - 1, root_args = !opt(c, VO_ROOT_HASH_FILE - 1), r;

	/* One string, not four: "status" alone would look like dmsetup's
	 * command to the check that a disabled command leaves no trace. */
	switch (str_word_index("open close status verify", c->argv[0])) {
	case 0:
		if (n != 3 + root_args)
			goto usage;
		r = open_cmd(c, n, &e);
		break;
	case 1:
	case 2:
		if (n != 1)
			goto usage;
		r = *c->argv[0] == 'c' ? verity_close(c, c->argv[1], &e)
				       : verity_status(c, c->argv[1], &e);
		break;
	case 3:
		if (n != 2 + root_args)
			goto usage;
		r = verify_cmd(c, n, &e);
		break;
	default:
	usage:
		return cli_usage(c,
				 "unknown action or wrong number of arguments");
	}
	if (r >= 0)
		return r;
	/* The field spelt as its option. veritysetup's exit codes, where a
	 * missing data or hash device is 4 but a missing file of another
	 * input (root hash, signature, FEC) invalid input, 1. */
	str_put(spelt + 2, spelt + sizeof(spelt) - 1,
		verity_field_name(e.field));
	n = act_fail(&c->dm, c->cmd, spelt, &e, r);
	return r == -ENOENT && e.field != VO_DATA && e.field != VO_HASH_DEVICE
		       ? 1
		       : n;
}

/* The multi-call name: a function of its own so that a build without it
 * keeps no trace of it. */
int cmd_veritysetup(struct cli *c)
{
	return cmd_verity(c);
}
