/* SPDX-License-Identifier: MIT */
#include "crypt.h"

#include <errno.h>
#include <string.h>

#include "util.h"

/* cryptsetup's cipher and mode names hold at most 31 characters each. */
#define CRYPT_NAME_MAX 31

/* Flag options in table order; sector_size:N stands between the fifth
 * and iv_large_sectors, as cryptsetup 2.6 writes them. */
static const char crypt_opt_names[] =
	"allow_discards\0same_cpu_crypt\0submit_from_crypt_cpus\0"
	"no_read_workqueue\0no_write_workqueue\0iv_large_sectors\0";
#define CRYPT_OPT_COUNT 6
#define CRYPT_OPTS_BEFORE_SECTOR 5

const char *crypt_opt_name(unsigned i)
{
	const char *s = crypt_opt_names;

	while (i--)
		s += strlen(s) + 1;
	return s;
}

static int printable_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] > '~')
			return 0;
	return 1;
}

int crypt_cipher_spec(const char *in, char *out, size_t size)
{
	const char *dash = str_chr(in, '-');
	size_t clen = dash ? (size_t)(dash - in) : strlen(in);
	const char *mode = dash ? dash + 1 : "cbc-plain";
	size_t mlen = strlen(mode);

	if (!strcmp(in, "null") || !strcmp(in, "cipher_null") ||
	    str_prefix(in, "cipher_null-"))
		return -EINVAL; /* no key: nothing for dmboot to protect */
	if (!clen || clen > CRYPT_NAME_MAX || !printable_word(in, strlen(in)))
		return -EINVAL;
	if (!strcmp(mode, "plain")) {
		mode = "cbc-plain";
		mlen = 9;
	}
	if (!mlen || mlen > CRYPT_NAME_MAX)
		return -EINVAL;
	/* A crypto API name with its dash inside the parentheses. */
	if (str_prefix(in, "capi:") && str_chr(mode, ')'))
		return -EINVAL;
	if (clen + 1 + mlen >= size)
		return -ENAMETOOLONG;
	memcpy(out, in, clen);
	out[clen] = '-';
	memcpy(out + clen + 1, mode, mlen + 1);
	return 0;
}

int crypt_key_desc(const char *uuid, char *out, size_t size)
{
	size_t n = strlen(uuid);

	if (7 + n + 3 >= size)
		return -ENAMETOOLONG;
	memcpy(out, "dmboot:", 7);
	memcpy(out + 7, uuid, n);
	memcpy(out + 7 + n, "-d0", 4);
	return 0;
}

int crypt_has_keyring(const uint32_t v[3])
{
	if (v[0] != 1)
		return v[0] > 1;
	return v[1] > 18 || (v[1] == 18 && v[2] >= 1);
}

/* The table text, with the first error kept: the steps need no checks of
 * their own, and one that fails leaves the rest undone. */
struct text {
	struct buf b;
	int r;
};

static void put_mem(struct text *t, const char *s, size_t n)
{
	if (!t->r)
		t->r = buf_add(&t->b, s, n);
}

static void put(struct text *t, const char *s)
{
	put_mem(t, s, strlen(s));
}

static void put_u64(struct text *t, char sep, uint64_t v)
{
	char n[24];

	n[0] = sep;
	put_mem(t, n, 1 + fmt_u64(n + 1, v));
}

static void put_hex(struct text *t, const unsigned char *key, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (!t->r)
		t->r = buf_reserve(&t->b, 2 * len);
	for (i = 0; !t->r && i < len; i++) {
		t->b.p[t->b.len++] = digits[key[i] >> 4];
		t->b.p[t->b.len++] = digits[key[i] & 15];
	}
}

static void put_opts(struct text *t, const struct crypt_plain *p)
{
	unsigned i, n = p->sector_size != CRYPT_SECTOR;

	for (i = 0; i < CRYPT_OPT_COUNT; i++)
		n += (p->flags >> i) & 1;
	if (!n)
		return;
	put_u64(t, ' ', n);
	for (i = 0; i < CRYPT_OPT_COUNT; i++) {
		if (i == CRYPT_OPTS_BEFORE_SECTOR &&
		    p->sector_size != CRYPT_SECTOR) {
			put(t, " sector_size");
			put_u64(t, ':', p->sector_size);
		}
		if ((p->flags >> i) & 1) {
			put(t, " ");
			put(t, crypt_opt_name(i));
		}
	}
}

int crypt_key_ref(const char *in, char *out, size_t size)
{
	static const char types[] = "logon:\0user:\0encrypted:\0trusted:";
	const char *t = types, *d;
	size_t n = strlen(in), i;

	if (*in++ != '%' || n >= size)
		return -EINVAL;
	for (i = 0; i < 4 && !str_prefix(in, t); i++)
		t += strlen(t) + 1;
	if (i == 4)
		return -EINVAL;
	d = in + strlen(t);
	if (!*d)
		return -EINVAL;
	for (; *d; d++)
		if (*d <= ' ' || *d == 0x7f)
			return -EINVAL;
	memcpy(out, in, n);
	return 0;
}

int crypt_table_add(struct table *t, uint64_t sectors,
		    const struct crypt_plain *p, const unsigned char *key,
		    const char *ref)
{
	struct text x = {{0}, 0};

	if (!p->key_size || p->key_size > CRYPT_KEY_MAX)
		return -EINVAL;
	x.b.secret = !ref; /* the key in hex */
	put(&x, p->cipher);
	put(&x, " ");
	if (!ref) {
		put_hex(&x, key, p->key_size);
	} else {
		put_u64(&x, ':', p->key_size);
		put(&x, ":");
		put(&x, ref);
	}
	put_u64(&x, ' ', p->iv_offset);
	put_u64(&x, ' ', p->major);
	put_u64(&x, ':', p->minor);
	put_u64(&x, ' ', p->offset);
	put_opts(&x, p);
	if (!x.r)
		x.r = table_add(t, 0, sectors, "crypt", 5, x.b.p, x.b.len);
	buf_free(&x.b); /* wiped */
	return x.r;
}

/* The next space-separated word of *s, its length in *n. */
static const char *word(const char **s, size_t *n)
{
	const char *w = *s;

	while (*w == ' ')
		w++;
	*n = (size_t)(str_chrnul(w, ' ') - w);
	*s = w + *n;
	return *n ? w : NULL;
}

static int word_u64(const char **s, uint64_t *v)
{
	size_t n;
	const char *w = word(s, &n);

	return w ? parse_u64(w, n, v) : -EINVAL;
}

static int word_u32(const char *w, size_t n, uint32_t *v)
{
	uint64_t x;

	if (parse_u64(w, n, &x) || x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

static int parse_key(const char *w, size_t n, struct crypt_plain *p)
{
	const char *colon;

	p->keyring = w[0] == ':';
	if (!p->keyring) {
		if (n == 1 && w[0] == '-')
			return 0; /* cipher_null */
		if (n % 2)
			return -EINVAL;
		p->key_size = (uint32_t)(n / 2);
		return 0;
	}
	colon = mem_chr(w + 1, ':', n - 1);
	return colon ? word_u32(w + 1, (size_t)(colon - w - 1), &p->key_size)
		     : -EINVAL;
}

static int parse_opt(const char *w, size_t n, struct crypt_plain *p)
{
	unsigned i;

	if (n > 12 && !memcmp(w, "sector_size:", 12))
		return word_u32(w + 12, n - 12, &p->sector_size);
	for (i = 0; i < CRYPT_OPT_COUNT; i++) {
		const char *name = crypt_opt_name(i);

		if (strlen(name) == n && !memcmp(name, w, n))
			p->flags |= 1u << i;
	}
	return 0; /* others (integrity:..., high_priority) are not shown */
}

int crypt_table_parse(const char *s, struct crypt_plain *p)
{
	const char *w, *colon;
	uint64_t count;
	size_t n;

	memset(p, 0, sizeof(*p));
	p->sector_size = CRYPT_SECTOR;
	if (!(w = word(&s, &n)) || n >= sizeof(p->cipher))
		return -EINVAL;
	memcpy(p->cipher, w, n);
	if (!(w = word(&s, &n)) || parse_key(w, n, p) ||
	    word_u64(&s, &p->iv_offset) || !(w = word(&s, &n)) ||
	    !(colon = mem_chr(w, ':', n)) ||
	    word_u32(w, (size_t)(colon - w), &p->major) ||
	    word_u32(colon + 1, n - (size_t)(colon - w) - 1, &p->minor) ||
	    word_u64(&s, &p->offset))
		return -EINVAL;
	if (!(w = word(&s, &n)))
		return 0;
	if (parse_u64(w, n, &count))
		return -EINVAL;
	while (count--)
		if (!(w = word(&s, &n)) || parse_opt(w, n, p))
			return -EINVAL;
	return word(&s, &n) ? -EINVAL : 0;
}
