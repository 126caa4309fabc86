/* SPDX-License-Identifier: MIT */
#include "table.h"

#include <errno.h>
#include <string.h>

#include "config.h"
#include "dm-abi.h"
#include "secret.h"
#include "util.h"

/* Why a target was refused: only create, load and dm-mod.create= print
 * it (tables someone typed), so other builds keep none of the text. */
#define TABLE_TEXT_ERRORS                                                      \
	(CFG_CMD_CREATE || CFG_CMD_LOAD || CFG_INIT_DM_MOD_CREATE)

/* Builds whose tables may hold any target type someone typed. */
#define TABLE_ANY_TYPE (CFG_CMD_CREATE || CFG_CMD_LOAD)

static int refuse(struct table *t, const char *why, int err)
{
	t->err = TABLE_TEXT_ERRORS ? why : NULL;
	return err;
}

static int type_is(const char *type, size_t len, const char *name)
{
	return len == strlen(name) && !memcmp(type, name, len);
}

/* dm-integrity's internal_hash:ALG:KEY, journal_crypt:ALG:KEY and
 * journal_mac:ALG:KEY (no other journal_ option has two colons), the
 * keys dmsetup's table hides. */
static int integrity_key(const char *w, const char *e)
{
	size_t n = (size_t)(e - w);
	const char *c;

	if ((n <= 14 || memcmp(w, "internal_hash:", 14)) &&
	    (n <= 8 || memcmp(w, "journal_", 8)))
		return 0;
	c = mem_chr(w, ':', n);
	c = c ? mem_chr(c + 1, ':', (size_t)(e - c - 1)) : NULL;
	return c && c + 1 < e;
}

/* Does the text of a target hold key bytes? crypt: its second word,
 * unless a keyring reference (":32:logon:DESC") or "-" (cipher_null);
 * integrity: integrity_key. Words as the kernel splits them. */
static int holds_key(const char *type, size_t type_len, const char *p,
		     size_t len)
{
	const char *end = p + len, *w = p, *e;
	int crypt = type_is(type, type_len, "crypt");
	unsigned word;

	/* Builds that cannot send DM_SECURE_DATA_FLAG make no tables with
	 * keys (verity only). Integrity tables come only through create
	 * and load: dm-mod.create= refuses the type. */
	if (!CFG_DM_FLAG_SECURE_DATA ||
	    (!crypt &&
	     (!TABLE_ANY_TYPE || !type_is(type, type_len, "integrity"))))
		return 0;
	for (word = 0;; word++, w = e) {
		while (w < end && is_space(*w))
			w++;
		for (e = w; e < end && !is_space(*e); e++)
			;
		if (e == w)
			return 0;
		if (crypt && word == 1)
			return *w != ':' && (e - w > 1 || *w != '-');
		if (!crypt && integrity_key(w, e))
			return 1;
	}
}

int table_add(struct table *t, uint64_t start, uint64_t length,
	      const char *type, size_t type_len, const char *params,
	      size_t params_len)
{
	int key = holds_key(type, type_len, params, params_len);
	size_t size = ALIGN8(sizeof(struct dm_target_spec) + params_len + 1);
	struct dm_target_spec *spec;
	int r;

	if (!type_len)
		return refuse(t, "missing target type", -EINVAL);
	if (type_len >= DM_MAX_TYPE_NAME)
		return refuse(t, "target type name too long", -EINVAL);
	if (!length)
		return refuse(t, "zero length", -EINVAL);
	if (start != t->sectors)
		return refuse(t,
			      t->count ? "gap or overlap with the previous "
					 "target"
				       : "first target must start at sector 0",
			      -EINVAL);
	if (length > UINT64_MAX - start)
		return refuse(t, "length overflows", -ERANGE);
	if (t->count == UINT32_MAX || size > UINT32_MAX)
		return refuse(t, "table too large", -E2BIG);
	/* The payload becomes secret memory before the key is copied in. */
	if (key && !t->b.secret && t->b.p)
		secret_guard(t->b.p, t->b.cap);
	t->b.secret |= key;
	r = buf_reserve(&t->b, size);
	if (r)
		return refuse(t, "out of memory", r);
	spec = (struct dm_target_spec *)(void *)(t->b.p + t->b.len);
	memset(spec, 0, size);
	spec->sector_start = start;
	spec->length = length;
	spec->next = (uint32_t)size;
	memcpy(spec->target_type, type, type_len);
	memcpy(spec + 1, params, params_len);
	t->b.len += size;
	t->count++;
	t->key_text |= key;
	/* Every crypt table, as cryptsetup sends them, keyring references
	 * included: the flag costs nothing. */
	if (CFG_DM_FLAG_SECURE_DATA &&
	    (key || type_is(type, type_len, "crypt")))
		t->secure = 1;
	t->sectors = start + length;
	return 0;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

static const char *word_end(const char *p, const char *end)
{
	while (p < end && !is_space(*p))
		p++;
	return p;
}

/* The kernel reads a backslash as an escape; dmsetup doubles each one so
 * that the table means what was typed. */
static int add_escaped(struct table *t, uint64_t start, uint64_t length,
		       const char *type, size_t type_len, const char *params,
		       size_t len)
{
	struct buf b = {0};
	size_t i;
	int r = 0;

	b.secret = holds_key(type, type_len, params, len);
	for (i = 0; !r && i < len; i++) {
		if (params[i] == '\\')
			r = buf_add(&b, "\\", 1);
		if (!r)
			r = buf_add(&b, params + i, 1);
	}
	if (!r)
		r = table_add(t, start, length, type, type_len, b.p ? b.p : "",
			      b.len);
	buf_free(&b);
	return r;
}

static int parse_line(struct table *t, const char *p, const char *end)
{
	uint64_t start, length;
	const char *w;
	int r;

	w = p;
	p = word_end(p, end);
	if ((r = parse_u64(w, (size_t)(p - w), &start)))
		return t->err = r == -ERANGE ? "start sector overflows"
					     : "bad start sector",
		       -EINVAL;
	w = p = skip_space(p, end);
	p = word_end(p, end);
	if ((r = parse_u64(w, (size_t)(p - w), &length)))
		return t->err =
			       r == -ERANGE ? "length overflows" : "bad length",
		       -EINVAL;
	w = p = skip_space(p, end);
	p = word_end(p, end);
	{
		const char *params = skip_space(p, end), *hash;

		/* As dmsetup: trailing blanks go, then a '#' ends the
		 * parameters (the blanks before it stay). */
		while (end > params && is_space(end[-1]))
			end--;
		hash = mem_chr(params, '#', (size_t)(end - params));
		if (hash)
			end = hash;
		if (mem_chr(params, '\\', (size_t)(end - params)))
			return add_escaped(t, start, length, w, (size_t)(p - w),
					   params, (size_t)(end - params));
		return table_add(t, start, length, w, (size_t)(p - w), params,
				 (size_t)(end - params));
	}
}

int table_parse(struct table *t, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;

	if (mem_chr(text, 0, len)) {
		t->err = "NUL byte in table";
		return -EINVAL;
	}
	while (p < end) {
		const char *eol = mem_chr(p, '\n', (size_t)(end - p));
		const char *s;
		int r;

		if (!eol)
			eol = end;
		line++;
		s = skip_space(p, eol);
		if (s < eol && *s != '#' && (r = parse_line(t, s, eol))) {
			t->line = line;
			return r;
		}
		p = eol + 1;
	}
	if (!t->count) {
		t->line = line;
		t->err = "no targets";
		return -EINVAL;
	}
	return 0;
}

const struct dm_target_spec *table_spec(const struct table *t, size_t *off)
{
	const struct dm_target_spec *spec;

	if (!t || *off >= t->b.len)
		return NULL;
	spec = (const struct dm_target_spec *)(const void *)(t->b.p + *off);
	*off += spec->next;
	return spec;
}

void table_free(struct table *t)
{
	buf_free(&t->b);
	t->count = 0;
}
