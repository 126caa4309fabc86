/* SPDX-License-Identifier: MIT */
/* UUID and label of the file systems (and the veritysetup hash device)
 * a boot resolves by UUID= or LABEL=, at the offsets blkid reads. */
#include <errno.h>
#include <string.h>

#include "blkid.h"
#include "config.h"
#include "le.h"

#define SB_OFF 1024 /* ext and erofs superblocks start at 1 KiB */
#define EXT_MAGIC 0xef53
#define EXT_MAGIC_OFF (SB_OFF + 56)
#define EXT_UUID_OFF (SB_OFF + 104)
#define EXT_LABEL_OFF (SB_OFF + 120)
#define EROFS_MAGIC 0xe0f5e1e2
#define EROFS_BLKSZBITS_OFF (SB_OFF + 12)
#define EROFS_UUID_OFF (SB_OFF + 48)
#define EROFS_LABEL_OFF (SB_OFF + 64)
#define VERITY_MAGIC "verity\0\0"
#define VERITY_UUID_OFF 16
#define SQUASHFS_MAGIC "hsqs"
#define LUKS_MAGIC "LUKS\xba\xbe"
#define LUKS_UUID_OFF 168 /* LUKS1 and LUKS2 alike: text, 40 bytes */

static int set_id(struct fs_id *id, enum fs_type t, const uint8_t *uuid,
		  const uint8_t *label)
{
	static const uint8_t none[16];
	size_t n = 0;

	memset(id, 0, sizeof(*id));
	id->type = t;
	/* blkid shows no UUID that is all zeros. */
	if (memcmp(uuid, none, 16))
		uuid_fmt(id->uuid, uuid, 0);
	/* Up to the first NUL, trailing blanks dropped, as blkid does. */
	while (label && n < 16 && label[n])
		n++;
	while (n && (label[n - 1] == ' ' || label[n - 1] == '\t'))
		n--;
	if (n)
		memcpy(id->label, label, n);
	return 0;
}

/* A LUKS header's UUID is text, shown by blkid as written: taken when it
 * is 8-4-4-4-12 hex (a header is untrusted), in lower case. */
static int luks_id(struct fs_id *id, const char *u)
{
	unsigned i;

	memset(id, 0, sizeof(*id));
	id->type = FS_LUKS;
	for (i = 0; i < UUID_STR_LEN - 1; i++) {
		char c = u[i];
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? c != '-'
			 : !((c >= '0' && c <= '9') ||
			     ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')))
			return -EINVAL;
		id->uuid[i] = (char)(c >= 'A' ? c | 0x20 : c);
	}
	return u[i] ? -EINVAL : 0;
}

int fs_probe(const uint8_t *b, size_t len, struct fs_id *id)
{
	if (len < EXT_LABEL_OFF + 16) /* the last field read */
		return -EINVAL;
	if (CFG_RESOLVE_UUID_VERITY && !memcmp(b, VERITY_MAGIC, 8) &&
	    le32(b + 8) == 1)
		return set_id(id, FS_VERITY, b + VERITY_UUID_OFF, NULL);
	if (CFG_RESOLVE_UUID_LUKS && !memcmp(b, LUKS_MAGIC, 6) &&
	    (b[7] == 1 || b[7] == 2) && !b[6])
		return luks_id(id, (const char *)b + LUKS_UUID_OFF);
	if (!memcmp(b, SQUASHFS_MAGIC, 4))
		return -EOPNOTSUPP;
	if (CFG_RESOLVE_UUID_EROFS && le32(b + SB_OFF) == EROFS_MAGIC &&
	    b[EROFS_BLKSZBITS_OFF] >= 9 && b[EROFS_BLKSZBITS_OFF] <= 16)
		return set_id(id, FS_EROFS, b + EROFS_UUID_OFF,
			      b + EROFS_LABEL_OFF);
	if (CFG_RESOLVE_UUID_EXT4 && le16(b + EXT_MAGIC_OFF) == EXT_MAGIC)
		return set_id(id, FS_EXT, b + EXT_UUID_OFF, b + EXT_LABEL_OFF);
	return -ENOENT;
}
