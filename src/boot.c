/* SPDX-License-Identifier: MIT */
#include "boot.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rawsys.h"
#include "util.h"

/* dietlibc has init_module() but neither finit_module() nor syscall(). */
#ifdef __dietlibc__
#include <sys/mman.h>
int init_module(void *image, unsigned long len, const char *params);
static long sys_finit_module(int fd, const char *params)
{
	struct stat st;
	void *p;
	long r;

	if (sys_fstat(fd, &st))
		return -1;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	r = init_module(p, (unsigned long)st.st_size, params);
	sys_munmap(p, (size_t)st.st_size);
	return r;
}
#else
#include <sys/syscall.h>
#define sys_finit_module(fd, params) syscall(SYS_finit_module, fd, params, 0)
#endif

int module_load_fd(int fd, const char *params)
{
	return sys_finit_module(fd, params) && errno != EEXIST ? -errno : 0;
}

int udev_db_add(uint32_t major, uint32_t minor)
{
	static const char line[] = "E:DM_UDEV_PRIMARY_SOURCE_FLAG=1\n";
	char path[64] = "/run/udev/data/b", *p = path + 16;
	int fd, r = 0;

	p += fmt_u64(p, major);
	*p++ = ':';
	fmt_u64(p, minor);
	mkdir("/run/udev", 0755);
	mkdir("/run/udev/data", 0755);
	fd = sys_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, line, sizeof(line) - 1) != (ssize_t)sizeof(line) - 1)
		r = errno ? -errno : -EIO;
	/* The sticky bit is udev's db_persist: the entry outlives a
	 * database cleanup, as lvm2's rules ask for dm devices. */
	if (!r && sys_fchmod(fd, 01644))
		r = -errno;
	close(fd);
	return r;
}
