/* SPDX-License-Identifier: MIT */
/* Activating a dm-crypt device as cryptsetup open does, plain or LUKS,
 * from a plain struct: the command line and crypttab lines fill one with
 * crypt_open_set, one input at a time, and call crypt_activate, which
 * prints nothing (but a LUKS passphrase prompt). The table/create part is
 * shared by the plain path (crypt-open.c) and LUKS's (crypt-luks.c). */
#ifndef DMBOOT_CRYPT_OPEN_H
#define DMBOOT_CRYPT_OPEN_H

#include <stdint.h>

#include "activate.h"
#include "crypt.h"
#include "dm.h"

/* X(ID, SHORT, LONG, TAKES_ARG): cryptsetup open's options, the
 * command line's option set (crypt_field_defs). The five flag options
 * from ALLOW_DISCARDS on are consecutive and in crypt.h's flag order. */
#define CRYPT_OPTIONS(X)                                                       \
	X(TYPE, "M", "type", 1)                                                \
	X(CIPHER, "c", "cipher", 1)                                            \
	X(KEY_SIZE, "s", "key-size", 1)                                        \
	X(KEY_FILE, "d", "key-file", 1)                                        \
	X(KEYFILE_OFFSET, "-", "keyfile-offset", 1)                            \
	X(KEYFILE_SIZE, "l", "keyfile-size", 1)                                \
	X(HASH, "h", "hash", 1)                                                \
	X(OFFSET, "o", "offset", 1)                                            \
	X(SKIP, "p", "skip", 1)                                                \
	X(SIZE, "b", "size", 1)                                                \
	X(SECTOR_SIZE, "-", "sector-size", 1)                                  \
	X(IV_LARGE_SECTORS, "-", "iv-large-sectors", 0)                        \
	X(ALLOW_DISCARDS, "-", "allow-discards", 0)                            \
	X(SAME_CPU_CRYPT, "-", "perf-same_cpu_crypt", 0)                       \
	X(SUBMIT_FROM_CRYPT_CPUS, "-", "perf-submit_from_crypt_cpus", 0)       \
	X(NO_READ_WORKQUEUE, "-", "perf-no_read_workqueue", 0)                 \
	X(NO_WRITE_WORKQUEUE, "-", "perf-no_write_workqueue", 0)               \
	X(READONLY, "r", "readonly", 0)                                        \
	X(BATCH_MODE, "q", "batch-mode", 0)                                    \
	X(VOLUME_KEY_KEYRING, "-", "volume-key-keyring", 1)                    \
	X(HEADER, "-", "header", 1)                                            \
	X(KEY_SLOT, "S", "key-slot", 1)                                        \
	X(TRIES, "T", "tries", 1)                                              \
	X(TIMEOUT, "t", "timeout", 1)                                          \
	X(TEST_PASSPHRASE, "-", "test-passphrase", 0)                          \
	X(KEY_DESCRIPTION, "-", "key-description", 1)                          \
	X(TOKEN_ONLY, "-", "token-only", 0)                                    \
	X(DISABLE_KEYRING, "-", "disable-keyring", 0)                          \
	X(VERBOSE, "v", "verbose", 0)

/* The positional inputs of "open DEVICE NAME" (no option spelling). */
#define CRYPT_ARGS(X)                                                          \
	X(DEVICE, "-", "device", 1)                                            \
	X(NAME, "-", "name", 1)

#define CRYPT_FIELD_ENUM(id, s, l, a) CO_##id,
enum crypt_field {
	CRYPT_OPTIONS(CRYPT_FIELD_ENUM) CRYPT_ARGS(CRYPT_FIELD_ENUM) CO_COUNT
};
#undef CRYPT_FIELD_ENUM
#define CO_OPTION_COUNT CO_DEVICE

/* Every field in struct optset's format (cli.h): kind byte, short
 * letter, long name, NUL; the first CO_OPTION_COUNT are the command
 * line's options. */
extern const char crypt_field_defs[];
/* cryptsetup's long option name of field f ("key-size"). */
const char *crypt_field_name(int f);

/* What --type names; CRYPT_TYPE_ANY (no --type) detects a LUKS header
 * as cryptsetup's open does (its default type is "luks"). */
enum crypt_type {
	CRYPT_TYPE_ANY = 0, /* LUKS1 or LUKS2, from the header */
	CRYPT_TYPE_PLAIN,
	CRYPT_TYPE_LUKS1,
	CRYPT_TYPE_LUKS2,
};

struct crypt_open {
	const char *device; /* block device or image file */
	const char *name;
	const char *cipher; /* cryptsetup's spelling: "aes-xts-plain64" */
	const char *key_file; /* "-": stdin, raw with hash "plain" only */
	const char *hash; /* read only for stdin: "plain" */
	const char *key_ref; /* "%TYPE:DESC": a key in the kernel keyring */
	uint64_t keyfile_offset; /* bytes */
	uint64_t offset, skip; /* sectors */
	uint64_t size; /* sectors; 0: to the end of the device */
	uint32_t key_bits; /* 0: 256 */
	uint32_t sector_size; /* bytes */
	unsigned flags; /* CRYPT_* of crypt.h */
	uint8_t readonly;
	uint8_t type; /* enum crypt_type */
	/* LUKS (crypt-luks.c) */
	const char *header; /* --header: a detached LUKS header (file or
			     * device); NULL: on the device */
	const char *key_desc; /* a "user" key in the kernel keyring that
			       * holds the passphrase (--key-description) */
	uint64_t keyfile_size; /* bytes of passphrase; 0: to the end */
	int32_t key_slot; /* -1: every slot in priority order */
	uint32_t tries; /* passphrase prompts; 0: cryptsetup's 3 */
	uint64_t timeout_ms; /* a prompt's wait: --timeout's seconds, or
			      * crypttab's time span; 0: for ever */
	uint8_t test_passphrase; /* unlock only: no device */
	uint8_t token_only; /* tokens only, no passphrase; CRYPT_HEADLESS:
			     * crypttab's headless, which says so */
	uint8_t disable_keyring; /* the volume key in the table (hex) */
	int pass_in, pass_out; /* the terminal a passphrase prompt uses:
				* crypt_open_init's stdin and stderr, as
				* cryptsetup's; -1: none */
	uint64_t given; /* bit (1 << CO_x) per field set */
};

#define CRYPT_HEADLESS 2

static inline int crypt_given(const struct crypt_open *o, int f)
{
	return (o->given >> f) & 1;
}

/* An empty request with cryptsetup 2.6's defaults: type "luks" (a LUKS1
 * or LUKS2 header; CRYPT_TYPE_ANY), and for --type plain cipher
 * aes-cbc-essiv:sha256, 256-bit key, 512-byte sectors. */
void crypt_open_init(struct crypt_open *o);

/* One input's text into o: numbers in range, --type plain, luks, luks1
 * or luks2 (as this build has them); flags take
 * val NULL. Strings are kept by reference (crypt_activate checks them).
 * The same refusals for every front end: 0, or -EINVAL with e->field = f,
 * e->what the value where it says more, and e->why a fixed reason. */
int crypt_open_set(struct crypt_open *o, int f, const char *val,
		   struct act_err *e);

/* Warnings the activation found, for its caller to print (the text with
 * crypt_warn_text), about field CO_HASH or CO_KEYFILE_SIZE; and
 * systemd-cryptsetup's about a key file others may read or execute,
 * which crypttab lines print (tab-open.c) and the command line, as
 * cryptsetup, does not. */
enum crypt_warn {
	CRYPT_WARN_HASH = 1u << 0,
	CRYPT_WARN_KEYFILE_SIZE = 1u << 1,
	CRYPT_WARN_KEY_READABLE = 1u << 2,
};
const char *crypt_warn_text(unsigned w);

/* Checks o (cipher specification, key and sector sizes, key source,
 * keyring reference, sizes against the device), binds a loop device
 * for an image file (none on a dry run, ctx->dry_run), reads the key
 * into secret memory, puts it in the thread keyring as a logon key where
 * dm-crypt takes one (else hex under DM_SECURE_DATA_FLAG) or names
 * o->key_ref, creates the device (removed again if the load or resume
 * fails) and its /dev/mapper node. The key and every copy of it are wiped
 * and the keyring key unlinked on every path. Prints nothing; *warn gets
 * CRYPT_WARN_* bits. Returns 0 or -errno, with e->field the input at
 * fault (CO_KEY_FILE for every key file fault: cryptsetup's exit code 1
 * whatever the errno), e->what a path, name or value where it says more,
 * and e->why a fixed reason or NULL for the errno's text.
 * LUKS (o->type not CRYPT_TYPE_PLAIN; crypt-luks.c): the header from
 * o->header or the device ("not a valid LUKS device", -EINVAL, without
 * one; --offset, --skip, --sector-size, --iv-large-sectors and
 * --volume-key-keyring refused as plain-only), the passphrase from the
 * luks2-keyring tokens, then the key file, o->key_desc or a prompt on
 * o->pass_in/o->pass_out (its only output) up to o->tries times; -EPERM
 * (cryptsetup's exit 2) when no keyslot opens, with nothing created and
 * no key left in the keyring; o->test_passphrase stops after the
 * keyslot. */
int crypt_activate(struct dm_ctx *ctx, const struct crypt_open *o,
		   unsigned *warn, struct act_err *e);

/* What the plain path (crypt-open.c) shares with the LUKS one
 * (crypt-luks.c), in crypt-dev.c below both. */
int crypt_refuse(struct act_err *e, int field, const char *what,
		 const char *why);
/* 0 if no device is called name; -EEXIST ("device already exists", exit
 * 5) if one is, checked as cryptsetup does before any passphrase is
 * asked for or any KDF run; or the error asking. */
int crypt_name_free(struct dm_ctx *ctx, const char *name, struct act_err *e);
/* Does this dm-crypt take keyring keys (1.18.1)? */
int crypt_keyring_usable(struct dm_ctx *ctx);
/* The data device's number into p, its size in sectors; an image file's
 * loop device in *loop_fd (see loop.h). */
int crypt_data_device(struct dm_ctx *ctx, const struct crypt_open *o,
		      struct crypt_plain *p, uint64_t *sectors, int *loop_fd);
/* The mapped length: o->size, else want (0: what is left after
 * p->offset), checked against the device's sectors. */
int crypt_mapped_size(const struct crypt_open *o, const struct crypt_plain *p,
		      uint64_t sectors, uint64_t want, uint64_t *size,
		      struct act_err *e);
/* The crypt table for key (p->key_size bytes, secret memory) or, key
 * NULL, for the keyring key ref names. With desc, a key of ours goes into
 * the thread keyring as the logon key desc where dm-crypt takes one:
 * *serial then names it, for crypt_unlink_key once the table is loaded;
 * otherwise (desc NULL, or the keyring refuses it) the table carries it
 * in hex. */
int crypt_key_table(struct dm_ctx *ctx, const char *desc,
		    const struct crypt_plain *p, uint64_t size,
		    const unsigned char *key, const char *ref, struct table *t,
		    int32_t *serial);
void crypt_unlink_key(int32_t serial);
/* Creates the device with table t (removed again if the load or resume
 * fails). */
int crypt_create(struct dm_ctx *ctx, const char *name, const char *uuid,
		 int readonly, const struct table *t, struct act_err *e);

/* LUKS1 and LUKS2 (crypt-luks.c): crypt_activate's half for o->type
 * ANY, LUKS1 or LUKS2, with the same contract. */
int crypt_luks_activate(struct dm_ctx *ctx, const struct crypt_open *o,
			unsigned *warn, struct act_err *e);

#endif
