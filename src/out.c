/* SPDX-License-Identifier: MIT */
#include "out.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static char obuf[4096];
static size_t olen;
static int oerr;

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int out_flush(void)
{
	if (olen && !oerr)
		oerr = write_all(1, obuf, olen);
	olen = 0;
	return oerr;
}

void out_mem(const char *s, size_t n)
{
	while (n) {
		size_t k = sizeof(obuf) - olen;

		if (!k) {
			out_flush();
			continue;
		}
		if (k > n)
			k = n;
		memcpy(obuf + olen, s, k);
		olen += k;
		s += k;
		n -= k;
	}
}

void out_str(const char *s)
{
	out_mem(s, strlen(s));
}

void out_kv(const char *key, const char *value)
{
	out_str(key);
	out_str(value);
	out_ch('\n');
}

void out_ch(char c)
{
	out_mem(&c, 1);
}

void out_u64(uint64_t v)
{
	char b[24];

	out_mem(b, fmt_u64(b, v));
}

void out_i64(int64_t v)
{
	if (v < 0) {
		out_ch('-');
		out_u64(0 - (uint64_t)v);
	} else {
		out_u64((uint64_t)v);
	}
}

static void out_spaces(size_t n)
{
	while (n--)
		out_ch(' ');
}

void out_lpad(const char *s, size_t width)
{
	size_t n = strlen(s);

	out_mem(s, n);
	if (n < width)
		out_spaces(width - n);
}

void out_rpad_u64(uint64_t v, size_t width)
{
	char b[24];
	size_t n = fmt_u64(b, v);

	if (n < width)
		out_spaces(width - n);
	out_mem(b, n);
}

void err_raw(const char *s)
{
	out_flush();
	write_all(2, s, strlen(s));
}

size_t msg_join(char *line, size_t size, const char *const *parts, size_t count)
{
	size_t n = 0, i;

	for (i = 0; i < count; i++) {
		size_t k;

		if (!parts[i])
			continue;
		if (n) {
			/* Room for ": ", the '\n' and no less: k below must
			 * not wrap around. */
			if (n + 3 >= size)
				break;
			line[n++] = ':';
			line[n++] = ' ';
		}
		k = strlen(parts[i]);
		if (k > size - 2 - n)
			k = size - 2 - n;
		memcpy(line + n, parts[i], k);
		n += k;
	}
	line[n++] = '\n';
	return n;
}

void err_line(const char *a, const char *b, const char *c)
{
	char line[512];
	const char *parts[4] = {"dmboot", a, b, c};
	size_t n = msg_join(line, sizeof(line), parts, 4);

	out_flush();
	write_all(2, line, n);
}

void out_target(uint64_t start, uint64_t length, const char *type,
		const char *params)
{
	out_u64(start);
	out_ch(' ');
	out_u64(length);
	out_ch(' ');
	out_str(type);
	out_ch(' ');
	out_str(params);
}
