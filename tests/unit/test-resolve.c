/* SPDX-License-Identifier: MIT */
/* Partition tables, superblocks and device resolution: the parsers on
 * bytes built here (exact-size heap copies, so ASan sees any overread),
 * then resolve() and "dmboot findfs" on a fake /sys and /dev. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkid.h"
#include "resolve.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Copies n bytes to a heap block of exactly n bytes. */
static uint8_t *exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n);

	assert_non_null(q);
	memcpy(q, p, n);
	return q;
}

/* Known GUIDs: the text blkid prints and the bytes GPT stores. */
static const char esp_text[] = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
static const uint8_t esp_disk[16] = {0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8,
				     0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0,
				     0xc9, 0x3e, 0xc9, 0x3b};
static const char linux_text[] = "0fc63daf-8483-4772-8e79-3d69d8477de4";
static const uint8_t linux_disk[16] = {0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84,
				       0x72, 0x47, 0x8e, 0x79, 0x3d, 0x69,
				       0xd8, 0x47, 0x7d, 0xe4};
static const uint8_t seq16[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
				  0xcd, 0xef, 0x10, 0x32, 0x54, 0x76,
				  0x98, 0xba, 0xdc, 0xfe};

/* ---- a GPT disk image ---- */

#define LBS 512
#define DISK (64 * 1024)
static uint8_t disk[DISK];

struct gpt_spec {
	uint32_t count, entry_size, hsize;
};

static void set_name(uint8_t *e, const char *ascii)
{
	size_t i;

	for (i = 0; ascii[i]; i++)
		put16(e + 56 + 2 * i, (uint8_t)ascii[i]);
}

/* PMBR, header at LBA 1, entries at LBA 2: partition 1 "root" (the
 * Linux type GUID as its unique GUID too), 3 "esp", 2 unused. */
static void gpt_build(const struct gpt_spec *s)
{
	uint8_t *h = disk + LBS, *a = disk + 2 * LBS;

	memset(disk, 0, sizeof(disk));
	disk[446 + 4] = 0xee;
	put32(disk + 446 + 8, 1);
	put32(disk + 446 + 12, DISK / LBS - 1);
	disk[510] = 0x55;
	disk[511] = 0xaa;
	memcpy(a, linux_disk, 16);
	memcpy(a + 16, linux_disk, 16);
	put64(a + 32, 40);
	put64(a + 40, 79);
	set_name(a, "root");
	a += s->entry_size * 2;
	memcpy(a, esp_disk, 16);
	memcpy(a + 16, seq16, 16);
	put64(a + 32, 80);
	put64(a + 40, 99);
	set_name(a, "esp");
	put16(a + 56 + 6, 0xe9); /* "esp\u00e9" */
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x10000);
	put32(h + 12, s->hsize);
	put64(h + 24, 1);
	put64(h + 32, DISK / LBS - 1);
	put64(h + 40, 34);
	put64(h + 48, DISK / LBS - 34);
	put64(h + 72, 2);
	put32(h + 80, s->count);
	put32(h + 84, s->entry_size);
	put32(h + 88,
	      crc32_le(0, disk + 2 * LBS, (size_t)s->count * s->entry_size));
	if (s->hsize > 92)
		h[s->hsize - 1] = 0x5a; /* the CRC must cover it */
	put32(h + 16, crc32_le(0, h, s->hsize));
}

static void test_crc32(void **state)
{
	(void)state;
	/* The standard check value. */
	assert_int_equal(crc32_le(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(crc32_le(crc32_le(0, "1234", 4), "56789", 5),
			 0xcbf43926);
	assert_int_equal(crc32_le(0, "", 0), 0);
}

static void test_guid_text(void **state)
{
	char s[UUID_STR_LEN];

	(void)state;
	uuid_fmt(s, esp_disk, 1);
	assert_string_equal(s, esp_text);
	uuid_fmt(s, linux_disk, 1);
	assert_string_equal(s, linux_text);
	uuid_fmt(s, seq16, 1);
	assert_string_equal(s, "67452301-ab89-efcd-1032-547698badcfe");
	uuid_fmt(s, seq16, 0);
	assert_string_equal(s, "01234567-89ab-cdef-1032-547698badcfe");
}

static void test_gpt_good(void **state)
{
	const struct gpt_spec specs[] = {
		{128, 128, 92}, {4, 128, 92}, {128, 256, 512}, {3, 128, 96}};
	size_t k;

	(void)state;
	for (k = 0; k < NELEM(specs); k++) {
		struct gpt g;
		struct part p;
		uint8_t *h, *a;
		size_t n;

		gpt_build(&specs[k]);
		h = exact(disk + LBS, LBS);
		assert_int_equal(gpt_header_parse(&g, h, LBS), 0);
		n = gpt_entries_len(&g);
		assert_int_equal(n, specs[k].count * specs[k].entry_size);
		a = exact(disk + 2 * LBS, n);
		assert_int_equal(gpt_entries_check(&g, a, n), 0);
		assert_int_equal(gpt_entry(&g, a, n, 0, &p), 1);
		assert_int_equal(p.num, 1);
		assert_string_equal(p.uuid, linux_text);
		assert_memory_equal(p.type, linux_disk, 16);
		assert_string_equal(p.label, "root");
		assert_int_equal(p.first, 40);
		assert_int_equal(p.last, 79);
		assert_int_equal(gpt_entry(&g, a, n, 1, &p), 0);
		assert_int_equal(gpt_entry(&g, a, n, 2, &p), 1);
		assert_int_equal(p.num, 3);
		assert_string_equal(p.uuid,
				    "67452301-ab89-efcd-1032-547698badcfe");
		assert_string_equal(p.label, "esp\xc3\xa9");
		assert_int_equal(gpt_entry(&g, a, n, specs[k].count, &p),
				 -EINVAL);
		/* An array shorter than the header says. */
		assert_int_equal(gpt_entries_check(&g, a, n - 1), -EINVAL);
		free(a);
		free(h);
	}
}

/* A header changed after its CRC was computed, or with its CRC fixed up
 * but fields out of range: refused. */
static void hdr_refused(const char *what, size_t off, uint32_t v, int fix)
{
	const struct gpt_spec s = {128, 128, 92};
	uint8_t *h;
	struct gpt g;
	int r;

	gpt_build(&s);
	put32(disk + LBS + off, v);
	if (fix) {
		put32(disk + LBS + 16, 0);
		put32(disk + LBS + 16,
		      crc32_le(0, disk + LBS,
			       off == 12 && v <= LBS && v >= 92 ? v : 92));
	}
	h = exact(disk + LBS, LBS);
	r = gpt_header_parse(&g, h, LBS);
	free(h);
	if (r != -EINVAL)
		fail_msg("GPT header with %s: %d", what, r);
}

static void test_gpt_bad(void **state)
{
	const struct gpt_spec s = {128, 128, 92};
	struct gpt g;
	uint8_t *h, *a;
	size_t n;

	(void)state;
	hdr_refused("a changed entry count", 80, 127, 0);
	hdr_refused("a bad header CRC", 16, 0x12345678, 0);
	hdr_refused("signature \"FFI PART\"", 0, 0x20494646, 1);
	hdr_refused("header size 91", 12, 91, 1);
	hdr_refused("header size past the block", 12, LBS + 4, 1);
	hdr_refused("entry size 64", 84, 64, 1);
	hdr_refused("entry size 129", 84, 129, 1);
	hdr_refused("entry size 2^31", 84, 0x80000000u, 1);
	hdr_refused("no entries", 80, 0, 1);
	hdr_refused("2^32-1 entries", 80, 0xffffffffu, 1);
	hdr_refused("2^25 entries (4 GiB: overflows 32 bits)", 80, 1u << 25, 1);
	hdr_refused("8193 entries (just over 1 MiB)", 80, 8193, 1);
	hdr_refused("entries at LBA 1", 72, 1, 1);
	hdr_refused("my_lba 2", 24, 2, 1);

	/* A block too small to hold a header. */
	gpt_build(&s);
	h = exact(disk + LBS, 91);
	assert_int_equal(gpt_header_parse(&g, h, 91), -EINVAL);
	free(h);

	/* A corrupt entry array fails its CRC. */
	h = exact(disk + LBS, LBS);
	assert_int_equal(gpt_header_parse(&g, h, LBS), 0);
	n = gpt_entries_len(&g);
	disk[2 * LBS + 56] ^= 1;
	a = exact(disk + 2 * LBS, n);
	assert_int_equal(gpt_entries_check(&g, a, n), -EINVAL);
	free(a);
	free(h);

	/* A struct gpt that did not come from the parser: no overflow. */
	g.count = 0xffffffffu;
	g.entry_size = 0xffffffffu;
	assert_int_equal(gpt_entries_len(&g), 0);
	a = exact(disk, 128);
	assert_int_equal(gpt_entries_check(&g, a, 128), -EINVAL);
	{
		struct part p;

		assert_int_equal(gpt_entry(&g, a, 128, 0xfffffff0u, &p),
				 -EINVAL);
		assert_int_equal(gpt_entry(&g, a, 128, 1, &p), -EINVAL);
		g.entry_size = 64;
		assert_int_equal(gpt_entry(&g, a, 128, 0, &p), -EINVAL);
	}
	free(a);
}

/* ---- MBR ---- */

static void mbr_entry(uint8_t *sec, int slot, uint8_t boot, uint8_t type,
		      uint32_t start, uint32_t size)
{
	uint8_t *e = sec + 446 + 16 * slot;

	e[0] = boot;
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, size);
}

static void test_mbr(void **state)
{
	uint8_t sec[512] = {0}, *s;
	struct part p[4];

	(void)state;
	put32(sec + 440, 0x0a0bc0de);
	sec[510] = 0x55;
	sec[511] = 0xaa;
	mbr_entry(sec, 0, 0x80, 0x83, 2048, 8192);
	mbr_entry(sec, 2, 0, 0x05, 10240, 2048); /* extended: kept */
	mbr_entry(sec, 3, 0, 0x83, 0, 0); /* empty size: skipped */
	s = exact(sec, 512);
	assert_int_equal(mbr_parse(s, p), 2);
	assert_int_equal(p[0].num, 1);
	assert_string_equal(p[0].uuid, "0a0bc0de-01");
	assert_int_equal(p[0].first, 2048);
	assert_int_equal(p[0].last, 10239);
	assert_int_equal(p[0].type[0], 0x83);
	assert_string_equal(p[0].label, "");
	assert_int_equal(p[1].num, 3);
	assert_string_equal(p[1].uuid, "0a0bc0de-03");
	free(s);

	/* A boot flag other than 0/0x80: a FAT boot sector, not a table. */
	sec[446 + 16] = 0x29;
	s = exact(sec, 512);
	assert_int_equal(mbr_parse(s, p), -EINVAL);
	free(s);
	sec[446 + 16] = 0;
	/* A protective entry anywhere: the disk is GPT. */
	mbr_entry(sec, 1, 0, 0xee, 1, 100);
	s = exact(sec, 512);
	assert_int_equal(mbr_parse(s, p), -EMEDIUMTYPE);
	free(s);
	sec[511] = 0;
	s = exact(sec, 512);
	assert_int_equal(mbr_parse(s, p), -EINVAL);
	free(s);
}

/* ---- superblocks ---- */

static uint8_t sb[FS_PROBE_LEN];

static void ext_sb(const uint8_t *uuid, const char *label)
{
	memset(sb, 0, sizeof(sb));
	put16(sb + 1024 + 56, 0xef53);
	memcpy(sb + 1024 + 104, uuid, 16);
	memcpy(sb + 1024 + 120, label, strlen(label) < 16 ? strlen(label) : 16);
}

static void erofs_sb(const uint8_t *uuid, const char *label, uint8_t bits)
{
	memset(sb, 0, sizeof(sb));
	put32(sb + 1024, 0xe0f5e1e2);
	sb[1024 + 12] = bits;
	memcpy(sb + 1024 + 48, uuid, 16);
	memcpy(sb + 1024 + 64, label, strlen(label) < 16 ? strlen(label) : 16);
}

static int probe(struct fs_id *id, size_t len)
{
	uint8_t *b = exact(sb, len);
	int r = fs_probe(b, len, id);

	free(b);
	return r;
}

static void test_superblocks(void **state)
{
	struct fs_id id;

	(void)state;
	ext_sb(seq16, "rootfs");
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	assert_int_equal(id.type, FS_EXT);
	assert_string_equal(id.uuid, "01234567-89ab-cdef-1032-547698badcfe");
	assert_string_equal(id.label, "rootfs");
	/* 16 bytes without NUL; trailing blanks dropped as blkid does. */
	ext_sb(seq16, "0123456789abcdef");
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	assert_string_equal(id.label, "0123456789abcdef");
	ext_sb(seq16, "data  ");
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	assert_string_equal(id.label, "data");
	/* No UUID at all: none shown, as blkid does. */
	ext_sb((const uint8_t[16]){0}, "");
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	assert_string_equal(id.uuid, "");
	assert_string_equal(id.label, "");
	/* Too short to hold the superblock up to the label's end (fuzzing
	 * found a 1152-byte read overrunning into the label). */
	ext_sb(seq16, "x");
	assert_int_equal(probe(&id, 1024 + 135), -EINVAL);
	assert_int_equal(probe(&id, 1024 + 136), 0);

	erofs_sb(linux_disk, "ro", 12);
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	assert_int_equal(id.type, FS_EROFS);
	assert_string_equal(id.uuid, "af3dc60f-8384-7247-8e79-3d69d8477de4");
	assert_string_equal(id.label, "ro");
	erofs_sb(linux_disk, "ro", 8); /* block size 256: not erofs */
	assert_int_equal(probe(&id, sizeof(sb)), -ENOENT);
	erofs_sb(linux_disk, "ro", 17);
	assert_int_equal(probe(&id, sizeof(sb)), -ENOENT);

	memset(sb, 0, sizeof(sb));
	memcpy(sb, "verity\0\0", 8);
	put32(sb + 8, 1);
	put32(sb + 12, 1);
	memcpy(sb + 16, esp_disk, 16);
	memcpy(sb + 32, "sha256", 6);
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	assert_int_equal(id.type, FS_VERITY);
	assert_string_equal(id.uuid, "28732ac1-1ff8-d211-ba4b-00a0c93ec93b");
	assert_string_equal(id.label, "");
	put32(sb + 8, 2); /* a version blkid does not know */
	assert_int_equal(probe(&id, sizeof(sb)), -ENOENT);

	/* LUKS1 and LUKS2 (issue #14): the header's UUID text at 168, in
	 * lower case; anything but 8-4-4-4-12 hex is no UUID. */
	memset(sb, 0, sizeof(sb));
	memcpy(sb, "LUKS\xba\xbe\0\2", 8);
	memcpy(sb + 168, "0F1E2D3C-4b5a-6978-8796-a5b4c3d2e1f0", 36);
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	assert_int_equal(id.type, FS_LUKS);
	assert_string_equal(id.uuid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
	sb[7] = 1;
	assert_int_equal(probe(&id, sizeof(sb)), 0);
	sb[7] = 3;
	assert_int_equal(probe(&id, sizeof(sb)), -ENOENT);
	sb[7] = 1;
	sb[168 + 36] = 'x'; /* 37 characters */
	assert_int_equal(probe(&id, sizeof(sb)), -EINVAL);
	sb[168 + 36] = 0;
	sb[168 + 8] = 'x'; /* no dash */
	assert_int_equal(probe(&id, sizeof(sb)), -EINVAL);
	sb[168 + 8] = '-';
	sb[168] = 'g';
	assert_int_equal(probe(&id, sizeof(sb)), -EINVAL);

	memset(sb, 0, sizeof(sb));
	memcpy(sb, "hsqs", 4);
	assert_int_equal(probe(&id, sizeof(sb)), -EOPNOTSUPP);
	memset(sb, 0, sizeof(sb));
	assert_int_equal(probe(&id, sizeof(sb)), -ENOENT);
}

/* ---- resolution on a fake /sys and /dev ---- */

static void write_bin(const char *rel, const uint8_t *p, size_t n)
{
	char path[1024];
	FILE *f;

	host_write("dev/.keep", "");
	snprintf(path, sizeof(path), "%s/%s", host.root, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void host_rm(const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", host.root, rel);
	assert_int_equal(unlink(path), 0);
}

/* A block device in sysfs; parent: its disk, for a partition. */
static void sys_dev(const char *name, const char *parent, int partno,
		    const char *devno, const char *size)
{
	char rel[256], target[256];

	if (parent) {
		snprintf(rel, sizeof(rel), "sys/class/block/%s/%s/dev", parent,
			 name);
		host_write(rel, devno);
		snprintf(rel, sizeof(rel), "sys/class/block/%s/%s/partition",
			 parent, name);
		snprintf(target, sizeof(target), "%d\n", partno);
		host_write(rel, target);
		snprintf(rel, sizeof(rel), "sys/class/block/%s/%s/size", parent,
			 name);
		host_write(rel, size);
		snprintf(rel, sizeof(rel), "sys/class/block/%s", name);
		snprintf(target, sizeof(target), "%s/%s", parent, name);
		host_symlink(rel, target);
		snprintf(target, sizeof(target), "../../class/block/%s/%s",
			 parent, name);
	} else {
		snprintf(rel, sizeof(rel), "sys/class/block/%s/dev", name);
		host_write(rel, devno);
		snprintf(rel, sizeof(rel), "sys/class/block/%s/size", name);
		host_write(rel, size);
		snprintf(rel, sizeof(rel),
			 "sys/class/block/%s/queue/logical_block_size", name);
		host_write(rel, "512\n");
		snprintf(target, sizeof(target), "../../class/block/%s", name);
	}
	snprintf(rel, sizeof(rel), "sys/dev/block/%s", devno);
	host_symlink(rel, target);
}

/* vda: the GPT disk; vda1: ext4 "rootfs"; vda3: erofs; vdb: verity
 * hash; vdc: empty (size 0); loop0: 512 bytes (too short to probe). */
static void fake_machine(void)
{
	const struct gpt_spec s = {128, 128, 92};
	uint8_t small[512] = {0};

	host.fake_dev = 1;
	gpt_build(&s);
	write_bin("dev/vda", disk, sizeof(disk));
	sys_dev("vda", NULL, 0, "253:0", "128\n");
	ext_sb(seq16, "rootfs");
	write_bin("dev/vda1", sb, sizeof(sb));
	sys_dev("vda1", "vda", 1, "253:1", "40\n");
	erofs_sb(linux_disk, "ro", 12);
	write_bin("dev/vda3", sb, sizeof(sb));
	sys_dev("vda3", "vda", 3, "253:3", "20\n");
	memset(sb, 0, sizeof(sb));
	memcpy(sb, "verity\0\0", 8);
	put32(sb + 8, 1);
	memcpy(sb + 16, esp_disk, 16);
	write_bin("dev/vdb", sb, sizeof(sb));
	sys_dev("vdb", NULL, 0, "253:16", "8\n");
	write_bin("dev/vdc", small, 0);
	sys_dev("vdc", NULL, 0, "253:32", "0\n");
	write_bin("dev/loop0", small, sizeof(small));
	sys_dev("loop0", NULL, 0, "7:0", "1\n");
}

static void found(const char *spec, const char *want)
{
	char path[64];
	int r = resolve_device(spec, path, sizeof(path));

	if (r)
		fail_msg("%s: error %d, want %s", spec, r, want);
	assert_string_equal(path, want);
}

static void not_found(const char *spec, int err)
{
	char path[64];
	int r = resolve_device(spec, path, sizeof(path));

	if (r != err)
		fail_msg("%s: got %d, want %d", spec, r, err);
}

static void test_resolve(void **state)
{
	char path[8];

	(void)state;
	fake_machine();
	found("PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de4", "/dev/vda1");
	found("PARTUUID=0FC63DAF-8483-4772-8E79-3D69D8477DE4", "/dev/vda1");
	found("PARTUUID=67452301-ab89-efcd-1032-547698badcfe", "/dev/vda3");
	found("PARTLABEL=root", "/dev/vda1");
	found("PARTLABEL=esp\xc3\xa9", "/dev/vda3");
	found("UUID=01234567-89ab-cdef-1032-547698badcfe", "/dev/vda1");
	found("LABEL=rootfs", "/dev/vda1");
	found("UUID=af3dc60f-8384-7247-8e79-3d69d8477de4", "/dev/vda3");
	found("LABEL=ro", "/dev/vda3");
	found("UUID=28732ac1-1ff8-d211-ba4b-00a0c93ec93b", "/dev/vdb");
	found("253:3", "/dev/vda3");
	found("7:0", "/dev/loop0");

	not_found("PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de5", -ENOENT);
	not_found("PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de", -ENOENT);
	not_found("PARTLABEL=ROOT", -ENOENT); /* labels are exact */
	not_found("LABEL=ROOTFS", -ENOENT);
	not_found("UUID=00000000-0000-0000-0000-000000000000", -ENOENT);
	not_found("253:99", -ENOENT);
	not_found("PARTUUID=", -EINVAL);
	not_found("FOO=bar", -EINVAL);
	not_found("vda1", -EINVAL);
	not_found("253:", -EINVAL);
	not_found("/dev/null", -ENOTBLK);
	not_found("/nonexistent/dmboot-test", -ENOENT);
	assert_int_equal(resolve_device("LABEL=rootfs", path, sizeof(path)),
			 -ENAMETOOLONG);

	/* A GPT whose entry array fails its CRC names nothing. */
	disk[2 * LBS + 56] ^= 1;
	write_bin("dev/vda", disk, sizeof(disk));
	not_found("PARTLABEL=root", -ENOENT);
	not_found("PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de4", -ENOENT);
}

/* dm-N: a dm device showing vda1's ext4 "rootfs" (size 0: no medium
 * yet), and holding vda1 if holds. */
static void dm_dev(int n, int holds)
{
	char rel[64], dev[32];

	ext_sb(seq16, "rootfs");
	snprintf(rel, sizeof(rel), "dev/dm-%d", n);
	write_bin(rel, sb, sizeof(sb));
	snprintf(rel, sizeof(rel), "dm-%d", n);
	snprintf(dev, sizeof(dev), "254:%d", n);
	sys_dev(rel, NULL, 0, dev, "0\n");
	snprintf(rel, sizeof(rel), "sys/class/block/dm-%d/dm/name", n);
	host_write(rel, "root\n");
	snprintf(rel, sizeof(rel), "sys/class/block/vda/vda1/holders/dm-%d", n);
	if (holds)
		host_write(rel, "");
}

static void dm_size(int n, const char *size)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "sys/class/block/dm-%d/size", n);
	host_write(rel, size);
}

/* A file system's UUID and label show through the dm device on top of
 * its partition: the device on top is meant, the one it holds set aside.
 * Directory order is the file system's (a hash on ext4), so the dm
 * device takes eight names in turn: some come before vda1, some after. */
static void test_resolve_held(void **state)
{
	char rel[64], dev[32];
	int i;

	(void)state;
	fake_machine();
	for (i = 0; i < 8; i++) {
		dm_dev(i, 0);
		snprintf(rel, sizeof(rel),
			 "sys/class/block/vda/vda1/holders/dm-%d", i);
		host_write(rel, "");
		dm_size(i, "40\n");
		snprintf(dev, sizeof(dev), "/dev/dm-%d", i);
		found("UUID=01234567-89ab-cdef-1032-547698badcfe", dev);
		found("LABEL=rootfs", dev);
		dm_size(i, "0\n");
		host_rm(rel);
	}
	/* The partition is still found by its own names, and by its file
	 * system's when it is the only one that has it. */
	found("PARTLABEL=root", "/dev/vda1");
	found("UUID=01234567-89ab-cdef-1032-547698badcfe", "/dev/vda1");
}

static void test_resolve_mbr(void **state)
{
	uint8_t sec[1024] = {0};

	(void)state;
	host.fake_dev = 1;
	put32(sec + 440, 0xdeadbeef);
	sec[510] = 0x55;
	sec[511] = 0xaa;
	mbr_entry(sec, 0, 0, 0x83, 1, 1);
	mbr_entry(sec, 2, 0, 0x83, 2, 1);
	write_bin("dev/sda", sec, sizeof(sec));
	sys_dev("sda", NULL, 0, "8:0", "2\n");
	write_bin("dev/sda1", sec, 0);
	sys_dev("sda1", "sda", 1, "8:1", "1\n");
	write_bin("dev/sda3", sec, 0);
	sys_dev("sda3", "sda", 3, "8:3", "1\n");
	found("PARTUUID=deadbeef-03", "/dev/sda3");
	found("PARTUUID=DEADBEEF-01", "/dev/sda1");
	not_found("PARTUUID=deadbeef-02", -ENOENT);
	not_found("PARTLABEL=deadbeef-01", -ENOENT);
}

/* A waiting caller: after a miss, asking again reads no device until
 * the devices change: one comes, or one's size or disk sequence number
 * moves (a medium changed under the same name), or RESOLVE_RECHECK
 * misses went by. */
static void test_resolver_waits(void **state)
{
	struct resolver rs;
	char path[64];

	(void)state;
	memset(&rs, 0, sizeof(rs));
	fake_machine();
	assert_int_equal(resolve(&rs, "LABEL=later", path, sizeof(path)),
			 -ENOENT);
	assert_true(rs.valid);
	/* Relabel vda1 without a new device: not looked at again. */
	ext_sb(seq16, "later");
	write_bin("dev/vda1", sb, sizeof(sb));
	assert_int_equal(resolve(&rs, "LABEL=later", path, sizeof(path)),
			 -ENOENT);
	/* A device arrives: the list changed, so everything is read. */
	write_bin("dev/vdd", sb, 0);
	sys_dev("vdd", NULL, 0, "253:48", "0\n");
	assert_int_equal(resolve(&rs, "LABEL=later", path, sizeof(path)), 0);
	assert_false(rs.valid);
	assert_string_equal(path, "/dev/vda1");
	/* Another spec with a resolver that missed is a new search. */
	assert_int_equal(resolve(&rs, "LABEL=none", path, sizeof(path)),
			 -ENOENT);
	assert_int_equal(resolve(&rs, "LABEL=ro", path, sizeof(path)), 0);
	assert_string_equal(path, "/dev/vda3");
	/* An unreadable device: no shortcut, the next call reads again. */
	host_write("sys/class/block/vde/size", "8\n");
	assert_int_equal(resolve(&rs, "LABEL=none", path, sizeof(path)),
			 -ENOENT);
	assert_false(rs.valid);
}

/* A medium that changes under the same name (a card reader, sr0, a
 * rebound loop device): found at the next search, not at the timeout. */
static void test_resolver_media(void **state)
{
	struct resolver rs;
	char path[64];
	int i;

	(void)state;
	memset(&rs, 0, sizeof(rs));
	fake_machine();
	/* loop0: bound to something else, then rebound to the root's image
	 * with a new size. */
	assert_int_equal(resolve(&rs, "LABEL=card", path, sizeof(path)),
			 -ENOENT);
	assert_true(rs.valid);
	ext_sb(linux_disk, "card");
	write_bin("dev/loop0", sb, sizeof(sb));
	host_write("sys/class/block/loop0/size", "8\n");
	assert_int_equal(resolve(&rs, "LABEL=card", path, sizeof(path)), 0);
	assert_string_equal(path, "/dev/loop0");

	/* The same size, a new disk sequence number (kernel 5.15 on). */
	host_write("sys/class/block/vdc/diskseq", "7\n");
	host_write("sys/class/block/vdc/size", "8\n");
	assert_int_equal(resolve(&rs, "LABEL=card2", path, sizeof(path)),
			 -ENOENT);
	assert_true(rs.valid);
	ext_sb(linux_disk, "card2");
	write_bin("dev/vdc", sb, sizeof(sb));
	host_write("sys/class/block/vdc/diskseq", "8\n");
	assert_int_equal(resolve(&rs, "LABEL=card2", path, sizeof(path)), 0);
	assert_string_equal(path, "/dev/vdc");

	/* Nothing to show the change (an old kernel, the same size): a
	 * search all the same after RESOLVE_RECHECK misses. */
	assert_int_equal(resolve(&rs, "LABEL=card3", path, sizeof(path)),
			 -ENOENT);
	ext_sb(linux_disk, "card3");
	write_bin("dev/vdc", sb, sizeof(sb));
	for (i = 1; i < RESOLVE_RECHECK; i++)
		assert_int_equal(
			resolve(&rs, "LABEL=card3", path, sizeof(path)),
			-ENOENT);
	assert_int_equal(resolve(&rs, "LABEL=card3", path, sizeof(path)), 0);
	assert_string_equal(path, "/dev/vdc");
}

/* resolve() within a boot that made the devices in ours. */
static int resolve_ours(const struct dev_set *ours, const char *spec,
			char *path, char *matches)
{
	struct resolver rs;
	int r;

	memset(&rs, 0, sizeof(rs));
	rs.ours = ours;
	r = resolve(&rs, spec, path, 64);
	strcpy(matches, rs.matches);
	return r;
}

/* "SPEC matches " then exactly the names given, in any order. */
static void names_all(const char *matches, const char *spec,
		      const char *const *names, size_t n)
{
	size_t i, len = strlen(spec) + strlen(" matches ");
	const char *p = matches + len;

	if (strncmp(matches, spec, strlen(spec)) ||
	    strncmp(matches + strlen(spec), " matches ", 9))
		fail_msg("\"%s\" does not start with \"%s matches \"", matches,
			 spec);
	for (i = 0; i < n; i++) {
		const char *q = strstr(p, names[i]);
		size_t k = strlen(names[i]);

		if (!q || (q != p && q[-1] != ' ') || (q[k] && q[k] != ','))
			fail_msg("\"%s\" does not name %s", matches, names[i]);
		len += k + (i ? 2 : 0);
	}
	assert_int_equal(strlen(matches), len);
}

static const char root_uuid[] = "UUID=01234567-89ab-cdef-1032-547698badcfe";

/* A second disk with a copy of the root file system (vdd) or of the
 * root's partition table (vde): every name they share is refused, all
 * matches named, wherever they come in the directory. */
static void test_resolve_ambiguous(void **state)
{
	const char *fs[] = {"vda1", "vdd"}, *part[] = {"vda1", "vde1"};
	char path[64], m[RESOLVE_MATCHES_LEN];
	struct dev_set none = {0, 0, {0}};

	(void)state;
	fake_machine();
	ext_sb(seq16, "rootfs");
	write_bin("dev/vdd", sb, sizeof(sb));
	sys_dev("vdd", NULL, 0, "253:48", "40\n");
	write_bin("dev/vde", disk, sizeof(disk));
	sys_dev("vde", NULL, 0, "253:64", "128\n");
	write_bin("dev/vde1", sb, 0);
	sys_dev("vde1", "vde", 1, "253:65", "40\n");

	assert_int_equal(resolve_ours(NULL, root_uuid, path, m), -ENOTUNIQ);
	names_all(m, root_uuid, fs, 2);
	assert_int_equal(resolve_ours(&none, "LABEL=rootfs", path, m),
			 -ENOTUNIQ);
	names_all(m, "LABEL=rootfs", fs, 2);
	assert_int_equal(resolve_ours(&none, "PARTLABEL=root", path, m),
			 -ENOTUNIQ);
	names_all(m, "PARTLABEL=root", part, 2);
	assert_int_equal(resolve_ours(NULL,
				      "PARTUUID=" /* Linux type */
				      "0fc63daf-8483-4772-8e79-3d69d8477de4",
				      path, m),
			 -ENOTUNIQ);
	/* A name only one of them has is found. */
	assert_int_equal(resolve_ours(&none, "LABEL=ro", path, m), 0);
	assert_string_equal(path, "/dev/vda3");
	assert_string_equal(m, "");
	not_found(root_uuid, -ENOTUNIQ);

	/* findfs: one line naming both. */
	RUN("findfs", "PARTLABEL=root");
	expect_one_error("dmboot: findfs: PARTLABEL=root matches ");
	assert_non_null(strstr(R.err, ": refusing an ambiguous device\n"));
	assert_non_null(strstr(R.err, "vda1"));
	assert_non_null(strstr(R.err, "vde1"));
}

/* One disk whose table names two partitions alike (A/B with one label). */
static void test_resolve_two_partitions(void **state)
{
	const char *both[] = {"vda1", "vda3"},
		   *three[] = {"vda1", "vda2", "vda3"};
	char path[64], m[RESOLVE_MATCHES_LEN];
	uint8_t *a = disk + 2 * LBS + 2 * 128;
	const struct gpt_spec s = {128, 128, 92};

	(void)state;
	fake_machine();
	gpt_build(&s);
	memset(a + 56, 0, 72);
	set_name(a, "root");
	put32(disk + LBS + 88, crc32_le(0, disk + 2 * LBS, 128 * 128));
	put32(disk + LBS + 16, 0);
	put32(disk + LBS + 16, crc32_le(0, disk + LBS, 92));
	write_bin("dev/vda", disk, sizeof(disk));
	assert_int_equal(resolve_ours(NULL, "PARTLABEL=root", path, m),
			 -ENOTUNIQ);
	names_all(m, "PARTLABEL=root", both, 2);

	/* Three: each named (the first fix knew two). */
	a = disk + 2 * LBS + 128;
	memcpy(a, linux_disk, 16);
	memcpy(a + 16, esp_disk, 16);
	put64(a + 32, 100);
	put64(a + 40, 109);
	set_name(a, "root");
	put32(disk + LBS + 88, crc32_le(0, disk + 2 * LBS, 128 * 128));
	put32(disk + LBS + 16, 0);
	put32(disk + LBS + 16, crc32_le(0, disk + LBS, 92));
	write_bin("dev/vda", disk, sizeof(disk));
	write_bin("dev/vda2", disk, 0);
	sys_dev("vda2", "vda", 2, "253:2", "10\n");
	assert_int_equal(resolve_ours(NULL, "PARTLABEL=root", path, m),
			 -ENOTUNIQ);
	names_all(m, "PARTLABEL=root", three, 3);
}

/* The tie between a dm device and the partition it holds, which shows
 * the same file system: the dm device, if it is trusted (made by this
 * boot; outside a boot, any dm device), holds every other match and is
 * the only one not held. */
static void test_resolve_held_ours(void **state)
{
	const char *two[] = {"vda1", "dm-0"},
		   *three[] = {"vda1", "dm-0", "vdd"};
	struct dev_set ours = {0, 0, {0}}, before = {0, 0, {0}};
	char path[64], m[RESOLVE_MATCHES_LEN];

	(void)state;
	fake_machine();
	dm_dev(1, 0); /* an earlier stage's, holding nothing */
	assert_int_equal(dev_set_add_dm(&before, NULL), 0);
	assert_int_equal(before.n, 1);
	assert_true(dev_set_has(&before, DEV_PACK(254, 1)));
	dm_dev(0, 1);
	dm_size(0, "40\n");
	/* Not made by this boot (not in ours): refused. */
	assert_int_equal(resolve_ours(&ours, root_uuid, path, m), -ENOTUNIQ);
	names_all(m, root_uuid, two, 2);
	/* Made by it: the dm device; dm-1 stays out of ours. */
	assert_int_equal(dev_set_add_dm(&ours, &before), 0);
	assert_int_equal(ours.n, 1);
	assert_true(dev_set_has(&ours, DEV_PACK(254, 0)));
	assert_int_equal(resolve_ours(&ours, root_uuid, path, m), 0);
	assert_string_equal(path, "/dev/dm-0");
	/* Outside a boot: a dm device holding the rest. */
	found(root_uuid, "/dev/dm-0");
	RUN_OK("findfs", "LABEL=rootfs");
	assert_string_equal(R.out, "/dev/dm-0\n");

	/* The partition by its own names: only one, held or not. */
	assert_int_equal(resolve_ours(&ours, "PARTLABEL=root", path, m), 0);
	assert_string_equal(path, "/dev/vda1");

	/* Held by another dm device than the one left: refused. */
	host_rm("sys/class/block/vda/vda1/holders/dm-0");
	host_write("sys/class/block/vda/vda1/holders/dm-1", "");
	assert_int_equal(resolve_ours(&ours, root_uuid, path, m), -ENOTUNIQ);
	names_all(m, root_uuid, two, 2);
	not_found(root_uuid, -ENOTUNIQ);
	host_rm("sys/class/block/vda/vda1/holders/dm-1");
	host_write("sys/class/block/vda/vda1/holders/dm-0", "");

	/* Held through a device between: vda1 <- dm-2 <- dm-0. */
	host_rm("sys/class/block/vda/vda1/holders/dm-0");
	host_write("sys/class/block/vda/vda1/holders/dm-2", "");
	host_write("sys/class/block/dm-2/holders/dm-0", "");
	host_write("sys/class/block/dm-2/dev", "254:2\n");
	host_write("sys/class/block/dm-2/size", "0\n");
	assert_int_equal(resolve_ours(&ours, root_uuid, path, m), 0);
	assert_string_equal(path, "/dev/dm-0");
	host_rm("sys/class/block/vda/vda1/holders/dm-2");
	host_write("sys/class/block/vda/vda1/holders/dm-0", "");

	/* A second disk with the file system: refused even beside our dm
	 * device, which it is not held by. */
	ext_sb(seq16, "rootfs");
	write_bin("dev/vdd", sb, sizeof(sb));
	sys_dev("vdd", NULL, 0, "253:48", "40\n");
	assert_int_equal(resolve_ours(&ours, root_uuid, path, m), -ENOTUNIQ);
	names_all(m, root_uuid, three, 3);
	RUN("findfs", root_uuid);
	expect_one_error("refusing an ambiguous device");
	/* By partition: ours holds vda1, not vde1; vde1 is no dm device. */
	write_bin("dev/vde", disk, sizeof(disk));
	sys_dev("vde", NULL, 0, "253:64", "128\n");
	write_bin("dev/vde1", sb, 0);
	sys_dev("vde1", "vde", 1, "253:65", "40\n");
	assert_int_equal(resolve_ours(&ours, "PARTLABEL=root", path, m),
			 -ENOTUNIQ);
}

static void test_findfs(void **state)
{
	(void)state;
	fake_machine();
	RUN_OK("findfs", "PARTLABEL=root");
	assert_string_equal(R.out, "/dev/vda1\n");
	RUN_OK("findfs", "UUID=28732AC1-1FF8-D211-BA4B-00A0C93EC93B");
	assert_string_equal(R.out, "/dev/vdb\n");
	RUN("findfs", "LABEL=nothing");
	expect_one_error("dmboot: findfs: LABEL=nothing: not found");
	RUN("findfs", "NAME=x");
	expect_one_error("dmboot: findfs: NAME=x: not a device name");
	RUN("findfs", "/dev/null");
	expect_one_error("dmboot: findfs: /dev/null: Block device required");
	/* A usage error: the line, then the usage. */
	assert_int_equal(RUN("findfs"), 1);
	assert_string_equal(R.out, "");
	assert_non_null(strstr(R.err, "dmboot: findfs: too few arguments\n"
				      "Usage: dmboot findfs PARTUUID="));
	EXPECT_NO_REQUESTS();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_crc32),
		T(test_guid_text),
		T(test_gpt_good),
		T(test_gpt_bad),
		T(test_mbr),
		T(test_superblocks),
		T(test_resolve),
		T(test_resolve_held),
		T(test_resolve_mbr),
		T(test_resolver_waits),
		T(test_resolver_media),
		T(test_resolve_ambiguous),
		T(test_resolve_two_partitions),
		T(test_resolve_held_ours),
		T(test_findfs),
	};

	return cmocka_run_group_tests_name("partitions, superblocks, resolve",
					   tests, NULL, NULL);
}
