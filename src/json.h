/* SPDX-License-Identifier: MIT */
/* A strict JSON reader for LUKS2's JSON area: the text is checked whole
 * (RFC 8259 grammar, bounds on every read, a nesting limit, duplicate keys
 * refused) into a caller's token array; nothing is allocated. Keys are
 * compared byte for byte and may not hold escapes (LUKS2 keys are plain
 * ASCII names). String values may: \" \\ \/ \b \f \n \r \t and \uXXXX for
 * XXXX in 0001..007F; any other \u (NUL, non-ASCII, surrogates) is refused
 * with -EILSEQ, LUKS2 never writes one (json-c escapes only '/' and
 * control characters). No I/O. */
#ifndef DMBOOT_JSON_H
#define DMBOOT_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 16

enum json_type {
	JSON_OBJECT = 1,
	JSON_ARRAY,
	JSON_STRING,
	JSON_NUMBER,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
};

/* One value (or object key). Strings: start/len span the text between the
 * quotes, still escaped. count: members of an object, elements of an
 * array. next: the index after this value's subtree. An object's members
 * are key, value pairs: key at i, its value at i + 1. */
struct json_tok {
	uint32_t start, len, next;
	uint16_t type, count;
};

struct json {
	const char *text;
	struct json_tok *tok;
	uint32_t ntok;
};

/* The whole text must be one object, whitespace around it allowed.
 * -EINVAL bad syntax, -ELOOP nesting over JSON_MAX_DEPTH, -ENOTUNIQ a
 * duplicate key, -EILSEQ an escape refused (above), -E2BIG more tokens
 * than max (or an object or array of over 65535 members). */
int json_parse(struct json *j, const char *text, size_t len,
	       struct json_tok *tok, size_t max);

/* The value of key in object obj: its index, -ENOENT if absent, -EINVAL
 * if obj is not an object. */
int json_get(const struct json *j, int obj, const char *key);
/* The same for a key of n bytes (not NUL-terminated). */
int json_get_n(const struct json *j, int obj, const char *key, size_t n);
/* Element i of array arr, or -ENOENT. */
int json_elem(const struct json *j, int arr, unsigned int i);
/* 1 if string token t decodes to exactly s. */
int json_str_is(const struct json *j, int t, const char *s);
/* String t decoded, NUL-terminated, into out: -EINVAL not a string,
 * -ENAMETOOLONG does not fit. Returns its length. */
int json_str_copy(const struct json *j, int t, char *out, size_t size);
/* A non-negative integer: a number token of digits only (no sign,
 * fraction or exponent) or, with from_string, a string of decimal digits
 * (LUKS2 stores 64-bit values as strings). -EINVAL wrong form, -ERANGE
 * over UINT64_MAX. */
int json_u64(const struct json *j, int t, int from_string, uint64_t *out);

#endif
