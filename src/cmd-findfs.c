/* SPDX-License-Identifier: MIT */
/* CMD(findfs, "findfs", FINDFS, 1, 1, dmsetup_opts, "PARTUUID=|PARTLABEL=|UUID=|LABEL=VALUE|MAJ:MIN|/dev/NAME") */
/* As util-linux and busybox findfs: the device's path on stdout, or one
 * line on stderr and exit 1. A name more than one device carries is
 * refused, every match named, unless one dm device holds all the others
 * (resolve.h): findfs knows no boot, so any dm device may be that one. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "out.h"
#include "resolve.h"

int cmd_findfs(struct cli *c)
{
	struct resolver rs;
	char path[256];
	int r;

	memset(&rs, 0, sizeof(rs));
	r = resolve(&rs, c->argv[0], path, sizeof(path));
	if (r == -ENOTUNIQ)
		err_line(c->cmd, rs.matches, "refusing an ambiguous device");
	else if (r == -ENOENT)
		err_line(c->cmd, c->argv[0], "not found");
	else if (r == -EINVAL || r == -EOPNOTSUPP)
		err_line(c->cmd, c->argv[0],
			 r == -EINVAL ? "not a device name"
				      : "not supported in this build");
	else if (r)
		return cli_fail(c, c->argv[0], r);
	else
		out_str(path), out_ch('\n');
	return r ? 1 : 0;
}
