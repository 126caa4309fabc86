/* SPDX-License-Identifier: MIT */
/* CMD(tab, "tab", TAB, 0, 255, tab_opts, "[--dry-run] [--verity|--crypt] [FILE...]  (default /etc/veritytab /etc/crypttab)") */
/* systemd's veritytab and crypttab, line by line, each made active by
 * tab_line_activate (tab-open.c), as /init does: device names (UUID=,
 * PARTUUID=, ...) resolved, options into the verity or crypt activation,
 * active devices and noauto lines skipped. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "out.h"
#include "tab-open.h"
#include "util.h"

#define TAB_OPTIONS(X)                                                         \
	X(TO_DRY_RUN, "-", "dry-run", 0)                                       \
	X(TO_VERITY, "-", "verity", 0)                                         \
	X(TO_CRYPT, "-", "crypt", 0)
#define TAB_ENUM(id, s, l, a) id,
enum { TAB_OPTIONS(TAB_ENUM) };
CLI_OPTSET(tab_opts, TAB_OPTIONS);

static void print_dry_run(const char *name, const char *uuid, uint32_t flags,
			  const struct table *t)
{
	(void)uuid;
	(void)flags;
	tab_out_table("", name, t);
}

/* 0, or 1 when a line that matters failed. A missing optional file is
 * no failure. */
static int run_file(struct cli *c, const char *path, enum tab_kind kind,
		    int optional)
{
	struct buf text = {0};
	struct tab_reader rd;
	struct tab_entry e;
	int r, failed = 0;

	r = tab_read(&text, path, &rd);
	if (r)
		return optional && r == -ENOENT ? 0 : cli_fail(c, path, r);
	while ((r = tab_next(&rd, kind, &e)) > 0) {
		if (tab_opt(&e, "noauto"))
			continue;
		if (tab_line_activate(&c->dm, c->cmd, kind, &e) < 0 &&
		    !tab_opt(&e, "nofail"))
			failed = 1;
	}
	if (r < 0) {
		tab_err_line(c->cmd, path, &rd);
		failed = 1;
	}
	buf_free(&text);
	return failed;
}

static int kind_of(struct cli *c, const char *path, enum tab_kind *kind)
{
	if (opt(c, TO_VERITY) || opt(c, TO_CRYPT)) {
		*kind = opt(c, TO_VERITY) ? TAB_VERITY : TAB_CRYPT;
		return 0;
	}
	if (str_find(path, "veritytab"))
		*kind = TAB_VERITY;
	else if (str_find(path, "crypttab"))
		*kind = TAB_CRYPT;
	else
		return -EINVAL;
	return 0;
}

int cmd_tab(struct cli *c)
{
	static const char *const defaults[] = {"/etc/veritytab",
					       "/etc/crypttab"};
	enum tab_kind kind;
	int i, failed = 0;

	if (opt(c, TO_DRY_RUN) && !CFG_DRY_RUN)
		return cli_usage(c, "--dry-run is not built into this dmboot");
	if (opt(c, TO_DRY_RUN))
		c->dm.dry_run = print_dry_run;
	if (!c->argc) {
		/* The defaults are optional; a named file is not. */
		for (i = 0; i < 2; i++)
			failed |= run_file(c, defaults[i],
					   i ? TAB_CRYPT : TAB_VERITY, 1);
		return failed;
	}
	for (i = 0; i < c->argc; i++) {
		if (kind_of(c, c->argv[i], &kind))
			return cli_usage(
				c, "name the file *veritytab or "
				   "*crypttab, or say --verity or --crypt");
		failed |= run_file(c, c->argv[i], kind, 0);
	}
	return failed;
}
