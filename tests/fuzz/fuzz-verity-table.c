/* SPDX-License-Identifier: MIT */
/* A verity target line as dmsetup table returns it, parsed back for
 * status; and the hex and UUID readers the command line feeds. */
#include "fuzz.h"

#include "verity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct verity_table vt;
	uint8_t bin[VERITY_MAX_SALT], uuid[16];
	char uuidtext[129];

	(void)verity_table_parse(s, &vt);
	(void)verity_hex_decode(s, size, bin, sizeof(bin));
	if (!verity_uuid_parse(s, uuid))
		verity_dm_uuid(uuid, s, uuidtext);
	free(s);
	return 0;
}
