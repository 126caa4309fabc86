#!/bin/bash
# SPDX-License-Identifier: MIT
# Build a newc cpio archive from a gen_init_cpio list, without the
# kernel's gen_init_cpio and without root: headers are written here, so
# device nodes and owners need no privileges.
#
#   initramfs/mkcpio.sh LIST... > out.cpio
#
# LIST lines (usr/gen_init_cpio.c's format; '#' starts a comment):
#   file <name> <location> <mode> <uid> <gid> [<hard links>...]
#   dir <name> <mode> <uid> <gid>
#   nod <name> <mode> <uid> <gid> <b|c> <maj> <min>
#   slink <name> <target> <mode> <uid> <gid>
#   pipe <name> <mode> <uid> <gid>
#   sock <name> <mode> <uid> <gid>
# ${VAR} in a line is replaced by the environment variable VAR (an unset
# one is an error); a relative <location> is taken from the current
# directory. Several lists are read in turn. Every mtime is 0, so the same
# inputs give the same bytes (SOURCE_DATE_EPOCH sets another).
set -eu -o pipefail

die() { echo "mkcpio: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: $0 LIST... > out.cpio"
[ ! -t 1 ] || die "refusing to write a cpio archive to a terminal"

mtime=${SOURCE_DATE_EPOCH:-0}
ino=721
pos=0

pad() { # bytes to a multiple of 4
	local n=$(((4 - $1 % 4) % 4))
	[ "$n" -eq 0 ] || head -c "$n" /dev/zero
	pos=$((pos + n))
}

# entry NAME MODE UID GID NLINK SIZE RMAJ RMIN [DATA-FILE | -s TEXT]
entry() {
	local name=${1#/} mode=$2 uid=$3 gid=$4 nlink=$5 size=$6 rmaj=$7 rmin=$8
	[ -n "$name" ] || name=.
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$mode" "$uid" "$gid" "$nlink" "$mtime" "$size" 0 0 \
		"$rmaj" "$rmin" $((${#name} + 1)) 0
	printf '%s\0' "$name"
	pos=$((pos + 110 + ${#name} + 1))
	pad "$pos"
	ino=$((ino + 1))
	if [ "$size" -gt 0 ]; then
		if [ "$9" = -s ]; then printf '%s' "${10}"; else cat -- "$9"; fi
		pos=$((pos + size))
		pad "$pos"
	fi
}

num() { # octal mode or decimal id, checked
	case $2 in '' | *[!0-7]*) [ "$1" = mode ] && die "$where: bad mode '$2'" ;; esac
	case $2 in '' | *[!0-9]*) [ "$1" != mode ] && die "$where: bad $1 '$2'" ;; esac
	[ "$1" = mode ] && echo $((8#$2)) || echo "$2"
}

expand() { # ${VAR} from the environment
	local s=$1 out='' var
	while [[ $s == *'${'*'}'* ]]; do
		out+=${s%%'${'*}
		s=${s#*'${'}
		var=${s%%'}'*}
		s=${s#*'}'}
		[[ $var =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "$where: bad variable \${$var}"
		[ -n "${!var+set}" ] || die "$where: \${$var} is not set"
		out+=${!var}
	done
	printf '%s' "$out$s"
}

for list in "$@"; do
	[ -f "$list" ] || die "$list: no such file"
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		where="$list:$n"
		line=${line%%#*}
		line=$(expand "$line")
		read -r -a w <<<"$line"
		[ ${#w[@]} -gt 0 ] || continue
		case ${w[0]} in
		file)
			[ ${#w[@]} -ge 6 ] || die "$where: file <name> <location> <mode> <uid> <gid>"
			src=${w[2]}
			[ -f "$src" ] || die "$where: $src: no such file"
			m=$(num mode "${w[3]}") u=$(num uid "${w[4]}") g=$(num gid "${w[5]}")
			size=$(stat -L -c %s -- "$src")
			links=$((${#w[@]} - 5))
			# Hard links share an inode; the data goes with the last.
			for ((i = 6; i < ${#w[@]}; i++)); do
				entry "${w[i]}" $((0100000 | m)) "$u" "$g" "$links" 0 0 0
				ino=$((ino - 1))
			done
			entry "${w[1]}" $((0100000 | m)) "$u" "$g" "$links" "$size" 0 0 "$src"
			;;
		dir)
			[ ${#w[@]} -eq 5 ] || die "$where: dir <name> <mode> <uid> <gid>"
			entry "${w[1]}" $((0040000 | $(num mode "${w[2]}"))) "$(num uid "${w[3]}")" \
				"$(num gid "${w[4]}")" 2 0 0 0
			;;
		nod)
			[ ${#w[@]} -eq 8 ] || die "$where: nod <name> <mode> <uid> <gid> <b|c> <maj> <min>"
			case ${w[5]} in b) t=0060000 ;; c) t=0020000 ;; *) die "$where: nod type must be b or c" ;; esac
			entry "${w[1]}" $((t | $(num mode "${w[2]}"))) "$(num uid "${w[3]}")" \
				"$(num gid "${w[4]}")" 1 0 "$(num major "${w[6]}")" "$(num minor "${w[7]}")"
			;;
		slink)
			[ ${#w[@]} -eq 6 ] || die "$where: slink <name> <target> <mode> <uid> <gid>"
			entry "${w[1]}" $((0120000 | $(num mode "${w[3]}"))) "$(num uid "${w[4]}")" \
				"$(num gid "${w[5]}")" 1 ${#w[2]} 0 0 -s "${w[2]}"
			;;
		pipe | sock)
			[ ${#w[@]} -eq 5 ] || die "$where: ${w[0]} <name> <mode> <uid> <gid>"
			[ "${w[0]}" = pipe ] && t=0010000 || t=0140000
			entry "${w[1]}" $((t | $(num mode "${w[2]}"))) "$(num uid "${w[3]}")" \
				"$(num gid "${w[4]}")" 1 0 0 0
			;;
		*) die "$where: unknown entry type '${w[0]}'" ;;
		esac
	done <"$list"
done
entry TRAILER!!! 0 0 0 1 0 0 0
# The kernel reads archives in 512-byte blocks, as cpio writes them.
pad512=$(((512 - pos % 512) % 512))
[ "$pad512" -eq 0 ] || head -c "$pad512" /dev/zero
