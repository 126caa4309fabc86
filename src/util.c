/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "rawsys.h"
#include "secret.h"

#if DMBOOT_RAWSYS
int sys_open(const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}
#endif

/* A secret buffer whose mapping cannot be locked is used anyway (see
 * secret.h): the ioctl buffer that carries it to the kernel reports it. */
static void buf_unmap(struct buf *b)
{
	if (CFG_SECRET_MEMORY && b->secret)
		secret_free(b->p, b->cap);
	else
		mem_free(b->p, b->cap);
}

int buf_reserve(struct buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	if (b->len + more < b->len)
		return -ENOMEM;
	while (cap < b->len + more) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	if (cap == b->cap)
		return 0;
	p = mem_alloc(cap);
	if (!p)
		return -ENOMEM;
	if (CFG_SECRET_MEMORY && b->secret)
		secret_guard(p, cap);
	if (b->p)
		memcpy(p, b->p, b->len);
	buf_unmap(b);
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	int r = buf_reserve(b, len);

	if (r)
		return r;
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

void buf_free(struct buf *b)
{
	buf_unmap(b);
	b->p = NULL;
	b->len = b->cap = 0;
}

int buf_read_fd(struct buf *b, int fd)
{
	for (;;) {
		ssize_t n;
		int r = buf_reserve(b, 4096);

		if (r)
			return r;
		n = read(fd, b->p + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		b->len += (size_t)n;
	}
}

int buf_read_file(struct buf *b, const char *path)
{
	int fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	r = buf_read_fd(b, fd);
	close(fd);
	return r;
}

const char *str_find(const char *hay, const char *needle)
{
	for (; *hay; hay++)
		if (str_prefix(hay, needle))
			return hay;
	return *needle ? NULL : hay;
}

const char *str_chrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return s;
}

char *str_chr(const char *s, int c)
{
	s = str_chrnul(s, c);
	return *s ? (char *)s : NULL;
}

void *mem_chr(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (; n; n--, b++)
		if (*b == (unsigned char)c)
			return (void *)b;
	return NULL;
}

char *str_put(char *p, const char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	*p = 0;
	return p;
}

int str_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* systemd's units: packed names, each's unit in span_of, the units in
 * microseconds. The longest name that prefixes the rest wins ("ms" over
 * "m", "min" over "m"). */
static const char span_names[] =
	"us\0usec\0ms\0msec\0s\0sec\0second\0seconds\0m\0min\0minute\0"
	"minutes\0h\0hr\0hour\0hours\0d\0day\0days\0w\0week\0weeks\0M\0"
	"month\0months\0y\0year\0years\0";
static const uint8_t span_of[] = {0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4,
				  4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8};
/* a month 30.44 days, a year 365.25, as systemd counts them */
static const uint64_t span_us[] = {
	1,	     1000,	   1000000,	  60000000,	 3600000000,
	86400000000, 604800000000, 2629800000000, 31557600000000};
#define SPAN_FRACTION_DIGITS 6 /* microseconds: systemd's precision */

int parse_timespan_ms(const char *s, uint64_t *ms)
{
	uint64_t total = 0;

	while (is_space(*s))
		s++;
	if (!strcmp(s, "infinity")) {
		*ms = UINT64_MAX;
		return 0;
	}
	do {
		uint64_t n = 0, frac = 0, scale = 1, mult = 1000000, part;
		size_t best = 0, i, len;
		const char *u;

		if ((unsigned)(*s - '0') > 9)
			return -EINVAL;
		for (; (unsigned)(*s - '0') <= 9; s++) {
			if (n > (UINT64_MAX - 9) / 10)
				return -ERANGE;
			n = n * 10 + (uint64_t)(*s - '0');
		}
		if (*s == '.') {
			if ((unsigned)(*++s - '0') > 9)
				return -EINVAL;
			for (i = 0; (unsigned)(*s - '0') <= 9; s++, i++)
				if (i < SPAN_FRACTION_DIGITS) {
					frac = frac * 10 + (uint64_t)(*s - '0');
					scale *= 10;
				}
		}
		while (is_space(*s))
			s++;
		for (i = 0, u = span_names; i < sizeof(span_of);
		     i++, u += len + 1) {
			len = strlen(u);
			if (len > best && !strncmp(s, u, len)) {
				best = len;
				mult = span_us[span_of[i]];
			}
		}
		s += best;
		/* frac < scale: frac * (mult / scale) < mult, exact for the
		 * units from seconds up, whose mult scale divides */
		part = mult >= scale ? frac * (mult / scale)
				     : frac * mult / scale;
		if (n > (UINT64_MAX - part) / mult ||
		    n * mult + part > UINT64_MAX - total)
			return -ERANGE;
		total += n * mult + part;
		while (is_space(*s))
			s++;
	} while (*s);
	*ms = total / 1000 + (total % 1000 != 0);
	return 0;
}

int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int r = parse_u64(s, strlen(s), &v);

	if (r)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

size_t fmt_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while (v /= 10);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return n;
}

int str_word_index(const char *words, const char *w)
{
	size_t n = strlen(w);
	int i;

	for (i = 0; *words; i++) {
		size_t k = (size_t)(str_chrnul(words, ' ') - words);

		if (k == n && !memcmp(words, w, n))
			return i;
		words += k + (words[k] == ' ');
	}
	return -1;
}
