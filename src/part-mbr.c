/* SPDX-License-Identifier: MIT */
/* DOS partition tables: the four primary entries of sector 0, named as
 * the kernel's and blkid's PARTUUID names them, SSSSSSSS-PP. */
#include <errno.h>
#include <string.h>

#include "blkid.h"
#include "config.h"
#include "le.h"

#define MBR_DISK_SIG 440
#define MBR_TABLE 446
#define MBR_ENTRY 16
#define MBR_TYPE_GPT 0xee

int mbr_parse(const uint8_t *sec, struct part p[4])
{
	static const char hex[] = "0123456789abcdef";
	uint32_t sig = le32(sec + MBR_DISK_SIG);
	int i, k, n = 0;

	if (sec[510] != 0x55 || sec[511] != 0xaa)
		return -EINVAL;
	/* As the kernel does: a boot flag other than 0 or 0x80 means a FAT
	 * boot sector, not a partition table. */
	for (i = 0; i < 4; i++)
		if (sec[MBR_TABLE + i * MBR_ENTRY] & 0x7f)
			return -EINVAL;
	for (i = 0; i < 4; i++)
		if (sec[MBR_TABLE + i * MBR_ENTRY + 4] == MBR_TYPE_GPT)
			return -EMEDIUMTYPE;
	/* GPT-only builds ask only whether the disk is GPT. */
	if (!CFG_RESOLVE_MBR)
		return 0;
	for (i = 0; i < 4; i++) {
		const uint8_t *e = sec + MBR_TABLE + i * MBR_ENTRY;
		struct part *q = &p[n];

		/* The kernel skips empty slots but keeps the numbering. */
		if (!e[4] || !le32(e + 12))
			continue;
		memset(q, 0, sizeof(*q));
		q->num = (uint32_t)i + 1;
		q->type[0] = e[4];
		q->first = le32(e + 8);
		q->last = q->first + le32(e + 12) - 1;
		for (k = 0; k < 8; k++)
			q->uuid[k] = hex[sig >> (28 - 4 * k) & 15];
		q->uuid[8] = '-';
		q->uuid[9] = '0';
		q->uuid[10] = hex[i + 1];
		n++;
	}
	return n;
}
