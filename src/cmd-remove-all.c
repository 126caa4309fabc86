/* SPDX-License-Identifier: MIT */
/* CMD(remove_all, "remove_all", REMOVE_ALL, 0, 0, dmsetup_opts, "[-f|--force] [--deferred]") */
#include "cli.h"
#include "ops.h"

int cmd_remove_all(struct cli *c)
{
	struct dm_req req = {
		.flags = opt(c, OPT_DEFERRED) ? DM_DEFERRED_REMOVE_FLAG : 0,
	};
	int r;

	if (opt(c, OPT_FORCE)) {
		struct dm_list list;
		struct dm_name n;

		r = dm_list(&c->dm, &list);
		if (!r)
			while ((r = dm_list_next(&list, &n)) > 0)
				dm_remove(&c->dm, n.name, 0, DM_REMOVE_FORCE);
		dm_list_free(&list);
		if (r)
			return cli_fail(c, "list", r);
	}
	r = dm_call(&c->dm, DM_CMD_REMOVE_ALL, &req);
	if (r)
		return cli_fail(c, "remove_all", r);
	if (CFG_DEV_NODES)
		dm_sync_nodes(&c->dm);
	return 0;
}
