/* SPDX-License-Identifier: MIT */
/* The LUKS1 header: luks1_parse, the device size from the input's last
 * bytes (0: unknown), then the key material sizes computed from it. */
#include "fuzz.h"

#include "luks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	uint64_t dev =
		size >= 2
			? ((uint64_t)data[size - 2] << 8 | data[size - 1]) << 12
			: 0;
	struct luks1_hdr h;
	const char *field = NULL;
	int r = luks1_parse(buf, size, dev, &h, &field);

	if (!r) {
		int i;

		for (i = 0; i < LUKS1_KEYSLOTS; i++)
			(void)luks1_keyslot_sectors(h.key_bytes,
						    h.ks[i].stripes);
	} else if (!field || !*luks_strerror(r)) {
		abort(); /* every refusal names its field */
	}
	free(buf);
	return 0;
}
