/* SPDX-License-Identifier: MIT */
/* Waiting for block devices that appear after /init starts. */
#ifndef DMBOOT_DEVWAIT_H
#define DMBOOT_DEVWAIT_H

#include <stddef.h>
#include <stdint.h>

struct resolver;

/* Until spec (whatever resolve() takes: /dev/NAME, MAJ:MIN, PARTUUID=...)
 * names a block device: 0 and its /dev path, -ETIMEDOUT once *budget_ms
 * is spent (NULL: no limit), or resolve()'s error for a name it cannot
 * take. An ambiguity (-ENOTUNIQ, rs->matches) ends the wait at once: a
 * second device with the name will not go away by waiting. The time
 * slept is taken from *budget_ms, so that several waits can share one.
 * rs: its ours set as resolve() wants it; the rest is reset here. */
int dev_wait(struct resolver *rs, const char *spec, uint32_t *budget_ms,
	     char *path, size_t len);

void sleep_ms(uint32_t ms);

#endif
