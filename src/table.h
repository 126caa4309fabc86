/* SPDX-License-Identifier: MIT */
/* Table text (dmsetup's format: "start length type params" a line) into
 * the TABLE_LOAD payload: a chain of 8-aligned dm_target_spec. */
#ifndef DMBOOT_TABLE_H
#define DMBOOT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "dm-abi.h"
#include "util.h"

struct table {
	struct buf b; /* the payload; wiped on free (keys) */
	uint32_t count; /* targets */
	int secure; /* may carry a key: sent with DM_SECURE_DATA_FLAG */
	int key_text; /* holds key bytes (not a keyring reference) */
	uint64_t sectors; /* end of the last target */
	unsigned line; /* line of the first error */
	const char *err; /* what was wrong there */
};

int table_parse(struct table *t, const char *text, size_t len);
int table_add(struct table *t, uint64_t start, uint64_t length,
	      const char *type, size_t type_len, const char *params,
	      size_t params_len);
void table_free(struct table *t);
/* t's targets one after another: *off starts at 0; NULL after the last. */
const struct dm_target_spec *table_spec(const struct table *t, size_t *off);

#endif
