/* SPDX-License-Identifier: MIT */
/* CMD(remove, "remove", REMOVE, 1, 255, dmsetup_opts, "NAME... [-f|--force] [--retry] [--deferred]") */
#include "cli.h"
#include "ops.h"

int cmd_remove(struct cli *c)
{
	uint32_t flags = opt(c, OPT_DEFERRED) ? DM_DEFERRED_REMOVE_FLAG : 0;
	unsigned how = (opt(c, OPT_RETRY) ? DM_REMOVE_RETRY : 0) |
		       (opt(c, OPT_FORCE) ? DM_REMOVE_FORCE : 0);
	int i, r;

	for (i = 0; i < c->argc; i++)
		if ((r = dm_remove(&c->dm, c->argv[i], flags, how)))
			return cli_fail(c, c->argv[i], r);
	return 0;
}
