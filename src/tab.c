/* SPDX-License-Identifier: MIT */
/* veritytab: name data-device hash-device roothash [options]
 * crypttab:  name device [keyfile|none|-] [options]
 * options:   comma-separated, key or key=value; "-" means none. */
#include "tab.h"

#include <errno.h>
#include <string.h>

#include "util.h"

#define TAB_WORDS_MAX 5

void tab_init(struct tab_reader *r, char *text, size_t len)
{
	r->p = text;
	r->end = text + len;
	r->line = 0;
	r->err = NULL;
}

static int bad(struct tab_reader *r, const char *why)
{
	r->err = why;
	return -EINVAL;
}

/* Splits one NUL-terminated line into words in place, removing quotes. */
static int split(struct tab_reader *r, char *s, char **w, int *n)
{
	*n = 0;
	for (;;) {
		char *o, q = 0;

		while (is_space(*s))
			s++;
		if (!*s)
			return 0;
		if (*n == TAB_WORDS_MAX)
			return bad(r, "too many fields");
		w[(*n)++] = o = s;
		for (; *s && (q || !is_space(*s)); s++) {
			if (*s == '\\')
				return bad(
					r,
					"backslash escapes are not supported");
			if (*s == q)
				q = 0;
			else if (!q && (*s == '\'' || *s == '"'))
				q = *s;
			else
				*o++ = *s;
		}
		if (q)
			return bad(r, "unterminated quote");
		if (*s)
			s++;
		*o = 0;
	}
}

int tab_opts_parse(struct tab_reader *r, char *s, struct tab_entry *e)
{
	if (!strcmp(s, "-"))
		return 0;
	while (*s) {
		char *next = str_chr(s, ','), *eq;

		if (next)
			*next++ = 0;
		else
			next = s + strlen(s);
		if (*s) {
			if (e->nopt == TAB_OPTS_MAX) {
				r->err = "too many options";
				return -E2BIG;
			}
			eq = str_chr(s, '=');
			if (eq)
				*eq++ = 0;
			e->opt[e->nopt].key = s;
			e->opt[e->nopt++].val = eq;
		}
		s = next;
	}
	return 0;
}

int tab_next(struct tab_reader *r, enum tab_kind kind, struct tab_entry *e)
{
	static const char min[] = {4, 2}, max[] = {5, 4};
	char *w[TAB_WORDS_MAX], *line, *nl;
	int n, err;

	for (;;) {
		if (r->p >= r->end)
			return 0;
		line = r->p;
		nl = mem_chr(line, '\n', (size_t)(r->end - line));
		if (!nl)
			nl = r->end;
		r->p = nl + 1;
		r->line++;
		r->err = NULL;
		if (mem_chr(line, 0, (size_t)(nl - line)))
			return bad(r, "NUL byte");
		*nl = 0;
		while (is_space(*line))
			line++;
		if (*line && *line != '#')
			break;
	}
	memset(e, 0, sizeof(*e));
	e->line = r->line;
	err = split(r, line, w, &n);
	if (err)
		return err;
	if (n < min[kind])
		return bad(r, "too few fields");
	if (n > max[kind])
		return bad(r, "too many fields");
	e->name = w[0];
	e->dev = w[1];
	if (kind == TAB_VERITY) {
		e->hash = w[2];
		e->roothash = w[3];
	} else if (n > 2 && *w[2] && strcmp(w[2], "-") &&
		   strcmp(w[2], "none")) {
		e->key = w[2];
	}
	err = n == max[kind] ? tab_opts_parse(r, w[n - 1], e) : 0;
	return err ? err : 1;
}

const struct tab_opt *tab_opt(const struct tab_entry *e, const char *key)
{
	const struct tab_opt *o = NULL;
	unsigned i;

	for (i = 0; i < e->nopt; i++)
		if (!strcmp(e->opt[i].key, key))
			o = &e->opt[i];
	return o;
}
