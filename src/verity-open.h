/* SPDX-License-Identifier: MIT */
/* Activating a dm-verity device as veritysetup open does, from a plain
 * struct: the command line, veritytab lines and /init's roothash= fill
 * one with verity_open_set, one input at a time, and call
 * verity_activate, which prints nothing. */
#ifndef DMBOOT_VERITY_OPEN_H
#define DMBOOT_VERITY_OPEN_H

#include <stdint.h>

#include "activate.h"
#include "dm.h"
#include "verity.h"

/* X(ID, SHORT, LONG, TAKES_ARG): veritysetup open's options. LONG is
 * veritysetup's long option, and veritytab's key where they coincide.
 * The command line's option set is this list (verity_field_defs). */
#define VERITY_OPTIONS(X)                                                      \
	X(HASH_OFFSET, "-", "hash-offset", 1)                                  \
	X(DATA_BLOCK_SIZE, "-", "data-block-size", 1)                          \
	X(HASH_BLOCK_SIZE, "-", "hash-block-size", 1)                          \
	X(DATA_BLOCKS, "-", "data-blocks", 1)                                  \
	X(FORMAT, "-", "format", 1)                                            \
	X(SALT, "s", "salt", 1)                                                \
	X(HASH, "h", "hash", 1)                                                \
	X(NO_SUPERBLOCK, "-", "no-superblock", 0)                              \
	X(UUID, "-", "uuid", 1)                                                \
	X(ROOT_HASH_FILE, "-", "root-hash-file", 1)                            \
	X(SIGNATURE, "-", "root-hash-signature", 1)                            \
	X(IGNORE_CORRUPTION, "-", "ignore-corruption", 0)                      \
	X(RESTART, "-", "restart-on-corruption", 0)                            \
	X(PANIC, "-", "panic-on-corruption", 0)                                \
	X(IGNORE_ZERO, "-", "ignore-zero-blocks", 0)                           \
	X(AT_MOST_ONCE, "-", "check-at-most-once", 0)                          \
	X(TASKLETS, "-", "use-tasklets", 0)                                    \
	X(FEC_DEVICE, "-", "fec-device", 1)                                    \
	X(FEC_OFFSET, "-", "fec-offset", 1)                                    \
	X(FEC_ROOTS, "-", "fec-roots", 1)                                      \
	X(NO_ROOT_CHECK, "-", "no-root-hash-check", 0)                         \
	X(VERBOSE, "v", "verbose", 0)                                          \
	X(DEBUG, "-", "debug", 0)

/* The positional inputs of "open DATA NAME HASH ROOTHASH", after the
 * options: no spelling of their own, a refusal names them by value. */
#define VERITY_ARGS(X)                                                         \
	X(DATA, "-", "", 1)                                                    \
	X(NAME, "-", "", 1)                                                    \
	X(HASH_DEVICE, "-", "", 1)                                             \
	X(ROOT_HASH, "-", "", 1)

/* VO_NONE (0) names no field, as act_err.field 0 does; option k of the
 * command line's set is field k + 1. */
#define VERITY_FIELD_ENUM(id, s, l, a) VO_##id,
enum verity_field {
	VO_NONE,
	VERITY_OPTIONS(VERITY_FIELD_ENUM) VERITY_ARGS(VERITY_FIELD_ENUM)
		VO_COUNT
};
#undef VERITY_FIELD_ENUM
#define VO_OPTION_COUNT (VO_DATA - 1)

/* The options, VO_HASH_OFFSET on, in struct optset's format (cli.h):
 * kind byte, short letter, long name, NUL: the command line's option
 * set. */
extern const char verity_field_defs[];
/* veritysetup's long option name of field f ("hash-offset"); "" for a
 * positional input. */
const char *verity_field_name(int f);

struct verity_open {
	uint64_t given; /* bit (1 << VO_x) per field set */
	const char *name;
	const char *data, *hash, *fec; /* devices or image files */
	const char *root_hash; /* hex text; or read from root_hash_file */
	const char *root_hash_file;
	const char *signature; /* PKCS#7 file for the keyring */
	uint64_t hash_offset; /* bytes */
	uint64_t data_blocks; /* --no-superblock; given or the device's */
	uint64_t fec_offset; /* bytes */
	uint32_t data_block_size, hash_block_size;
	uint32_t format; /* hash type: 0 Chrome OS, 1 normal */
	uint32_t fec_roots;
	char hash_name[32];
	uint16_t salt_size;
	uint8_t salt[VERITY_MAX_SALT];
	uint8_t uuid[16];
	unsigned flags; /* VF_*: the table options asked for */
	uint8_t no_superblock, no_root_check;
};

static inline int verity_given(const struct verity_open *o, int f)
{
	return (o->given >> f) & 1;
}

/* An empty request with veritysetup's defaults (sha256, 4096-byte
 * blocks, format 1, 2 FEC roots). */
void verity_open_init(struct verity_open *o);

/* One input's text into o: numbers, block sizes, "must be 0 or 1", hex
 * salt, UUID; flags take val NULL, every other input needs one. Paths,
 * the name and the root hash are kept by reference. An option this build
 * lacks is refused ("not built into this dmboot"); --no-superblock's
 * and --fec-device's parameters are taken unread by a build without them,
 * as veritysetup ignores them beside a superblock. The same refusals for
 * every front end: 0, or -EINVAL with e->field = f, e->why a fixed reason
 * and e->what the value where it says more. */
int verity_open_set(struct verity_open *o, int f, const char *val,
		    struct act_err *e);

/* Opens the devices (loop devices for image files; ctx->dry_run binds
 * none), reads the superblock or takes the parameters from o, gates the
 * options on the kernel's dm-verity version, checks the root hash against
 * the tree, puts the signature in the thread keyring for the load (and
 * unlinks it), creates the read-only device (removed again if the load or
 * resume fails) and its /dev/mapper node. Prints nothing.
 * Returns 0 or -errno. A refusal with a reason of its own (e->why)
 * returns -EINVAL, or -VT_ROOT_MISMATCH / -VT_HASH_SIZE from the root
 * check. e->field names the input at fault (VO_NONE if none), e->what a
 * path, name or value when that says more. */
int verity_activate(struct dm_ctx *ctx, const struct verity_open *o,
		    struct act_err *e);

/* The root check's error r (verity_check_root, verity_verify_all) into e:
 * what names the device. Returns r, or -EINVAL for a kernel without the
 * hash. */
int verity_root_check_failed(int r, const char *what, struct act_err *e);

/* What verify and open share: the devices' parameters from the
 * superblock at o->hash_offset or from o, and the root digest. data_fd and
 * hash_fd are open; *uuid gets the superblock's or o's UUID and
 * *have_uuid whether there was one. Same returns as verity_activate. */
int verity_open_params(const struct verity_open *o, int data_fd, int hash_fd,
		       struct verity_params *p, uint8_t uuid[16],
		       int *have_uuid, struct act_err *e);

#endif
