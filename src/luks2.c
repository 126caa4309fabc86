/* SPDX-License-Identifier: MIT */
/* The LUKS2 header without I/O: the binary header's two copies (checksums
 * through the caller's sha256), then the JSON area into struct luks2_meta.
 * What dmboot will not open is refused by name: integrity segments,
 * reencryption, mandatory requirements, keyslot, area, KDF, AF and digest
 * types other than those cryptsetup writes for a plain LUKS2 volume. */
#include <errno.h>
#include <string.h>

#include "json.h"
#include "luks.h"
#include "util.h"

#define LUKS2_MAGIC_PRIMARY "LUKS\xba\xbe"
#define LUKS2_MAGIC_SECONDARY "SKUL\xba\xbe"
#define LUKS_MAGIC_LEN 6
#define ARGON2_MAX_MEMORY_KIB (4u * 1024 * 1024) /* cryptsetup's cap */
#define ARGON2_MAX_CPUS 16777215u
#define B64_TEXT_MAX 128

enum {
	OFF_VERSION = 6,
	OFF_HDR_SIZE = 8,
	OFF_SEQID = 16,
	OFF_LABEL = 24,
	OFF_CSUM_ALG = 72,
	OFF_SALT = 104,
	OFF_UUID = 168,
	OFF_SUBSYSTEM = 208,
	OFF_HDR_OFFSET = 256,
	OFF_CSUM = 448,
	CSUM_FIELD = 64,
};

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static int fail(const char **field, const char *name, int err)
{
	if (field)
		*field = name;
	return -err;
}

/* NUL-terminated within n bytes (empty allowed unless nonempty). */
static int text_field(const uint8_t *p, size_t n, char *out, int nonempty)
{
	const uint8_t *nul = mem_chr(p, 0, n);

	if (!nul || (nonempty && nul == p))
		return -1;
	memcpy(out, p, (size_t)(nul - p) + 1);
	return 0;
}

static int is_hdr_size(uint64_t v)
{
	return v >= LUKS2_MIN_HDR_SIZE && v <= LUKS2_MAX_HDR_SIZE &&
	       !(v & (v - 1));
}

int luks2_bin_parse(const uint8_t *buf, size_t len, int secondary,
		    struct luks2_bin *out, const char **field)
{
	memset(out, 0, sizeof(*out));
	if (len < LUKS2_BIN_SIZE)
		return fail(field, "header", LUKS_E_TRUNCATED);
	if (memcmp(buf, secondary ? LUKS2_MAGIC_SECONDARY : LUKS2_MAGIC_PRIMARY,
		   LUKS_MAGIC_LEN))
		return fail(field, "magic", LUKS_E_MAGIC);
	if ((buf[OFF_VERSION] << 8 | buf[OFF_VERSION + 1]) != 2)
		return fail(field, "version", LUKS_E_VERSION);
	out->hdr_size = be64(buf + OFF_HDR_SIZE);
	out->seqid = be64(buf + OFF_SEQID);
	out->hdr_offset = be64(buf + OFF_HDR_OFFSET);
	if (!is_hdr_size(out->hdr_size))
		return fail(field, "hdr_size", LUKS_E_FIELD);
	if (text_field(buf + OFF_LABEL, sizeof(out->label), out->label, 0))
		return fail(field, "label", LUKS_E_FIELD);
	if (text_field(buf + OFF_CSUM_ALG, sizeof(out->checksum_alg),
		       out->checksum_alg, 1))
		return fail(field, "checksum_alg", LUKS_E_FIELD);
	if (strcmp(out->checksum_alg, "sha256"))
		return fail(field, "checksum_alg", LUKS_E_UNSUPPORTED);
	if (text_field(buf + OFF_UUID, sizeof(out->uuid), out->uuid, 1) ||
	    !luks_uuid_ok(out->uuid))
		return fail(field, "uuid", LUKS_E_FIELD);
	if (text_field(buf + OFF_SUBSYSTEM, sizeof(out->subsystem),
		       out->subsystem, 0))
		return fail(field, "subsystem", LUKS_E_FIELD);
	memcpy(out->salt, buf + OFF_SALT, sizeof(out->salt));
	return 0;
}

/* The copy at off: parsed, where it says it is, its checksum right. The
 * csum field is zeroed for the hash and put back. */
static int copy_check(uint8_t *buf, size_t len, size_t off,
		      luks_sha256_fn *sha256, struct luks2_bin *out,
		      const char **field)
{
	uint8_t want[CSUM_FIELD], got[LUKS2_CSUM_SIZE];
	int r = luks2_bin_parse(buf + off, len - off, off != 0, out, field);

	if (r)
		return r;
	if (out->hdr_offset != off || (off && out->hdr_size != off))
		return fail(field, "hdr_offset", LUKS_E_FIELD);
	if (out->hdr_size > len - off)
		return fail(field, "hdr_size", LUKS_E_TRUNCATED);
	memcpy(want, buf + off + OFF_CSUM, CSUM_FIELD);
	memset(buf + off + OFF_CSUM, 0, CSUM_FIELD);
	sha256(buf + off, (size_t)out->hdr_size, got);
	memcpy(buf + off + OFF_CSUM, want, CSUM_FIELD);
	if (memcmp(want, got, sizeof(got)))
		return fail(field, "csum", LUKS_E_CHECKSUM);
	return 0;
}

int luks2_hdr_pick(uint8_t *buf, size_t len, luks_sha256_fn *sha256,
		   struct luks2_bin *out, size_t *json_off, size_t *json_len,
		   const char **field)
{
	struct luks2_bin p, s;
	const char *sfield = NULL;
	size_t off = 0, soff;
	int rp, rs = -LUKS_E_MAGIC;

	if (len < LUKS2_BIN_SIZE)
		return fail(field, "header", LUKS_E_TRUNCATED);
	rp = copy_check(buf, len, 0, sha256, &p, field);
	for (soff = LUKS2_MIN_HDR_SIZE; soff <= LUKS2_MAX_HDR_SIZE;
	     soff <<= 1) {
		if (!rp && soff != p.hdr_size)
			continue;
		if (soff >= len)
			break;
		rs = copy_check(buf, len, soff, sha256, &s, &sfield);
		if (!rs)
			break;
	}
	if (rp && rs)
		return rp;
	if (!rp && !rs && strcmp(p.uuid, s.uuid))
		return fail(field, "uuid", LUKS_E_FIELD);
	if (rp || (!rs && s.seqid > p.seqid)) {
		p = s;
		off = soff;
	}
	if (field)
		*field =
			NULL; /* the primary's refusal, if any, is not the answer */
	*out = p;
	*json_off = off + LUKS2_BIN_SIZE;
	*json_len = (size_t)p.hdr_size - LUKS2_BIN_SIZE;
	return 0;
}

/* ---- the JSON area ---- */

/* A decimal id ("0".."max-1", no leading zero); -1 if not one. */
static int parse_id(const char *s, size_t n, unsigned int max)
{
	unsigned int v = 0;
	size_t i;

	if (!n || n > 3 || (s[0] == '0' && n > 1))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	return v < max ? (int)v : -1;
}

static int key_id(const struct json *j, int key, unsigned int max)
{
	return parse_id(j->text + j->tok[key].start, j->tok[key].len, max);
}

static int obj_of(const struct json *j, int obj, const char *key)
{
	int t = json_get(j, obj, key);

	return t >= 0 && j->tok[t].type == JSON_OBJECT ? t : -1;
}

static int str_of(const struct json *j, int obj, const char *key, char *out,
		  size_t size)
{
	int t = json_get(j, obj, key);

	return t >= 0 && json_str_copy(j, t, out, size) > 0 ? 0 : -1;
}

/* A string fit for a table line or a key lookup (luks_spec_ok). */
static int spec_of(const struct json *j, int obj, const char *key, char *out,
		   size_t size)
{
	return str_of(j, obj, key, out, size) || !luks_spec_ok(out) ? -1 : 0;
}

/* An integer in lo..hi: a JSON number, or a decimal string if from_string. */
static int u64_of(const struct json *j, int obj, const char *key,
		  int from_string, uint64_t lo, uint64_t hi, uint64_t *out)
{
	int t = json_get(j, obj, key);

	if (t < 0 || json_u64(j, t, from_string, out))
		return -1;
	return *out >= lo && *out <= hi ? 0 : -1;
}

static int u32_of(const struct json *j, int obj, const char *key, uint32_t lo,
		  uint32_t hi, uint32_t *out)
{
	uint64_t v;

	if (u64_of(j, obj, key, 0, lo, hi, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int b64_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64 (padded, canonical) into at most max bytes, not empty. */
static int b64_of(const struct json *j, int obj, const char *key, uint8_t *out,
		  uint32_t max, uint32_t *outlen)
{
	char s[B64_TEXT_MAX];
	int n, i, k, pad = 0;
	uint32_t o = 0;

	if (str_of(j, obj, key, s, sizeof(s)))
		return -1;
	n = (int)strlen(s);
	if (n % 4)
		return -1;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n; i += 4) {
		uint32_t v = 0;
		int last = i + 4 == n, use = last ? 4 - pad : 4;

		for (k = 0; k < 4; k++) {
			int d = k < use ? b64_val(s[i + k]) : 0;

			if (d < 0)
				return -1;
			v = v << 6 | (uint32_t)d;
		}
		/* Padding's bits zero: one text per value. */
		if ((pad == 1 && last && (v & 0xff)) ||
		    (pad == 2 && last && (v & 0xffff)))
			return -1;
		for (k = 0; k < use - 1; k++) {
			if (o >= max)
				return -1;
			out[o++] = (uint8_t)(v >> (16 - 8 * k));
		}
	}
	*outlen = o;
	return 0;
}

/* An array of id strings into a bitmask; every id below max, none
 * repeated, and in mask_ok. */
static int ids_of(const struct json *j, int obj, const char *key,
		  unsigned int max, uint32_t mask_ok, uint32_t *mask)
{
	int a = json_get(j, obj, key);
	unsigned int i;

	*mask = 0;
	if (a < 0 || j->tok[a].type != JSON_ARRAY)
		return -1;
	for (i = 0; i < j->tok[a].count; i++) {
		int t = json_elem(j, a, i), id;
		char s[4];

		if (json_str_copy(j, t, s, sizeof(s)) < 0)
			return -1;
		id = parse_id(s, strlen(s), max);
		if (id < 0 || (*mask >> id & 1) || !(mask_ok >> id & 1))
			return -1;
		*mask |= 1u << id;
	}
	return 0;
}

struct luks2_ctx {
	const struct json *j;
	const char **field;
	uint64_t areas_start, areas_end; /* the keyslots area, bytes */
	struct luks2_meta *m;
};

static int is_reencrypt(const char *s)
{
	return !strncmp(s, "online-reencrypt", 16);
}

static int parse_config(struct luks2_ctx *c, int cfg, uint64_t hdr_size)
{
	const struct json *j = c->j;
	static const char flag_names[][24] = {
		"allow-discards", "same-cpu-crypt", "submit-from-crypt-cpus",
		"no-read-workqueue", "no-write-workqueue"};
	int a, req;
	unsigned int i, k;

	if (u64_of(j, cfg, "json_size", 1, 0, UINT64_MAX, &c->m->json_size) ||
	    c->m->json_size != hdr_size - LUKS2_BIN_SIZE)
		return fail(c->field, "config.json_size", LUKS_E_FIELD);
	if (u64_of(j, cfg, "keyslots_size", 1, 0, (uint64_t)1 << 40,
		   &c->m->keyslots_size) ||
	    c->m->keyslots_size % 4096)
		return fail(c->field, "config.keyslots_size", LUKS_E_FIELD);
	c->areas_start = 2 * hdr_size;
	c->areas_end = c->areas_start + c->m->keyslots_size;
	a = json_get(j, cfg, "flags");
	if (a >= 0) {
		if (j->tok[a].type != JSON_ARRAY)
			return fail(c->field, "config.flags", LUKS_E_FIELD);
		for (i = 0; i < j->tok[a].count; i++) {
			int t = json_elem(j, a, i);

			if (j->tok[t].type != JSON_STRING)
				return fail(c->field, "config.flags",
					    LUKS_E_FIELD);
			for (k = 0;
			     k < sizeof(flag_names) / sizeof(flag_names[0]);
			     k++)
				if (json_str_is(j, t, flag_names[k]))
					c->m->flags |= 1u << k;
		}
	}
	req = json_get(j, cfg, "requirements");
	if (req < 0)
		return 0;
	if (j->tok[req].type != JSON_OBJECT)
		return fail(c->field, "config.requirements", LUKS_E_FIELD);
	a = json_get(j, req, "mandatory");
	if (a < 0)
		return 0;
	if (j->tok[a].type != JSON_ARRAY)
		return fail(c->field, "config.requirements.mandatory",
			    LUKS_E_FIELD);
	for (i = 0; i < j->tok[a].count; i++) {
		char s[64];

		if (json_str_copy(j, json_elem(j, a, i), s, sizeof(s)) < 0)
			return fail(c->field, "config.requirements.mandatory",
				    LUKS_E_FIELD);
		if (is_reencrypt(s))
			return fail(c->field, "config.requirements.mandatory",
				    LUKS_E_REENCRYPT);
	}
	if (j->tok[a].count)
		return fail(c->field, "config.requirements.mandatory",
			    LUKS_E_UNSUPPORTED);
	return 0;
}

static int parse_kdf(struct luks2_ctx *c, int kdf, struct luks2_keyslot *ks)
{
	const struct json *j = c->j;
	int t = json_get(j, kdf, "type");

	if (json_str_is(j, t, "pbkdf2")) {
		ks->kdf.type = LUKS2_KDF_PBKDF2;
		if (spec_of(j, kdf, "hash", ks->kdf.hash, sizeof(ks->kdf.hash)))
			return fail(c->field, "keyslots.kdf.hash",
				    LUKS_E_FIELD);
		if (u32_of(j, kdf, "iterations", 1, UINT32_MAX,
			   &ks->kdf.iterations))
			return fail(c->field, "keyslots.kdf.iterations",
				    LUKS_E_FIELD);
	} else if (json_str_is(j, t, "argon2i") ||
		   json_str_is(j, t, "argon2id")) {
		ks->kdf.type = json_str_is(j, t, "argon2i")
				       ? LUKS2_KDF_ARGON2I
				       : LUKS2_KDF_ARGON2ID;
		if (u32_of(j, kdf, "time", 1, UINT32_MAX, &ks->kdf.time))
			return fail(c->field, "keyslots.kdf.time",
				    LUKS_E_FIELD);
		if (u32_of(j, kdf, "memory", 1, ARGON2_MAX_MEMORY_KIB,
			   &ks->kdf.memory))
			return fail(c->field, "keyslots.kdf.memory",
				    LUKS_E_FIELD);
		if (u32_of(j, kdf, "cpus", 1, ARGON2_MAX_CPUS, &ks->kdf.cpus))
			return fail(c->field, "keyslots.kdf.cpus",
				    LUKS_E_FIELD);
	} else if (t >= 0 && j->tok[t].type == JSON_STRING) {
		return fail(c->field, "keyslots.kdf.type", LUKS_E_UNSUPPORTED);
	} else {
		return fail(c->field, "keyslots.kdf.type", LUKS_E_FIELD);
	}
	if (b64_of(j, kdf, "salt", ks->kdf.salt, LUKS2_MAX_SALT,
		   &ks->kdf.salt_len))
		return fail(c->field, "keyslots.kdf.salt", LUKS_E_FIELD);
	return 0;
}

static int parse_keyslot(struct luks2_ctx *c, int o, struct luks2_keyslot *ks)
{
	const struct json *j = c->j;
	int area, kdf, af, t, r;
	uint64_t v;

	t = json_get(j, o, "type");
	if (json_str_is(j, t, "reencrypt"))
		return fail(c->field, "keyslots.type", LUKS_E_REENCRYPT);
	if (!json_str_is(j, t, "luks2"))
		return fail(c->field, "keyslots.type",
			    t < 0 ? LUKS_E_FIELD : LUKS_E_UNSUPPORTED);
	if (u32_of(j, o, "key_size", LUKS_MIN_KEY_BYTES, LUKS_MAX_KEY_BYTES,
		   &ks->key_size))
		return fail(c->field, "keyslots.key_size", LUKS_E_FIELD);
	ks->priority = 1;
	if (json_get(j, o, "priority") >= 0) {
		if (u64_of(j, o, "priority", 0, 0, 2, &v))
			return fail(c->field, "keyslots.priority",
				    LUKS_E_FIELD);
		ks->priority = (int8_t)v;
	}
	area = obj_of(j, o, "area");
	if (area < 0)
		return fail(c->field, "keyslots.area", LUKS_E_FIELD);
	t = json_get(j, area, "type");
	if (!json_str_is(j, t, "raw"))
		return fail(c->field, "keyslots.area.type",
			    t < 0 ? LUKS_E_FIELD : LUKS_E_UNSUPPORTED);
	if (u64_of(j, area, "offset", 1, 0, UINT64_MAX, &ks->area.offset))
		return fail(c->field, "keyslots.area.offset", LUKS_E_FIELD);
	if (u64_of(j, area, "size", 1, 0, UINT64_MAX, &ks->area.size))
		return fail(c->field, "keyslots.area.size", LUKS_E_FIELD);
	if (spec_of(j, area, "encryption", ks->area.encryption,
		    sizeof(ks->area.encryption)))
		return fail(c->field, "keyslots.area.encryption", LUKS_E_FIELD);
	if (u32_of(j, area, "key_size", LUKS_MIN_KEY_BYTES, LUKS_MAX_KEY_BYTES,
		   &ks->area.key_size))
		return fail(c->field, "keyslots.area.key_size", LUKS_E_FIELD);
	kdf = obj_of(j, o, "kdf");
	if (kdf < 0)
		return fail(c->field, "keyslots.kdf", LUKS_E_FIELD);
	r = parse_kdf(c, kdf, ks);
	if (r)
		return r;
	af = obj_of(j, o, "af");
	if (af < 0)
		return fail(c->field, "keyslots.af", LUKS_E_FIELD);
	t = json_get(j, af, "type");
	if (!json_str_is(j, t, "luks1"))
		return fail(c->field, "keyslots.af.type",
			    t < 0 ? LUKS_E_FIELD : LUKS_E_UNSUPPORTED);
	if (u32_of(j, af, "stripes", LUKS_STRIPES, LUKS_STRIPES,
		   &ks->af_stripes))
		return fail(c->field, "keyslots.af.stripes", LUKS_E_FIELD);
	if (spec_of(j, af, "hash", ks->af_hash, sizeof(ks->af_hash)))
		return fail(c->field, "keyslots.af.hash", LUKS_E_FIELD);
	/* The area inside the keyslots area, large enough for the AF material. */
	if (ks->area.offset < c->areas_start ||
	    ks->area.offset > c->areas_end ||
	    ks->area.size > c->areas_end - ks->area.offset ||
	    ks->area.size < (uint64_t)ks->key_size * ks->af_stripes)
		return fail(c->field, "keyslots.area", LUKS_E_LAYOUT);
	return 0;
}

static int parse_segment(struct luks2_ctx *c, int o, struct luks2_segment *sg)
{
	const struct json *j = c->j;
	int t = json_get(j, o, "type"), f;
	uint32_t i;

	if (json_get(j, o, "integrity") >= 0)
		return fail(c->field, "segments.integrity", LUKS_E_INTEGRITY);
	f = json_get(j, o, "flags");
	if (f >= 0) {
		if (j->tok[f].type != JSON_ARRAY)
			return fail(c->field, "segments.flags", LUKS_E_FIELD);
		for (i = 0; i < j->tok[f].count; i++) {
			t = json_elem(j, f, i);
			if (j->tok[t].type != JSON_STRING)
				return fail(c->field, "segments.flags",
					    LUKS_E_FIELD);
		}
		/* Segment flags mark reencryption's backup and moving segments. */
		if (j->tok[f].count)
			return fail(c->field, "segments.flags",
				    LUKS_E_REENCRYPT);
		t = json_get(j, o, "type");
	}
	if (!json_str_is(j, t, "crypt"))
		return fail(c->field, "segments.type",
			    t < 0 ? LUKS_E_FIELD : LUKS_E_UNSUPPORTED);
	if (u64_of(j, o, "offset", 1, 0, UINT64_MAX, &sg->offset) ||
	    sg->offset % LUKS_SECTOR)
		return fail(c->field, "segments.offset", LUKS_E_FIELD);
	t = json_get(j, o, "size");
	if (json_str_is(j, t, "dynamic"))
		sg->dynamic = 1;
	else if (json_u64(j, t, 1, &sg->size) || !sg->size ||
		 sg->size % LUKS_SECTOR)
		return fail(c->field, "segments.size", LUKS_E_FIELD);
	if (u64_of(j, o, "iv_tweak", 1, 0, UINT64_MAX, &sg->iv_tweak))
		return fail(c->field, "segments.iv_tweak", LUKS_E_FIELD);
	if (spec_of(j, o, "encryption", sg->encryption, sizeof(sg->encryption)))
		return fail(c->field, "segments.encryption", LUKS_E_FIELD);
	if (u32_of(j, o, "sector_size", LUKS_SECTOR, 4096, &sg->sector_size) ||
	    (sg->sector_size & (sg->sector_size - 1)) ||
	    (!sg->dynamic && sg->size % sg->sector_size))
		return fail(c->field, "segments.sector_size", LUKS_E_FIELD);
	/* Data after the keyslots area, or at 0 with a detached header. */
	if (sg->offset && sg->offset < c->areas_end)
		return fail(c->field, "segments.offset", LUKS_E_LAYOUT);
	if (!sg->dynamic && sg->size > UINT64_MAX - sg->offset)
		return fail(c->field, "segments.size", LUKS_E_LAYOUT);
	return 0;
}

static int parse_digest(struct luks2_ctx *c, int o, struct luks2_digest *d,
			uint32_t ks_mask, uint32_t seg_mask)
{
	const struct json *j = c->j;
	int t = json_get(j, o, "type");

	if (!json_str_is(j, t, "pbkdf2"))
		return fail(c->field, "digests.type",
			    t < 0 ? LUKS_E_FIELD : LUKS_E_UNSUPPORTED);
	if (ids_of(j, o, "keyslots", LUKS2_KEYSLOTS, ks_mask, &d->keyslots))
		return fail(c->field, "digests.keyslots", LUKS_E_FIELD);
	if (ids_of(j, o, "segments", LUKS2_SEGMENTS, seg_mask, &d->segments))
		return fail(c->field, "digests.segments", LUKS_E_FIELD);
	if (spec_of(j, o, "hash", d->hash, sizeof(d->hash)))
		return fail(c->field, "digests.hash", LUKS_E_FIELD);
	if (u32_of(j, o, "iterations", 1, UINT32_MAX, &d->iterations))
		return fail(c->field, "digests.iterations", LUKS_E_FIELD);
	if (b64_of(j, o, "salt", d->salt, LUKS2_MAX_SALT, &d->salt_len))
		return fail(c->field, "digests.salt", LUKS_E_FIELD);
	if (b64_of(j, o, "digest", d->digest, LUKS2_MAX_DIGEST, &d->digest_len))
		return fail(c->field, "digests.digest", LUKS_E_FIELD);
	return 0;
}

static int parse_token(struct luks2_ctx *c, int o, struct luks2_token *tk,
		       uint32_t ks_mask)
{
	const struct json *j = c->j;

	int t = json_get(j, o, "type"),
	    r = json_str_copy(j, t, tk->type, sizeof(tk->type));

	/* A type too long for dmboot is one it does not know, not an error. */
	if (r == -ENAMETOOLONG)
		tk->type[0] = 0;
	else if (r < 0)
		return fail(c->field, "tokens.type", LUKS_E_FIELD);
	if (ids_of(j, o, "keyslots", LUKS2_KEYSLOTS, ks_mask, &tk->keyslots))
		return fail(c->field, "tokens.keyslots", LUKS_E_FIELD);
	if (!strcmp(tk->type, "luks2-keyring") &&
	    spec_of(j, o, "key_description", tk->key_description,
		    sizeof(tk->key_description)))
		return fail(c->field, "tokens.key_description", LUKS_E_FIELD);
	return 0;
}

/* The id of the section member whose key is at key (below max), its
 * value an object; or the refusal. */
static int member_id(const struct luks2_ctx *c, int key, const char *name,
		     unsigned int max)
{
	int id = key_id(c->j, key, max);

	if (id < 0)
		return fail(c->field, name, LUKS_E_LIMIT);
	if (c->j->tok[key + 1].type != JSON_OBJECT)
		return fail(c->field, name, LUKS_E_FIELD);
	return id;
}

int luks2_json_parse(const char *json, size_t len, uint64_t hdr_size,
		     struct json_tok *tok, size_t ntok, struct luks2_meta *out,
		     const char **field)
{
	struct json j;
	struct luks2_ctx c = {&j, field, 0, 0, out};
	const char *nul = mem_chr(json, 0, len);
	int sec[5], r, id, o;
	uint32_t ks_mask = 0, seg_mask = 0;
	static const char names[][9] = {"keyslots", "segments", "digests",
					"config", "tokens"};
	unsigned int i, k;

	memset(out, 0, sizeof(*out));
	if (!is_hdr_size(hdr_size))
		return fail(field, "hdr_size", LUKS_E_FIELD);
	if (!nul)
		return fail(field, "json", LUKS_E_JSON);
	r = json_parse(&j, json, (size_t)(nul - json), tok, ntok);
	if (r == -E2BIG)
		return fail(field, "json", LUKS_E_LIMIT);
	if (r)
		return fail(field, "json", LUKS_E_JSON);
	for (k = 0; k < 5; k++) {
		sec[k] = obj_of(&j, 0, names[k]);
		if (sec[k] < 0)
			return fail(field, names[k], LUKS_E_FIELD);
	}
	r = parse_config(&c, sec[3], hdr_size);
	if (r)
		return r;
	for (i = 0, o = sec[0] + 1; i < j.tok[sec[0]].count;
	     i++, o = (int)j.tok[o + 1].next) {
		id = member_id(&c, o, "keyslots", LUKS2_KEYSLOTS);
		if (id < 0)
			return id;
		r = parse_keyslot(&c, o + 1, &out->keyslots[id]);
		if (r)
			return r;
		out->keyslots[id].used = 1;
		ks_mask |= 1u << id;
	}
	for (i = 0; i < LUKS2_KEYSLOTS; i++)
		for (k = 0; k < i; k++) {
			const struct luks2_keyslot *a = &out->keyslots[i],
						   *b = &out->keyslots[k];

			if (a->used && b->used &&
			    a->area.offset < b->area.offset + b->area.size &&
			    b->area.offset < a->area.offset + a->area.size)
				return fail(field, "keyslots.area",
					    LUKS_E_LAYOUT);
		}
	for (i = 0, o = sec[1] + 1; i < j.tok[sec[1]].count;
	     i++, o = (int)j.tok[o + 1].next) {
		id = member_id(&c, o, "segments", LUKS2_SEGMENTS);
		if (id < 0)
			return id;
		r = parse_segment(&c, o + 1, &out->segments[id]);
		if (r)
			return r;
		out->segments[id].used = 1;
		seg_mask |= 1u << id;
	}
	for (i = 0, o = sec[2] + 1; i < j.tok[sec[2]].count;
	     i++, o = (int)j.tok[o + 1].next) {
		id = member_id(&c, o, "digests", LUKS2_DIGESTS);
		if (id < 0)
			return id;
		r = parse_digest(&c, o + 1, &out->digests[id], ks_mask,
				 seg_mask);
		if (r)
			return r;
		out->digests[id].used = 1;
	}
	for (i = 0, o = sec[4] + 1; i < j.tok[sec[4]].count;
	     i++, o = (int)j.tok[o + 1].next) {
		id = member_id(&c, o, "tokens", LUKS2_TOKENS);
		if (id < 0)
			return id;
		r = parse_token(&c, o + 1, &out->tokens[id], ks_mask);
		if (r)
			return r;
		out->tokens[id].used = 1;
	}
	return 0;
}
