/* SPDX-License-Identifier: MIT */
/* CMD(table, "table", TABLE, 0, 255, dmsetup_opts, "[NAME...] [--showkeys] [--target TARGET_TYPE] [--concise] [--inactive]") */
/* CMD(status, "status", STATUS, 0, 255, dmsetup_opts, "[NAME...] [--target TARGET_TYPE] [--inactive]") */
#include <string.h>

#include "each.h"
#include "ops.h"
#include "out.h"
#include "util.h"

/* table hides keys unless --showkeys, as dmsetup does: a crypt key word
 * (not a ":len:type:desc" keyring reference) and integrity's hash, crypt
 * and mac keys become '0's of the same length. */
static void mask_word(char *p)
{
	for (; *p && *p != ' '; p++)
		*p = '0';
}

static void mask_keys(const char *type, char *params)
{
	static const char *const integrity_keys[] = {
		"internal_hash:", "journal_crypt:", "journal_mac:"};
	size_t i;
	char *p;

	if (!strcmp(type, "crypt")) {
		p = str_chr(params, ' ');
		if (p && p[1] != ':')
			mask_word(p + 1);
		return;
	}
	if (strcmp(type, "integrity"))
		return;
	for (i = 0; i < ARRAY_SIZE(integrity_keys); i++) {
		p = (char *)str_find(params, integrity_keys[i]);
		if (!p)
			continue;
		p += strlen(integrity_keys[i]);
		while (*p && *p != ' ' && *p != ':')
			p++;
		if (*p == ':')
			mask_word(p + 1);
	}
}

static void out_escaped(const char *s)
{
	for (; *s; s++) {
		if (*s == ',' || *s == ';' || *s == '\\')
			out_ch('\\');
		out_ch(*s);
	}
}

/* ctx: table's count of the devices --concise printed (for the ';'
 * between them); NULL for status. */
static int one(struct cli *c, const char *name, int multi, void *ctx)
{
	int *devices = ctx, is_table = devices != NULL;
	int concise = is_table && opt(c, OPT_CONCISE);
	struct dm_req req = {
		.name = name,
		.flags = (is_table ? DM_STATUS_TABLE_FLAG : 0) |
			 (opt(c, OPT_INACTIVE) ? DM_QUERY_INACTIVE_TABLE_FLAG
					       : 0),
	};
	const char *only = c->arg[OPT_TARGET];
	struct dm_target t;
	struct dm_walk w;
	int r;

	if ((r = dm_call_walk(&c->dm, DM_CMD_TABLE_STATUS, &req, &w)))
		return cli_dev_fail(c, name, r);
	if (concise) {
		if ((*devices)++)
			out_ch(';');
		out_escaped(name);
		out_ch(',');
		out_escaped(c->dm.io->uuid);
		out_ch(',');
		out_u64(dm_dev_minor(c->dm.io->dev));
		out_str(c->dm.io->flags & DM_READONLY_FLAG ? ",ro" : ",rw");
	} else if (!w.left && !only) {
		if (multi) {
			out_str(name);
			out_str(": ");
		}
		out_ch('\n');
	}
	while ((r = dm_walk_targets(&w, &t)) > 0) {
		if (only && strcmp(only, t.type))
			continue;
		if (is_table && !opt(c, OPT_SHOWKEYS))
			mask_keys(t.type,
				  (char *)t.params); /* our reply buffer */
		if (concise) {
			out_ch(',');
		} else if (multi) {
			out_str(name);
			out_str(": ");
		}
		if (concise) {
			out_u64(t.start);
			out_ch(' ');
			out_u64(t.length);
			out_ch(' ');
			out_str(t.type);
			out_ch(' ');
			out_escaped(t.params);
		} else {
			out_target(t.start, t.length, t.type, t.params);
		}
		if (!concise)
			out_ch('\n');
	}
	return r < 0 ? cli_dev_fail(c, name, r) : 0;
}

int cmd_table(struct cli *c)
{
	int devices = 0;
	int r = cli_each_device(c, one, &devices);

	if (devices)
		out_ch('\n');
	return r;
}

int cmd_status(struct cli *c)
{
	return cli_each_device(c, one, NULL);
}
