/* SPDX-License-Identifier: MIT */
/* LUKS1 and LUKS2 headers without I/O: the caller reads the bytes, these
 * parsers check every field and fill plain structs with fixed limits.
 * Refusals are a negated LUKS_E_* code and, in *field, the name of the
 * field at fault (a static string). */
#ifndef DMBOOT_LUKS_H
#define DMBOOT_LUKS_H

#include <stddef.h>
#include <stdint.h>

#define LUKS_SECTOR 512
#define LUKS_STRIPES 4000 /* what cryptsetup writes, and all it accepts */
#define LUKS_SALT_SIZE 32
#define LUKS1_HDR_SIZE 592
#define LUKS1_KEYSLOTS 8
#define LUKS1_DIGEST_SIZE 20
#define LUKS1_KEYSLOT_ACTIVE 0x00AC71F3u
#define LUKS1_KEYSLOT_DISABLED 0x0000DEADu
#define LUKS_MIN_KEY_BYTES 16
#define LUKS_MAX_KEY_BYTES 64

#define LUKS2_BIN_SIZE 4096
#define LUKS2_MIN_HDR_SIZE 0x4000u /* 16 KiB */
#define LUKS2_MAX_HDR_SIZE 0x400000u /* 4 MiB */
#define LUKS2_KEYSLOTS 32
#define LUKS2_TOKENS 32
#define LUKS2_SEGMENTS 8
#define LUKS2_DIGESTS 8
#define LUKS2_MAX_SALT 64
#define LUKS2_MAX_DIGEST 64
#define LUKS2_CSUM_SIZE 32 /* sha256 */

enum {
	LUKS_E_TRUNCATED = 1, /* fewer bytes than the header */
	LUKS_E_MAGIC, /* not a LUKS header (or copy) */
	LUKS_E_VERSION,
	LUKS_E_FIELD, /* a field malformed or out of its range */
	LUKS_E_CHECKSUM, /* no LUKS2 copy has a valid checksum */
	LUKS_E_LAYOUT, /* offsets outside their area, or overlapping */
	LUKS_E_UNSUPPORTED, /* valid, but dmboot does not open it */
	LUKS_E_REENCRYPT, /* a reencryption in progress */
	LUKS_E_INTEGRITY, /* an authenticated (dm-integrity) segment */
	LUKS_E_JSON, /* the JSON area is not strict JSON */
	LUKS_E_LIMIT, /* beyond a fixed limit (ids, tokens) */
};
const char *luks_strerror(int err);
/* A cipher, mode, hash or key description fit for a table line: printable
 * ASCII without spaces (a header is untrusted input). */
int luks_spec_ok(const char *s);
/* A header UUID: hex digits and dashes only (it goes into the dm UUID). */
int luks_uuid_ok(const char *s);

/* ---- LUKS1: 592 big-endian bytes ---- */
struct luks1_keyslot {
	uint32_t active; /* 1 or 0 */
	uint32_t iterations;
	uint8_t salt[LUKS_SALT_SIZE];
	uint32_t offset; /* key material, 512-byte sectors */
	uint32_t stripes;
};

struct luks1_hdr {
	char cipher_name[32], cipher_mode[32], hash[32], uuid[40];
	uint32_t payload_offset; /* sectors; 0: a detached header */
	uint32_t key_bytes;
	uint8_t mk_digest[LUKS1_DIGEST_SIZE], mk_salt[LUKS_SALT_SIZE];
	uint32_t mk_iterations;
	struct luks1_keyslot ks[LUKS1_KEYSLOTS];
};

/* buf: the device's first bytes; dev_bytes: the header device's size (0:
 * unknown, not checked). Every keyslot's key material must lie after the
 * header, before the payload and the device's end, apart from the others. */
int luks1_parse(const uint8_t *buf, size_t len, uint64_t dev_bytes,
		struct luks1_hdr *out, const char **field);
/* Bytes of one keyslot's key material: key_bytes × stripes, in sectors. */
uint64_t luks1_keyslot_sectors(uint32_t key_bytes, uint32_t stripes);

/* ---- LUKS2: binary header copies, then the JSON area ---- */
typedef void luks_sha256_fn(const void *data, size_t len, uint8_t out[32]);

struct luks2_bin {
	uint64_t hdr_size, seqid, hdr_offset;
	char label[48], checksum_alg[32], uuid[40], subsystem[48];
	uint8_t salt[64];
};

/* One copy's binary header at buf (no checksum). secondary: expect
 * "SKUL\xba\xbe". */
int luks2_bin_parse(const uint8_t *buf, size_t len, int secondary,
		    struct luks2_bin *out, const char **field);

/* The header to use from the device's first len bytes: the primary at 0,
 * the secondary at the primary's hdr_size or, if the primary is damaged,
 * at any of 16 KiB..4 MiB (powers of two) that len covers; each copy's
 * sha256 (binary header with csum zeroed, then the JSON area) checked
 * with sha256(). The valid copy with the higher seqid wins (the primary
 * on a tie). *json_off and *json_len locate its JSON area in buf. Each
 * copy's csum field is zeroed while it is hashed, then put back. */
int luks2_hdr_pick(uint8_t *buf, size_t len, luks_sha256_fn *sha256,
		   struct luks2_bin *out, size_t *json_off, size_t *json_len,
		   const char **field);

enum { LUKS2_KDF_PBKDF2 = 1, LUKS2_KDF_ARGON2I, LUKS2_KDF_ARGON2ID };

struct luks2_keyslot {
	uint8_t used;
	uint32_t priority; /* 0 ignore, 1 normal (default), 2 prefer */
	uint32_t key_size;
	struct {
		uint64_t offset, size; /* bytes from the device's start */
		char encryption[64];
		uint32_t key_size;
	} area;
	struct {
		int type;
		char hash[16]; /* pbkdf2 */
		uint32_t iterations; /* pbkdf2 */
		uint32_t time, memory, cpus; /* argon2: passes, KiB, lanes */
		uint8_t salt[LUKS2_MAX_SALT];
		uint32_t salt_len;
	} kdf;
	uint32_t af_stripes;
	char af_hash[16];
};

struct luks2_segment {
	uint8_t used, dynamic; /* dynamic: to the device's end */
	uint64_t offset, size, iv_tweak; /* bytes, bytes, sectors */
	char encryption[64];
	uint32_t sector_size;
};

struct luks2_digest {
	uint8_t used;
	uint32_t keyslots, segments; /* bitmasks of ids */
	char hash[16];
	uint32_t iterations;
	uint8_t salt[LUKS2_MAX_SALT], digest[LUKS2_MAX_DIGEST];
	uint32_t salt_len, digest_len;
};

struct luks2_token {
	uint8_t used;
	char type[32];
	uint32_t keyslots; /* bitmask */
	char key_description[128]; /* luks2-keyring */
};

enum {
	LUKS2_FLAG_ALLOW_DISCARDS = 1,
	LUKS2_FLAG_SAME_CPU_CRYPT = 2,
	LUKS2_FLAG_SUBMIT_FROM_CRYPT_CPUS = 4,
	LUKS2_FLAG_NO_READ_WORKQUEUE = 8,
	LUKS2_FLAG_NO_WRITE_WORKQUEUE = 16,
};

struct luks2_meta {
	uint64_t json_size, keyslots_size;
	uint32_t
		flags; /* LUKS2_FLAG_*; flags dmboot does not know are ignored */
	struct luks2_keyslot keyslots[LUKS2_KEYSLOTS];
	struct luks2_segment segments[LUKS2_SEGMENTS];
	struct luks2_digest digests[LUKS2_DIGESTS];
	struct luks2_token tokens[LUKS2_TOKENS];
};

/* Tokens a LUKS2 JSON area may need: LUKS2_JSON_TOKENS covers 32 keyslots,
 * digests and tokens. */
#define LUKS2_JSON_TOKENS 4096

/* The JSON area (up to its first NUL) of a header of hdr_size bytes into
 * out; tok: the reader's scratch (LUKS2_JSON_TOKENS entries). */
struct json_tok;
int luks2_json_parse(const char *json, size_t len, uint64_t hdr_size,
		     struct json_tok *tok, size_t ntok, struct luks2_meta *out,
		     const char **field);

#endif
