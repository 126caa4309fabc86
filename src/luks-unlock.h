/* SPDX-License-Identifier: MIT */
/* A LUKS1 or LUKS2 volume's header read from its header device, and its
 * keyslots opened with a passphrase: the KDF (pbkdf2.h, argon2.h), the
 * keyslot area decrypted through the kernel's AF_ALG skcipher with the
 * area's cipher (kcapi.h), AF merge with the keyslot's hash, the digest
 * checked. Prints nothing; never writes to the device. */
#ifndef DMBOOT_LUKS_UNLOCK_H
#define DMBOOT_LUKS_UNLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "activate.h"
#include "crypt.h"
#include "luks.h"

/* Everything an open, isLuks, luksUUID, luksDump and status need. Large
 * (the LUKS2 metadata): callers put it in mem_alloc'd memory. */
struct luks_volume {
	uint8_t version; /* 1 or 2 */
	char uuid[40]; /* as the header has it, with dashes */
	char label[48], subsystem[48]; /* LUKS2; empty for LUKS1 */
	/* The data segment (LUKS1: the payload; LUKS2: segment 0). */
	char cipher[CRYPT_CIPHER_LEN]; /* table form: "aes-xts-plain64" */
	uint32_t key_size; /* volume key, bytes */
	uint64_t offset; /* 512-byte sectors on the data device */
	uint64_t size; /* 512-byte sectors; 0: to the device's end */
	uint64_t iv_tweak; /* sectors */
	uint32_t sector_size; /* bytes */
	unsigned flags; /* CRYPT_* of crypt.h from LUKS2's config flags */
	int digest; /* LUKS2: the digest id of segment 0 ("-d0") */
	uint64_t hdr_bytes; /* the header device's size */
	union {
		struct luks1_hdr l1;
		struct {
			struct luks2_bin bin;
			struct luks2_meta meta;
		} l2;
	} u;
};

/* Reads and checks the header on fd (the data device, or a detached
 * header), hdr_bytes long. version: 0 any, 1 or 2 only (--type).
 * 0, or -errno: -EINVAL for a header that is not LUKS or is malformed
 * (*luks_err then the LUKS_E_* code, e->field 0, e->what the field's
 * name), -ENOTSUP for a valid header dmboot does not open (integrity,
 * reencryption, requirements: e->why says which), or an I/O error. */
int luks_read(int fd, uint64_t hdr_bytes, int version, struct luks_volume *v,
	      int *luks_err, struct act_err *e);

/* Opens one keyslot with the passphrase pw (pwlen bytes): slot >= 0
 * tries that slot only (even a LUKS2 priority-0 "ignore" one); slot -1
 * tries the active slots in mask in LUKS2 priority order (prefer, then
 * normal; never ignore), LUKS1's in slot order. The volume key
 * (v->key_size bytes) goes into vk (secret memory of the caller's), the
 * slot into *used. 0, or: -EPERM no slot opened with this passphrase;
 * -ENOENT slot is not active (or not in mask); -ENOMEM a KDF memory cost
 * the machine cannot give (e->text names both figures, in KiB); -ENOSYS
 * no AF_ALG or the kernel lacks the area's cipher (e->why names it, and
 * the module to load), or a KDF or hash this build lacks; -EIO and
 * others from reading the area. Every derived key, decrypted area and
 * candidate key is wiped on every path; vk is wiped on failure. */
int luks_unlock(int fd, const struct luks_volume *v, int slot, uint32_t mask,
		const void *pw, size_t pwlen, uint8_t *vk, int *used,
		struct act_err *e);

#endif
