/* SPDX-License-Identifier: MIT */
/* CMD(init, "init", INIT, 0, 255, init_opts, "[--dry-run [--cmdline CMDLINE] [INIT_ARG...]]") */
#include <unistd.h>

#include "cli.h"
#include "init.h"

#define INIT_OPTIONS(X)                                                        \
	X(DRY_RUN, "n", "dry-run", 0)                                          \
	X(CMDLINE, "-", "cmdline", 1)
#define INIT_OPT_ENUM(id, s, l, a) IOPT_##id,
enum { INIT_OPTIONS(INIT_OPT_ENUM) IOPT_COUNT };
CLI_OPTSET(init_opts, INIT_OPTIONS);

int cmd_init(struct cli *c)
{
	if (getpid() == 1)
		return init_run(&c->dm, INIT_PID1, NULL, c->argc, c->argv);
	if (opt(c, IOPT_DRY_RUN) && !CFG_DRY_RUN)
		return cli_usage(c, "--dry-run is not built into this dmboot");
	if (opt(c, IOPT_DRY_RUN))
		return init_run(&c->dm, INIT_DRY_RUN, c->arg[IOPT_CMDLINE],
				c->argc, c->argv);
	if (opt(c, IOPT_CMDLINE) || c->argc)
		return cli_usage(c,
				 "--cmdline and arguments go with --dry-run");
	return init_run(&c->dm, INIT_ACTIVATE, NULL, 0, NULL);
}

int init_main(int argc, char **argv)
{
	struct dm_ctx dm;

	dm_init(&dm);
	return init_run(&dm, INIT_PID1, NULL, argc > 0 ? argc - 1 : 0,
			argc > 0 ? argv + 1 : argv);
}
