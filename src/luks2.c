/* SPDX-License-Identifier: MIT */
/* The LUKS2 header without I/O: the binary header's two copies (checksums
 * through the caller's sha256), then the JSON area into struct luks2_meta.
 * What dmboot will not open is refused by name: integrity segments,
 * reencryption, mandatory requirements, keyslot, area, KDF, AF and digest
 * types other than those cryptsetup writes for a plain LUKS2 volume. */
#include <errno.h>
#include <stddef.h>
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

/* Called from some fifty places: one call each rather than the store
 * inlined (-160 bytes). */
__attribute__((noinline)) static int fail(const char **field, const char *name,
					  int err)
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
static int b64_decode(const char *s, uint8_t *out, uint32_t max,
		      uint32_t *outlen)
{
	int n = (int)strlen(s), i, k, pad = 0;
	uint32_t o = 0;

	if (!n || n % 4)
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
		if (last && (v & (pad == 2 ? 0xffff : pad ? 0xff : 0)))
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

/* What one member of a section's object is read as (struct member). */
enum {
	M_NUM, /* a JSON number in a range, into a uint32_t */
	M_STR, /* a decimal string in a range (64-bit values), a uint64_t */
	M_SPEC, /* text for a table line (luks_spec_ok), arg bytes */
	M_B64, /* base64, LUKS2_MAX_SALT bytes; the length a uint32_t at arg */
	M_WORD, /* the string words[arg]: absent is malformed, another
		 * value one dmboot does not open */
	M_IDS, /* an array of ids, into a uint32_t bitmask: of keyslots
		* (arg 0) or segments (1) the sections have */
	M_OPT = 8, /* absent: left as it is */
};

enum {
	R_ANY,
	R_KEY,
	R_POS,
	R_MEM,
	R_CPUS,
	R_STRIPES,
	R_SECTOR,
	R_AREAS,
	R_PRIO
};

static const uint64_t ranges[][2] = {
	[R_ANY] = {0, UINT64_MAX},
	[R_KEY] = {LUKS_MIN_KEY_BYTES, LUKS_MAX_KEY_BYTES},
	[R_POS] = {1, UINT32_MAX},
	[R_MEM] = {1, ARGON2_MAX_MEMORY_KIB},
	[R_CPUS] = {1, ARGON2_MAX_CPUS},
	[R_STRIPES] = {LUKS_STRIPES, LUKS_STRIPES},
	[R_SECTOR] = {LUKS_SECTOR, 4096},
	[R_AREAS] = {0, (uint64_t)1 << 40},
	[R_PRIO] = {0, 2},
};

static const char words[][7] = {"luks2", "raw", "luks1", "crypt", "pbkdf2"};
enum { W_LUKS2, W_RAW, W_LUKS1, W_CRYPT, W_PBKDF2 };

/* name: the section, the objects on the way and the key, which is also
 * the field a refusal names; at: where in the section's struct. */
struct member {
	char name[25];
	uint8_t kind, arg, at;
};

/* offsetof as a byte; a member further in does not compile. */
#define AT(type, f)                                                            \
	((uint8_t)(offsetof(type, f) +                                         \
		   0 * sizeof(char[offsetof(type, f) < 256 ? 1 : -1])))
#define KS(f) AT(struct luks2_keyslot, f)
#define SG(f) AT(struct luks2_segment, f)
#define DG(f) AT(struct luks2_digest, f)

static const struct member keyslot_members[] = {
	{"keyslots.type", M_WORD, W_LUKS2, 0},
	{"keyslots.key_size", M_NUM, R_KEY, KS(key_size)},
	{"keyslots.priority", M_NUM | M_OPT, R_PRIO, KS(priority)},
	{"keyslots.area.type", M_WORD, W_RAW, 0},
	{"keyslots.area.offset", M_STR, R_ANY, KS(area.offset)},
	{"keyslots.area.size", M_STR, R_ANY, KS(area.size)},
	{"keyslots.area.encryption", M_SPEC,
	 sizeof(((struct luks2_keyslot *)0)->area.encryption),
	 KS(area.encryption)},
	{"keyslots.area.key_size", M_NUM, R_KEY, KS(area.key_size)},
	{"keyslots.af.type", M_WORD, W_LUKS1, 0},
	{"keyslots.af.stripes", M_NUM, R_STRIPES, KS(af_stripes)},
	{"keyslots.af.hash", M_SPEC,
	 sizeof(((struct luks2_keyslot *)0)->af_hash), KS(af_hash)},
	/* pbkdf2: hash, iterations, salt; argon2i/argon2id: salt, time,
	 * memory, cpus */
	{"keyslots.kdf.hash", M_SPEC,
	 sizeof(((struct luks2_keyslot *)0)->kdf.hash), KS(kdf.hash)},
	{"keyslots.kdf.iterations", M_NUM, R_POS, KS(kdf.iterations)},
	{"keyslots.kdf.salt", M_B64, KS(kdf.salt_len), KS(kdf.salt)},
	{"keyslots.kdf.time", M_NUM, R_POS, KS(kdf.time)},
	{"keyslots.kdf.memory", M_NUM, R_MEM, KS(kdf.memory)},
	{"keyslots.kdf.cpus", M_NUM, R_CPUS, KS(kdf.cpus)},
};
enum { KS_COMMON = 11, KS_PBKDF2 = KS_COMMON, KS_ARGON2 = KS_COMMON + 2 };

static const struct member segment_members[] = {
	{"segments.type", M_WORD, W_CRYPT, 0},
	{"segments.offset", M_STR, R_ANY, SG(offset)},
	{"segments.iv_tweak", M_STR, R_ANY, SG(iv_tweak)},
	{"segments.encryption", M_SPEC,
	 sizeof(((struct luks2_segment *)0)->encryption), SG(encryption)},
	{"segments.sector_size", M_NUM, R_SECTOR, SG(sector_size)},
};

static const struct member digest_members[] = {
	{"digests.type", M_WORD, W_PBKDF2, 0},
	{"digests.keyslots", M_IDS, 0, DG(keyslots)},
	{"digests.segments", M_IDS, 1, DG(segments)},
	{"digests.hash", M_SPEC, sizeof(((struct luks2_digest *)0)->hash),
	 DG(hash)},
	{"digests.iterations", M_NUM, R_POS, DG(iterations)},
	{"digests.salt", M_B64, DG(salt_len), DG(salt)},
	{"digests.digest", M_B64, DG(digest_len), DG(digest)},
};

static const struct member token_members[] = {
	{"tokens.keyslots", M_IDS, 0, AT(struct luks2_token, keyslots)},
	{"tokens.key_description", M_SPEC,
	 sizeof(((struct luks2_token *)0)->key_description),
	 AT(struct luks2_token, key_description)},
};

static const struct member config_members[] = {
	{"config.json_size", M_STR, R_ANY, AT(struct luks2_meta, json_size)},
	{"config.keyslots_size", M_STR, R_AREAS,
	 AT(struct luks2_meta, keyslots_size)},
};

struct luks2_ctx {
	const struct json *j;
	const char **field;
	uint64_t areas_start, areas_end; /* the keyslots area, bytes */
	uint32_t ids[2]; /* the keyslots and segments there are */
};

/* The value at name's path below obj: its token, or < 0 if a step is
 * absent or not an object. */
static int member_tok(const struct json *j, int obj, const char *name)
{
	const char *w = str_chrnul(name, '.'), *end;

	do {
		end = str_chrnul(++w, '.');
		obj = json_get_n(j, obj, w, (size_t)(end - w));
		w = end;
	} while (*w);
	return obj;
}

/* Members n of m read from obj into the struct at base; the first
 * refusal. */
static int read_members(const struct luks2_ctx *c, int obj, void *base,
			const struct member *m, size_t n)
{
	const struct json *j = c->j;

	for (; n; n--, m++) {
		uint8_t *dst = (uint8_t *)base + m->at;
		int t = member_tok(j, obj, m->name), err = LUKS_E_FIELD;
		char s[B64_TEXT_MAX];
		uint64_t v;

		if (t < 0) {
			if (m->kind & M_OPT)
				continue;
			return fail(c->field, m->name, err);
		}
		switch (m->kind & ~M_OPT) {
		case M_NUM:
		case M_STR:
			if (json_u64(j, t, m->kind == M_STR, &v) ||
			    v < ranges[m->arg][0] || v > ranges[m->arg][1])
				break;
			if (m->kind == M_STR)
				*(uint64_t *)(void *)dst = v;
			else
				*(uint32_t *)(void *)dst = (uint32_t)v;
			continue;
		case M_SPEC:
			if (json_str_copy(j, t, (char *)dst, m->arg) > 0 &&
			    luks_spec_ok((char *)dst))
				continue;
			break;
		case M_B64:
			if (json_str_copy(j, t, s, sizeof(s)) >= 0 &&
			    !b64_decode(s, dst, LUKS2_MAX_SALT,
					(uint32_t *)(void *)((uint8_t *)base +
							     m->arg)))
				continue;
			break;
		case M_WORD:
			if (json_str_copy(j, t, s, sizeof(s)) >= 0 &&
			    !strcmp(s, words[m->arg]))
				continue;
			err = LUKS_E_UNSUPPORTED;
			break;
		case M_IDS: {
			uint32_t mask = 0, k;
			int e = t + 1, id;

			if (j->tok[t].type != JSON_ARRAY)
				break;
			for (k = 0; k < j->tok[t].count;
			     k++, e = (int)j->tok[e].next) {
				if (j->tok[e].type != JSON_STRING)
					break;
				id = parse_id(j->text + j->tok[e].start,
					      j->tok[e].len,
					      m->arg ? LUKS2_SEGMENTS
						     : LUKS2_KEYSLOTS);
				if (id < 0 || (mask >> id & 1) ||
				    !(c->ids[m->arg] >> id & 1))
					break;
				mask |= 1u << id;
			}
			if (k < j->tok[t].count)
				break;
			*(uint32_t *)(void *)dst = mask;
			continue;
		}
		}
		return fail(c->field, m->name, err);
	}
	return 0;
}

/* String t into out (size bytes), or "" if it is not a string or does
 * not fit: a word to look up. */
static void word_of(const struct json *j, int t, char *out, size_t size)
{
	if (json_str_copy(j, t, out, size) < 0)
		out[0] = 0;
}

static int parse_config(struct luks2_ctx *c, int cfg, uint64_t hdr_size,
			struct luks2_meta *m)
{
	const struct json *j = c->j;
	static const char flag_names[] =
		"allow-discards same-cpu-crypt submit-from-crypt-cpus "
		"no-read-workqueue no-write-workqueue";
	static const char mandatory[] = "config.requirements.mandatory";
	char s[64];
	int a, e, k, r;
	unsigned int i;

	r = read_members(c, cfg, m, config_members, 2);
	if (r)
		return r;
	if (m->json_size != hdr_size - LUKS2_BIN_SIZE)
		return fail(c->field, config_members[0].name, LUKS_E_FIELD);
	if (m->keyslots_size % 4096)
		return fail(c->field, config_members[1].name, LUKS_E_FIELD);
	c->areas_start = 2 * hdr_size;
	c->areas_end = c->areas_start + m->keyslots_size;
	a = json_get(j, cfg, "flags");
	if (a >= 0) {
		if (j->tok[a].type != JSON_ARRAY)
			return fail(c->field, "config.flags", LUKS_E_FIELD);
		for (i = 0, e = a + 1; i < j->tok[a].count;
		     i++, e = (int)j->tok[e].next) {
			if (j->tok[e].type != JSON_STRING)
				return fail(c->field, "config.flags",
					    LUKS_E_FIELD);
			/* Flags dmboot does not know are ignored. */
			word_of(j, e, s, sizeof(s));
			k = str_word_index(flag_names, s);
			if (s[0] && k >= 0)
				m->flags |= 1u << k;
		}
	}
	a = member_tok(j, cfg, mandatory);
	if (a == -ENOENT || (a < 0 && json_get(j, cfg, "requirements") < 0))
		return 0;
	if (a < 0) /* requirements not an object */
		return fail(c->field, "config.requirements", LUKS_E_FIELD);
	if (j->tok[a].type != JSON_ARRAY)
		return fail(c->field, mandatory, LUKS_E_FIELD);
	for (i = 0, e = a + 1; i < j->tok[a].count;
	     i++, e = (int)j->tok[e].next) {
		if (json_str_copy(j, e, s, sizeof(s)) < 0)
			return fail(c->field, mandatory, LUKS_E_FIELD);
		if (!strncmp(s, "online-reencrypt", 16))
			return fail(c->field, mandatory, LUKS_E_REENCRYPT);
	}
	if (j->tok[a].count)
		return fail(c->field, mandatory, LUKS_E_UNSUPPORTED);
	return 0;
}

static int parse_keyslot(struct luks2_ctx *c, int o, struct luks2_keyslot *ks)
{
	const struct json *j = c->j;
	static const char kdfs[] = "pbkdf2 argon2i argon2id";
	char s[16];
	int r, type;

	word_of(j, json_get(j, o, "type"), s, sizeof(s));
	if (!strcmp(s, "reencrypt"))
		return fail(c->field, "keyslots.type", LUKS_E_REENCRYPT);
	ks->priority = 1;
	r = read_members(c, o, ks, keyslot_members, KS_COMMON);
	if (r)
		return r;
	r = member_tok(j, o, "keyslots.kdf.type");
	word_of(j, r, s, sizeof(s));
	type = s[0] ? str_word_index(kdfs, s) : -1;
	if (type < 0)
		return fail(c->field, "keyslots.kdf.type",
			    r >= 0 && j->tok[r].type == JSON_STRING
				    ? LUKS_E_UNSUPPORTED
				    : LUKS_E_FIELD);
	ks->kdf.type = LUKS2_KDF_PBKDF2 + type;
	r = read_members(c, o, ks,
			 keyslot_members + (type ? KS_ARGON2 : KS_PBKDF2),
			 type ? 4 : 3);
	if (r)
		return r;
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
	char s[8];
	int t, f, r;
	uint32_t i;

	if (json_get(j, o, "integrity") >= 0)
		return fail(c->field, "segments.integrity", LUKS_E_INTEGRITY);
	f = json_get(j, o, "flags");
	if (f >= 0) {
		if (j->tok[f].type != JSON_ARRAY)
			return fail(c->field, "segments.flags", LUKS_E_FIELD);
		for (i = 0, t = f + 1; i < j->tok[f].count;
		     i++, t = (int)j->tok[t].next)
			if (j->tok[t].type != JSON_STRING)
				return fail(c->field, "segments.flags",
					    LUKS_E_FIELD);
		/* Segment flags mark reencryption's backup and moving segments. */
		if (j->tok[f].count)
			return fail(c->field, "segments.flags",
				    LUKS_E_REENCRYPT);
	}
	r = read_members(c, o, sg, segment_members,
			 sizeof(segment_members) / sizeof(segment_members[0]));
	if (r)
		return r;
	if (sg->offset % LUKS_SECTOR)
		return fail(c->field, "segments.offset", LUKS_E_FIELD);
	t = json_get(j, o, "size");
	word_of(j, t, s, sizeof(s));
	if (!strcmp(s, "dynamic"))
		sg->dynamic = 1;
	else if (json_u64(j, t, 1, &sg->size) || !sg->size ||
		 sg->size % LUKS_SECTOR)
		return fail(c->field, "segments.size", LUKS_E_FIELD);
	if ((sg->sector_size & (sg->sector_size - 1)) ||
	    (!sg->dynamic && sg->size % sg->sector_size))
		return fail(c->field, "segments.sector_size", LUKS_E_FIELD);
	/* Data after the keyslots area, or at 0 with a detached header. */
	if (sg->offset && sg->offset < c->areas_end)
		return fail(c->field, "segments.offset", LUKS_E_LAYOUT);
	if (!sg->dynamic && sg->size > UINT64_MAX - sg->offset)
		return fail(c->field, "segments.size", LUKS_E_LAYOUT);
	return 0;
}

static int parse_token(struct luks2_ctx *c, int o, struct luks2_token *tk)
{
	const struct json *j = c->j;
	int r = json_str_copy(j, json_get(j, o, "type"), tk->type,
			      sizeof(tk->type));

	/* A type too long for dmboot is one it does not know, not an error. */
	if (r == -ENAMETOOLONG)
		tk->type[0] = 0;
	else if (r < 0)
		return fail(c->field, "tokens.type", LUKS_E_FIELD);
	return read_members(c, o, tk, token_members,
			    strcmp(tk->type, "luks2-keyring") ? 1 : 2);
}

int luks2_json_parse(const char *json, size_t len, uint64_t hdr_size,
		     struct json_tok *tok, size_t ntok, struct luks2_meta *out,
		     const char **field)
{
	struct json j;
	struct luks2_ctx c = {&j, field, 0, 0, {0, 0}};
	const char *nul = mem_chr(json, 0, len);
	/* In the order they are read: config first (the keyslots area),
	 * digests and tokens after the keyslots and segments they name. */
	static const char names[][9] = {"config", "keyslots", "segments",
					"digests", "tokens"};
	static const uint8_t max[] = {1, LUKS2_KEYSLOTS, LUKS2_SEGMENTS,
				      LUKS2_DIGESTS, LUKS2_TOKENS};
	int sec, r, id, o;
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
		sec = json_get(&j, 0, names[k]);
		if (sec < 0 || j.tok[sec].type != JSON_OBJECT)
			return fail(field, names[k], LUKS_E_FIELD);
	}
	for (k = 0; k < 5; k++) {
		sec = json_get(&j, 0, names[k]);
		if (!k) {
			r = parse_config(&c, sec, hdr_size, out);
			if (r)
				return r;
			continue;
		}
		for (i = 0, o = sec + 1; i < j.tok[sec].count;
		     i++, o = (int)j.tok[o + 1].next) {
			id = parse_id(j.text + j.tok[o].start, j.tok[o].len,
				      max[k]);
			if (id < 0)
				return fail(field, names[k], LUKS_E_LIMIT);
			if (j.tok[o + 1].type != JSON_OBJECT)
				return fail(field, names[k], LUKS_E_FIELD);
			switch (k) {
			case 1:
				r = parse_keyslot(&c, o + 1,
						  &out->keyslots[id]);
				out->keyslots[id].used = 1;
				break;
			case 2:
				r = parse_segment(&c, o + 1,
						  &out->segments[id]);
				out->segments[id].used = 1;
				break;
			case 3:
				r = read_members(
					&c, o + 1, &out->digests[id],
					digest_members,
					sizeof(digest_members) /
						sizeof(digest_members[0]));
				out->digests[id].used = 1;
				break;
			default:
				r = parse_token(&c, o + 1, &out->tokens[id]);
				out->tokens[id].used = 1;
			}
			if (r)
				return r;
			if (k < 3)
				c.ids[k - 1] |= 1u << id;
		}
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
	return 0;
}
