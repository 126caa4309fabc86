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
	int in_fd, out_fd; /* the terminal to prompt on; -1: none */
	const char *device; /* for "Enter passphrase for DEVICE: " */
	uint32_t timeout; /* seconds a prompt waits; 0: for ever */
};

struct pass {
	char *buf; /* secret memory */
	size_t len, size;
};

/* One passphrase from s into p (p->buf secret memory, freed by
 * pass_free): the key file if named, else the keyring key if named,
 * else the prompt. 0, or -errno with *why a fixed reason: -ENOENT no
 * such key file or keyring key, -ENOTTY no terminal to ask on,
 * -ETIMEDOUT the prompt's timeout, -ECANCELED end of input before a
 * line, -E2BIG longer than the limit. */
int pass_get(const struct pass_src *s, struct pass *p, int *unlocked,
	     const char **why);
/* The passphrase in the kernel keyring under the "user" key desc (the
 * luks2-keyring token's key_description): 0, or -ENOKEY. */
int pass_keyring(const char *desc, struct pass *p, int *unlocked);
/* A line to the prompt's terminal ("No key available with this
 * passphrase."), for the caller's next try. */
void pass_say(const struct pass_src *s, const char *line);
/* Wipes and frees p->buf. */
void pass_free(struct pass *p);

#endif
