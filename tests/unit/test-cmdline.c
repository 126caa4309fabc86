/* SPDX-License-Identifier: MIT */
/* The kernel command line: next_arg()'s quoting, parameq()'s dashes, and
 * every parameter the init reads, with its errors. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "init.h"
#include "tab-open.h"

/* Splits text into "param|val" (val "-" when absent) joined by ' '. */
static const char *split(const char *text)
{
	static char line[1024], out[2048];
	char *p = line, *param, *val;
	size_t n = 0;

	snprintf(line, sizeof(line), "%s", text);
	out[0] = 0;
	while (*p && strchr(" \t\n", *p)) /* parse_args's skip_spaces */
		p++;
	while (*p) {
		p = cmdline_next(p, &param, &val);
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s|%s",
				      n ? " " : "", param, val ? val : "-");
	}
	return out;
}

static void test_next_arg(void **state)
{
	(void)state;
	assert_string_equal(split("a b=c"), "a|- b|c");
	assert_string_equal(split("a  \t b"), "a|- b|-");
	assert_string_equal(split("a   "), "a|-");
	/* A quoted value loses its quotes and keeps its blanks. */
	assert_string_equal(split("x=\"a b\" y"), "x|a b y|-");
	/* A quoted word: the quotes around param=value go. */
	assert_string_equal(split("\"x=a b\" y"), "x|a b y|-");
	/* Quotes inside a value stay, and still group blanks. */
	assert_string_equal(split("x=a\"b c\"d e"), "x|a\"b c\"d e|-");
	/* Only the first '=' splits; one in the first place does not. */
	assert_string_equal(split("x=a=b"), "x|a=b");
	assert_string_equal(split("=x=y"), "=x|y");
	assert_string_equal(split("=x"), "=x|-");
	/* An unclosed quote runs to the end of the line. */
	assert_string_equal(split("x=\"a b c"), "x|a b c");
	assert_string_equal(split("x=\"\" y"), "x| y|-");
	/* Latin-1's no-break space separates words, as in the kernel. */
	assert_string_equal(split("a\xa0"
				  "b"),
			    "a|- b|-");
	assert_string_equal(split("\t\n"), "");
}

static void test_param_eq(void **state)
{
	(void)state;
	assert_true(cmdline_param_eq("dm-mod.create", "dm_mod.create"));
	assert_true(cmdline_param_eq("dm_mod-create", "dm-mod_create"));
	assert_true(cmdline_param_eq("root", "root"));
	assert_false(cmdline_param_eq("root", "rootwait"));
	assert_false(cmdline_param_eq("rootwait", "root"));
	assert_false(cmdline_param_eq("dm.mod.create", "dm-mod.create"));
	assert_false(cmdline_param_eq("", "x"));
}

static struct boot_cfg cfg;
static char line[8192];

static int parse(const char *text)
{
	snprintf(line, sizeof(line), "%s", text);
	return boot_cfg_parse(&cfg, line);
}

static void expect_error(const char *text, const char *param, const char *why)
{
	assert_int_equal(parse(text), -EINVAL);
	assert_string_equal(cfg.err_param, param);
	assert_non_null(strstr(cfg.err, why));
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(cfg.ro, 1);
	assert_int_equal(cfg.timeout, BOOT_DEFAULT_TIMEOUT);
	assert_int_equal(cfg.onfail, ONFAIL_PANIC);
	assert_null(cfg.root);
	assert_null(cfg.init);
	assert_null(cfg.dm_create);
	assert_int_equal(cfg.nwaitfor, 0);
	assert_int_equal(cfg.rootwait, 0);
	assert_int_equal(cfg.rootdelay, 0);
}

static void test_demo_line(void **state)
{
	(void)state;
	assert_int_equal(
		parse("console=ttyS0 quiet panic=-1 "
		      "dm-mod.create=\"root,,,ro,0 16 verity 1 /dev/vda "
		      "/dev/vdb 4096 4096 2 1 sha256 ab cd\" "
		      "root=/dev/dm-0 dm-mod.waitfor=/dev/vda,/dev/vdb "
		      "rootfstype=ext4 ro init=/sbin/init rootflags=noload"),
		0);
	assert_string_equal(cfg.dm_create,
			    "root,,,ro,0 16 verity 1 /dev/vda /dev/vdb 4096 "
			    "4096 2 1 sha256 ab cd");
	assert_string_equal(cfg.root, "/dev/dm-0");
	assert_string_equal(cfg.rootfstype, "ext4");
	assert_string_equal(cfg.rootflags, "noload");
	assert_string_equal(cfg.init, "/sbin/init");
	assert_int_equal(cfg.nwaitfor, 2);
	assert_string_equal(cfg.waitfor[0], "/dev/vda");
	assert_string_equal(cfg.waitfor[1], "/dev/vdb");
	assert_int_equal(cfg.ro, 1);
}

static void test_spellings(void **state)
{
	(void)state;
	/* Module parameters: '-' and '_' alike, in the whole name. */
	assert_int_equal(parse("dm_mod.create=a,,,ro,x dm_mod.waitfor=/dev/x "
			       "dmboot_timeout=3"),
			 0);
	assert_string_equal(cfg.dm_create, "a,,,ro,x");
	assert_int_equal(cfg.nwaitfor, 1);
	/* ... but a '.' is not a '_'. */
	assert_int_equal(cfg.timeout, BOOT_DEFAULT_TIMEOUT);
	/* The last one wins, as the kernel's setters overwrite. */
	assert_int_equal(parse("root=/dev/a root=/dev/b ro rw init=/x init=/y"),
			 0);
	assert_string_equal(cfg.root, "/dev/b");
	assert_string_equal(cfg.init, "/y");
	assert_int_equal(cfg.ro, 0);
	assert_int_equal(parse("rw ro"), 0);
	assert_int_equal(cfg.ro, 1);
	/* Words that only start like ours are not ours. */
	assert_int_equal(parse("roo rooted=1 rootfs=x"), 0);
	assert_int_equal(cfg.ro, 1);
	assert_null(cfg.root);
	assert_null(cfg.rootfstype);
	/* After "--" everything is init's. */
	assert_int_equal(
		parse("root=/dev/a -- root=/dev/b rw dmboot.onfail=junk"), 0);
	assert_string_equal(cfg.root, "/dev/a");
	assert_int_equal(cfg.ro, 1);
	/* A quoted "--" is a word like any other... and still ends. */
	assert_int_equal(parse("\"--\" root=/dev/b"), 0);
	assert_null(cfg.root);
}

static void test_rootwait_rootdelay(void **state)
{
	(void)state;
	assert_int_equal(parse("rootwait"), 0);
	assert_int_equal(cfg.rootwait, 1);
	assert_int_equal(cfg.rootwait_s, 0);
	assert_int_equal(parse("rootwait=5"), 0);
	assert_int_equal(cfg.rootwait, 1);
	assert_int_equal(cfg.rootwait_s, 5);
	/* The kernel takes an invalid value as "without limit". */
	assert_int_equal(parse("rootwait=x"), 0);
	assert_int_equal(cfg.rootwait, 1);
	assert_int_equal(cfg.rootwait_s, 0);
	assert_int_equal(parse("rootwait=5 rootwait"), 0);
	assert_int_equal(cfg.rootwait_s, 0);
	assert_int_equal(parse("rootdelay=3"), 0);
	assert_int_equal(cfg.rootdelay, 3);
	assert_int_equal(parse("rootdelay=3s"), 0); /* simple_strtoul */
	assert_int_equal(cfg.rootdelay, 3);
	assert_int_equal(parse("rootdelay=x"), 0);
	assert_int_equal(cfg.rootdelay, 0);
	assert_int_equal(parse("rootdelay=999999999"), 0);
	assert_int_equal(cfg.rootdelay, CMDLINE_MAX_SECONDS);
}

static void test_dmboot_params(void **state)
{
	static const char *const names[] = {"panic", "reboot", "shell", "halt",
					    "poweroff"};
	char text[64];
	unsigned i;

	(void)state;
	for (i = 0; i < NELEM(names); i++) {
		snprintf(text, sizeof(text), "dmboot.onfail=%s", names[i]);
		assert_int_equal(parse(text), 0);
		assert_int_equal(cfg.onfail, i);
	}
	expect_error("dmboot.onfail=Panic", "dmboot.onfail",
		     "not panic, reboot");
	expect_error("dmboot.onfail=", "dmboot.onfail", "not panic, reboot");
	assert_int_equal(parse("dmboot.timeout=0"), 0);
	assert_int_equal(cfg.timeout, 0);
	assert_int_equal(parse("dmboot.timeout=4000000"), 0);
	expect_error("dmboot.timeout=4000001", "dmboot.timeout", "seconds");
	expect_error("dmboot.timeout=10s", "dmboot.timeout", "seconds");
	expect_error("dmboot.timeout=", "dmboot.timeout", "seconds");
	expect_error("dmboot.timeout=-1", "dmboot.timeout", "seconds");
	/* dmboot.* words without a value are left alone, like the kernel's. */
	assert_int_equal(parse("dmboot.timeout dmboot.onfail"), 0);
	assert_int_equal(cfg.timeout, BOOT_DEFAULT_TIMEOUT);
}

static void test_waitfor(void **state)
{
	char *text = line;
	int i;

	(void)state;
	expect_error("dm-mod.waitfor=/dev/a,,/dev/b", "dm-mod.waitfor",
		     "empty device name");
	expect_error("dm-mod.waitfor=/dev/a,", "dm-mod.waitfor",
		     "empty device name");
	expect_error("dm-mod.waitfor=", "dm-mod.waitfor", "empty device name");
	/* 256 names, the kernel's DM_MAX_WAITFOR, then one more. */
	text = malloc(8192);
	assert_non_null(text);
	strcpy(text, "dm-mod.waitfor=");
	for (i = 0; i < 256; i++)
		sprintf(text + strlen(text), "%s%d:0", i ? "," : "", i);
	assert_int_equal(parse(text), 0);
	assert_int_equal(cfg.nwaitfor, 256);
	assert_string_equal(cfg.waitfor[255], "255:0");
	strcat(text, ",256:0");
	expect_error(text, "dm-mod.waitfor", "can only take 256 arguments");
	free(text);
	/* PARTUUID= and friends are kept for the resolver as they are. */
	assert_int_equal(parse("dm-mod.waitfor=PARTUUID=ab-cd,PARTLABEL=x y"),
			 0);
	assert_int_equal(cfg.nwaitfor, 2);
	assert_string_equal(cfg.waitfor[0], "PARTUUID=ab-cd");
	assert_string_equal(cfg.waitfor[1], "PARTLABEL=x");
}

#define HASH "0123456789ABCDEF0123456789abcdef00112233445566778899aabbccddeeff"

/* systemd's generators: roothash= and its devices, root= defaulting to
 * /dev/mapper/root, the hash checked before anything waits for it. */
static void test_systemd_verity(void **state)
{
	(void)state;
	assert_int_equal(parse("roothash=" HASH), 0);
	assert_string_equal(cfg.roothash, HASH);
	assert_string_equal(cfg.root, "/dev/mapper/root");
	assert_null(cfg.verity_data);
	assert_null(cfg.verity_hash);
	assert_null(cfg.verity_options);
	/* root= wins wherever it stands; '-' and '_' are the same. */
	assert_int_equal(
		parse("root=/dev/vdc roothash=" HASH
		      " systemd.verity-root-data=/dev/vda"
		      " systemd.verity_root_hash=UUID=x"
		      " systemd.verity_root_options=panic-on-corruption"),
		0);
	assert_string_equal(cfg.root, "/dev/vdc");
	assert_string_equal(cfg.verity_data, "/dev/vda");
	assert_string_equal(cfg.verity_hash, "UUID=x");
	assert_string_equal(cfg.verity_options, "panic-on-corruption");
	/* Without roothash= the others change nothing. */
	assert_int_equal(parse("systemd.verity_root_data=/dev/vda"), 0);
	assert_null(cfg.root);
	assert_null(cfg.roothash);
	expect_error("roothash=12zz", "roothash", "not a hexadecimal hash");
	expect_error("roothash=123", "roothash", "not a hexadecimal hash");
	expect_error("roothash=", "roothash", "not a hexadecimal hash");
	/* Too short to name partitions by, fine with the devices named. */
	expect_error("roothash=0123456789abcdef0123456789abcd", "roothash",
		     "under 128 bits");
	expect_error("roothash=0123 systemd.verity_root_data=/dev/vda",
		     "roothash", "under 128 bits");
	assert_int_equal(parse("roothash=0123 systemd.verity_root_data=/dev/vda"
			       " systemd.verity_root_hash=/dev/vdb"),
			 0);
}

/* systemd's on/off switches, with and without rd., the last one winning;
 * a value that is no boolean changes nothing. */
static void test_systemd_switches(void **state)
{
	(void)state;
	assert_int_equal(parse("roothash=" HASH), 0);
	assert_int_equal(cfg.no_verity | cfg.no_veritytab | cfg.no_luks |
				 cfg.no_crypttab,
			 0);
	assert_int_equal(parse("roothash=" HASH " systemd.verity=no"), 0);
	assert_int_equal(cfg.no_verity, 1);
	assert_null(cfg.roothash);
	assert_null(cfg.root); /* no /dev/mapper/root to default to */
	assert_int_equal(parse("rd.systemd.verity=0 systemd.verity=yes "
			       "roothash=" HASH),
			 0);
	assert_int_equal(cfg.no_verity, 0);
	assert_string_equal(cfg.root, "/dev/mapper/root");
	assert_int_equal(parse("rd.veritytab=off luks.crypttab=false "
			       "rd.luks=n"),
			 0);
	assert_int_equal(cfg.no_veritytab, 1);
	assert_int_equal(cfg.no_crypttab, 1);
	assert_int_equal(cfg.no_luks, 1);
	assert_int_equal(cfg.no_verity, 0);
	assert_int_equal(parse("veritytab=maybe rd.luks.crypttab=1 luks=on "
			       "rd.systemd.verity=f"),
			 0);
	assert_int_equal(cfg.no_veritytab, 0);
	assert_int_equal(cfg.no_crypttab, 0);
	assert_int_equal(cfg.no_luks, 0);
	assert_int_equal(cfg.no_verity, 1);
	/* Bare words and other prefixes are not these switches. */
	assert_int_equal(parse("veritytab rd.rd.luks=no xluks=no"), 0);
	assert_int_equal(cfg.no_veritytab | cfg.no_luks, 0);
}

/* The first and the last 128 bits, 8-4-4-4-12, lower case. */
static void test_roothash_partuuid(void **state)
{
	char out[ROOTHASH_PARTUUID_SIZE];

	(void)state;
	roothash_partuuid(HASH, 0, out);
	assert_string_equal(out,
			    "PARTUUID=01234567-89ab-cdef-0123-456789abcdef");
	roothash_partuuid(HASH, 1, out);
	assert_string_equal(out,
			    "PARTUUID=00112233-4455-6677-8899-aabbccddeeff");
	/* A 128-bit hash names one partition for both. */
	roothash_partuuid("FFEEDDCCBBAA99887766554433221100", 1, out);
	assert_string_equal(out,
			    "PARTUUID=ffeeddcc-bbaa-9988-7766-554433221100");
	/* sha512: the last 32 digits. */
	roothash_partuuid(HASH HASH, 1, out);
	assert_string_equal(out,
			    "PARTUUID=00112233-4455-6677-8899-aabbccddeeff");
	assert_int_equal(strlen(out) + 1, sizeof(out));
}

/* roothash= becomes what verity open is given, its options mapped as
 * veritytab's. */
#define ROOT_ARGS "data-device name hash-device root-hash"
static void test_roothash_argv(void **state)
{
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};

	(void)state;
	assert_int_equal(parse("roothash=" HASH), 0);
	assert_int_equal(init_verity_open(&c, &cfg, "/dev/vda", "/dev/vdb", &l),
			 0);
	assert_string_equal(tab_open_given(&l), ROOT_ARGS);
	assert_string_equal(l.verity.data, "/dev/vda");
	assert_string_equal(l.verity.name, "root");
	assert_string_equal(l.verity.hash, "/dev/vdb");
	assert_string_equal(l.verity.root_hash, HASH);
	assert_int_equal(parse("roothash=" HASH " systemd.verity_root_options="
			       "panic-on-corruption,hash-offset=4096,"
			       "superblock=yes,nofail,ignore-zero-blocks"),
			 0);
	assert_int_equal(init_verity_open(&c, &cfg, "/dev/vda", "/dev/vda", &l),
			 0);
	assert_string_equal(tab_open_given(&l),
			    "hash-offset panic-on-corruption "
			    "ignore-zero-blocks " ROOT_ARGS);
	assert_string_equal(l.verity.hash, "/dev/vda");
	assert_int_equal(l.verity.hash_offset, 4096);
	assert_int_equal(l.verity.flags,
			 VF_PANIC_ON_CORRUPTION | VF_IGNORE_ZERO_BLOCKS);
	assert_int_equal(l.verity.no_superblock, 0);
	assert_int_equal(parse("roothash=" HASH " systemd.verity_root_options="
			       "superblock=no,format=1,hash=sha256"),
			 0);
	assert_int_equal(init_verity_open(&c, &cfg, "/dev/vda", "/dev/vdb", &l),
			 0);
	assert_string_equal(tab_open_given(&l),
			    "format hash no-superblock " ROOT_ARGS);
	assert_int_equal(l.verity.no_superblock, 1);
	assert_int_equal(l.verity.format, 1);
	assert_string_equal(l.verity.hash_name, "sha256");
	/* Options the tab command refuses are refused here too. */
	assert_int_equal(parse("roothash=" HASH " systemd.verity_root_options="
			       "bogus"),
			 0);
	assert_int_not_equal(
		init_verity_open(&c, &cfg, "/dev/vda", "/dev/vdb", &l), 0);
	assert_int_equal(parse("roothash=" HASH " systemd.verity_root_options="
			       "hash-offset"),
			 0);
	assert_int_not_equal(
		init_verity_open(&c, &cfg, "/dev/vda", "/dev/vdb", &l), 0);
}

/* A crypttab key field "%TYPE:DESC" names a key in the kernel keyring. */
static void test_crypttab_keyring_argv(void **state)
{
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e = {.name = "data", .dev = "/dev/vdc"};

	(void)state;
	e.key = "%logon:fw:data";
	e.nopt = 1;
	e.opt[0].key = "plain";
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l),
			    "type volume-key-keyring device name");
	assert_string_equal(l.crypt.key_ref, "%logon:fw:data");
	assert_null(l.crypt.key_file);
	assert_string_equal(l.crypt.device, "/dev/vdc");
	assert_string_equal(l.crypt.name, "data");
	e.key = "/etc/keys/data";
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(tab_open_given(&l), "type key-file device name");
	assert_string_equal(l.crypt.key_file, "/etc/keys/data");
	assert_null(l.crypt.key_ref);
}

/* Options {key, value} appended to e's. */
static void add_opts(struct tab_entry *e, const char *const (*opts)[2],
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		e->opt[e->nopt].key = opts[i][0];
		e->opt[e->nopt++].val = opts[i][1];
	}
}

/* Every crypttab option the tab maps, into the field it becomes. */
static void test_crypttab_options_argv(void **state)
{
	static const char *const opts[][2] = {
		{"cipher", "aes-xts-plain64"},
		{"size", "512"},
		{"hash", "plain"},
		{"offset", "8"},
		{"skip", "16"},
		{"sector-size", "4096"},
		{"keyfile-offset", "1"},
		{"keyfile-size", "64"},
		{"discard", NULL},
		{"readonly", NULL},
		{"read-only", NULL},
		{"same-cpu-crypt", NULL},
		{"submit-from-crypt-cpus", NULL},
		{"no-read-workqueue", NULL},
		{"no-write-workqueue", NULL},
		{"noauto", NULL},
		{"nofail", NULL},
		{"_netdev", NULL},
		{"x-initrd.attach", NULL},
		{"tries", "3"},
		{"timeout", "0"},
	};
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e = {.name = "data", .dev = "/dev/vdc"};

	(void)state;
	e.key = "/k";
	e.opt[e.nopt++].key = "plain";
	add_opts(&e, opts, NELEM(opts));
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), 0);
	assert_string_equal(
		tab_open_given(&l),
		"type cipher key-size key-file keyfile-offset keyfile-size "
		"hash offset skip sector-size allow-discards "
		"perf-same_cpu_crypt perf-submit_from_crypt_cpus "
		"perf-no_read_workqueue perf-no_write_workqueue readonly "
		"tries timeout device name");
	assert_string_equal(l.crypt.cipher, "aes-xts-plain64");
	assert_int_equal(l.crypt.key_bits, 512);
	assert_string_equal(l.crypt.hash, "plain");
	assert_int_equal(l.crypt.offset, 8);
	assert_int_equal(l.crypt.skip, 16);
	assert_int_equal(l.crypt.sector_size, 4096);
	assert_int_equal(l.crypt.keyfile_offset, 1);
	assert_int_equal(l.crypt.flags, CRYPT_ALLOW_DISCARDS |
						CRYPT_SAME_CPU_CRYPT |
						CRYPT_SUBMIT_FROM_CRYPT_CPUS |
						CRYPT_NO_READ_WORKQUEUE |
						CRYPT_NO_WRITE_WORKQUEUE);
	assert_int_equal(l.crypt.readonly, 1);
	/* veritytab's options are refused in crypttab */
	e.nopt = 2;
	e.opt[1].key = "ignore-corruption";
	e.opt[1].val = NULL;
	assert_int_equal(tab_open_fill(&c, "tab", TAB_CRYPT, &e, &l), -EINVAL);
}

/* Every veritytab option the tab maps, into the field it becomes. */
static void test_veritytab_options_argv(void **state)
{
	static const char *const opts[][2] = {
		{"ignore-corruption", NULL},
		{"restart-on-corruption", NULL},
		{"panic-on-corruption", NULL},
		{"ignore-zero-blocks", NULL},
		{"check-at-most-once", NULL},
		{"root-hash-signature", "/s"},
		{"format", "1"},
		{"data-block-size", "4096"},
		{"hash-block-size", "4096"},
		{"data-blocks", "8"},
		{"hash-offset", "0"},
		{"salt", "-"},
		{"uuid", "01234567-89ab-cdef-0123-456789abcdef"},
		{"hash", "sha256"},
		{"fec-device", "/f"},
		{"fec-offset", "0"},
		{"fec-roots", "2"},
		{"superblock", "yes"},
		{"superblock", "off"},
		{"noauto", NULL},
		{"nofail", NULL},
		{"_netdev", NULL},
		{"x-initrd.attach", NULL},
	};
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct tab_entry e = {
		.name = "v", .dev = "/d", .hash = "/h", .roothash = "ab"};

	(void)state;
	add_opts(&e, opts, NELEM(opts));
	assert_int_equal(tab_open_fill(&c, "tab", TAB_VERITY, &e, &l), 0);
	assert_string_equal(
		tab_open_given(&l),
		"hash-offset data-block-size hash-block-size data-blocks "
		"format salt hash no-superblock uuid root-hash-signature "
		"ignore-corruption restart-on-corruption panic-on-corruption "
		"ignore-zero-blocks check-at-most-once fec-device fec-offset "
		"fec-roots data-device name hash-device root-hash");
	assert_string_equal(l.verity.signature, "/s");
	assert_string_equal(l.verity.fec, "/f");
	assert_int_equal(l.verity.data_blocks, 8);
	assert_int_equal(l.verity.fec_roots, 2);
	assert_int_equal(l.verity.salt_size, 0);
	assert_int_equal(l.verity.no_superblock, 1);
	/* crypttab's options are refused in veritytab */
	e.nopt = 1;
	e.opt[0].key = "plain";
	assert_int_equal(tab_open_fill(&c, "tab", TAB_VERITY, &e, &l), -EINVAL);
}

#define U1 "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
#define U2 "11111111-2222-3333-4444-555555555555"

/* systemd-cryptsetup-generator's rd.luks.* and luks.* (issue #14): per
 * UUID or for all, the last one given winning, UUIDs in any case. */
static void test_luks_params(void **state)
{
	const struct boot_luks *all = &cfg.luks[BOOT_LUKS_DEFAULT];

	(void)state;
	assert_int_equal(parse("rd.luks.options=discard rd.luks.key=/k"), 0);
	assert_int_equal(cfg.nluks, 0);
	assert_int_equal(cfg.luks_allow_list, 0);
	assert_string_equal(all->options, "discard");
	assert_string_equal(all->key, "/k");

	assert_int_equal(
		parse("rd.luks.uuid=luks-" U1 " luks.uuid=" U2
		      " rd.luks.name=" U2 "=cryptroot"
		      " rd.luks.options=" U1 "=tries=1,discard"
		      " rd.luks.key=0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"
		      "=/etc/k1 rd.luks.options=timeout=5"
		      " rd.luks.uuid=" U1),
		0);
	assert_int_equal(cfg.nluks, 2);
	assert_int_equal(cfg.luks_allow_list, 1);
	assert_string_equal(cfg.luks[0].uuid, U1);
	assert_null(cfg.luks[0].name);
	assert_string_equal(cfg.luks[0].options, "tries=1,discard");
	assert_string_equal(cfg.luks[0].key, "/etc/k1");
	assert_int_equal(cfg.luks[0].create, 1);
	assert_string_equal(cfg.luks[1].uuid, U2);
	assert_string_equal(cfg.luks[1].name, "cryptroot");
	assert_null(cfg.luks[1].options);
	assert_null(cfg.luks[1].key);
	assert_string_equal(all->options, "timeout=5");
	assert_null(all->key);
	assert_ptr_equal(boot_luks_find(&cfg, "0F1E2D3C-4B5A-6978-8796-"
					      "A5B4C3D2E1F0"),
			 &cfg.luks[0]);
	assert_null(boot_luks_find(&cfg, "0f1e2d3c"));

	/* Options or a key for a UUID no rd.luks.uuid= names: kept for a
	 * crypttab line of that UUID, no volume of its own. */
	assert_int_equal(parse("luks.key=" U1 "=/k luks.options=" U2 "=ro"), 0);
	assert_int_equal(cfg.nluks, 2);
	assert_int_equal(cfg.luks_allow_list, 0);
	assert_int_equal(cfg.luks[0].create | cfg.luks[1].create, 0);

	expect_error("rd.luks.uuid=", "rd.luks.uuid", "not a LUKS UUID");
	expect_error("rd.luks.uuid=../x", "rd.luks.uuid", "not a LUKS UUID");
	expect_error("luks.uuid=" U1 "x", "luks.uuid", "not a LUKS UUID");
	expect_error("rd.luks.name=cryptroot", "rd.luks.name", "not UUID=NAME");
	expect_error("rd.luks.name=" U1 "=", "rd.luks.name", "empty name");
	expect_error("rd.luks.key=/k:UUID=" U2, "rd.luks.key",
		     "(KEYFILE:KEYDEV) is not supported");
	/* not ignored: the header device would be opened as the volume */
	expect_error("rd.luks.uuid=" U1 " rd.luks.data=" U1 "=UUID=" U2,
		     "rd.luks.data",
		     "a detached header's data device is not "
		     "supported");
	expect_error("luks.data=" U1 "=/dev/vdb", "luks.data",
		     "a detached header's data device is not supported");
	expect_error("rd.luks.uuid=1 rd.luks.uuid=2 rd.luks.uuid=3 "
		     "rd.luks.uuid=4 rd.luks.uuid=5 rd.luks.uuid=6 "
		     "rd.luks.uuid=7 rd.luks.uuid=8 rd.luks.uuid=9 "
		     "rd.luks.uuid=a rd.luks.uuid=b rd.luks.uuid=c "
		     "rd.luks.uuid=d rd.luks.uuid=e rd.luks.uuid=f "
		     "rd.luks.uuid=10 rd.luks.uuid=11",
		     "rd.luks.uuid", "can only name 16 LUKS UUIDs");
	/* Not these parameters */
	assert_int_equal(parse("rd.luks.uuidx=" U1 " xluks.uuid=" U1
			       " rd.rd.luks.uuid=" U1),
			 0);
	assert_int_equal(cfg.nluks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_arg),
		cmocka_unit_test(test_param_eq),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_demo_line),
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_rootwait_rootdelay),
		cmocka_unit_test(test_dmboot_params),
		cmocka_unit_test(test_waitfor),
		cmocka_unit_test(test_systemd_verity),
		cmocka_unit_test(test_systemd_switches),
		cmocka_unit_test(test_roothash_partuuid),
		cmocka_unit_test(test_roothash_argv),
		cmocka_unit_test(test_crypttab_keyring_argv),
		cmocka_unit_test(test_crypttab_options_argv),
		cmocka_unit_test(test_veritytab_options_argv),
		cmocka_unit_test(test_luks_params),
	};

	return cmocka_run_group_tests_name("kernel command line", tests, NULL,
					   NULL);
}
