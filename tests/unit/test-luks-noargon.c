/* SPDX-License-Identifier: MIT */
/* test-luks-unlock.c built without KDF_ARGON2 (run.sh's NOARGON_TESTS):
 * an argon2 keyslot is -ENOSYS, named or not, and another slot still
 * opens the volume. */
#define LUKS_NOARGON 1
#include "test-luks-unlock.c"
