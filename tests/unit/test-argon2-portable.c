/* SPDX-License-Identifier: MIT */
/* test-argon2.c built without ARGON2_SSE2 (run.sh's PORTABLE_TESTS): the
 * portable compression against the RFC 9106 vectors and libargon2 on x86
 * too, where the full configuration runs the SSE2 one. */
#include "test-argon2.c"
