/* SPDX-License-Identifier: MIT */
/* A crypt target line read back for status, and --cipher as cryptsetup
 * reads it. */
#include "fuzz.h"

#include "crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct crypt_plain p;
	char spec[CRYPT_CIPHER_LEN];

	(void)crypt_table_parse(s, &p);
	(void)crypt_cipher_spec(s, spec, sizeof(spec));
	free(s);
	return 0;
}
