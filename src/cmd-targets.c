/* SPDX-License-Identifier: MIT */
/* CMD(targets, "targets", TARGETS, 0, 0, dmsetup_opts, "") */
#include "cli.h"
#include "ops.h"
#include "out.h"

void cli_print_target_version(const struct dm_version_item *v);
void cli_print_target_version(const struct dm_version_item *v)
{
	out_lpad(v->name, 16);
	out_str(" v");
	out_u64(v->version[0]);
	out_ch('.');
	out_u64(v->version[1]);
	out_ch('.');
	out_u64(v->version[2]);
	out_ch('\n');
}

int cmd_targets(struct cli *c)
{
	static const struct dm_req none;
	struct dm_version_item v;
	struct dm_walk w;
	int r;

	if ((r = dm_call_walk(&c->dm, DM_CMD_LIST_VERSIONS, &none, &w)))
		return cli_fail(c, "list", r);
	while ((r = dm_walk_versions(&w, &v)) > 0)
		cli_print_target_version(&v);
	return r < 0 ? cli_fail(c, "list", r) : 0;
}
