/* SPDX-License-Identifier: MIT */
/* CMD(resume, "resume", RESUME, 1, 255, dmsetup_opts, "NAME... [--noflush] [--nolockfs]") */
#include "cli.h"
#include "ops.h"

int cmd_resume(struct cli *c)
{
	int i, r;

	for (i = 0; i < c->argc; i++)
		if ((r = dm_resume(&c->dm, c->argv[i], cli_suspend_flags(c))))
			return cli_fail(c, c->argv[i], r);
	return 0;
}
