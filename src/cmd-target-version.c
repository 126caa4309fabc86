/* SPDX-License-Identifier: MIT */
/* CMD(target_version, "target-version", TARGET_VERSION, 1, 255, dmsetup_opts, "TARGET_TYPE...") */
#include "cli.h"
#include "ops.h"
#include "out.h"

void cli_print_target_version(const struct dm_version_item *v);

int cmd_target_version(struct cli *c)
{
	struct dm_version_item v;
	struct dm_walk w;
	int i, r;

	for (i = 0; i < c->argc; i++) {
		struct dm_req req = {.name = c->argv[i]};

		if ((r = dm_call_walk(&c->dm, DM_CMD_GET_TARGET_VERSION, &req,
				      &w)) ||
		    (r = dm_walk_versions(&w, &v)) <= 0)
			return cli_fail(c, c->argv[i], r ? r : -DM_ERR_REPLY);
		cli_print_target_version(&v);
	}
	return 0;
}
