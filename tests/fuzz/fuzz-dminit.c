/* SPDX-License-Identifier: MIT */
/* dm-mod.create= strings, as drivers/md/dm-init.c reads them. */
#include "fuzz.h"

#include "dminit.h"

static struct dminit d; /* large: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	uint64_t v;

	(void)dminit_parse(&d, s);
	dminit_free(&d);
	memcpy(s, data, size);
	(void)dminit_kstrtoull(s, &v);
	free(s);
	return 0;
}
