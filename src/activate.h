/* SPDX-License-Identifier: MIT */
/* What verity, crypt and LUKS activation share: how a refusal names the
 * input at fault, and cryptsetup's exit codes. The activation functions
 * take plain structs, whichever front end (command line, tab file,
 * /init) filled them, and print nothing: their callers do, in their own
 * words for the field. */
#ifndef DMBOOT_ACTIVATE_H
#define DMBOOT_ACTIVATE_H

#include "dm.h"

struct act_err {
	int field; /* the input at fault: the target's field enum, or 0 */
	const char *what; /* or named directly: a path, a device name */
	const char *why; /* a fixed reason; NULL: the error code's text */
	char text[64]; /* what or why built at run time point here */
};

/* cryptsetup's exit codes (its translate_errno), which veritysetup
 * shares: 1 invalid, 2 permission, 3 memory, 4 device, 5 busy. */
int act_exit_code(int err);

/* "dmboot: CMD: WHAT: WHY": WHAT is e->what, else field (the caller's
 * spelling of e->field, "--hash-offset" on the command line); WHY is
 * e->why, else err's text. Returns act_exit_code(err). */
int act_fail(const struct dm_ctx *ctx, const char *cmd, const char *field,
	     const struct act_err *e, int err);

#endif
