/* SPDX-License-Identifier: MIT */
/* The table a create or load names: --table TEXT, a file, or stdin. */
#include "cli-table.h"

#include <errno.h>
#include <string.h>

#include "out.h"
#include "util.h"

int cli_read_table(struct cli *c, const char *file, struct table *t)
{
	struct buf text = {0};
	const char *p;
	size_t len;
	int r = 0;

	if (opt(c, OPT_TABLE)) {
		p = c->arg[OPT_TABLE];
		len = strlen(p);
	} else {
		text.secret = 1; /* a crypt or integrity table holds a key */
		r = file ? buf_read_file(&text, file) : buf_read_fd(&text, 0);
		if (r) {
			buf_free(&text);
			return cli_fail(c, file ? file : "stdin", r);
		}
		p = text.p ? text.p : "";
		len = text.len;
	}
	r = table_parse(t, p, len);
	buf_free(&text); /* wiped: tables may hold keys */
	if (r) {
		char where[32] = "table line ";

		fmt_u64(where + 11, t->line);
		err_line(c->cmd, where, t->err);
		table_free(t);
		return 1;
	}
	/* dmsetup says nothing; the key is in /proc/PID/cmdline for every
	 * user, and in shell histories. Once, however many targets. */
	if (opt(c, OPT_TABLE) && t->key_text)
		err_line(c->cmd,
			 "warning: the table holds a key on the command line, "
			 "visible in /proc/PID/cmdline; use a table file, "
			 "stdin or a keyring key (:32:logon:DESC)",
			 NULL);
	return 0;
}

/* Is type among the targets the kernel has loaded? 1, 0, or -errno. */
static int kernel_has_target(struct cli *c, const char *type)
{
	static const struct dm_req none;
	struct dm_version_item v;
	struct dm_walk w;
	int r;

	if ((r = dm_call_walk(&c->dm, DM_CMD_LIST_VERSIONS, &none, &w)))
		return r;
	while ((r = dm_walk_versions(&w, &v)) > 0)
		if (!strcmp(v.name, type))
			return 1;
	return r;
}

int cli_table_fail(struct cli *c, const char *name, const struct table *t,
		   int err)
{
	const struct dm_target_spec *spec;
	size_t off = 0;

	/* The kernel says only EINVAL (and why in its log); a target type
	 * it could not load is the common case worth naming. */
	if (err != -EINVAL)
		return cli_fail(c, name, err);
	while (CFG_DM_IOCTL_LIST_VERSIONS && (spec = table_spec(t, &off))) {
		if (kernel_has_target(c, spec->target_type) == 0) {
			char what[DM_MAX_TYPE_NAME + 48];
			char *end = what + sizeof(what) - 1;

			str_put(str_put(str_put(what, end, "target type "), end,
					spec->target_type),
				end, " not in the kernel (module missing?)");
			err_line(c->cmd, name, what);
			return 1;
		}
	}
	err_line(c->cmd, name,
		 "the kernel rejected the table (its log says why): Invalid "
		 "argument");
	return 1;
}
