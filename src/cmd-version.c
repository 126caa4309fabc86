/* SPDX-License-Identifier: MIT */
/* CMD(version, "version", VERSION, 0, 0, dmsetup_opts, "") */
#include "cli.h"
#include "ops.h"
#include "out.h"

int cmd_version(struct cli *c)
{
	int r;

	out_str("Library version:   dmboot " DMBOOT_VERSION "\n");
	r = dm_kernel_version(&c->dm);
	if (r)
		return cli_fail(c, "driver", r);
	out_str("Driver version:    ");
	out_u64(c->dm.kver[0]);
	out_ch('.');
	out_u64(c->dm.kver[1]);
	out_ch('.');
	out_u64(c->dm.kver[2]);
	out_ch('\n');
	return 0;
}
