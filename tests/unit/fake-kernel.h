/* SPDX-License-Identifier: MIT */
/* A fake device-mapper for the unit tests: dm_sys_open() and
 * dm_sys_ioctl() answer from a small in-memory model of devices, the way
 * drivers/md/dm-ioctl.c does (check_version, copy_params, validate_params,
 * the command, copy back), and record every request byte for byte.
 *
 * Command numbers here are the kernel's, written independently of
 * src/dm-cmds.h so that the tests check that table rather than trust it. */
#ifndef FAKE_KERNEL_H
#define FAKE_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "dm-abi.h"

enum fk_nr {
	FK_VERSION,
	FK_REMOVE_ALL,
	FK_LIST_DEVICES,
	FK_DEV_CREATE,
	FK_DEV_REMOVE,
	FK_DEV_RENAME,
	FK_DEV_SUSPEND,
	FK_DEV_STATUS,
	FK_DEV_WAIT,
	FK_TABLE_LOAD,
	FK_TABLE_CLEAR,
	FK_TABLE_DEPS,
	FK_TABLE_STATUS,
	FK_LIST_VERSIONS,
	FK_TARGET_MSG,
	FK_DEV_SET_GEOMETRY,
	FK_DEV_ARM_POLL,
	FK_GET_TARGET_VERSION,
	FK_NR_COUNT
};

/* The minor version in which the kernel gained each command. */
extern const uint32_t fk_min_minor[FK_NR_COUNT];
extern const char *const fk_nr_name[FK_NR_COUNT];

struct fk_target {
	uint64_t start, length;
	char type[DM_MAX_TYPE_NAME];
	char *params; /* table line parameters */
	char *status; /* what status reports (NULL: "") */
};

struct fk_table {
	struct fk_target *t;
	uint32_t n, cap;
	int present;
	int readonly;
};

struct fk_dev {
	char name[DM_NAME_LEN];
	char uuid[DM_UUID_LEN];
	uint32_t major, minor;
	int suspended;
	int deferred;
	int32_t open_count;
	uint32_t event_nr;
	struct fk_table live, inactive;
	uint64_t deps[16];
	uint32_t ndeps;
	const char *msg_reply; /* TARGET_MSG answers this with DATA_OUT */
	uint64_t msg_sector; /* the last message received */
	char msg[256];
	char geometry[128];
	uint32_t wait_event; /* event_nr of the last DEV_WAIT */
};

/* One request as dmboot sent it: the whole buffer as it was before the
 * fake touched it (up to fk.record_max bytes), and what came back. */
struct fk_rec {
	unsigned long request;
	unsigned nr;
	int fd;
	struct dm_ioctl hdr; /* as sent */
	unsigned char *buf; /* as sent, len bytes */
	size_t len;
	int ret; /* 0 or -errno returned */
	struct dm_ioctl reply_hdr; /* the header dmboot saw afterwards */
};

/* Hooks. pre runs before the model and returns FK_PASS to let the model
 * answer, or the ioctl's return (0 or -errno) having written its own reply
 * into io. post runs after the model on the kernel's copy k (whose
 * buffer is size bytes) and returns the final 0 or -errno. */
#define FK_PASS 1
typedef int fk_pre_hook(unsigned nr, struct dm_ioctl *io);
typedef int fk_post_hook(unsigned nr, struct dm_ioctl *k, size_t size, int r);

struct fk_version_item {
	char name[DM_MAX_TYPE_NAME];
	uint32_t v[3];
};

struct fk {
	uint32_t kver[3];
	int open_err; /* dm_sys_open fails with -open_err */
	int opens; /* successful dm_sys_open calls */
	int fd; /* the fd handed out (an open /dev/null) */
	int fail_err[FK_NR_COUNT]; /* errno to fail with, */
	int fail_skip[FK_NR_COUNT]; /* after this many successes, */
	int fail_times[FK_NR_COUNT]; /* this many times (-1: always) */
	size_t full_below[FK_NR_COUNT]; /* BUFFER_FULL while data_size < */
	size_t record_max;
	int no_garbage; /* leave bytes past a reply's data_size alone */
	int no_version_check; /* accept any 4.x: unknown commands get ENOTTY */
	fk_pre_hook *pre;
	fk_post_hook *post;
	struct fk_dev *devs;
	size_t ndevs, devs_cap;
	uint32_t next_minor;
	struct fk_version_item targets[16];
	size_t ntargets;
	struct fk_rec *recs;
	size_t nrecs, recs_cap;
	int secure_clears; /* buffers cleared under DM_SECURE_DATA_FLAG */
};
extern struct fk fk;

/* Empties the log and the model; kernel 4.47.0 with the usual targets. */
void fk_reset(void);
void fk_free(void);
void fk_set_version(uint32_t major, uint32_t minor, uint32_t patch);
void fk_fail(unsigned nr, int err, int skip, int times);

struct fk_dev *fk_add_dev(const char *name, const char *uuid);
struct fk_dev *fk_find(const char *name);
/* "start length type params" lines into the live (or inactive) table. */
void fk_set_table(struct fk_dev *d, int live, const char *text);
void fk_add_target(struct fk_dev *d, int live, uint64_t start, uint64_t length,
		   const char *type, const char *params, const char *status);

/* The log. */
size_t fk_count(void);
const struct fk_rec *fk_rec(size_t i);
size_t fk_count_nr(unsigned nr);
const struct fk_rec *fk_find_nr(unsigned nr, size_t nth);
/* Payload bytes of a record, from data_start. */
const unsigned char *fk_payload(const struct fk_rec *r);
/* Does any recorded buffer or a given memory area hold these bytes? */
int fk_mem_has(const void *hay, size_t len, const char *needle);

/* The kernel's dev_t encoding (huge_encode_dev), for test expectations. */
uint64_t fk_encode_dev(uint32_t major, uint32_t minor);

#endif
