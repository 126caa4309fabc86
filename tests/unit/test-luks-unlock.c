/* SPDX-License-Identifier: MIT */
/* luks_read and luks_unlock on volumes cryptsetup 2.6.1 makes at test
 * time (luksFormat on image files, tiny KDF costs, the volume key given
 * with --volume-key-file so that the test knows it), and the pieces under
 * them: AF merge (af.c) on a vector computed apart from dmboot, the
 * cipher spec reader and the skcipher of kcapi.c.
 *
 * The keyslot areas go through kcapi.c's AF_ALG code, IVs and all. The
 * build machines' kernels may have no AF_ALG, so the kernel's side of
 * the sockets is OpenSSL here (fake-alg.h): this checks
 * dmboot's IV modes, requests and error paths against cryptsetup's own
 * userspace crypto. test_kcapi_real_kernel runs kcapi.c against the
 * kernel's AF_ALG when the machine has it and says SKIPPED when not;
 * tests/vm runs the real thing too. */
#include "harness.h"

#ifndef LUKS_NOARGON
#define LUKS_NOARGON 0
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#if TEST_OPENSSL
#include <openssl/evp.h>
#endif

#include "af.h"
#include "fake-alg.h"
#include "fake-sys.h"
#include "hash.h"
#include "kcapi.h"
#include "luks-unlock.h"

/* ---- volumes ---- */

static char img[600];

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The volume key every volume gets: no NUL byte, so that host.secret
 * can look for it in freed buffers. */
static void vk_of(uint8_t *vk, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vk[i] = (uint8_t)(i * 37 + 11) | 1;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static int lt_setup(void **state)
{
	setup(state);
	fsys_reset();
	fake_alg_reset();
	fsys.alg = &fake_alg;
	snprintf(img, sizeof(img), "%s/v.img", host.root);
	return 0;
}

static int lt_teardown(void **state)
{
	fsys.alg = NULL;
	return teardown(state);
}

static void need_tools(void)
{
	if (!TEST_OPENSSL) {
		print_message("SKIPPED: no OpenSSL in this build to stand in "
			      "for the kernel's AF_ALG\n");
		skip();
	}
	if (sh("cryptsetup --version >/dev/null 2>&1")) {
		print_message("SKIPPED: no cryptsetup on this machine "
			      "(tests/deps.sh installs cryptsetup-bin)\n");
		skip();
	}
}

/* luksFormat with passphrase pw and a volume key of kbits bits. */
static void mkvol(const char *opts, const char *pw, unsigned kbits)
{
	uint8_t vk[64];
	char kf[700], pf[700];

	need_tools();
	vk_of(vk, kbits / 8);
	snprintf(kf, sizeof(kf), "%s/vk", host.root);
	snprintf(pf, sizeof(pf), "%s/pw", host.root);
	write_file(kf, vk, kbits / 8);
	write_file(pf, pw, strlen(pw));
	assert_int_equal(sh("rm -f %s; truncate -s 4M %s && cryptsetup "
			    "luksFormat -q --key-size %u --volume-key-file %s "
			    "--key-file %s %s %s",
			    img, img, kbits, kf, pf, opts, img),
			 0);
}

/* cryptsetup's own command on the image with passphrase pw. */
static void cs(const char *pw, const char *fmt, const char *arg)
{
	char pf[700], args[1024];

	snprintf(pf, sizeof(pf), "%s/pw", host.root);
	write_file(pf, pw, strlen(pw));
	snprintf(args, sizeof(args), fmt, arg);
	assert_int_equal(sh("cryptsetup -q --key-file %s %s %s", pf, args, img),
			 0);
}

static int vol_open(void)
{
	int fd = open(img, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static struct luks_volume V;
static struct act_err E;

static int rd(int fd, int version)
{
	struct stat st;
	int le = -1, r;

	assert_int_equal(fstat(fd, &st), 0);
	memset(&E, 0, sizeof(E));
	r = luks_read(fd, (uint64_t)st.st_size, version, &V, &le, &E);
	if (!r)
		assert_int_equal(le, 0);
	return r;
}

/* luks_unlock with pw: its result; *used the slot. The key is checked
 * against the one the volume was made with, and against nothing left
 * behind: no live page buffer, no freed one holding the key. */
static int unlock(int fd, int slot, uint32_t mask, const char *pw, int *used)
{
	uint8_t vk[64], want[65];
	int r;

	memset(vk, 0xaa, sizeof(vk));
	vk_of(want, V.key_size);
	want[V.key_size] = 0;
	host.secret = (const char *)want;
	memset(&E, 0, sizeof(E));
	r = luks_unlock(fd, &V, slot, mask, pw, strlen(pw), vk, used, &E);
	if (!r) {
		assert_memory_equal(vk, want, V.key_size);
	} else {
		size_t i;

		for (i = 0; i < V.key_size; i++)
			assert_int_equal(vk[i], 0);
		assert_int_equal(*used, -1);
	}
	assert_int_equal(host.live, 0);
	assert_int_equal(host.secret_freed, 0);
	assert_int_equal(host.freed_dirty, 0);
	assert_int_equal(fsys_locked(), 0);
	host.secret = NULL;
	return r;
}

/* ---- AF merge ---- */

/* 40-byte key, 3 stripes, sha256: two pieces per diffusion, the second
 * cut to 8 bytes. The key was computed from reference/luks.md's
 * definition with Python's hashlib, apart from dmboot:
 *   H = lambda d: b"".join(sha256(j.to_bytes(4, "big") + d[32*j:32*j+32])
 *                          .digest()[:len(d[32*j:32*j+32])] for j in (0, 1))
 *   src = bytes((i*7+3) & 0xff for i in range(120)); d = bytes(40)
 *   d = H(xor(d, src[0:40])); d = H(xor(d, src[40:80]))
 *   key = xor(d, src[80:120]) */
static void test_af_merge_vector(void **state)
{
	static const uint8_t want[40] = {
		0x8a, 0x4e, 0xb0, 0xcf, 0x11, 0xf4, 0xc9, 0x42, 0xca, 0x2d,
		0x2b, 0x26, 0x29, 0x02, 0xae, 0x51, 0x2d, 0xf5, 0x58, 0x13,
		0xbf, 0x0c, 0x67, 0xc5, 0x38, 0xd7, 0x26, 0xcc, 0xc0, 0x12,
		0x03, 0x54, 0x38, 0x5c, 0x7d, 0xe8, 0x3e, 0x4b, 0x74, 0x98,
	};
	uint8_t src[120], out[40];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(af_merge(&hash_sha256, src, 40, 3, out), 0);
	assert_memory_equal(out, want, sizeof(want));
	/* One stripe is the key itself; none is refused. */
	assert_int_equal(af_merge(&hash_sha1, src, 40, 1, out), 0);
	assert_memory_equal(out, src, 40);
	assert_int_equal(af_merge(&hash_sha1, src, 40, 0, out), -EINVAL);
}

/* ---- kcapi.c's spec reader ---- */

static void test_cipher_spec(void **state)
{
	static const struct {
		const char *spec, *kname;
		int iv;
		const char *ehash;
	} good[] = {
		{"aes-xts-plain64", "xts(aes)", KC_IV_PLAIN64, ""},
		{"aes-cbc-essiv:sha256", "cbc(aes)", KC_IV_ESSIV, "sha256"},
		{"aes-cbc-plain", "cbc(aes)", KC_IV_PLAIN, ""},
		{"serpent-cbc-plain64be", "cbc(serpent)", KC_IV_PLAIN64BE, ""},
		{"twofish-xts-benbi", "xts(twofish)", KC_IV_BENBI, ""},
		{"aes-cbc-null", "cbc(aes)", KC_IV_NULL, ""},
		{"aes-cbc", "cbc(aes)", KC_IV_NULL, ""},
		{"aes-ecb", "ecb(aes)", KC_IV_NONE, ""},
	};
	static const char *const bad[] = {
		"aes",
		"-xts-plain64",
		"aes--plain64",
		"aes-xts-",
		"aes-ecb-plain",
		"aes-cbc-essiv",
		"aes-cbc-plain:sha1",
		"aes-cbc-lmk",
		"capi:xts(aes)-plain64",
		"aes-xts-essiv:",
		"aes-cbc-tcw",
	};
	char kname[64], eh[16];
	size_t i;
	int iv;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		assert_int_equal(kc_cipher_spec(good[i].spec, kname,
						sizeof(kname), &iv, eh),
				 0);
		assert_string_equal(kname, good[i].kname);
		assert_int_equal(iv, good[i].iv);
		assert_string_equal(eh, good[i].ehash);
	}
	for (i = 0; i < NELEM(bad); i++)
		if (kc_cipher_spec(bad[i], kname, sizeof(kname), &iv, eh) !=
		    -EINVAL)
			fail_msg("%s accepted", bad[i]);
	/* The kernel's name must fit. */
	assert_int_equal(kc_cipher_spec("aes-xts-plain64", kname, 8, &iv, eh),
			 -EINVAL);
}

/* ---- LUKS1 ---- */

static void test_luks1_ciphers_and_hashes(void **state)
{
	static const struct {
		const char *opts;
		unsigned bits;
	} v[] = {
		{"--hash sha256 --cipher aes-xts-plain64", 512},
		{"--hash sha1 --cipher aes-cbc-essiv:sha256", 256},
		{"--hash sha512 --cipher aes-cbc-plain64", 256},
		{"--hash sha256 --cipher aes-cbc-plain", 128},
		{"--hash sha256 --cipher aes-cbc-plain64be", 192},
		{"--hash sha1 --cipher aes-cbc-benbi", 256},
		{"--hash sha256 --cipher aes-cbc-null", 256},
		{"--hash sha512 --cipher aes-ecb", 256},
		{"--hash sha256 --cipher aes-xts-plain64", 256},
	};
	char opts[256];
	size_t i;
	int fd, used;

	(void)state;
	for (i = 0; i < NELEM(v); i++) {
		snprintf(opts, sizeof(opts),
			 "--type luks1 --pbkdf-force-iterations 1000 %s",
			 v[i].opts);
		mkvol(opts, "correct horse", v[i].bits);
		fd = vol_open();
		assert_int_equal(rd(fd, 0), 0);
		assert_int_equal(V.version, 1);
		assert_int_equal(V.key_size, v[i].bits / 8);
		assert_string_equal(V.cipher, strstr(v[i].opts, "aes"));
		assert_int_equal(V.sector_size, 512);
		assert_int_equal(V.size, 0);
		assert_true(V.offset >= 2 * LUKS1_HDR_SIZE / 512);
		falg.requests = 0;
		if (unlock(fd, -1, ~0u, "correct horse", &used))
			fail_msg("%s: %s", v[i].opts,
				 E.why ? E.why : "no slot opened");
		assert_int_equal(used, 0);
		/* One request per sector (ecb: batched; essiv: two). */
		assert_true(falg.requests > 0);
		assert_int_equal(unlock(fd, -1, ~0u, "correct horsf", &used),
				 -EPERM);
		assert_int_equal(unlock(fd, -1, ~0u, "", &used), -EPERM);
		close(fd);
	}
}

static void test_luks1_slots(void **state)
{
	int fd, used;

	(void)state;
	mkvol("--type luks1 --hash sha256 --pbkdf-force-iterations 1000", "a",
	      256);
	/* slots 2 and 3: "b" and "c"; then slot 2 removed */
	assert_int_equal(
		sh("printf b >%s/b && printf c >%s/c", host.root, host.root),
		0);
	{
		char b[700];

		snprintf(b, sizeof(b), "%s/b", host.root);
		cs("a",
		   "luksAddKey --pbkdf-force-iterations 1000 --key-slot 2 "
		   "--new-keyfile %s",
		   b);
		snprintf(b, sizeof(b), "%s/c", host.root);
		cs("a",
		   "luksAddKey --pbkdf-force-iterations 1000 --key-slot 3 "
		   "--new-keyfile %s",
		   b);
	}
	assert_int_equal(sh("cryptsetup -q luksKillSlot --key-file %s/c %s 2",
			    host.root, img),
			 0);
	fd = vol_open();
	assert_int_equal(rd(fd, 1), 0);
	assert_int_equal(V.u.l1.ks[2].active, 0);
	assert_int_equal(unlock(fd, -1, ~0u, "a", &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(unlock(fd, -1, ~0u, "c", &used), 0);
	assert_int_equal(used, 3);
	/* the removed slot's passphrase opens nothing */
	assert_int_equal(unlock(fd, -1, ~0u, "b", &used), -EPERM);
	assert_int_equal(unlock(fd, 2, ~0u, "b", &used), -ENOENT);
	/* --key-slot: that slot only */
	assert_int_equal(unlock(fd, 3, ~0u, "c", &used), 0);
	assert_int_equal(used, 3);
	assert_int_equal(unlock(fd, 0, ~0u, "c", &used), -EPERM);
	assert_int_equal(unlock(fd, 7, ~0u, "c", &used), -ENOENT);
	/* the mask leaves slot 3 out */
	assert_int_equal(unlock(fd, -1, 0x7, "c", &used), -EPERM);
	assert_int_equal(unlock(fd, 3, 0x7, "c", &used), -ENOENT);
	assert_int_equal(unlock(fd, -1, 0x8, "a", &used), -EPERM);
	assert_int_equal(unlock(fd, -1, 0x4, "a", &used), -ENOENT);
	close(fd);
}

/* ---- LUKS2 ---- */

#define L2_SMALL                                                               \
	"--type luks2 --luks2-metadata-size 16k --luks2-keyslots-size 1m "     \
	"--offset 2112 "

static void test_luks2_kdfs(void **state)
{
	static const struct {
		const char *opts;
		unsigned bits, sector;
	} v[] = {
		{L2_SMALL "--pbkdf pbkdf2 --hash sha256 "
			  "--pbkdf-force-iterations 1000 --sector-size 512",
		 512, 512},
		{L2_SMALL "--pbkdf pbkdf2 --hash sha512 "
			  "--pbkdf-force-iterations 1000 "
			  "--cipher aes-cbc-essiv:sha256 --sector-size 4096",
		 256, 4096},
		{L2_SMALL "--pbkdf argon2i --pbkdf-memory 32 "
			  "--pbkdf-force-iterations 4 --pbkdf-parallel 1 "
			  "--sector-size 512",
		 512, 512},
		{L2_SMALL "--pbkdf argon2id --pbkdf-memory 64 "
			  "--pbkdf-force-iterations 4 --pbkdf-parallel 2 "
			  "--sector-size 4096",
		 512, 4096},
	};
	size_t i;
	int fd, used;

	(void)state;
	for (i = 0; i < NELEM(v); i++) {
		mkvol(v[i].opts, "pass phrase", v[i].bits);
		fd = vol_open();
		assert_int_equal(rd(fd, 0), 0);
		assert_int_equal(V.version, 2);
		assert_int_equal(V.key_size, v[i].bits / 8);
		assert_int_equal(V.sector_size, v[i].sector);
		assert_int_equal(V.digest, 0);
		/* data after two 16 KiB headers and 1 MiB of keyslots */
		assert_int_equal(V.offset, (2 * 16384 + 1048576) / 512);
		assert_int_equal(V.size, 0);
		assert_int_equal(V.iv_tweak, 0);
		assert_string_equal(V.cipher, v[i].bits == 256
						      ? "aes-cbc-essiv:sha256"
						      : "aes-xts-plain64");
		if (unlock(fd, -1, ~0u, "pass phrase", &used))
			fail_msg("%s: %s", v[i].opts,
				 E.why ? E.why : "no slot opened");
		assert_int_equal(used, 0);
		assert_int_equal(unlock(fd, -1, ~0u, "pass phrasE", &used),
				 -EPERM);
		close(fd);
	}
}

static void test_luks2_priority(void **state)
{
	char f[700];
	int fd, used;

	(void)state;
	mkvol(L2_SMALL "--pbkdf pbkdf2 --pbkdf-force-iterations 1000", "same",
	      256);
	snprintf(f, sizeof(f), "%s/same", host.root);
	write_file(f, "same", 4);
	cs("same",
	   "luksAddKey --pbkdf pbkdf2 --pbkdf-force-iterations 1000 "
	   "--key-slot 5 --new-keyfile %s",
	   f);
	fd = vol_open();
	assert_int_equal(rd(fd, 2), 0);
	assert_int_equal(unlock(fd, -1, ~0u, "same", &used), 0);
	assert_int_equal(used, 0);
	close(fd);

	cs("same", "config --priority %s --key-slot 5", "prefer");
	fd = vol_open();
	assert_int_equal(rd(fd, 2), 0);
	assert_int_equal(V.u.l2.meta.keyslots[5].priority, 2);
	assert_int_equal(unlock(fd, -1, ~0u, "same", &used), 0);
	assert_int_equal(used, 5);
	close(fd);

	cs("same", "config --priority %s --key-slot 5", "ignore");
	cs("same", "config --priority %s --key-slot 0", "ignore");
	fd = vol_open();
	assert_int_equal(rd(fd, 2), 0);
	/* never an ignored slot, unless named */
	assert_int_equal(unlock(fd, -1, ~0u, "same", &used), -ENOENT);
	assert_int_equal(unlock(fd, 5, ~0u, "same", &used), 0);
	assert_int_equal(used, 5);
	close(fd);
}

static void damage(uint64_t off, size_t n)
{
	char z[4096];
	int fd = open(img, O_WRONLY | O_CLOEXEC);

	assert_true(fd >= 0 && n <= sizeof(z));
	memset(z, 'X', n);
	assert_int_equal(pwrite(fd, z, n, (off_t)off), (ssize_t)n);
	close(fd);
}

static void test_luks2_damaged_primary(void **state)
{
	int fd, used, le;
	struct stat st;

	(void)state;
	mkvol("--type luks2 --luks2-metadata-size 32k --luks2-keyslots-size 1m "
	      "--pbkdf pbkdf2 --pbkdf-force-iterations 1000",
	      "pw", 512);
	/* The JSON area: the primary's checksum fails. */
	damage(4096 + 200, 8);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	assert_int_equal(V.u.l2.bin.hdr_offset, 32768);
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), 0);
	close(fd);
	/* And the secondary's: no copy left. */
	damage(32768 + 4096 + 100, 8);
	fd = vol_open();
	assert_int_equal(fstat(fd, &st), 0);
	le = 0;
	memset(&E, 0, sizeof(E));
	assert_int_equal(luks_read(fd, (uint64_t)st.st_size, 2, &V, &le, &E),
			 -EINVAL);
	assert_int_equal(le, LUKS_E_CHECKSUM);
	assert_string_equal(E.why, "no header copy with a valid checksum");
	close(fd);

	/* The primary's whole binary header, magic and hdr_size too: the
	 * secondary is looked for, and found at 32 KiB. */
	mkvol("--type luks2 --luks2-metadata-size 32k --luks2-keyslots-size 1m "
	      "--pbkdf pbkdf2 --pbkdf-force-iterations 1000",
	      "pw", 512);
	damage(0, 4096);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	assert_int_equal(V.u.l2.bin.hdr_offset, 32768);
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), 0);
	close(fd);
}

static void test_read_refusals(void **state)
{
	int fd, le = 0;

	(void)state;
	mkvol(L2_SMALL "--pbkdf pbkdf2 --pbkdf-force-iterations 1000", "pw",
	      256);
	fd = vol_open();
	/* --type luks1 on a LUKS2 header */
	assert_int_equal(rd(fd, 1), -EINVAL);
	/* keyslots beyond the device's end */
	memset(&E, 0, sizeof(E));
	assert_int_equal(luks_read(fd, 65536, 0, &V, &le, &E), -EINVAL);
	assert_int_equal(le, LUKS_E_LAYOUT);
	assert_string_equal(E.what, "keyslots.area");
	/* too short for any header */
	assert_int_equal(luks_read(fd, 500, 0, &V, &le, &E), -EINVAL);
	assert_int_equal(le, LUKS_E_TRUNCATED);
	close(fd);

	mkvol("--type luks1 --pbkdf-force-iterations 1000", "pw", 256);
	fd = vol_open();
	assert_int_equal(rd(fd, 2), -EINVAL);
	assert_int_equal(luks_read(fd, 65536, 0, &V, &le, &E), -EINVAL);
	close(fd);

	/* Not LUKS at all */
	assert_int_equal(sh("rm -f %s; truncate -s 1M %s", img, img), 0);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), -EINVAL);
	assert_int_equal(luks_read(fd, 1 << 20, 0, &V, &le, &E), -EINVAL);
	assert_int_equal(le, LUKS_E_MAGIC);
	close(fd);
}

/* ---- what the kernel or the machine lacks ---- */

static void test_no_af_alg(void **state)
{
	int fd, used;

	(void)state;
	mkvol("--type luks1 --pbkdf-force-iterations 1000", "pw", 512);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	falg.absent = 1;
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), -ENOSYS);
	assert_string_equal(E.why, "no AF_ALG in this kernel: load af_alg, "
				   "algif_skcipher");
	falg.absent = 0;
	falg.missing = "xts(aes)";
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), -ENOSYS);
	assert_string_equal(
		E.why, "kernel lacks xts(aes): load algif_skcipher, xts, aes");
	/* named, too */
	assert_int_equal(unlock(fd, 0, ~0u, "pw", &used), -ENOSYS);
	falg.missing = NULL;
	assert_int_equal(unlock(fd, 0, ~0u, "pw", &used), 0);
	close(fd);
}

static void test_essiv_cipher_missing(void **state)
{
	int fd, used;

	(void)state;
	mkvol("--type luks1 --pbkdf-force-iterations 1000 "
	      "--cipher aes-cbc-essiv:sha256",
	      "pw", 256);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	falg.missing = "ecb(aes)";
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), -ENOSYS);
	assert_string_equal(
		E.why, "kernel lacks ecb(aes): load algif_skcipher, ecb, aes");
	close(fd);
}

static void test_argon2_memory_refused(void **state)
{
	int fd, used;

	(void)state;
	mkvol(L2_SMALL "--pbkdf argon2id --pbkdf-memory 32 "
		       "--pbkdf-force-iterations 4 --pbkdf-parallel 1",
	      "pw", 512);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	/* The keyslot's secret memory is allocation 1; Argon2's area 2. */
	host.alloc_fail_at = host.allocs + 2;
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), -ENOMEM);
	assert_non_null(strstr(E.why, "argon2 needs 32 KiB, the machine has "));
	assert_non_null(strstr(E.why, " KiB free"));
	host.alloc_fail_at = 0;
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), 0);
	close(fd);
}

/* A slot this machine cannot open does not hide one it can: slot 0's
 * argon2 is refused memory, slot 1's pbkdf2 opens. */
static void test_unopenable_slot_skipped(void **state)
{
	char f[700];
	int fd, used;

	(void)state;
	mkvol(L2_SMALL "--pbkdf argon2id --pbkdf-memory 32 "
		       "--pbkdf-force-iterations 4 --pbkdf-parallel 1",
	      "pw", 512);
	snprintf(f, sizeof(f), "%s/pw2", host.root);
	write_file(f, "pw", 2);
	cs("pw",
	   "luksAddKey --pbkdf pbkdf2 --pbkdf-force-iterations 1000 "
	   "--key-slot 1 --new-keyfile %s",
	   f);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	host.alloc_fail_at = host.allocs + 2;
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), 0);
	assert_int_equal(used, 1);
	host.alloc_fail_at = 0;
	close(fd);
}

#if LUKS_NOARGON
/* ---- a build without KDF_ARGON2 (test-luks-noargon.c) ---- */

static void test_argon2_not_built(void **state)
{
	char f[700];
	int fd, used;

	(void)state;
	mkvol(L2_SMALL "--pbkdf argon2id --pbkdf-memory 32 "
		       "--pbkdf-force-iterations 4 --pbkdf-parallel 1",
	      "pw", 512);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), -ENOSYS);
	assert_string_equal(E.why, "argon2 not built into this dmboot");
	assert_int_equal(unlock(fd, 0, ~0u, "pw", &used), -ENOSYS);
	close(fd);
	/* A pbkdf2 slot beside it still opens the volume; a passphrase
	 * that opens no slot is not called wrong: the argon2 slot could
	 * not be tried. */
	snprintf(f, sizeof(f), "%s/pw2", host.root);
	write_file(f, "pw", 2);
	cs("pw",
	   "luksAddKey --pbkdf pbkdf2 --pbkdf-force-iterations 1000 "
	   "--key-slot 1 --new-keyfile %s",
	   f);
	fd = vol_open();
	assert_int_equal(rd(fd, 0), 0);
	assert_int_equal(unlock(fd, -1, ~0u, "pw", &used), 0);
	assert_int_equal(used, 1);
	assert_int_equal(unlock(fd, -1, ~0u, "pX", &used), -ENOSYS);
	assert_string_equal(E.why, "argon2 not built into this dmboot");
	assert_int_equal(unlock(fd, 1, ~0u, "pX", &used), -EPERM);
	close(fd);
}
#endif

/* ---- kcapi.c against this machine's kernel ---- */

static void test_kcapi_real_kernel(void **state)
{
	static const char *const specs[] = {
		"aes-xts-plain64",   "aes-cbc-essiv:sha256", "aes-cbc-plain64",
		"aes-cbc-plain64be", "aes-cbc-benbi",	     "aes-ecb",
	};
	uint8_t key[64], a[8 * 512], b[8 * 512];
	struct kc_cipher c;
	size_t i, k;
	int r;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 13 + 1);
	fsys.alg = NULL;
	r = kc_cipher_open(&c, "aes-xts-plain64", key, 64);
	if (r == -EAFNOSUPPORT || r == -ENOENT) {
		print_message("SKIPPED: this kernel has no AF_ALG skcipher "
			      "(xts(aes)): kcapi.c is checked against OpenSSL "
			      "here and against the kernel in tests/vm\n");
		skip();
	}
	assert_int_equal(r, 0);
	kc_cipher_close(&c);
	if (!TEST_OPENSSL)
		skip();
	for (k = 0; k < NELEM(specs); k++) {
		size_t klen = strstr(specs[k], "xts") ? 64 : 32;

		for (i = 0; i < sizeof(a); i++)
			a[i] = (uint8_t)(i * 5 + k);
		memcpy(b, a, sizeof(b));
		fsys.alg = NULL;
		assert_int_equal(kc_cipher_open(&c, specs[k], key, klen), 0);
		assert_int_equal(kc_decrypt(&c, a, sizeof(a), 77), 0);
		kc_cipher_close(&c);
		fsys.alg = &fake_alg;
		assert_int_equal(kc_cipher_open(&c, specs[k], key, klen), 0);
		assert_int_equal(kc_decrypt(&c, b, sizeof(b), 77), 0);
		kc_cipher_close(&c);
		assert_memory_equal(a, b, sizeof(a));
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, lt_setup, lt_teardown)

int main(void)
{
#if LUKS_NOARGON
	const struct CMUnitTest tests[] = {
		T(test_argon2_not_built),
	};

	return cmocka_run_group_tests_name(
		"luks-noargon: argon2 keyslots without KDF_ARGON2", tests, NULL,
		NULL);
#else
	const struct CMUnitTest tests[] = {
		T(test_af_merge_vector),
		T(test_cipher_spec),
		T(test_luks1_ciphers_and_hashes),
		T(test_luks1_slots),
		T(test_luks2_kdfs),
		T(test_luks2_priority),
		T(test_luks2_damaged_primary),
		T(test_read_refusals),
		T(test_no_af_alg),
		T(test_essiv_cipher_missing),
		T(test_argon2_memory_refused),
		T(test_unopenable_slot_skipped),
		T(test_kcapi_real_kernel),
	};

	return cmocka_run_group_tests_name(
		"luks-unlock: headers, keyslots, AF merge, AF_ALG skcipher",
		tests, NULL, NULL);
#endif
}
