/* SPDX-License-Identifier: MIT */
/* CMD(rename, "rename", RENAME, 2, 2, dmsetup_opts, "NAME NEW_NAME | NAME --setuuid UUID") */
#include <string.h>

#include "cli.h"
#include "nodes.h"
#include "ops.h"

int cmd_rename(struct cli *c)
{
	const char *to = c->argv[1];
	int setuuid = opt(c, OPT_SETUUID);
	struct dm_req req = {
		.name = c->argv[0],
		.flags = setuuid ? DM_UUID_FLAG : 0,
		.data = to,
		.data_len = strlen(to) + 1,
	};
	int r = setuuid ? dm_check_uuid(to) : dm_check_name(to);

	if (r)
		return cli_fail(c, to, r);
	r = dm_call(&c->dm, DM_CMD_DEV_RENAME, &req);
	if (r)
		return cli_fail(c, c->argv[0], r);
	if (CFG_DEV_NODES && !setuuid)
		node_rename(c->argv[0], to);
	return 0;
}
