/* SPDX-License-Identifier: MIT */
/* CMD(help, "help", HELP, 0, 0, dmsetup_opts, "[-c|-C|--columns]") */
/* The command table and the way into it: picks the command from argv[0]
 * or the first word, parses its options and runs it. Above the commands:
 * they call cli.c, never this file. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "out.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(struct cli *c);
	uint8_t min, max;
	const struct optset *opts;
	const char *usage;
};

/* Only the selected commands: the others leave neither code nor strings. */
#define CMD(fn, name, sym, min, max, opts, usage)                              \
	{name, cmd_##fn, min, max, &opts, CFG_CMD_HELP ? usage : ""},
static const struct command commands[] = {
#include "cmds.h"
	{NULL, NULL, 0, 0, NULL, NULL},
};
#undef CMD

static CLI_OPTSET(base_opts, CLI_BASE_OPTIONS);

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

/* Does any selected command bring options of its own? Folded at compile
 * time, so builds without such commands carry no multi-call code. */
#define CMD(fn, name, sym, min, max, opts, usage) || &opts != &dmsetup_opts
static int own_optsets(void)
{
	return 0
#include "cmds.h"
		;
}
#undef CMD

/* Does any selected command speak dmsetup's options? If none does, only
 * --help and --version are left to parse before a command name. */
#define CMD(fn, name, sym, min, max, opts, usage) || &opts == &dmsetup_opts
static int dmsetup_optsets(void)
{
	return 0
#include "cmds.h"
		;
}
#undef CMD

static const struct command *find(const char *name)
{
	const struct command *p;

	for (p = commands; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *s = path;

	for (; *path; path++)
		if (*path == '/')
			s = path + 1;
	return s;
}

int dispatch_main(int argc, char **argv)
{
	struct cli c = {0}; /* not static: tests call main more than once */
	const struct optset *shared =
		dmsetup_optsets() ? &dmsetup_opts : &base_opts;
	const struct command *p = NULL;
	int n, r;

	/* A command with options of its own (veritysetup's, cryptsetup's)
	 * is reached through its multi-call name (argv[0]) or as the first
	 * argument; everything else speaks dmsetup, options anywhere. */
	if (!own_optsets()) {
		p = NULL;
	} else if (argc > 0 && (p = find(base_name(argv[0]))) &&
		   p->opts != shared) {
		c.cmd = p->name;
	} else if (argc > 1 && (p = find(argv[1])) && p->opts != shared) {
		c.cmd = p->name;
		argc--;
		argv++;
	} else {
		p = NULL;
	}
	n = cli_parse(&c, p ? p->opts : shared, argc, argv);
	if (n < 0)
		return 1;
	if (p) {
		c.argv = argv;
		c.argc = n;
	} else {
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
		p = find(c.cmd);
		if (!p || p->opts != shared) {
			err_line("unknown command", c.cmd, NULL);
			return 1;
		}
	}
	if (CFG_CMD_HELP)
		c.usage = p->usage;
	c.argv[c.argc] = NULL;
	if (c.argc < p->min || c.argc > p->max)
		return cli_usage(&c, c.argc < p->min ? "too few arguments"
						     : "too many arguments");
	dm_init(&c.dm);
	r = p->fn(&c);
	dm_done(&c.dm);
	/* Once, after the fact: the key was used anyway (see secret.h). */
	if (CFG_SECRET_MEMORY && c.dm.unlocked)
		err_line(c.cmd,
			 "warning: key memory could not be locked (mlock): "
			 "it may have reached swap",
			 NULL);
	if (out_flush() && !r) {
		char buf[32];

		err_line(c.cmd, "write error",
			 dm_strerror(&c.dm, -errno, buf, sizeof(buf)));
		r = 1;
	}
	return r;
}
