/* SPDX-License-Identifier: MIT */
/* dm-verity arithmetic and text: what veritysetup computes and writes,
 * checked against veritysetup 2.6.1 on Linux 6.1. No I/O. */
#include "verity.h"

#include <errno.h>
#include <string.h>

#include "config.h"
#include "util.h"

/* Hashes the kernel offers dm-verity, with their digest sizes. */
static const char hash_names[] = "sha1\0sha224\0sha256\0sha384\0sha512\0"
				 "sha3-224\0sha3-256\0sha3-384\0sha3-512\0"
				 "rmd160\0sm3\0streebog256\0streebog512\0"
				 "blake2b-256\0blake2b-512\0wp512\0";
static const uint8_t hash_sizes[] = {20, 28, 32, 48, 64, 28, 32, 48,
				     64, 20, 32, 32, 64, 32, 64, 64};

uint32_t verity_digest_size(const char *alg)
{
	const char *s = hash_names;
	size_t i;

	for (i = 0; *s; i++, s += strlen(s) + 1)
		if (!strcmp(s, alg))
			return hash_sizes[i];
	return 0;
}

#define VERITY_MIN_BLOCK 512u
#define VERITY_MAX_BLOCK (512u * 1024)

int verity_block_size_ok(uint64_t size)
{
	return size >= VERITY_MIN_BLOCK && size <= VERITY_MAX_BLOCK &&
	       !(size & (size - 1));
}

void verity_params_from_sb(struct verity_params *p, const struct verity_sb *sb)
{
	p->hash_type = sb->hash_type;
	memcpy(p->hash_name, sb->algorithm, sizeof(p->hash_name));
	p->data_block_size = sb->data_block_size;
	p->hash_block_size = sb->hash_block_size;
	p->data_blocks = sb->data_blocks;
	p->salt_size = sb->salt_size;
	memcpy(p->salt, sb->salt, sb->salt_size);
	p->superblock = 1;
}

uint64_t verity_hash_start(const struct verity_params *p)
{
	if (!p->superblock)
		return p->hash_offset / p->hash_block_size;
	return (p->hash_offset + VERITY_SB_SIZE + p->hash_block_size - 1) /
	       p->hash_block_size;
}

static unsigned log2_floor(uint64_t v)
{
	unsigned n = 0;

	while (v >>= 1)
		n++;
	return n;
}

int verity_tree_layout(const struct verity_params *p, struct verity_tree *t)
{
	uint64_t pos, last = p->data_blocks - 1;
	unsigned i, bits;

	if (!p->digest_size || p->digest_size > p->hash_block_size ||
	    !p->data_blocks)
		return -EINVAL;
	bits = log2_floor(p->hash_block_size / p->digest_size);
	t->per_block_bits = bits;
	t->levels = 0;
	while (bits * t->levels < 64 && (last >> (bits * t->levels)))
		t->levels++;
	if (t->levels > VERITY_MAX_LEVELS - 1)
		return -EINVAL;
	pos = t->start = verity_hash_start(p);
	for (i = t->levels; i-- > 0;) {
		unsigned shift = (i + 1) * bits;
		uint64_t s = shift >= 64 ? 1 : (last >> shift) + 1;

		t->level_block[i] = pos;
		if (pos + s < pos)
			return -EOVERFLOW;
		pos += s;
	}
	t->end = pos;
	return 0;
}

void verity_digest_pos(const struct verity_params *p,
		       const struct verity_tree *t, unsigned level,
		       uint64_t index, uint64_t *block, uint32_t *offset)
{
	uint64_t idx = index & (((uint64_t)1 << t->per_block_bits) - 1);

	*block = t->level_block[level] + (index >> t->per_block_bits);
	/* Format 1 gives each digest a power-of-two slot; Chrome OS packs. */
	*offset = p->hash_type ? (uint32_t)(idx * (p->hash_block_size >>
						   t->per_block_bits))
			       : (uint32_t)(idx * p->digest_size);
}

int verity_fec_area(struct verity_params *p, uint64_t hash_dev_bytes,
		    int fec_on_hash_dev, uint64_t fec_offset)
{
	uint64_t bs = p->data_block_size, end, start = verity_hash_start(p);

	if (fec_offset % bs)
		return -EINVAL;
	end = (fec_on_hash_dev ? fec_offset : hash_dev_bytes) / bs;
	if (end < start || p->data_blocks + (end - start) < p->data_blocks)
		return -EINVAL;
	p->fec_start = fec_offset / bs;
	p->fec_blocks = p->data_blocks + (end - start);
	return 0;
}

uint64_t verity_sectors(const struct verity_params *p)
{
	return p->data_blocks * (p->data_block_size / 512);
}

/* ---- table text ---- */

struct text {
	char *p;
	size_t len, size;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->len + n < t->size)
		memcpy(t->p + t->len, s, n);
	t->len += n;
}

static void put_str(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

static void put_u64(struct text *t, uint64_t v)
{
	char b[24];

	put(t, b, fmt_u64(b, v));
}

static void put_dev(struct text *t, const uint32_t dev[2])
{
	put_u64(t, dev[0]);
	put(t, ":", 1);
	put_u64(t, dev[1]);
}

static void put_hex(struct text *t, const uint8_t *b, size_t n)
{
	char h[2 * VERITY_MAX_SALT + 1];

	verity_hex_encode(b, n, h);
	put(t, h, 2 * n);
}

/* Word options in cryptsetup's order; FEC and the signature follow. */
static const char flag_words[] = "ignore_corruption\0restart_on_corruption\0"
				 "panic_on_corruption\0ignore_zero_blocks\0"
				 "check_at_most_once\0try_verify_in_tasklet\0";
#define WORD_FLAGS 6

static unsigned table_flags(unsigned f)
{
	/* cryptsetup: panic beats restart, either beats ignore. */
	if ((f & VF_RESTART_ON_CORRUPTION) && (f & VF_PANIC_ON_CORRUPTION))
		f &= ~VF_RESTART_ON_CORRUPTION;
	if (f & (VF_RESTART_ON_CORRUPTION | VF_PANIC_ON_CORRUPTION))
		f &= ~VF_IGNORE_CORRUPTION;
	return f;
}

int verity_table_text(const struct verity_params *p, char *out, size_t size)
{
	struct text t = {out, 0, size};
	/* Options not built in were refused before a table was asked for. */
	unsigned f = table_flags(p->flags) &
		     ~((CFG_VERITY_FEC ? 0u : VF_FEC) |
		       (CFG_VERITY_SIGNATURE ? 0u : VF_SIGNATURE)),
		 words = 0, i;
	const char *w;
	/* "1 8:0 8:16 4096 4096 N START ": numbers, ':' inside devices. */
	static const char sep[] = " : :     ";
	const uint64_t num[] = {
		p->hash_type,	    p->data_dev[0], p->data_dev[1],
		p->hash_dev[0],	    p->hash_dev[1], p->data_block_size,
		p->hash_block_size, p->data_blocks, verity_hash_start(p)};

	for (i = 0; i < ARRAY_SIZE(num); i++) {
		put_u64(&t, num[i]);
		put(&t, sep + i, 1);
	}
	put_str(&t, p->hash_name);
	put(&t, " ", 1);
	put_hex(&t, p->root, p->digest_size);
	put(&t, " ", 1);
	if (p->salt_size)
		put_hex(&t, p->salt, p->salt_size);
	else
		put(&t, "-", 1);
	for (i = 0; i < WORD_FLAGS; i++)
		words += (f >> i) & 1;
	words += (f & VF_FEC) ? 8 : 0;
	words += (f & VF_SIGNATURE) ? 2 : 0;
	if (words) {
		put(&t, " ", 1);
		put_u64(&t, words);
	}
	for (i = 0, w = flag_words; i < WORD_FLAGS; i++, w += strlen(w) + 1) {
		if (!((f >> i) & 1))
			continue;
		put(&t, " ", 1);
		put_str(&t, w);
	}
	if (f & VF_FEC) {
		put_str(&t, " use_fec_from_device ");
		put_dev(&t, p->fec_dev);
		put_str(&t, " fec_start ");
		put_u64(&t, p->fec_start);
		put_str(&t, " fec_blocks ");
		put_u64(&t, p->fec_blocks);
		put_str(&t, " fec_roots ");
		put_u64(&t, p->fec_roots);
	}
	if (f & VF_SIGNATURE) {
		put_str(&t, " root_hash_sig_key_desc ");
		put_str(&t, p->sig_key_desc);
	}
	if (t.len >= size)
		return -ENOSPC;
	out[t.len] = 0;
	return (int)t.len;
}

/* ---- option gates ---- */

/* The dm-verity version (1.minor) that brought each option. */
static const struct {
	uint8_t flag_bit, minor;
} gates[] = {
	{0, 3}, {1, 3}, {3, 3}, {6, 3}, /* corruption, zero blocks, FEC */
	{4, 4}, /* check_at_most_once */
	{7, 5}, /* signature (Linux 5.4) */
	{2, 7}, /* panic_on_corruption */
	{5, 9}, /* tasklets (Linux 6.0) */
};

unsigned verity_gate(unsigned flags, const uint32_t v[3], unsigned *need)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gates); i++) {
		unsigned f = 1u << gates[i].flag_bit;

		if (!(flags & f))
			continue;
		if (v[0] > 1 || (v[0] == 1 && v[1] >= gates[i].minor))
			continue;
		*need = gates[i].minor;
		return f;
	}
	return 0;
}

/* ---- UUIDs and hex ---- */

void verity_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int verity_hex_decode(const char *s, size_t len, uint8_t *out, size_t max)
{
	size_t i;

	if (len % 2 || len / 2 > max)
		return -EINVAL;
	for (i = 0; i < len; i += 2) {
		int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(len / 2);
}

int verity_uuid_parse(const char *s, uint8_t out[16])
{
	char hex[33];
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '-')
			continue;
		if (n == 32)
			return -EINVAL;
		hex[n++] = *s;
	}
	return verity_hex_decode(hex, n, out, 16) == 16 ? 0 : -EINVAL;
}

void verity_dm_uuid(const uint8_t *uuid, const char *name, char out[129])
{
	size_t n = sizeof(VERITY_UUID_PREFIX) - 1, k = strlen(name);

	memcpy(out, VERITY_UUID_PREFIX, n);
	if (uuid) {
		verity_hex_encode(uuid, 16, out + n);
		n += 32;
		out[n++] = '-';
	}
	if (k > 128 - n)
		k = 128 - n;
	memcpy(out + n, name, k);
	out[n + k] = 0;
}

/* ---- a table read back ---- */

static const char *word(const char **s, size_t *len)
{
	const char *w;

	while (**s == ' ')
		(*s)++;
	w = *s;
	while (**s && **s != ' ')
		(*s)++;
	*len = (size_t)(*s - w);
	return *len ? w : NULL;
}

static int word_u64(const char **s, uint64_t *v)
{
	size_t n;
	const char *w = word(s, &n);

	return w ? parse_u64(w, n, v) : -EINVAL;
}

static int word_u32(const char **s, uint32_t *v)
{
	uint64_t x;
	int r = word_u64(s, &x);

	if (r || x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

static int word_copy(const char **s, char *out, size_t size)
{
	size_t n;
	const char *w = word(s, &n);

	if (!w || n >= size)
		return -EINVAL;
	memcpy(out, w, n);
	out[n] = 0;
	return 0;
}

static int is_word(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

int verity_table_parse(const char *s, struct verity_table *out)
{
	uint64_t left;
	const char *w;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (word_u32(&s, &out->version) ||
	    word_copy(&s, out->data_dev, sizeof(out->data_dev)) ||
	    word_copy(&s, out->hash_dev, sizeof(out->hash_dev)) ||
	    word_u32(&s, &out->data_block_size) ||
	    word_u32(&s, &out->hash_block_size) ||
	    word_u64(&s, &out->data_blocks) || word_u64(&s, &out->hash_start) ||
	    word_copy(&s, out->alg, sizeof(out->alg)) ||
	    !(out->root = word(&s, &out->root_len)) ||
	    !(out->salt = word(&s, &out->salt_len)))
		return -EINVAL;
	if (!word(&s, &n))
		return 0;
	s -= n;
	if (word_u64(&s, &left))
		return -EINVAL;
	while (left-- && (w = word(&s, &n))) {
		const char *f = flag_words;
		unsigned i;

		for (i = 0; i < WORD_FLAGS; i++, f += strlen(f) + 1)
			if (is_word(w, n, f))
				out->flags |= 1u << i;
		if (is_word(w, n, "use_fec_from_device")) {
			out->flags |= VF_FEC;
			if (word_copy(&s, out->fec_dev, sizeof(out->fec_dev)))
				return -EINVAL;
		} else if (is_word(w, n, "fec_start")) {
			if (word_u64(&s, &out->fec_start))
				return -EINVAL;
		} else if (is_word(w, n, "fec_blocks")) {
			if (word_u64(&s, &out->fec_blocks))
				return -EINVAL;
		} else if (is_word(w, n, "fec_roots")) {
			if (word_u32(&s, &out->fec_roots))
				return -EINVAL;
		} else if (is_word(w, n, "root_hash_sig_key_desc")) {
			out->flags |= VF_SIGNATURE;
			if (!word(&s, &n))
				return -EINVAL;
		} else {
			continue;
		}
		left = left ? left - 1 : 0;
	}
	return 0;
}
