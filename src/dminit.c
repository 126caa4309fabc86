/* SPDX-License-Identifier: MIT */
#include "dminit.h"

#include <errno.h>
#include <string.h>

#include "dm-abi.h"
#include "ops.h"
#include "util.h"

static int kspace(int c)
{
	return is_space(c) || (unsigned char)c == 0xa0;
}

/* The kernel's str_field_delimit(): cut *str at the first sep, trim the
 * field's blanks, return what follows sep (NULL without one). */
static char *field_cut(char **str, char sep)
{
	char *s = *str, *cut, *end;

	while (kspace(*s))
		s++;
	cut = str_chr(s, sep);
	if (cut)
		*cut = 0;
	end = s + strlen(s);
	while (end > s && kspace(end[-1]))
		*--end = 0;
	*str = s;
	return cut ? cut + 1 : NULL;
}

int dminit_kstrtoull(const char *s, uint64_t *out)
{
	unsigned base = 10, n = 0;
	uint64_t v = 0;

	if (*s == '+')
		s++;
	if (s[0] == '0') {
		base = 8;
		if (((unsigned char)s[1] | 0x20) == 'x' &&
		    ((s[2] >= '0' && s[2] <= '9') ||
		     (((unsigned char)s[2] | 0x20) >= 'a' &&
		      ((unsigned char)s[2] | 0x20) <= 'f'))) {
			base = 16;
			s += 2;
		}
	}
	for (;; s++, n++) {
		unsigned c = (unsigned char)*s | 0x20, d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!n)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

/* The types allowed are listed in the message that refuses others: one
 * string, not six; a command's name ("verity") is a string of its own
 * only in builds with that command (tests/configs.sh checks). */
static const char bad_type[] =
	"invalid type (crypt, delay, linear, snapshot-origin, striped, verity)";

static int type_allowed(const char *type)
{
	const char *t = bad_type + 14;
	size_t n = strlen(type);

	while (n) {
		if (str_prefix(t, type) && (t[n] == ',' || t[n] == ')'))
			return 1;
		t = str_chr(t, ' ');
		if (!t)
			return 0;
		t++;
	}
	return 0;
}

static int fail(struct dminit *d, int r, const char *why, const char *word)
{
	d->err = why;
	d->err_word = word;
	return r;
}

/* One "<start> <length> <type> <args>" entry; *str moves past its ','. */
static int parse_target(struct dminit *d, struct dminit_dev *dev, char **str)
{
	char *f[4];
	uint64_t start, length;
	unsigned i;
	int r;

	f[0] = *str;
	for (i = 0; i < 3; i++) {
		f[i + 1] = field_cut(&f[i], ' ');
		if (!f[i + 1])
			return fail(d, -EINVAL,
				    "expected <start> <length> <type> <args>",
				    f[0]);
	}
	*str = field_cut(&f[3], ',');
	if ((r = dminit_kstrtoull(f[0], &start)))
		return fail(d, -EINVAL,
			    r == -ERANGE ? "start sector overflows"
					 : "bad start sector",
			    f[0]);
	if ((r = dminit_kstrtoull(f[1], &length)))
		return fail(d, -EINVAL,
			    r == -ERANGE ? "length overflows" : "bad length",
			    f[1]);
	if (!type_allowed(f[2]))
		return fail(d, -EINVAL, bad_type, f[2]);
	r = table_add(&dev->t, start, length, f[2], strlen(f[2]), f[3],
		      strlen(f[3]));
	return r ? fail(d, r, dev->t.err, NULL) : 0;
}

/* One "name,uuid,minor,flags,table..." entry; *str moves past its ';'. */
static int parse_device(struct dminit *d, struct dminit_dev *dev, char **str)
{
	char *f[5], *table;
	unsigned i;
	int r;

	f[0] = *str;
	for (i = 0; i < 4; i++) {
		f[i + 1] = field_cut(&f[i], ',');
		dev->name = f[0];
		if (!f[i + 1])
			return fail(d, -EINVAL,
				    "expected "
				    "<name>,<uuid>,<minor>,<flags>,<table>",
				    NULL);
	}
	*str = field_cut(&f[4], ';');
	dev->name = f[0];
	dev->uuid = f[1];
	if ((r = dm_check_name(f[0])))
		return fail(d, -EINVAL,
			    r == -ENAMETOOLONG ? "name longer than 127 bytes"
					       : "bad device name",
			    f[0]);
	if (dm_check_uuid(f[1]))
		return fail(d, -EINVAL, "uuid longer than 128 bytes", f[1]);
	if (*f[2]) {
		if (dminit_kstrtoull(f[2], &dev->dev))
			return fail(d, -EINVAL, "bad minor number", f[2]);
		dev->flags |= DM_PERSISTENT_DEV_FLAG;
	}
	if (!strcmp(f[3], "ro"))
		dev->flags |= DM_READONLY_FLAG;
	else if (strcmp(f[3], "rw"))
		return fail(d, -EINVAL, "flags must be ro or rw", f[3]);
	for (table = f[4]; table;) {
		if (++d->err_target > DMINIT_MAX_TARGETS)
			return fail(d, -E2BIG, "too many targets (limit 256)",
				    NULL);
		if ((r = parse_target(d, dev, &table)))
			return r;
	}
	d->err_target = 0;
	return 0;
}

int dminit_parse(struct dminit *d, char *str)
{
	int r;

	d->n = 0;
	d->err = d->err_word = NULL;
	d->err_dev = d->err_target = 0;
	if (strlen(str) >= DMINIT_MAX_STR)
		return fail(d, -E2BIG, "argument is too big (limit 4096 bytes)",
			    NULL);
	while (str) {
		struct dminit_dev *dev;

		if (d->n == DMINIT_MAX_DEVICES) {
			d->err_dev = d->n + 1;
			return fail(d, -E2BIG, "too many devices (limit 256)",
				    NULL);
		}
		dev = &d->dev[d->n++];
		memset(dev, 0, sizeof(*dev));
		d->err_dev = d->n;
		if ((r = parse_device(d, dev, &str)))
			return r;
	}
	d->err_dev = 0;
	return 0;
}

void dminit_free(struct dminit *d)
{
	unsigned i;

	for (i = 0; i < d->n; i++)
		table_free(&d->dev[i].t);
	d->n = 0;
}
