/* A veritytab or crypttab line made active: its device names resolved,
 * its options through the tab's key map, then the verity or crypt
 * activation. What the tab command and /init share. */
#ifndef DMBOOT_TAB_OPEN_H
#define DMBOOT_TAB_OPEN_H

#include "tab.h"

struct buf;
struct dm_ctx;
struct table;

#define TAB_PATH_LEN 128
#define TAB_ARGS_MAX (TAB_OPTS_MAX + 16)
/* What a line stands for, ready for tab_open_activate(); it points into
 * the line's text and into paths (devices named UUID=... resolved). */
struct tab_open {
	enum tab_kind kind;
	char *argv[TAB_ARGS_MAX + 1];
	int argc;
	char opts[TAB_ARGS_MAX][TAB_PATH_LEN + 32];
	char paths[3][TAB_PATH_LEN];
	int nopts, npaths;
};

/* The file at path into text (buf_free it after), r ready for tab_next().
 * 0 or -errno (text freed). */
int tab_read(struct buf *text, const char *path, struct tab_reader *r);
/* Each target of t as a line: prefix, name, ": start length type
 * params" (the dry runs of tab and init), a crypt key masked as the
 * table command masks it. */
void tab_out_table(const char *prefix, const char *name, const struct table *t);

/* "dmboot: CMD: PATH: line N: WHY" for the line r refused. */
void tab_err_line(const char *cmd, const char *path,
		  const struct tab_reader *r);

/* e into t (zeroed here). 0, or -errno after printing the line's error
 * as "dmboot: CMD: ...". */
int tab_open_fill(const struct dm_ctx *ctx, const char *cmd,
		  enum tab_kind kind, const struct tab_entry *e,
		  struct tab_open *t);
/* The activation t stands for; 0, or -errno after printing why as the
 * verity or crypt command would. */
int tab_open_activate(struct dm_ctx *ctx, struct tab_open *t);
/* A line of a tab file: skipped (TAB_SKIPPED, "NAME: active, skipped"
 * on stdout) when its device exists, else filled and activated: 0, or
 * -errno after its error line. */
#define TAB_SKIPPED 1
int tab_line_activate(struct dm_ctx *ctx, const char *cmd, enum tab_kind kind,
		      const struct tab_entry *e);

#endif
