/* SPDX-License-Identifier: MIT */
/* The kernel command line, split as the kernel splits it, and what early
 * boot reads from it. No I/O: the caller hands in a writable copy. */
#ifndef DMBOOT_CMDLINE_H
#define DMBOOT_CMDLINE_H

#include <stdint.h>

/* One word of args, as lib/cmdline.c next_arg() takes it: double quotes
 * group blanks (no escapes), a value's surrounding quotes go; the word is
 * NUL-terminated in place. Returns where the next word starts. */
char *cmdline_next(char *args, char **param, char **val);
/* Module parameter names: '-' and '_' are the same (kernel parameq). */
int cmdline_param_eq(const char *a, const char *b);

enum onfail {
	ONFAIL_PANIC,
	ONFAIL_REBOOT,
	ONFAIL_SHELL,
	ONFAIL_HALT,
	ONFAIL_POWEROFF
};
#define ONFAIL_NAMES "panic\0reboot\0shell\0halt\0poweroff\0"

#define BOOT_MAX_WAITFOR 256 /* dm-init's DM_MAX_WAITFOR */
#define BOOT_DEFAULT_TIMEOUT 10 /* seconds */
#define BOOT_MAX_LUKS 16 /* UUIDs rd.luks.* may name */
#define BOOT_LUKS_DEFAULT BOOT_MAX_LUKS
#define CMDLINE_MAX_SECONDS 4000000u

struct boot_cfg {
	/* The strings first and all char *: one table of offsets, each
	 * under 256, sets them (boot_cfg_parse). */
	char *root, *rootfstype, *rootflags, *init;
	char *dm_create; /* dm-mod.create= as given, NULL if absent */
	char *roothash; /* roothash=: systemd's verity root ... */
	char *verity_data, *verity_hash; /* ... its devices, or NULL */
	char *verity_options; /* veritytab options, comma-separated */
	int ro; /* the kernel mounts root read-only by default */
	int rootwait; /* wait for root= without a time limit ... */
	uint32_t rootwait_s; /* ... or this long (rootwait=N) */
	uint32_t rootdelay; /* seconds to sleep before looking for devices */
	uint32_t timeout; /* dmboot.timeout=: seconds of waiting for all
				 * devices together; 0: no limit */
	enum onfail onfail; /* dmboot.onfail= */
	/* systemd's switches, [rd.]systemd.verity=, [rd.]veritytab=,
	 * [rd.]luks=, [rd.]luks.crypttab=: 1 when turned off (offsets
	 * under 256 too). */
	uint8_t no_verity, no_veritytab, no_luks, no_crypttab;
	/* systemd-cryptsetup-generator's rd.luks.* (INIT_LUKS): UUIDs named
	 * by rd.luks.uuid= or rd.luks.name= (luks_allow_list: then only
	 * crypttab lines of theirs run, as in systemd). */
	unsigned nluks;
	uint8_t luks_allow_list;
	unsigned nwaitfor; /* dm-mod.waitfor=, split at ',' */
	const char *waitfor[BOOT_MAX_WAITFOR];
	/* Per UUID, in the order first named; luks[BOOT_LUKS_DEFAULT]
	 * (uuid NULL) holds the options and key given without a UUID. */
	struct boot_luks {
		const char *uuid; /* as given, without "luks-" */
		const char *name; /* rd.luks.name=UUID=NAME; NULL: luks-UUID */
		char *options; /* rd.luks.options=; NULL: not given */
		const char *key; /* rd.luks.key=; NULL: not given */
		uint8_t create; /* named by rd.luks.uuid= or rd.luks.name= */
	} luks[BOOT_MAX_LUKS + 1];
	const char *err; /* the first error: what was wrong ... */
	const char *err_param; /* ... with which parameter */
};

/* Fills c from the command line in line (modified in place; c points into
 * it). Stops at "--" as the kernel does. 0, or -EINVAL with err set. */
int boot_cfg_parse(struct boot_cfg *c, char *line);

/* The rd.luks.* entry of a LUKS UUID (case does not matter), or NULL. */
struct boot_luks *boot_luks_find(struct boot_cfg *c, const char *uuid);

/* systemd's names for the partitions of a root hash not given
 * systemd.verity_root_data=/_hash=: the GPT partition UUID made of its
 * first 128 bits (data) or its last 128 bits (hash), as
 * "PARTUUID=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in lower case. The hash
 * is hex of at least ROOTHASH_MIN_HEX digits (boot_cfg_parse checks). */
#define ROOTHASH_MIN_HEX 32
#define ROOTHASH_PARTUUID_SIZE (sizeof("PARTUUID=") + 36)
void roothash_partuuid(const char *roothash, int last, char *out);

#endif
