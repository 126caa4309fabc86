/* SPDX-License-Identifier: MIT */
/* What every command gets: parsed options, its arguments, the dm context. */
#ifndef DMBOOT_CLI_H
#define DMBOOT_CLI_H

#include "config.h"
#include "dm.h"

/* X(ID, SHORT, LONG, TAKES_ARG): dmsetup's option spellings. The first
 * two are all that a build without dmsetup's commands understands. */
#define CLI_BASE_OPTIONS(X)                                                    \
	X(HELP, "h", "help", 0)                                                \
	X(VERSION, "-", "version", 0)
#define CLI_OPTIONS(X)                                                         \
	CLI_BASE_OPTIONS(X)                                                    \
	X(COLUMNS, "c", "columns", 0)                                          \
	X(COLUMNS_C, "C", "", 0)                                               \
	X(FORCE, "f", "force", 0)                                              \
	X(MAJOR, "j", "major", 1)                                              \
	X(MINOR, "m", "minor", 1)                                              \
	X(NOTABLE, "n", "notable", 0)                                          \
	X(OPTIONS, "o", "options", 1)                                          \
	X(READONLY, "r", "readonly", 0)                                        \
	X(UUID, "u", "uuid", 1)                                                \
	X(VERBOSE, "v", "verbose", 0)                                          \
	X(YES, "y", "yes", 0)                                                  \
	X(NOHEADINGS, "-", "noheadings", 0)                                    \
	X(TABLE, "-", "table", 1)                                              \
	X(TARGET, "-", "target", 1)                                            \
	X(SHOWKEYS, "-", "showkeys", 0)                                        \
	X(CONCISE, "-", "concise", 0)                                          \
	X(NOLOCKFS, "-", "nolockfs", 0)                                        \
	X(NOFLUSH, "-", "noflush", 0)                                          \
	X(RETRY, "-", "retry", 0)                                              \
	X(DEFERRED, "-", "deferred", 0)                                        \
	X(SETUUID, "-", "setuuid", 0)                                          \
	X(INACTIVE, "-", "inactive", 0)                                        \
	X(NOUDEVSYNC, "-", "noudevsync", 0)                                    \
	X(NOUDEVRULES, "-", "noudevrules", 0)                                  \
	X(VERIFYUDEV, "-", "verifyudev", 0)

#define CLI_OPT_ENUM(id, s, l, a) OPT_##id,
enum cli_opt { CLI_OPTIONS(CLI_OPT_ENUM) OPT_COUNT };
#undef CLI_OPT_ENUM

/* A family of options: dmsetup's (options anywhere on the line), or a
 * command's own, like veritysetup's or cryptsetup's, whose spellings
 * clash with dmsetup's (-c, -o, -h). Such a command names its set in its
 * CMD line and must come first: "dmboot verity open ...". Build one with
 * CLI_OPTSET(name, LIST) where LIST is an X(ID, SHORT, LONG, TAKES_ARG)
 * list like CLI_OPTIONS (SHORT "-": none); the enum of IDs indexes c->arg.
 * The set is one string, an entry per option: a byte 1 (flag) or 2
 * (takes an argument), the short letter, the long name, a NUL. */
struct optset {
	uint8_t n;
	const char *defs;
};
#define CLI_OPTARG_0 "\1"
#define CLI_OPTARG_1 "\2"
#define CLI_OPTDEF(id, s, l, a) CLI_OPTARG_##a s l "\0"
#define CLI_OPTCOUNT(id, s, l, a) +1
#define CLI_OPTSET(name, LIST)                                                 \
	const struct optset name = {0 LIST(CLI_OPTCOUNT), LIST(CLI_OPTDEF)}
#define CLI_MAX_OPTS 64
/* The long name of option k of a set ("" if it has none). */
const char *cli_opt_name(const struct optset *set, int k);
extern const struct optset dmsetup_opts;

struct cli {
	struct dm_ctx dm;
	const char *cmd; /* for messages */
	int argc; /* positional arguments after the command name */
	char **argv;
	uint64_t set; /* bit per option of the command's set */
	const char *arg[CLI_MAX_OPTS];
	const char *usage; /* the command's usage line, for cli_usage */
};

static inline int opt(const struct cli *c, int o)
{
	return (c->set >> o) & 1;
}

/* --noflush and --nolockfs as DEV_SUSPEND flags. */
static inline uint32_t cli_suspend_flags(const struct cli *c)
{
	return (opt(c, OPT_NOFLUSH) ? DM_NOFLUSH_FLAG : 0) |
	       (opt(c, OPT_NOLOCKFS) ? DM_SKIP_LOCKFS_FLAG : 0);
}

/* Prints "dmboot: CMD: WHAT: REASON" for a dm-layer error; returns 1. */
int cli_fail(struct cli *c, const char *what, int err);
/* Options of set from argv[1..argc-1] into c, before or after the
 * positionals, as with dmsetup's getopt_long; "--" ends them. Returns
 * the number of positionals left in argv (compacted), or -1 after
 * printing the error. */
int cli_parse(struct cli *c, const struct optset *set, int argc, char **argv);
/* The command line: finds the command, parses its options, runs it and
 * returns the exit code (dispatch.c, main's half below /init). */
int dispatch_main(int argc, char **argv);
/* Usage error for the current command; returns 1. */
int cli_usage(struct cli *c, const char *why);

/* Every command: CMD(fn, "name", SYMBOL, min args, max args, OPTSET,
 * "usage"), written in a comment at the top of its file and collected by
 * make. */
#define CMD(fn, name, sym, min, max, opts, usage)                              \
	int cmd_##fn(struct cli *c);                                           \
	extern const struct optset opts;
#include "cmds-all.h"
#undef CMD

#endif
