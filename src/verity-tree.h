/* SPDX-License-Identifier: MIT */
/* Checking a verity hash tree from user space, with the kernel's hashes
 * (AF_ALG): the root block before activation, or everything offline. */
#ifndef DMBOOT_VERITY_TREE_H
#define DMBOOT_VERITY_TREE_H

#include "verity.h"

/* Beyond errno, negated. */
enum {
	VT_ROOT_MISMATCH = 4200, /* the top block does not hash to the root */
	VT_BLOCK_MISMATCH, /* a block does not match its digest: *bad */
	VT_HASH_SIZE, /* the kernel's digest has another size */
	VT_PADDING, /* a hash block is not zero off its digests: *bad */
};

struct verity_bad {
	int data; /* 1: data block, 0: hash block */
	unsigned level; /* a hash block's level (0: holds data digests) */
	uint64_t block; /* data block, or hash device block */
	uint32_t offset; /* VT_PADDING: the first non-zero byte's, in block */
};

/* Hashes the top hash block (or, for a one-block device, the data block)
 * and compares with p->root. 0, -VT_*, or -errno. */
int verity_check_root(int data_fd, int hash_fd, const struct verity_params *p);

typedef void verity_progress_fn(uint64_t done, uint64_t total);
/* The root, then every hash block, then every data block; each hash
 * block's zero padding is checked before it is hashed, as veritysetup's
 * verify does (the kernel does not). A damaged block comes before a root
 * that does not match, as veritysetup ranks them: -VT_ROOT_MISMATCH only
 * for a tree whose blocks all match their digests. *bad is written only
 * for -VT_BLOCK_MISMATCH and -VT_PADDING. */
int verity_verify_all(int data_fd, int hash_fd, const struct verity_params *p,
		      struct verity_bad *bad, verity_progress_fn *progress);

#endif
