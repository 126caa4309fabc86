/* SPDX-License-Identifier: MIT */
/* A LUKS header read from a path, for the commands that show one
 * (isLuks, luksUUID, luksDump) and for the open (crypt-luks.c). */
#ifndef DMBOOT_CRYPT_LUKS_H
#define DMBOOT_CRYPT_LUKS_H

#include "activate.h"
#include "luks-unlock.h"

/* Opens path read-only and reads its header (version 0: either, 1 or 2
 * only) into *v, mem_alloc'd; *fd stays open for the keyslots. 0, or
 * -errno with e->what and e->why set: -EINVAL "not a valid LUKS device"
 * for a device without a header of that version (cryptsetup's words),
 * -EINVAL naming the field of a malformed one, -ENOTSUP for one dmboot
 * does not open, or the error opening or reading path. Nothing stays
 * open or allocated on failure. */
int crypt_luks_header(const char *path, int version, struct luks_volume **v,
		      int *fd, struct act_err *e);
/* Frees what crypt_luks_header took. */
void crypt_luks_release(struct luks_volume *v, int fd);

/* cryptsetup 2.6.1's luksDump of v, read from path (luks-dump.c). */
void luks_dump(const struct luks_volume *v, const char *path);

#endif
