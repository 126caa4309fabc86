/* SPDX-License-Identifier: MIT */
/* The fake machine of tests/unit for harnesses that run whole commands:
 * a fake kernel holding a few devices, a fake /dev and /sys under a
 * temporary root (also the working directory), a fake keyring. */
#ifndef FUZZ_WORLD_H
#define FUZZ_WORLD_H

#include "fake-host.h"
#include "fake-kernel.h"
#include "fake-sys.h"

/* A fresh world: kernel 4.47.0 (or kver if not NULL) with devices. */
void world_reset(const uint32_t *kver);
/* Runs "dmboot ARGS..." (argc args) with stdin, stdout and stderr on
 * /dev/null; aborts if the run leaked or left unwiped a page buffer,
 * left a key linked or a loop device fd open, or (dry set: a dry run)
 * changed anything: a request other than a read, a loop ioctl, a key
 * added. Returns the exit code. */
int world_run(int argc, char **args, int dry);
void world_done(void);

/* blkdev_read's calls recorded while on is set (tests/fuzz/run.sh wraps
 * it for every harness; off, it only passes through): where and how
 * much, in order. More reads than fit abort. */
#define FUZZ_READS 64
struct fuzz_reads {
	int on, n;
	uint64_t off[FUZZ_READS], len[FUZZ_READS];
};
extern struct fuzz_reads fuzz_reads;

#endif
