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
