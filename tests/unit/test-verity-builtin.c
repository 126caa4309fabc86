/* SPDX-License-Identifier: MIT */
/* VERITY_HASH_BUILTIN (run.sh builds this file with it on): the root-hash
 * check and verify hash with dmboot's own SHA-256, never the kernel's
 * (no AF_ALG socket is opened), on a tree veritysetup 2.6.1 made:
 *   veritysetup format --no-superblock --salt 000102...1f data hash
 * over two 4 KiB data blocks of 0x01 and 0x02 bytes. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fake-sys.h"
#include "verity-tree.h"
#include "verity.h"

#define BLOCK 4096
/* veritysetup's digests of the two data blocks, and its root hash. */
static const uint8_t digests[64] = {
	0x34, 0x5c, 0x7d, 0x58, 0x33, 0xa1, 0xab, 0xdf, 0x7a, 0xca, 0x1d,
	0x23, 0x30, 0xbd, 0xb6, 0xfb, 0x35, 0xf7, 0xfb, 0xec, 0x4f, 0x41,
	0x54, 0x15, 0x94, 0x60, 0xc8, 0x39, 0x79, 0xf2, 0x97, 0xf6, 0x9b,
	0xac, 0x78, 0xd2, 0x2a, 0xd5, 0x08, 0x73, 0x7c, 0xf0, 0x95, 0xa9,
	0x06, 0x11, 0x8f, 0xb4, 0xf0, 0xcb, 0x8d, 0x5b, 0x28, 0xee, 0x08,
	0x61, 0x82, 0x6e, 0x28, 0xd9, 0xfc, 0xfc, 0x92, 0xcd,
};
static const uint8_t root[32] = {
	0x09, 0xae, 0xb2, 0x51, 0x8f, 0x36, 0x2e, 0x8c, 0xb2, 0xef, 0x7c,
	0xe7, 0x22, 0xb2, 0x40, 0x64, 0x97, 0x7a, 0xc0, 0x42, 0xda, 0xf7,
	0x88, 0xae, 0xf3, 0x64, 0x0b, 0x02, 0xef, 0x02, 0x2d, 0x69,
};

static int data_fd = -1, hash_fd = -1;

static int tmp_file(const char *name, const uint8_t *p, size_t n)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", host.root, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		abort();
	return fd;
}

static int tree_setup(void **state)
{
	static uint8_t data[2 * BLOCK], hash[BLOCK];

	setup(state);
	fsys_reset();
	memset(data, 1, BLOCK);
	memset(data + BLOCK, 2, BLOCK);
	memset(hash, 0, sizeof(hash));
	memcpy(hash, digests, sizeof(digests));
	data_fd = tmp_file("data", data, sizeof(data));
	hash_fd = tmp_file("hash", hash, sizeof(hash));
	return 0;
}

static int tree_teardown(void **state)
{
	close(data_fd);
	close(hash_fd);
	fsys_reset();
	return teardown(state);
}

static void params(struct verity_params *p)
{
	memset(p, 0, sizeof(*p));
	p->hash_type = 1;
	strcpy(p->hash_name, "sha256");
	p->data_block_size = p->hash_block_size = BLOCK;
	p->data_blocks = 2;
	p->salt_size = 32;
	for (int i = 0; i < 32; i++)
		p->salt[i] = (uint8_t)i;
	p->digest_size = 32;
	memcpy(p->root, root, sizeof(root));
}

static void test_builtin_on(void **state)
{
	(void)state;
	assert_int_equal(CFG_VERITY_HASH_BUILTIN, 1);
	assert_int_equal(CFG_VERITY_HASH_KERNEL, 0);
}

static void test_root_check(void **state)
{
	struct verity_params p;

	(void)state;
	params(&p);
	assert_int_equal(verity_check_root(data_fd, hash_fd, &p), 0);
	p.root[31] ^= 1;
	assert_int_equal(verity_check_root(data_fd, hash_fd, &p),
			 -VT_ROOT_MISMATCH);
	p.root[31] ^= 1;
	p.salt[0] ^= 1;
	assert_int_equal(verity_check_root(data_fd, hash_fd, &p),
			 -VT_ROOT_MISMATCH);
	assert_int_equal(fsys.hash_opens, 0);
}

static void test_verify_all(void **state)
{
	struct verity_params p;
	struct verity_bad bad;
	uint8_t b = 0x7f;

	(void)state;
	params(&p);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(verity_verify_all(data_fd, hash_fd, &p, &bad, NULL),
			 0);
	/* A changed byte in data block 1: named, the root still good. */
	assert_int_equal(pwrite(data_fd, &b, 1, BLOCK + 100), 1);
	assert_int_equal(verity_check_root(data_fd, hash_fd, &p), 0);
	assert_int_equal(verity_verify_all(data_fd, hash_fd, &p, &bad, NULL),
			 -VT_BLOCK_MISMATCH);
	assert_int_equal(bad.data, 1);
	assert_int_equal(bad.block, 1);
	assert_int_equal(fsys.hash_opens, 0);
}

/* A hash the kernel may have but this build does not: refused like a
 * kernel without it (-ENOENT), before anything is hashed. */
static void test_hash_not_built(void **state)
{
	struct verity_params p;
	struct verity_bad bad;

	(void)state;
	params(&p);
	strcpy(p.hash_name, "sha384");
	p.digest_size = 48;
	assert_int_equal(verity_check_root(data_fd, hash_fd, &p), -ENOENT);
	assert_int_equal(verity_verify_all(data_fd, hash_fd, &p, &bad, NULL),
			 -ENOENT);
	assert_int_equal(fsys.hash_opens, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tree_setup, tree_teardown)
	const struct CMUnitTest tests[] = {
		T(test_builtin_on),
		T(test_root_check),
		T(test_verify_all),
		T(test_hash_not_built),
	};

	return cmocka_run_group_tests_name(
		"verity-builtin: the tree hashed with dmboot's SHA-256", tests,
		NULL, NULL);
}
