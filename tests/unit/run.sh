#!/bin/sh
# SPDX-License-Identifier: MIT
# Unit tests: every src/*.c but the kernel seam (src/dm-sys.c), linked with
# the fake kernel and the fake host, built with ASan+UBSan and run.
#   tests/unit/run.sh            ASan build and run (VALGRIND=1: valgrind too)
#   tests/unit/run.sh valgrind   a plain -O1 -g build run under valgrind
#   tests/unit/run.sh asan valgrind   both
#   tests/unit/run.sh cross      another architecture (see tests/cross.sh)
#   TESTS="cmds ops" tests/unit/run.sh   only test-cmds.c and test-ops.c
# The test binaries stay in build/unit/{asan,valgrind}/ (UNIT_O= another
# directory) to be run alone.
set -eu
cd "$(dirname "$0")/../.."

O=${UNIT_O:-build/unit}
modes=${*:-asan}
[ "${VALGRIND:-0}" = 1 ] && case " $modes " in *" valgrind "*) ;; *) modes="$modes valgrind" ;; esac

VERSION=$(cat VERSION)
# The Makefile's WARN, word for word.
WARN=$(sed -n '/^WARN := /,/[^\\]$/p' Makefile | sed 's/^WARN := //; s/\\$//' | tr '\n' ' ')
# The quotes are meant for the compiler: DMBOOT_VERSION is a string.
# shellcheck disable=SC2089
CPPFLAGS="-D_GNU_SOURCE -DDMBOOT_VERSION=\"$VERSION\" -Isrc -Itests/unit"
WRAPS="mmap munmap nanosleep open readlink access mknod unlink rename mkdir opendir
	keyring_add keyring_unlink blkdev_devno blkdev_ioctl kc_hash_open kc_hash2
	kc_hash_close mlock munlock madvise prctl keyfile_read dm_sys_ioctl read fork
	socket bind setsockopt accept sendmsg recv"
LDWRAP=$(for w in $WRAPS; do printf ' -Wl,--wrap=%s' "$w"; done)
if [ -z "${TESTS:-}" ]; then
	TESTS=
	for f in tests/unit/test-*.c; do
		f=${f#tests/unit/test-}
		TESTS="$TESTS ${f%.c}"
	done
fi
# Tests built with tiny_defconfig instead of the full configuration:
# what a build without a feature does (every source is compiled either
# way, the other configuration's CFG_ values decide).
TINY_TESTS="flags-off"
# Tests built with the full configuration but dmboot's own verity hash
# (VERITY_HASH_BUILTIN) instead of the kernel's: the choice's other arm.
VHASH_TESTS="verity-builtin"
# Tests built with the full configuration but without KDF_ARGON2: LUKS2
# argon2 keyslots in a build that cannot open them.
NOARGON_TESTS="luks-noargon"
# Tests built with the full configuration but without ARGON2_SSE2: the
# portable Argon2 compression on x86 too.
PORTABLE_TESTS="argon2-portable"
FULL_TESTS='' SMALL_TESTS='' VH_TESTS='' NA_TESTS='' PT_TESTS=''
for t in $TESTS; do
	case " $TINY_TESTS " in
	*" $t "*) SMALL_TESTS="$SMALL_TESTS $t" ;;
	*) case " $VHASH_TESTS " in
		*" $t "*) VH_TESTS="$VH_TESTS $t" ;;
		*) case " $NOARGON_TESTS " in
			*" $t "*) NA_TESTS="$NA_TESTS $t" ;;
			*) case " $PORTABLE_TESTS " in
				*" $t "*) PT_TESTS="$PT_TESTS $t" ;;
				*) FULL_TESTS="$FULL_TESTS $t" ;;
				esac ;;
			esac ;;
		esac ;;
	esac
done

# The full configuration: every command, every option.
gen() { # dir defconfig [sed script for the .config]
	mkdir -p "$1"
	make -s CONFIG="$1/.config" "$2"
	[ -z "${3:-}" ] || sed -i "$3" "$1/.config"
	make -s O="$1" CONFIG="$1/.config" LIBC=glibc \
		"$1/gen/config.h" "$1/gen/cmds.h" "$1/gen/cmds-all.h"
}
gen "$O" full_defconfig
[ -z "$SMALL_TESTS" ] || gen "$O/tiny" tiny_defconfig
[ -z "$VH_TESTS" ] || gen "$O/vhash" full_defconfig \
	's/^CONFIG_VERITY_HASH_KERNEL=y/# CONFIG_VERITY_HASH_KERNEL is not set/
	s/^# CONFIG_VERITY_HASH_BUILTIN is not set/CONFIG_VERITY_HASH_BUILTIN=y/'
[ -z "$NA_TESTS" ] || gen "$O/noargon" full_defconfig \
	's/^CONFIG_KDF_ARGON2=y/# CONFIG_KDF_ARGON2 is not set/'
[ -z "$PT_TESTS" ] || gen "$O/portable" full_defconfig \
	's/^CONFIG_ARGON2_SSE2=y/# CONFIG_ARGON2_SSE2 is not set/'

compile() { # out src extra-flags...
	out=$1 src=$2
	shift 2
	# shellcheck disable=SC2086,SC2090
	${CC:-gcc} $CPPFLAGS -I"$GEN" $CFLAGS $WARN -Werror "$@" -c -o "$out" "$src"
}

# What one test binary adds: test-hash compares with OpenSSL's libcrypto
# (libssl-dev), linked into it alone; cross builds have no libcrypto for
# the other machine and keep only its published vectors.
test_extra() { # mode test cflags|libs
	case $1:$2:$3 in
	cross:argon2:cflags | cross:argon2-portable:cflags) echo -DDMBOOT_LIBARGON2=0 ;;
	cross:luks-unlock:cflags) echo -DTEST_OPENSSL=0 ;;
	cross:luks-noargon:cflags) echo -DTEST_OPENSSL=0 -Wno-unused-function ;;
	cross:crypt-luks:cflags | cross:fake-alg:cflags) echo -DTEST_OPENSSL=0 ;;
	cross:*) ;;
	*:hash:cflags) echo -DTEST_OPENSSL ;;
	*:hash:libs) echo -lcrypto ;;
	*:luks-unlock:cflags) echo -DTEST_OPENSSL=1 ;;
	*:luks-unlock:libs | *:luks-noargon:libs) echo -lcrypto ;;
	*:crypt-luks:libs) echo -lcrypto ;;
	# test-luks-noargon.c is test-luks-unlock.c with another test list.
	*:luks-noargon:cflags) echo -DTEST_OPENSSL=1 -Wno-unused-function ;;
	*:argon2:cflags | *:argon2-portable:cflags) echo -DDMBOOT_LIBARGON2=1 ;;
	*:argon2:libs | *:argon2-portable:libs) echo -largon2 ;;
	esac
}

build() { # mode dir cflags... (TESTS: what to build, GEN: its config.h)
	mode=$1 dir=$2
	shift 2
	CFLAGS="$*"
	mkdir -p "$dir"
	objs=
	for src in src/*.c; do
		base=$(basename "$src" .c)
		case $base in dm-sys) continue ;; esac
		extra=
		[ "$base" = main ] && extra="-Dmain=dmboot_main -include tests/unit/main-proto.h"
		# shellcheck disable=SC2086
		compile "$dir/$base.o" "$src" $extra &
		pids="$pids $!"
		objs="$objs $dir/$base.o"
	done
	for src in fake-kernel fake-host fake-sys harness; do
		compile "$dir/$src.o" "tests/unit/$src.c" &
		pids="$pids $!"
		objs="$objs $dir/$src.o"
	done
	for t in $TESTS; do
		# shellcheck disable=SC2046
		compile "$dir/test-$t.o" "tests/unit/test-$t.c" $(test_extra "$mode" "$t" cflags) &
		pids="$pids $!"
	done
	# shellcheck disable=SC2046
	compile "$dir/fake-alg.o" tests/unit/fake-alg.c $(test_extra "$mode" fake-alg cflags) &
	pids="$pids $!"
	wait_all
	for t in $TESTS; do
		# The fake AF_ALG (OpenSSL's ciphers): for the tests that
		# open keyslots, which link libcrypto.
		alg=
		case $t in crypt-luks | luks-unlock | luks-noargon) alg=$dir/fake-alg.o ;; esac
		# shellcheck disable=SC2086,SC2046
		${CC:-gcc} $CFLAGS -o "$dir/test-$t" "$dir/test-$t.o" $alg $objs $LDWRAP ${CMOCKA_LIBS:--lcmocka} \
			$(test_extra "$mode" "$t" libs)
	done
	# shellcheck disable=SC2086
	set -- $TESTS
	echo "  built $# unit test binaries ($mode)"
}

# test-argon2 compares with the reference implementation, libargon2
# (Debian's libargon2-dev, tests/deps.sh); cross builds, which have no
# libargon2 for the other machine, run the RFC vectors only.
LIBARGON2=
case " $TESTS " in
*" argon2 "* | *" argon2-portable "*)
	case " $modes " in
	*" cross "*) ;;
	*)
		LIBARGON2=/usr/include/argon2.h
		[ -f $LIBARGON2 ] || {
			echo "unit: $LIBARGON2 missing: libargon2-dev (tests/deps.sh)"
			exit 1
		}
		;;
	esac
	;;
esac

# Waits for the compiles started in the background; fails if any did.
pids=
wait_all() {
	rc=0
	for pid in $pids; do
		wait "$pid" || rc=1
	done
	pids=
	[ $rc = 0 ] || { echo "unit: build failed"; exit 1; }
}

# The fake host's directories; what an aborted run leaves goes next time.
# Absolute and without "//": the fakes compare it with paths the kernel
# gives back (readlink of /proc/self/fd).
case $O in
/*) TMPDIR=$O/tmp ;;
*) TMPDIR=$(pwd)/$O/tmp ;;
esac
export TMPDIR
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"

failed=0
run() { # mode dir wrapper...
	mode=$1 dir=$2
	shift 2
	for t in $TESTS; do
		echo "== $mode: test-$t"
		if ! "$@" "$dir/test-$t"; then
			echo "FAIL: $mode: test-$t"
			failed=$((failed + 1))
		fi
	done
}

one_mode() { # mode suffix
	mode=$1 sfx=$2
	case $mode in
	asan)
		# Array indexes checked beyond UBSan's default: gcc's
		# bounds-strict (trailing arrays too), clang's bounds (local-bounds).
		case $(${CC:-gcc} --version) in
		*clang*) bounds="bounds" ;;
		*) bounds="bounds-strict" ;;
		esac
		build asan "$O/asan$sfx" -O1 -g -fsanitize=address,undefined,$bounds \
			-fno-sanitize-recover=all -fno-omit-frame-pointer
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			run asan "$O/asan$sfx" env
		;;
	valgrind)
		build valgrind "$O/valgrind$sfx" -O1 -g -fno-omit-frame-pointer
		run valgrind "$O/valgrind$sfx" valgrind -q --error-exitcode=99 \
			--leak-check=full --errors-for-leak-kinds=definite,indirect \
			--show-leak-kinds=definite,indirect
		;;
	cross) # tests/cross.sh: CC, CROSS_NAME, CROSS_RUN (the emulator),
		# CMOCKA_LIBS and -I for cmocka.h in CMOCKA_CFLAGS
		# shellcheck disable=SC2086
		build cross "$O/$CROSS_NAME$sfx" -O1 -g -static $CMOCKA_CFLAGS
		# shellcheck disable=SC2086
		run cross "$O/$CROSS_NAME$sfx" $CROSS_RUN
		;;
	*)
		echo "usage: $0 [asan] [valgrind]" >&2
		exit 2
		;;
	esac
}

for mode in $modes; do
	if [ -n "$FULL_TESTS" ]; then
		TESTS=$FULL_TESTS GEN=$O/gen
		one_mode "$mode" ""
	fi
	if [ -n "$SMALL_TESTS" ]; then
		TESTS=$SMALL_TESTS GEN=$O/tiny/gen
		one_mode "$mode" -tiny
	fi
	if [ -n "$VH_TESTS" ]; then
		TESTS=$VH_TESTS GEN=$O/vhash/gen
		one_mode "$mode" -vhash
	fi
	if [ -n "$NA_TESTS" ]; then
		TESTS=$NA_TESTS GEN=$O/noargon/gen
		one_mode "$mode" -noargon
	fi
	if [ -n "$PT_TESTS" ]; then
		TESTS=$PT_TESTS GEN=$O/portable/gen
		one_mode "$mode" -portable
	fi
done

if [ $failed != 0 ]; then
	echo "unit: $failed test binary run(s) failed"
	exit 1
fi
echo "unit: all passed ($modes)"
