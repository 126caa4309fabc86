/* SPDX-License-Identifier: MIT */
/* /etc/veritytab and /etc/crypttab; the first byte picks which. */
#include "fuzz.h"

#include "tab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tab_reader r;
	struct tab_entry e;
	enum tab_kind kind;
	char *s;
	int n = 0;

	if (!size)
		return 0;
	kind = data[0] & 1 ? TAB_CRYPT : TAB_VERITY;
	/* tab_init wants text[len] writable too. */
	s = fuzz_str(data + 1, size - 1);
	tab_init(&r, s, size - 1);
	while (tab_next(&r, kind, &e) > 0 && n++ < 10000)
		(void)tab_opt(&e, "hash-offset");
	free(s);
	return 0;
}
