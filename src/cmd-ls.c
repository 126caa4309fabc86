/* SPDX-License-Identifier: MIT */
/* CMD(ls, "ls", LS, 0, 0, dmsetup_opts, "[--target TARGET_TYPE] [-o devno|devname|blkdevname]") */
#include <string.h>

#include "devname.h"
#include "each.h"
#include "ops.h"
#include "out.h"

static int has_target(struct cli *c, const char *name)
{
	struct dm_req req = {.name = name};
	struct dm_target t;
	struct dm_walk w;
	int r;

	if ((r = dm_call_walk(&c->dm, DM_CMD_TABLE_STATUS, &req, &w)))
		return r;
	while ((r = dm_walk_targets(&w, &t)) > 0)
		if (!strcmp(t.type, c->arg[OPT_TARGET]))
			return 1;
	return r;
}

int cmd_ls(struct cli *c)
{
	struct dm_list list;
	struct dm_name n;
	int fmt = cli_dev_format(c), r, failed = 0;

	if (fmt < 0)
		return cli_usage(c, "-o takes devno, devname or blkdevname");
	r = dm_list(&c->dm, &list);
	if (!r && !(r = dm_list_next(&list, &n)))
		out_str("No devices found\n");
	for (; r > 0; r = dm_list_next(&list, &n)) {
		uint32_t major = dm_dev_major(n.dev),
			 minor = dm_dev_minor(n.dev);

		if (opt(c, OPT_TARGET)) {
			int t = has_target(c, n.name);

			if (t < 0)
				failed = cli_dev_fail(c, n.name, t);
			if (t <= 0)
				continue;
			out_str(n.name);
			out_str("\t(");
			out_u64(major);
			out_str(", ");
			out_u64(minor);
			out_str(")\n");
			continue;
		}
		out_str(n.name);
		out_ch('\t');
		cli_print_dev(fmt, major, minor, ":");
		out_ch('\n');
	}
	dm_list_free(&list);
	return r < 0 ? cli_fail(c, "list", r) : failed;
}
