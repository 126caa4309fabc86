/* SPDX-License-Identifier: MIT */
/* Device names as boot configuration writes them, to a /dev path:
 * /dev/NAME (any block device path), MAJ:MIN, PARTUUID=, PARTLABEL=,
 * UUID=, LABEL=. Each kind of name is a Kconfig option (RESOLVE_*).
 *
 * A name that more than one device carries is an ambiguity, refused
 * (-ENOTUNIQ), never a tie to break: a second disk with a copy of the
 * root file system (same UUID and LABEL) or of its partition table (same
 * PARTUUID and PARTLABEL) must not be taken for the real one. One tie is
 * legitimate: a dm device shows the file system of the devices under it,
 * which it holds. Those held matches are set aside when exactly one
 * match is not held, that one holds every other match (directly or
 * through devices between), and it is trusted: within a boot (ours set)
 * a dm device this boot made, outside one (ours NULL: findfs, tab) any
 * dm device. */
#ifndef DMBOOT_RESOLVE_H
#define DMBOOT_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

/* A block device number: major in the high 32 bits, minor in the low. */
#define DEV_PACK(major, minor) ((uint64_t)(major) << 32 | (uint32_t)(minor))

#define DEV_SET_MAX 64
/* A set of block devices, such as the dm devices a boot made. */
struct dev_set {
	unsigned n;
	int full; /* one did not fit: the set is incomplete */
	uint64_t dev[DEV_SET_MAX];
};
int dev_set_has(const struct dev_set *s, uint64_t dev);
/* Adds to s each dm device in /sys/class/block that is not in old (NULL:
 * none). 0, or -errno; -ENOSPC when one did not fit (s->full). */
int dev_set_add_dm(struct dev_set *s, const struct dev_set *old);

#define RESOLVE_MATCHES_LEN 256

/* One per spec; zero it to start, then set ours. For callers that wait
 * for a device it remembers what the block devices looked like when a
 * search found nothing (names, numbers, sizes, disk sequence numbers),
 * so that asking again costs a few sysfs reads until a device comes,
 * goes or changes its medium; a search is made anyway every
 * RESOLVE_RECHECK misses, for kernels without diskseq (before 5.15)
 * whose same-size media changes show nowhere else. */
struct resolver {
	uint32_t miss; /* fingerprint of spec and devices at the last miss */
	uint8_t valid, hits;
	/* The dm devices this boot made, or NULL outside a boot. */
	const struct dev_set *ours;
	/* After -ENOTUNIQ: "SPEC matches vda, sdb" (", ..." past 8). */
	char matches[RESOLVE_MATCHES_LEN];
};
#define RESOLVE_RECHECK 20

/* 0 and the path in path[len]; -ENOENT: no such device (yet); -ENOTUNIQ:
 * more than one (rs->matches); -EINVAL: not a name we know; -EOPNOTSUPP:
 * a kind of name this build leaves out; -ENOTBLK: a path that is not a
 * block device; -ENAMETOOLONG; -errno. */
int resolve(struct resolver *rs, const char *spec, char *path, size_t len);
/* The same, once, outside a boot, without the names of an ambiguity. */
int resolve_device(const char *spec, char *path, size_t len);

#endif
