#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile input against the real binary on the real kernel: every case of
# /test/badinput.cases (tests/vm/scenarios/badinput.cases) must exit with
# its expected status, print exactly one line on stderr ("dmboot: ...";
# after a usage error dmsetup's "Usage: " line may follow), leave no new
# device, no loop device and no dmboot key in the keyring. "0w" cases
# succeed with exactly one warning line. Needs
# /bin/dmboot (full_defconfig).
# drive: data img_random 4M
# drive: hash img_verity_hash data
# drive: disk img_zero 8M
# drive: bad img_zero 1M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

# What the cases refer to.
D=$DRIVE_data H=$DRIVE_hash C=$DRIVE_disk B=$DRIVE_bad
R=$hash_ROOT_HASH S=$hash_SALT
K=/tmp/key K16=/tmp/key16 KW=/tmp/key-world KDIR=/tmp/keydir T=/tmp/tabs
head -c 64 /dev/urandom >$K
head -c 16 /dev/urandom >$K16
head -c 64 /dev/urandom >$KW
chmod 600 $K $K16
chmod 644 $KW
mkdir -p $KDIR $T
N128=$(printf '%0128d' 0 | tr 0 n)
N129=$(printf '%0129d' 0 | tr 0 u)
BIGSALT=$(printf '%0514d' 0)
Z=$(printf '%064d' 0) # a root hash of the right length that is wrong
HSIZE=$(($(sectors "$H") * 512))
BSIZE=$(($(sectors "$B") * 512))
export D H C B R S K K16 KW KDIR T N128 N129 BIGSALT Z HSIZE BSIZE

# sb OFFSET BYTES: $B becomes a copy of the hash device with BYTES
# (printf escapes) written over its superblock at OFFSET.
sb() {
	dd if="$H" of="$B" bs=4096 conv=notrunc 2>/dev/null
	# shellcheck disable=SC2059 # BYTES are printf escapes
	printf "$2" | dd of="$B" bs=1 seek="$1" conv=notrunc 2>/dev/null
}
# flip OFFSET: $B is the hash device with the byte at OFFSET inverted, so
# that it differs whatever it was (a random salt byte may be anything).
flip() {
	dd if="$H" of="$B" bs=4096 conv=notrunc 2>/dev/null
	_b=$(dd if="$H" bs=1 skip="$1" count=1 2>/dev/null | od -An -tu1)
	# shellcheck disable=SC2059 # an octal escape, built here
	printf "\\$(printf %o $((255 - _b)))" | dd of="$B" bs=1 seek="$1" conv=notrunc 2>/dev/null
}
# trunc BYTES: $B holds only the first BYTES of the hash device, the rest
# zeros (a hash device too short for its tree).
trunc() {
	dd if=/dev/zero of="$B" bs=4096 count=$((BSIZE / 4096)) 2>/dev/null
	dd if="$H" of="$B" bs=1 count="$1" conv=notrunc 2>/dev/null
}
# A device that is already there, for name clashes and bad messages.
dmsetup create keep --table "0 8 zero"

# Tab files.
printf 'v %s %s %s bogus-option\n' "$D" "$H" "$R" >$T/vt-unknown
printf 'v %s %s\n' "$D" "$H" >$T/vt-short
printf 'v %s %s %s a b c\n' "$D" "$H" "$R" >$T/vt-long
printf 'v %s %s %s\n' "$D" "$H" "$Z" >$T/vt-wrongroot
printf 'v %s %s %s "unterminated\n' "$D" "$H" "$R" >$T/vt-quote
printf 'v %s %s %s hash-offset=x\n' "$D" "$H" "$R" >$T/vt-badnum
printf '%s %s %s %s\n' "$N128" "$D" "$H" "$R" >$T/vt-longname
printf 'v UUID=00000000-0000-0000-0000-000000000000 %s %s\n' "$H" "$R" >$T/vt-nodev
# fec-device= twice, every device by number (issue #12 item 3A: the
# fourth name overflowed the tab's paths); refused at hash-offset=x now.
printf 'v %s %s %s fec-device=%s,fec-device=%s,hash-offset=x\n' "$(majmin "$D")" \
	"$(majmin "$H")" "$R" "$(majmin "$C")" "$(majmin "$B")" >$T/vt-fec-twice
printf 'w %s %s plain,cipher=aes-xts-plain64,size=512\n' "$C" "$KW" >$T/ct-world
printf 'c %s %s plain,bogus-option\n' "$C" "$K" >$T/ct-unknown
printf 'c %s %s luks\n' "$C" "$K" >$T/ct-luks
printf 'c %s /nonexistent plain,cipher=aes-xts-plain64,size=512\n' "$C" >$T/ct-nokey
printf 'c %s %s plain,cipher=aes-xts-plain64,size=512\n' "$C" "$K16" >$T/ct-shortkey
printf 'c %s %s plain,size=x\n' "$C" "$K" >$T/ct-badsize
printf 'c %s\n' "$C" >$T/ct-nokeyfield
printf 'c %s %s plain,cipher=nosuch-xts-plain64\n' "$C" "$K" >$T/ct-badcipher

keys() { grep 'dmboot:' /proc/keys; }
n=0
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	want=${line%% *} cmd=${line#* }
	n=$((n + 1))
	label="case $n: $cmd"
	before=$(dmsetup ls | sort) loops_before=$(loops)
	(eval "$cmd") </dev/null >/tmp/out 2>/tmp/err
	rc=$?
	after=$(dmsetup ls | sort)
	# dmsetup's usage line may follow a usage error, and a crypt key in
	# --table earns its warning before the error; nothing else may.
	grep -v '^dmboot: [a-z]*: warning: the table holds a key on the command line' /tmp/err >/tmp/err.1
	mv /tmp/err.1 /tmp/err
	lines=$(grep -vc '^Usage: ' /tmp/err)
	why=
	case $want in
	0w) [ $rc = 0 ] || why="exit $rc, want 0" ;;
	*) [ $rc = "$want" ] || why="exit $rc, want $want" ;;
	esac
	[ "$lines" = 1 ] && [ "$(head -c 8 /tmp/err)" = "dmboot: " ] ||
		why="$why; want one 'dmboot: ' line on stderr, got $lines"
	# Devices the case made are removed, whatever it expected.
	for d in $(dmsetup ls | awk '{print $1}'); do
		echo "$before" | grep -q "^${d}[[:space:]]" || dmsetup remove "$d" 2>/dev/null
	done
	[ "$want" = 0w ] || [ "$before" = "$after" ] || why="$why; device left: $after"
	i=0 # autoclear detaches a loop device at its last close
	while [ "$(loops)" != "$loops_before" ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(loops)" = "$loops_before" ] || why="$why; loop device left: $(loops)"
	if keys >/dev/null; then
		i=0 # an unlinked key leaves /proc/keys when the collector runs
		while keys >/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
		keys >/dev/null && why="$why; key left: $(keys)"
	fi
	if [ -z "$why" ]; then
		pass "$label"
	else
		fail "$label" "${why#; } [stderr: $(head -c 300 /tmp/err)]"
	fi
done </test/badinput.cases
dmsetup remove keep
no_dm_devices "no device left after $n cases"
check_fail "no dmboot key left" keys
