/* SPDX-License-Identifier: MIT */
/* What the plain path (crypt-open.c) and the LUKS one (crypt-luks.c)
 * share below both: refusals, the data device, the table with its key,
 * the device's creation. Declared in crypt-open.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "crypt-open.h"
#include "keyring.h"
#include "loop.h"
#include "ops.h"

int crypt_refuse(struct act_err *e, int field, const char *what,
		 const char *why)
{
	e->field = field;
	e->what = what;
	e->why = why;
	return -EINVAL;
}

int crypt_name_free(struct dm_ctx *ctx, const char *name, struct act_err *e)
{
	struct dm_info info;
	int r = dm_get_info(ctx, name, 0, &info);

	e->what = name;
	if (!r) {
		e->why = "device already exists";
		return -EEXIST;
	}
	return r == -ENXIO ? 0 : r;
}

int crypt_keyring_usable(struct dm_ctx *ctx)
{
	uint32_t v[3];

	return !dm_target_version(ctx, "crypt", v) && crypt_has_keyring(v);
}

int crypt_data_device(struct dm_ctx *ctx, const struct crypt_open *o,
		      struct crypt_plain *p, uint64_t *sectors, int *loop_fd)
{
	uint64_t bytes = 0;
	int fd, r;

	if ((r = loop_devno(o->device, !o->readonly,
			    CFG_DRY_RUN && ctx->dry_run, p->sector_size,
			    &p->major, &p->minor, loop_fd)))
		return r;
	if ((fd = blkdev_open(o->device)) < 0)
		return fd;
	r = blkdev_size(fd, &bytes);
	close(fd);
	*sectors = bytes / CRYPT_SECTOR;
	return r;
}

int crypt_mapped_size(const struct crypt_open *o, const struct crypt_plain *p,
		      uint64_t sectors, uint64_t want, uint64_t *size,
		      struct act_err *e)
{
	if (p->offset >= sectors)
		return crypt_refuse(
			e, CO_DEVICE, o->device,
			o->type == CRYPT_TYPE_PLAIN
				? "--offset is beyond the end of the "
				  "device"
				: "too small: no space for data after "
				  "the header");
	*size = o->size ? o->size : want ? want : sectors - p->offset;
	if (*size > sectors - p->offset)
		return crypt_refuse(
			e, CO_DEVICE, o->device,
			o->type == CRYPT_TYPE_PLAIN
				? "too small for --size after --offset"
				: "too small for the encrypted segment");
	if (*size % (p->sector_size / CRYPT_SECTOR))
		return crypt_refuse(e, CO_DEVICE, o->device,
				    "size is not a multiple of the encryption "
				    "sector size");
	return 0;
}

/* A dry run adds no key and shows the reference a run would. */
int crypt_key_table(struct dm_ctx *ctx, const char *desc,
		    const struct crypt_plain *p, uint64_t size,
		    const unsigned char *key, const char *ref, struct table *t,
		    int32_t *serial)
{
	/* "logon:DESC" */
	char own[CRYPT_KEY_REF_LEN] = "logon:";

	*serial = 0;
	if (key && desc && strlen(desc) < sizeof(own) - 6 &&
	    CFG_CRYPT_KEYRING && crypt_keyring_usable(ctx)) {
		memcpy(own + 6, desc, strlen(desc) + 1);
		if (CFG_DRY_RUN && ctx->dry_run) {
			ref = own;
		} else {
			*serial = keyring_add("logon", desc, key, p->key_size,
					      KEY_SPEC_THREAD_KEYRING);
			if (*serial > 0)
				ref = own;
		}
	}
	return crypt_table_add(t, size, p, key, ref);
}

/* dm-crypt copied the key at the load: the keyring's copy goes. */
void crypt_unlink_key(int32_t serial)
{
	if (serial > 0)
		keyring_unlink(serial, KEY_SPEC_THREAD_KEYRING);
}

/* A target type the kernel could not load is the common reason for a
 * refused table worth naming: the kernel says only EINVAL (and why in
 * its log). */
static int crypt_target_missing(struct dm_ctx *ctx)
{
	uint32_t v[3];

	return CFG_DM_IOCTL_GET_TARGET_VERSION && CFG_DM_IOCTL_LIST_VERSIONS &&
	       dm_target_version(ctx, "crypt", v) == 1;
}

int crypt_create(struct dm_ctx *ctx, const char *name, const char *uuid,
		 int readonly, const struct table *t, struct act_err *e)
{
	int r = dm_create(ctx, name, uuid, 0, readonly ? DM_READONLY_FLAG : 0,
			  t);

	if (!r)
		return 0;
	e->what = name;
	if (r == -EINVAL)
		e->why = crypt_target_missing(ctx)
				 ? "target type crypt not in the kernel "
				   "(module missing?)"
				 : "the kernel rejected the table (its log "
				   "says why): Invalid argument";
	return r;
}
