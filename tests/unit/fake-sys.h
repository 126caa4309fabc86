/* SPDX-License-Identifier: MIT */
/* The kernel's keyring, block device numbers and AF_ALG hashes, faked
 * with the linker's --wrap at dmboot's own helpers (keyring_add,
 * keyring_unlink, blkdev_devno, kc_hash_*; see run.sh): keys are recorded
 * with their payload, registered paths are block devices whatever they are
 * on disk, and sha1/sha256/sha512 give a cheap stand-in digest of the
 * right size (the build machines have no AF_ALG). Loop devices answer
 * blkdev_ioctl on nodes under the fake /dev (fake-host sends /dev/loop*
 * there always, so no test reaches the machine's). */
#ifndef FAKE_SYS_H
#define FAKE_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define FSYS_LOOPS 12
#define FSYS_LO_AUTOCLEAR 4

struct fsys_key {
	char type[16];
	char desc[256];
	unsigned char payload[1024];
	size_t len;
	int32_t keyring, serial;
	int linked; /* not yet unlinked */
};

/* A range that mlock or madvise(MADV_DONTDUMP) was given (secret.c). */
struct fsys_secret {
	const char *p;
	size_t len;
	int locked, dontdump;
};

/* AF_ALG sockets (kcapi.c's skcipher), which the build machine's kernel
 * may lack: with fsys.alg set, socket, bind, setsockopt, accept, sendmsg
 * and recv go to its hooks, which pass the calls they do not own on to
 * libc (__real_*). Unset, libc gets them all. */
struct fsys_alg {
	int (*socket)(int domain, int type, int proto);
	int (*bind)(int fd, const struct sockaddr *sa, socklen_t len);
	int (*setsockopt)(int fd, int level, int name, const void *val,
			  socklen_t len);
	int (*accept)(int fd, struct sockaddr *sa, socklen_t *len);
	ssize_t (*sendmsg)(int fd, const struct msghdr *msg, int flags);
	ssize_t (*recv)(int fd, void *buf, size_t len, int flags);
};

struct fsys {
	const struct fsys_alg *alg;
	/* Secret memory: the ranges guarded and not yet unlocked; prctl
	 * PR_SET_DUMPABLE 0 calls; keys read or added to the keyring into
	 * memory that was not guarded at that moment; ranges unlocked
	 * while they still held something (not wiped first). */
	struct fsys_secret secrets[16];
	int nsecrets;
	int mlocks, munlocks, undumpable, dumpable_calls;
	int mlock_err; /* mlock fails with this errno */
	int key_unguarded, payload_unguarded, unlocked_dirty;
	int ioctl_unguarded; /* DM_SECURE_DATA_FLAG in unguarded memory */
	int in_keyfile; /* inside keyfile_read: read() must be guarded */
	struct fsys_key keys[8];
	int nkeys;
	int adds, unlinks;
	int add_err; /* keyring_add fails with -add_err */
	struct {
		char path[512];
		uint32_t major, minor;
	} devs[4];
	int ndevs;
	int hash_opens, hash_closes;
	/* /dev/loop-control and /dev/loopN: what LOOP_SET_FD bound (the
	 * backing file's path, writable if both fds were O_RDWR; bound 2:
	 * "another process" took it), LOOP_SET_STATUS64's flags and name. */
	struct fsys_loop {
		int bound, writable;
		uint32_t flags, block_size; /* 0: never set (512) */
		char name[64], file[512];
	} loops[FSYS_LOOPS];
	int loop_busy; /* this many LOOP_SET_FDs (or CONFIGUREs) find the
			* device taken */
	int loop_status_err; /* LOOP_SET_STATUS64 (or CONFIGURE) fails */
	int loop_clears; /* LOOP_CLR_FD calls */
	int loop_configure; /* LOOP_CONFIGURE known (Linux 5.8); 0: EINVAL */
	int loop_configures; /* LOOP_CONFIGUREs that bound a device */
	int loop_no_block_size; /* LOOP_SET_BLOCK_SIZE unknown (before 4.14) */
	int loop_ioctls; /* on /dev/loop-control or a loop device, any */
};
extern struct fsys fsys;

void fsys_reset(void);
/* path (a regular file, for its size) reads as block device major:minor. */
void fsys_blkdev(const char *path, uint32_t major, uint32_t minor);
/* Keys added and not unlinked since the reset. */
int fsys_linked(void);
/* Makes the fake /dev/loop-control and /dev/loop0.. (loop devices 7:N). */
void fsys_loop_nodes(void);
/* Open fds on fake loop nodes: after a command, there should be none. */
int fsys_loop_fds(void);
/* Is [p, p + len) inside a range both locked and left out of dumps? */
int fsys_guarded(const void *p, size_t len);
/* Guarded ranges still locked: after a command, there should be none. */
int fsys_locked(void);

#endif
