/* SPDX-License-Identifier: MIT */
/* Memory that holds keys (key files, tables with keys, the ioctl buffer
 * that carries them): the process made non-dumpable, the pages left out
 * of core dumps (MADV_DONTDUMP) and locked out of swap (mlock), wiped and
 * unlocked before they are unmapped.
 *
 * mlock can fail (RLIMIT_MEMLOCK without CAP_IPC_LOCK, or ENOMEM): the
 * memory is used anyway, as cryptsetup does. It is still out of core
 * dumps and wiped; only swap could see it. The caller learns the error
 * (dm_ctx.unlocked) and main prints one warning. As /init (PID 1, every
 * capability) mlock has no limit. Without SECRET_MEMORY these calls do
 * nothing but wipe and unmap. */
#ifndef DMBOOT_SECRET_H
#define DMBOOT_SECRET_H

#include <stddef.h>

/* memset that the optimiser may not drop. */
void wipe(void *p, size_t n);

/* Page-backed, zeroed buffers (mmap): no malloc in the binary. The layer
 * under secret memory and under util.h's struct buf. */
void *mem_alloc(size_t size);
void mem_free(void *p, size_t size); /* wipes first */

/* Protects the mapping [p, p + size) (page-aligned, from mem_alloc):
 * 0, or mlock's -errno (the rest is done and the memory usable). */
int secret_guard(void *p, size_t size);
/* mem_alloc, then secret_guard before anything is written to it. NULL
 * when out of memory; *unlocked is set to 1 if mlock failed. */
void *secret_alloc(size_t size, int *unlocked);
/* Wipes, unlocks and unmaps what secret_alloc or secret_guard took. */
void secret_free(void *p, size_t size);

#endif
