/* SPDX-License-Identifier: MIT */
#include "world.h"

#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"

int dmboot_main(int argc, char **argv);
int __real_blkdev_read(int fd, void *buf, size_t len, uint64_t off);
int __wrap_blkdev_read(int fd, void *buf, size_t len, uint64_t off);

struct fuzz_reads fuzz_reads;

int __wrap_blkdev_read(int fd, void *buf, size_t len, uint64_t off)
{
	if (fuzz_reads.on) {
		if (fuzz_reads.n == FUZZ_READS)
			abort();
		fuzz_reads.off[fuzz_reads.n] = off;
		fuzz_reads.len[fuzz_reads.n++] = len;
	}
	return __real_blkdev_read(fd, buf, len, off);
}

#define KEY_HEX                                                                \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void dev(const char *name, const char *uuid, const char *live,
		const char *inactive)
{
	struct fk_dev *d = fk_add_dev(name, uuid);

	if (live)
		fk_set_table(d, 1, live);
	if (inactive)
		fk_set_table(d, 0, inactive);
	d->deps[d->ndeps++] = fk_encode_dev(8, 1);
	d->deps[d->ndeps++] = fk_encode_dev(253, 0);
	d->msg_reply = "reply text";
}

/* /sys/dev/block/MAJOR:MINOR naming /dev/PREFIX<a + n> (vda...) or
 * PREFIX<n> (loop0...): a small file, as a block device. */
static void blockdev(uint32_t major, uint32_t minor, const char *prefix, int n)
{
	char name[16], rel[64], target[320];

	if (strcmp(prefix, "vd"))
		snprintf(name, sizeof(name), "%s%d", prefix, n);
	else
		snprintf(name, sizeof(name), "%s%c", prefix, 'a' + n);
	snprintf(rel, sizeof(rel), "sys/dev/block/%u:%u", major, minor);
	snprintf(target, sizeof(target), "../../devices/virtual/block/%s",
		 name);
	host_symlink(rel, target);
	snprintf(rel, sizeof(rel), "dev/%s", name);
	host_write(rel, "block device of the fuzz world");
	/* 1 MiB (sparse), so that a crypt or verity open gets as far as
	 * the table (the dry run's output) on it. */
	snprintf(target, sizeof(target), "%s/%s", host.root, rel);
	if (truncate(target, 1 << 20))
		abort();
	if (major != 7) { /* the fake treats /dev/loopN as 7:N itself */
		snprintf(rel, sizeof(rel), "/dev/%s", name);
		fsys_blkdev(rel, major, minor);
	}
}

void world_reset(const uint32_t *kver)
{
	static int once;
	int i;

	if (!once) {
		/* Sanitizer reports reach the real stderr while fd 2 is
		 * /dev/null. */
		__sanitizer_set_report_fd((void *)(intptr_t)dup(2));
		once = 1;
	}
	fk_reset();
	host_reset();
	fsys_reset();
	/* Device paths from the input lead into the fake root: /dev/null
	 * (the fake kernel's fd, the runs' stdio), and block devices that
	 * names like "7:2" or "254:1" resolve to, so that a line can name
	 * data, hash and FEC devices by number (issue #12: two fec-device=
	 * overflowed the tab's paths, unseen while no name resolved). */
	host.fake_dev = 1;
	host_symlink("dev/null", "/dev/null");
	fsys_loop_nodes();
	for (i = 0; i < 4; i++) {
		blockdev(7, i, "loop", i);
		blockdev(254, i, "vd", i);
	}
	if (kver)
		fk_set_version(kver[0], kver[1], kver[2]);
	fk.record_max = 4096; /* the log is not what is tested here */
	dev("root", "CRYPT-VERITY-0123456789abcdef0123456789abcdef-root",
	    "0 2048 verity 1 8:1 8:2 4096 4096 256 1 sha256 "
	    "4392b7b5e4ebc7ba4d3c3b3ac2e3ca6a8f0d3a6bbd2c2fba9e2b0ff03ba1d5e1 "
	    "- 1 ignore_zero_blocks",
	    NULL);
	dev("secret", "CRYPT-PLAIN-secret",
	    "0 2048 crypt aes-xts-plain64 " KEY_HEX " 0 8:3 0 1 allow_discards",
	    "0 1024 linear 8:4 0\n1024 1024 zero");
	dev("plain", "", "0 100 linear 8:5 0\n100 50 striped 2 8 8:6 0 8:7 0",
	    NULL);
	fk_add_dev("empty", "");
	if (chdir(host.root))
		abort();
}

/* What a dry run may send: reads. */
static int dry_run_changed(void)
{
	size_t i;

	for (i = 0; i < fk_count(); i++) {
		unsigned nr = fk_rec(i)->nr;

		if (nr != FK_VERSION && nr != FK_DEV_STATUS &&
		    nr != FK_LIST_VERSIONS && nr != FK_GET_TARGET_VERSION &&
		    nr != FK_LIST_DEVICES && nr != FK_TABLE_STATUS)
			return 1;
	}
	return fsys.loop_ioctls || fsys.adds;
}

int world_run(int argc, char **args, int dry)
{
	char *argv[66], *keep[66];
	int save[3], i, rc, null = open("/dev/null", O_RDWR);
	size_t live = host.live;

	if (null < 0 || argc > 64)
		abort();
	/* Copies: main and the commands may cut them in place. */
	argv[0] = strdup("dmboot");
	for (i = 0; i < argc; i++)
		argv[i + 1] = strdup(args[i]);
	argv[argc + 1] = NULL;
	memcpy(keep, argv, sizeof(keep)); /* main compacts argv */
	for (i = 0; i < 3; i++) {
		save[i] = dup(i);
		dup2(null, i);
	}
	rc = dmboot_main(argc + 1, argv);
	out_flush();
	for (i = 0; i < 3; i++) {
		dup2(save[i], i);
		close(save[i]);
	}
	close(null);
	for (i = 0; i <= argc; i++)
		free(keep[i]);
	if (host.live != live || host.freed_dirty || fsys_linked() ||
	    fsys_loop_fds() || (dry && dry_run_changed())) {
		fprintf(stderr,
			"world: %zu page buffer(s) leaked, %zu freed "
			"unwiped, %d key(s) linked, %d loop fd(s) open, "
			"dry run changed state: %d\n",
			host.live - live, host.freed_dirty, fsys_linked(),
			fsys_loop_fds(), dry && dry_run_changed());
		abort();
	}
	return rc;
}

void world_done(void)
{
	if (chdir("/"))
		abort();
	fk_free();
	host_free();
}
