/* SPDX-License-Identifier: MIT */
/* dmboot as /init: the boot sequence behind the init command. */
#ifndef DMBOOT_INIT_H
#define DMBOOT_INIT_H

#include "dm.h"

#define INIT_NEWROOT "/newroot"
#define INIT_MODULES_LIST "/etc/dmboot/modules"
#define INIT_MODULES_DIR "/lib/modules/"

enum init_mode {
	INIT_PID1, /* everything, ending in the real root's init */
	INIT_ACTIVATE, /* from a script: up to the devices, then return */
	INIT_DRY_RUN, /* print the plan from a command line, touch nothing */
};

/* Runs the sequence. cmdline NULL: /proc/cmdline. args: what the real init
 * gets after its name (the kernel's leftovers, given to /init). Returns
 * the exit status; as PID 1 it only returns through the onfail policy. */
int init_run(struct dm_ctx *dm, enum init_mode mode, const char *cmdline,
	     int argc, char **args);

struct boot_cfg;
struct tab_open;
/* roothash='s /dev/mapper/root on DATA and HASH into t, as a veritytab
 * line "root DATA HASH ROOTHASH OPTIONS" with systemd.verity_root_options=
 * for its options (split in place: once). 0, or -errno after printing
 * why. */
int init_verity_open(const struct dm_ctx *ctx, struct boot_cfg *cfg,
		     const char *data, const char *hash, struct tab_open *t);

/* main() hands PID 1 over before any option parsing: the kernel's
 * leftover words are init's arguments, not dmboot's options. */
int init_main(int argc, char **argv);

#endif
