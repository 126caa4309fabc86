/* SPDX-License-Identifier: MIT */
/* dmboot crypt (cryptsetup plain mode): the table sent for each option
 * set (as cryptsetup 2.6.1 loads it, seen in the VM, but for the key),
 * where the key goes (keyring or hex under DM_SECURE_DATA_FLAG), that no
 * copy of it survives, key file handling, errors, status and close. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypt-open.h"
#include "crypt.h"
#include "fake-sys.h"

/* 64 printable bytes so that host.secret can look for them. */
static const char KEY64[] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";
static char data_path[512], key_path[512];

#define DATA_SECTORS 16384u /* an 8 MiB "disk", block device 8:16 */
#define DESC(name) "dmboot:CRYPT-PLAIN-" name "-d0"

static void write_file(const char *path, const void *p, size_t n, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n || fchmod(fd, (mode_t)mode))
		abort();
	close(fd);
}

static int crypt_setup(void **state)
{
	int fd;

	setup(state);
	fsys_reset();
	snprintf(data_path, sizeof(data_path), "%s/vdb", host.root);
	snprintf(key_path, sizeof(key_path), "%s/key", host.root);
	fd = open(data_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)DATA_SECTORS * 512))
		abort();
	close(fd);
	fsys_blkdev(data_path, 8, 16);
	write_file(key_path, KEY64, 64, 0600);
	host.secret = "0123456789abcdefghijklmnopqrstuv"; /* the 256-bit key */
	return 0;
}

static int crypt_teardown(void **state)
{
	fsys_reset();
	return teardown(state);
}

static void set_crypt_version(uint32_t a, uint32_t b, uint32_t c)
{
	size_t i;

	for (i = 0; i < fk.ntargets; i++) {
		if (!strcmp(fk.targets[i].name, "crypt")) {
			fk.targets[i].v[0] = a;
			fk.targets[i].v[1] = b;
			fk.targets[i].v[2] = c;
		}
	}
}

/* A failed command with this exit code and one error line. */
static void expect_error_rc(int rc, const char *want)
{
	if (R.rc != rc || R.out_len || err_lines() != 1 ||
	    strncmp(R.err, "dmboot: ", 8) || !strstr(R.err, want))
		fail_msg("want exit %d and one error line with \"%s\"; got "
			 "exit %d, "
			 "stdout \"%s\", stderr \"%s\"",
			 rc, want, R.rc, R.out, R.err);
}

/* The one TABLE_LOAD: flags, one crypt target, its length and params. */
static void expect_load(uint32_t flags, uint64_t len, const char *params)
{
	const struct fk_rec *r = fk_find_nr(FK_TABLE_LOAD, 0);
	const unsigned char *p;

	assert_non_null(r);
	assert_int_equal(r->hdr.flags, flags);
	assert_int_equal(r->hdr.target_count, 1);
	p = fk_payload(r);
	assert_int_equal(rd64_at(p), 0);
	assert_int_equal(rd64_at(p + 8), len);
	assert_string_equal((const char *)p + 24, "crypt");
	assert_string_equal((const char *)p + 40, params);
}

/* Secret memory (secret.h): the key file was read, the logon key added
 * and the request sent from memory locked and left out of dumps, the
 * process made non-dumpable first (fake-sys checks each at the call);
 * every such range was wiped, then unlocked. */
static void expect_secrets_released(void)
{
	assert_int_equal(fsys.key_unguarded, 0);
	assert_int_equal(fsys.payload_unguarded, 0);
	assert_int_equal(fsys.ioctl_unguarded, 0);
	assert_int_equal(fsys_locked(), 0);
	assert_int_equal(fsys.unlocked_dirty, 0);
}

/* No request, no page buffer and no kernel-side table holds the key,
 * raw or in hex, and no key is left in the keyring. */
static void expect_key_nowhere(const char *raw, const char *hex)
{
	size_t i;

	for (i = 0; i < fk_count(); i++) {
		assert_false(fk_mem_has(fk_rec(i)->buf, fk_rec(i)->len, raw));
		if (hex)
			assert_false(fk_mem_has(fk_rec(i)->buf, fk_rec(i)->len,
						hex));
	}
	assert_false(host_live_has(raw));
	assert_int_equal(host.secret_freed, 0);
	assert_int_equal(fsys_linked(), 0);
	expect_secrets_released();
}

static const char *hex_of(const char *s, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", (unsigned char)s[i]);
	return out;
}

static void test_open_keyring(void **state)
{
	char hex[129];

	(void)state;
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c1", "-d",
	       key_path);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	EXPECT_NRS(FK_VERSION, FK_GET_TARGET_VERSION, FK_DEV_CREATE,
		   FK_TABLE_LOAD, FK_DEV_SUSPEND);
	expect_req(1, FK_GET_TARGET_VERSION, 0, "crypt", "");
	expect_req(2, FK_DEV_CREATE, 0, "c1", "CRYPT-PLAIN-c1");
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS,
		    "aes-cbc-essiv:sha256 :32:logon:" DESC("c1") " 0 8:16 0");
	/* The key went into the thread keyring as a logon key, and out. */
	assert_int_equal(fsys.adds, 1);
	assert_string_equal(fsys.keys[0].type, "logon");
	assert_string_equal(fsys.keys[0].desc, DESC("c1"));
	assert_int_equal(fsys.keys[0].keyring, -1);
	assert_int_equal(fsys.keys[0].len, 32);
	assert_memory_equal(fsys.keys[0].payload, KEY64, 32);
	expect_key_nowhere(host.secret, hex_of(KEY64, 32, hex));
	assert_non_null(fk_find("c1"));
	assert_true(host_node("c1", hex, sizeof(hex)));
}

/* Each line: the options after DEVICE NAME -d KEY, the length and
 * parameters cryptsetup 2.6.1 loads for them (its key replaced by the
 * keyring reference), and whether the load is read-only. */
static void test_open_tables(void **state)
{
	static const struct {
		const char *args[18];
		uint64_t len;
		const char *params;
		int ro;
	} cases[] = {
		{{"-c", "aes-xts-plain64", "-s", "512", "-o", "8", "-p", "16",
		  "--sector-size", "4096", "--allow-discards",
		  "--perf-same_cpu_crypt", "--perf-submit_from_crypt_cpus",
		  "--perf-no_read_workqueue", "--perf-no_write_workqueue",
		  "-r"},
		 DATA_SECTORS - 8,
		 "aes-xts-plain64 :64:logon:" DESC(
			 "t") " 16 8:16 8 6 allow_discards "
			      "same_cpu_crypt submit_from_crypt_cpus "
			      "no_read_workqueue "
			      "no_write_workqueue sector_size:4096",
		 1},
		{{"-c", "aes-plain", "--iv-large-sectors", "--sector-size",
		  "4096", "-b", "1024"},
		 1024,
		 "aes-cbc-plain :32:logon:" DESC(
			 "t") " 0 8:16 0 2 sector_size:4096 "
			      "iv_large_sectors",
		 0},
		{{"--cipher=aes", "--key-size=128"},
		 DATA_SECTORS,
		 "aes-cbc-plain :16:logon:" DESC("t") " 0 8:16 0",
		 0},
		{{"-c", "capi:xts(aes)-plain64", "-s", "512", "--skip", "7",
		  "--perf-no_write_workqueue", "--readonly"},
		 DATA_SECTORS,
		 "capi:xts(aes)-plain64 :64:logon:" DESC(
			 "t") " 7 8:16 0 1 "
			      "no_write_workqueue",
		 1},
		{{"-c", "serpent-xts-plain64", "--offset", "2048",
		  "--sector-size", "1024", "--allow-discards"},
		 DATA_SECTORS - 2048,
		 "serpent-xts-plain64 :32:logon:" DESC(
			 "t") " 0 8:16 2048 2 "
			      "allow_discards sector_size:1024",
		 0},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		const char *argv[32] = {"crypt",   "open", "--type", "plain",
					data_path, "t",	   "-d",     key_path};
		int n = 8;

		for (k = 0; cases[i].args[k]; k++)
			argv[n++] = cases[i].args[k];
		fk_reset();
		fsys_reset();
		fsys_blkdev(data_path, 8, 16);
		if (run_cmd(NULL, argv))
			fail_msg("case %zu: %s", i, R.err);
		expect_load(DM_SECURE_DATA_FLAG |
				    (cases[i].ro ? DM_READONLY_FLAG : 0),
			    cases[i].len, cases[i].params);
		assert_memory_equal(fsys.keys[0].payload, KEY64,
				    fsys.keys[0].len);
		assert_int_equal(fsys_linked(), 0);
	}
}

/* dm-crypt before 1.18.1: the key in hex, under DM_SECURE_DATA_FLAG. */
static void test_old_crypt_target_hex(void **state)
{
	char hex[129], want[256];

	(void)state;
	set_crypt_version(1, 18, 0);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "old", "-d",
	       key_path, "-c", "aes-xts-plain64", "-s", "512");
	assert_int_equal(fsys.adds, 0);
	snprintf(want, sizeof(want), "aes-xts-plain64 %s 0 8:16 0",
		 hex_of(KEY64, 64, hex));
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS, want);
	/* The kernel cleared our buffer; nothing of ours kept the key. */
	assert_true(fk.secure_clears >= 1);
	assert_false(host_live_has(hex));
	assert_int_equal(host.secret_freed, 0);

	/* 1.18.1 is the first version cryptsetup trusts with keyring keys. */
	fk_reset();
	set_crypt_version(1, 18, 1);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "new", "-d",
	       key_path);
	assert_int_equal(fsys.adds, 1);
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS,
		    "aes-cbc-essiv:sha256 :32:logon:" DESC("new") " 0 8:16 0");
}

/* --volume-key-keyring: a key already in the kernel keyring, named in the
 * table; dmboot reads no key and adds none. */
static void test_volume_key_keyring(void **state)
{
	(void)state;
	RUN_OK("crypt", "open", "--type", "plain", data_path, "vk",
	       "--volume-key-keyring", "%logon:fw:root-key", "-c",
	       "aes-xts-plain64", "-s", "512");
	assert_string_equal(R.err, "");
	EXPECT_NRS(FK_VERSION, FK_GET_TARGET_VERSION, FK_DEV_CREATE,
		   FK_TABLE_LOAD, FK_DEV_SUSPEND);
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS,
		    "aes-xts-plain64 :64:logon:fw:root-key 0 8:16 0");
	assert_int_equal(fsys.adds, 0);
	assert_int_equal(host.secret_freed, 0);
	fk_reset();
	RUN_OK("crypt", "open", "--type", "plain", data_path, "vk2",
	       "--volume-key-keyring=%user:k");
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS,
		    "aes-cbc-essiv:sha256 :32:user:k 0 8:16 0");

	/* Refused before anything is created. */
	fk_reset();
	RUN("crypt", "open", "--type", "plain", data_path, "x",
	    "--volume-key-keyring", "logon:k");
	expect_error_rc(1, "logon:k: not %logon:, %user:, %encrypted: or "
			   "%trusted: and a description without blanks");
	RUN("crypt", "open", "--type", "plain", data_path, "x",
	    "--volume-key-keyring", "%asym:k");
	expect_error_rc(1, "not %logon:");
	RUN("crypt", "open", "--type", "plain", data_path, "x",
	    "--volume-key-keyring", "%logon:");
	expect_error_rc(1, "not %logon:");
	RUN("crypt", "open", "--type", "plain", data_path, "x",
	    "--volume-key-keyring", "%logon:a b");
	expect_error_rc(1, "not %logon:");
	RUN("crypt", "open", "--type", "plain", data_path, "x",
	    "--volume-key-keyring", "%logon:k", "-d", key_path);
	expect_error_rc(1, "--volume-key-keyring: excludes --key-file");
	RUN("crypt", "open", "--type", "plain", data_path, "x",
	    "--volume-key-keyring", "%logon:k", "--keyfile-offset", "1");
	expect_error_rc(1, "excludes --key-file and its options");
	assert_null(fk_find("x"));
	assert_null(fk_find_nr(FK_DEV_CREATE, 0));

	/* A dm-crypt without keyring keys: no bytes to fall back to. */
	set_crypt_version(1, 18, 0);
	RUN("crypt", "open", "--type", "plain", data_path, "x",
	    "--volume-key-keyring", "%logon:k");
	expect_error_rc(1, "--volume-key-keyring: this dm-crypt takes no "
			   "keyring keys (needs 1.18.1)");
	assert_null(fk_find_nr(FK_DEV_CREATE, 0));
	assert_int_equal(fsys.adds, 0);
}

/* Before 4.41 the version comes from the list of loaded targets. */
static void test_old_kernel_lists_targets(void **state)
{
	(void)state;
	fk_set_version(4, 40, 0);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c", "-d",
	       key_path);
	EXPECT_NRS(FK_VERSION, FK_LIST_VERSIONS, FK_DEV_CREATE, FK_TABLE_LOAD,
		   FK_DEV_SUSPEND);
	assert_int_equal(fsys.adds, 1);

	/* dm-crypt not loaded yet: unknown version, hex key. */
	fk_reset();
	fsys_reset();
	fsys_blkdev(data_path, 8, 16);
	fk_set_version(4, 40, 0);
	fk.ntargets = 0;
	fk.targets[fk.ntargets++] =
		(struct fk_version_item){"crypt", {1, 14, 0}};
	set_crypt_version(1, 14, 0);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c", "-d",
	       key_path);
	assert_int_equal(fsys.adds, 0);
}

static void test_keyring_refused_falls_back_to_hex(void **state)
{
	char hex[129], want[256];

	(void)state;
	fsys.add_err = ENOSYS;
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c", "-d",
	       key_path);
	assert_int_equal(fsys.adds, 1);
	snprintf(want, sizeof(want), "aes-cbc-essiv:sha256 %s 0 8:16 0",
		 hex_of(KEY64, 32, hex));
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS, want);
	assert_int_equal(fsys.unlinks, 0);
}

/* The key file is read raw for the key size: --keyfile-offset applies,
 * --keyfile-size and --hash are ignored with a warning, as cryptsetup
 * does (it printed "WARNING: The --keyfile-size option is being
 * ignored..." and used bytes 3..34 in the VM). */
static void test_keyfile_offset_and_size(void **state)
{
	(void)state;
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c", "-d",
	       key_path, "--keyfile-offset", "3", "-l", "16", "--hash",
	       "sha256");
	assert_int_equal(fsys.keys[0].len, 32);
	assert_memory_equal(fsys.keys[0].payload, KEY64 + 3, 32);
	assert_int_equal(err_lines(), 2);
	assert_non_null(strstr(R.err, "dmboot: crypt: --hash: warning"));
	assert_non_null(
		strstr(R.err, "dmboot: crypt: --keyfile-size: warning"));

	/* The last 32 bytes of 64 are enough; 33 bytes past the start not. */
	fsys_reset();
	fsys_blkdev(data_path, 8, 16);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "d", "-d",
	       key_path, "--keyfile-offset", "32");
	assert_memory_equal(fsys.keys[0].payload, KEY64 + 32, 32);
}

/* A key too short, missing or unreadable: one error line, no request
 * sent, nothing in the keyring, no buffer left with key bytes. */
static void test_key_file_errors(void **state)
{
	char path[600];

	(void)state;
	RUN("crypt", "open", "--type", "plain", data_path, "c", "-d", key_path,
	    "--keyfile-offset", "33");
	expect_one_error("key file too short");
	RUN("crypt", "open", "--type", "plain", data_path, "c", "-d", key_path,
	    "-s", "1024");
	expect_one_error("key file too short");
	snprintf(path, sizeof(path), "%s/short", host.root);
	write_file(path, KEY64, 31, 0600);
	RUN("crypt", "open", "--type", "plain", data_path, "c", "-d", path);
	expect_one_error("dmboot: crypt: ");
	assert_non_null(strstr(R.err, "too short"));
	snprintf(path, sizeof(path), "%s/missing", host.root);
	RUN("crypt", "open", "--type", "plain", data_path, "c", "-d", path);
	expect_one_error("No such file or directory");
	RUN("crypt", "open", "--type", "plain", data_path, "c", "-d",
	    host.root);
	expect_one_error("Is a directory");
	EXPECT_NO_REQUESTS();
	assert_int_equal(fsys.adds, 0);
	assert_false(host_live_has("0123456789"));
	assert_int_equal(host.secret_freed, 0);
}

static void test_key_stdin(void **state)
{
	(void)state;
	RUN_IN_OK(KEY64, "crypt", "open", "--type", "plain", data_path, "c",
		  "-d", "-", "--hash", "plain", "--keyfile-offset", "5");
	assert_memory_equal(fsys.keys[0].payload, KEY64 + 5, 32);
	/* An offset past the key size. */
	RUN_IN_OK(KEY64, "crypt", "open", "--type", "plain", data_path, "c2",
		  "-d", "-", "--hash", "plain", "-s", "128", "--keyfile-offset",
		  "40");
	assert_memory_equal(fsys.keys[1].payload, KEY64 + 40, 16);
	expect_key_nowhere(host.secret, NULL);
	/* A key file that cannot seek (a pipe; the harness's stdin can): the
	 * 40 bytes before the key are read and dropped, a key's length at a
	 * time, through the key's guarded memory (fake-sys checks each
	 * read), and leave no trace. */
	{
		char path[64];
		int pfd[2];

		assert_int_equal(pipe(pfd), 0);
		assert_int_equal(write(pfd[1], KEY64, 64), 64);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd[0]);
		RUN_OK("crypt", "open", "--type", "plain", data_path, "c3",
		       "-d", path, "-s", "128", "--keyfile-offset", "40");
		close(pfd[0]);
		close(pfd[1]);
		assert_memory_equal(fsys.keys[2].payload, KEY64 + 40, 16);
		expect_key_nowhere(host.secret, NULL);
	}
	/* Piped: the offset is read and dropped. Short input: refused. */
	RUN_IN("short", "crypt", "open", "--type", "plain", data_path, "e",
	       "-d", "-", "--hash", "plain");
	expect_one_error("key file too short");
	/* cryptsetup would hash a key on stdin (ripemd160): refused. */
	RUN_IN(KEY64, "crypt", "open", "--type", "plain", data_path, "e", "-d",
	       "-");
	expect_one_error("--hash plain");
	RUN_IN(KEY64, "crypt", "open", "--type", "plain", data_path, "e", "-d",
	       "-", "-h", "sha256");
	expect_one_error("passphrase hashing is not supported");
	RUN("crypt", "open", "--type", "plain", data_path, "e");
	expect_one_error("dmboot reads no passphrases");
}

/* cryptsetup 2.6.1 says nothing of a key file's mode (seen on the host:
 * open --test-passphrase -d with a 0644 file); only systemd-cryptsetup
 * does, for crypttab (test-tab.c). */
static void test_world_readable_key_silent(void **state)
{
	(void)state;
	chmod(key_path, 0644);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c", "-d",
	       key_path);
	assert_string_equal(R.err, "");
	chmod(key_path, 0640);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "d", "-d",
	       key_path);
	assert_string_equal(R.err, "");
}

/* The kernel refuses the table after copy_params() has cleared our
 * buffer (DM_SECURE_DATA_FLAG), as dm-crypt does with a bad cipher. */
static int reject_load(unsigned nr, struct dm_ioctl *k, size_t size, int r)
{
	(void)k;
	(void)size;
	return nr == FK_TABLE_LOAD ? -EINVAL : r;
}

static void test_kernel_rejects_table(void **state)
{
	(void)state;
	fk.post = reject_load;
	RUN("crypt", "open", "--type", "plain", data_path, "c", "-d", key_path);
	/* Not "DM_TABLE_LOAD needs 4.0.0": the cleared buffer's version
	 * 0.0.0 is no version. */
	expect_one_error("c: the kernel rejected the table (its log says why)");
	assert_null(fk_find("c"));
	expect_key_nowhere(host.secret, NULL);
}

/* A failed load or resume removes the device; the keyring key goes in
 * every case, and no buffer keeps the key. */
static void test_failures_leave_nothing(void **state)
{
	static const unsigned fail_nr[] = {FK_TABLE_LOAD, FK_DEV_SUSPEND};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(fail_nr); i++) {
		fk_reset();
		fsys_reset();
		fsys_blkdev(data_path, 8, 16);
		fk_fail(fail_nr[i], EINVAL, 0, -1);
		RUN("crypt", "open", "--type", "plain", data_path, "c", "-d",
		    key_path);
		expect_one_error("dmboot: crypt: c: ");
		assert_null(fk_find("c"));
		assert_int_equal(fk_count_nr(FK_DEV_REMOVE), 1);
		assert_int_equal(fsys.adds, 1);
		expect_key_nowhere(host.secret, NULL);
	}
	/* The name is taken: EBUSY, cryptsetup's exit code 5. */
	fk_reset();
	fsys_reset();
	fsys_blkdev(data_path, 8, 16);
	fk_add_dev("c", NULL);
	RUN("crypt", "open", "--type", "plain", data_path, "c", "-d", key_path);
	expect_error_rc(5, "Device or resource busy");
	assert_int_equal(fsys.adds, 1);
	expect_key_nowhere(host.secret, NULL);
	/* Out of memory on the way: still nothing left. */
	fk_reset();
	fsys_reset();
	fsys_blkdev(data_path, 8, 16);
	host.alloc_fail_at = host.allocs + 3;
	assert_int_not_equal(RUN("crypt", "open", "--type", "plain", data_path,
				 "c", "-d", key_path),
			     0);
	host.alloc_fail_at = 0;
	assert_null(fk_find("c"));
	expect_key_nowhere(host.secret, NULL);
}

/* The key's memory on every path of crypt open: the key file read into
 * guarded memory, then the keyring or the hex table, the request; all of
 * it wiped and unlocked, whether the open succeeds or not. */
static void test_open_key_memory(void **state)
{
	char path[600];

	(void)state;
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c1", "-d",
	       key_path);
	assert_true(fsys.undumpable);
	/* the key, the ioctl buffer */
	assert_true(fsys.mlocks >= 2);
	expect_key_nowhere(host.secret, NULL);
	/* Hex in the table (an old dm-crypt): the text too. */
	fsys.mlocks = fsys.munlocks = 0;
	set_crypt_version(1, 18, 0);
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c2", "-d",
	       key_path);
	assert_true(fsys.mlocks >= 4); /* key, hex text, table, ioctl */
	expect_key_nowhere(host.secret, NULL);
	/* Errors: a short key file, a taken name, a refused load. */
	snprintf(path, sizeof(path), "%s/short", host.root);
	write_file(path, KEY64, 31, 0600);
	RUN("crypt", "open", "--type", "plain", data_path, "c3", "-d", path);
	expect_one_error("too short");
	expect_key_nowhere(host.secret, NULL);
	RUN("crypt", "open", "--type", "plain", data_path, "c2", "-d",
	    key_path);
	expect_error_rc(5, "Device or resource busy");
	expect_key_nowhere(host.secret, NULL);
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, 1);
	RUN("crypt", "open", "--type", "plain", data_path, "c4", "-d",
	    key_path);
	expect_one_error("c4");
	expect_key_nowhere(host.secret, NULL);
	/* mlock refused: the open goes on, one warning after it. */
	fsys.mlock_err = ENOMEM;
	RUN_OK("crypt", "open", "--type", "plain", data_path, "c5", "-d",
	       key_path);
	assert_string_equal(R.err,
			    "dmboot: crypt: warning: key memory could not be "
			    "locked (mlock): it may have reached swap\n");
	assert_non_null(fk_find("c5"));
	expect_key_nowhere(host.secret, NULL);
}

static void test_refused_arguments(void **state)
{
	static const struct {
		const char *args[8];
		const char *err;
	} cases[] = {
		{{"-s", "100"}, "multiple of 8 bits"},
		{{"-s", "x"}, "--key-size: not a number"},
		{{"--sector-size", "1000"},
		 "unsupported encryption sector size"},
		{{"--sector-size", "8192"},
		 "--sector-size: not a number in range"},
		{{"--iv-large-sectors"}, "needs a --sector-size above 512"},
		{{"-o", "16384"}, "beyond the end of the device"},
		{{"-o", "8", "-b", "16377"}, "too small"},
		{{"--sector-size", "4096", "-o", "1"}, "not a multiple"},
		{{"-c", "aes xts"}, "no known cipher"},
		{{"-c", "null"}, "no known cipher"},
		{{"-c", "-xts-plain64"}, "no known cipher"},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		const char *argv[24] = {"crypt",   "open", "--type", "plain",
					data_path, "c",	   "-d",     key_path};
		int n = 8;

		for (k = 0; cases[i].args[k]; k++)
			argv[n++] = cases[i].args[k];
		run_cmd(NULL, argv);
		expect_one_error(cases[i].err);
	}
	/* cryptsetup's default type is LUKS: a device without a header is
	 * refused before any passphrase (test-crypt-luks.c opens some). */
	RUN("crypt", "open", data_path, "c", "-d", key_path);
	expect_error_rc(1, "not a valid LUKS device");
	RUN("crypt", "open", "--type", "luks2", data_path, "c", "-d", key_path);
	expect_error_rc(1, "not a valid LUKS device");
	RUN("crypt", "luksOpen", data_path, "c");
	expect_error_rc(1, "not a valid LUKS device");
	RUN("crypt", "open", "--type", "tcrypt", data_path, "c");
	expect_error_rc(1, "tcrypt: not supported");
	RUN("crypt", "tcryptOpen", data_path, "c");
	expect_error_rc(1, "tcryptOpen: not supported");
	RUN("crypt", "open", "--type", "plain", data_path, "bad/name", "-d",
	    key_path);
	expect_one_error("bad/name");
	EXPECT_NO_REQUESTS();
	/* Not a block device (nor an image file): cryptsetup's 4. */
	RUN("crypt", "open", "--type", "plain", host.root, "c", "-d", key_path);
	expect_error_rc(4, "Block device required");
	assert_int_equal(fsys.adds, 0);
}

/* cryptsetup's old spellings, and the multi-call name. */
static void test_aliases_and_multicall(void **state)
{
	char *argv[8], *keep[3];
	int i, rc;

	(void)state;
	RUN_OK("crypt", "create", "a", data_path, "-d", key_path);
	RUN_OK("crypt", "plainOpen", data_path, "b", "-d", key_path);
	RUN_OK("cryptsetup", "open", "--type", "plain", data_path, "c", "-d",
	       key_path);
	assert_non_null(fk_find("a"));
	assert_non_null(fk_find("b"));
	assert_string_equal(fk_find("c")->uuid, "CRYPT-PLAIN-c");

	argv[0] = strdup("/usr/sbin/cryptsetup");
	argv[1] = strdup("close");
	argv[2] = strdup("c");
	argv[3] = NULL;
	memcpy(keep, argv, sizeof(keep)); /* main compacts argv */
	rc = dmboot_main(3, argv);
	for (i = 0; i < 3; i++)
		free(keep[i]);
	assert_int_equal(rc, 0);
	assert_null(fk_find("c"));
}

/* /sys/dev/block/DEVNO -> .../block/NAME, as sysfs links them. */
static void sys_block(const char *devno, const char *name)
{
	char rel[64], target[128];

	snprintf(rel, sizeof(rel), "devices/virtual/block/%s/dev", name);
	host_write(rel, devno);
	snprintf(rel, sizeof(rel), "sys/dev/block/%s", devno);
	snprintf(target, sizeof(target), "../../../devices/virtual/block/%s",
		 name);
	host_symlink(rel, target);
}

/* Exactly what cryptsetup 2.6.1 printed for this table in the VM. */
static void test_status(void **state)
{
	struct fk_dev *d;

	(void)state;
	sys_block("8:16", "vda");
	d = fk_add_dev("c2", "CRYPT-PLAIN-c2");
	fk_set_table(d, 1,
		     "0 16376 crypt aes-xts-plain64 :64:logon:" DESC(
			     "c2") " 16 8:16 8 6 allow_discards same_cpu_crypt "
				   "submit_from_crypt_cpus no_read_workqueue "
				   "no_write_workqueue "
				   "sector_size:4096");
	d->live.readonly = 1;
	RUN_OK("crypt", "status", "c2");
	assert_string_equal(
		R.out,
		"/dev/mapper/c2 is active.\n"
		"  type:    PLAIN\n"
		"  cipher:  aes-xts-plain64\n"
		"  keysize: 512 bits\n"
		"  key location: keyring\n"
		"  device:  /dev/vda\n"
		"  sector size:  4096\n"
		"  offset:  8 sectors\n"
		"  size:    16376 sectors\n"
		"  skipped: 16 sectors\n"
		"  mode:    readonly\n"
		"  flags:   discards same_cpu_crypt submit_from_crypt_cpus "
		"no_read_workqueue no_write_workqueue\n");
	/* Secure data (the reply may hold a hex key) costs no VERSION
	 * query: a kernel before 4.20 ignores the bit. */
	EXPECT_NRS(FK_TABLE_STATUS);
	expect_req(0, FK_TABLE_STATUS,
		   DM_STATUS_TABLE_FLAG | DM_SECURE_DATA_FLAG, "c2", "");
}

/* A hex key (cryptsetup's own device over another dm device, in use):
 * its size, never its bytes. No LUKS header on the lower device: no type
 * and 512-byte sectors, as cryptsetup 2.6.1 shows such a device. */
static void test_status_hex_key(void **state)
{
	struct fk_dev *d;

	(void)state;
	sys_block("253:7", "dm-7");
	host_write("devices/virtual/block/dm-7/dm/name", "lower\n");
	d = fk_add_dev("c3", "CRYPT-LUKS2-0123456789abcdef0123456789abcdef-c3");
	fk_set_table(d, 1,
		     "0 1024 crypt aes-cbc-plain "
		     "00112233445566778899aabbccddeeff00112233445566778899aabbc"
		     "cddeeff"
		     " 0 253:7 0 2 sector_size:4096 iv_large_sectors");
	d->open_count = 1;
	RUN_OK("cryptsetup", "status", "c3");
	assert_string_equal(R.out, "/dev/mapper/c3 is active and is in use.\n"
				   "  type:    n/a\n"
				   "  cipher:  aes-cbc-plain\n"
				   "  keysize: 256 bits\n"
				   "  key location: dm-crypt\n"
				   "  device:  /dev/mapper/lower\n"
				   "  sector size:  512\n"
				   "  offset:  0 sectors\n"
				   "  size:    1024 sectors\n"
				   "  mode:    read/write\n");
	assert_null(strstr(R.out, "0011"));
}

static void test_status_other_devices(void **state)
{
	struct fk_dev *d;

	(void)state;
	assert_int_equal(RUN("crypt", "status", "nonex"), 4);
	assert_string_equal(R.out, "/dev/mapper/nonex is inactive.\n");
	assert_string_equal(R.err, "");
	d = fk_add_dev("lin", NULL);
	fk_set_table(d, 1, "0 8 linear 8:16 0");
	RUN("crypt", "status", "lin");
	expect_one_error("not a dm-crypt device");
	d = fk_add_dev("bad", NULL);
	fk_set_table(d, 1, "0 8 crypt aes-cbc-plain 0123 0 8:16");
	RUN("crypt", "status", "bad");
	expect_one_error("not a dm-crypt device");
}

static void test_close(void **state)
{
	struct fk_dev *d;

	(void)state;
	d = fk_add_dev("c", "CRYPT-PLAIN-c");
	fk_set_table(d, 1, "0 8 crypt aes-cbc-plain :32:logon:x 0 8:16 0");
	RUN_OK("crypt", "close", "c");
	EXPECT_NRS(FK_DEV_STATUS, FK_DEV_REMOVE);
	assert_null(fk_find("c"));
	assert_false(host_node("c", (char[64]){0}, 64));

	RUN("crypt", "close", "c");
	expect_error_rc(4, "c: device is not active");
	d = fk_add_dev("busy", "CRYPT-PLAIN-busy");
	d->open_count = 2;
	RUN("cryptsetup", "remove", "busy");
	expect_error_rc(5, "busy: device is still in use");
	assert_non_null(fk_find("busy"));
	assert_int_equal(RUN("crypt", "close"), 1);
	assert_int_equal(RUN("crypt", "frobnicate", "x"), 1);
}

static void test_cipher_spec(void **state)
{
	static const char *const good[][2] = {
		{"aes", "aes-cbc-plain"},
		{"aes-plain", "aes-cbc-plain"},
		{"aes-cbc-essiv:sha256", "aes-cbc-essiv:sha256"},
		{"aes-xts-plain64", "aes-xts-plain64"},
		{"twofish-cbc-plain", "twofish-cbc-plain"},
		{"capi:xts(aes)-plain64", "capi:xts(aes)-plain64"},
		{"aes:2-xts-plain64", "aes:2-xts-plain64"},
	};
	static const char *const bad[] = {
		"",
		"-",
		"-aes",
		"aes-",
		"null",
		"cipher_null",
		"cipher_null-ecb",
		"aes xts",
		"aes-xts\tplain64",
		"capi:xts(aes-x)-plain64",
		"0123456789012345678901234567890123-xts-plain64",
	};
	char out[CRYPT_CIPHER_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		assert_int_equal(
			crypt_cipher_spec(good[i][0], out, sizeof(out)), 0);
		assert_string_equal(out, good[i][1]);
	}
	for (i = 0; i < NELEM(bad); i++)
		if (!crypt_cipher_spec(bad[i], out, sizeof(out)))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(crypt_cipher_spec("aes-xts-plain64", out, 15),
			 -ENAMETOOLONG);
}

static void test_table_parse(void **state)
{
	struct crypt_plain p;
	static const char *const bad[] = {
		"",
		"aes",
		"aes 00",
		"aes 00 0",
		"aes 00 0 8:16",
		"aes 0 0 8:16 0",
		"aes 00 x 8:16 0",
		"aes 00 0 816 0",
		"aes 00 0 8:16 0 2 allow_discards",
		"aes 00 0 8:16 0 1 sector_size:x",
		"aes :x:logon:d 0 8:16 0",
		"aes 00 0 8:16 0 0 extra",
	};
	size_t i;

	(void)state;
	assert_int_equal(
		crypt_table_parse("aes-xts-plain64 :64:logon:a:b 16 8:16 8 "
				  "3 iv_large_sectors sector_size:4096 "
				  "integrity:28:aead",
				  &p),
		0);
	assert_string_equal(p.cipher, "aes-xts-plain64");
	assert_int_equal(p.key_size, 64);
	assert_true(p.keyring);
	assert_int_equal(p.iv_offset, 16);
	assert_int_equal(p.major, 8);
	assert_int_equal(p.minor, 16);
	assert_int_equal(p.offset, 8);
	assert_int_equal(p.sector_size, 4096);
	assert_int_equal(p.flags, CRYPT_IV_LARGE_SECTORS);
	assert_int_equal(crypt_table_parse("cipher_null-ecb - 0 254:1 0", &p),
			 0);
	assert_int_equal(p.key_size, 0);
	for (i = 0; i < NELEM(bad); i++)
		if (!crypt_table_parse(bad[i], &p))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(crypt_has_keyring((const uint32_t[]){1, 15, 0}));
	assert_false(crypt_has_keyring((const uint32_t[]){1, 18, 0}));
	assert_true(crypt_has_keyring((const uint32_t[]){1, 18, 1}));
	assert_true(crypt_has_keyring((const uint32_t[]){1, 19, 0}));
	assert_true(crypt_has_keyring((const uint32_t[]){2, 0, 0}));
}

/* ---- crypt_activate, called as tab files and /init call it ---- */

/* crypt_activate in a dm context of its own, which must print nothing
 * (stdout and stderr go to a file for the call) and leave no page
 * buffer behind. */
static int activate(const struct crypt_open *o, unsigned *warn,
		    struct act_err *e)
{
	struct dm_ctx ctx;
	FILE *f = tmpfile();
	int save1 = dup(1), save2 = dup(2), r;

	assert_non_null(f);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(f), 1);
	dup2(fileno(f), 2);
	dm_init(&ctx);
	r = crypt_activate(&ctx, o, warn, e);
	dm_done(&ctx);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	assert_int_equal(lseek(fileno(f), 0, SEEK_END), 0);
	fclose(f);
	assert_int_equal(host.live, 0);
	return r;
}

static void open_defaults(struct crypt_open *o, const char *name)
{
	crypt_open_init(o);
	o->type = CRYPT_TYPE_PLAIN; /* the default is LUKS, as cryptsetup's */
	o->device = data_path;
	o->name = name;
	o->key_file = key_path;
}

/* A filled struct, no option text: the bytes sent, the key through the
 * keyring and out of it, nothing printed. */
static void test_activate_struct(void **state)
{
	struct crypt_open o;
	struct act_err e = {0};
	unsigned warn = 1;
	char hex[129];

	(void)state;
	open_defaults(&o, "s1");
	o.cipher = "aes-xts-plain64";
	o.key_bits = 512;
	o.offset = 8;
	o.skip = 16;
	o.flags = CRYPT_ALLOW_DISCARDS | CRYPT_NO_READ_WORKQUEUE;
	o.readonly = 1;
	assert_int_equal(activate(&o, &warn, &e), 0);
	assert_int_equal(warn, 0);
	EXPECT_NRS(FK_VERSION, FK_GET_TARGET_VERSION, FK_DEV_CREATE,
		   FK_TABLE_LOAD, FK_DEV_SUSPEND);
	expect_req(2, FK_DEV_CREATE, 0, "s1", "CRYPT-PLAIN-s1");
	expect_load(DM_SECURE_DATA_FLAG | DM_READONLY_FLAG, DATA_SECTORS - 8,
		    "aes-xts-plain64 :64:logon:" DESC(
			    "s1") " 16 8:16 8 2 allow_discards "
				  "no_read_workqueue");
	assert_int_equal(fsys.adds, 1);
	assert_int_equal(fsys.unlinks, 1);
	assert_memory_equal(fsys.keys[0].payload, KEY64, 64);
	expect_key_nowhere(host.secret, hex_of(KEY64, 64, hex));
	assert_true(host_node("s1", hex, sizeof(hex)));

	/* The same through crypt_open_set, as a crypttab line gives it. */
	fk_reset();
	fsys_reset();
	fsys_blkdev(data_path, 8, 16);
	crypt_open_init(&o);
	assert_int_equal(crypt_open_set(&o, CO_TYPE, "plain", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_DEVICE, data_path, &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_NAME, "s2", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_KEY_FILE, key_path, &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_CIPHER, "aes-plain", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_SECTOR_SIZE, "4096", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_IV_LARGE_SECTORS, NULL, &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_SIZE, "1024", &e), 0);
	assert_true(crypt_given(&o, CO_SIZE));
	assert_false(crypt_given(&o, CO_OFFSET));
	assert_int_equal(activate(&o, &warn, &e), 0);
	expect_load(DM_SECURE_DATA_FLAG, 1024,
		    "aes-cbc-plain :32:logon:" DESC(
			    "s2") " 0 8:16 0 2 sector_size:4096 "
				  "iv_large_sectors");
	expect_key_nowhere(host.secret, NULL);
}

/* Each refusal names its field (the command line and crypttab each spell
 * it their own way) and a fixed reason, and nothing is sent. */
static void test_activate_refusals(void **state)
{
	static const struct {
		int field;
		const char *val;
		int want_field;
		const char *why;
		int names_value; /* e->what is the value */
	} cases[] = {
		{CO_CIPHER, "aes xts", CO_CIPHER, "no known cipher", 1},
		{CO_CIPHER, "cipher_null", CO_CIPHER, "no known cipher", 1},
		{CO_KEY_SIZE, "100", CO_KEY_SIZE, "multiple of 8 bits", 0},
		{CO_SECTOR_SIZE, "1000", CO_SECTOR_SIZE, "unsupported", 0},
		{CO_IV_LARGE_SECTORS, NULL, CO_IV_LARGE_SECTORS,
		 "needs a --sector-size above 512", 0},
		{CO_VOLUME_KEY_KEYRING, "%logon:k", CO_VOLUME_KEY_KEYRING,
		 "excludes --key-file", 0},
		{CO_KEYFILE_OFFSET, "40", CO_KEY_FILE, "key file too short", 0},
		{CO_OFFSET, "16384", CO_DEVICE, "beyond the end", 0},
		{CO_SIZE, "16385", CO_DEVICE, "too small for --size", 0},
	};
	struct crypt_open o;
	struct act_err e;
	unsigned warn;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		open_defaults(&o, "r");
		assert_int_equal(
			crypt_open_set(&o, cases[i].field, cases[i].val, &e),
			0);
		e = (struct act_err){0};
		if (activate(&o, &warn, &e) >= 0 ||
		    e.field != cases[i].want_field || !e.why ||
		    !strstr(e.why, cases[i].why))
			fail_msg("case %zu: field %d, why \"%s\"", i, e.field,
				 e.why ? e.why : "(errno)");
		if (cases[i].names_value)
			assert_string_equal(e.what, cases[i].val);
		EXPECT_NO_REQUESTS();
		assert_null(fk_find("r"));
	}
	/* The key sources, and a keyring reference's syntax. */
	open_defaults(&o, "r");
	o.key_file = NULL;
	assert_int_equal(activate(&o, &warn, &e), -EINVAL);
	assert_int_equal(e.field, CO_KEY_FILE);
	assert_non_null(strstr(e.why, "dmboot reads no passphrases"));
	o.key_file = "-";
	assert_int_equal(activate(&o, &warn, &e), -EINVAL);
	assert_string_equal(e.what, "--key-file -");
	o.key_file = NULL;
	o.key_ref = "logon:k";
	assert_int_equal(activate(&o, &warn, &e), -EINVAL);
	assert_int_equal(e.field, CO_VOLUME_KEY_KEYRING);
	assert_string_equal(e.what, "logon:k");
	EXPECT_NO_REQUESTS();
	/* A bad name, a device that is not one: what, and the errno. */
	open_defaults(&o, "a/b");
	assert_int_equal(activate(&o, &warn, &e), -EINVAL);
	assert_string_equal(e.what, "a/b");
	open_defaults(&o, "r");
	o.device = host.root;
	assert_int_equal(activate(&o, &warn, &e), -ENOTBLK);
	assert_string_equal(e.what, host.root);
	assert_null(e.why);
	assert_int_equal(fsys.adds, 0);
	expect_key_nowhere(host.secret, NULL);

	/* crypt_open_set: the value's own refusals, and the names. */
	assert_int_equal(crypt_open_set(&o, CO_KEY_SIZE, "x", &e), -EINVAL);
	assert_int_equal(e.field, CO_KEY_SIZE);
	assert_string_equal(e.why, "not a number in range");
	assert_int_equal(crypt_open_set(&o, CO_SECTOR_SIZE, "8192", &e),
			 -EINVAL);
	assert_int_equal(crypt_open_set(&o, CO_TYPE, "luks3", &e), -EINVAL);
	assert_string_equal(e.what, "luks3");
	assert_int_equal(crypt_open_set(&o, CO_READONLY, "1", &e), -EINVAL);
	assert_int_equal(crypt_open_set(&o, CO_OFFSET, NULL, &e), -EINVAL);
	assert_string_equal(crypt_field_name(CO_KEY_SIZE), "key-size");
	assert_string_equal(crypt_field_name(CO_VOLUME_KEY_KEYRING),
			    "volume-key-keyring");
	assert_string_equal(crypt_field_name(CO_NAME), "name");
}

/* Warnings come back to the caller, which prints them. */
static void test_activate_warnings(void **state)
{
	struct crypt_open o;
	struct act_err e;
	unsigned warn = 0;

	(void)state;
	chmod(key_path, 0644);
	open_defaults(&o, "w");
	assert_int_equal(crypt_open_set(&o, CO_HASH, "sha256", &e), 0);
	assert_int_equal(crypt_open_set(&o, CO_KEYFILE_SIZE, "16", &e), 0);
	assert_int_equal(activate(&o, &warn, &e), 0);
	assert_int_equal(warn, CRYPT_WARN_HASH | CRYPT_WARN_KEYFILE_SIZE);
	assert_non_null(strstr(crypt_warn_text(CRYPT_WARN_KEY_READABLE),
			       "world-readable. This is not a good idea!"));
	expect_key_nowhere(host.secret, NULL);
}

/* A failed load or resume removes the device again; the keyring key is
 * unlinked and every copy of the key wiped, whichever step failed. */
static void test_activate_rollback(void **state)
{
	static const unsigned fail_nr[] = {FK_TABLE_LOAD, FK_DEV_SUSPEND};
	struct crypt_open o;
	struct act_err e;
	unsigned warn;
	char node[129], want[256];
	size_t i, k;

	(void)state;
	for (i = 0; i < NELEM(fail_nr); i++) {
		fk_reset();
		fsys_reset();
		fsys_blkdev(data_path, 8, 16);
		fk_fail(fail_nr[i], EINVAL, 0, -1);
		open_defaults(&o, "rb");
		assert_int_equal(activate(&o, &warn, &e), -EINVAL);
		assert_string_equal(e.what, "rb");
		assert_string_equal(e.why, "the kernel rejected the table (its "
					   "log says why): Invalid argument");
		assert_null(fk_find("rb"));
		assert_int_equal(fk_count_nr(FK_DEV_REMOVE), 1);
		assert_int_equal(fsys.adds, 1);
		assert_int_equal(fsys.unlinks, 1);
		assert_false(host_node("rb", node, sizeof(node)));
		expect_key_nowhere(host.secret, NULL);
	}
	/* The name is taken: the errno, for cryptsetup's exit code 5. */
	fk_reset();
	fsys_reset();
	fsys_blkdev(data_path, 8, 16);
	fk_add_dev("rb", NULL);
	assert_int_equal(activate(&o, &warn, &e), -EBUSY);
	assert_string_equal(e.what, "rb");
	assert_null(e.why);
	assert_int_equal(fsys.unlinks, 1);
	expect_key_nowhere(host.secret, NULL);
	/* No crypt target in the kernel: the hex key, and the reason. */
	fk_reset();
	fsys_reset();
	fsys_blkdev(data_path, 8, 16);
	for (k = 0; k < fk.ntargets; k++)
		if (!strcmp(fk.targets[k].name, "crypt"))
			strcpy(fk.targets[k].name, "other");
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, -1);
	open_defaults(&o, "nt");
	assert_int_equal(activate(&o, &warn, &e), -EINVAL);
	assert_string_equal(e.why,
			    "target type crypt not in the kernel (module "
			    "missing?)");
	assert_int_equal(fsys.adds, 0);
	snprintf(want, sizeof(want), "aes-cbc-essiv:sha256 %s 0 8:16 0",
		 hex_of(KEY64, 32, node));
	expect_load(DM_SECURE_DATA_FLAG, DATA_SECTORS, want);
	assert_null(fk_find("nt"));
	expect_key_nowhere(host.secret, NULL);
}

/* A dry run sends no create and adds no key: it shows the table a run
 * would load, the keyring reference in place of the key. */
static const char *dry_params;
static void dry_show(const char *name, const char *uuid, uint32_t flags,
		     const struct table *t)
{
	size_t off = 0;
	const struct dm_target_spec *spec = table_spec(t, &off);

	(void)flags;
	assert_string_equal(name, "d");
	assert_string_equal(uuid, "CRYPT-PLAIN-d");
	assert_non_null(spec);
	dry_params = strdup((const char *)(spec + 1));
}

static void test_activate_dry_run(void **state)
{
	struct crypt_open o;
	struct act_err e;
	struct dm_ctx ctx;
	unsigned warn;

	(void)state;
	open_defaults(&o, "d");
	dm_init(&ctx);
	ctx.dry_run = dry_show;
	assert_int_equal(crypt_activate(&ctx, &o, &warn, &e), 0);
	dm_done(&ctx);
	assert_non_null(dry_params);
	assert_string_equal(dry_params, "aes-cbc-essiv:sha256 :32:logon:" DESC(
						"d") " 0 8:16 0");
	free((void *)dry_params);
	assert_null(fk_find_nr(FK_DEV_CREATE, 0));
	assert_int_equal(fsys.adds, 0);
	expect_key_nowhere(host.secret, NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, crypt_setup, crypt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_keyring),
		T(test_open_tables),
		T(test_old_crypt_target_hex),
		T(test_volume_key_keyring),
		T(test_old_kernel_lists_targets),
		T(test_keyring_refused_falls_back_to_hex),
		T(test_keyfile_offset_and_size),
		T(test_key_file_errors),
		T(test_key_stdin),
		T(test_world_readable_key_silent),
		T(test_failures_leave_nothing),
		T(test_kernel_rejects_table),
		T(test_open_key_memory),
		T(test_refused_arguments),
		T(test_aliases_and_multicall),
		T(test_status),
		T(test_status_hex_key),
		T(test_status_other_devices),
		T(test_close),
		T(test_cipher_spec),
		T(test_table_parse),
		T(test_activate_struct),
		T(test_activate_refusals),
		T(test_activate_warnings),
		T(test_activate_rollback),
		T(test_activate_dry_run),
	};

	return cmocka_run_group_tests_name("crypt: plain dm-crypt", tests, NULL,
					   NULL);
}
