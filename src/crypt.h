/* SPDX-License-Identifier: MIT */
/* dm-crypt tables as cryptsetup writes them in plain mode, and read back
 * for status. No I/O. */
#ifndef DMBOOT_CRYPT_H
#define DMBOOT_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "dm-abi.h"
#include "table.h"

#define CRYPT_CIPHER_LEN 128
#define CRYPT_KEY_MAX 1024 /* bytes; cryptsetup's plain mode takes no more */
#define CRYPT_KEY_DESC_LEN (DM_UUID_LEN + 16)
#define CRYPT_KEY_REF_LEN 256 /* "TYPE:DESCRIPTION" in a table */
#define CRYPT_SECTOR 512u

/* Optional parameters. The first five are in cryptsetup's table order and
 * in the order of crypt-open.h's fields. */
enum {
	CRYPT_ALLOW_DISCARDS = 1u << 0,
	CRYPT_SAME_CPU_CRYPT = 1u << 1,
	CRYPT_SUBMIT_FROM_CRYPT_CPUS = 1u << 2,
	CRYPT_NO_READ_WORKQUEUE = 1u << 3,
	CRYPT_NO_WRITE_WORKQUEUE = 1u << 4,
	CRYPT_IV_LARGE_SECTORS = 1u << 5,
};

/* One crypt target: "cipher key iv_offset major:minor offset [opts]". */
struct crypt_plain {
	char cipher
		[CRYPT_CIPHER_LEN]; /* dm-crypt's form: aes-cbc-essiv:sha256 */
	uint32_t key_size; /* bytes */
	int keyring; /* read back: the key is a keyring reference */
	uint64_t iv_offset; /* --skip */
	uint32_t major, minor;
	uint64_t offset; /* sectors */
	uint32_t sector_size;
	unsigned flags;
};

/* The table name of the flag 1 << i ("allow_discards", ...). */
const char *crypt_opt_name(unsigned i);
/* --cipher as cryptsetup reads it: "aes" and "aes-plain" mean
 * aes-cbc-plain. 0, or -EINVAL for a spec it would refuse or that has no
 * key (cipher_null). */
int crypt_cipher_spec(const char *in, char *out, size_t size);
/* The description of dmboot's logon key: "dmboot:<uuid>-d0". */
int crypt_key_desc(const char *uuid, char *out, size_t size);
/* Takes this crypt target version keys from the keyring? cryptsetup
 * asks for 1.18.1: 1.15 had them, with a bug. */
int crypt_has_keyring(const uint32_t version[3]);
/* Appends the crypt target over sectors [0, sectors): the key_size bytes
 * of key in hex, or, with ref ("TYPE:DESCRIPTION", e.g. "logon:x"), a
 * reference to that key in the kernel keyring. Every copy of the text is
 * wiped. */
int crypt_table_add(struct table *t, uint64_t sectors,
		    const struct crypt_plain *p, const unsigned char *key,
		    const char *ref);
/* --volume-key-keyring's "%TYPE:DESCRIPTION" (keyctl's syntax) into the
 * table's "TYPE:DESCRIPTION": a type dm-crypt takes (logon, user,
 * encrypted, trusted) and a description without blanks. 0 or -EINVAL. */
int crypt_key_ref(const char *in, char *out, size_t size);
/* A crypt target's parameters back into p (the key is not kept). 0 or
 * -EINVAL. */
int crypt_table_parse(const char *params, struct crypt_plain *p);

#endif
