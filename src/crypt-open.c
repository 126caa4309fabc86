/* SPDX-License-Identifier: MIT */
/* cryptsetup's open: the options, and plain mode, the same table
 * cryptsetup 2.6 loads for the same inputs, except that the key travels
 * through the kernel keyring (a logon key, unlinked once the table is
 * loaded) where dm-crypt takes one, and otherwise as hex under
 * DM_SECURE_DATA_FLAG. Plain keys come from a key file only; passphrases
 * are not hashed. LUKS goes on in crypt-luks.c. */
#include "crypt-open.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "keyfile.h"
#include "keyring.h"
#include "loop.h"
#include "luks.h" /* LUKS2_KEYSLOTS */
#include "ops.h"
#include "passphrase.h" /* PASS_MAX */
#include "secret.h"

/* cryptsetup 2.6's compiled-in plain defaults (cryptsetup --help). */
#define PLAIN_CIPHER "aes-cbc-essiv:sha256"
#define PLAIN_KEY_BITS 256
#define PLAIN_UUID_PREFIX "CRYPT-PLAIN-" /* cryptsetup's, for plain */
#define SECTOR_SIZE_MAX 4096

#define CRYPT_KIND_0 "\1"
#define CRYPT_KIND_1 "\2"
#define CRYPT_FIELD_DEF(id, s, l, a) CRYPT_KIND_##a s l "\0"
const char crypt_field_defs[] =
	CRYPT_OPTIONS(CRYPT_FIELD_DEF) CRYPT_ARGS(CRYPT_FIELD_DEF);
#undef CRYPT_FIELD_DEF

_Static_assert(CO_SAME_CPU_CRYPT - CO_ALLOW_DISCARDS == 1 &&
		       CO_NO_WRITE_WORKQUEUE - CO_ALLOW_DISCARDS == 4 &&
		       CRYPT_NO_WRITE_WORKQUEUE == 1u << 4,
	       "the --perf-* fields follow crypt.h's flag order");
_Static_assert(CO_COUNT <= 64, "given is a 64-bit set");

/* The fields that take no value, a bit each, from the list itself. */
#define CRYPT_FLAG_BIT(id, s, l, a) | ((uint64_t) !(a) << CO_##id)
#define CRYPT_FLAG_FIELDS (0 CRYPT_OPTIONS(CRYPT_FLAG_BIT))

const char *crypt_field_name(int f)
{
	const char *s = crypt_field_defs;

	while (f-- > 0)
		s += strlen(s) + 1;
	return s + 2;
}

void crypt_open_init(struct crypt_open *o)
{
	memset(o, 0, sizeof(*o));
	o->cipher = PLAIN_CIPHER;
	o->sector_size = CRYPT_SECTOR;
	o->key_slot = -1;
	o->type = CRYPT_TYPE_ANY;
	o->pass_out = 2;
}

/* A number field, at most max, into *v. */
static int set_number(int f, const char *val, uint64_t *v, struct act_err *e)
{
	uint64_t max = f == CO_KEY_SIZE	     ? CRYPT_KEY_MAX * 8
		       : f == CO_SECTOR_SIZE ? SECTOR_SIZE_MAX
					     : UINT64_MAX;

	if (CFG_CRYPT_LUKS && f == CO_KEY_SLOT)
		max = LUKS2_KEYSLOTS - 1;
	else if (CFG_CRYPT_LUKS && (f == CO_TRIES || f == CO_TIMEOUT))
		max = UINT32_MAX;
	else if (CFG_CRYPT_LUKS && f == CO_KEYFILE_SIZE)
		max = PASS_MAX;

	if (parse_u64(val, strlen(val), v) || *v > max)
		return crypt_refuse(e, f, NULL, "not a number in range");
	return 0;
}

/* --type's word: "luks" is cryptsetup's default, either version. */
static int set_type(struct crypt_open *o, const char *val, struct act_err *e)
{
	static const char types[] = "plain luks1 luks2 luks";
	static const uint8_t type_of[] = {CRYPT_TYPE_PLAIN, CRYPT_TYPE_LUKS1,
					  CRYPT_TYPE_LUKS2, CRYPT_TYPE_ANY};
	int k;

	if (!CFG_CRYPT_LUKS) {
		if (strcmp(val, "plain"))
			return crypt_refuse(e, CO_TYPE, val,
					    "not supported: dmboot opens "
					    "--type plain only");
		o->type = CRYPT_TYPE_PLAIN;
		return 0;
	}
	k = str_word_index(types, val);
	if (k < 0)
		return crypt_refuse(e, CO_TYPE, val,
				    "not supported: dmboot opens plain, luks, "
				    "luks1 and luks2");
	if ((k == 1 && !CFG_CRYPT_LUKS1) || (k == 2 && !CFG_CRYPT_LUKS2))
		return crypt_refuse(e, CO_TYPE, val,
				    "not built into this dmboot");
	o->type = type_of[k];
	return 0;
}

/* LUKS's fields (a build without LUKS takes them and ignores them, as
 * cryptsetup's plain open does). */
static void set_luks_flag(struct crypt_open *o, int f)
{
	if (f == CO_TEST_PASSPHRASE)
		o->test_passphrase = 1;
	else if (f == CO_TOKEN_ONLY)
		o->token_only = 1;
	else if (f == CO_DISABLE_KEYRING)
		o->disable_keyring = 1;
	/* --batch-mode, --verbose: nothing */
}

static void set_luks_number(struct crypt_open *o, int f, uint64_t v)
{
	if (f == CO_KEYFILE_SIZE)
		o->keyfile_size = v; /* plain: ignored */
	else if (f == CO_KEY_SLOT)
		o->key_slot = (int32_t)v;
	else if (f == CO_TRIES)
		o->tries = (uint32_t)v;
	else
		o->timeout_ms = v * 1000; /* v <= UINT32_MAX */
}

int crypt_open_set(struct crypt_open *o, int f, const char *val,
		   struct act_err *e)
{
	uint64_t v;
	int r;

	*e = (struct act_err){.field = f};
	if (f < 0 || f >= CO_COUNT)
		return -EINVAL;
	if ((CRYPT_FLAG_FIELDS >> f) & 1) {
		if (val)
			return crypt_refuse(e, f, NULL, "takes no value");
		if (f == CO_IV_LARGE_SECTORS)
			o->flags |= CRYPT_IV_LARGE_SECTORS;
		else if (f == CO_READONLY)
			o->readonly = 1;
		else if (f >= CO_ALLOW_DISCARDS && f <= CO_NO_WRITE_WORKQUEUE)
			o->flags |= 1u << (f - CO_ALLOW_DISCARDS);
		else if (CFG_CRYPT_LUKS)
			set_luks_flag(o, f);
		o->given |= 1ull << f;
		return 0;
	}
	if (!val)
		return crypt_refuse(e, f, NULL, "needs a value");
	switch (f) {
	case CO_TYPE:
		if ((r = set_type(o, val, e)))
			return r;
		break;
	case CO_CIPHER:
		o->cipher = val;
		break;
	case CO_KEY_FILE:
		o->key_file = val;
		break;
	case CO_HASH:
		o->hash = val;
		break;
	case CO_VOLUME_KEY_KEYRING:
		o->key_ref = val;
		break;
	case CO_DEVICE:
		o->device = val;
		break;
	case CO_NAME:
		o->name = val;
		break;
	case CO_HEADER:
	case CO_KEY_DESCRIPTION:
		if (CFG_CRYPT_LUKS)
			*(f == CO_HEADER ? &o->header : &o->key_desc) = val;
		break;
	default:
		if ((r = set_number(f, val, &v, e)))
			return r;
		if (f == CO_KEY_SIZE)
			o->key_bits = (uint32_t)v;
		else if (f == CO_SECTOR_SIZE)
			o->sector_size = (uint32_t)v;
		else if (f == CO_KEYFILE_OFFSET)
			o->keyfile_offset = v;
		else if (f == CO_OFFSET)
			o->offset = v;
		else if (f == CO_SKIP)
			o->skip = v;
		else if (f == CO_SIZE)
			o->size = v;
		else if (CFG_CRYPT_LUKS)
			set_luks_number(o, f, v);
	}
	o->given |= 1ull << f;
	return 0;
}

const char *crypt_warn_text(unsigned w)
{
	return w == CRYPT_WARN_HASH ? "warning: ignored with a key file, as "
				      "cryptsetup does"
	       : w == CRYPT_WARN_KEYFILE_SIZE
		       ? "warning: ignored, the key size is read, as "
			 "cryptsetup does"
		       : "warning: key file is world-readable. This is not a "
			 "good idea!";
}

/* Where the key comes from, as cryptsetup reads a plain key: a key file
 * is never hashed and is read for exactly the key size; stdin is hashed
 * unless --hash plain, and dmboot does not hash. */
static int key_source(const struct crypt_open *o, unsigned *warn,
		      struct act_err *e)
{
	if (o->key_ref) {
		if (o->key_file || crypt_given(o, CO_KEYFILE_OFFSET) ||
		    crypt_given(o, CO_KEYFILE_SIZE))
			return crypt_refuse(
				e, CO_VOLUME_KEY_KEYRING, NULL,
				"excludes --key-file and its options");
		if (!CFG_CRYPT_KEYRING)
			return crypt_refuse(e, CO_VOLUME_KEY_KEYRING, NULL,
					    "not built into this dmboot");
		return 0;
	}
	if (!o->key_file)
		return crypt_refuse(
			e, CO_KEY_FILE, NULL,
			"needed: dmboot reads no passphrases (for a raw "
			"key on stdin: -d - --hash plain)");
	if (!strcmp(o->key_file, "-")) {
		if (!o->hash || strcmp(o->hash, "plain"))
			return crypt_refuse(
				e, CO_KEY_FILE, "--key-file -",
				"passphrase hashing is not supported: "
				"give --hash plain for a raw key");
		return 0;
	}
	if (o->hash)
		*warn |= CRYPT_WARN_HASH;
	if (crypt_given(o, CO_KEYFILE_SIZE))
		*warn |= CRYPT_WARN_KEYFILE_SIZE;
	return 0;
}

static int key_read(const struct crypt_open *o, unsigned char *key, size_t len,
		    struct act_err *e)
{
	int r = keyfile_read(o->key_file, o->keyfile_offset, key, len);

	if (r)
		crypt_refuse(e, CO_KEY_FILE, o->key_file,
			     r == -ENODATA
				     ? "key file too short for --key-size "
				       "after --keyfile-offset"
				     : NULL);
	return r;
}

/* The key from the key file into secret memory, the table, the device;
 * every copy of the key wiped, the keyring's unlinked. */
static int open_with_key(struct dm_ctx *ctx, const struct crypt_open *o,
			 const char *uuid, const struct crypt_plain *p,
			 uint64_t size, struct act_err *e)
{
	/* "TYPE:DESC" of --volume-key-keyring's "%TYPE:DESC" */
	char ref_buf[CRYPT_KEY_REF_LEN], desc[CRYPT_KEY_DESC_LEN];
	const char *ref = CFG_CRYPT_KEYRING && o->key_ref ? ref_buf : NULL;
	struct table t = {0};
	unsigned char *key = NULL;
	int32_t serial = 0;
	int r;

	/* A key an earlier stage put in the kernel keyring (firmware, a TPM
	 * unseal, keyctl), for the table to name: dmboot never sees its
	 * bytes, and there are none to fall back to. */
	if (ref && crypt_key_ref(o->key_ref, ref_buf, sizeof(ref_buf)))
		return crypt_refuse(
			e, CO_VOLUME_KEY_KEYRING, o->key_ref,
			"not %logon:, %user:, %encrypted: or %trusted: "
			"and a description without blanks");
	if (ref && !crypt_keyring_usable(ctx))
		return crypt_refuse(
			e, CO_VOLUME_KEY_KEYRING, NULL,
			"this dm-crypt takes no keyring keys (needs "
			"1.18.1)");
	if (!ref) {
		if (!(key = secret_alloc(p->key_size, &ctx->unlocked))) {
			e->what = o->name;
			return -ENOMEM;
		}
		if ((r = key_read(o, key, p->key_size, e))) {
			secret_free(key, p->key_size);
			return r;
		}
	}
	/* dmboot's own description: "dmboot:<dm uuid>-d0" */
	if (crypt_key_desc(uuid, desc, sizeof(desc)))
		desc[0] = 0;
	r = crypt_key_table(ctx, desc[0] ? desc : NULL, p, size, key, ref, &t,
			    &serial);
	if (key)
		secret_free(key, p->key_size);
	if (r)
		e->what = o->name;
	else
		r = crypt_create(ctx, o->name, uuid, o->readonly, &t, e);
	crypt_unlink_key(serial);
	table_free(&t);
	return r;
}

/* cryptsetup's refusals of plain-only options (its check_args), then
 * crypt-luks.c. */
static int luks_open(struct dm_ctx *ctx, const struct crypt_open *o,
		     unsigned *warn, struct act_err *e)
{
	static const uint8_t plain_only[] = {CO_OFFSET, CO_SKIP, CO_SECTOR_SIZE,
					     CO_IV_LARGE_SECTORS,
					     CO_VOLUME_KEY_KEYRING};
	size_t i;

	if (!CFG_CRYPT_LUKS)
		return crypt_refuse(e, CO_TYPE, "luks",
				    "not supported: dmboot opens --type "
				    "plain only");
	for (i = 0; i < sizeof(plain_only); i++)
		if (crypt_given(o, plain_only[i]))
			return crypt_refuse(e, plain_only[i], NULL,
					    "supported only for plain devices");
	return crypt_luks_activate(ctx, o, warn, e);
}

int crypt_activate(struct dm_ctx *ctx, const struct crypt_open *o,
		   unsigned *warn, struct act_err *e)
{
	struct crypt_plain p = {0};
	char uuid[DM_UUID_LEN] = PLAIN_UUID_PREFIX;
	const size_t plen = sizeof(PLAIN_UUID_PREFIX) - 1;
	uint64_t size = 0, sectors = 0;
	int r, loop_fd = -1;

	*warn = 0;
	*e = (struct act_err){0};
	if (!o->device || (!o->name && !(CFG_CRYPT_LUKS && o->test_passphrase)))
		return crypt_refuse(e, o->device ? CO_NAME : CO_DEVICE, NULL,
				    "needed");
	if (o->type != CRYPT_TYPE_PLAIN)
		return luks_open(ctx, o, warn, e);
	if (CFG_CRYPT_LUKS && o->test_passphrase)
		return crypt_refuse(e, CO_TEST_PASSPHRASE, NULL,
				    "allowed only for LUKS devices");
	if (!o->cipher ||
	    crypt_cipher_spec(o->cipher, p.cipher, sizeof(p.cipher)))
		return crypt_refuse(e, CO_CIPHER, o->cipher,
				    "no known cipher specification pattern");
	p.key_size = (o->key_bits ? o->key_bits : PLAIN_KEY_BITS) / 8;
	if (p.key_size > CRYPT_KEY_MAX)
		return crypt_refuse(e, CO_KEY_SIZE, NULL,
				    "not a number in range");
	if (o->key_bits % 8)
		return crypt_refuse(e, CO_KEY_SIZE, NULL,
				    "must be a multiple of 8 bits");
	p.sector_size = o->sector_size;
	if (p.sector_size < CRYPT_SECTOR || p.sector_size > SECTOR_SIZE_MAX ||
	    (p.sector_size & (p.sector_size - 1)))
		return crypt_refuse(e, CO_SECTOR_SIZE, NULL,
				    "unsupported encryption sector size");
	if ((o->flags & CRYPT_IV_LARGE_SECTORS) &&
	    p.sector_size == CRYPT_SECTOR)
		return crypt_refuse(e, CO_IV_LARGE_SECTORS, NULL,
				    "needs a --sector-size above 512");
	if ((r = key_source(o, warn, e)))
		return r;
	e->what = o->name;
	if ((r = dm_check_name(o->name)))
		return r;
	if (strlen(o->name) >= sizeof(uuid) - plen)
		return -ENAMETOOLONG;
	memcpy(uuid + plen, o->name, strlen(o->name) + 1);

	p.iv_offset = o->skip;
	p.offset = o->offset;
	p.flags = o->flags;
	e->what = o->device;
	if (!(r = crypt_data_device(ctx, o, &p, &sectors, &loop_fd)) &&
	    !(r = crypt_mapped_size(o, &p, sectors, 0, &size, e))) {
		e->what = NULL;
		r = open_with_key(ctx, o, uuid, &p, size, e);
	}
	/* The table holds the loop device now, or autoclear detaches it. */
	if (CFG_LOOP_FILES && loop_fd >= 0)
		close(loop_fd);
	return r;
}
