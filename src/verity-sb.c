/* SPDX-License-Identifier: MIT */
/* veritysetup's superblock: 512 little-endian bytes, read byte by byte so
 * that the parse is the same on every endianness and word size. No I/O. */
#include <errno.h>
#include <string.h>

#include "util.h"
#include "verity.h"

#define SB_SIGNATURE "verity\0\0"
#define SB_VERSION 1
#define SB_MAX_HASH_TYPE 1

enum {
	OFF_VERSION = 8,
	OFF_HASH_TYPE = 12,
	OFF_UUID = 16,
	OFF_ALGORITHM = 32,
	OFF_DATA_BLOCK_SIZE = 64,
	OFF_HASH_BLOCK_SIZE = 68,
	OFF_DATA_BLOCKS = 72,
	OFF_SALT_SIZE = 80,
	OFF_SALT = 88,
};

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

int verity_sb_parse(const uint8_t *buf, size_t len, struct verity_sb *out)
{
	const uint8_t *alg = buf + OFF_ALGORITHM;
	const uint8_t *nul;

	if (len < VERITY_SB_SIZE)
		return -VSB_TRUNCATED;
	if (memcmp(buf, SB_SIGNATURE, 8))
		return -VSB_SIGNATURE;
	if (le32(buf + OFF_VERSION) != SB_VERSION)
		return -VSB_VERSION;
	out->hash_type = le32(buf + OFF_HASH_TYPE);
	if (out->hash_type > SB_MAX_HASH_TYPE)
		return -VSB_HASH_TYPE;
	nul = mem_chr(alg, 0, sizeof(out->algorithm));
	if (!nul || nul == alg)
		return -VSB_ALGORITHM;
	memcpy(out->algorithm, alg, (size_t)(nul - alg) + 1);
	if (!verity_digest_size(out->algorithm))
		return -VSB_ALGORITHM;
	out->data_block_size = le32(buf + OFF_DATA_BLOCK_SIZE);
	out->hash_block_size = le32(buf + OFF_HASH_BLOCK_SIZE);
	if (!verity_block_size_ok(out->data_block_size) ||
	    !verity_block_size_ok(out->hash_block_size))
		return -VSB_BLOCK_SIZE;
	out->salt_size = (uint16_t)le16(buf + OFF_SALT_SIZE);
	if (out->salt_size > VERITY_MAX_SALT)
		return -VSB_SALT_SIZE;
	out->data_blocks = le64(buf + OFF_DATA_BLOCKS);
	/* The device's size in bytes must fit 64 bits, as the kernel's
	 * sector count must. */
	if (!out->data_blocks ||
	    out->data_blocks > UINT64_MAX / out->data_block_size)
		return -VSB_DATA_BLOCKS;
	memcpy(out->uuid, buf + OFF_UUID, sizeof(out->uuid));
	memcpy(out->salt, buf + OFF_SALT, out->salt_size);
	return 0;
}

static const char sb_errors[] = "superblock truncated\0"
				"no verity superblock (bad signature)\0"
				"unsupported superblock version\0"
				"unsupported hash type\0"
				"unknown hash algorithm\0"
				"unsupported block size\0"
				"salt larger than 256 bytes\0"
				"bad number of data blocks";

const char *verity_sb_strerror(int err)
{
	const char *s = sb_errors;
	int i;

	for (i = VSB_TRUNCATED; i < -err && *s; i++)
		s += strlen(s) + 1;
	return s;
}
