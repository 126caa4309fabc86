/* SPDX-License-Identifier: MIT */
/* Partition tables: the first byte is log2 of the logical block size
 * (512 to 4096); then LBA 0 (MBR) and LBA 1 (GPT header), the entry
 * array from the header's entries_lba. */
#include "fuzz.h"

#include "blkid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t lbs, len, alen;
	uint8_t *disk;
	struct part p[4];
	struct gpt g;
	uint32_t i;

	if (!size)
		return 0;
	lbs = (size_t)512 << (data[0] % 4);
	disk = fuzz_copy(data + 1, size - 1);
	len = size - 1;
	if (len >= MBR_SECTOR)
		(void)mbr_parse(disk, p);
	if (len >= 2 * lbs && !gpt_header_parse(&g, disk + lbs, lbs) &&
	    g.entries_lba < len / lbs) {
		const uint8_t *a = disk + g.entries_lba * lbs;

		alen = len - g.entries_lba * lbs;
		if (!gpt_entries_check(&g, a, alen) || (data[0] & 0x80))
			for (i = 0; i < g.count && i < 1024; i++)
				if (gpt_entry(&g, a, alen, i, &p[0]) < 0)
					break;
	}
	free(disk);
	return 0;
}
