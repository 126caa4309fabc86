/* SPDX-License-Identifier: MIT */
/* What identifies a block device, parsed from bytes the caller read:
 * GPT and MBR partition tables, file system superblocks. No I/O here;
 * the results print as blkid and udev print them. */
#ifndef DMBOOT_BLKID_H
#define DMBOOT_BLKID_H

#include <stddef.h>
#include <stdint.h>

#define UUID_STR_LEN 37 /* 8-4-4-4-12 and a NUL */
#define GPT_NAME_UNITS 36 /* UTF-16 code units of a partition name */
#define PART_LABEL_LEN (GPT_NAME_UNITS * 3 + 1)

/* IEEE CRC-32 (zlib's, GPT's) of n bytes, continuing from crc (0 to start). */
uint32_t crc32_le(uint32_t crc, const void *p, size_t n);
/* 16 bytes as lower-case 8-4-4-4-12. mixed: GPT's GUID order (first
 * three fields little-endian), else the bytes in order (file systems). */
void uuid_fmt(char out[UUID_STR_LEN], const uint8_t *b, int mixed);

struct part {
	uint32_t num; /* 1-based, the kernel's partition number */
	uint64_t first, last; /* LBAs (MBR: 512-byte sectors) */
	uint8_t type[16]; /* GPT type GUID as stored; MBR: type in [0] */
	char uuid[UUID_STR_LEN]; /* PARTUUID */
	char label[PART_LABEL_LEN]; /* PARTLABEL, UTF-8; "" for MBR and
				     * without RESOLVE_PARTLABEL */
};

/* GPT: the header at LBA 1 (a whole logical block, lbs bytes), then the
 * entry array it points to. */
struct gpt {
	uint64_t entries_lba;
	uint32_t count, entry_size, entries_crc;
};
#define GPT_ENTRIES_MAX (1u << 20) /* bytes of entry array we accept */
/* 0, or -EINVAL: no GPT signature / bad size, CRC or fields. */
int gpt_header_parse(struct gpt *g, const uint8_t *blk, size_t lbs);
/* Bytes of the entry array (count x entry_size, at most GPT_ENTRIES_MAX). */
size_t gpt_entries_len(const struct gpt *g);
/* 0 if the array (len bytes) holds the entries the header's CRC covers. */
int gpt_entries_check(const struct gpt *g, const uint8_t *a, size_t len);
/* Entry i (0-based): 1 and *p filled in, 0 if unused, -EINVAL past the
 * array. */
int gpt_entry(const struct gpt *g, const uint8_t *a, size_t len, uint32_t i,
	      struct part *p);

/* MBR (sector 0, 512 bytes): the primary partitions into p[0..3]
 * (extended ones too; logical partitions are not read). Returns how many
 * were filled in (0 without RESOLVE_MBR: such builds only ask whether
 * the disk is GPT), -EINVAL without the 0x55AA signature, -EMEDIUMTYPE
 * for a protective MBR (the disk is GPT). */
#define MBR_SECTOR 512
int mbr_parse(const uint8_t *sec, struct part p[4]);

/* File systems by their superblock, from the first FS_PROBE_LEN bytes. */
#define FS_PROBE_LEN 4096
enum fs_type { FS_NONE, FS_EXT, FS_EROFS, FS_VERITY, FS_SQUASHFS, FS_LUKS };
struct fs_id {
	enum fs_type type;
	char uuid[UUID_STR_LEN]; /* "" when the file system has none */
	char label[17];
};
/* The types enabled in Kconfig. 0 and *id, -ENOENT for none of them,
 * -EOPNOTSUPP for squashfs (it has neither UUID nor label: blkid shows
 * TYPE="squashfs" alone). */
int fs_probe(const uint8_t *buf, size_t len, struct fs_id *id);

#endif
