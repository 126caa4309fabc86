/* SPDX-License-Identifier: MIT */
/* veritysetup's superblock, then everything computed from it: the tree's
 * layout, the table text, the device size. */
#include "fuzz.h"

#include "verity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	struct verity_sb sb;
	struct verity_params p;
	struct verity_tree t;
	char text[2048];

	if (!verity_sb_parse(buf, size, &sb)) {
		memset(&p, 0, sizeof(p));
		verity_params_from_sb(&p, &sb);
		p.digest_size = verity_digest_size(p.hash_name);
		if (!verity_tree_layout(&p, &t)) {
			uint64_t blk;
			uint32_t off;

			verity_digest_pos(&p, &t, t.levels ? 1 : 0,
					  p.data_blocks - 1, &blk, &off);
		}
		verity_fec_area(&p, (uint64_t)1 << 40, size & 1, 4096);
		verity_table_text(&p, text, sizeof(text));
		(void)verity_sectors(&p);
	} else {
		(void)verity_sb_strerror(-1);
	}
	free(buf);
	return 0;
}
