/* SPDX-License-Identifier: MIT */
/* GUID partition tables (UEFI 2.x, chapter 5.3), read as the kernel's
 * block/partitions/efi.c reads them: primary header only, every field
 * checked before it is used. */
#include <errno.h>
#include <string.h>

#include "blkid.h"
#include "config.h"
#include "le.h"

#define GPT_SIGNATURE "EFI PART"
#define GPT_HDR_MIN 92 /* the fields UEFI defines */
#define GPT_ENTRY_MIN 128
#define GPT_HDR_CRC 16 /* offset of the header's own CRC */

int gpt_header_parse(struct gpt *g, const uint8_t *h, size_t lbs)
{
	uint8_t tmp[GPT_HDR_MIN];
	uint32_t hsize, crc;

	if (lbs < GPT_HDR_MIN || memcmp(h, GPT_SIGNATURE, 8))
		return -EINVAL;
	hsize = le32(h + 12);
	if (hsize < GPT_HDR_MIN || hsize > lbs)
		return -EINVAL;
	/* The CRC covers the header with its CRC field zeroed. */
	memcpy(tmp, h, sizeof(tmp));
	memset(tmp + GPT_HDR_CRC, 0, 4);
	crc = crc32_le(0, tmp, sizeof(tmp));
	crc = crc32_le(crc, h + GPT_HDR_MIN, hsize - GPT_HDR_MIN);
	if (crc != le32(h + GPT_HDR_CRC) || le64(h + 24) != 1)
		return -EINVAL;
	g->entries_lba = le64(h + 72);
	g->count = le32(h + 80);
	g->entry_size = le32(h + 84);
	g->entries_crc = le32(h + 88);
	/* The kernel insists on 128; UEFI allows 128 x 2^n. */
	if (g->entries_lba < 2 || g->entry_size < GPT_ENTRY_MIN ||
	    g->entry_size & (g->entry_size - 1) || !g->count ||
	    g->count > GPT_ENTRIES_MAX / g->entry_size)
		return -EINVAL;
	return 0;
}

size_t gpt_entries_len(const struct gpt *g)
{
	uint64_t n = (uint64_t)g->count * g->entry_size;

	return n > GPT_ENTRIES_MAX ? 0 : (size_t)n;
}

int gpt_entries_check(const struct gpt *g, const uint8_t *a, size_t len)
{
	size_t n = gpt_entries_len(g);

	if (!n || n > len || crc32_le(0, a, n) != g->entries_crc)
		return -EINVAL;
	return 0;
}

/* UTF-16LE to UTF-8, code unit by code unit as blkid does (no surrogate
 * pairs), up to the first NUL. */
static void name_utf8(char *out, const uint8_t *in)
{
	int i;

	for (i = 0; i < GPT_NAME_UNITS; i++) {
		unsigned c = le16(in + 2 * i);

		if (!c)
			break;
		if (c < 0x80) {
			*out++ = (char)c;
		} else if (c < 0x800) {
			*out++ = (char)(0xc0 | c >> 6);
			*out++ = (char)(0x80 | (c & 0x3f));
		} else {
			*out++ = (char)(0xe0 | c >> 12);
			*out++ = (char)(0x80 | (c >> 6 & 0x3f));
			*out++ = (char)(0x80 | (c & 0x3f));
		}
	}
	*out = 0;
}

int gpt_entry(const struct gpt *g, const uint8_t *a, size_t len, uint32_t i,
	      struct part *p)
{
	static const uint8_t unused[16];
	const uint8_t *e;

	if (i >= g->count || g->entry_size < GPT_ENTRY_MIN ||
	    (uint64_t)i * g->entry_size + g->entry_size > len)
		return -EINVAL;
	e = a + (size_t)i * g->entry_size;
	if (!memcmp(e, unused, 16))
		return 0;
	p->num = i + 1;
	memcpy(p->type, e, 16);
	uuid_fmt(p->uuid, e + 16, 1);
	p->first = le64(e + 32);
	p->last = le64(e + 40);
	/* Only PARTLABEL= reads names (resolve.c). */
	p->label[0] = 0;
	if (CFG_RESOLVE_PARTLABEL)
		name_utf8(p->label, e + 56);
	return 1;
}
