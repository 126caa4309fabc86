#!/bin/sh
# SPDX-License-Identifier: MIT
# static-check.sh ELF: is ELF a static executable that can run as /init
# with nothing else in the initramfs? A PT_INTERP names a dynamic loader
# (and libraries) the initramfs does not have; a position-independent
# executable (e_type ET_DYN: -pie, -static-pie) relocates itself with
# start files dmboot does not link. One line on stderr and status 1 if
# not. ELF32/ELF64 of either endianness.
set -eu
f=$1

rd() { # OFFSET SIZE: unsigned number at OFFSET ($le: little-endian)
	od -An -v -tu1 -j "$1" -N "$2" "$f" | tr -s ' \n' '  ' | awk -v le="$le" '
		{ n = split($0, b, " "); v = 0
		  for (i = 1; i <= n; i++) v = v * 256 + b[le ? n - i + 1 : i]
		  printf "%.0f\n", v }'
}

[ "$(od -An -c -N 4 "$f" | tr -d ' ')" = '177ELF' ] || { echo "dmboot: make: $f: not an ELF file" >&2; exit 1; }
[ "$(od -An -tu1 -j 5 -N 1 "$f" | tr -d ' ')" = 1 ] && le=1 || le=0
if [ "$(od -An -tu1 -j 4 -N 1 "$f" | tr -d ' ')" = 2 ]; then
	phoff=$(rd 32 8) phentsize=$(rd 54 2) phnum=$(rd 56 2)
else
	phoff=$(rd 28 4) phentsize=$(rd 42 2) phnum=$(rd 44 2)
fi
i=0
while [ $i -lt "$phnum" ]; do
	if [ "$(rd $((phoff + i * phentsize)) 4)" = 3 ]; then # PT_INTERP
		echo "dmboot: make: $f: dynamically linked (it names an ELF interpreter), it cannot run as /init: drop what asks for it from LDFLAGS (-Wl,--dynamic-linker, -Bdynamic)" >&2
		exit 1
	fi
	i=$((i + 1))
done
if [ "$(rd 16 2)" != 2 ]; then # not ET_EXEC
	echo "dmboot: make: $f: position-independent (ELF type $(rd 16 2), not a static executable), it cannot run as /init with musl's plain start files: drop -pie/-static-pie/-shared from CC or LDFLAGS" >&2
	exit 1
fi
