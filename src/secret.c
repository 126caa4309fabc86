#include "secret.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "config.h"
#include "util.h"

int secret_guard(void *p, size_t size)
{
	if (!CFG_SECRET_MEMORY)
		return 0;
	/* Before the first key byte arrives: no core dump, no ptrace by
	 * another process of the same user, no /proc/PID/mem. Idempotent,
	 * so each guard repeats it rather than keep a flag. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* Dumps that still happen (a kernel with core dumps of
	 * non-dumpable processes, suid_dumpable=2) leave these pages out. */
	madvise(p, size, MADV_DONTDUMP);
	return mlock(p, size) ? -errno : 0;
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
		munlock(p, size);
	munmap(p, size);
}
