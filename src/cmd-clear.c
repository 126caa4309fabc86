/* SPDX-License-Identifier: MIT */
/* CMD(clear, "clear", CLEAR, 1, 255, dmsetup_opts, "NAME...") */
#include "cli.h"
#include "ops.h"

int cmd_clear(struct cli *c)
{
	int i, r;

	for (i = 0; i < c->argc; i++) {
		struct dm_req req = {.name = c->argv[i]};

		if ((r = dm_call(&c->dm, DM_CMD_TABLE_CLEAR, &req)))
			return cli_fail(c, c->argv[i], r);
	}
	return 0;
}
