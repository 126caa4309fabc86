/* SPDX-License-Identifier: MIT */
/* CMD(wait, "wait", WAIT, 1, 2, dmsetup_opts, "NAME [EVENT_NR] [--noflush]") */
#include "cli.h"
#include "ops.h"

int cmd_wait(struct cli *c)
{
	struct dm_req req = {.name = c->argv[0], .flags = cli_suspend_flags(c)};
	int r;

	if (c->argc > 1 && parse_u32(c->argv[1], &req.event_nr))
		return cli_usage(c, "invalid event number");
	r = dm_call(&c->dm, DM_CMD_DEV_WAIT, &req);
	return r ? cli_fail(c, c->argv[0], r) : 0;
}
