/* SPDX-License-Identifier: MIT */
/* Kconfig's selects, complete (tests/selects.sh builds this once per case):
 * built with only a case's symbols (allnoconfig, those set, what they
 * select), it runs their paths that send requests against the fake kernel
 * and fails naming the DM_IOCTL_* or DM_FLAG_* symbol a request needed
 * that the build left out. dm_call refuses such a request with
 * DM_ERR_NOCMD, and a caller may take that for "no" without a word (the
 * root check of init did), so the requests are watched at dm_call and
 * dm_call_walk, not on stderr alone.
 *   selects --list   every case: its name and its Kconfig symbols
 *   selects NAME     runs the case (in a build with its symbols) */
#include "harness.h"
#include "fake-alg.h" /* the LUKS keyslots' AF_ALG, by OpenSSL */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "argon2.h"
#include "config.h"
#include "dm-cmds.h"
#include "dm.h"
#include "fake-sys.h"
#include "kcapi.h"
#include "out.h"

int __real_dm_call(struct dm_ctx *ctx, enum dm_cmd cmd,
		   const struct dm_req *req);
int __wrap_dm_call(struct dm_ctx *ctx, enum dm_cmd cmd,
		   const struct dm_req *req);
int __real_dm_call_walk(struct dm_ctx *ctx, enum dm_cmd cmd,
			const struct dm_req *req, struct dm_walk *w);
int __wrap_dm_call_walk(struct dm_ctx *ctx, enum dm_cmd cmd,
			const struct dm_req *req, struct dm_walk *w);
pid_t __real_getpid(void);
void __real__exit(int status);
pid_t __wrap_getpid(void);
int __wrap_mount(const char *src, const char *dir, const char *type,
		 unsigned long flags, const void *data);
int __real_stat(const char *path, struct stat *st);
int __wrap_stat(const char *path, struct stat *st);
int __wrap_switch_root(const char *newroot, const char **step);
int __wrap_execve(const char *path, char *const argv[], char *const envp[]);
void __wrap__exit(int status);

/* What this build has of each request and gated flag. */
#define CMD_BUILT(id, nr, minor, patch, cfg) {cfg, #cfg},
static const struct {
	int on;
	const char *cfg;
} cmd_built[] = {DM_COMMANDS(CMD_BUILT)};
#define FLAG_BUILT(flag, c, minor, policy, cfg) {flag, cfg, #cfg},
static const struct {
	uint32_t flag;
	int on;
	const char *cfg;
} flag_built[] = {DM_GATED_FLAGS(FLAG_BUILT)};

/* The first Kconfig symbol a request of the current run needed. */
static char missing[64];

static void need(enum dm_cmd cmd, uint32_t flags)
{
	size_t i;

	if (missing[0])
		return;
	if ((unsigned)cmd < NELEM(cmd_built) && !cmd_built[cmd].on)
		snprintf(missing, sizeof(missing), "%s",
			 cmd_built[cmd].cfg + 4);
	for (i = 0; i < NELEM(flag_built) && !missing[0]; i++)
		if ((flags & flag_built[i].flag) && !flag_built[i].on)
			snprintf(missing, sizeof(missing), "%s",
				 flag_built[i].cfg + 4);
}

int __wrap_dm_call(struct dm_ctx *ctx, enum dm_cmd cmd,
		   const struct dm_req *req)
{
	need(cmd, req->flags);
	return __real_dm_call(ctx, cmd, req);
}

int __wrap_dm_call_walk(struct dm_ctx *ctx, enum dm_cmd cmd,
			const struct dm_req *req, struct dm_walk *w)
{
	need(cmd, req->flags);
	return __real_dm_call_walk(ctx, cmd, req, w);
}

/* ---- init as PID 1, as far as switch_root ---- */

static int as_pid1;
static jmp_buf pid1_end;
static uint64_t newroot_dev; /* what the fake mount put on /newroot */
static const char *mounted;

pid_t __wrap_getpid(void)
{
	return as_pid1 ? 1 : __real_getpid();
}

/* Nothing is mounted; root= "is", on /newroot: the device the case's
 * root= names (root_dev). */
static uint64_t root_dev;

int __wrap_mount(const char *src, const char *dir, const char *type,
		 unsigned long flags, const void *data)
{
	(void)type;
	(void)flags;
	(void)data;
	if (as_pid1 && !strcmp(dir, "/newroot")) {
		newroot_dev = root_dev;
		mounted = src;
	}
	return 0;
}

/* /newroot, once "mounted", is on root_dev. */
int __wrap_stat(const char *path, struct stat *st)
{
	if (as_pid1 && newroot_dev && !strcmp(path, "/newroot")) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFDIR | 0755;
		st->st_dev = (dev_t)newroot_dev;
		return 0;
	}
	return __real_stat(path, st);
}

int __wrap_switch_root(const char *newroot, const char **step)
{
	(void)newroot;
	(void)step;
	return 0;
}

/* The new root's init exec'd (init=/sbin/init): the boot succeeded. Any
 * other exec (onfail's shell) did not. */
int __wrap_execve(const char *path, char *const argv[], char *const envp[])
{
	(void)argv;
	(void)envp;
	longjmp(pid1_end, strcmp(path, "/sbin/init") ? 2 + 127 : 1);
}

/* PID 1 gave up (onfail); anyone else (Argon2's forked workers) exits. */
void __wrap__exit(int status)
{
	if (!as_pid1)
		__real__exit(status);
	longjmp(pid1_end, 2 + status);
}

/* ---- running commands ---- */

static void check(int rc, int must_succeed, const char *const *args, int line)
{
	char cmd[512] = "";
	size_t i;

	for (i = 0; args[i]; i++)
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s",
			 i ? " " : "", args[i]);
	if (missing[0])
		fail_msg("selects.c:%d: `dmboot %s` sends a request that needs "
			 "%s: not selected by this case's Kconfig symbols",
			 line, cmd, missing);
	if (strstr(R.err, "not built into this dmboot"))
		fail_msg("selects.c:%d: `dmboot %s`: %s", line, cmd, R.err);
	if (must_succeed && rc)
		fail_msg("selects.c:%d: `dmboot %s`: exit %d: %s", line, cmd,
			 rc, R.err);
}

static void run_line(int must_succeed, const char *const *args, int line)
{
	missing[0] = 0;
	check(run_cmd(NULL, args), must_succeed, args, line);
}
/* OK: must succeed; ANY: a failure path (rollback), requests checked. */
#define OK(...) run_line(1, (const char *const[]){__VA_ARGS__, NULL}, __LINE__)
#define ANY(...) run_line(0, (const char *const[]){__VA_ARGS__, NULL}, __LINE__)

/* "dmboot init" as PID 1 with this command line, up to the exec of the
 * new root's init (out of run_cmd's reach: by longjmp). */
static void boot(const char *cmdline, int line)
{
	static const char *const args[] = {"init", NULL};
	int save[2], r, fd, ferr = memfd_create("stderr", 0);
	off_t n;

	host_write("proc/cmdline", cmdline);
	missing[0] = 0;
	newroot_dev = 0;
	mounted = NULL;
	fflush(stdout);
	fflush(stderr);
	save[0] = dup(1);
	save[1] = dup(2);
	fd = memfd_create("stdout", 0); /* not /dev/null: /dev is faked */
	if (fd < 0 || ferr < 0)
		abort();
	dup2(fd, 1);
	dup2(ferr, 2);
	close(fd);
	as_pid1 = 1;
	r = setjmp(pid1_end);
	if (!r)
		dmboot_main(2,
			    (char *[]){(char *)"dmboot", (char *)"init", NULL});
	as_pid1 = 0;
	out_flush();
	dup2(save[0], 1);
	dup2(save[1], 2);
	close(save[0]);
	close(save[1]);
	n = lseek(ferr, 0, SEEK_END);
	free(R.err);
	R.err = calloc(1, (size_t)n + 1);
	if (!R.err || pread(ferr, R.err, (size_t)n, 0) != n)
		abort();
	R.err_len = (size_t)n;
	close(ferr);
	/* 1: the new root's init was exec'd; 2 + status: onfail. */
	check(r == 1 ? 0 : r, 1, args, line);
	assert_non_null(mounted);
}
#define BOOT(cmdline) boot(cmdline, __LINE__)

/* ---- the machine: files, block devices, the fake kernel's devices ---- */

#define KEY64 "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"
#define SALT "aabbccdd"
#define BLOCK 4096

static char dir[300], data[400], hash[400], hash_sb[400], fec[400], key[400],
	sig[400], root[65];

static void put(const char *path, const void *p, size_t n, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n) ||
	    ftruncate(fd, (off_t)size))
		abort();
	close(fd);
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* One data block, its hash block all zeros: the root is the fake sha256
 * of salt || zero block (format 1). hash: that hash block alone; hash_sb:
 * veritysetup's superblock (4096 bytes) before it. */
static void images(void)
{
	static const unsigned char salt[] = {0xaa, 0xbb, 0xcc, 0xdd};
	static unsigned char zero[BLOCK];
	unsigned char sb[512] = "verity", d[64];
	struct kc_hash h;
	int i, n;

	snprintf(dir, sizeof(dir), "%s", host.root);
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(hash, sizeof(hash), "%s/hash", dir);
	snprintf(hash_sb, sizeof(hash_sb), "%s/hash-sb", dir);
	snprintf(fec, sizeof(fec), "%s/fec", dir);
	snprintf(key, sizeof(key), "%s/key", dir);
	snprintf(sig, sizeof(sig), "%s/sig", dir);
	put(data, NULL, 0, 16 * BLOCK);
	put(hash, NULL, 0, BLOCK);
	put_le(sb + 8, 1, 4);
	put_le(sb + 12, 1, 4);
	memcpy(sb + 32, "sha256", 6);
	put_le(sb + 64, BLOCK, 4);
	put_le(sb + 68, BLOCK, 4);
	put_le(sb + 72, 1, 8);
	put_le(sb + 80, sizeof(salt), 2);
	memcpy(sb + 88, salt, sizeof(salt));
	put(hash_sb, sb, sizeof(sb), 2 * BLOCK);
	put(fec, NULL, 0, 4 * BLOCK);
	put(key, KEY64, 64, 64);
	put(sig, "not really PKCS#7", 17, 17);
	assert_int_equal(kc_hash_open(&h, "sha256"), 0);
	n = kc_hash2(&h, salt, sizeof(salt), zero, sizeof(zero), d, sizeof(d));
	kc_hash_close(&h);
	assert_int_equal(n, 32);
	for (i = 0; i < n; i++)
		sprintf(root + 2 * i, "%02x", d[i]);
}

/* The image files as block devices (LOOP_FILES's case leaves them files). */
static void blkdevs(void)
{
	fsys_blkdev(data, 8, 16);
	fsys_blkdev(hash, 8, 32);
	fsys_blkdev(hash_sb, 8, 48);
	fsys_blkdev(fec, 8, 64);
}

static void dev_x(void)
{
	fk_set_table(fk_add_dev("x", "U-x"), 1, "0 8 linear 8:16 0");
}

static const char *tab(const char *name, const char *line)
{
	static char path[2][400];
	static int n;
	char *p = path[n++ % 2];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	put(p, line, strlen(line), strlen(line));
	return p;
}

static const char *veritytab(void)
{
	static char line[1200];

	snprintf(line, sizeof(line),
		 "v %s %s %s superblock=no,data-blocks=1,salt=" SALT "\n", data,
		 hash, root);
	return tab("veritytab", line);
}

static const char *crypttab(void)
{
	static char line[1200];

	snprintf(line, sizeof(line), "c %s %s plain,size=256\n", data, key);
	return tab("crypttab", line);
}

/* The files init reads: /etc under the fake root. */
static void etc(const char *name, const char *text)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "etc/%s", name);
	host_write(rel, text);
}

/* A device the fake kernel makes shows in the fake /sys/class/block. */
static int sysfs_post(unsigned nr, struct dm_ioctl *k, size_t size, int r)
{
	char rel[64], text[32];

	(void)size;
	if (!r && nr == FK_DEV_CREATE) {
		snprintf(rel, sizeof(rel), "sys/class/block/dm-%u/dev",
			 (unsigned)(k->dev & 0xff));
		snprintf(text, sizeof(text), "253:%u\n",
			 (unsigned)(k->dev & 0xff));
		host_write(rel, text);
		snprintf(rel, sizeof(rel), "sys/class/block/dm-%u/dm/name",
			 (unsigned)(k->dev & 0xff));
		host_write(rel, k->name);
	}
	/* linear "root" on "v" (253:0): what TABLE_DEPS answers. */
	if (!r && nr == FK_TABLE_LOAD && fk_find("root")) {
		fk_find("root")->deps[0] = fk_encode_dev(253, 0);
		fk_find("root")->ndeps = 1;
	}
	return r;
}

static void init_host(void)
{
	host.fake_dev = 1;
	host.fake_root = 1;
	host_write("sys/class/block/.keep", "");
	host_write("run/.keep", "");
	/* The fake kernel's control fd (an open /dev/null), now under root. */
	host_write("dev/null", "");
	fk.post = sysfs_post;
}

#define VERITY_NOSB(...)                                                       \
	"verity", "open", "--no-superblock", "--data-blocks", "1", "--salt",   \
		SALT, __VA_ARGS__
#define CRYPT_OPEN(cmd, name)                                                  \
	cmd, "open", "--type", "plain", data, name, "-d", key

/* ---- the cases: one per command and per option that depends on one ---- */

static void c_version(void)
{
	OK("version");
}

static void c_targets(void)
{
	OK("targets");
}

static void c_target_version(void)
{
	OK("target-version", "linear", "crypt");
}

static void c_create(void)
{
	OK("create", "x", "--table", "0 8 zero");
	OK("create", "y", "-u", "U-y", "-r", "--table", "0 8 zero");
	OK("create", "z", "-n");
	OK("create", "j", "-j", "253", "-m", "9", "--table", "0 8 zero");
	/* A refused load: the new device goes again. */
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, 1);
	ANY("create", "bad", "--table", "0 8 zero");
	assert_null(fk_find("bad"));
}

static void c_load(void)
{
	dev_x();
	OK("load", "x", "--table", "0 8 zero");
	OK("reload", "x", "-r", "--table", "0 8 zero");
}

static void c_resume(void)
{
	dev_x();
	fk_find("x")->suspended = 1;
	OK("resume", "x");
	fk_find("x")->suspended = 1;
	OK("resume", "--noflush", "--nolockfs", "x");
}

static void c_suspend(void)
{
	dev_x();
	OK("suspend", "x");
	fk_find("x")->suspended = 0;
	OK("suspend", "--noflush", "--nolockfs", "x");
}

static void c_remove(void)
{
	dev_x();
	OK("remove", "x");
	dev_x();
	OK("remove", "--retry", "x");
	dev_x();
	OK("remove", "--deferred", "x");
}

static void c_remove_force(void)
{
	dev_x();
	OK("remove", "--force", "x");
	dev_x();
	OK("remove", "-f", "--retry", "x");
}

static void c_remove_all(void)
{
	dev_x();
	OK("remove_all");
	dev_x();
	OK("remove_all", "--deferred");
	dev_x();
	OK("remove_all", "-f");
}

static void c_info(void)
{
	dev_x();
	OK("info", "x");
	OK("info");
}

static void c_info_columns(void)
{
	dev_x();
	OK("info", "-c", "x");
	OK("info", "-C", "--noheadings");
}

static void c_ls(void)
{
	dev_x();
	OK("ls");
	OK("ls", "--target", "linear");
	OK("ls", "-o", "devno");
}

static void c_table(void)
{
	dev_x();
	fk_set_table(fk_find("x"), 0, "0 8 zero");
	OK("table");
	OK("table", "x");
	OK("table", "--showkeys", "--concise");
	OK("table", "--target", "linear");
	OK("table", "--inactive", "x");
}

static void c_status(void)
{
	dev_x();
	fk_set_table(fk_find("x"), 0, "0 8 zero");
	OK("status");
	OK("status", "x");
	OK("status", "--target", "linear");
	OK("status", "--inactive", "x");
}

static void c_deps(void)
{
	dev_x();
	fk_find("x")->deps[0] = fk_encode_dev(8, 16);
	fk_find("x")->ndeps = 1;
	OK("deps");
	OK("deps", "x");
	OK("deps", "-o", "devno", "x");
}

static void c_message(void)
{
	dev_x();
	OK("message", "x", "0", "hello");
}

static void c_rename(void)
{
	dev_x();
	OK("rename", "x", "y");
	fk_add_dev("nouuid", "");
	OK("rename", "nouuid", "--setuuid", "U-n");
}

static void c_clear(void)
{
	dev_x();
	fk_set_table(fk_find("x"), 0, "0 8 zero");
	OK("clear", "x");
}

static void c_wait(void)
{
	dev_x();
	OK("wait", "x");
	OK("wait", "x", "0");
	OK("wait", "--noflush", "x");
}

static void c_mknodes(void)
{
	dev_x();
	OK("mknodes");
	OK("mknodes", "x");
}

static void c_setgeometry(void)
{
	dev_x();
	OK("setgeometry", "x", "100", "16", "63", "0");
}

static void c_help(void)
{
	OK("help");
}

static void c_findfs(void)
{
	blkdevs();
	OK("findfs", data);
}

/* CMD_VERITY alone: no superblock reading (VERITY_NO_SUPERBLOCK comes
 * with it), no root hash check. */
/* The resolvers send nothing; their case is here because every option
 * with a dependency has one. */
static void c_findfs_resolvers(void)
{
	blkdevs();
	OK("findfs", data);
}

static void c_verity(void)
{
	blkdevs();
	OK(VERITY_NOSB(data, "v", hash, root));
	OK("verity", "status", "v");
	OK("verity", "close", "v");
	OK(VERITY_NOSB("--ignore-corruption", "--ignore-zero-blocks",
		       "--check-at-most-once", data, "w", hash, root));
	OK("verity", "close", "w");
	/* A refused load: the new device goes again. */
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, 1);
	ANY(VERITY_NOSB(data, "bad", hash, root));
	assert_null(fk_find("bad"));
}

static void c_verity_superblock(void)
{
	blkdevs();
	OK("verity", "open", data, "v", hash_sb, root);
	OK("verity", "close", "v");
}

static void c_verity_no_superblock(void)
{
	blkdevs();
	OK(VERITY_NOSB(data, "v", hash, root));
	OK("verity", "close", "v");
}

static void c_verity_roothash_check(void)
{
	blkdevs();
	OK(VERITY_NOSB(data, "v", hash, root));
	OK("verity", "close", "v");
}

static void c_verity_verify(void)
{
	blkdevs();
	OK("verity", "verify", "--no-superblock", "--data-blocks", "1",
	   "--salt", SALT, data, hash, root);
}

static void c_verity_fec(void)
{
	blkdevs();
	OK(VERITY_NOSB("--fec-device", fec, "--fec-roots", "2", data, "v", hash,
		       root));
	OK("verity", "close", "v");
}

static void c_verity_signature(void)
{
	blkdevs();
	OK(VERITY_NOSB("--root-hash-signature", sig, data, "v", hash, root));
	OK("verity", "close", "v");
}

static void c_verity_status(void)
{
	blkdevs();
	OK(VERITY_NOSB(data, "v", hash, root));
	OK("verity", "status", "v");
	ANY("verity", "status", "inactive"); /* exit 4 */
}

static void c_veritysetup(void)
{
	blkdevs();
	OK("veritysetup", "open", "--no-superblock", "--data-blocks", "1",
	   "--salt", SALT, data, "v", hash, root);
	OK("veritysetup", "status", "v");
	OK("veritysetup", "close", "v");
}

/* CMD_CRYPT alone: the key in the table, under DM_SECURE_DATA_FLAG. */
static void c_crypt(void)
{
	blkdevs();
	OK(CRYPT_OPEN("crypt", "c"));
	OK("crypt", "status", "c");
	OK("crypt", "close", "c");
	OK(CRYPT_OPEN("crypt", "r"), "-r", "--allow-discards", "-o", "8");
	OK("crypt", "close", "r");
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, 1);
	ANY(CRYPT_OPEN("crypt", "bad"));
	assert_null(fk_find("bad"));
}

static void c_crypt_keyring(void)
{
	blkdevs();
	OK(CRYPT_OPEN("crypt", "c"));
	OK("crypt", "close", "c");
}

static void c_crypt_status(void)
{
	blkdevs();
	OK(CRYPT_OPEN("crypt", "c"));
	OK("crypt", "status", "c");
}

static void c_cryptsetup(void)
{
	blkdevs();
	OK(CRYPT_OPEN("cryptsetup", "c"));
	OK("cryptsetup", "status", "c");
	OK("cryptsetup", "close", "c");
	OK("cryptsetup", "plainOpen", data, "p", "-d", key);
	OK("cryptsetup", "close", "p");
}

/* data becomes a LUKS image cryptsetup made (tests/unit/luks/), to 3 MiB;
 * key the passphrase of its keyslot 0. */
static void luks_data(const char *img)
{
	static char buf[512 * 1024];
	FILE *f = fopen(img, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	put(data, buf, n, 3u << 20);
	put(key, "dmboot-test", 11, 11);
	if (!fsys.ndevs)
		blkdevs();
	fsys.alg = &fake_alg;
}

/* LUKS1: its header commands, the key in the table (no keyring). */
static void c_crypt_luks1(void)
{
	luks_data("tests/unit/luks/open-luks1.img");
	OK("crypt", "isLuks", data);
	OK("crypt", "luksUUID", data);
	OK("crypt", "open", "--test-passphrase", data, "-d", key);
	OK("crypt", "open", data, "l", "-d", key);
	OK("crypt", "status", "l");
	OK("crypt", "close", "l");
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, 1);
	ANY("crypt", "luksOpen", data, "bad", "-d", key);
	assert_null(fk_find("bad"));
}

/* LUKS2 without CRYPT_KEYRING: the key in hex, as with
 * --disable-keyring. */
static void c_crypt_luks2(void)
{
	luks_data("tests/unit/luks/open-luks2.img");
	OK("crypt", "open", data, "l", "-d", key);
	OK("crypt", "close", "l");
}

static void c_crypt_luks_dump(void)
{
	luks_data("tests/unit/luks/open-luks2.img");
	OK("crypt", "luksDump", data);
	luks_data("tests/unit/luks/open-luks1.img");
	OK("crypt", "luksDump", data);
}

/* LUKS2's logon key (the target version asked first). */
static void c_crypt_luks2_keyring(void)
{
	luks_data("tests/unit/luks/open-luks2.img");
	OK("crypt", "open", "--type", "luks2", data, "l", "-d", key);
	OK("crypt", "close", "l");
}

/* The passphrase read from stdin (no terminal: one line). */
static void c_crypt_passphrase(void)
{
	luks_data("tests/unit/luks/open-luks2.img");
	missing[0] = 0;
	check(run_cmd("dmboot-test\n",
		      (const char *const[]){"crypt", "open", data, "l", NULL}),
	      1, (const char *const[]){"crypt", "open", data, "l", NULL},
	      __LINE__);
	OK("crypt", "close", "l");
}

static void c_tab_verity(void)
{
	blkdevs();
	OK("tab", veritytab());
	/* Active now: skipped. */
	OK("tab", "--verity", veritytab());
}

static void c_tab_crypt(void)
{
	blkdevs();
	OK("tab", crypttab());
	OK("tab", "--crypt", crypttab());
}

static void c_dry_run(void)
{
	blkdevs();
	OK("tab", "--dry-run", veritytab());
	OK("init", "--dry-run", "--cmdline",
	   "root=/dev/mapper/x dm-mod.create=\"x,,,ro,0 8 linear 8:16 0\"");
}

static void c_loop_files(void)
{
	fsys_loop_nodes();
	OK(VERITY_NOSB(data, "v", hash, root));
	OK("verity", "close", "v");
	OK(CRYPT_OPEN("crypt", "c"));
	OK("crypt", "close", "c");
}

/* "dmboot init" from a script: activates and returns. */
static void c_init(void)
{
	init_host();
	host_write("proc/cmdline", "root=/dev/vda\n");
	OK("init");
}

static void c_init_dm_mod_create(void)
{
	init_host();
	host_write("proc/cmdline", "dm-mod.create=\"x,,,ro,0 8 linear 8:16 0;"
				   "y,U-y,,rw,0 8 linear 8:16 0\"\n");
	OK("init");
	assert_non_null(fk_find("y"));
}

static void c_init_systemd_verity(void)
{
	char line[1024];

	blkdevs();
	init_host();
	snprintf(line, sizeof(line),
		 "roothash=%s systemd.verity_root_data=%s "
		 "systemd.verity_root_hash=%s systemd.verity_root_options="
		 "superblock=no,data-blocks=1,salt=" SALT "\n",
		 root, data, hash);
	host_write("proc/cmdline", line);
	OK("init");
	assert_non_null(fk_find("root"));
}

static void c_init_tabs_verity(void)
{
	char line[1200];

	blkdevs();
	init_host();
	snprintf(line, sizeof(line),
		 "v %s %s %s superblock=no,data-blocks=1,salt=" SALT "\n", data,
		 hash, root);
	etc("veritytab", line);
	host_write("proc/cmdline", "\n");
	OK("init");
	assert_non_null(fk_find("v"));
}

static void c_init_tabs_crypt(void)
{
	char line[1200];

	blkdevs();
	init_host();
	snprintf(line, sizeof(line), "c %s %s plain,size=256\n", data, key);
	etc("crypttab", line);
	host_write("proc/cmdline", "\n");
	OK("init");
	assert_non_null(fk_find("c"));
}

/* A crypttab luks line in a /init with rd.luks.* (INIT_LUKS): the
 * options from the command line join the line; the LUKS2 volume opens. */
static void c_init_luks(void)
{
	char line[1200];

	luks_data("tests/unit/luks/open-luks2.img");
	init_host();
	fsys.alg = &fake_alg;
	snprintf(line, sizeof(line), "l %s %s luks\n", data, key);
	etc("crypttab", line);
	host_write("proc/cmdline", "rd.luks.options=discard\n");
	OK("init");
	assert_non_null(fk_find("l"));
}

/* UUID= of LUKS headers sends nothing: findfs probes the LUKS image. */
static void c_resolve_uuid_luks(void)
{
	luks_data("tests/unit/luks/open-luks2.img");
	OK("findfs", data);
}

/* The same lines in a /init without the command lines (CMD_VERITY,
 * CMD_CRYPT, CMD_TAB off): the activations alone must select what
 * they send. */
static void c_init_only_systemd_verity(void)
{
	c_init_systemd_verity();
}

static void c_init_only_tabs_verity(void)
{
	c_init_tabs_verity();
}

static void c_init_only_tabs_crypt(void)
{
	c_init_tabs_crypt();
}

/* ARGON2_WORKERS sends no request: built alone with its KDF, the
 * forked workers still give RFC 9106's Argon2id tag (section 5.3). */
static void c_argon2_workers(void)
{
	static const uint8_t want[32] = {
		0x0d, 0x64, 0x0d, 0xf5, 0x8d, 0x78, 0x76, 0x6c,
		0x08, 0xc0, 0x37, 0xa3, 0x4a, 0x8b, 0x53, 0xc9,
		0xd0, 0x1e, 0xf0, 0x45, 0x2d, 0x75, 0xb6, 0x5e,
		0xb5, 0x25, 0x20, 0xe9, 0x6b, 0x01, 0xe6, 0x59};
	uint8_t pwd[32], salt[16], secret[8], ad[12], out[32];
	struct argon2_in in = {
		pwd,	     salt,	   secret,	   ad,
		sizeof(pwd), sizeof(salt), sizeof(secret), sizeof(ad)};

	memset(pwd, 1, sizeof(pwd));
	memset(salt, 2, sizeof(salt));
	memset(secret, 3, sizeof(secret));
	memset(ad, 4, sizeof(ad));
	assert_int_equal(argon2_ext(ARGON2_ID, 3, 32, 4, &in, out, sizeof(out)),
			 0);
	assert_memory_equal(out, want, sizeof(want));
}

/* ARGON2_SSE2 sends no request either: built alone with its KDF, the SSE2
 * compression (x86; the portable one elsewhere) gives the same tag. */
static void c_argon2_sse2(void)
{
	c_argon2_workers();
}

static void c_init_wait(void)
{
	char line[600];

	blkdevs();
	init_host();
	snprintf(line, sizeof(line),
		 "dm-mod.waitfor=%s dm-mod.create=\"x,,,ro,0 8 linear 8:16 "
		 "0\"\n",
		 data);
	host_write("proc/cmdline", line);
	OK("init");
}

static void c_init_modules(void)
{
	init_host();
	host_write("proc/cmdline", "\n");
	OK("init");
}

static void c_init_udev_db(void)
{
	init_host();
	host_write("proc/cmdline",
		   "dm-mod.create=\"x,,,ro,0 8 linear 8:16 0\"\n");
	OK("init");
}

/* As PID 1: root= a linear device on a verity one, both from
 * dm-mod.create=; the root check asks the kernel for their tables and
 * dependencies before the mount. */
static void c_init_switch_root(void)
{
	char line[1024];

	init_host();
	fsys_blkdev("/dev/mapper/root", 253, 1);
	root_dev = makedev(253, 1);
	snprintf(line, sizeof(line),
		 "root=/dev/mapper/root rootfstype=ext4 init=/sbin/init "
		 "dm-mod.create=\"v,,,ro,"
		 "0 8 verity 1 8:16 8:32 4096 4096 1 1 sha256 %s " SALT
		 ";root,,,ro,0 8 linear 253:0 0\"\n",
		 root);
	BOOT(line);
}

#define CASES(X)                                                               \
	X(version, "CMD_VERSION")                                              \
	X(targets, "CMD_TARGETS")                                              \
	X(target_version, "CMD_TARGET_VERSION")                                \
	X(create, "CMD_CREATE")                                                \
	X(load, "CMD_LOAD")                                                    \
	X(resume, "CMD_RESUME")                                                \
	X(suspend, "CMD_SUSPEND")                                              \
	X(remove, "CMD_REMOVE")                                                \
	X(remove_force, "CMD_REMOVE REMOVE_FORCE")                             \
	X(remove_all, "CMD_REMOVE_ALL")                                        \
	X(info, "CMD_INFO")                                                    \
	X(info_columns, "CMD_INFO INFO_COLUMNS")                               \
	X(ls, "CMD_LS")                                                        \
	X(table, "CMD_TABLE")                                                  \
	X(status, "CMD_STATUS")                                                \
	X(deps, "CMD_DEPS")                                                    \
	X(message, "CMD_MESSAGE")                                              \
	X(rename, "CMD_RENAME")                                                \
	X(clear, "CMD_CLEAR")                                                  \
	X(wait, "CMD_WAIT")                                                    \
	X(mknodes, "CMD_MKNODES")                                              \
	X(setgeometry, "CMD_SETGEOMETRY")                                      \
	X(help, "CMD_HELP")                                                    \
	X(findfs, "CMD_FINDFS")                                                \
	X(findfs_resolvers, "CMD_FINDFS RESOLVE_PARTUUID RESOLVE_MBR "         \
			    "RESOLVE_PARTLABEL RESOLVE_UUID_EXT4 "             \
			    "RESOLVE_UUID_EROFS RESOLVE_UUID_VERITY")          \
	X(verity, "CMD_VERITY")                                                \
	X(verity_superblock, "CMD_VERITY VERITY_SUPERBLOCK")                   \
	X(verity_no_superblock,                                                \
	  "CMD_VERITY VERITY_SUPERBLOCK VERITY_NO_SUPERBLOCK")                 \
	X(verity_roothash_check, "CMD_VERITY VERITY_ROOTHASH_CHECK")           \
	X(verity_verify, "CMD_VERITY VERITY_VERIFY")                           \
	X(verity_fec, "CMD_VERITY VERITY_FEC")                                 \
	X(verity_signature, "CMD_VERITY VERITY_SIGNATURE")                     \
	X(verity_status, "CMD_VERITY VERITY_STATUS")                           \
	X(veritysetup, "CMD_VERITY CMD_VERITYSETUP")                           \
	X(crypt, "CMD_CRYPT")                                                  \
	X(crypt_keyring, "CMD_CRYPT CRYPT_KEYRING")                            \
	X(crypt_status, "CMD_CRYPT CRYPT_STATUS")                              \
	X(cryptsetup, "CMD_CRYPT CMD_CRYPTSETUP")                              \
	X(crypt_luks1, "CMD_CRYPT CRYPT_LUKS1 HASH_SHA1")                      \
	X(crypt_luks2, "CMD_CRYPT CRYPT_LUKS2")                                \
	X(crypt_luks2_keyring, "CMD_CRYPT CRYPT_LUKS2 CRYPT_KEYRING")          \
	X(crypt_passphrase, "CMD_CRYPT CRYPT_LUKS2 CRYPT_PASSPHRASE")          \
	X(crypt_luks_dump,                                                     \
	  "CMD_CRYPT CRYPT_LUKS1 CRYPT_LUKS2 CRYPT_LUKS_DUMP")                 \
	X(tab_verity, "CMD_TAB CMD_VERITY")                                    \
	X(tab_crypt, "CMD_TAB CMD_CRYPT")                                      \
	X(dry_run, "CMD_TAB CMD_VERITY CMD_INIT INIT_DM_MOD_CREATE DRY_RUN")   \
	X(loop_files, "CMD_VERITY CMD_CRYPT LOOP_FILES")                       \
	X(init, "CMD_INIT")                                                    \
	X(init_dm_mod_create, "CMD_INIT INIT_DM_MOD_CREATE")                   \
	X(init_systemd_verity, "CMD_INIT CMD_VERITY INIT_SYSTEMD_VERITY")      \
	X(init_tabs_verity, "CMD_INIT CMD_TAB CMD_VERITY INIT_TABS")           \
	X(init_tabs_crypt, "CMD_INIT CMD_TAB CMD_CRYPT INIT_TABS")             \
	X(init_only_systemd_verity, "CMD_INIT INIT_SYSTEMD_VERITY")            \
	X(init_only_tabs_verity, "CMD_INIT VERITY INIT_TABS")                  \
	X(init_only_tabs_crypt, "CMD_INIT CRYPT INIT_TABS")                    \
	X(init_luks, "CMD_INIT CRYPT CRYPT_LUKS2 INIT_TABS INIT_LUKS")         \
	X(resolve_uuid_luks, "CMD_FINDFS CRYPT CRYPT_LUKS2 RESOLVE_UUID_LUKS") \
	X(argon2_workers, "KDF_ARGON2 ARGON2_WORKERS")                         \
	X(argon2_sse2, "KDF_ARGON2 ARGON2_SSE2")                               \
	X(init_wait, "CMD_INIT INIT_DM_MOD_CREATE INIT_WAIT")                  \
	X(init_modules, "CMD_INIT INIT_MODULES")                               \
	X(init_udev_db, "CMD_INIT INIT_DM_MOD_CREATE INIT_UDEV_DB")            \
	X(init_switch_root, "CMD_INIT INIT_DM_MOD_CREATE INIT_SWITCH_ROOT")

struct sel_case {
	const char *name, *syms;
	void (*run)(void);
};
#define CASE_ROW(n, syms) {#n, syms, c_##n},
static const struct sel_case cases[] = {CASES(CASE_ROW)};
static const struct sel_case *current;

static int case_setup(void **state)
{
	setup(state);
	fsys_reset();
	images();
	return 0;
}

static int case_teardown(void **state)
{
	fsys_reset();
	return teardown(state);
}

static void case_run(void **state)
{
	(void)state;
	current->run();
}

int main(int argc, char **argv)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test_setup_teardown(case_run, case_setup,
						case_teardown),
	};
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < NELEM(cases); i++)
			printf("%s %s\n", cases[i].name, cases[i].syms);
		return 0;
	}
	for (i = 0; argc == 2 && i < NELEM(cases); i++)
		if (!strcmp(argv[1], cases[i].name))
			current = &cases[i];
	if (!current) {
		fprintf(stderr, "usage: %s --list | CASE\n", argv[0]);
		return 2;
	}
	return cmocka_run_group_tests_name(current->name, t, NULL, NULL);
}
