/* SPDX-License-Identifier: MIT */
#include "activate.h"

#include <errno.h>

#include "out.h"

int act_exit_code(int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		return 2;
	case ENOMEM:
		return 3;
	case ENOENT:
	case ENXIO:
	case ENODEV:
	case ENOTBLK:
		return 4;
	case EBUSY:
	case EEXIST:
		return 5;
	}
	return 1;
}

int act_fail(const struct dm_ctx *ctx, const char *cmd, const char *field,
	     const struct act_err *e, int err)
{
	char buf[96];

	err_line(cmd, e->what ? e->what : field,
		 e->why ? e->why : dm_strerror(ctx, err, buf, sizeof(buf)));
	return act_exit_code(err);
}
