/* SPDX-License-Identifier: MIT */
#include "luks-unlock.h"

#include <errno.h>
#include <string.h>
#include <sys/sysinfo.h>

#include "af.h"
#include "argon2.h"
#include "blkdev.h"
#include "config.h"
#include "hash.h"
#include "json.h"
#include "kcapi.h"
#include "pbkdf2.h"
#include "secret.h"
#include "util.h"

static const uint8_t luks_magic[6] = {'L', 'U', 'K', 'S', 0xba, 0xbe};
static const uint8_t luks2_magic2[6] = {'S', 'K', 'U', 'L', 0xba, 0xbe};

/* The AF material of a keyslot is at most this: 64-byte keys × 4000
 * stripes, in whole sectors. */
#define AREA_MAX                                                               \
	((LUKS_MAX_KEY_BYTES * LUKS_STRIPES + LUKS_SECTOR - 1) / LUKS_SECTOR * \
	 LUKS_SECTOR)

/* A refusal from the parsers (a negated LUKS_E_* code) as luks_read
 * returns it. */
static int refuse(int code, const char *field, int *luks_err, struct act_err *e)
{
	*luks_err = -code;
	e->field = 0;
	e->what = field;
	e->why = luks_strerror(code);
	switch (-code) {
	case LUKS_E_UNSUPPORTED:
	case LUKS_E_REENCRYPT:
	case LUKS_E_INTEGRITY:
		return -ENOTSUP;
	}
	return -EINVAL;
}

static void sha256_fn(const void *data, size_t len, uint8_t out[32])
{
	hash_digest(&hash_sha256, data, len, out);
}

/* 2 × the largest header size whose secondary copy's magic is there: the
 * bytes to read when the primary copy is damaged. 0 if none is. */
static size_t probe_secondary(int fd, uint64_t hdr_bytes)
{
	uint8_t m[sizeof(luks2_magic2)];
	uint64_t sz;
	size_t len = 0;

	for (sz = LUKS2_MIN_HDR_SIZE; sz <= LUKS2_MAX_HDR_SIZE; sz <<= 1)
		if (sz + LUKS2_BIN_SIZE <= hdr_bytes &&
		    !blkdev_read(fd, m, sizeof(m), sz) &&
		    !memcmp(m, luks2_magic2, sizeof(m)))
			len = (size_t)(2 * sz);
	return len;
}

/* Both LUKS2 copies read, the better picked and its JSON parsed into
 * v->u.l2. Returns 0, a negated LUKS_E_* code (*field set) or -errno
 * (*field NULL). */
static int luks2_load(int fd, struct luks_volume *v, const uint8_t *first,
		      const char **field)
{
	struct luks2_bin b;
	struct json_tok *tok = NULL;
	size_t len = 0, tried = 0, off, jlen;
	uint8_t *buf = NULL;
	const char *tried_field = "magic";
	int r = -LUKS_E_MAGIC, probed = 0;

	if (!luks2_bin_parse(first, LUKS2_BIN_SIZE, 0, &b, field))
		len = (size_t)(2 * b.hdr_size);
	for (;;) {
		if (!len) {
			len = probe_secondary(fd, v->hdr_bytes);
			probed = 1;
			if (len <= tried) {
				/* Nothing more to look at: the first
				 * attempt's refusal. */
				*field = tried_field;
				return r;
			}
		}
		if (len > v->hdr_bytes)
			len = (size_t)v->hdr_bytes;
		buf = mem_alloc(len);
		if (!buf) {
			*field = NULL;
			return -ENOMEM;
		}
		r = blkdev_read(fd, buf, len, 0);
		if (r) {
			*field = NULL;
			goto out;
		}
		r = luks2_hdr_pick(buf, len, sha256_fn, &v->u.l2.bin, &off,
				   &jlen, field);
		if (!r || probed)
			break;
		/* The primary's hdr_size may be the damage: look for the
		 * secondary where any allowed size would put it. */
		mem_free(buf, len);
		buf = NULL;
		tried = len;
		tried_field = *field;
		len = 0;
	}
	if (r)
		goto out;
	tok = mem_alloc(LUKS2_JSON_TOKENS * sizeof(*tok));
	if (!tok) {
		r = -ENOMEM;
		*field = NULL;
		goto out;
	}
	r = luks2_json_parse((const char *)buf + off, jlen,
			     v->u.l2.bin.hdr_size, tok, LUKS2_JSON_TOKENS,
			     &v->u.l2.meta, field);
	mem_free(tok, LUKS2_JSON_TOKENS * sizeof(*tok));
out:
	mem_free(buf, len);
	return r;
}

/* LUKS2's config flags are crypt.h's, bit for bit. */
_Static_assert((unsigned)LUKS2_FLAG_ALLOW_DISCARDS == CRYPT_ALLOW_DISCARDS &&
		       (unsigned)LUKS2_FLAG_SAME_CPU_CRYPT ==
			       CRYPT_SAME_CPU_CRYPT &&
		       (unsigned)LUKS2_FLAG_SUBMIT_FROM_CRYPT_CPUS ==
			       CRYPT_SUBMIT_FROM_CRYPT_CPUS &&
		       (unsigned)LUKS2_FLAG_NO_READ_WORKQUEUE ==
			       CRYPT_NO_READ_WORKQUEUE &&
		       (unsigned)LUKS2_FLAG_NO_WRITE_WORKQUEUE ==
			       CRYPT_NO_WRITE_WORKQUEUE,
	       "LUKS2 flags as crypt flags");

/* struct luks_volume's segment 0 fields from LUKS2 metadata. */
static int luks2_fill(struct luks_volume *v, const char **field)
{
	const struct luks2_meta *m = &v->u.l2.meta;
	const struct luks2_segment *sg = &m->segments[0];
	const struct luks2_bin *b = &v->u.l2.bin;
	unsigned i;

	if (!sg->used) {
		*field = "segments";
		return -LUKS_E_FIELD;
	}
	v->digest = -1;
	for (i = 0; i < LUKS2_DIGESTS; i++)
		if (m->digests[i].used && m->digests[i].segments & 1) {
			v->digest = (int)i;
			break;
		}
	if (v->digest < 0) {
		*field = "digests";
		return -LUKS_E_FIELD;
	}
	for (i = 0; i < LUKS2_KEYSLOTS; i++) {
		const struct luks2_keyslot *ks = &m->keyslots[i];

		if (!ks->used)
			continue;
		/* The header's claims against the device it is on. */
		if (ks->area.offset > v->hdr_bytes ||
		    ks->area.size > v->hdr_bytes - ks->area.offset) {
			*field = "keyslots.area";
			return -LUKS_E_LAYOUT;
		}
		if (!v->key_size && m->digests[v->digest].keyslots & (1u << i))
			v->key_size = ks->key_size;
	}
	memcpy(v->uuid, b->uuid, sizeof(v->uuid));
	memcpy(v->label, b->label, sizeof(v->label));
	memcpy(v->subsystem, b->subsystem, sizeof(v->subsystem));
	memcpy(v->cipher, sg->encryption, sizeof(sg->encryption));
	v->offset = sg->offset / LUKS_SECTOR;
	v->size = sg->dynamic ? 0 : sg->size / LUKS_SECTOR;
	v->iv_tweak = sg->iv_tweak;
	v->sector_size = sg->sector_size;
	v->flags = m->flags;
	return 0;
}

static void luks1_fill(struct luks_volume *v)
{
	const struct luks1_hdr *h = &v->u.l1;
	char *p = v->cipher, *end = v->cipher + sizeof(v->cipher) - 1;

	memcpy(v->uuid, h->uuid, sizeof(v->uuid));
	p = str_put(p, end, h->cipher_name);
	p = str_put(p, end, "-");
	str_put(p, end, h->cipher_mode);
	v->key_size = h->key_bytes;
	v->offset = h->payload_offset;
	v->sector_size = LUKS_SECTOR;
}

int luks_read(int fd, uint64_t hdr_bytes, int version, struct luks_volume *v,
	      int *luks_err, struct act_err *e)
{
	uint8_t *first;
	const char *field = NULL;
	size_t len =
		hdr_bytes < LUKS2_BIN_SIZE ? (size_t)hdr_bytes : LUKS2_BIN_SIZE;
	int r, is1, is2;

	memset(v, 0, sizeof(*v));
	*luks_err = 0;
	v->hdr_bytes = hdr_bytes;
	if (len < LUKS1_HDR_SIZE)
		return refuse(-LUKS_E_TRUNCATED, "header", luks_err, e);
	first = mem_alloc(LUKS2_BIN_SIZE);
	if (!first)
		return -ENOMEM;
	r = blkdev_read(fd, first, len, 0);
	if (r)
		goto out;
	is1 = !memcmp(first, luks_magic, 6) && first[6] == 0 && first[7] == 1;
	is2 = !is1 && (CFG_CRYPT_LUKS2 || !memcmp(first, luks_magic, 6));
	if ((is1 && version == 2) || (!is1 && version == 1)) {
		r = -(memcmp(first, luks_magic, 6) ? LUKS_E_MAGIC
						   : LUKS_E_VERSION);
		field = "version";
	} else if (is1 || !is2) {
		v->version = 1;
		if (!CFG_CRYPT_LUKS1) {
			r = -LUKS_E_UNSUPPORTED;
			field = "LUKS1";
		} else {
			r = luks1_parse(first, len, hdr_bytes, &v->u.l1,
					&field);
			if (!r)
				luks1_fill(v);
		}
	} else if (!CFG_CRYPT_LUKS2) {
		r = -LUKS_E_UNSUPPORTED;
		field = "LUKS2";
	} else {
		v->version = 2;
		r = luks2_load(fd, v, first, &field);
		if (!r)
			r = luks2_fill(v, &field);
	}
	if (r < 0 && field)
		r = refuse(r, field, luks_err, e);
out:
	mem_free(first, LUKS2_BIN_SIZE);
	return r;
}

/* ---- keyslots ---- */

/* What opening one keyslot takes, from either version's header. */
struct slot {
	const char *cipher; /* the area's: LUKS1's is the volume's */
	uint32_t area_key; /* bytes the KDF derives */
	uint32_t key_size, stripes;
	uint64_t area; /* bytes from the device's start */
	const char *af_hash;
	int kdf; /* LUKS2_KDF_* */
	const char *kdf_hash;
	uint32_t iterations, time, memory, cpus;
	const uint8_t *salt;
	size_t salt_len;
	/* The volume key's check */
	const char *dg_hash;
	uint32_t dg_iterations, dg_len;
	const uint8_t *dg_salt, *dg;
	size_t dg_salt_len;
};

/* Secret memory for one unlock: one mapping, wiped when it is freed. */
struct work {
	uint8_t key[LUKS_MAX_KEY_BYTES]; /* the area's key */
	uint8_t cand[LUKS_MAX_KEY_BYTES]; /* the merged candidate */
	uint8_t dg[LUKS2_MAX_DIGEST];
	uint8_t area[AREA_MAX];
};

/* v is a LUKS1 volume (else LUKS2): constant in a build with one of
 * them, so that the other's keyslot code is left out. luks_unlock
 * takes only the versions built. */
static int is_luks1(const struct luks_volume *v)
{
	return CFG_CRYPT_LUKS1 && (!CFG_CRYPT_LUKS2 || v->version == 1);
}

/* Fills s for slot, or -ENOENT if it is not active or not bound to
 * segment 0's digest. */
static int slot_get(const struct luks_volume *v, int slot, struct slot *s)
{
	memset(s, 0, sizeof(*s));
	if (is_luks1(v)) {
		const struct luks1_hdr *h = &v->u.l1;
		const struct luks1_keyslot *k;

		if (slot >= LUKS1_KEYSLOTS || !h->ks[slot].active)
			return -ENOENT;
		k = &h->ks[slot];
		s->cipher = v->cipher;
		s->area_key = s->key_size = h->key_bytes;
		s->stripes = k->stripes;
		s->area = (uint64_t)k->offset * LUKS_SECTOR;
		s->af_hash = s->kdf_hash = s->dg_hash = h->hash;
		s->kdf = LUKS2_KDF_PBKDF2;
		s->iterations = k->iterations;
		s->salt = k->salt;
		s->salt_len = LUKS_SALT_SIZE;
		s->dg_iterations = h->mk_iterations;
		s->dg_len = LUKS1_DIGEST_SIZE;
		s->dg_salt = h->mk_salt;
		s->dg_salt_len = LUKS_SALT_SIZE;
		s->dg = h->mk_digest;
	} else {
		const struct luks2_meta *m = &v->u.l2.meta;
		const struct luks2_keyslot *k;
		const struct luks2_digest *d;

		if (slot >= LUKS2_KEYSLOTS || !m->keyslots[slot].used ||
		    v->digest < 0 || v->digest >= LUKS2_DIGESTS)
			return -ENOENT;
		k = &m->keyslots[slot];
		d = &m->digests[v->digest];
		if (!(d->keyslots & (1u << slot)) || k->key_size != v->key_size)
			return -ENOENT;
		s->cipher = k->area.encryption;
		s->area_key = k->area.key_size;
		s->key_size = k->key_size;
		s->stripes = k->af_stripes;
		s->area = k->area.offset;
		s->af_hash = k->af_hash;
		s->kdf = k->kdf.type;
		s->kdf_hash = k->kdf.hash;
		s->iterations = k->kdf.iterations;
		s->time = k->kdf.time;
		s->memory = k->kdf.memory;
		s->cpus = k->kdf.cpus;
		s->salt = k->kdf.salt;
		s->salt_len = k->kdf.salt_len;
		s->dg_hash = d->hash;
		s->dg_iterations = d->iterations;
		s->dg_len = d->digest_len;
		s->dg_salt = d->salt;
		s->dg_salt_len = d->salt_len;
		s->dg = d->digest;
		/* The AF material in whole sectors inside the area. */
		if ((uint64_t)s->key_size * s->stripes >
		    (k->area.size & ~(uint64_t)(LUKS_SECTOR - 1)))
			return -EINVAL;
	}
	return 0;
}

/* e->why = the parts (up to 6, NULL ends them early) in e->text. */
static void why_text(struct act_err *e, const char *a, const char *b,
		     const char *c, const char *d, const char *f)
{
	const char *const part[] = {a, b, c, d, f};
	char *p = e->text, *end = e->text + sizeof(e->text) - 1;

	for (size_t i = 0; i < ARRAY_SIZE(part) && part[i]; i++)
		p = str_put(p, end, part[i]);
	e->why = e->text;
}

static int not_built(struct act_err *e, const char *name)
{
	why_text(e, "hash ", name, " not built into this dmboot", NULL, NULL);
	return -ENOSYS;
}

/* "argon2 needs N KiB, the machine has M KiB free" */
static int no_memory(struct act_err *e, uint32_t kib)
{
	struct sysinfo si;
	char need[24], have[24];
	uint64_t free_kib = 0;

	if (!sysinfo(&si))
		free_kib = ((uint64_t)si.freeram + si.bufferram) * si.mem_unit /
			   1024;
	fmt_u64(need, kib);
	fmt_u64(have, free_kib);
	why_text(e, "argon2 needs ", need, " KiB, the machine has ", have,
		 " KiB free");
	return -ENOMEM;
}

static int kdf(const struct slot *s, const void *pw, size_t pwlen, uint8_t *out,
	       struct act_err *e)
{
	const struct hash_alg *alg;
	int r;

	if (s->kdf == LUKS2_KDF_PBKDF2) {
		alg = hash_by_name(s->kdf_hash);
		if (!alg)
			return not_built(e, s->kdf_hash);
		return pbkdf2(alg, pw, pwlen, s->salt, s->salt_len,
			      s->iterations, out, s->area_key);
	}
	if (!CFG_KDF_ARGON2) {
		e->why = "argon2 not built into this dmboot";
		return -ENOSYS;
	}
	r = argon2(s->kdf == LUKS2_KDF_ARGON2I ? ARGON2_I : ARGON2_ID, s->time,
		   s->memory, s->cpus, pw, pwlen, s->salt, s->salt_len, out,
		   s->area_key);
	if (r == -ENOMEM)
		return no_memory(e, s->memory);
	if (r == -EINVAL)
		e->why = "keyslot's argon2 parameters are invalid";
	return r;
}

/* The area's cipher refused by the kernel, in one line that says what
 * to load. */
static int cipher_missing(struct act_err *e, int r, const struct kc_cipher *c)
{
	char mod[64], *paren = str_chr(c->kname, '(');
	size_t n;

	if (r == -EAFNOSUPPORT) {
		e->why =
			"no AF_ALG in this kernel: load af_alg, algif_skcipher";
		return -ENOSYS;
	}
	if (r == -ENOSYS) {
		e->why = "the keyslot's ESSIV hash is not built into this "
			 "dmboot";
		return r;
	}
	if (r == -EINVAL) {
		e->why = "keyslot cipher not supported by dmboot";
		return r;
	}
	if (r != -ENOENT || !paren)
		return r;
	/* "xts(aes)": modules "xts, aes" (kname ends in its ')') */
	n = (size_t)(paren - c->kname);
	memcpy(mod, c->kname, n);
	str_put(str_put(mod + n, mod + sizeof(mod) - 1, ", "),
		mod + sizeof(mod) - 1, paren + 1);
	mod[strlen(mod) - 1] = 0;
	why_text(e, "kernel lacks ", c->kname, ": load algif_skcipher, ", mod,
		 NULL);
	return -ENOSYS;
}

static int equal_ct(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return !d;
}

/* One keyslot: 0 with the volume key in w->cand, -EPERM if the
 * passphrase does not open it, or another -errno (e set). */
static int open_slot(int fd, const struct slot *s, const void *pw, size_t pwlen,
		     struct work *w, struct act_err *e)
{
	const struct hash_alg *af = hash_by_name(s->af_hash),
			      *dg = hash_by_name(s->dg_hash);
	size_t bytes = ((size_t)s->key_size * s->stripes + LUKS_SECTOR - 1) /
		       LUKS_SECTOR * LUKS_SECTOR;
	struct kc_cipher c;
	int r;

	if (!af)
		return not_built(e, s->af_hash);
	if (!dg)
		return not_built(e, s->dg_hash);
	if (bytes > sizeof(w->area) || s->area_key > sizeof(w->key) ||
	    s->key_size > sizeof(w->cand) || s->dg_len > sizeof(w->dg))
		return -EINVAL;
	r = kdf(s, pw, pwlen, w->key, e);
	if (r)
		return r;
	r = blkdev_read(fd, w->area, bytes, s->area);
	if (r)
		return r;
	r = kc_cipher_open(&c, s->cipher, w->key, s->area_key);
	if (!r) {
		r = kc_decrypt(&c, w->area, bytes, 0);
		kc_cipher_close(&c);
	} else {
		r = cipher_missing(e, r, &c);
	}
	if (!r)
		r = af_merge(af, w->area, s->key_size, s->stripes, w->cand);
	if (!r)
		r = pbkdf2(dg, w->cand, s->key_size, s->dg_salt, s->dg_salt_len,
			   s->dg_iterations, w->dg, s->dg_len);
	if (!r && !equal_ct(w->dg, s->dg, s->dg_len))
		r = -EPERM;
	wipe(w->key, sizeof(w->key));
	wipe(w->area, bytes);
	if (r)
		wipe(w->cand, sizeof(w->cand));
	return r;
}

/* The slots to try, in order, into order[]; returns how many. */
static int slot_order(const struct luks_volume *v, uint32_t mask,
		      int order[LUKS2_KEYSLOTS])
{
	int n = 0, i, pass;

	if (is_luks1(v)) {
		for (i = 0; i < LUKS1_KEYSLOTS; i++)
			if (mask & (1u << i) && v->u.l1.ks[i].active)
				order[n++] = i;
		return n;
	}
	for (pass = 2; pass >= 1; pass--)
		for (i = 0; i < LUKS2_KEYSLOTS; i++)
			if (mask & (1u << i) && v->u.l2.meta.keyslots[i].used &&
			    v->u.l2.meta.keyslots[i].priority == (uint32_t)pass)
				order[n++] = i;
	return n;
}

int luks_unlock(int fd, const struct luks_volume *v, int slot, uint32_t mask,
		const void *pw, size_t pwlen, uint8_t *vk, int *used,
		struct act_err *e)
{
	int order[LUKS2_KEYSLOTS], n, i, r = -ENOENT, first = 0, tried = 0;
	int unlocked;
	struct act_err first_e;
	struct slot s;
	struct work *w;

	*used = -1;
	if (!CFG_CRYPT_LUKS ||
	    v->version != (is_luks1(v)	     ? 1
			   : CFG_CRYPT_LUKS2 ? 2
					     : 0) ||
	    v->key_size > LUKS_MAX_KEY_BYTES)
		return -EINVAL;
	wipe(vk, v->key_size);
	if (slot >= 0) {
		if (slot >= 32 || !(mask & (1u << slot)))
			return -ENOENT;
		order[0] = slot;
		n = 1;
	} else {
		n = slot_order(v, mask, order);
	}
	w = secret_alloc(sizeof(*w), &unlocked);
	if (!w)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		r = slot_get(v, order[i], &s);
		if (r == -ENOENT && slot < 0)
			continue;
		tried++;
		if (!r)
			r = open_slot(fd, &s, pw, pwlen, w, e);
		if (!r) {
			memcpy(vk, w->cand, s.key_size);
			*used = order[i];
			break;
		}
		/* A slot this build or this machine cannot open may be the
		 * passphrase's: the others are tried, and if none opens, that
		 * is what is reported, not a wrong passphrase. */
		if (r != -EPERM && r != -ENOSYS && r != -ENOMEM)
			break;
		if (r != -EPERM && !first) {
			first = r;
			first_e = *e;
		}
	}
	secret_free(w, sizeof(*w));
	if (r && r != -EPERM && r != -ENOSYS && r != -ENOMEM && tried)
		; /* an I/O error, a malformed slot: as it is */
	else if (r && first) {
		r = first;
		*e = first_e;
	} else if (r && slot < 0)
		r = tried ? -EPERM : -ENOENT;
	if (r)
		wipe(vk, v->key_size);
	return r;
}
