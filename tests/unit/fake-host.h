/* SPDX-License-Identifier: MIT */
/* The rest of the machine, faked with the linker's --wrap (see run.sh):
 * page allocations become malloc'd (so ASan and valgrind see overreads
 * and leaks, and freed buffers can be inspected), /dev/mapper becomes a
 * temporary directory with regular files for nodes, /sys is read under
 * a temporary root, udev is absent unless a test says otherwise, and
 * nanosleep returns at once. */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <stddef.h>

struct host {
	char root[256]; /* temporary directory, under $TMPDIR */
	char mapper[300]; /* root/mapper: stands for /dev/mapper */
	int udev_running; /* /run/udev/control exists */
	int fake_dev; /* other /dev paths are under root/dev too */
	int fake_root; /* /proc/cmdline, /etc, /run and /newroot too (init) */
	int sleeps; /* nanosleep calls */
	long long slept_ns;
	size_t allocs, frees; /* page buffers (mem_alloc / mem_free) */
	size_t live; /* allocated and not yet freed */
	size_t freed_dirty; /* freed without being wiped first */
	const char *secret; /* bytes that no freed buffer may hold */
	size_t secret_freed;
	size_t alloc_fail_at; /* this allocation (1-based count) and later fail */
	int forks; /* fork calls */
	int fork_fail_at; /* this fork (1-based count) and later fail */
	int fork_crash; /* forked children exit 1 at once */
	int mknod_errno; /* a /dev/mapper mknod fails with it */
	char ops[64][192]; /* node operations, "mknod NAME 253:0" ... */
	int nops;
};
extern struct host host;

void host_reset(void);
void host_free(void);
/* Writes root/REL (directories made as needed), e.g. a sysfs file. */
void host_write(const char *rel, const char *text);
void host_symlink(const char *rel, const char *target);
/* Is there a node file for NAME in the fake /dev/mapper, and its text. */
int host_node(const char *name, char *text, size_t size);
/* Does any live page buffer hold these bytes? */
int host_live_has(const char *needle);

#endif
