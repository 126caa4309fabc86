/* SPDX-License-Identifier: MIT */
/* CMD(deps, "deps", DEPS, 0, 255, dmsetup_opts, "[NAME...] [-o devno|devname|blkdevname]") */
#include "each.h"
#include "ops.h"
#include "out.h"

static int one(struct cli *c, const char *name, int multi, void *ctx)
{
	struct dm_req req = {.name = name};
	const uint64_t *devs;
	uint32_t n, i;
	int fmt = cli_dev_format(c);
	int r;

	(void)ctx;
	if ((r = dm_call(&c->dm, DM_CMD_TABLE_DEPS, &req)) ||
	    (r = dm_reply_deps(c->dm.io, &devs, &n)))
		return cli_dev_fail(c, name, r);
	if (multi) {
		out_str(name);
		out_str(": ");
	}
	out_u64(n);
	out_str(" dependencies\t:");
	for (i = 0; i < n; i++) {
		out_ch(' ');
		cli_print_dev(fmt, dm_dev_major(devs[i]), dm_dev_minor(devs[i]),
			      ", ");
	}
	out_ch('\n');
	return 0;
}

int cmd_deps(struct cli *c)
{
	if (cli_dev_format(c) < 0)
		return cli_usage(c, "-o takes devno, devname or blkdevname");
	return cli_each_device(c, one, NULL);
}
