/* SPDX-License-Identifier: MIT */
/* veritytab and crypttab through the tab command: each line mapped to the
 * verity or crypt command line it means and run against the fake kernel.
 * Byte 0: bit 0 crypttab, bit 1 --dry-run (which must change nothing:
 * world_run checks), bit 2 the rest is instead a
 * systemd.verity_root_options= value, mapped as init maps it, bit 3 the
 * rest is a list of options, two bytes each (an option name, a value),
 * for one line naming its devices by number: option combinations,
 * repeats included, without the mutator having to spell them. Devices
 * named lead into the fake root, where /dev/loop0-3 and /dev/vda-d exist
 * and 7:0-3 and 254:0-3 name them (see world.c). */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "cmdline.h"
#include "init.h"
#include "tab-open.h"
#include "world.h"

/* init's path: the options into what a verity open is given, which is
 * not run (init_verity_open is all that differs from a veritytab line). */
static void root_options(const uint8_t *data, size_t size)
{
	static struct tab_open l;
	struct dm_ctx c = {.fd = -1};
	struct boot_cfg cfg;
	char *s = fuzz_str(data, size);
	int fd, save = dup(2);

	memset(&cfg, 0, sizeof(cfg));
	cfg.roothash = (char *)"00";
	cfg.verity_options = s;
	fd = open("/dev/null", O_WRONLY);
	dup2(fd, 2); /* its error lines */
	(void)init_verity_open(&c, &cfg, "/dev/vda", "/dev/vdb", &l);
	dup2(save, 2);
	close(save);
	close(fd);
	free(s);
}

/* Every option name the tab maps (and one it does not), and values. */
/* clang-format off */
static const char *const keys[] = {
	"ignore-corruption", "restart-on-corruption", "panic-on-corruption",
	"ignore-zero-blocks", "check-at-most-once", "root-hash-signature",
	"format", "data-block-size", "hash-block-size", "data-blocks",
	"hash-offset", "salt", "uuid", "hash", "fec-device", "fec-offset",
	"fec-roots", "superblock", "noauto", "nofail", "_netdev",
	"x-initrd.attach", "plain", "cipher", "size", "offset", "skip",
	"sector-size", "keyfile-offset", "keyfile-size", "discard",
	"readonly", "read-only", "same-cpu-crypt", "submit-from-crypt-cpus",
	"no-read-workqueue", "no-write-workqueue", "tries", "timeout",
	"x-unknown"};
static const char *const vals[] = {
	NULL, "7:2", "7:3", "254:2", "254:3", "/dev/vdc", "/dev/loop2", "0",
	"1", "2", "8", "512", "4096", "no", "sha256", "aes-xts-plain64",
	"UUID=00000000-0000-0000-0000-000000000000", "-", ""};
/* clang-format on */

/* The line bit 3 asks for, into the file "tab". */
static void structured(int crypt, const uint8_t *p, size_t n, FILE *f)
{
	size_t i;

	fputs(crypt ? "c 254:0 /dev/vdd plain" : "v 7:0 7:1 00 ", f);
	for (i = 0; i + 1 < n; i += 2) {
		const char *v = vals[p[i + 1] % (sizeof(vals) / sizeof(*vals))];

		if (i || crypt)
			fputc(',', f);
		fputs(keys[p[i] % (sizeof(keys) / sizeof(*keys))], f);
		if (v)
			fprintf(f, "=%s", v);
	}
	fputc('\n', f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *args[4];
	int n = 0, fd;

	if (!size)
		return 0;
	world_reset(NULL);
	if (data[0] & 4) {
		root_options(data + 1, size - 1);
		world_done();
		return 0;
	}
	/* world_reset made the fake root the working directory. */
	if (data[0] & 8) {
		FILE *f = fopen("tab", "w");

		if (!f)
			abort();
		structured(data[0] & 1, data + 1, size - 1, f);
		fclose(f);
	} else {
		fd = open("tab", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 ||
		    write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
			abort();
		close(fd);
	}
	args[n++] = (char *)"tab";
	args[n++] = (char *)(data[0] & 1 ? "--crypt" : "--verity");
	if (data[0] & 2)
		args[n++] = (char *)"--dry-run";
	args[n++] = (char *)"tab";
	(void)world_run(n, args, data[0] & 2);
	world_done();
	return 0;
}
