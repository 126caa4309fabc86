/* SPDX-License-Identifier: MIT */
/* See fake-sys.h. */
#include "fake-sys.h"

#include "dm.h"
#include "fake-host.h"
#include "kcapi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

struct fsys fsys;

int32_t __real_keyring_add(const char *type, const char *desc,
			   const void *payload, size_t len, int32_t keyring);
int __real_keyring_unlink(int32_t key, int32_t keyring);
int __real_blkdev_devno(const char *path, uint32_t *major, uint32_t *minor);

int32_t __wrap_keyring_add(const char *type, const char *desc,
			   const void *payload, size_t len, int32_t keyring);
int __wrap_keyring_unlink(int32_t key, int32_t keyring);
int __wrap_blkdev_devno(const char *path, uint32_t *major, uint32_t *minor);
int __wrap_blkdev_ioctl(int fd, unsigned long request, unsigned long arg);
int __wrap_kc_hash_open(struct kc_hash *h, const char *alg);
int __wrap_kc_hash2(struct kc_hash *h, const void *a, size_t alen,
		    const void *b, size_t blen, uint8_t *out, size_t size);
void __wrap_kc_hash_close(struct kc_hash *h);
int __wrap_mlock(const void *p, size_t len);
int __wrap_munlock(const void *p, size_t len);
int __wrap_madvise(void *p, size_t len, int advice);
int __real_prctl(int option, ...);
int __wrap_prctl(int option, ...);
int __real_dm_sys_ioctl(int fd, unsigned long request, struct dm_ioctl *io);
int __wrap_dm_sys_ioctl(int fd, unsigned long request, struct dm_ioctl *io);
ssize_t __real_read(int fd, void *buf, size_t len);
ssize_t __wrap_read(int fd, void *buf, size_t len);
int __real_keyfile_read(const char *path, uint64_t offset, void *key,
			size_t len);
int __wrap_keyfile_read(const char *path, uint64_t offset, void *key,
			size_t len);

void fsys_reset(void)
{
	memset(&fsys, 0, sizeof(fsys));
}

void fsys_blkdev(const char *path, uint32_t major, uint32_t minor)
{
	if (fsys.ndevs == (int)(sizeof(fsys.devs) / sizeof(fsys.devs[0])))
		abort();
	snprintf(fsys.devs[fsys.ndevs].path, sizeof(fsys.devs[0].path), "%s",
		 path);
	fsys.devs[fsys.ndevs].major = major;
	fsys.devs[fsys.ndevs].minor = minor;
	fsys.ndevs++;
}

int fsys_linked(void)
{
	int i, n = 0;

	for (i = 0; i < fsys.nkeys; i++)
		n += fsys.keys[i].linked;
	return n;
}

/* ---- secret memory (mlock, madvise, prctl; see secret.c) ---- */

static struct fsys_secret *secret_at(const void *p, size_t len, int add)
{
	int i;

	for (i = 0; i < fsys.nsecrets; i++)
		if (fsys.secrets[i].p == p && fsys.secrets[i].len == len)
			return &fsys.secrets[i];
	if (!add)
		return NULL;
	if (fsys.nsecrets ==
	    (int)(sizeof(fsys.secrets) / sizeof(fsys.secrets[0])))
		abort();
	fsys.secrets[fsys.nsecrets].p = p;
	fsys.secrets[fsys.nsecrets].len = len;
	return &fsys.secrets[fsys.nsecrets++];
}

int __wrap_mlock(const void *p, size_t len)
{
	fsys.mlocks++;
	if (fsys.mlock_err) {
		errno = fsys.mlock_err;
		return -1;
	}
	secret_at(p, len, 1)->locked = 1;
	return 0;
}

int __wrap_munlock(const void *p, size_t len)
{
	struct fsys_secret *s = secret_at(p, len, 0);
	size_t i;

	fsys.munlocks++;
	for (i = 0; i < len; i++)
		if (((const unsigned char *)p)[i])
			break;
	if (i < len)
		fsys.unlocked_dirty++;
	if (s)
		*s = fsys.secrets[--fsys.nsecrets];
	return 0;
}

int __wrap_madvise(void *p, size_t len, int advice)
{
	if (advice == MADV_DONTDUMP)
		secret_at(p, len, 1)->dontdump = 1;
	return 0;
}

/* PR_SET_DUMPABLE is dmboot's only prctl. The coverage build's profile
 * runtime (compiler-rt's lprofSuspendSigKill, at exit) asks for and
 * clears the parent-death signal: those go to the kernel; any other
 * option is a call nobody expected. */
int __wrap_prctl(int option, ...)
{
	va_list ap;
	unsigned long v;

	va_start(ap, option);
	v = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_GET_PDEATHSIG || option == PR_SET_PDEATHSIG)
		return __real_prctl(option, v, 0ul, 0ul, 0ul);
	if (option != PR_SET_DUMPABLE) {
		fprintf(stderr, "fake-sys: prctl option %d: not dmboot's\n",
			option);
		abort();
	}
	fsys.dumpable_calls++;
	fsys.undumpable = v == 0;
	return 0;
}

int fsys_guarded(const void *p, size_t len)
{
	const char *c = p;
	int i;

	for (i = 0; i < fsys.nsecrets; i++) {
		const struct fsys_secret *s = &fsys.secrets[i];

		if (s->locked && s->dontdump && c >= s->p &&
		    c + len <= s->p + s->len)
			return 1;
	}
	return 0;
}

int fsys_locked(void)
{
	int i, n = 0;

	for (i = 0; i < fsys.nsecrets; i++)
		n += fsys.secrets[i].locked;
	return n;
}

/* The key arrives in memory already guarded, with the process made
 * non-dumpable first; a failing mlock (fsys.mlock_err) is the one
 * exception secret.h allows. */
int __wrap_keyfile_read(const char *path, uint64_t offset, void *key,
			size_t len)
{
	int r;

	if (!fsys.undumpable || (!fsys.mlock_err && !fsys_guarded(key, len)))
		fsys.key_unguarded++;
	fsys.in_keyfile = 1;
	r = __real_keyfile_read(path, offset, key, len);
	fsys.in_keyfile = 0;
	return r;
}

/* Inside keyfile_read every byte of the key file, skipped ones too, is
 * read into guarded memory. */
ssize_t __wrap_read(int fd, void *buf, size_t len)
{
	if (fsys.in_keyfile && !fsys.mlock_err && !fsys_guarded(buf, len))
		fsys.key_unguarded++;
	return __real_read(fd, buf, len);
}

/* The kernel seam: a request that carries a key is in guarded memory. */
int __wrap_dm_sys_ioctl(int fd, unsigned long request, struct dm_ioctl *io)
{
	if ((io->flags & DM_SECURE_DATA_FLAG) && !fsys.mlock_err &&
	    !fsys_guarded(io, io->data_size))
		fsys.ioctl_unguarded++;
	return __real_dm_sys_ioctl(fd, request, io);
}

/* add_key(2): a new serial, or -errno as keyring_add returns it. */
int32_t __wrap_keyring_add(const char *type, const char *desc,
			   const void *payload, size_t len, int32_t keyring)
{
	struct fsys_key *k;

	fsys.adds++;
	if (!strcmp(type, "logon") && !fsys.mlock_err &&
	    !fsys_guarded(payload, len))
		fsys.payload_unguarded++;
	if (fsys.add_err)
		return -fsys.add_err;
	if (fsys.nkeys == (int)(sizeof(fsys.keys) / sizeof(fsys.keys[0])) ||
	    len > sizeof(k->payload) || strlen(desc) >= sizeof(k->desc))
		return -EDQUOT;
	k = &fsys.keys[fsys.nkeys++];
	snprintf(k->type, sizeof(k->type), "%s", type);
	snprintf(k->desc, sizeof(k->desc), "%s", desc);
	memcpy(k->payload, payload, len);
	k->len = len;
	k->keyring = keyring;
	k->serial = 0x1000 + fsys.nkeys;
	k->linked = 1;
	return k->serial;
}

int __wrap_keyring_unlink(int32_t key, int32_t keyring)
{
	int i;

	fsys.unlinks++;
	for (i = 0; i < fsys.nkeys; i++) {
		if (fsys.keys[i].serial == key && fsys.keys[i].linked &&
		    fsys.keys[i].keyring == keyring) {
			fsys.keys[i].linked = 0;
			return 0;
		}
	}
	return -ENOENT;
}

int __wrap_blkdev_devno(const char *path, uint32_t *major, uint32_t *minor)
{
	int i;

	/* The nodes fsys_loop_nodes makes. */
	if (!strncmp(path, "/dev/loop", 9) && path[9] >= '0' &&
	    path[9] <= '9') {
		*major = 7;
		*minor = (uint32_t)atoi(path + 9);
		return 0;
	}

	for (i = 0; i < fsys.ndevs; i++) {
		if (!strcmp(fsys.devs[i].path, path)) {
			*major = fsys.devs[i].major;
			*minor = fsys.devs[i].minor;
			return 0;
		}
	}
	return __real_blkdev_devno(path, major, minor);
}

/* AF_ALG: the digest sizes of the kernel's sha1, sha256 and sha512, and
 * FNV-1a over a || b stretched to that size. */
int __wrap_kc_hash_open(struct kc_hash *h, const char *alg)
{
	h->op = -1;
	h->tfm = !strcmp(alg, "sha1")	  ? 20
		 : !strcmp(alg, "sha256") ? 32
		 : !strcmp(alg, "sha512") ? 64
					  : -1;
	if (h->tfm < 0)
		return -ENOENT;
	fsys.hash_opens++;
	return 0;
}

static uint64_t fnv(uint64_t x, const void *p, size_t len)
{
	const unsigned char *s = p;

	while (len--)
		x = (x ^ *s++) * 0x100000001b3ull;
	return x;
}

int __wrap_kc_hash2(struct kc_hash *h, const void *a, size_t alen,
		    const void *b, size_t blen, uint8_t *out, size_t size)
{
	uint64_t x = fnv(fnv(0xcbf29ce484222325ull, a, alen), b, blen);
	int i;

	if (h->tfm < 0 || (size_t)h->tfm > size)
		return -EINVAL;
	for (i = 0; i < h->tfm; i++) {
		x = (x ^ (uint64_t)i) * 0x100000001b3ull;
		out[i] = (uint8_t)(x >> 56);
	}
	return h->tfm;
}

void __wrap_kc_hash_close(struct kc_hash *h)
{
	if (h->tfm >= 0)
		fsys.hash_closes++;
	h->tfm = h->op = -1;
}

/* ---- loop devices ---- */

void fsys_loop_nodes(void)
{
	char rel[32];
	int i;

	host_write("dev/loop-control", "");
	for (i = 0; i < FSYS_LOOPS; i++) {
		snprintf(rel, sizeof(rel), "dev/loop%d", i);
		host_write(rel, "");
	}
}

/* What an fd is open on, or "". */
static void fd_path(int fd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
}

/* The loop device number an fd is open on, -2 for loop-control, or -1. */
static int loop_of(int fd)
{
	char path[1024], dev[300];
	size_t n;

	fd_path(fd, path, sizeof(path));
	snprintf(dev, sizeof(dev), "%s/dev/loop", host.root);
	n = strlen(dev);
	if (strncmp(path, dev, n))
		return -1;
	if (!strcmp(path + n, "-control"))
		return -2;
	return path[n] >= '0' && path[n] <= '9' ? atoi(path + n) : -1;
}

int fsys_loop_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d) &&
		    loop_of(atoi(e->d_name)) != -1)
			n++;
	closedir(d);
	return n;
}

/* <linux/loop.h>: the numbers and the two fields of struct loop_info64
 * that dmboot sets, written independently of src/loop.c. */
#define LOOP_SET_FD 0x4C00
#define LOOP_CLR_FD 0x4C01
#define LOOP_SET_STATUS64 0x4C04
#define LOOP_CTL_GET_FREE 0x4C82
#define LOOP_CONFIGURE 0x4C0A
#define LOOP_SET_BLOCK_SIZE 0x4C09
#define LOOP_CONFIG_INFO_OFFSET 8 /* after fd and block_size */
#define LO_FLAGS_OFFSET 52
#define LO_FILE_NAME_OFFSET 56

static int writable(int fd)
{
	return (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR;
}

/* LOOP_SET_FD's part: busy if bound or "another process" took it. */
static int loop_bind(struct fsys_loop *lo, int fd, int file)
{
	if (lo->bound)
		return -EBUSY;
	if (fsys.loop_busy) {
		fsys.loop_busy--;
		lo->bound = 2;
		return -EBUSY;
	}
	lo->bound = 1;
	lo->writable = writable(fd) && writable(file);
	fd_path(file, lo->file, sizeof(lo->file));
	return 0;
}

int __wrap_blkdev_ioctl(int fd, unsigned long request, unsigned long arg)
{
	int n = loop_of(fd), i;
	struct fsys_loop *lo = n >= 0 && n < FSYS_LOOPS ? &fsys.loops[n] : NULL;
	const unsigned char *info = (const unsigned char *)arg;

	if (n != -1)
		fsys.loop_ioctls++;
	if (n == -2 && request == LOOP_CTL_GET_FREE) {
		for (i = 0; i < FSYS_LOOPS; i++)
			if (!fsys.loops[i].bound)
				return i;
		return -ENOMEM;
	}
	if (!lo)
		return -ENOTTY;
	switch (request) {
	case LOOP_CONFIGURE: /* SET_FD and SET_STATUS64, all or nothing */
		if (!fsys.loop_configure)
			return -EINVAL; /* before Linux 5.8 */
		memcpy(&i, info, 4); /* the file's fd */
		if (!lo->bound && !fsys.loop_busy && fsys.loop_status_err)
			return -fsys.loop_status_err;
		if ((i = loop_bind(lo, fd, i)))
			return i;
		fsys.loop_configures++;
		memcpy(&lo->block_size, info + 4, 4);
		memcpy(&lo->flags,
		       info + LOOP_CONFIG_INFO_OFFSET + LO_FLAGS_OFFSET, 4);
		memcpy(lo->name,
		       info + LOOP_CONFIG_INFO_OFFSET + LO_FILE_NAME_OFFSET,
		       sizeof(lo->name));
		return 0;
	case LOOP_SET_FD:
		return loop_bind(lo, fd, (int)arg);
	case LOOP_SET_STATUS64:
		if (!lo->bound)
			return -ENXIO;
		if (fsys.loop_status_err)
			return -fsys.loop_status_err;
		memcpy(&lo->flags, info + LO_FLAGS_OFFSET, 4);
		memcpy(lo->name, info + LO_FILE_NAME_OFFSET, sizeof(lo->name));
		return 0;
	case LOOP_SET_BLOCK_SIZE:
		if (fsys.loop_no_block_size)
			return -EINVAL;
		if (!lo->bound)
			return -ENXIO;
		lo->block_size = (uint32_t)arg;
		return 0;
	case LOOP_CLR_FD:
		fsys.loop_clears++;
		if (!lo->bound)
			return -ENXIO;
		memset(lo, 0, sizeof(*lo));
		return 0;
	}
	return -ENOTTY;
}

/* ---- AF_ALG (see fake-sys.h) ---- */
int __real_socket(int domain, int type, int proto);
int __real_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __real_setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len);
int __real_accept(int fd, struct sockaddr *sa, socklen_t *len);
ssize_t __real_sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t __real_recv(int fd, void *buf, size_t len, int flags);
int __wrap_socket(int domain, int type, int proto);
int __wrap_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __wrap_setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len);
int __wrap_accept(int fd, struct sockaddr *sa, socklen_t *len);
ssize_t __wrap_sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags);

int __wrap_socket(int domain, int type, int proto)
{
	return fsys.alg ? fsys.alg->socket(domain, type, proto)
			: __real_socket(domain, type, proto);
}

int __wrap_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	return fsys.alg ? fsys.alg->bind(fd, sa, len)
			: __real_bind(fd, sa, len);
}

int __wrap_setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len)
{
	return fsys.alg ? fsys.alg->setsockopt(fd, level, name, val, len)
			: __real_setsockopt(fd, level, name, val, len);
}

int __wrap_accept(int fd, struct sockaddr *sa, socklen_t *len)
{
	return fsys.alg ? fsys.alg->accept(fd, sa, len)
			: __real_accept(fd, sa, len);
}

ssize_t __wrap_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return fsys.alg ? fsys.alg->sendmsg(fd, msg, flags)
			: __real_sendmsg(fd, msg, flags);
}

ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags)
{
	return fsys.alg ? fsys.alg->recv(fd, buf, len, flags)
			: __real_recv(fd, buf, len, flags);
}
