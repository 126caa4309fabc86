/* SPDX-License-Identifier: MIT */
/* A veritytab or crypttab line made active: its device names resolved,
 * its options through the tab's key map into the struct the verity or
 * crypt activation takes, then that activation. What the tab command
 * and /init share. */
#ifndef DMBOOT_TAB_OPEN_H
#define DMBOOT_TAB_OPEN_H

#include "crypt-open.h"
#include "tab.h"
#include "verity-open.h"

struct buf;
struct table;

#define TAB_PATH_LEN 128
/* What a line stands for, ready for tab_open_activate(); it points into
 * the line's text and into paths (devices named UUID=... resolved). */
struct tab_open {
	enum tab_kind kind;
	union {
		struct verity_open verity; /* TAB_VERITY */
		struct crypt_open crypt; /* TAB_CRYPT */
	};
	/* data, hash and FEC, or the crypt device */
	char paths[3][TAB_PATH_LEN];
	unsigned npaths;
	/* x-systemd.device-timeout= given: devices not there yet are
	 * waited for, from budget_ms (budget NULL: for ever) */
	int wait;
	uint32_t budget_ms, *budget;
};

/* x-systemd.device-timeout= of e: 0 without it, 1 and *ms (0: for ever),
 * or -EINVAL after the line's error. */
int tab_device_timeout(const char *cmd, const struct tab_entry *e,
		       uint32_t *ms);

/* The file at path into text (buf_free it after), r ready for tab_next().
 * 0 or -errno (text freed). */
int tab_read(struct buf *text, const char *path, struct tab_reader *r);
/* "dmboot: CMD: PATH: line N: WHY" for the line r refused. */
void tab_err_line(const char *cmd, const char *path,
		  const struct tab_reader *r);
/* Each target of t as a line: prefix, name, ": start length type
 * params" (the dry runs of tab and init), a crypt key masked as the
 * table command masks it. */
void tab_out_table(const char *prefix, const char *name, const struct table *t);

/* e into t. 0, or -errno after printing the line's error: the tab's own
 * ("dmboot: CMD: NAME: unsupported option x", a device name that does
 * not resolve), or a value the activation refuses, as veritysetup's or
 * cryptsetup's command line says it ("dmboot: verity: --hash-offset:
 * ..."). */
int tab_open_fill(const struct dm_ctx *ctx, const char *cmd, enum tab_kind kind,
		  const struct tab_entry *e, struct tab_open *t);
/* The activation t stands for; 0, or -errno after printing why as the
 * verity or crypt command would. */
int tab_open_activate(struct dm_ctx *ctx, const struct tab_open *t);
/* A line of a tab file: skipped (TAB_SKIPPED, "NAME: active, skipped"
 * on stdout) when its device exists, else filled and activated: 0, or
 * -errno after its error line. */
#define TAB_SKIPPED 1
int tab_line_activate(struct dm_ctx *ctx, const char *cmd, enum tab_kind kind,
		      const struct tab_entry *e);

#endif
