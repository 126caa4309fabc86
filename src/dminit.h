/* SPDX-License-Identifier: MIT */
/* dm-mod.create=, parsed as the kernel's drivers/md/dm-init.c parses it:
 *   <name>,<uuid>,<minor>,<flags>,<table>[,<table>...][;<device>...]
 *   table: <start> <length> <type> <args>
 * ',' separates fields and tables, ';' devices; blanks around fields go;
 * no escapes. No I/O. Where the kernel truncates silently (a name past
 * 127 bytes, a type past 15) dmboot refuses instead. */
#ifndef DMBOOT_DMINIT_H
#define DMBOOT_DMINIT_H

#include <stdint.h>

#include "table.h"

#define DMINIT_MAX_DEVICES 256
#define DMINIT_MAX_TARGETS 256
#define DMINIT_MAX_STR 4096 /* the whole value must be shorter */

struct dminit_dev {
	const char *name;
	const char *uuid; /* "" for none */
	uint64_t dev; /* the minor field as given: DEV_CREATE's dev, which
			    * the kernel decodes as dm-init does */
	uint32_t flags; /* DM_READONLY_FLAG, DM_PERSISTENT_DEV_FLAG */
	struct table t;
};

struct dminit {
	unsigned n;
	struct dminit_dev dev[DMINIT_MAX_DEVICES];
	/* The first error: what, in which device and target (1-based, 0 if
	 * not about one), near which word (NULL if none). */
	const char *err;
	unsigned err_dev, err_target;
	const char *err_word;
};

/* Parses str, which it modifies in place (d points into it). 0, or
 * -EINVAL/-E2BIG/-ENOMEM with d->err set. dminit_free in either case. */
int dminit_parse(struct dminit *d, char *str);
void dminit_free(struct dminit *d);
/* A number as the kernel's kstrtoull(s, 0) reads it: decimal, 0x hex,
 * 0 octal, an optional '+', one trailing newline. 0, -EINVAL, -ERANGE. */
int dminit_kstrtoull(const char *s, uint64_t *out);

#endif
