/* SPDX-License-Identifier: MIT */
/* Image files through loop devices (LOOP_FILES): verity open and crypt
 * open bind each file to a free loop device (fake: fake-sys.c), name it
 * in the table, set autoclear and the file name, and close their fd
 * after the resume or on any failure, so that the kernel detaches the
 * loop device with the dm device or at once; a loop device whose set-up
 * failed half-way is cleared. Status names a loop device's file as
 * veritysetup and cryptsetup do, from sysfs. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake-sys.h"

#define ROOT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SALT "aabbccdd"
#define KEY64 "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"

static char data[512], hash[512], key[512], dir[512];

static void make_file(const char *path, off_t size, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, size) ||
	    (text && write(fd, text, strlen(text)) != (ssize_t)strlen(text)))
		abort();
	close(fd);
}

static int loop_setup(void **state)
{
	setup(state);
	fsys_reset();
	fsys_loop_nodes();
	/* Longer than lo_file_name's 64 bytes. */
	snprintf(data, sizeof(data), "%s/%s", host.root,
		 "data-image-with-a-name-long-enough-to-be-cut.img");
	snprintf(hash, sizeof(hash), "%s/hash.img", host.root);
	snprintf(key, sizeof(key), "%s/key", host.root);
	snprintf(dir, sizeof(dir), "%s/dev", host.root);
	make_file(data, 64 * 4096, NULL);
	make_file(hash, 4 * 4096, NULL);
	make_file(key, 0, KEY64);
	return 0;
}

static int loop_teardown(void **state)
{
	fsys_reset();
	return teardown(state);
}

/* The one TABLE_LOAD's first target params. */
static const char *loaded_params(uint32_t *flags)
{
	const struct fk_rec *r = fk_find_nr(FK_TABLE_LOAD, 0);

	assert_non_null(r);
	if (flags)
		*flags = r->hdr.flags;
	return (const char *)fk_payload(r) + 40;
}

/* A failed command: this exit code, one "dmboot: " line holding want. */
static void expect_fail(int rc, const char *want)
{
	if (R.rc != rc || R.out_len || err_lines() != 1 ||
	    strncmp(R.err, "dmboot: ", 8) || !strstr(R.err, want))
		fail_msg("want exit %d and one error line with \"%s\"; got "
			 "exit %d, stdout \"%s\", stderr \"%s\"",
			 rc, want, R.rc, R.out, R.err);
}

static void expect_in(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" not in \"%s\"", needle, hay);
}

/* Loop device n is bound to path with autoclear, named after it (cut to
 * 63 bytes), writable or not. */
static void expect_loop(int n, const char *path, int writable)
{
	const struct fsys_loop *lo = &fsys.loops[n];

	assert_int_equal(lo->bound, 1);
	assert_string_equal(lo->file, path);
	assert_int_equal(lo->flags, FSYS_LO_AUTOCLEAR);
	assert_int_equal(strncmp(lo->name, path, 63), 0);
	assert_int_equal(lo->name[63], 0);
	assert_int_equal(lo->writable, writable);
}

#define VERITY_ARGS(...)                                                       \
	"verity", "open", "--no-superblock", "--data-blocks", "8", "--salt",   \
		SALT, __VA_ARGS__

static void test_verity_files(void **state)
{
	uint32_t flags;
	const char *t;

	(void)state;
	RUN_OK(VERITY_ARGS("--no-root-hash-check", data, "v", hash, ROOT));
	t = loaded_params(&flags);
	assert_string_equal(t, "1 7:0 7:1 4096 4096 8 0 sha256 " ROOT " " SALT);
	assert_true(flags & DM_READONLY_FLAG);
	expect_loop(0, data, 0);
	expect_loop(1, hash, 0);
	assert_false(fsys.loops[2].bound);
	/* The table holds them now: ours are closed. */
	assert_int_equal(fsys_loop_fds(), 0);
	assert_int_equal(fsys.loop_clears, 0);
	assert_non_null(fk_find("v"));

	/* Hash after the data in one file, no superblock: a loop device
	 * each, as veritysetup does. */
	fk_reset();
	fsys_reset();
	RUN_OK(VERITY_ARGS("--no-root-hash-check", "--hash-offset", "32768",
			   data, "v", data, ROOT));
	t = loaded_params(NULL);
	expect_in(t, "1 7:0 7:1 4096 4096 8 8 sha256 ");
	expect_loop(0, data, 0);
	expect_loop(1, data, 0);
	assert_int_equal(fsys_loop_fds(), 0);
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* With a superblock, veritysetup opens DATA and HASH as one device when
 * they are the same path: one loop device. */
static void test_verity_superblock_one_file(void **state)
{
	unsigned char sb[512] = "verity";
	char other[600];
	int fd;

	(void)state;
	put_le(sb + 8, 1, 4);
	put_le(sb + 12, 1, 4);
	memcpy(sb + 32, "sha256", 6);
	put_le(sb + 64, 4096, 4);
	put_le(sb + 68, 4096, 4);
	put_le(sb + 72, 8, 8);
	put_le(sb + 80, 4, 2);
	memcpy(sb + 88, "\xaa\xbb\xcc\xdd", 4);
	fd = open(data, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, sb, sizeof(sb), 32768), sizeof(sb));
	close(fd);
	RUN_OK("verity", "open", "--no-root-hash-check", "--hash-offset",
	       "32768", data, "v", data, ROOT);
	assert_string_equal(loaded_params(NULL),
			    "1 7:0 7:0 4096 4096 8 9 sha256 " ROOT " " SALT);
	expect_loop(0, data, 0);
	assert_false(fsys.loops[1].bound);
	assert_int_equal(fsys_loop_fds(), 0);

	/* Another path to the same file: two, as veritysetup. */
	fk_reset();
	fsys_reset();
	snprintf(other, sizeof(other), "%s/../%s", dir, strrchr(data, '/') + 1);
	RUN_OK("verity", "open", "--no-root-hash-check", "--hash-offset",
	       "32768", data, "v", other, ROOT);
	expect_in(loaded_params(NULL), "1 7:0 7:1 4096 4096 8 9 ");
	assert_string_equal(fsys.loops[1].file, data);
	assert_int_equal(strncmp(fsys.loops[1].name, other, 63), 0);
}

/* FEC after the hash tree in the same file (Android's layout): its own
 * loop device, but the FEC area still ends where the hash device's
 * FEC starts, as for one block device. */
static void test_verity_fec_in_hash_file(void **state)
{
	const char *t;

	(void)state;
	RUN_OK(VERITY_ARGS("--no-root-hash-check", "--hash-offset", "32768",
			   "--fec-device", data, "--fec-offset", "36864", data,
			   "v", data, ROOT));
	t = loaded_params(NULL);
	expect_in(t, "1 7:0 7:1 4096 4096 8 8 sha256 ");
	expect_in(t, "use_fec_from_device 7:2 ");
	expect_in(t, "fec_start 9 fec_blocks 9");
	expect_loop(2, data, 0);
	assert_int_equal(fsys_loop_fds(), 0);

	/* A FEC file of its own: the area ends with the hash device. */
	fk_reset();
	fsys_reset();
	RUN_OK(VERITY_ARGS("--no-root-hash-check", "--fec-device", key, data,
			   "v", hash, ROOT));
	t = loaded_params(NULL);
	expect_in(t, "1 7:0 7:1 4096 4096 8 0 sha256 ");
	expect_in(t, "use_fec_from_device 7:2 ");
	expect_in(t, "fec_start 0 fec_blocks 12");
	expect_loop(2, key, 0);
}

static void test_verity_failures(void **state)
{
	(void)state;
	/* LOOP_SET_STATUS64 refused: the bound device is cleared. */
	fsys.loop_status_err = EINVAL;
	assert_int_equal(
		RUN(VERITY_ARGS("--no-root-hash-check", data, "v", hash, ROOT)),
		1);
	expect_one_error("Invalid argument");
	assert_false(fsys.loops[0].bound);
	assert_int_equal(fsys.loop_clears, 1);
	assert_int_equal(fsys_loop_fds(), 0);
	EXPECT_NO_REQUESTS();

	/* Others take the free device twice: the third one is ours. */
	fsys_reset();
	fsys.loop_busy = 2;
	RUN_OK(VERITY_ARGS("--no-root-hash-check", data, "v", hash, ROOT));
	expect_in(loaded_params(NULL), "1 7:2 7:3 ");
	expect_loop(2, data, 0);
	assert_int_equal(fsys_loop_fds(), 0);

	/* Always taken: dmboot gives up, busy (veritysetup's 5). */
	fk_reset();
	fsys_reset();
	fsys.loop_busy = FSYS_LOOPS;
	RUN(VERITY_ARGS("--no-root-hash-check", data, "v", hash, ROOT));
	expect_fail(5, "Device or resource busy");
	assert_true(fsys.loop_busy > 0);
	assert_int_equal(fsys_loop_fds(), 0);
	EXPECT_NO_REQUESTS();

	/* The root hash check fails after the loop devices exist: our fds
	 * go, and with autoclear the kernel detaches them. */
	fsys_reset();
	RUN(VERITY_ARGS(data, "v", hash, ROOT));
	expect_fail(1, "root hash does not match");
	assert_int_equal(fsys.loops[0].flags, FSYS_LO_AUTOCLEAR);
	assert_int_equal(fsys_loop_fds(), 0);
	EXPECT_NO_REQUESTS();

	/* The kernel refuses the table: the device goes, and our fds. */
	fsys_reset();
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, -1);
	assert_int_not_equal(
		RUN(VERITY_ARGS("--no-root-hash-check", data, "v", hash, ROOT)),
		0);
	assert_null(fk_find("v"));
	assert_int_equal(fsys_loop_fds(), 0);

	/* Neither a block device nor a regular file. */
	fk_reset();
	fsys_reset();
	RUN(VERITY_ARGS("--no-root-hash-check", dir, "v", hash, ROOT));
	expect_fail(4, "Block device required");
	assert_false(fsys.loops[0].bound);
	EXPECT_NO_REQUESTS();
}

/* Linux 5.8+: LOOP_CONFIGURE binds with autoclear in one step; a refusal
 * leaves nothing bound and nothing to clear. Busy devices are skipped as
 * with LOOP_SET_FD. */
static void test_loop_configure(void **state)
{
	(void)state;
	fsys.loop_configure = 1;
	RUN_OK(VERITY_ARGS("--no-root-hash-check", data, "v", hash, ROOT));
	expect_in(loaded_params(NULL), "1 7:0 7:1 ");
	expect_loop(0, data, 0);
	expect_loop(1, hash, 0);
	assert_int_equal(fsys.loop_configures, 2);
	assert_int_equal(fsys_loop_fds(), 0);

	fk_reset();
	fsys_reset();
	fsys.loop_configure = 1;
	fsys.loop_busy = 1;
	RUN_OK("crypt", "open", "--type", "plain", data, "c", "-d", key);
	expect_in(loaded_params(NULL), " 7:1 0");
	expect_loop(1, data, 1);
	assert_int_equal(fsys.loop_configures, 1);
	assert_int_equal(fsys_loop_fds(), 0);

	fk_reset();
	fsys_reset();
	fsys.loop_configure = 1;
	fsys.loop_status_err = EPERM;
	RUN("crypt", "open", "--type", "plain", data, "c", "-d", key);
	expect_fail(2, "Operation not permitted");
	assert_false(fsys.loops[0].bound);
	assert_int_equal(fsys.loop_clears, 0);
	assert_int_equal(fsys_loop_fds(), 0);
	assert_int_equal(fsys_linked(), 0);
	EXPECT_NO_REQUESTS();
}

/* Logical blocks as cryptsetup and veritysetup set them: the sector size,
 * the data and the hash block size; LOOP_SET_BLOCK_SIZE where there is no
 * LOOP_CONFIGURE, and a kernel without either keeps 512. */
static void test_loop_block_size(void **state)
{
	(void)state;
	RUN_OK("crypt", "open", "--type", "plain", data, "c", "-d", key,
	       "--sector-size", "4096");
	expect_in(loaded_params(NULL), " sector_size:4096");
	expect_loop(0, data, 1);
	assert_int_equal(fsys.loops[0].block_size, 4096);

	fk_reset();
	fsys_reset();
	RUN_OK("crypt", "open", "--type", "plain", data, "c", "-d", key);
	assert_int_equal(fsys.loops[0].block_size, 0); /* 512: left alone */

	fk_reset();
	fsys_reset();
	fsys.loop_configure = 1;
	RUN_OK(VERITY_ARGS("--no-root-hash-check", "--data-block-size", "1024",
			   data, "v", hash, ROOT));
	assert_int_equal(fsys.loop_configures, 2);
	assert_int_equal(fsys.loops[0].block_size, 1024);
	assert_int_equal(fsys.loops[1].block_size, 4096);

	fk_reset();
	fsys_reset();
	fsys.loop_no_block_size = 1;
	RUN_OK("crypt", "open", "--type", "plain", data, "c", "-d", key,
	       "--sector-size", "4096");
	expect_loop(0, data, 1);
	assert_int_equal(fsys.loops[0].block_size, 0);
	assert_int_equal(fsys_loop_fds(), 0);
}

static void test_no_loop_driver(void **state)
{
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/dev/loop-control", host.root);
	unlink(path);
	RUN(VERITY_ARGS("--no-root-hash-check", data, "v", hash, ROOT));
	expect_fail(4, "No such device");
	EXPECT_NO_REQUESTS();
	RUN("crypt", "open", "--type", "plain", data, "c", "-d", key);
	expect_fail(4, "No such device");
}

static void test_crypt_file(void **state)
{
	uint32_t flags;

	(void)state;
	RUN_OK("crypt", "open", "--type", "plain", data, "c", "-d", key);
	expect_in(loaded_params(&flags), " 7:0 0");
	assert_false(flags & DM_READONLY_FLAG);
	expect_loop(0, data, 1);
	assert_int_equal(fsys_loop_fds(), 0);
	assert_int_equal(fsys_linked(), 0);

	/* --readonly: a read-only loop device under a read-only table. */
	fk_reset();
	fsys_reset();
	RUN_OK("crypt", "open", "--type", "plain", data, "c", "-d", key, "-r",
	       "-o", "8");
	expect_in(loaded_params(&flags), " 7:0 8");
	assert_true(flags & DM_READONLY_FLAG);
	expect_loop(0, data, 0);
	assert_int_equal(fsys_loop_fds(), 0);

	/* Refused after the loop device exists: our fd goes. */
	fk_reset();
	fsys_reset();
	RUN("crypt", "open", "--type", "plain", data, "c", "-d", key, "-o",
	    "99999");
	expect_one_error("beyond the end of the device");
	assert_int_equal(fsys_loop_fds(), 0);
	EXPECT_NO_REQUESTS();
	fsys_reset();
	RUN("crypt", "open", "--type", "plain", data, "c", "-d",
	    "/nonexistent");
	assert_int_not_equal(R.rc, 0);
	assert_int_equal(fsys_loop_fds(), 0);
	/* LOOP_SET_STATUS64 refused: cleared, nothing left. */
	fsys_reset();
	fsys.loop_status_err = EPERM;
	RUN("crypt", "open", "--type", "plain", data, "c", "-d", key);
	expect_fail(2, "Operation not permitted");
	assert_false(fsys.loops[0].bound);
	assert_int_equal(fsys_loop_fds(), 0);
	assert_int_equal(fsys_linked(), 0);
}

/* Loop device 7:n in the fake sysfs, bound to file (NULL: unbound, no
 * loop/ directory), with the kernel's trailing newline. */
static void sys_loop(int n, const char *file)
{
	char rel[128], target[64];

	snprintf(target, sizeof(target), "../../devices/virtual/block/loop%d",
		 n);
	snprintf(rel, sizeof(rel), "sys/dev/block/7:%d", n);
	host_symlink(rel, target);
	snprintf(rel, sizeof(rel), "sys/devices/virtual/block/loop%d/%s", n,
		 file ? "loop/backing_file" : "dev");
	snprintf(target, sizeof(target), "%s\n", file ? file : "");
	host_write(rel, file ? target : "7:0\n");
}

/* What veritysetup 2.6.1 printed in the VM for files, one of them
 * deleted: a "data loop:" and a "hash loop:" line, no "FEC loop:" (that
 * one looks at status's own --fec-device only). */
static void test_verity_status(void **state)
{
	(void)state;
	sys_loop(0, "/img/data image.img");
	sys_loop(1, "/img/hash.img (deleted)");
	sys_loop(2, "/img/fec.img");
	fk_add_target(fk_add_dev("v", "CRYPT-VERITY-0123-v"), 1, 0, 64,
		      "verity",
		      "1 7:0 7:1 4096 4096 8 1 sha256 " ROOT " " SALT
		      " 8 use_fec_from_device 7:2 fec_start 9 fec_blocks 9 "
		      "fec_roots 2",
		      "V");
	fk_find("v")->live.readonly = 1;
	RUN_OK("verity", "status", "v");
	assert_string_equal(R.out, "/dev/mapper/v is active.\n"
				   "  type:        VERITY\n"
				   "  status:      verified\n"
				   "  hash type:   1\n"
				   "  data block:  4096\n"
				   "  hash block:  4096\n"
				   "  hash name:   sha256\n"
				   "  salt:        " SALT "\n"
				   "  data device: /dev/loop0\n"
				   "  data loop:   /img/data image.img\n"
				   "  size:        64 sectors\n"
				   "  mode:        readonly\n"
				   "  hash device: /dev/loop1\n"
				   "  hash loop:   /img/hash.img (deleted)\n"
				   "  hash offset: 8 sectors\n"
				   "  FEC device:  /dev/loop2\n"
				   "  FEC offset:  72 sectors\n"
				   "  FEC roots:   2\n"
				   "  root hash:   " ROOT "\n");

	/* An unbound loop device has no file to name. */
	fk_reset();
	sys_loop(4, NULL);
	sys_loop(5, "/img/hash.img");
	fk_add_target(fk_add_dev("v", "CRYPT-VERITY-0123-v"), 1, 0, 64,
		      "verity", "1 7:4 7:5 4096 4096 8 1 sha256 " ROOT " " SALT,
		      "V");
	RUN_OK("verity", "status", "v");
	assert_non_null(strstr(R.out, "  data device: /dev/loop4\n"
				      "  size:        64 sectors\n"));
	assert_non_null(strstr(R.out, "  hash device: /dev/loop5\n"
				      "  hash loop:   /img/hash.img\n"
				      "  hash offset: 8 sectors\n"));
}

/* cryptsetup 2.6.1's "  loop:" line after "  device:". */
static void test_crypt_status(void **state)
{
	(void)state;
	sys_loop(3, "/img/crypt.img (deleted)");
	fk_set_table(fk_add_dev("c", "CRYPT-PLAIN-c"), 1,
		     "0 16384 crypt aes-xts-plain64 :64:logon:x 0 7:3 0");
	RUN_OK("crypt", "status", "c");
	assert_string_equal(R.out, "/dev/mapper/c is active.\n"
				   "  type:    PLAIN\n"
				   "  cipher:  aes-xts-plain64\n"
				   "  keysize: 512 bits\n"
				   "  key location: keyring\n"
				   "  device:  /dev/loop3\n"
				   "  loop:    /img/crypt.img (deleted)\n"
				   "  sector size:  512\n"
				   "  offset:  0 sectors\n"
				   "  size:    16384 sectors\n"
				   "  mode:    read/write\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, loop_setup, loop_teardown)
		T(test_verity_files),
		T(test_verity_superblock_one_file),
		T(test_verity_fec_in_hash_file),
		T(test_verity_failures),
		T(test_loop_configure),
		T(test_loop_block_size),
		T(test_no_loop_driver),
		T(test_crypt_file),
		T(test_verity_status),
		T(test_crypt_status),
	};

	return cmocka_run_group_tests_name("loop devices", tests, NULL, NULL);
}
