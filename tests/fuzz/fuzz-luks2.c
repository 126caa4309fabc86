/* SPDX-License-Identifier: MIT */
/* A LUKS2 device's first bytes: luks2_hdr_pick over both header copies,
 * then luks2_json_parse of the copy it chose. The checksum is not what a
 * fuzzer can forge: the harness's sha256 answers zeros and, unless the
 * input's byte 4095 is odd, the csum field of each place a copy may sit
 * (0, 16 KiB..4 MiB) is zeroed first, so mutations reach the JSON. */
#include "fuzz.h"

#include "json.h"
#include "luks.h"

#define CSUM_OFF 448
#define CSUM_LEN 64

static struct json_tok tok[LUKS2_JSON_TOKENS];
static struct luks2_meta meta;

static void zero_sha256(const void *data, size_t len, uint8_t out[32])
{
	(void)data;
	(void)len;
	memset(out, 0, 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	struct luks2_bin b;
	size_t off = 0, len = 0, at;
	const char *field = NULL;
	int r;

	if (!(size > 4095 && (data[4095] & 1)))
		for (at = 0; at <= LUKS2_MAX_HDR_SIZE;
		     at = at ? at << 1 : LUKS2_MIN_HDR_SIZE)
			if (size >= at + CSUM_OFF + CSUM_LEN)
				memset(buf + at + CSUM_OFF, 0, CSUM_LEN);
	r = luks2_hdr_pick(buf, size, zero_sha256, &b, &off, &len, &field);
	if (!r) {
		if (off + len > size)
			abort();
		r = luks2_json_parse((const char *)buf + off, len, b.hdr_size,
				     tok, LUKS2_JSON_TOKENS, &meta, &field);
	}
	if (r && (!field || !*luks_strerror(r)))
		abort(); /* every refusal names its field */
	free(buf);
	return 0;
}
