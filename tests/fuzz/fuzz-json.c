/* SPDX-License-Identifier: MIT */
/* JSON text: json_parse, then every token read back (json_get, json_elem,
 * json_str_copy, json_str_is, json_u64); the same text as a 16 KiB
 * header's LUKS2 JSON area (luks2_json_parse). */
#include "fuzz.h"

#include <errno.h>

#include "json.h"
#include "luks.h"

static struct json_tok tok[LUKS2_JSON_TOKENS];
static struct luks2_meta meta;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = (char *)fuzz_copy(data, size);
	const char *field = NULL;
	struct json j;
	uint32_t i;
	int r;

	if (!json_parse(&j, text, size, tok, LUKS2_JSON_TOKENS)) {
		for (i = 0; i < j.ntok; i++) {
			char s[64];
			uint64_t v;

			if (j.tok[i].next <= i || j.tok[i].next > j.ntok)
				abort();
			switch (j.tok[i].type) {
			case JSON_OBJECT:
				(void)json_get(&j, (int)i, "type");
				break;
			case JSON_ARRAY:
				(void)json_elem(&j, (int)i,
						j.tok[i].count
							? j.tok[i].count - 1u
							: 0);
				break;
			case JSON_STRING:
				r = json_str_copy(&j, (int)i, s, sizeof(s));
				if (r >= 0 && !json_str_is(&j, (int)i, s) &&
				    !memchr(s, 0, (size_t)r))
					abort();
				(void)json_u64(&j, (int)i, 1, &v);
				break;
			case JSON_NUMBER:
				(void)json_u64(&j, (int)i, 0, &v);
				break;
			}
		}
	}
	r = luks2_json_parse(text, size, LUKS2_MIN_HDR_SIZE, tok,
			     LUKS2_JSON_TOKENS, &meta, &field);
	if (r && (!field || !*luks_strerror(r)))
		abort();
	free(text);
	return 0;
}
