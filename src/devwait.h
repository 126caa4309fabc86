/* Waiting for block devices that appear after /init starts. */
#ifndef DMBOOT_DEVWAIT_H
#define DMBOOT_DEVWAIT_H

#include <stddef.h>
#include <stdint.h>

/* Until spec (whatever resolve() takes: /dev/NAME, MAJ:MIN, PARTUUID=...)
 * names a block device: 0 and its /dev path, -ETIMEDOUT once *budget_ms
 * is spent (NULL: no limit), or resolve()'s error for a name it cannot
 * take. The time slept is taken from *budget_ms, so that several waits
 * can share one. */
int dev_wait(const char *spec, uint32_t *budget_ms, char *path, size_t len);

void sleep_ms(uint32_t ms);

#endif
