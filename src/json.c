/* SPDX-License-Identifier: MIT */
/* A strict JSON reader without allocation: see json.h. The grammar is
 * RFC 8259's; every read is checked against the text's length (the text
 * need not be NUL-terminated). */
#include <errno.h>
#include <string.h>

#include "json.h"
#include "util.h"

struct json_parser {
	const char *s;
	size_t len, pos;
	struct json_tok *tok;
	size_t max, n;
};

static int json_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void skip_ws(struct json_parser *p)
{
	while (p->pos < p->len &&
	       (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
		p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int tok_new(struct json_parser *p, int type, size_t start)
{
	struct json_tok *t;

	if (p->n >= p->max)
		return -E2BIG;
	t = &p->tok[p->n];
	t->type = (uint16_t)type;
	t->start = (uint32_t)start;
	t->len = 0;
	t->count = 0;
	t->next = 0;
	return (int)p->n++;
}

/* A string, number or word from start to pos: no tokens below it. */
static int tok_leaf(struct json_parser *p, int type, size_t start)
{
	int t = tok_new(p, type, start);

	if (t >= 0) {
		p->tok[t].len = (uint32_t)(p->pos - start);
		p->tok[t].next = (uint32_t)p->n;
	}
	return t;
}

/* Digits at pos, skipped: how many. */
static size_t digits(struct json_parser *p)
{
	size_t n = 0;

	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++, n++;
	return n;
}

/* At the opening quote; leaves pos after the closing one. */
static int parse_string(struct json_parser *p, int is_key)
{
	size_t start = ++p->pos;
	int t, k, v = 0;

	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return -EINVAL;
		c = (unsigned char)p->s[p->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return -EINVAL;
		if (c != '\\') {
			p->pos++;
			continue;
		}
		if (is_key)
			return -EILSEQ;
		if (++p->pos >= p->len)
			return -EINVAL;
		c = (unsigned char)p->s[p->pos];
		if (c == 'u') {
			if (p->len - p->pos < 5)
				return -EINVAL;
			for (k = 1, v = 0; k <= 4; k++) {
				int h = json_hex(p->s[p->pos + k]);

				if (h < 0)
					return -EINVAL;
				v = v << 4 | h;
			}
			if (v == 0 || v > 0x7f)
				return -EILSEQ;
			p->pos += 4;
		} else if (!c || !str_chr("\"\\/bfnrt", c)) {
			return -EINVAL;
		}
		p->pos++;
	}
	t = tok_leaf(p, JSON_STRING, start);
	p->pos++;
	return t;
}

static int parse_number(struct json_parser *p)
{
	size_t start = p->pos;

	if (p->s[p->pos] == '-')
		p->pos++;
	/* No leading zeros: "0" or a digit 1-9 and more. */
	if (p->pos < p->len && p->s[p->pos] == '0')
		p->pos++;
	else if (!digits(p))
		return -EINVAL;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!digits(p))
			return -EINVAL;
	}
	if (p->pos < p->len && (p->s[p->pos] | 0x20) == 'e') {
		p->pos++;
		if (p->pos < p->len &&
		    (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!digits(p))
			return -EINVAL;
	}
	return tok_leaf(p, JSON_NUMBER, start);
}

static int parse_word(struct json_parser *p, const char *w, int type)
{
	size_t n = strlen(w);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n))
		return -EINVAL;
	p->pos += n;
	return tok_leaf(p, type, p->pos - n);
}

static int key_seen(const struct json_parser *p, int obj, int key)
{
	const struct json_tok *k = &p->tok[key];
	int i = obj + 1;
	unsigned int m;

	for (m = 0; m < p->tok[obj].count; m++) {
		const struct json_tok *o = &p->tok[i];

		if (o->len == k->len &&
		    !memcmp(p->s + o->start, p->s + k->start, k->len))
			return 1;
		i = (int)p->tok[i + 1].next;
	}
	return 0;
}

static int parse_value(struct json_parser *p, int depth);

/* At '{' or '['. */
static int parse_container(struct json_parser *p, int depth)
{
	int is_obj = p->s[p->pos] == '{';
	char close = is_obj ? '}' : ']';
	int t, r;

	if (depth >= JSON_MAX_DEPTH)
		return -ELOOP;
	t = tok_new(p, is_obj ? JSON_OBJECT : JSON_ARRAY, p->pos);
	if (t < 0)
		return t;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		goto done;
	}
	for (;;) {
		if (is_obj) {
			int key;

			if (p->pos >= p->len || p->s[p->pos] != '"')
				return -EINVAL;
			key = parse_string(p, 1);
			if (key < 0)
				return key;
			if (key_seen(p, t, key))
				return -ENOTUNIQ;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return -EINVAL;
			p->pos++;
		}
		r = parse_value(p, depth + 1);
		if (r < 0)
			return r;
		if (p->tok[t].count == UINT16_MAX)
			return -E2BIG;
		p->tok[t].count++;
		skip_ws(p);
		if (p->pos >= p->len)
			return -EINVAL;
		if (p->s[p->pos] == close) {
			p->pos++;
			break;
		}
		if (p->s[p->pos] != ',')
			return -EINVAL;
		p->pos++;
		skip_ws(p);
	}
done:
	p->tok[t].len = (uint32_t)(p->pos - p->tok[t].start);
	p->tok[t].next = (uint32_t)p->n;
	return t;
}

static int parse_value(struct json_parser *p, int depth)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return -EINVAL;
	switch (p->s[p->pos]) {
	case '{':
	case '[':
		return parse_container(p, depth);
	case '"':
		return parse_string(p, 0);
	case 't':
		return parse_word(p, "true", JSON_TRUE);
	case 'f':
		return parse_word(p, "false", JSON_FALSE);
	case 'n':
		return parse_word(p, "null", JSON_NULL);
	default:
		return parse_number(p);
	}
}

int json_parse(struct json *j, const char *text, size_t len,
	       struct json_tok *tok, size_t max)
{
	struct json_parser p = {text, len, 0, tok, max, 0};
	int r;

	j->text = text;
	j->tok = tok;
	j->ntok = 0;
	if (len > UINT32_MAX || max > INT32_MAX)
		return -E2BIG;
	skip_ws(&p);
	if (p.pos >= len || text[p.pos] != '{')
		return -EINVAL;
	r = parse_value(&p, 0);
	if (r < 0)
		return r;
	skip_ws(&p);
	if (p.pos != len)
		return -EINVAL;
	j->ntok = (uint32_t)p.n;
	return 0;
}

int json_get_n(const struct json *j, int obj, const char *key, size_t n)
{
	unsigned int m;
	int i;

	if (obj < 0 || (uint32_t)obj >= j->ntok ||
	    j->tok[obj].type != JSON_OBJECT)
		return -EINVAL;
	i = obj + 1;
	for (m = 0; m < j->tok[obj].count; m++) {
		const struct json_tok *k = &j->tok[i];

		if (k->len == n && !memcmp(j->text + k->start, key, n))
			return i + 1;
		i = (int)j->tok[i + 1].next;
	}
	return -ENOENT;
}

int json_get(const struct json *j, int obj, const char *key)
{
	return json_get_n(j, obj, key, strlen(key));
}

int json_elem(const struct json *j, int arr, unsigned int i)
{
	int t;

	if (arr < 0 || (uint32_t)arr >= j->ntok ||
	    j->tok[arr].type != JSON_ARRAY)
		return -EINVAL;
	if (i >= j->tok[arr].count)
		return -ENOENT;
	for (t = arr + 1; i; i--)
		t = (int)j->tok[t].next;
	return t;
}

/* The next decoded byte of a checked string at *i. */
static int str_byte(const char *s, uint32_t *i)
{
	int c = (unsigned char)s[*i], v = 0, k;
	const char *esc;

	if (c != '\\') {
		(*i)++;
		return c;
	}
	c = (unsigned char)s[*i + 1];
	*i += 2;
	if (c == 'u') {
		for (k = 0; k < 4; k++)
			/* checked: four hex digits (& 0xf for the analyzer) */
			v = v << 4 |
			    (json_hex((unsigned char)s[*i + (uint32_t)k]) &
			     0xf);
		*i += 4;
		return v;
	}
	/* A checked escape: one of these letters, or '"', '\\', '/'. */
	esc = str_chr("b\bf\fn\nr\rt\t", c);
	return esc ? esc[1] : c;
}

static int is_string(const struct json *j, int t)
{
	return t >= 0 && (uint32_t)t < j->ntok && j->tok[t].type == JSON_STRING;
}

int json_str_is(const struct json *j, int t, const char *s)
{
	uint32_t i, end;

	if (!is_string(j, t))
		return 0;
	i = j->tok[t].start;
	end = i + j->tok[t].len;
	while (i < end)
		if (!*s || str_byte(j->text, &i) != (unsigned char)*s++)
			return 0;
	return !*s;
}

int json_str_copy(const struct json *j, int t, char *out, size_t size)
{
	uint32_t i, end;
	size_t n = 0;

	if (!is_string(j, t))
		return -EINVAL;
	i = j->tok[t].start;
	end = i + j->tok[t].len;
	while (i < end) {
		if (n + 1 >= size)
			return -ENAMETOOLONG;
		out[n++] = (char)str_byte(j->text, &i);
	}
	if (!size)
		return -ENAMETOOLONG;
	out[n] = 0;
	return (int)n;
}

int json_u64(const struct json *j, int t, int from_string, uint64_t *out)
{
	const char *s;
	uint64_t v = 0;
	uint32_t k, n;

	if (t < 0 || (uint32_t)t >= j->ntok ||
	    j->tok[t].type != (from_string ? JSON_STRING : JSON_NUMBER))
		return -EINVAL;
	s = j->text + j->tok[t].start;
	n = j->tok[t].len;
	/* No sign, no leading zero, digits only. */
	if (!n || (s[0] == '0' && n > 1))
		return -EINVAL;
	for (k = 0; k < n; k++)
		if (s[k] < '0' || s[k] > '9')
			return -EINVAL;
	for (k = 0; k < n; k++) {
		unsigned int d = (unsigned char)s[k] - '0';

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
