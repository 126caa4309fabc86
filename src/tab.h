/* systemd's /etc/veritytab and /etc/crypttab lines, parsed in place. No
 * I/O: the caller reads the file into a writable buffer. */
#ifndef DMBOOT_TAB_H
#define DMBOOT_TAB_H

#include <stddef.h>

enum tab_kind { TAB_VERITY, TAB_CRYPT };

#define TAB_OPTS_MAX 32
struct tab_opt {
	const char *key, *val; /* val NULL: no '=' */
};

struct tab_entry {
	unsigned line;
	const char *name, *dev;
	const char *hash, *roothash; /* veritytab */
	const char *key; /* crypttab: NULL for none, '-' or absent */
	unsigned nopt;
	struct tab_opt opt[TAB_OPTS_MAX]; /* in the order written, unknown
					   * ones included */
};

struct tab_reader {
	char *p, *end;
	unsigned line; /* of the entry returned or the error */
	const char *err; /* what was wrong on that line */
};

/* text[len] must be writable too: a last line without a newline gets its
 * NUL there. */
void tab_init(struct tab_reader *r, char *text, size_t len);
/* The next entry: 1 and *e (pointing into the text), 0 at the end, or
 * -EINVAL / -E2BIG with r->line and r->err. Blank lines and lines
 * starting with '#' are skipped. Words are plain or quoted with '' or ""
 * (quotes removed, as systemd does); backslashes are refused. */
int tab_next(struct tab_reader *r, enum tab_kind kind, struct tab_entry *e);
/* The last option named key (later ones win, as in systemd), or NULL. */
const struct tab_opt *tab_opt(const struct tab_entry *e, const char *key);
/* Comma-separated options (or "-") into e->opt, in place, as a line's
 * last field; -E2BIG with r->err past TAB_OPTS_MAX. */
int tab_opts_parse(struct tab_reader *r, char *s, struct tab_entry *e);

/* In cmd-tab.c: the command line an entry stands for ("verity open ..."
 * or "crypt open ..."), devices named UUID=... resolved, options mapped
 * as the tab command maps them, for cli_run(). */
#define TAB_ARGS_MAX (TAB_OPTS_MAX + 16)
#define TAB_PATH_LEN 128
struct tab_line {
	char *argv[TAB_ARGS_MAX + 1];
	int argc;
	char opts[TAB_ARGS_MAX][TAB_PATH_LEN + 32];
	char paths[3][TAB_PATH_LEN];
	int nopts, npaths;
};
struct cli;
struct buf;
/* The file at path into text (buf_free it after), r ready for tab_next().
 * 0 or -errno (text freed). */
int tab_read(struct buf *text, const char *path, struct tab_reader *r);
/* Each target of t as a line: prefix, name, ": start length type
 * params" (the dry runs of tab and init), a crypt key masked as the
 * table command masks it. */
struct table;
void tab_out_table(const char *prefix, const char *name, const struct table *t);
/* 0, or -errno after printing the line's error. l zeroed by the caller. */
int tab_argv(struct cli *c, enum tab_kind kind, const struct tab_entry *e,
	     struct tab_line *l);

#endif
