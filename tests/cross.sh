#!/bin/sh
# SPDX-License-Identifier: MIT
# Other machines: the unit tests built with Debian's cross compilers and
# run under qemu-user (no binfmt needed: the emulator is called with -L
# for the target's libraries), and the static size of tiny_defconfig and
# boot_defconfig per architecture. musl where Debian ships it for the
# architecture (musl-dev:arm64, musl-dev:armhf via multiarch), else
# glibc linked static (big-endian mips: Debian 12 has no mips port).
# cmocka: tests/cross/cmocka.c, the subset the tests use, built static
# for each target (libcmocka-dev:ARCH is shared-only, and absent for mips).
#   tests/cross.sh [ARCH...]      ARCH: arm64 armhf mips (default: all)
set -eu
cd "$(dirname "$0")/.."
O=build/cross
mkdir -p "$O"

triple() {
	case $1 in
	arm64) echo aarch64-linux-gnu ;;
	armhf) echo arm-linux-gnueabihf ;;
	mips) echo mips-linux-gnu ;;
	esac
}
qemu() {
	case $1 in
	arm64) echo qemu-aarch64-static ;;
	armhf) echo qemu-arm-static ;;
	mips) echo qemu-mips-static ;;
	esac
}
libc() {
	t=$(triple "$1")
	[ -f "/usr/lib/$(echo "$t" | sed 's/-gnu/-musl/')/musl-gcc.specs" ] && echo musl || echo glibc
}

rc=0
sizes=
[ $# -gt 0 ] || set -- arm64 armhf mips
for arch in "$@"; do
	t=$(triple "$arch")
	echo "== cross: $arch ($t-gcc, $(qemu "$arch"))"
	mkdir -p "$O/$arch"
	"$t-gcc" -O1 -g -static -c -o "$O/$arch/cmocka.o" tests/cross/cmocka.c
	if ! CC=$t-gcc CROSS_NAME=cross-$arch CROSS_RUN="$(qemu "$arch") -L /usr/$t" \
		CMOCKA_CFLAGS=-Itests/cross CMOCKA_LIBS=$(pwd)/$O/$arch/cmocka.o \
		tests/unit/run.sh cross >"$O/$arch/unit.log" 2>&1; then
		grep -E 'FAIL|ERROR|error' "$O/$arch/unit.log" | head -20
		echo "cross: $arch: unit tests failed ($O/$arch/unit.log)"
		rc=1
	else
		tail -1 "$O/$arch/unit.log"
	fi
	l=$(libc "$arch")
	for cfg in tiny boot; do
		[ -f "configs/${cfg}_defconfig" ] || continue
		make -s CONFIG="$O/$arch/$cfg.config" "${cfg}_defconfig"
		make -s CROSS="$t-" LIBC="$l" O="$O/$arch/$cfg" \
			CONFIG="$O/$arch/$cfg.config" EXTRA_CFLAGS=-Werror >/dev/null || rc=1
		# The binary must run there: --version needs no kernel and is in
		# every configuration (the version command is not).
		"$(qemu "$arch")" "$O/$arch/$cfg/dmboot" --version 2>/dev/null |
			grep -qx "$(cat VERSION)" ||
			{ echo "cross: $arch $cfg: does not run"; rc=1; }
		sizes="$sizes$arch $l ${cfg}_defconfig $(stat -c %s "$O/$arch/$cfg/dmboot")
"
	done
done
printf '%s' "$sizes" | awk '{ printf "  %-6s %-6s %-16s %7d bytes\n", $1, $2, $3, $4 }'
exit $rc
