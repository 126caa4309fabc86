/* The kernel's keyring and block device numbers, faked with the linker's
 * --wrap at dmboot's own helpers (keyring_add, keyring_unlink,
 * blkdev_devno; see run.sh): keys are recorded with their payload, and
 * registered paths are block devices whatever they are on disk. */
#ifndef FAKE_SYS_H
#define FAKE_SYS_H

#include <stddef.h>
#include <stdint.h>

struct fsys_key {
	char type[16];
	char desc[256];
	unsigned char payload[1024];
	size_t len;
	int32_t keyring, serial;
	int linked; /* not yet unlinked */
};

struct fsys {
	struct fsys_key keys[8];
	int nkeys;
	int adds, unlinks;
	int add_err; /* keyring_add fails with -add_err */
	struct {
		char path[512];
		uint32_t major, minor;
	} devs[4];
	int ndevs;
};
extern struct fsys fsys;

void fsys_reset(void);
/* path (a regular file, for its size) reads as block device major:minor. */
void fsys_blkdev(const char *path, uint32_t major, uint32_t minor);
/* Keys added and not unlinked since the reset. */
int fsys_linked(void);

#endif
