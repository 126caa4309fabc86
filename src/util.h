/* SPDX-License-Identifier: MIT */
/* Small helpers every layer may use: memory that is wiped when freed,
 * numbers in and out of text, a whole file into a buffer. */
#ifndef DMBOOT_UTIL_H
#define DMBOOT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "secret.h" /* wipe, mem_alloc, mem_free */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

/* A growable byte buffer on top of mem_alloc. secret: each mapping is
 * guarded as secret.h says before a byte is copied in (keys). */
struct buf {
	char *p;
	size_t len, cap;
	int secret;
};
int buf_reserve(struct buf *b, size_t more);
int buf_add(struct buf *b, const void *data, size_t len);
void buf_free(struct buf *b);
/* Appends everything fd has to give (to EOF). 0 or -errno. */
int buf_read_fd(struct buf *b, int fd);
/* The same for a file; 0 or -errno. */
int buf_read_file(struct buf *b, const char *path);

/* strstr without musl's two-way matcher (1 KiB): needles here are short. */
const char *str_find(const char *hay, const char *needle);
/* Byte loops for strchr, memchr and strncmp with a literal: musl's are
 * word-at-a-time, 120 to 240 bytes each, for strings of a few dozen. */
char *str_chr(const char *s, int c); /* c != 0 */
const char *str_chrnul(const char *s, int c);
void *mem_chr(const void *p, int c, size_t n);
int str_prefix(const char *s, const char *prefix); /* 1: s starts so */
/* s copied to p, cut at end (where the NUL goes, as strncat would);
 * returns the new end. */
char *str_put(char *p, const char *end, const char *s);

/* The index of word w in words (blank-separated, so that no word is a
 * string of its own), or -1: the actions of verity, crypt and the like. */
int str_word_index(const char *words, const char *w);

/* Whole decimal number, no sign, no overflow: 0 or -EINVAL/-ERANGE. */
int parse_u64(const char *s, size_t len, uint64_t *out);
int parse_u32(const char *s, uint32_t *out);
/* A systemd time span (systemd.time(7)): "30" (seconds), "500ms",
 * "1min 30s", "2.5h"; us, ms, s, min, h, d, w, M, y and their long
 * names; "infinity": UINT64_MAX. Into ms, rounded up: 0 or -EINVAL,
 * -ERANGE past UINT64_MAX microseconds. */
int parse_timespan_ms(const char *s, uint64_t *ms);
/* Decimal text of v into buf (at least 21 bytes); returns the length. */
size_t fmt_u64(char *buf, uint64_t v);

static inline int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

#endif
