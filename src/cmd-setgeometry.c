/* SPDX-License-Identifier: MIT */
/* CMD(setgeometry, "setgeometry", SETGEOMETRY, 5, 5, dmsetup_opts, "NAME CYLINDERS HEADS SECTORS START") */
#include <string.h>

#include "cli.h"
#include "ops.h"

int cmd_setgeometry(struct cli *c)
{
	char geo[4 * 21];
	size_t n = 0;
	int i, r;

	/* "cyl heads sectors start", parsed (and checked) by the kernel. */
	for (i = 1; i < 5; i++) {
		size_t k = strlen(c->argv[i]);

		if (k > 20)
			return cli_usage(c, "number too long");
		memcpy(geo + n, c->argv[i], k);
		n += k;
		geo[n++] = i < 4 ? ' ' : 0;
	}
	{
		struct dm_req req = {
			.name = c->argv[0], .data = geo, .data_len = n};

		r = dm_call(&c->dm, DM_CMD_DEV_SET_GEOMETRY, &req);
	}
	return r ? cli_fail(c, c->argv[0], r) : 0;
}
