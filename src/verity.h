/* SPDX-License-Identifier: MIT */
/* dm-verity without I/O: veritysetup's superblock, the hash tree's layout
 * as the kernel computes it, the table text veritysetup builds, the
 * option gates, the device UUID. */
#ifndef DMBOOT_VERITY_H
#define DMBOOT_VERITY_H

#include <stddef.h>
#include <stdint.h>

#define VERITY_SB_SIZE 512
#define VERITY_MAX_SALT 256
#define VERITY_MAX_DIGEST 64
#define VERITY_MAX_LEVELS 64
#define VERITY_UUID_PREFIX "CRYPT-VERITY-"

/* What the superblock holds (there is no root hash in it). */
struct verity_sb {
	uint32_t hash_type; /* 0 Chrome OS, 1 normal */
	uint8_t uuid[16];
	char algorithm[32]; /* NUL-terminated */
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	uint16_t salt_size;
	uint8_t salt[VERITY_MAX_SALT];
};

/* verity_sb_parse's refusals, negated. */
enum {
	VSB_TRUNCATED = 1,
	VSB_SIGNATURE,
	VSB_VERSION,
	VSB_HASH_TYPE,
	VSB_ALGORITHM,
	VSB_BLOCK_SIZE,
	VSB_SALT_SIZE,
	VSB_DATA_BLOCKS,
};
int verity_sb_parse(const uint8_t *buf, size_t len, struct verity_sb *out);
const char *verity_sb_strerror(int err);

/* Table options, in cryptsetup's order. */
enum {
	VF_IGNORE_CORRUPTION = 1u << 0,
	VF_RESTART_ON_CORRUPTION = 1u << 1,
	VF_PANIC_ON_CORRUPTION = 1u << 2,
	VF_IGNORE_ZERO_BLOCKS = 1u << 3,
	VF_CHECK_AT_MOST_ONCE = 1u << 4,
	VF_TASKLETS = 1u << 5,
	VF_FEC = 1u << 6,
	VF_SIGNATURE = 1u << 7,
};

struct verity_params {
	uint32_t hash_type;
	char hash_name[32];
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	uint64_t hash_offset; /* bytes: the superblock, or the tree without */
	int superblock;
	uint16_t salt_size;
	uint8_t salt[VERITY_MAX_SALT];
	uint32_t digest_size;
	uint8_t root[VERITY_MAX_DIGEST];
	uint32_t data_dev[2], hash_dev[2], fec_dev[2]; /* major, minor */
	unsigned flags;
	uint64_t fec_start, fec_blocks; /* in data blocks */
	uint32_t fec_roots;
	const char *sig_key_desc;
};

/* Digest size of a hash the kernel's dm-verity is known to use, or 0. */
uint32_t verity_digest_size(const char *alg);
/* Block sizes veritysetup accepts: powers of two, 512 B to 512 KiB. */
int verity_block_size_ok(uint64_t size);
/* Fills p from a parsed superblock. */
void verity_params_from_sb(struct verity_params *p, const struct verity_sb *sb);

/* The hash tree as drivers/md/dm-verity-target.c lays it out. */
struct verity_tree {
	unsigned levels; /* 0: one data block, the root is its hash */
	unsigned per_block_bits; /* log2 of digests per hash block */
	uint64_t start; /* first hash block (hash_start_block) */
	uint64_t level_block[VERITY_MAX_LEVELS]; /* first block of each level */
	uint64_t end; /* block after the last hash block */
};
uint64_t verity_hash_start(const struct verity_params *p);
int verity_tree_layout(const struct verity_params *p, struct verity_tree *t);
/* Where the digest of block `index` of level `level - 1` (level 0: data
 * blocks) lies in level `level`'s blocks. */
void verity_digest_pos(const struct verity_params *p,
		       const struct verity_tree *t, unsigned level,
		       uint64_t index, uint64_t *block, uint32_t *offset);

/* FEC covers the data and the hash device from the tree's start to its
 * end, or to the FEC area when FEC lives on the hash device. Sizes in
 * bytes; fec_offset in bytes. Fills fec_start and fec_blocks. */
int verity_fec_area(struct verity_params *p, uint64_t hash_dev_bytes,
		    int fec_on_hash_dev, uint64_t fec_offset);

/* The target line's parameters as veritysetup writes them. Returns the
 * length, or -ENOSPC. */
int verity_table_text(const struct verity_params *p, char *out, size_t size);
/* The device's size in sectors. */
uint64_t verity_sectors(const struct verity_params *p);

/* Option gates: the first option in flags the target version v lacks, 0
 * if none. *need gets the minor it needs (major 1). */
unsigned verity_gate(unsigned flags, const uint32_t v[3], unsigned *need);

/* CRYPT-VERITY-<32 hex>-<name>, or CRYPT-VERITY-<name> without a UUID,
 * truncated to 128 characters as cryptsetup does. */
void verity_dm_uuid(const uint8_t *uuid, const char *name, char out[129]);
/* "01234567-89ab-..." (dashes optional) into 16 bytes. 0 or -EINVAL. */
int verity_uuid_parse(const char *s, uint8_t out[16]);

/* Hex text into bytes: the length, or -EINVAL (odd, not hex, too long). */
int verity_hex_decode(const char *s, size_t len, uint8_t *out, size_t max);
void verity_hex_encode(const uint8_t *in, size_t len, char *out);

/* A verity table line read back (dmsetup table), for status. */
struct verity_table {
	uint32_t version;
	char data_dev[24], hash_dev[24], fec_dev[24];
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks, hash_start;
	char alg[32];
	const char *root, *salt; /* into the parsed text, space-ended */
	size_t root_len, salt_len;
	uint64_t fec_start, fec_blocks;
	uint32_t fec_roots;
	unsigned flags;
};
int verity_table_parse(const char *params, struct verity_table *out);

#endif
