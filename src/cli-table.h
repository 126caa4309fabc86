/* SPDX-License-Identifier: MIT */
#ifndef DMBOOT_CLI_TABLE_H
#define DMBOOT_CLI_TABLE_H

#include "cli.h"
#include "table.h"

/* Fills t from --table, FILE or stdin; prints the error and returns 1. */
int cli_read_table(struct cli *c, const char *file, struct table *t);

/* Reports a failed create or load, naming a target type the kernel lacks
 * when that is why it refused. Returns 1. */
int cli_table_fail(struct cli *c, const char *name, const struct table *t,
		   int err);

#endif
