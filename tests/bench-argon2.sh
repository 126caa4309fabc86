#!/bin/sh
# SPDX-License-Identifier: MIT
# Argon2 timings: dmboot's (musl -Oz static, glibc -O2; with and without
# ARGON2_WORKERS) against libargon2 (Debian's, threads = lanes), wall
# time and peak RSS (GNU time's %M: ru_maxrss of the largest process, so
# the forked workers' share of the area is not added up).
#   tests/bench-argon2.sh [TYPE T_COST M_KIB LANES]   (default id 4 1048576 4)
# ARGON2_SSE2=0: dmboot's portable compression instead of the SSE2 one.
set -eu
cd "$(dirname "$0")/.."
O=${BENCH_O:-build/bench-argon2}
type=${1:-id} t=${2:-4} m=${3:-1048576} p=${4:-4}
WARN=$(sed -n '/^WARN := /,/[^\\]$/p' Makefile | sed 's/^WARN := //; s/\\$//' | tr '\n' ' ')
mkdir -p "$O/w1" "$O/wn"
# The symbols src/argon2.c and src/secret.c read.
printf '#define CFG_SECRET_MEMORY 1\n#define CFG_ARGON2_WORKERS 0\n#define CFG_ARGON2_SSE2 %d\n' "${ARGON2_SSE2:-1}" >"$O/w1/config.h"
printf '#define CFG_SECRET_MEMORY 1\n#define CFG_ARGON2_WORKERS 1\n#define CFG_ARGON2_SSE2 %d\n' "${ARGON2_SSE2:-1}" >"$O/wn/config.h"
SRC="tests/bench/argon2.c src/argon2.c src/blake2b.c src/secret.c"
for w in w1 wn; do
	# shellcheck disable=SC2086
	musl-gcc -static -Oz -D_GNU_SOURCE -Isrc -I"$O/$w" $WARN -Werror \
		-o "$O/musl-$w" $SRC
	# shellcheck disable=SC2086
	gcc -O2 -D_GNU_SOURCE -Isrc -I"$O/$w" $WARN -Werror \
		-DBENCH_LIBARGON2=1 -DBENCH_LIBARGON2_H='"/usr/include/argon2.h"' \
		-o "$O/glibc-$w" $SRC -largon2
done
run() { # label binary impl
	/usr/bin/time -f "%e %M %U %S" -o "$O/time" "$2" "$3" "$type" "$t" "$m" "$p" >"$O/tag"
	read -r wall rss user sys <"$O/time"
	printf '%-30s %6s s wall %6s s user %5s s sys %8s KiB  %s\n' \
		"$1" "$wall" "$user" "$sys" "$rss" "$(cat "$O/tag")"
}
echo "argon2$type t=$t m=$m KiB p=$p on $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
run "libargon2 (glibc -O2, $p thr)" "$O/glibc-wn" libargon2
run "dmboot glibc -O2 1 worker" "$O/glibc-w1" dmboot
run "dmboot glibc -O2 workers" "$O/glibc-wn" dmboot
run "dmboot musl -Oz 1 worker" "$O/musl-w1" dmboot
run "dmboot musl -Oz workers" "$O/musl-wn" dmboot
