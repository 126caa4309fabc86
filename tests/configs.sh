#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds allnoconfig, allyesconfig, every defconfig and 20 randconfigs with
# musl, warning-free (-Werror), and checks that unselected commands leave
# nothing in the binary.
set -eu
cd "$(dirname "$0")/.."
out=build/configs
rm -rf "$out"
mkdir -p "$out"
n=0 failed=0

build() { # name, kconfig-conf arguments...
	name=$1
	shift
	dir=$out/$name
	mkdir -p "$dir"
	case $1 in
	--defconfig=*) set -- make -s CONFIG="$dir/.config" "$(basename "${1#--defconfig=}")" ;;
	*) set -- env KCONFIG_CONFIG="$dir/.config" kconfig-conf -s "$@" Kconfig ;;
	esac
	if ! "$@" >"$dir/kconfig.log" 2>&1; then
		echo "FAIL: $name: $*"
		cat "$dir/kconfig.log"
		failed=$((failed + 1))
		return
	fi
	n=$((n + 1))
	if ! make -s -j2 O="$dir" CONFIG="$dir/.config" EXTRA_CFLAGS=-Werror \
		"$dir/dmboot" >"$dir/build.log" 2>&1 || grep -q 'warning:' "$dir/build.log"; then
		echo "FAIL: $name: build"
		cat "$dir/build.log"
		failed=$((failed + 1))
		return
	fi
	absent_check "$name" "$dir"
}

# Does the source of a command enabled in DIR hold the string "WORD"?
enabled_says() { # dir word
	for f in $(sed -n 's/^CMD(\([a-z_]*\),.*/\1/p' "$1/gen/cmds.h" | sort -u); do
		grep -l "^/\* CMD($f," src/*.c
	done | sort -u | xargs -r grep -lqF "\"$2\""
}

# A command switched off must leave neither its function nor its name in
# the binary.
absent_check() {
	name=$1 dir=$2
	make -s O="$dir/nostrip" CONFIG="$dir/.config" LDFLAGS_STRIP= \
		"$dir/nostrip/dmboot" >/dev/null 2>&1 || return 0
	for sym in $(sed -n 's/^#define CFG_CMD_\([A-Z_]*\) 0$/\1/p' "$dir/gen/config.h"); do
		fn=$(sed -n "s/^CMD(\([a-z_]*\), *\"[^\"]*\", *$sym,.*/\1/p" "$dir/gen/cmds-all.h" | head -n1)
		[ -n "$fn" ] || continue
		if nm "$dir/nostrip/dmboot" | grep -q " [Tt] cmd_$fn\$"; then
			echo "FAIL: $name: CMD_$sym is off but cmd_$fn is in the binary"
			failed=$((failed + 1))
		fi
		cmdname=$(sed -n "s/^CMD($fn, *\"\([^\"]*\)\", *$sym,.*/\1/p" "$dir/gen/cmds-all.h" | head -n1)
		# "help" and "version" are option names (--help, --version) too;
		# "crypt" and "verity" are target type names too.
		case $cmdname in help | version | crypt | verity) continue ;; esac
		# A word an enabled command says itself may stay ("status" is
		# a cryptsetup action too).
		enabled_says "$dir" "$cmdname" && continue
		if strings "$dir/dmboot" | grep -qx -- "$cmdname"; then
			echo "FAIL: $name: CMD_$sym is off but the string \"$cmdname\" is in the binary"
			failed=$((failed + 1))
		fi
	done
}

build allnoconfig --allnoconfig
build allyesconfig --allyesconfig
for d in configs/*_defconfig; do
	b=$(basename "$d")
	build "$b" --defconfig="$d"
done
# full_defconfig is every feature the product has: the same as allyes.
if cmp -s "$out/allyesconfig/gen/config.h" "$out/full_defconfig/gen/config.h"; then
	echo "PASS: full_defconfig has every feature (= allyesconfig)"
else
	echo "FAIL: full_defconfig differs from allyesconfig:"
	diff "$out/allyesconfig/gen/config.h" "$out/full_defconfig/gen/config.h"
	failed=$((failed + 1))
fi
i=1
while [ $i -le 20 ]; do
	seed=$((i * 7919))
	KCONFIG_SEED=$seed build "rand$i" --randconfig
	i=$((i + 1))
done
echo "configs: $n configurations built"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
