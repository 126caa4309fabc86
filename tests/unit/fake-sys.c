/* See fake-sys.h. */
#include "fake-sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fsys fsys;

int32_t __real_keyring_add(const char *type, const char *desc,
			   const void *payload, size_t len, int32_t keyring);
int __real_keyring_unlink(int32_t key, int32_t keyring);
int __real_blkdev_devno(const char *path, uint32_t *major, uint32_t *minor);

int32_t __wrap_keyring_add(const char *type, const char *desc,
			   const void *payload, size_t len, int32_t keyring);
int __wrap_keyring_unlink(int32_t key, int32_t keyring);
int __wrap_blkdev_devno(const char *path, uint32_t *major, uint32_t *minor);

void fsys_reset(void)
{
	memset(&fsys, 0, sizeof(fsys));
}

void fsys_blkdev(const char *path, uint32_t major, uint32_t minor)
{
	if (fsys.ndevs == (int)(sizeof(fsys.devs) / sizeof(fsys.devs[0])))
		abort();
	snprintf(fsys.devs[fsys.ndevs].path, sizeof(fsys.devs[0].path), "%s",
		 path);
	fsys.devs[fsys.ndevs].major = major;
	fsys.devs[fsys.ndevs].minor = minor;
	fsys.ndevs++;
}

int fsys_linked(void)
{
	int i, n = 0;

	for (i = 0; i < fsys.nkeys; i++)
		n += fsys.keys[i].linked;
	return n;
}

/* add_key(2): a new serial, or -errno as keyring_add returns it. */
int32_t __wrap_keyring_add(const char *type, const char *desc,
			   const void *payload, size_t len, int32_t keyring)
{
	struct fsys_key *k;

	fsys.adds++;
	if (fsys.add_err)
		return -fsys.add_err;
	if (fsys.nkeys == (int)(sizeof(fsys.keys) / sizeof(fsys.keys[0])) ||
	    len > sizeof(k->payload) || strlen(desc) >= sizeof(k->desc))
		return -EDQUOT;
	k = &fsys.keys[fsys.nkeys++];
	snprintf(k->type, sizeof(k->type), "%s", type);
	snprintf(k->desc, sizeof(k->desc), "%s", desc);
	memcpy(k->payload, payload, len);
	k->len = len;
	k->keyring = keyring;
	k->serial = 0x1000 + fsys.nkeys;
	k->linked = 1;
	return k->serial;
}

int __wrap_keyring_unlink(int32_t key, int32_t keyring)
{
	int i;

	fsys.unlinks++;
	for (i = 0; i < fsys.nkeys; i++) {
		if (fsys.keys[i].serial == key && fsys.keys[i].linked &&
		    fsys.keys[i].keyring == keyring) {
			fsys.keys[i].linked = 0;
			return 0;
		}
	}
	return -ENOENT;
}

int __wrap_blkdev_devno(const char *path, uint32_t *major, uint32_t *minor)
{
	int i;

	for (i = 0; i < fsys.ndevs; i++) {
		if (!strcmp(fsys.devs[i].path, path)) {
			*major = fsys.devs[i].major;
			*minor = fsys.devs[i].minor;
			return 0;
		}
	}
	return __real_blkdev_devno(path, major, minor);
}
