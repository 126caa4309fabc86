/* SPDX-License-Identifier: MIT */
#include "secret.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "config.h"
#include "rawsys.h"

void wipe(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

void *mem_alloc(size_t size)
{
	void *p = sys_mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void mem_free(void *p, size_t size)
{
	if (!p)
		return;
	wipe(p, size);
	sys_munmap(p, size);
}

int secret_guard(void *p, size_t size)
{
	if (!CFG_SECRET_MEMORY)
		return 0;
	/* Before the first key byte arrives: no core dump, no ptrace by
	 * another process of the same user, no /proc/PID/mem. Idempotent,
	 * so each guard repeats it rather than keep a flag. */
	(void)sys_prctl(PR_SET_DUMPABLE, 0L);
	/* Should the flag go back (the kernel resets it to fs.suid_dumpable
	 * when credentials change), a dump still leaves these pages out. */
	(void)sys_madvise(p, size, MADV_DONTDUMP);
	return sys_mlock(p, size) ? -errno : 0;
}

void *secret_alloc(size_t size, int *unlocked)
{
	void *p = mem_alloc(size);

	if (p && secret_guard(p, size))
		*unlocked = 1;
	return p;
}

void secret_free(void *p, size_t size)
{
	if (!p)
		return;
	wipe(p, size);
	if (CFG_SECRET_MEMORY)
		(void)sys_munlock(p, size);
	sys_munmap(p, size);
}
