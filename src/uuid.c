/* SPDX-License-Identifier: MIT */
/* UUID text and CRC-32, shared by the partition and superblock parsers. */
#include "blkid.h"

/* Bit by bit: no table in the binary, and GPT's arrays are small. */
uint32_t crc32_le(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;
	int k;

	crc = ~crc;
	while (n--) {
		crc ^= *b++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

void uuid_fmt(char out[UUID_STR_LEN], const uint8_t *b, int mixed)
{
	/* GPT stores the first three fields little-endian. */
	static const uint8_t order[2][16] = {
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
		{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15},
	};
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 16; i++) {
		uint8_t v = b[order[!!mixed][i]];

		if (i == 4 || i == 6 || i == 8 || i == 10)
			*out++ = '-';
		*out++ = hex[v >> 4];
		*out++ = hex[v & 15];
	}
	*out = 0;
}
