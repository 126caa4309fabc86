/* Device names as boot configuration writes them, to a /dev path:
 * /dev/NAME (any block device path), MAJ:MIN, PARTUUID=, PARTLABEL=,
 * UUID=, LABEL=. Each kind of name is a Kconfig option (RESOLVE_*). */
#ifndef DMBOOT_RESOLVE_H
#define DMBOOT_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

/* For callers that wait for a device: remembers the block devices a
 * search found nothing among, so that asking again costs one readdir of
 * /sys/class/block until a device comes or goes. One per spec; zero it
 * to start. */
struct resolver {
	uint32_t
		miss; /* fingerprint of spec and device list at the last miss */
	int valid;
};

/* 0 and the path in path[len]; -ENOENT: no such device (yet); -EINVAL: not
 * a name we know; -EOPNOTSUPP: a kind of name this build leaves out;
 * -ENOTBLK: a path that is not a block device; -ENAMETOOLONG; -errno. */
int resolve(struct resolver *rs, const char *spec, char *path, size_t len);
/* The same, once. */
int resolve_device(const char *spec, char *path, size_t len);

#endif
