/* SPDX-License-Identifier: MIT */
/* cryptsetup's LUKS open: the header (on the device or detached), the
 * passphrase (the luks2-keyring tokens first, as cryptsetup 2.6 tries
 * them, then the key file, the keyring key or the prompt with --tries),
 * the keyslot, then the table cryptsetup 2.6.1 loads: LUKS1's volume key
 * in hex under DM_SECURE_DATA_FLAG, LUKS2's as the logon key
 * "cryptsetup:<uuid>-d<digest>" (unlinked once the table is loaded) where
 * dm-crypt takes one and --disable-keyring is not given. */
#include "crypt-luks.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "crypt-open.h"
#include "ops.h"
#include "passphrase.h"
#include "secret.h"

#define LUKS_UUID_PREFIX "CRYPT-LUKS" /* then the version, a dash */
#define NO_KEY "No key available with this passphrase."

void crypt_luks_release(struct luks_volume *v, int fd)
{
	if (v)
		mem_free(v, sizeof(*v));
	if (fd >= 0)
		close(fd);
}

int crypt_luks_header(const char *path, int version, struct luks_volume **vp,
		      int *fdp, struct act_err *e)
{
	struct luks_volume *v = NULL;
	uint64_t bytes = 0;
	int fd, r, lerr = 0;

	*vp = NULL;
	*fdp = -1;
	e->what = path;
	if ((fd = blkdev_open(path)) < 0)
		return fd;
	if ((r = blkdev_size(fd, &bytes)) ||
	    (r = (v = mem_alloc(sizeof(*v))) ? 0 : -ENOMEM) ||
	    (r = luks_read(fd, bytes, version, v, &lerr, e))) {
		if (r == -EINVAL &&
		    (lerr == LUKS_E_MAGIC || lerr == LUKS_E_VERSION ||
		     lerr == LUKS_E_TRUNCATED)) {
			e->what = path;
			e->why = "not a valid LUKS device";
		} else if (r == -EINVAL && !e->why) {
			e->why = luks_strerror(lerr);
		}
		if (!e->what)
			e->what = path;
		crypt_luks_release(v, fd);
		return r;
	}
	if ((v->version == 1 && !CFG_CRYPT_LUKS1) ||
	    (v->version == 2 && !CFG_CRYPT_LUKS2)) {
		crypt_luks_release(v, fd);
		e->what = path;
		e->why = v->version == 1
				 ? "LUKS1 is not built into this dmboot"
				 : "LUKS2 is not built into this dmboot";
		return -ENOTSUP;
	}
	*vp = v;
	*fdp = fd;
	return 0;
}

/* The luks2-keyring tokens, as cryptsetup tries them before anything
 * else: each token's passphrase (a "user" key) on its keyslots. 0 with
 * the volume key in vk, -EPERM if none opened a slot, or a hard error. */
static int unlock_tokens(struct dm_ctx *ctx, const struct crypt_open *o, int fd,
			 const struct luks_volume *v, uint8_t *vk,
			 struct act_err *e)
{
	uint32_t want = o->key_slot >= 0 ? 1u << o->key_slot : ~0u;
	struct pass pw = {0};
	int i, used, r = -EPERM;

	if (!CFG_CRYPT_LUKS2 || v->version != 2)
		return r;
	for (i = 0; i < LUKS2_TOKENS; i++) {
		const struct luks2_token *t = &v->u.l2.meta.tokens[i];

		if (!t->used || strcmp(t->type, "luks2-keyring") ||
		    !(t->keyslots & want) ||
		    pass_keyring(t->key_description, &pw, &ctx->unlocked))
			continue;
		r = luks_unlock(fd, v, -1, t->keyslots & want, pw.buf, pw.len,
				vk, &used, e);
		pass_free(&pw);
		if (r != -EPERM && r != -ENOENT)
			return r;
		r = -EPERM;
		*e = (struct act_err){0};
	}
	return r;
}

/* The volume key into vk: tokens, then up to --tries passphrases (one
 * from a key file or the keyring, or where there is no terminal). */
static int unlock(struct dm_ctx *ctx, const struct crypt_open *o, int fd,
		  const struct luks_volume *v, uint8_t *vk, struct act_err *e)
{
	struct pass_src s = {
		.key_file = o->key_file,
		.keyfile_offset = o->keyfile_offset,
		.keyfile_size = o->keyfile_size,
		.key_desc = o->key_desc,
		.in_fd = o->pass_in,
		.out_fd = o->pass_out,
		.device = o->device,
		.timeout_ms = o->timeout_ms,
	};
	struct pass pw = {0};
	const char *why = NULL;
	uint32_t tries = 1, i;
	int r, used;

	r = unlock_tokens(ctx, o, fd, v, vk, e);
	if (r != -EPERM)
		return r;
	if (o->token_only) {
		e->what = o->device;
		e->why = o->token_only == CRYPT_HEADLESS
				 ? "headless: no token unlocked a keyslot, "
				   "no prompt"
				 : "no token unlocked a keyslot";
		return -ENOKEY;
	}
	if (!o->key_file && !o->key_desc && s.in_fd >= 0 && isatty(s.in_fd))
		tries = o->tries ? o->tries : 3;
	for (i = 0; i < tries; i++) {
		if (i)
			pass_say(&s, NO_KEY);
		if ((r = pass_get(&s, &pw, &ctx->unlocked, &why))) {
			e->field = o->key_file	 ? CO_KEY_FILE
				   : o->key_desc ? CO_KEY_DESCRIPTION
						 : 0;
			e->what = o->key_file	? o->key_file
				  : o->key_desc ? o->key_desc
						: o->device;
			e->why = why;
			return r;
		}
		r = luks_unlock(fd, v, o->key_slot, ~0u, pw.buf, pw.len, vk,
				&used, e);
		pass_free(&pw);
		if (r != -EPERM)
			break;
	}
	if (r == -EPERM) {
		e->what = o->device;
		e->why = NO_KEY;
	} else if (r == -ENOENT) {
		e->field = CO_KEY_SLOT;
		e->what = NULL;
		e->why = "keyslot not active";
		r = -EINVAL; /* cryptsetup: invalid input, exit 1 */
	}
	return r;
}

/* "CRYPT-LUKS2-<uuid without dashes>-NAME" */
static int dm_uuid(const struct luks_volume *v, const char *name, char *out)
{
	const char *u;
	size_t n = sizeof(LUKS_UUID_PREFIX) - 1;

	memcpy(out, LUKS_UUID_PREFIX, n);
	out[n++] = (char)('0' + v->version);
	out[n++] = '-';
	for (u = v->uuid; *u; u++)
		if (*u != '-')
			out[n++] = *u;
	out[n++] = '-';
	if (strlen(name) >= DM_UUID_LEN - n)
		return -ENAMETOOLONG;
	memcpy(out + n, name, strlen(name) + 1);
	return 0;
}

/* cryptsetup's logon key: "cryptsetup:<uuid>-d<digest>" */
static void key_desc(const struct luks_volume *v, char *out)
{
	size_t n = strlen(v->uuid);

	memcpy(out, "cryptsetup:", 11);
	memcpy(out + 11, v->uuid, n);
	out += 11 + n;
	*out++ = '-';
	*out++ = 'd';
	*out++ = (char)('0' + v->digest);
	*out = 0;
}

/* The volume key vk into the table, the device. */
static int create(struct dm_ctx *ctx, const struct crypt_open *o,
		  const struct luks_volume *v, const char *uuid,
		  const uint8_t *vk, struct act_err *e)
{
	struct crypt_plain p = {0};
	char desc[CRYPT_KEY_DESC_LEN];
	struct table t = {0};
	uint64_t sectors = 0, size = 0;
	int32_t serial = 0;
	int r, loop_fd = -1;

	_Static_assert(sizeof(p.cipher) >= sizeof(v->cipher), "cipher");
	memcpy(p.cipher, v->cipher, sizeof(v->cipher));
	p.key_size = v->key_size;
	p.iv_offset = v->iv_tweak;
	p.offset = v->offset;
	p.sector_size = v->sector_size ? v->sector_size : CRYPT_SECTOR;
	p.flags = v->flags | o->flags;
	key_desc(v, desc);
	e->what = o->device;
	if (!(r = crypt_data_device(ctx, o, &p, &sectors, &loop_fd)) &&
	    !(r = crypt_mapped_size(o, &p, sectors, v->size, &size, e))) {
		e->what = o->name;
		r = crypt_key_table(
			ctx,
			v->version == 2 && !o->disable_keyring ? desc : NULL,
			&p, size, vk, NULL, &t, &serial);
		if (!r)
			r = crypt_create(ctx, o->name, uuid, o->readonly, &t,
					 e);
		crypt_unlink_key(serial);
		table_free(&t);
	}
	/* The table holds the loop device now, or autoclear detaches it. */
	if (CFG_LOOP_FILES && loop_fd >= 0)
		close(loop_fd);
	return r;
}

int crypt_luks_activate(struct dm_ctx *ctx, const struct crypt_open *o,
			unsigned *warn, struct act_err *e)
{
	const char *hdr = o->header ? o->header : o->device;
	char uuid[DM_UUID_LEN];
	struct luks_volume *v;
	uint8_t *vk = NULL;
	int r, fd;

	*warn = 0;
	if (!o->test_passphrase) {
		e->what = o->name;
		if ((r = dm_check_name(o->name)))
			return r;
	}
	if ((r = crypt_luks_header(hdr,
				   o->type == CRYPT_TYPE_LUKS1	 ? 1
				   : o->type == CRYPT_TYPE_LUKS2 ? 2
								 : 0,
				   &v, &fd, e)))
		return r;
	*e = (struct act_err){.what = o->name};
	/* A name in use: refused before any passphrase or KDF, as by
	 * cryptsetup. */
	if (!o->test_passphrase && (r = crypt_name_free(ctx, o->name, e))) {
		crypt_luks_release(v, fd);
		return r;
	}
	if (o->key_slot >= (v->version == 1 ? LUKS1_KEYSLOTS : LUKS2_KEYSLOTS))
		r = crypt_refuse(e, CO_KEY_SLOT, NULL, "not a number in range");
	else if (!o->test_passphrase && dm_uuid(v, o->name, uuid))
		r = -ENAMETOOLONG;
	else if (!(vk = secret_alloc(v->key_size, &ctx->unlocked)))
		r = -ENOMEM;
	else if (!(r = unlock(ctx, o, fd, v, vk, e)) && !o->test_passphrase)
		r = create(ctx, o, v, uuid, vk, e);
	if (vk)
		secret_free(vk, v->key_size);
	crypt_luks_release(v, fd);
	return r;
}
