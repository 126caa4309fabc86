/* SPDX-License-Identifier: MIT */
/* The LUKS1 header: 592 big-endian bytes, read byte by byte. No I/O.
 * Every field is checked before anything is trusted: the text fields
 * NUL-terminated, printable without spaces (the UUID hex and dashes), key bytes 16..64, iterations non-zero, every keyslot
 * (cryptsetup lays out all eight, active or not) with 4000 stripes and
 * its key material after the header, before the payload and the device's
 * end, overlapping no other. */
#include <errno.h>
#include <string.h>

#include "luks.h"
#include "util.h"

#define LUKS1_MAGIC "LUKS\xba\xbe"
#define LUKS_MAGIC_LEN 6

enum {
	OFF_VERSION = 6,
	OFF_CIPHER_NAME = 8,
	OFF_CIPHER_MODE = 40,
	OFF_HASH = 72,
	OFF_PAYLOAD = 104,
	OFF_KEY_BYTES = 108,
	OFF_MK_DIGEST = 112,
	OFF_MK_SALT = 132,
	OFF_MK_ITER = 164,
	OFF_UUID = 168,
	OFF_KEYSLOTS = 208,
	KS_SIZE = 48,
	KS_ITER = 4,
	KS_SALT = 8,
	KS_OFFSET = 40,
	KS_STRIPES = 44,
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* A NUL-terminated, non-empty text field of n bytes. */
static int text_field(const uint8_t *p, size_t n, char *out)
{
	const uint8_t *nul = mem_chr(p, 0, n);

	if (!nul || nul == p)
		return -1;
	memcpy(out, p, (size_t)(nul - p) + 1);
	return 0;
}

int luks_spec_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

int luks_uuid_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') ||
		      ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f') || *s == '-'))
			return 0;
	return 1;
}

uint64_t luks1_keyslot_sectors(uint32_t key_bytes, uint32_t stripes)
{
	return ((uint64_t)key_bytes * stripes + LUKS_SECTOR - 1) / LUKS_SECTOR;
}

static int fail(const char **field, const char *name, int err)
{
	if (field)
		*field = name;
	return -err;
}

int luks1_parse(const uint8_t *buf, size_t len, uint64_t dev_bytes,
		struct luks1_hdr *out, const char **field)
{
	uint64_t dev_sectors = dev_bytes / LUKS_SECTOR;
	uint64_t first = (LUKS1_HDR_SIZE + LUKS_SECTOR - 1) / LUKS_SECTOR;
	uint64_t ks_sectors;
	int i, k;

	memset(out, 0, sizeof(*out));
	if (len < LUKS1_HDR_SIZE)
		return fail(field, "header", LUKS_E_TRUNCATED);
	if (memcmp(buf, LUKS1_MAGIC, LUKS_MAGIC_LEN))
		return fail(field, "magic", LUKS_E_MAGIC);
	if ((buf[OFF_VERSION] << 8 | buf[OFF_VERSION + 1]) != 1)
		return fail(field, "version", LUKS_E_VERSION);
	if (text_field(buf + OFF_CIPHER_NAME, 32, out->cipher_name) ||
	    !luks_spec_ok(out->cipher_name))
		return fail(field, "cipher-name", LUKS_E_FIELD);
	if (text_field(buf + OFF_CIPHER_MODE, 32, out->cipher_mode) ||
	    !luks_spec_ok(out->cipher_mode))
		return fail(field, "cipher-mode", LUKS_E_FIELD);
	if (text_field(buf + OFF_HASH, 32, out->hash) ||
	    !luks_spec_ok(out->hash))
		return fail(field, "hash-spec", LUKS_E_FIELD);
	if (text_field(buf + OFF_UUID, 40, out->uuid) ||
	    !luks_uuid_ok(out->uuid))
		return fail(field, "uuid", LUKS_E_FIELD);
	out->payload_offset = be32(buf + OFF_PAYLOAD);
	out->key_bytes = be32(buf + OFF_KEY_BYTES);
	if (out->key_bytes < LUKS_MIN_KEY_BYTES ||
	    out->key_bytes > LUKS_MAX_KEY_BYTES)
		return fail(field, "key-bytes", LUKS_E_FIELD);
	memcpy(out->mk_digest, buf + OFF_MK_DIGEST, LUKS1_DIGEST_SIZE);
	memcpy(out->mk_salt, buf + OFF_MK_SALT, LUKS_SALT_SIZE);
	out->mk_iterations = be32(buf + OFF_MK_ITER);
	if (!out->mk_iterations)
		return fail(field, "mk-digest-iter", LUKS_E_FIELD);
	if (dev_sectors && out->payload_offset > dev_sectors)
		return fail(field, "payload-offset", LUKS_E_LAYOUT);
	if (out->payload_offset && out->payload_offset < first)
		return fail(field, "payload-offset", LUKS_E_LAYOUT);

	for (i = 0; i < LUKS1_KEYSLOTS; i++) {
		const uint8_t *p = buf + OFF_KEYSLOTS + i * KS_SIZE;
		struct luks1_keyslot *ks = &out->ks[i];
		uint32_t active = be32(p);

		if (active != LUKS1_KEYSLOT_ACTIVE &&
		    active != LUKS1_KEYSLOT_DISABLED)
			return fail(field, "keyslot.active", LUKS_E_FIELD);
		ks->active = active == LUKS1_KEYSLOT_ACTIVE;
		ks->iterations = be32(p + KS_ITER);
		memcpy(ks->salt, p + KS_SALT, LUKS_SALT_SIZE);
		ks->offset = be32(p + KS_OFFSET);
		ks->stripes = be32(p + KS_STRIPES);
		if (ks->active && !ks->iterations)
			return fail(field, "keyslot.iterations", LUKS_E_FIELD);
		if (ks->stripes != LUKS_STRIPES)
			return fail(field, "keyslot.stripes", LUKS_E_FIELD);
	}
	ks_sectors = luks1_keyslot_sectors(out->key_bytes, LUKS_STRIPES);
	for (i = 0; i < LUKS1_KEYSLOTS; i++) {
		uint64_t start = out->ks[i].offset, end = start + ks_sectors;

		if (start < first)
			return fail(field, "keyslot.key-material-offset",
				    LUKS_E_LAYOUT);
		if (out->payload_offset && end > out->payload_offset)
			return fail(field, "keyslot.key-material-offset",
				    LUKS_E_LAYOUT);
		if (dev_sectors && end > dev_sectors)
			return fail(field, "keyslot.key-material-offset",
				    LUKS_E_LAYOUT);
		for (k = 0; k < i; k++) {
			uint64_t s = out->ks[k].offset;

			if (start < s + ks_sectors && s < end)
				return fail(field,
					    "keyslot.key-material-offset",
					    LUKS_E_LAYOUT);
		}
	}
	return 0;
}

const char *luks_strerror(int err)
{
	switch (-err) {
	case LUKS_E_TRUNCATED:
		return "header truncated";
	case LUKS_E_MAGIC:
		return "not a LUKS header";
	case LUKS_E_VERSION:
		return "unsupported LUKS version";
	case LUKS_E_FIELD:
		return "invalid field";
	case LUKS_E_CHECKSUM:
		return "no header copy with a valid checksum";
	case LUKS_E_LAYOUT:
		return "area outside its bounds or overlapping another";
	case LUKS_E_UNSUPPORTED:
		return "not supported by dmboot";
	case LUKS_E_REENCRYPT:
		return "reencryption in progress";
	case LUKS_E_INTEGRITY:
		return "authenticated encryption (integrity) not supported";
	case LUKS_E_JSON:
		return "malformed JSON metadata";
	case LUKS_E_LIMIT:
		return "beyond dmboot's limits";
	default:
		return "invalid LUKS header";
	}
}
