/* SPDX-License-Identifier: MIT */
/* The kernel's AF_ALG skcipher sockets, for the tests and the fuzz
 * harness that open LUKS keyslots on build machines whose kernels may
 * have no AF_ALG: fake-sys.h's fsys.alg hooks (fsys.alg = &fake_alg).
 * The cipher is OpenSSL's (TEST_OPENSSL, the unit tests: xts(aes),
 * cbc(aes), ecb(aes), as the fixtures need), or an echo of what was sent
 * (falg.echo, and always without OpenSSL: the fuzz harness, cross
 * builds), so that an unlock goes on to the AF merge and the digest.
 * Every request is checked as the kernel would take it (the sockaddr,
 * the key option, one operation and a well-formed IV in each sendmsg's
 * control messages, one iovec, recv on an operation socket): a request
 * the kernel would refuse aborts, naming what was wrong. Sockets are
 * memfds, real descriptors the code under test closes. */
#ifndef FAKE_ALG_H
#define FAKE_ALG_H

#include "fake-sys.h"

#ifndef TEST_OPENSSL
#define TEST_OPENSSL 1
#endif

/* The knobs (zero: a kernel with every cipher the fake knows) and what
 * was seen. */
struct fake_alg_state {
	int absent; /* socket(AF_ALG) fails: EAFNOSUPPORT, no AF_ALG */
	int lacks_all; /* every bind fails: ENOENT, no cipher at all */
	const char *missing; /* binding this name fails: ENOENT */
	int echo; /* "decrypt" by echoing (forced without OpenSSL) */
	int sockets; /* AF_ALG sockets made (socket and accept) */
	int requests; /* sendmsg calls */
};
extern struct fake_alg_state falg;
extern const struct fsys_alg fake_alg;

/* Knobs and counts cleared, sockets forgotten (their fds are the
 * caller's). */
void fake_alg_reset(void);
/* AF_ALG sockets (transforms and operations) still open. */
int fake_alg_open(void);

#endif
