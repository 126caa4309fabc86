/* SPDX-License-Identifier: MIT */
/* Buffered output without stdio: what dmsetup prints, byte for byte. */
#ifndef DMBOOT_OUT_H
#define DMBOOT_OUT_H

#include <stddef.h>
#include <stdint.h>

void out_mem(const char *s, size_t n);
void out_str(const char *s);
/* "KEY VALUE\n": key carries its own separator ("root: "). */
void out_kv(const char *key, const char *value);
void out_ch(char c);
void out_u64(uint64_t v);
void out_i64(int64_t v);
/* s left-aligned in width columns / v right-aligned in width columns. */
void out_lpad(const char *s, size_t width);
void out_rpad_u64(uint64_t v, size_t width);
int out_flush(void); /* 0, or -errno of a failed write */

/* A table line as dmsetup prints it, "start length type params" (the
 * blank after the type stays when params is empty); no newline. */
void out_target(uint64_t start, uint64_t length, const char *type,
		const char *params);

/* parts joined by ": " (NULL ones left out) and a '\n' into line, cut to
 * fit size (>= 3); returns the length. */
size_t msg_join(char *line, size_t size, const char *const *parts,
		size_t count);
/* One line on stderr: "dmboot: a: b: c" (NULL parts left out). */
void err_line(const char *a, const char *b, const char *c);
void err_raw(const char *s);

#endif
