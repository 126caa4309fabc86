/* What every command gets: parsed options, its arguments, the dm context. */
#ifndef DMBOOT_CLI_H
#define DMBOOT_CLI_H

#include "config.h"
#include "dm.h"

/* X(ID, SHORT, LONG, TAKES_ARG): dmsetup's option spellings. */
#define CLI_OPTIONS(X)                                                         \
	X(COLUMNS, 'c', "columns", 0)                                          \
	X(COLUMNS_C, 'C', NULL, 0)                                             \
	X(FORCE, 'f', "force", 0)                                              \
	X(HELP, 'h', "help", 0)                                                \
	X(MAJOR, 'j', "major", 1)                                              \
	X(MINOR, 'm', "minor", 1)                                              \
	X(NOTABLE, 'n', "notable", 0)                                          \
	X(OPTIONS, 'o', "options", 1)                                          \
	X(READONLY, 'r', "readonly", 0)                                        \
	X(UUID, 'u', "uuid", 1)                                                \
	X(VERBOSE, 'v', "verbose", 0)                                          \
	X(YES, 'y', "yes", 0)                                                  \
	X(NOHEADINGS, 0, "noheadings", 0)                                      \
	X(TABLE, 0, "table", 1)                                                \
	X(TARGET, 0, "target", 1)                                              \
	X(SHOWKEYS, 0, "showkeys", 0)                                          \
	X(CONCISE, 0, "concise", 0)                                            \
	X(NOLOCKFS, 0, "nolockfs", 0)                                          \
	X(NOFLUSH, 0, "noflush", 0)                                            \
	X(RETRY, 0, "retry", 0)                                                \
	X(DEFERRED, 0, "deferred", 0)                                          \
	X(SETUUID, 0, "setuuid", 0)                                            \
	X(INACTIVE, 0, "inactive", 0)                                          \
	X(NOUDEVSYNC, 0, "noudevsync", 0)                                      \
	X(NOUDEVRULES, 0, "noudevrules", 0)                                    \
	X(VERIFYUDEV, 0, "verifyudev", 0)                                      \
	X(VERSION, 0, "version", 0)

#define CLI_OPT_ENUM(id, s, l, a) OPT_##id,
enum cli_opt { CLI_OPTIONS(CLI_OPT_ENUM) OPT_COUNT };
#undef CLI_OPT_ENUM

/* A family of options: dmsetup's (options anywhere on the line), or a
 * command's own, like veritysetup's or cryptsetup's, whose spellings
 * clash with dmsetup's (-c, -o, -h). Such a command names its set in its
 * CMD line and must come first: "dmboot verity open ...". Build one with
 * CLI_OPTSET(name, LIST) where LIST is an X(ID, SHORT, LONG, TAKES_ARG)
 * list like CLI_OPTIONS; the enum of IDs indexes c->arg. */
struct optdef {
	char s;
	uint8_t takes_arg;
	const char *l;
};
struct optset {
	uint8_t n;
	const struct optdef *d;
};
#define CLI_OPTDEF(id, s, l, a) {s, a, l},
#define CLI_OPTSET(name, LIST)                                                 \
	static const struct optdef name##_defs[] = {LIST(CLI_OPTDEF)};         \
	const struct optset name = {                                           \
		sizeof(name##_defs) / sizeof(name##_defs[0]), name##_defs}
#define CLI_MAX_OPTS 64
extern const struct optset dmsetup_opts;

struct cli {
	struct dm_ctx dm;
	const char *cmd; /* for messages */
	int argc; /* positional arguments after the command name */
	char **argv;
	uint64_t set; /* bit per option of the command's set */
	const char *arg[CLI_MAX_OPTS];
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
/* Runs another command line in parent's device-mapper context, as tab
 * files and init run verity and crypt lines: argv[0] names the command,
 * which takes its own options (or dmsetup's) from argv[1..]; argv is
 * rearranged in place and needs room for a NULL at argv[argc]. */
int cli_run(struct cli *parent, int argc, char **argv);
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
