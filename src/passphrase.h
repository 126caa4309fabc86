/* SPDX-License-Identifier: MIT */
/* Where a LUKS passphrase comes from, as cryptsetup reads one: a key
 * file (--keyfile-offset, --keyfile-size, "-" for stdin: every byte, no
 * newline stripped, at most 8 MiB), a "user" key in the kernel keyring,
 * or a prompt on a terminal (echo off, cryptsetup's wording, the line
 * without its newline; stdin that is not a terminal: one line). The
 * passphrase lives in secret memory (secret.h) and is wiped after use. */
#ifndef DMBOOT_PASSPHRASE_H
#define DMBOOT_PASSPHRASE_H

#include <stddef.h>
#include <stdint.h>

#define PASS_MAX (8u << 20) /* cryptsetup's default --keyfile-size max */
#define PASS_PROMPT_MAX 512 /* bytes a typed passphrase may have */

struct pass_src {
	const char *key_file; /* "-": stdin */
	uint64_t keyfile_offset, keyfile_size; /* bytes; size 0: to EOF */
	const char *key_desc; /* a "user" key's description */
	/* The terminal to prompt on (in_fd; -1: none) and where the prompt
	 * goes (out_fd; -1: in_fd itself, as cryptsetup writes to
	 * /dev/tty). The CLI passes stdin and -1 (stdin not a terminal:
	 * its line, no prompt); /init the console's fd for both. */
	int in_fd, out_fd;
	const char *device; /* for "Enter passphrase for DEVICE: " */
	uint64_t timeout_ms; /* a prompt's wait; 0: for ever */
};

struct pass {
	char *buf; /* secret memory */
	size_t len, size;
};

/* One passphrase from s into p (p->buf secret memory, freed by
 * pass_free): the key file if named ("-" with stdin a terminal: the
 * prompt), else the keyring key if named, else the prompt (in_fd not a
 * terminal: its next line, as cryptsetup reads a pipe). 0, or -errno
 * with *why a fixed reason (cryptsetup's words where it has them), or
 * NULL where the error code's text says it: -ENOENT no such key file or
 * keyring key, -ENOTTY no terminal to ask on, -ENOTSUP no prompt in
 * this build (CRYPT_PASSPHRASE), -ETIMEDOUT the prompt's timeout,
 * -EINTR a signal ended the prompt, -ECANCELED end of input before a
 * line (or nothing on a pipe), -E2BIG longer than the limit, -ENODATA
 * fewer bytes than keyfile_size, -EINVAL an offset beyond the end or on
 * a terminal. The terminal is back as it was on every return. */
int pass_get(const struct pass_src *s, struct pass *p, int *unlocked,
	     const char **why);
/* The passphrase in the kernel keyring under the "user" key desc (the
 * luks2-keyring token's key_description), found as cryptsetup finds it
 * (request_key: thread, process, session keyrings): 0, -ENOKEY (none,
 * revoked or expired), or the keyring's -errno (-ENOSYS: no keyring in
 * this kernel; -EACCES). */
int pass_keyring(const char *desc, struct pass *p, int *unlocked);
/* A line to the prompt's terminal ("No key available with this
 * passphrase."), for the caller's next try: to out_fd, else to in_fd
 * if it is a terminal, else nowhere. */
void pass_say(const struct pass_src *s, const char *line);
/* Wipes and frees p->buf. */
void pass_free(struct pass *p);

#endif
