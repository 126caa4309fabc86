/* SPDX-License-Identifier: MIT */
/* CMD(mknodes, "mknodes", MKNODES, 0, 255, dmsetup_opts, "[NAME...]") */
#include <errno.h>

#include "cli.h"
#include "nodes.h"
#include "ops.h"

int cmd_mknodes(struct cli *c)
{
	struct dm_info info;
	int i, r;

	if (!c->argc) {
		r = dm_sync_nodes(&c->dm);
		return r ? cli_fail(c, "/dev/mapper", r) : 0;
	}
	for (i = 0; i < c->argc; i++) {
		r = dm_get_info(&c->dm, c->argv[i], 0, &info);
		if (r == -ENXIO)
			r = node_del(c->argv[i]);
		else if (!r)
			r = node_add(c->argv[i], info.major, info.minor);
		if (r)
			return cli_fail(c, c->argv[i], r);
	}
	return 0;
}
