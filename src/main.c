/* CMD(help, "help", HELP, 0, 0, dmsetup_opts, "[-c|-C|--columns]") */
/* Entry point: picks the personality from argv[0], parses dmsetup-style
 * options anywhere on the line, and runs one command. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "init.h"
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

CLI_OPTSET(dmsetup_opts, CLI_OPTIONS);
static CLI_OPTSET(base_opts, CLI_BASE_OPTIONS);

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

/* Options may stand before or after the command, as with dmsetup's
 * getopt_long; "--" ends them. Returns the number of positionals left
 * in argv (compacted), or -1 after printing the error. */
static int parse_args(struct cli *c, const struct optset *set, int argc,
		      char **argv)
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

int main(int argc, char **argv)
{
	struct cli c = {0}; /* not static: tests call main more than once */
	const struct optset *shared =
		dmsetup_optsets() ? &dmsetup_opts : &base_opts;
	const struct command *p = NULL;
	int n, r;

	/* As /init: the kernel's leftover words are not our options. */
	if (CFG_CMD_INIT && getpid() == 1)
		return init_main(argc, argv);
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
	n = parse_args(&c, p ? p->opts : shared, argc, argv);
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
