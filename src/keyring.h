/* SPDX-License-Identifier: MIT */
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
/* request_key(2) without a callout, as cryptsetup looks a passphrase up:
 * the key of type and desc in the thread, process or session keyring
 * (the user session keyring where there is no session). The serial or
 * -errno (-ENOKEY: none). */
int32_t keyring_search(const char *type, const char *desc);
/* keyctl(KEYCTL_READ): the key's payload, at most len bytes of it into
 * buf (NULL, 0: none). The payload's whole length, or -errno. */
long keyring_read(int32_t key, void *buf, size_t len);

#endif
