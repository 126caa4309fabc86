/* SPDX-License-Identifier: MIT */
#include "verity-tree.h"

#include <errno.h>
#include <string.h>

#include "blkdev.h"
#include "config.h"
#include "hash.h"
#include "kcapi.h"
#include "util.h"

/* The hash: the kernel's through AF_ALG, or with VERITY_HASH_BUILTIN
 * dmboot's own (hash.h), which needs no AF_ALG in the kernel. */
struct tree_hash {
	struct kc_hash kc;
	const struct hash_alg *alg;
};

/* 0, or -ENOENT for a hash this build or the kernel lacks, or -errno. */
static int tree_hash_open(struct tree_hash *h, const char *name)
{
	if (CFG_VERITY_HASH_BUILTIN)
		return (h->alg = hash_by_name(name)) ? 0 : -ENOENT;
	return kc_hash_open(&h->kc, name);
}

static void tree_hash_close(struct tree_hash *h)
{
	if (!CFG_VERITY_HASH_BUILTIN)
		kc_hash_close(&h->kc);
}

/* Digest of a || b into out (VERITY_MAX_DIGEST bytes): its size or
 * -errno. */
static int tree_hash2(struct tree_hash *h, const void *a, size_t alen,
		      const void *b, size_t blen, uint8_t *out)
{
	struct hash_ctx c;

	if (!CFG_VERITY_HASH_BUILTIN)
		return kc_hash2(&h->kc, a, alen, b, blen, out,
				VERITY_MAX_DIGEST);
	hash_init(&c, h->alg);
	hash_update(&c, a, alen);
	hash_update(&c, b, blen);
	hash_final(&c, out);
	return h->alg->digest_size;
}

/* The kernel's verity_hash(): salt first in format 1, last in Chrome OS's
 * format 0. */
static int hash_block(struct tree_hash *h, const struct verity_params *p,
		      const void *block, size_t len, uint8_t *out)
{
	int r = p->hash_type
			? tree_hash2(h, p->salt, p->salt_size, block, len, out)
			: tree_hash2(h, block, len, p->salt, p->salt_size, out);

	if (r >= 0 && (uint32_t)r != p->digest_size)
		return -VT_HASH_SIZE;
	return r < 0 ? r : 0;
}

struct tree_ctx {
	struct tree_hash h;
	struct verity_tree t;
	uint8_t *blk, *parent;
	size_t size; /* of each buffer */
	uint64_t parent_no;
	struct verity_bad *bad; /* verify only: check the padding */
};

static int ctx_open(struct tree_ctx *c, const struct verity_params *p)
{
	int r;

	c->blk = c->parent = NULL;
	c->bad = NULL;
	c->h.kc.tfm = c->h.kc.op = -1;
	if ((r = verity_tree_layout(p, &c->t)))
		return r;
	c->size = p->data_block_size > p->hash_block_size ? p->data_block_size
							  : p->hash_block_size;
	c->parent_no = UINT64_MAX;
	c->blk = mem_alloc(2 * c->size);
	if (!c->blk)
		return -ENOMEM;
	c->parent = c->blk + c->size;
	return tree_hash_open(&c->h, p->hash_name);
}

static void ctx_close(struct tree_ctx *c)
{
	tree_hash_close(&c->h);
	mem_free(c->blk, 2 * c->size);
}

/* veritysetup's verify: hash block j of `level`, in c->blk, is zero but
 * for its digests, each in a power-of-two slot in format 1, packed in
 * Chrome OS's format 0. Checked before the block is hashed, so that a
 * dirty block is named as such even when the tree above was hashed over
 * it. The kernel never looks. */
static int check_padding(struct tree_ctx *c, const struct verity_params *p,
			 unsigned level, uint64_t j)
{
	unsigned bits = c->t.per_block_bits;
	uint32_t slot = p->hash_type ? p->hash_block_size >> bits
				     : p->digest_size,
		 i;
	/* Its digests: those of the blocks of the level below (or of the
	 * data blocks) not in the level's blocks before it. */
	uint64_t n = ((p->data_blocks - 1) >> (level * bits)) + 1 - (j << bits);

	if (n >> bits)
		n = (uint64_t)1 << bits;
	for (i = 0; i < p->hash_block_size; i++) {
		if (c->blk[i] &&
		    (i % slot >= p->digest_size || i / slot >= n)) {
			c->bad->data = 0;
			c->bad->level = level;
			c->bad->block = c->t.level_block[level] + j;
			c->bad->offset = i;
			return -VT_PADDING;
		}
	}
	return 0;
}

/* The tree's top level is one block, the first of the hash area, and the
 * root is its digest; with a single data block there is no tree and the
 * root is that block's digest. Reads it into buf: its length, or -errno. */
static int read_top(int data_fd, int hash_fd, const struct verity_params *p,
		    uint8_t *buf)
{
	size_t len =
		p->data_blocks > 1 ? p->hash_block_size : p->data_block_size;
	int r = p->data_blocks > 1 ? blkdev_read(hash_fd, buf, len,
						 verity_hash_start(p) * len)
				   : blkdev_read(data_fd, buf, len, 0);

	return r ? r : (int)len;
}

static int check_top(struct tree_hash *h, const struct verity_params *p,
		     const uint8_t *buf, size_t len)
{
	uint8_t d[VERITY_MAX_DIGEST];
	int r = hash_block(h, p, buf, len, d);

	if (!r && memcmp(d, p->root, p->digest_size))
		r = -VT_ROOT_MISMATCH;
	return r;
}

/* verify's: the top block's padding too. */
static int check_root(struct tree_ctx *c, int data_fd, int hash_fd,
		      const struct verity_params *p)
{
	int r = read_top(data_fd, hash_fd, p, c->blk), e;

	if (r >= 0 && c->t.levels &&
	    (e = check_padding(c, p, c->t.levels - 1, 0)))
		return e;
	return r < 0 ? r : check_top(&c->h, p, c->blk, (size_t)r);
}

/* Only the top block: no layout of the levels below. */
int verity_check_root(int data_fd, int hash_fd, const struct verity_params *p)
{
	size_t size = p->data_block_size > p->hash_block_size
			      ? p->data_block_size
			      : p->hash_block_size;
	uint8_t *buf = mem_alloc(size);
	struct tree_hash h;
	int r;

	if (!buf)
		return -ENOMEM;
	r = read_top(data_fd, hash_fd, p, buf);
	if (r >= 0) {
		size_t len = (size_t)r;

		if (!(r = tree_hash_open(&h, p->hash_name)))
			r = check_top(&h, p, buf, len);
		tree_hash_close(&h);
	}
	mem_free(buf, size);
	return r;
}

/* Block `index` of the level below `level` (data when level is 0), read
 * into c->blk, against its digest in `level`. */
static int check_one(struct tree_ctx *c, int fd, int hash_fd,
		     const struct verity_params *p, unsigned level,
		     uint64_t index, uint64_t off, size_t len)
{
	uint8_t d[VERITY_MAX_DIGEST];
	uint64_t pb;
	uint32_t po;
	int r;

	if ((r = blkdev_read(fd, c->blk, len, off)) ||
	    (level && (r = check_padding(c, p, level - 1, index))) ||
	    (r = hash_block(&c->h, p, c->blk, len, d)))
		return r;
	verity_digest_pos(p, &c->t, level, index, &pb, &po);
	if (pb != c->parent_no) {
		c->parent_no = UINT64_MAX;
		r = blkdev_read(hash_fd, c->parent, p->hash_block_size,
				pb * p->hash_block_size);
		if (r)
			return r;
		c->parent_no = pb;
	}
	return memcmp(d, c->parent + po, p->digest_size) ? -VT_BLOCK_MISMATCH
							 : 0;
}

int verity_verify_all(int data_fd, int hash_fd, const struct verity_params *p,
		      struct verity_bad *bad, verity_progress_fn *progress)
{
	struct tree_ctx c;
	uint64_t i, n, done = 0, total;
	unsigned l;
	int r = ctx_open(&c, p), root = 0;

	c.bad = bad;
	/* A root that does not match goes on: a damaged block below is
	 * what veritysetup reports first (exit 2), the root only for a tree
	 * that holds together (exit 1). */
	if (!r &&
	    (r = check_root(&c, data_fd, hash_fd, p)) == -VT_ROOT_MISMATCH) {
		root = r;
		r = 0;
	}
	if (r)
		goto out;
	total = c.t.end - c.t.start + p->data_blocks;
	for (l = c.t.levels; l-- > 1;) {
		/* Blocks of level l - 1, against their digests in level l. */
		n = (l - 1 ? c.t.level_block[l - 2] : c.t.end) -
		    c.t.level_block[l - 1];
		for (i = 0; i < n; i++) {
			uint64_t b = c.t.level_block[l - 1] + i;

			r = check_one(&c, hash_fd, hash_fd, p, l, i,
				      b * p->hash_block_size,
				      p->hash_block_size);
			if (r == -VT_BLOCK_MISMATCH) {
				bad->data = 0;
				bad->level = l - 1;
				bad->block = b;
			}
			if (r)
				goto out;
			if (progress && !(++done & 255))
				progress(done, total);
		}
	}
	for (i = 0; c.t.levels && i < p->data_blocks; i++) {
		r = check_one(&c, data_fd, hash_fd, p, 0, i,
			      i * p->data_block_size, p->data_block_size);
		if (r == -VT_BLOCK_MISMATCH) {
			bad->data = 1;
			bad->level = 0;
			bad->block = i;
		}
		if (r)
			goto out;
		if (progress && !(++done & 255))
			progress(done, total);
	}
	if (progress)
		progress(total, total);
	r = root;
out:
	ctx_close(&c);
	return r;
}
