/* SPDX-License-Identifier: MIT */
/* The command-line library under every command: dmsetup's option set, the
 * option parser, and the one-line failure and usage messages. The command
 * table that calls the commands is above them, in dispatch.c. */
#include <string.h>

#include "cli.h"
#include "out.h"
#include "util.h"

CLI_OPTSET(dmsetup_opts, CLI_OPTIONS);

int cli_fail(struct cli *c, const char *what, int err)
{
	char buf[96];

	err_line(c->cmd, what, dm_strerror(&c->dm, err, buf, sizeof(buf)));
	return 1;
}

int cli_usage(struct cli *c, const char *why)
{
	err_line(c->cmd, why, NULL);
	if (CFG_CMD_HELP && c->usage) {
		err_raw("Usage: dmboot ");
		err_raw(c->cmd);
		err_raw(" ");
		err_raw(c->usage);
		err_raw("\n");
	}
	return 1;
}

/* The entry after e in an optset string. */
static const char *next_def(const char *e)
{
	return e + 2 + strlen(e + 2) + 1;
}

const char *cli_opt_name(const struct optset *set, int k)
{
	const char *e = set->defs;

	while (k-- > 0)
		e = next_def(e);
	return e + 2;
}

static int bad_opt(const char *why, const char *a)
{
	err_line(why, a, NULL);
	return -1;
}

int cli_parse(struct cli *c, const struct optset *set, int argc, char **argv)
{
	int i, n = 0, k, dashdash = 0;

	for (i = 1; i < argc; i++) {
		char *a = argv[i], *val = NULL;
		const char *e = set->defs;
		char s[3] = {'-', 0, 0};

		if (dashdash || a[0] != '-' || !a[1]) {
			argv[n++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = 1;
			continue;
		}
		if (a[1] == '-') {
			size_t len = (size_t)(str_chrnul(a + 2, '=') - (a + 2)),
			       j;

			for (k = 0; k < set->n; k++, e = next_def(e)) {
				for (j = 0; j < len && e[2 + j] == a[2 + j];
				     j++)
					;
				if (len && j == len && !e[2 + len])
					break;
			}
			if (k == set->n)
				return bad_opt("unrecognized option", a);
			if (a[2 + len])
				val = a + 3 + len;
			if (*e == 1 && val)
				return bad_opt("option takes no argument", a);
		} else {
			a++;
		short_opt:
			for (k = 0; k < set->n; k++, e = next_def(e))
				if (e[1] == *a && *a != '-')
					break;
			s[1] = *a;
			if (k == set->n)
				return bad_opt("invalid option", s);
			if (*e == 1) {
				c->set |= (uint64_t)1 << k;
				if (*++a) {
					e = set->defs;
					goto short_opt;
				}
				continue;
			}
			if (a[1])
				val = a + 1;
			a = s;
		}
		if (*e == 2 && !val) {
			if (i + 1 == argc)
				return bad_opt("option requires an argument",
					       a);
			val = argv[++i];
		}
		c->set |= (uint64_t)1 << k;
		c->arg[k] = val;
	}
	return n;
}
