/* The kernel keyring, for keys that must not travel in a table: dm-crypt
 * keys (logon) and dm-verity root hash signatures (user). */
#ifndef DMBOOT_KEYRING_H
#define DMBOOT_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#define KEY_SPEC_THREAD_KEYRING (-1)
#define KEY_SPEC_PROCESS_KEYRING (-2)
#define KEY_SPEC_SESSION_KEYRING (-3)
#define KEY_SPEC_USER_KEYRING (-4)

/* add_key(2): type "logon" or "user"; returns the serial or -errno. */
int32_t keyring_add(const char *type, const char *desc, const void *payload,
		    size_t len, int32_t keyring);
/* keyctl(KEYCTL_UNLINK): drops the key from the keyring. 0 or -errno. */
int keyring_unlink(int32_t key, int32_t keyring);

#endif
