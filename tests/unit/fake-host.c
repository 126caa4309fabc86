/* SPDX-License-Identifier: MIT */
/* See fake-host.h. Each __wrap_X replaces X for the objects under test;
 * __real_X is libc's. */
#include "fake-host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

struct host host;

#define MAPPER "/dev/mapper"

/* Declarations the linker resolves: ours and libc's. */
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off);
int __real_munmap(void *addr, size_t len);
int __real_open(const char *path, int flags, ...);
ssize_t __real_readlink(const char *path, char *buf, size_t size);
int __real_access(const char *path, int mode);
int __real_mknod(const char *path, mode_t mode, dev_t dev);
int __real_unlink(const char *path);
int __real_rename(const char *from, const char *to);
int __real_mkdir(const char *path, mode_t mode);
DIR *__real_opendir(const char *path);
pid_t __real_fork(void);
pid_t __wrap_fork(void);

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off);
int __wrap_munmap(void *addr, size_t len);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_open(const char *path, int flags, ...);
ssize_t __wrap_readlink(const char *path, char *buf, size_t size);
int __wrap_access(const char *path, int mode);
int __wrap_mknod(const char *path, mode_t mode, dev_t dev);
int __wrap_unlink(const char *path);
int __wrap_rename(const char *from, const char *to);
int __wrap_mkdir(const char *path, mode_t mode);
DIR *__wrap_opendir(const char *path);

/* ---- page buffers ---- */

struct alloc {
	void *p;
	size_t len;
	int shared; /* MAP_SHARED: a real mapping (forked workers see it) */
};
static struct alloc *allocs;
static size_t nallocs, allocs_cap;

static void track(void *p, size_t len, int shared)
{
	if (nallocs == allocs_cap) {
		allocs_cap = allocs_cap ? allocs_cap * 2 : 64;
		allocs = realloc(allocs, allocs_cap * sizeof(*allocs));
		if (!allocs)
			abort();
	}
	allocs[nallocs].p = p;
	allocs[nallocs].len = len;
	allocs[nallocs].shared = shared;
	nallocs++;
}

static int untrack(void *p, size_t len, int *shared)
{
	size_t i;

	for (i = 0; i < nallocs; i++) {
		if (allocs[i].p != p)
			continue;
		if (allocs[i].len != len)
			return -1;
		*shared = allocs[i].shared;
		allocs[i] = allocs[--nallocs];
		return 0;
	}
	return -1;
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	void *p;

	if (addr || fd != -1 || !(flags & MAP_ANONYMOUS))
		return __real_mmap(addr, len, prot, flags, fd, off);
	if (host.alloc_fail_at && host.allocs + 1 >= host.alloc_fail_at) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	/* Shared memory must stay shared across fork (Argon2's workers):
	 * a real mapping, tracked like the rest. */
	if (flags & MAP_SHARED) {
		p = __real_mmap(addr, len, prot, flags, fd, off);
		if (p == MAP_FAILED)
			return p;
		track(p, len, 1);
		host.allocs++;
		host.live++;
		return p;
	}
	p = calloc(1, len);
	if (!p) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	track(p, len, 0);
	host.allocs++;
	host.live++;
	return p;
}

static int all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

int __wrap_munmap(void *addr, size_t len)
{
	int shared = 0;

	if (untrack(addr, len, &shared)) {
		/* Not one of ours, or freed with the wrong size: let
		 * the test fail loudly. */
		fprintf(stderr,
			"fake-host: munmap(%p, %zu) of an unknown buffer\n",
			addr, len);
		abort();
	}
	if (!all_zero(addr, len))
		host.freed_dirty++;
	if (host.secret && memmem(addr, len, host.secret, strlen(host.secret)))
		host.secret_freed++;
	if (shared)
		__real_munmap(addr, len);
	else
		free(addr);
	host.frees++;
	host.live--;
	return 0;
}

int host_live_has(const char *needle)
{
	size_t i;

	for (i = 0; i < nallocs; i++)
		if (memmem(allocs[i].p, allocs[i].len, needle, strlen(needle)))
			return 1;
	return 0;
}

int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	(void)rem;
	host.sleeps++;
	host.slept_ns += (long long)req->tv_sec * 1000000000LL + req->tv_nsec;
	return 0;
}

/* ---- files ---- */

static const char *redirect(const char *path, char *buf, size_t size)
{
	if (!strncmp(path, "/sys/", 5)) {
		snprintf(buf, size, "%s%s", host.root, path);
		return buf;
	}
	if (!strcmp(path, MAPPER) || !strncmp(path, MAPPER "/", 12)) {
		snprintf(buf, size, "%s%s", host.mapper, path + strlen(MAPPER));
		return buf;
	}
	/* What init reads and writes outside /sys and /dev, for a test that
	 * runs it for real. */
	if (host.fake_root &&
	    (!strcmp(path, "/proc/cmdline") || !strcmp(path, "/newroot") ||
	     !strncmp(path, "/etc/", 5) || !strncmp(path, "/run/", 5))) {
		snprintf(buf, size, "%s%s", host.root, path);
		return buf;
	}
	/* Loop devices always: no test may bind the machine's. */
	if ((host.fake_dev && !strncmp(path, "/dev/", 5)) ||
	    !strncmp(path, "/dev/loop", 9)) {
		snprintf(buf, size, "%s%s", host.root, path);
		return buf;
	}
	return path;
}

static const char *node_name(const char *path)
{
	return !strncmp(path, MAPPER "/", 12) ? path + 12 : NULL;
}

static void op(const char *fmt, ...)
{
	va_list ap;

	if (host.nops >= (int)(sizeof(host.ops) / sizeof(host.ops[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(host.ops[host.nops++], sizeof(host.ops[0]), fmt, ap);
	va_end(ap);
}

int __wrap_open(const char *path, int flags, ...)
{
	char buf[1024];
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return __real_open(redirect(path, buf, sizeof(buf)), flags, mode);
}

ssize_t __wrap_readlink(const char *path, char *out, size_t size)
{
	char buf[1024];

	return __real_readlink(redirect(path, buf, sizeof(buf)), out, size);
}

int __wrap_access(const char *path, int mode)
{
	char buf[1024];

	if (!strcmp(path, "/run/udev/control")) {
		if (host.udev_running)
			return 0;
		errno = ENOENT;
		return -1;
	}
	return __real_access(redirect(path, buf, sizeof(buf)), mode);
}

/* A node is a regular file holding "b MAJ:MIN MODE". */
int __wrap_mknod(const char *path, mode_t mode, dev_t dev)
{
	const char *name = node_name(path);
	char buf[1024], text[64];
	int fd, n;

	if (!name)
		return __real_mknod(path, mode, dev);
	if (host.mknod_errno) {
		errno = host.mknod_errno;
		return -1;
	}
	op("mknod %s %c %u:%u %04o", name, S_ISBLK(mode) ? 'b' : '?',
	   major(dev), minor(dev), (unsigned)(mode & 07777));
	fd = __real_open(redirect(path, buf, sizeof(buf)),
			 O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	n = snprintf(text, sizeof(text), "b %u:%u %04o", major(dev), minor(dev),
		     (unsigned)(mode & 07777));
	if (write(fd, text, (size_t)n) != n)
		abort();
	close(fd);
	return 0;
}

int __wrap_unlink(const char *path)
{
	const char *name = node_name(path);
	char buf[1024];

	if (name)
		op("unlink %s", name);
	return __real_unlink(redirect(path, buf, sizeof(buf)));
}

int __wrap_rename(const char *from, const char *to)
{
	const char *a = node_name(from), *b = node_name(to);
	char x[1024], y[1024];

	if (a && b)
		op("rename %s %s", a, b);
	return __real_rename(redirect(from, x, sizeof(x)),
			     redirect(to, y, sizeof(y)));
}

int __wrap_mkdir(const char *path, mode_t mode)
{
	char buf[1024];

	if (!strcmp(path, MAPPER))
		op("mkdir %04o", (unsigned)mode);
	return __real_mkdir(redirect(path, buf, sizeof(buf)), mode);
}

DIR *__wrap_opendir(const char *path)
{
	char buf[1024];

	return __real_opendir(redirect(path, buf, sizeof(buf)));
}

/* ---- set-up ---- */

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

void host_free(void)
{
	if (host.root[0])
		nftw(host.root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	host.root[0] = 0;
	/* Buffers still tracked were leaked by the code under test; the
	 * harness has already failed that test. */
	while (nallocs) {
		if (allocs[nallocs - 1].shared)
			__real_munmap(allocs[nallocs - 1].p,
				      allocs[nallocs - 1].len);
		else
			free(allocs[nallocs - 1].p);
		nallocs--;
	}
	free(allocs);
	allocs = NULL;
	allocs_cap = 0;
}

void host_reset(void)
{
	host_free();
	memset(&host, 0, sizeof(host));
	snprintf(host.root, sizeof(host.root), "%s/dmboot-unit-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(host.root))
		abort();
	snprintf(host.mapper, sizeof(host.mapper), "%s/mapper", host.root);
	if (__real_mkdir(host.mapper, 0755))
		abort();
}

static void make_parents(const char *path)
{
	char buf[1024], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + strlen(host.root) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		__real_mkdir(buf, 0755);
		*p = '/';
	}
}

void host_write(const char *rel, const char *text)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", host.root, rel);
	make_parents(path);
	fd = __real_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

void host_symlink(const char *rel, const char *target)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", host.root, rel);
	make_parents(path);
	if (symlink(target, path))
		abort();
}

int host_node(const char *name, char *text, size_t size)
{
	char path[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", host.mapper, name);
	fd = __real_open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, text, size - 1);
	close(fd);
	text[n > 0 ? n : 0] = 0;
	return 1;
}

/* ---- processes ---- */

/* fork: counted; host.fork_fail_at (1-based) and later fail with EAGAIN,
 * host.fork_crash makes each child die at once (exit status 1). */
pid_t __wrap_fork(void)
{
	pid_t pid;

	host.forks++;
	if (host.fork_fail_at && host.forks >= host.fork_fail_at) {
		errno = EAGAIN;
		return -1;
	}
	pid = __real_fork();
	if (pid == 0 && host.fork_crash)
		_exit(1);
	return pid;
}
