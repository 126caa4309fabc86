#ifndef DMBOOT_CLI_TABLE_H
#define DMBOOT_CLI_TABLE_H

#include "cli.h"
#include "table.h"

/* Fills t from --table, FILE or stdin; prints the error and returns 1. */
int cli_read_table(struct cli *c, const char *file, struct table *t);

#endif
