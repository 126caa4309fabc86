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

int fs_probe(const uint8_t *b, size_t len, struct fs_id *id)
{
	if (len < EXT_LABEL_OFF + 16) /* the last field read */
		return -EINVAL;
	if (CFG_RESOLVE_UUID_VERITY && !memcmp(b, VERITY_MAGIC, 8) &&
	    le32(b + 8) == 1)
		return set_id(id, FS_VERITY, b + VERITY_UUID_OFF, NULL);
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
