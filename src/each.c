/* SPDX-License-Identifier: MIT */
/* dmsetup's repeatable commands: each NAME given (stopping at the first
 * failure), or every device the kernel lists (going on past failures). */
#include "each.h"

#include <errno.h>
#include <string.h>

#include "devname.h"
#include "ops.h"
#include "out.h"

int cli_each_device(struct cli *c, each_fn *fn, void *ctx)
{
	struct dm_list list;
	struct dm_name n;
	int i, r, failed = 0;

	if (c->argc) {
		for (i = 0; i < c->argc; i++)
			if (fn(c, c->argv[i], c->argc > 1, ctx))
				return 1;
		return 0;
	}
	if ((r = dm_list(&c->dm, &list)) || (r = dm_list_next(&list, &n)) < 0) {
		dm_list_free(&list);
		return cli_fail(c, "list", r);
	}
	if (!r)
		out_str("No devices found\n");
	for (; r > 0; r = dm_list_next(&list, &n))
		failed |= fn(c, n.name, 1, ctx);
	if (r < 0)
		failed = cli_fail(c, "list", r);
	dm_list_free(&list);
	return failed;
}

int cli_dev_fail(struct cli *c, const char *name, int err)
{
	if (err == -ENXIO) {
		err_line(c->cmd, name, "Device does not exist");
		return 1;
	}
	return cli_fail(c, name, err);
}

/* dmsetup matches -o words by prefix, in this order. */
int cli_dev_format(struct cli *c)
{
	static const char *const words[] = {"devno", "blkdevname", "devname"};
	const char *o = c->arg[OPT_OPTIONS];
	size_t i;

	if (!o)
		return FMT_DEVNO;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (*o && str_prefix(words[i], o))
			return (int)i;
	return -1;
}

/* " (maj:min)" style device in the format -o asked for. sep is ":" for ls
 * and ", " for deps, as dmsetup prints them. */
void cli_print_dev(int fmt, uint32_t major, uint32_t minor, const char *sep)
{
	char name[DM_NAME_LEN];

	out_ch('(');
	if ((fmt == FMT_BLKDEVNAME &&
	     !blkdev_name(major, minor, name, sizeof(name))) ||
	    (fmt == FMT_DEVNAME &&
	     (!dm_dev_name(major, minor, name, sizeof(name)) ||
	      !blkdev_name(major, minor, name, sizeof(name))))) {
		out_str(name);
	} else {
		out_u64(major);
		out_str(sep);
		out_u64(minor);
	}
	out_ch(')');
}
