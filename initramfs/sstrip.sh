#!/bin/sh
# SPDX-License-Identifier: MIT
# sstrip.sh ELF...: drops what the kernel never loads from a static
# executable (section headers, .comment, .shstrtab) by cutting the file
# after its last PT_LOAD segment and clearing e_shoff/e_shnum/e_shstrndx.
# Saves about 1 KiB on a small binary. Handles ELF32/ELF64 of either
# endianness; anything else is left alone.
set -eu

# rd FILE OFFSET SIZE: unsigned number at OFFSET ($le: little-endian)
rd() {
	od -An -v -tu1 -j "$2" -N "$3" "$1" | tr -s ' \n' '  ' | awk -v le="$le" '
		{ n = split($0, b, " "); v = 0
		  for (i = 1; i <= n; i++) v = v * 256 + b[le ? n - i + 1 : i]
		  printf "%.0f\n", v }'
}

zero() { # FILE OFFSET SIZE
	dd if=/dev/zero of="$1" bs=1 seek="$2" count="$3" conv=notrunc 2>/dev/null
}

for f in "$@"; do
	[ "$(od -An -c -N 4 "$f" | tr -d ' ')" = '177ELF' ] || { echo "sstrip: $f: not ELF" >&2; continue; }
	class=$(od -An -tu1 -j 4 -N 1 "$f" | tr -d ' ')
	data=$(od -An -tu1 -j 5 -N 1 "$f" | tr -d ' ')
	[ "$data" = 1 ] && le=1 || le=0
	if [ "$class" = 2 ]; then
		phoff=$(rd "$f" 32 8) phentsize=$(rd "$f" 54 2) phnum=$(rd "$f" 56 2)
		o_off=8 o_filesz=32 w=8 shoff=40 shnum=60
	else
		phoff=$(rd "$f" 28 4) phentsize=$(rd "$f" 42 2) phnum=$(rd "$f" 44 2)
		o_off=4 o_filesz=16 w=4 shoff=32 shnum=48
	fi
	end=$((phoff + phentsize * phnum))
	i=0
	while [ $i -lt "$phnum" ]; do
		ph=$((phoff + i * phentsize))
		if [ "$(rd "$f" $ph 4)" = 1 ]; then # PT_LOAD
			e=$(($(rd "$f" $((ph + o_off)) $w) + $(rd "$f" $((ph + o_filesz)) $w)))
			[ $e -gt $end ] && end=$e
		fi
		i=$((i + 1))
	done
	size=$(wc -c <"$f")
	[ "$end" -lt "$size" ] || continue
	zero "$f" $shoff $w   # e_shoff
	zero "$f" $shnum 4    # e_shnum, e_shstrndx
	truncate -s "$end" "$f"
done
