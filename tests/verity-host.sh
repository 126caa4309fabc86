#!/bin/bash
# SPDX-License-Identifier: MIT
# `verity verify` on the build host with dmboot's own hashes
# (VERITY_HASH_BUILTIN): the real binary, against veritysetup on the same
# files, with no AF_ALG socket (docs/SIZE.md, "Which hash the root-hash
# check and verify use").
#
#   tests/verity-host.sh            full_defconfig with VERITY_HASH_BUILTIN
#   VERITY_HOST_HASH=KERNEL tests/verity-host.sh   the kernel's hash instead:
#                                   must FAIL (the socket is seen, or, on a
#                                   host without AF_ALG, verify fails)
#
# For sha256, sha1 and sha512 trees made by `veritysetup format` on image
# files (no device-mapper needed): a good image, a changed data byte, a
# changed hash-tree byte and a wrong root hash give dmboot the exit status
# veritysetup 2.6.1 gives (0; 2 for a damaged block, whatever the root
# hash; 1 for a wrong root hash over a sound tree), and `strace -e
# trace=socket` shows dmboot never opens a socket. Then, with sha256: a
# damaged superblock and a root hash that is not hex (1), a missing hash
# or data file (4), the same exit status too. Needs veritysetup and strace
# (tests/deps.sh); builds with musl into build/verity-host/ (VH_O).
set -eu
cd "$(dirname "$0")/.."
. tests/vm/common.sh

arm=${VERITY_HOST_HASH:-BUILTIN}
O=${VH_O:-build/verity-host}
case $arm in
BUILTIN) on=BUILTIN off=KERNEL ;;
KERNEL) on=KERNEL off=BUILTIN ;;
*) die "VERITY_HOST_HASH: BUILTIN or KERNEL" ;;
esac
command -v veritysetup >/dev/null || die "veritysetup missing (tests/deps.sh)"
command -v strace >/dev/null || die "strace missing (tests/deps.sh)"

mkdir -p "$O"
make -s CONFIG="$O/.config" full_defconfig
sed -i "s/^CONFIG_VERITY_HASH_$off=y/# CONFIG_VERITY_HASH_$off is not set/
	s/^# CONFIG_VERITY_HASH_$on is not set/CONFIG_VERITY_HASH_$on=y/" "$O/.config"
make -s O="$O" CONFIG="$O/.config" EXTRA_CFLAGS=-Werror "$O/dmboot" >"$O/build.log" 2>&1 ||
	{ cat "$O/build.log" >&2; die "build failed"; }
grep -qx "CONFIG_VERITY_HASH_$on=y" "$O/.config" || die "the build is not VERITY_HASH_$on"
dmboot=$O/dmboot

pass=0 fail=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# same_exit WHAT GOOD DATA HASH ROOTHASH: dmboot's exit status against
# veritysetup's: 0 for both if GOOD is 1, the same non-zero status if it
# is 0; dmboot under strace: no socket at all.
same_exit() {
	local what=$1 good=$2 vs=0 db=0
	shift 2
	veritysetup verify "$@" >/dev/null 2>&1 || vs=$?
	strace -f -qq -e trace=socket -o "$O/strace" \
		"$dmboot" verity verify "$@" >"$O/out" 2>&1 || db=$?
	if [ $((vs == 0)) -ne "$good" ] || [ $((db == 0)) -ne "$good" ] ||
		[ "$db" != "$vs" ]; then
		bad "$what: dmboot exit $db, veritysetup $vs: $(head -c 300 "$O/out")"
	elif grep -q 'socket(' "$O/strace"; then
		bad "$what: dmboot opened a socket: $(head -n 1 "$O/strace")"
	else
		ok "$what: exit $db (veritysetup $vs), no socket$([ "$db" = 0 ] || echo ": $(head -n 1 "$O/out")")"
	fi
}
# same_verdict WHAT ROOTHASH GOOD: same_exit on $O/data and $O/hash.
same_verdict() { same_exit "$1" "$3" "$O/data" "$O/hash" "$2"; }

for alg in sha256 sha1 sha512; do
	head -c $((1024 * 1024)) /dev/urandom >"$O/data"
	: >"$O/hash"
	veritysetup format --hash="$alg" "$O/data" "$O/hash" >"$O/format" 2>&1 ||
		{ cat "$O/format" >&2; die "veritysetup format --hash=$alg failed"; }
	rh=$(sed -n 's/^Root hash:[[:space:]]*//p' "$O/format")
	[ -n "$rh" ] || die "no root hash from veritysetup format"
	same_verdict "$alg good image" "$rh" 1
	# The last hex digit changed: a wrong root hash.
	last=${rh: -1}
	[ "$last" = 0 ] && wrong=${rh%?}1 || wrong=${rh%?}0
	same_verdict "$alg wrong root hash" "$wrong" 0
	# One data byte changed (block 100): the tree no longer matches it.
	printf '\x5a' | dd of="$O/data" bs=1 seek=$((100 * 4096 + 17)) conv=notrunc status=none
	same_verdict "$alg changed data byte" "$rh" 0
	# The data as formatted again, one hash-tree byte changed instead.
	veritysetup format --hash="$alg" "$O/data" "$O/hash" >"$O/format" 2>&1 ||
		die "veritysetup format --hash=$alg failed"
	rh=$(sed -n 's/^Root hash:[[:space:]]*//p' "$O/format")
	same_verdict "$alg reformatted" "$rh" 1
	printf '\xa5' | dd of="$O/hash" bs=1 seek=$((4096 + 40)) conv=notrunc status=none
	same_verdict "$alg changed hash-tree byte" "$rh" 0
	same_verdict "$alg changed hash-tree byte, wrong root hash" "$wrong" 0
	# A hash block of the lowest level damaged (the last block).
	veritysetup format --hash="$alg" "$O/data" "$O/hash" >"$O/format" 2>&1 ||
		die "veritysetup format --hash=$alg failed"
	rh=$(sed -n 's/^Root hash:[[:space:]]*//p' "$O/format")
	printf '\xa5' | dd of="$O/hash" bs=1 seek=$(($(stat -c %s "$O/hash") - 4096 + 1)) \
		conv=notrunc status=none
	same_verdict "$alg changed byte in the last hash block" "$rh" 0
done
# Inputs that are not a tree (sha256's, reformatted): veritysetup's 1 for
# a damaged superblock or a root hash that is not hex, 4 for a missing
# file.
veritysetup format "$O/data" "$O/hash" >"$O/format" 2>&1 || die "veritysetup format failed"
rh=$(sed -n 's/^Root hash:[[:space:]]*//p' "$O/format")
same_verdict "sound tree again" "$rh" 1
same_exit "missing hash file" 0 "$O/data" "$O/nonexistent" "$rh"
same_exit "missing data file" 0 "$O/nonexistent" "$O/hash" "$rh"
same_verdict "root hash not hex" "${rh%?}g" 0
same_verdict "root hash too short" "${rh%??}" 0
printf 'X' | dd of="$O/hash" bs=1 seek=0 conv=notrunc status=none
same_verdict "damaged superblock signature" "$rh" 0
echo "verity-host (VERITY_HASH_$on): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
