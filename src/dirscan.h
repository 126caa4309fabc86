/* SPDX-License-Identifier: MIT */
/* Directory entries without opendir(), whose DIR musl allocates with
 * malloc (6 KiB of allocator in a static binary): getdents64 into a buffer
 * of the caller's. */
#ifndef DMBOOT_DIRSCAN_H
#define DMBOOT_DIRSCAN_H

#include <stddef.h>

struct dirscan {
	int fd;
	long len, off;
	char buf[1024];
};

/* 0 or -errno. */
int dirscan_open(struct dirscan *d, const char *path);
/* Takes over an open directory fd (closed by dirscan_close). */
void dirscan_fd(struct dirscan *d, int fd);
/* The next name ("." and ".." skipped), or NULL at the end or on error. */
const char *dirscan_next(struct dirscan *d);
/* Back to the first entry. */
void dirscan_rewind(struct dirscan *d);
void dirscan_close(struct dirscan *d);

#endif
