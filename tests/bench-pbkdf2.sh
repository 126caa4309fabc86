#!/bin/sh
# SPDX-License-Identifier: MIT
# PBKDF2 on the host: dmboot's pbkdf2() built as the binary builds it
# (musl, the Makefile's size flags) and with glibc at -O2, against
# OpenSSL's PKCS5_PBKDF2_HMAC (libssl-dev), sha256 and sha512. Prints
# iterations per second and the first bytes of each key (they must
# agree). Not a test: nothing is asserted.
#   tests/bench-pbkdf2.sh [ITERATIONS]   (default 1000000)
set -eu
cd "$(dirname "$0")/.."
O=build/bench-pbkdf2
ITER=${1:-1000000}
mkdir -p "$O"
make -s CONFIG="$O/.config" full_defconfig
make -s O="$O" CONFIG="$O/.config" "$O/gen/config.h"
SIZEFLAGS=$(make -s -p -n O="$O" CONFIG="$O/.config" 2>/dev/null | sed -n 's/^SIZEFLAGS := //p' | head -1)
SRC="src/hash.c src/sha1.c src/sha256.c src/sha512.c src/pbkdf2.c src/secret.c tests/bench/pbkdf2.c"
# shellcheck disable=SC2086
musl-gcc -static $SIZEFLAGS -D_GNU_SOURCE -Isrc -I"$O/gen" -o "$O/musl-Oz" $SRC
# shellcheck disable=SC2086
gcc -O2 -D_GNU_SOURCE -Isrc -I"$O/gen" -o "$O/glibc-O2" $SRC
gcc -O2 -DBENCH_OPENSSL -o "$O/openssl" tests/bench/pbkdf2.c -lcrypto
echo "build hash iterations seconds iter/s key"
for h in sha256 sha512; do
	for b in musl-Oz glibc-O2 openssl; do
		printf '%s ' "$b"
		"$O/$b" "$h" "$ITER"
	done
done
