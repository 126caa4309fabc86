/* SPDX-License-Identifier: MIT */
/* The one list of device-mapper control commands dmboot can send.
 *
 * X(ID, NR, MINOR, PATCH, CFG): request number, the interface version
 * (4.MINOR.PATCH) in which the command first appeared, and the Kconfig
 * symbol that compiles it in. Every request carries exactly this minimum,
 * so a kernel never refuses a command it actually has. A command missing
 * here has no enum value and so cannot be sent. */
#ifndef DMBOOT_DM_CMDS_H
#define DMBOOT_DM_CMDS_H

#include "config.h"

#define DM_COMMANDS(X)                                                         \
	X(VERSION, 0, 0, 0, CFG_DM_IOCTL_VERSION)                              \
	X(REMOVE_ALL, 1, 0, 0, CFG_DM_IOCTL_REMOVE_ALL)                        \
	X(LIST_DEVICES, 2, 0, 0, CFG_DM_IOCTL_LIST_DEVICES)                    \
	X(DEV_CREATE, 3, 0, 0, CFG_DM_IOCTL_DEV_CREATE)                        \
	X(DEV_REMOVE, 4, 0, 0, CFG_DM_IOCTL_DEV_REMOVE)                        \
	X(DEV_RENAME, 5, 0, 0, CFG_DM_IOCTL_DEV_RENAME)                        \
	X(DEV_SUSPEND, 6, 0, 0, CFG_DM_IOCTL_DEV_SUSPEND)                      \
	X(DEV_STATUS, 7, 0, 0, CFG_DM_IOCTL_DEV_STATUS)                        \
	X(DEV_WAIT, 8, 0, 0, CFG_DM_IOCTL_DEV_WAIT)                            \
	X(TABLE_LOAD, 9, 0, 0, CFG_DM_IOCTL_TABLE_LOAD)                        \
	X(TABLE_CLEAR, 10, 0, 0, CFG_DM_IOCTL_TABLE_CLEAR)                     \
	X(TABLE_DEPS, 11, 0, 0, CFG_DM_IOCTL_TABLE_DEPS)                       \
	X(TABLE_STATUS, 12, 0, 0, CFG_DM_IOCTL_TABLE_STATUS)                   \
	X(LIST_VERSIONS, 13, 1, 0, CFG_DM_IOCTL_LIST_VERSIONS)                 \
	X(TARGET_MSG, 14, 2, 0, CFG_DM_IOCTL_TARGET_MSG)                       \
	X(DEV_SET_GEOMETRY, 15, 6, 0, CFG_DM_IOCTL_DEV_SET_GEOMETRY)           \
	X(DEV_ARM_POLL, 16, 37, 0, CFG_DM_IOCTL_DEV_ARM_POLL)                  \
	X(GET_TARGET_VERSION, 17, 41, 0, CFG_DM_IOCTL_GET_TARGET_VERSION)

#define DM_CMD_ENUM(id, nr, minor, patch, cfg) DM_CMD_##id,
enum dm_cmd { DM_COMMANDS(DM_CMD_ENUM) DM_CMD_COUNT };
#undef DM_CMD_ENUM
/* Each command's minimum minor as a constant (DM_MINOR_GET_TARGET_VERSION),
 * for the few callers that choose a command by the kernel's version. */
#define DM_CMD_MINOR(id, nr, minor, patch, cfg) DM_MINOR_##id = minor,
enum { DM_COMMANDS(DM_CMD_MINOR) };
#undef DM_CMD_MINOR

/* Flags an older kernel would silently ignore, and the interface minor
 * from which each works. X(FLAG, CMD or DM_CMD_COUNT for any, MINOR,
 * POLICY, CFG): DM_FLAG_REFUSE fails the request when the kernel is older,
 * because dropping the flag would change what the request does;
 * DM_FLAG_DROP leaves the flag out, because it only adds a benefit
 * (wiping, extra output) that an old kernel cannot give anyway. CFG is
 * the Kconfig symbol that the features sending the flag select: a build
 * without it cannot send the flag at all. */
enum dm_flag_policy { DM_FLAG_REFUSE, DM_FLAG_DROP };

#define DM_GATED_FLAGS(X)                                                      \
	X(DM_NOFLUSH_FLAG, DM_CMD_COUNT, 12, DM_FLAG_REFUSE,                   \
	  CFG_DM_FLAG_NOFLUSH)                                                 \
	X(DM_QUERY_INACTIVE_TABLE_FLAG, DM_CMD_COUNT, 16, DM_FLAG_REFUSE,      \
	  CFG_DM_FLAG_QUERY_INACTIVE_TABLE)                                    \
	X(DM_UUID_FLAG, DM_CMD_DEV_RENAME, 19, DM_FLAG_REFUSE,                 \
	  CFG_DM_FLAG_UUID)                                                    \
	X(DM_UUID_FLAG, DM_CMD_LIST_DEVICES, 45, DM_FLAG_DROP,                 \
	  CFG_DM_FLAG_UUID)                                                    \
	X(DM_SECURE_DATA_FLAG, DM_CMD_COUNT, 20, DM_FLAG_DROP,                 \
	  CFG_DM_FLAG_SECURE_DATA)                                             \
	X(DM_DEFERRED_REMOVE_FLAG, DM_CMD_COUNT, 27, DM_FLAG_REFUSE,           \
	  CFG_DM_FLAG_DEFERRED_REMOVE)

#endif
