/* SPDX-License-Identifier: MIT */
/* The device-mapper control interface as the kernel lays it out
 * (include/uapi/linux/dm-ioctl.h), written from the documented layout so
 * that the build never depends on the host's linux headers. */
#ifndef DMBOOT_DM_ABI_H
#define DMBOOT_DM_ABI_H

#include <stddef.h>
#include <stdint.h>

#define DM_NAME_LEN 128 /* 127 characters and the NUL */
#define DM_UUID_LEN 129 /* 128 characters and the NUL */
#define DM_MAX_TYPE_NAME 16
#define DM_IOCTL_TYPE 0xfd
#define DM_VERSION_MAJOR 4

struct dm_ioctl {
	uint32_t version[3];
	uint32_t data_size; /* whole buffer, header included */
	uint32_t data_start; /* payload offset from the header's start */
	uint32_t target_count;
	int32_t open_count;
	uint32_t flags;
	uint32_t event_nr;
	uint32_t padding;
	uint64_t dev;
	char name[DM_NAME_LEN];
	char uuid[DM_UUID_LEN];
	char data[7];
};

struct dm_target_spec {
	uint64_t sector_start;
	uint64_t length;
	int32_t status;
	uint32_t next; /* load: from this spec; status: from data_start */
	char target_type[DM_MAX_TYPE_NAME];
	/* NUL-terminated parameter string follows */
};

struct dm_target_deps {
	uint32_t count;
	uint32_t padding;
	uint64_t dev[];
};

struct dm_name_list {
	uint64_t dev;
	uint32_t next; /* from this entry; 0 ends the chain */
	char name[];
};

struct dm_target_versions {
	uint32_t next;
	uint32_t version[3];
	char name[];
};

struct dm_target_msg {
	uint64_t sector;
	char message[];
};

_Static_assert(sizeof(struct dm_ioctl) == 312, "dm_ioctl is 312 bytes");
_Static_assert(offsetof(struct dm_ioctl, data_size) == 12, "data_size");
_Static_assert(offsetof(struct dm_ioctl, flags) == 28, "flags");
_Static_assert(offsetof(struct dm_ioctl, dev) == 40, "dev");
_Static_assert(offsetof(struct dm_ioctl, name) == 48, "name");
_Static_assert(offsetof(struct dm_ioctl, uuid) == 176, "uuid");
_Static_assert(offsetof(struct dm_ioctl, data) == 305, "data");
_Static_assert(sizeof(struct dm_target_spec) == 40, "dm_target_spec");
_Static_assert(offsetof(struct dm_target_spec, next) == 20, "spec next");
_Static_assert(sizeof(struct dm_target_deps) == 8, "dm_target_deps");
_Static_assert(offsetof(struct dm_name_list, name) == 12, "name_list name");
_Static_assert(offsetof(struct dm_target_versions, name) == 16, "versions");
_Static_assert(sizeof(struct dm_target_msg) == 8, "dm_target_msg");

/* The kernel rejects anything shorter than the header up to data[]. */
#define DM_MIN_DATA_SIZE offsetof(struct dm_ioctl, data)
/* Where our payloads start: the header rounded to 8 (312 already is). */
#define DM_PAYLOAD_START ((sizeof(struct dm_ioctl) + 7) & ~(size_t)7)

/* _IOWR(0xfd, nr, struct dm_ioctl) spelled out. Read|write lands on the top
 * two bits everywhere: 3 << 30 where _IOC_READ is 2, and (2|4) << 29 on
 * mips, powerpc and sparc, so the request is 0xc138fd00 + nr on all. */
#define DM_REQUEST(nr)                                                         \
	((unsigned long)(0xc0000000u |                                         \
			 ((uint32_t)sizeof(struct dm_ioctl) << 16) |           \
			 (DM_IOCTL_TYPE << 8) | (uint32_t)(nr)))
_Static_assert(DM_REQUEST(0) == 0xc138fd00u, "request number");

/* Flag bits (dm_ioctl.flags). */
#define DM_READONLY_FLAG (1u << 0)
#define DM_SUSPEND_FLAG (1u << 1)
#define DM_PERSISTENT_DEV_FLAG (1u << 3)
#define DM_STATUS_TABLE_FLAG (1u << 4)
#define DM_ACTIVE_PRESENT_FLAG (1u << 5)
#define DM_INACTIVE_PRESENT_FLAG (1u << 6)
#define DM_BUFFER_FULL_FLAG (1u << 8)
#define DM_SKIP_BDGET_FLAG (1u << 9)
#define DM_SKIP_LOCKFS_FLAG (1u << 10)
#define DM_NOFLUSH_FLAG (1u << 11)
#define DM_QUERY_INACTIVE_TABLE_FLAG (1u << 12)
#define DM_UEVENT_GENERATED_FLAG (1u << 13)
#define DM_UUID_FLAG (1u << 14)
#define DM_SECURE_DATA_FLAG (1u << 15)
#define DM_DATA_OUT_FLAG (1u << 16)
#define DM_DEFERRED_REMOVE_FLAG (1u << 17)
#define DM_INTERNAL_SUSPEND_FLAG (1u << 18)

/* The kernel's dev_t encoding in dm_ioctl.dev and dm_target_deps
 * (huge_encode_dev = new_encode_dev): 12-bit major, 20-bit minor. */
static inline uint64_t dm_dev_encode(uint32_t major, uint32_t minor)
{
	return (minor & 0xffu) | ((uint64_t)(major & 0xfffu) << 8) |
	       ((uint64_t)(minor & ~0xffu) << 12);
}
static inline uint32_t dm_dev_major(uint64_t dev)
{
	return (uint32_t)((dev & 0xfff00u) >> 8);
}
static inline uint32_t dm_dev_minor(uint64_t dev)
{
	return (uint32_t)((dev & 0xffu) | ((dev >> 12) & 0xfff00u));
}

#endif
