/* CMD(help, "help", HELP, 0, 0, "[-c|-C|--columns]") */
/* Entry point: picks the personality from argv[0], parses dmsetup-style
 * options anywhere on the line, and runs one command. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "out.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(struct cli *c);
	uint8_t min, max;
	const char *usage;
};

/* Only the selected commands: the others leave neither code nor strings. */
#define CMD(fn, name, sym, min, max, usage)                                    \
	{name, cmd_##fn, min, max, CFG_CMD_HELP ? usage : ""},
static const struct command commands[] = {
#include "cmds.h"
	{NULL, NULL, 0, 0, NULL},
};
#undef CMD

#define OPT_SHORT(id, s, l, a) s,
#define OPT_LONG(id, s, l, a) l,
#define OPT_ARG(id, s, l, a) a,
static const char opt_short[] = {CLI_OPTIONS(OPT_SHORT)};
static const char *const opt_long[] = {CLI_OPTIONS(OPT_LONG)};
static const uint8_t opt_arg[] = {CLI_OPTIONS(OPT_ARG)};

int cli_fail(struct cli *c, const char *what, int err)
{
	char buf[96];

	err_line(c->cmd, what, dm_strerror(&c->dm, err, buf, sizeof(buf)));
	return 1;
}

int cli_usage(struct cli *c, const char *why)
{
	const struct command *p;

	err_line(c->cmd, why, NULL);
	for (p = commands; CFG_CMD_HELP && p->name; p++) {
		if (!strcmp(p->name, c->cmd)) {
			err_raw("Usage: dmboot ");
			err_raw(c->cmd);
			err_raw(" ");
			err_raw(p->usage);
			err_raw("\n");
		}
	}
	return 1;
}

/* Usage goes to stderr, as dmsetup's does. */
int cmd_help(struct cli *c)
{
	const struct command *p;

	(void)c;
	if (!CFG_CMD_HELP) {
		err_line("no command given", NULL, NULL);
		return 0;
	}
	err_raw("Usage: dmboot COMMAND [OPTIONS]\n\n");
	for (p = commands; p->name; p++) {
		err_raw("\t");
		err_raw(p->name);
		err_raw(" ");
		err_raw(p->usage);
		err_raw("\n");
	}
	return 0;
}

static int set_opt(struct cli *c, int i, const char *arg)
{
	c->set |= 1u << i;
	c->arg[i] = arg;
	return 0;
}

/* Options may stand before or after the command, as with dmsetup's
 * getopt_long; "--" ends them. Returns the number of positionals left
 * in argv (compacted), or -1 after printing the error. */
static int parse_args(struct cli *c, int argc, char **argv)
{
	int i, n = 0, k, dashdash = 0;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];

		if (dashdash || a[0] != '-' || !a[1]) {
			argv[n++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = 1;
			continue;
		}
		if (a[1] == '-') {
			size_t len = strlen(a + 2);
			char *eq = memchr(a + 2, '=', len);

			if (eq)
				len = (size_t)(eq - a - 2);

			for (k = 0; k < OPT_COUNT; k++)
				if (opt_long[k] && strlen(opt_long[k]) == len &&
				    !memcmp(opt_long[k], a + 2, len))
					break;
			if (k == OPT_COUNT) {
				err_line("unrecognized option", a, NULL);
				return -1;
			}
			if (!opt_arg[k]) {
				if (eq) {
					err_line("option takes no argument", a,
						 NULL);
					return -1;
				}
				set_opt(c, k, NULL);
			} else if (eq) {
				set_opt(c, k, eq + 1);
			} else if (i + 1 < argc) {
				set_opt(c, k, argv[++i]);
			} else {
				err_line("option requires an argument", a, NULL);
				return -1;
			}
			continue;
		}
		for (a++; *a; a++) {
			for (k = 0; k < OPT_COUNT; k++)
				if (opt_short[k] && opt_short[k] == *a)
					break;
			if (k == OPT_COUNT) {
				char s[3] = {'-', *a, 0};

				err_line("invalid option", s, NULL);
				return -1;
			}
			if (!opt_arg[k]) {
				set_opt(c, k, NULL);
				continue;
			}
			if (a[1])
				set_opt(c, k, a + 1);
			else if (i + 1 < argc)
				set_opt(c, k, argv[++i]);
			else {
				char s[3] = {'-', *a, 0};

				err_line("option requires an argument", s, NULL);
				return -1;
			}
			break;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	struct cli c = {0}; /* not static: tests call main more than once */
	const struct command *p;
	int n, r;

	n = parse_args(&c, argc, argv);
	if (n < 0)
		return 1;
	if (opt(&c, OPT_VERSION) && !n) {
		out_str(DMBOOT_VERSION "\n");
		return out_flush() ? 1 : 0;
	}
	if (!n || opt(&c, OPT_HELP)) {
		cmd_help(&c);
		return n ? 0 : 1;
	}
	c.cmd = argv[0];
	c.argv = argv + 1;
	c.argc = n - 1;
	c.argv[c.argc] = NULL;
	for (p = commands; p->name; p++)
		if (!strcmp(p->name, c.cmd))
			break;
	if (!p->name) {
		err_line("unknown command", c.cmd, NULL);
		return 1;
	}
	if (c.argc < p->min || c.argc > p->max)
		return cli_usage(&c, c.argc < p->min
					     ? "too few arguments"
					     : "too many arguments");
	dm_init(&c.dm);
	r = p->fn(&c);
	dm_done(&c.dm);
	if (out_flush() && !r) {
		char buf[32];

		err_line(c.cmd, "write error",
			 dm_strerror(&c.dm, -errno, buf, sizeof(buf)));
		r = 1;
	}
	return r;
}
