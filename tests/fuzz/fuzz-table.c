/* SPDX-License-Identifier: MIT */
/* Table text (dmsetup's format) into the TABLE_LOAD payload. */
#include "fuzz.h"

#include "dm-abi.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = (char *)fuzz_copy(data, size);
	struct table t = {0};
	const struct dm_target_spec *s;
	size_t off = 0;
	uint32_t i;

	if (!table_parse(&t, text, size)) {
		/* The chain must be what the kernel walks: 8-aligned, each
		 * next inside the payload, the parameters NUL-terminated. */
		for (i = 0; i < t.count; i++) {
			if (off + sizeof(*s) > t.b.len)
				abort();
			s = (const void *)(t.b.p + off);
			if (s->next % 8 || s->next <= sizeof(*s) ||
			    !memchr(s + 1, 0, s->next - sizeof(*s)) ||
			    !memchr(s->target_type, 0, DM_MAX_TYPE_NAME))
				abort();
			off += s->next;
		}
		if (off != t.b.len)
			abort();
	}
	table_free(&t);
	free(text);
	return 0;
}
