#!/bin/sh
# SPDX-License-Identifier: MIT
# Fuzzing with libFuzzer (clang, ASan+UBSan): one harness per parser,
# tests/fuzz/fuzz-*.c, each against its seeds in tests/fuzz/corpus/NAME/.
#   tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [-B] [NAME...]
# builds every harness into build/fuzz/ and runs each for SECONDS
# (FUZZ_SECONDS, default 60; `make fuzz`). Inputs found go to
# build/fuzz/corpus/NAME/ (the seeds stay small); a crash leaves
# build/fuzz/crash-NAME-* and fails the run. Every seed, crash
# regressions included, is replayed first. FUZZ_ARGS adds libFuzzer flags
# (-runs=N stops at N executions). -B: run what is built. -t 0: build only.
# tests/fuzz/NAME.dict, if there, is the harness's libFuzzer dictionary
# (tab-cmd shares tab's). FUZZ_SAN replaces the instrumentation (the
# sanitizers; tests/fuzz/coverage.sh builds with coverage mapping instead).
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
O=${FUZZ_O:-$top/build/fuzz}
secs=${FUZZ_SECONDS:-60}
jobs=1
nobuild=
while [ $# -gt 0 ]; do
	case $1 in
	-t) secs=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	-B) nobuild=1; shift ;;
	*) break ;;
	esac
done
names=$*
if [ -z "$names" ]; then
	for f in tests/fuzz/fuzz-*.c; do
		f=${f#tests/fuzz/fuzz-}
		names="$names ${f%.c}"
	done
fi

VERSION=$(cat VERSION)
WARN=$(sed -n '/^WARN := /,/[^\\]$/p' Makefile | sed 's/^WARN := //; s/\\$//' | tr '\n' ' ')
# bounds: clang's undefined has array-bounds only; bounds adds
# local-bounds (indexes into local arrays and objects clang can size).
SAN=${FUZZ_SAN:-"-fsanitize=address,undefined,bounds -fno-sanitize-recover=all"}
CFLAGS="-O1 -g -fno-omit-frame-pointer $SAN"
# shellcheck disable=SC2089
CPPFLAGS="-D_GNU_SOURCE -DDMBOOT_VERSION=\"$VERSION\" -I$O/gen -Isrc -Itests/unit -Itests/fuzz"
WRAPS="mmap munmap nanosleep open readlink access mknod unlink rename mkdir opendir
	keyring_add keyring_unlink blkdev_devno blkdev_ioctl mlock munlock madvise prctl
	keyfile_read dm_sys_ioctl read fork blkdev_read socket bind setsockopt accept
	sendmsg recv"
LDWRAP=$(for w in $WRAPS; do printf ' -Wl,--wrap=%s' "$w"; done)

if [ -z "$nobuild" ]; then
mkdir -p "$O/obj"
make -s CONFIG="$O/.config" full_defconfig
make -s O="$O" CONFIG="$O/.config" LIBC=glibc "$O/gen/config.h" "$O/gen/cmds.h" "$O/gen/cmds-all.h"

pids=
wait_all() {
	rc=0
	for pid in $pids; do wait "$pid" || rc=1; done
	pids=
	[ $rc = 0 ] || { echo "fuzz: build failed"; exit 1; }
}
compile() { # out src flags...
	c_out=$1 c_src=$2
	shift 2
	# shellcheck disable=SC2086,SC2090
	clang $CPPFLAGS $CFLAGS $WARN -Werror "$@" -c -o "$c_out" "$c_src" &
	pids="$pids $!"
}
# The code under test gets coverage instrumentation; the fakes do not need it.
objs=
for src in src/*.c; do
	base=$(basename "$src" .c)
	[ "$base" = dm-sys ] && continue
	extra=
	[ "$base" = main ] && extra="-Dmain=dmboot_main -include tests/unit/main-proto.h"
	# shellcheck disable=SC2086
	compile "$O/obj/$base.o" "$src" -fsanitize=fuzzer-no-link $extra
	objs="$objs $O/obj/$base.o"
done
# fake-alg: the echo (no libcrypto here) for fuzz-luks-keyslot.
compile "$O/obj/fake-alg.o" tests/unit/fake-alg.c -DTEST_OPENSSL=0
objs="$objs $O/obj/fake-alg.o"
for src in tests/unit/fake-kernel tests/unit/fake-host tests/unit/fake-sys tests/fuzz/world; do
	compile "$O/obj/$(basename $src).o" "$src.c"
	objs="$objs $O/obj/$(basename $src).o"
done
for n in $names; do
	compile "$O/obj/fuzz-$n.o" "tests/fuzz/fuzz-$n.c" -fsanitize=fuzzer-no-link
done
wait_all
for n in $names; do
	# shellcheck disable=SC2086
	clang $CFLAGS -fsanitize=fuzzer -o "$O/fuzz-$n" "$O/obj/fuzz-$n.o" $objs $LDWRAP
done
echo "  built $(echo "$names" | wc -w) fuzz harnesses"
fi
[ "$secs" = 0 ] && exit 0

# The fake host's temporary roots, made and removed on every run: on a
# tmpfs if there is one (on ext4 the journal makes that 10x slower).
mkdir -p "$O/log"
TMPDIR=$(mktemp -d /dev/shm/dmboot-fuzz.XXXXXX 2>/dev/null) ||
	{ TMPDIR=$O/tmp && rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"; }
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

fuzz_one() { # name
	n=$1
	mkdir -p "$O/corpus/$n"
	dict=$top/tests/fuzz/${n%-cmd}.dict
	[ -f "$dict" ] && dict=-dict=$dict || dict=
	# shellcheck disable=SC2086
	if "$O/fuzz-$n" -max_total_time="$secs" -print_final_stats=1 $dict \
		-artifact_prefix="$O/crash-$n-" -max_len=65536 -rss_limit_mb=4096 \
		${FUZZ_ARGS:-} "$O/corpus/$n" "$top/tests/fuzz/corpus/$n" \
		>"$O/log/$n.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$O/log/$n.log")
		cov=$(grep -o 'cov: [0-9]*' "$O/log/$n.log" | tail -1)
		took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$O/log/$n.log")
		echo "  fuzz-$n: ok, $execs execs in ${took:-$secs} s, $cov"
	else
		echo "  fuzz-$n: FAILED (build/fuzz/log/$n.log):"
		grep -E 'ERROR|SUMMARY|runtime error|deadly' "$O/log/$n.log" | head -5
		return 1
	fi
}
# JOBS lanes, each running its share of the harnesses one after another;
# each harness leaves its status in log/NAME.rc.
lane=0
while [ "$lane" -lt "$jobs" ]; do
	i=0
	for n in $names; do
		[ $((i % jobs)) = "$lane" ] && {
			rc=0
			fuzz_one "$n" || rc=1
			echo $rc >"$O/log/$n.rc"
		}
		i=$((i + 1))
	done &
	lane=$((lane + 1))
done
wait
failed=
for n in $names; do
	[ "$(cat "$O/log/$n.rc" 2>/dev/null)" = 0 ] || failed="$failed $n"
done
[ -z "$failed" ] || { echo "fuzz: failed:$failed"; exit 1; }
echo "fuzz: all passed ($secs s each)"
