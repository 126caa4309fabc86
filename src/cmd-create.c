/* SPDX-License-Identifier: MIT */
/* CMD(create, "create", CREATE, 1, 2, dmsetup_opts, "NAME [--table TABLE | TABLE_FILE] [-u|--uuid UUID] [-r|--readonly] [-n|--notable] [-j|--major MAJ -m|--minor MIN]") */
#include "cli-table.h"
#include "ops.h"
#include "out.h"

int cmd_create(struct cli *c)
{
	const char *name = c->argv[0], *uuid = c->arg[OPT_UUID];
	struct table t = {0};
	uint32_t flags = 0, major = 0, minor = 0;
	uint64_t dev = 0;
	int r;

	if ((r = dm_check_name(name)))
		return cli_fail(c, name, r);
	if (uuid && (r = dm_check_uuid(uuid)))
		return cli_fail(c, uuid, r);
	if (opt(c, OPT_TABLE) && opt(c, OPT_NOTABLE))
		return cli_usage(c, "--table and --notable are incompatible");
	if (opt(c, OPT_MAJOR) != opt(c, OPT_MINOR))
		return cli_usage(c, "give both --major and --minor");
	if (opt(c, OPT_MAJOR)) {
		if (parse_u32(c->arg[OPT_MAJOR], &major) ||
		    parse_u32(c->arg[OPT_MINOR], &minor) || major > 0xfff ||
		    minor > 0xfffff)
			return cli_usage(c, "bad major or minor number");
		flags |= DM_PERSISTENT_DEV_FLAG;
		dev = dm_dev_encode(major, minor);
	}
	if (opt(c, OPT_READONLY))
		flags |= DM_READONLY_FLAG;
	if (!opt(c, OPT_NOTABLE) && cli_read_table(c, c->argv[1], &t))
		return 1;
	r = dm_create(&c->dm, name, uuid, dev, flags,
		      opt(c, OPT_NOTABLE) ? NULL : &t);
	if (r)
		r = cli_table_fail(c, name, &t, r);
	table_free(&t);
	return r;
}
