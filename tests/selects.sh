#!/bin/sh
# SPDX-License-Identifier: MIT
# Kconfig's `select DM_IOCTL_*` and `DM_FLAG_*` lists, complete: for every
# command symbol (config CMD_* in Kconfig) and every option that depends on
# something, a build with only a case's symbols (allnoconfig, those set, what
# they select), linked with the fake kernel, runs the case's requests
# (tests/unit/selects.c) and fails naming the symbol a request needed and
# the build left out. A symbol without a case in selects.c fails too, so a
# new command cannot skip the check.
#   tests/selects.sh            every case, two builds at a time
#   tests/selects.sh CASE...    only these (selects --list names them)
# Builds stay in build/selects/CASE (SELECTS_O= another directory).
set -eu
cd "$(dirname "$0")/../"

O=${SELECTS_O:-build/selects}
JOBS=${JOBS:-2}
VERSION=$(cat VERSION)
WARN=$(sed -n '/^WARN := /,/[^\\]$/p' Makefile | sed 's/^WARN := //; s/\\$//' | tr '\n' ' ')
# The quotes are meant for the compiler: DMBOOT_VERSION is a string.
# shellcheck disable=SC2089
CPPFLAGS="-D_GNU_SOURCE -DDMBOOT_VERSION=\"$VERSION\" -Isrc -Itests/unit"
# The unit tests' wraps (tests/unit/run.sh), and the driver's own: the
# requests at dm_call, and PID 1's mount, stat, switch_root and exec.
WRAPS="$(sed -n '/^WRAPS="/,/"$/p' tests/unit/run.sh | sed 's/^WRAPS="//; s/"$//' | tr '\n' ' ')
	dm_call dm_call_walk getpid mount stat switch_root execve _exit"
LDWRAP=$(for w in $WRAPS; do printf ' -Wl,--wrap=%s' "$w"; done)
CFLAGS="-O0"
rm -rf "$O"
mkdir -p "$O/tmp" "$O/cache"
case $O in
/*) TMPDIR=$O/tmp ;;
*) TMPDIR=$(pwd)/$O/tmp ;;
esac
export TMPDIR

# config: allnoconfig with the symbols given; gen/config.h and the
# command lists as the Makefile makes them.
configure() { # dir syms...
	dir=$1
	shift
	mkdir -p "$dir"
	for s in "$@"; do echo "CONFIG_$s=y"; done >"$dir/frag"
	KCONFIG_ALLCONFIG=$dir/frag KCONFIG_CONFIG=$dir/.config \
		kconfig-conf -s --allnoconfig Kconfig >/dev/null
	make -s O="$dir" CONFIG="$dir/.config" LIBC=glibc \
		"$dir/gen/config.h" "$dir/gen/cmds.h" "$dir/gen/cmds-all.h"
}

# Every src/*.c but the kernel seam, the fakes and the driver, linked.
build() { # dir
	dir=$1 objs=
	for src in src/*.c tests/unit/fake-kernel.c tests/unit/fake-host.c \
		tests/unit/fake-sys.c tests/unit/fake-alg.c tests/unit/harness.c tests/unit/selects.c; do
		base=$(basename "$src" .c)
		extra=
		case $base in
		dm-sys) continue ;;
		main) extra="-Dmain=dmboot_main -include tests/unit/main-proto.h" ;;
		esac
		# Cases share most objects: each is compiled once per text
		# after preprocessing (less its line markers, which name
		# the case's directory), into $O/cache; from the source, so
		# that warnings see the macros.
		# shellcheck disable=SC2086,SC2090
		${CC:-gcc} $CPPFLAGS -I"$dir/gen" $extra -E -o "$dir/$base.i" "$src" || return 1
		sum=$(grep -v '^# [0-9]' "$dir/$base.i" | sha1sum | cut -c1-40)
		if [ ! -f "$O/cache/$sum.o" ]; then
			# shellcheck disable=SC2086,SC2090
			${CC:-gcc} $CPPFLAGS -I"$dir/gen" $CFLAGS $WARN -Werror $extra \
				-c -o "$O/cache/$sum.o.${dir##*/}" "$src" &&
				mv "$O/cache/$sum.o.${dir##*/}" "$O/cache/$sum.o" || return 1
		fi
		objs="$objs $O/cache/$sum.o"
	done
	# shellcheck disable=SC2086
	# libcrypto: the LUKS cases' keyslots (tests/unit/fake-alg.c)
	${CC:-gcc} $CFLAGS -o "$dir/selects" $objs $LDWRAP ${CMOCKA_LIBS:--lcmocka} -lcrypto
}

# One case: configure, check its symbols took, build, run.
one() { # name syms...
	name=$1
	shift
	dir=$O/$name
	configure "$dir" "$@" >"$dir.log" 2>&1 || { echo "FAIL: $name: configuration"; return 1; }
	for s in "$@"; do
		grep -qx "CONFIG_$s=y" "$dir/.config" || {
			echo "FAIL: $name: $s is not set (what does it depend on?)"
			return 1
		}
	done
	build "$dir" >>"$dir.log" 2>&1 || { echo "FAIL: $name: build"; cat "$dir.log"; return 1; }
	if ! "$dir/selects" "$name" >>"$dir.log" 2>&1; then
		echo "FAIL: $name ($*):"
		grep -v '^\[ *\(RUN\|==\|PASSED\|FAILED\) *\]\|^\[==\|tests\? ran\|^ *$' "$dir.log" | sed 's/^/    /'
		return 1
	fi
	echo "ok: $name ($*)"
}

# The case list, from the driver itself (built with nothing selected).
if ! configure "$O/list" >"$O/list.log" 2>&1 || ! build "$O/list" >>"$O/list.log" 2>&1; then
	cat "$O/list.log"
	echo "selects: the driver does not build"
	exit 1
fi
"$O/list/selects" --list >"$O/cases"

failed=0
# Every command symbol, and every option with a prompt and a `depends on`
# (an option of a command, or of another option: what a library symbol
# such as VERITY puts between them does not hide it), has a case naming it.
need=$(awk '/^(menu)?config /{sym=$2} /^[ \t]+bool[ \t]+"/{p[sym]=1}
	/^[ \t]+depends on/{d[sym]=1}
	END{for (s in p) if (s ~ /^CMD_/ || d[s]) print s}' Kconfig | sort)
for s in $need; do
	grep -q " \(.* \)\?$s\( \|\$\)" "$O/cases" || {
		echo "FAIL: $s has no case in tests/unit/selects.c (CASES)"
		failed=$((failed + 1))
	}
done

if [ $# -gt 0 ]; then
	for c in "$@"; do
		grep -q "^$c " "$O/cases" || { echo "selects: no case $c" >&2; exit 2; }
	done
fi
n=0
running=0
while read -r name syms; do
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	n=$((n + 1))
	# shellcheck disable=SC2086
	(one "$name" $syms >"$O/$name.result" 2>&1 || touch "$O/$name.failed") &
	running=$((running + 1))
	if [ $running -ge "$JOBS" ]; then
		wait
		running=0
	fi
done <"$O/cases"
wait
while read -r name syms; do
	[ -f "$O/$name.result" ] || continue
	cat "$O/$name.result"
	[ ! -f "$O/$name.failed" ] || failed=$((failed + 1))
done <"$O/cases"
echo "selects: $n cases, $failed failed"
[ "$failed" -eq 0 ]
