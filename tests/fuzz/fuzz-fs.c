/* SPDX-License-Identifier: MIT */
/* File system superblocks for UUID= and LABEL=. */
#include "fuzz.h"

#include "blkid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	struct fs_id id;

	if (!fs_probe(buf, size, &id) &&
	    (!memchr(id.uuid, 0, sizeof(id.uuid)) ||
	     !memchr(id.label, 0, sizeof(id.label))))
		abort();
	free(buf);
	return 0;
}
