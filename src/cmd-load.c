/* SPDX-License-Identifier: MIT */
/* CMD(load, "load", LOAD, 1, 2, dmsetup_opts, "NAME [--table TABLE | TABLE_FILE] [-r|--readonly]") */
/* CMD(load, "reload", LOAD, 1, 2, dmsetup_opts, "NAME [--table TABLE | TABLE_FILE] [-r|--readonly]") */
#include "cli-table.h"
#include "ops.h"

int cmd_load(struct cli *c)
{
	struct table t = {0};
	int r;

	if (cli_read_table(c, c->argv[1], &t))
		return 1;
	r = dm_load(&c->dm, c->argv[0], &t,
		    opt(c, OPT_READONLY) ? DM_READONLY_FLAG : 0);
	if (r)
		r = cli_table_fail(c, c->argv[0], &t, r);
	table_free(&t);
	return r;
}
