/* SPDX-License-Identifier: MIT */
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

#endif
