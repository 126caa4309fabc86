#!/bin/sh
# SPDX-License-Identifier: MIT
# dmboot against the kernel's device-mapper, compared with dmsetup,
# veritysetup and cryptsetup on the same kernel state. Needs /bin/dmboot
# (full_defconfig) and /bin/dmboot-toonew (make TEST_TOO_NEW=TARGET_MSG).
# drive: plain img_random 8M
# drive: plain2 img_random 8M
# drive: vdata img_random 4M
# drive: vhash img_verity_hash vdata
# drive: cdisk img_zero 4M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

P=$(majmin "$DRIVE_plain")
P2=$(majmin "$DRIVE_plain2")
PS=$(sectors "$DRIVE_plain")
VD=$(majmin "$DRIVE_vdata")
VH=$(majmin "$DRIVE_vhash")
VS=$(sectors "$DRIVE_vdata")
C=$(majmin "$DRIVE_cdisk")
CS=$(sectors "$DRIVE_cdisk")
KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
VTABLE="0 $VS verity 1 $VD $VH 4096 4096 $vhash_DATA_BLOCKS 1 $vhash_HASH_ALG $vhash_ROOT_HASH $vhash_SALT"
LONGNAME=$(printf 'n%.0s' $(seq 127))
LONGUUID=$(printf 'u%.0s' $(seq 128))

# compare LABEL [NAME...]: every read-only command, dmboot vs dmsetup,
# stdout byte for byte and exit status.
compare() {
	label=$1
	shift
	for cmd in "ls" "ls --target linear" "ls --target zero" "ls -o devname" \
		"ls -o blkdevname" "ls -o devno" "info" "info -c" \
		"info -c --noheadings" "info -C" "info --columns" "table" \
		"table --showkeys" "table --concise" "table --target linear" \
		"table --target crypt" "status" "status --target zero" "deps" \
		"deps -o devname" "deps -o blkdevname" "targets"; do
		same "$label: $cmd" "dmboot $cmd" "dmsetup $cmd"
	done
	for n in "$@"; do
		for cmd in info "info -c" table "table --showkeys" status deps \
			"deps -o devname"; do
			same "$label: $cmd $n" "dmboot $cmd $n" "dmsetup $cmd $n"
		done
	done
}

no_dm_devices "nothing at start"
same "version: driver line" "dmboot version | tail -n 1" "dmsetup version | tail -n 1"
compare "no devices"
for cmd in "info nonexistent" "table nonexistent" "status nonexistent" \
	"deps nonexistent" "remove nonexistent" "target-version nonexistent" \
	"target-version linear zero" "targets" "resume nonexistent" \
	"suspend nonexistent" "clear nonexistent" "message nonexistent 0 x" \
	"rename nonexistent other" "wait nonexistent 1"; do
	same "missing device: $cmd" "dmboot $cmd" "dmsetup $cmd"
done

# ---- every command of full_defconfig, against the real kernel ----
check "create linear" dmboot create lin --table "0 $PS linear $P 0"
check "node /dev/mapper/lin made without udev" test -b /dev/mapper/lin
expect_out "linear reads the drive" "$plain_MD5" sh -c "md5sum </dev/mapper/lin | cut -d' ' -f1"
check "create zero with uuid" dmboot create z -u ZERO-UUID-1 --table "0 2048 zero"
check "create error, read-only" dmboot create -r err --table "0 100 error"
check "create striped over two drives" dmboot create str --table "0 16384 striped 2 128 $P 0 $P2 0"
check "create delay" dmboot create dly --table "0 $PS delay $P 0 0"
check "create flakey" dmboot create flk --table "0 $PS flakey $P 0 60 0"
printf '0 1024 linear %s 0\n# a comment\n\n1024 1024 zero\n2048 100 error\n' "$P" >/tmp/multi.table
check "create from a table file, several targets" dmboot create multi /tmp/multi.table
check "create from stdin" sh -c "echo '0 512 zero' | dmboot create fromstdin"
check "create crypt with a hex key" dmboot create cr --table "0 $CS crypt aes-xts-plain64 $KEY 0 $C 0"
check "create verity read-only" dmboot create -r ver --table "$VTABLE"
expect_out "verity device reads as the data image" "$vdata_MD5" sh -c "md5sum </dev/mapper/ver | cut -d' ' -f1"
check "create with names and uuids at the length limits" dmboot create "$LONGNAME" -u "$LONGUUID" --table "0 8 zero"
check "create --notable" dmboot create nt --notable
check "create, then suspend" dmboot create susp --table "0 8 zero"
check "suspend" dmboot suspend susp
check "create a device with only an inactive table" dmboot create inact --notable
check "load into it" dmboot load inact --table "0 16 zero"
check "create a device with live and inactive tables" dmboot create both --table "0 8 zero"
check "reload" dmboot reload both --table "0 32 zero"
check "persistent minor" dmboot create fixed -j "$(dm_major)" -m 200 --table "0 8 zero"
expect_out "persistent minor is used" "$(dm_major):200" cat /sys/block/dm-200/dev
compare "many devices" lin z err str multi cr ver "$LONGNAME" nt susp inact both fixed
same "info of several names" "dmboot info lin z" "dmsetup info lin z"
same "table of several names" "dmboot table lin z" "dmsetup table lin z"

check "resume the suspended device" dmboot resume susp
check "resume swaps in the inactive table" dmboot resume both
expect_out "new table live" "0 32 zero " dmboot table both
check "clear an inactive table" sh -c "dmboot load inact --table '0 8 error' && dmboot clear inact"
before=$(head -c 1048576 /dev/mapper/cr | md5sum)
check "message: key wipe and key set on the suspended crypt device" sh -c \
	"dmboot suspend cr && dmboot message cr 0 key wipe && dmboot message cr 0 key set $KEY && dmboot resume cr"
expect_out "crypt reads the same after key set" "$before" sh -c "head -c 1048576 /dev/mapper/cr | md5sum"
check "rename" dmboot rename lin lin2
check "node follows the rename" test -b /dev/mapper/lin2
check "rename --setuuid" dmboot rename lin2 --setuuid LIN-UUID
expect_out "uuid set" "LIN-UUID" sh -c "dmboot info lin2 | sed -n 's/^UUID: //p'"
check "setgeometry" dmboot setgeometry z 100 4 16 0
check "wait for an event that already happened" dmboot wait lin2 0
check "mknodes repairs a missing node" sh -c "rm /dev/mapper/z && dmboot mknodes && test -b /dev/mapper/z"
check "mknodes removes a stale node" sh -c "mknod /dev/mapper/stale b 1 1 && dmboot mknodes && ! test -e /dev/mapper/stale"
expect_out "target-version" "linear           v1.4.0" dmboot target-version linear
compare "after changes" lin2 z both inact
check "remove several" dmboot remove z err
check "node gone after remove" test ! -e /dev/mapper/z
check "remove_all" dmboot remove_all
no_dm_devices "remove_all left nothing"
check "remove_all removed the nodes" sh -c "ls /dev/mapper | grep -qvx control && exit 1 || exit 0"

# ---- devices made by the other tools ----
dmsetup create dms --table "0 $PS linear $P 0"
veritysetup open "$DRIVE_vdata" vs "$DRIVE_vhash" "$vhash_ROOT_HASH"
printf '%s' "$KEY" | head -c 64 >/tmp/key
cryptsetup open --type plain --cipher aes-xts-plain64 --key-size 256 --key-file /tmp/key "$DRIVE_cdisk" cs
compare "made by dmsetup, veritysetup, cryptsetup" dms vs cs
check "dmboot removes their devices" dmboot remove dms vs cs
no_dm_devices "and nothing is left"
dmboot create db1 --table "0 8 zero"
dmboot create -r db2 --table "$VTABLE"
check "dmsetup removes dmboot's devices" dmsetup remove db1 db2
no_dm_devices "nothing left after dmsetup remove"

# ---- data through the devices ----
check "crypt by dmboot" dmboot create cb --table "0 $CS crypt aes-xts-plain64 $(od -An -v -tx1 /tmp/key | tr -d ' \n') 0 $C 0"
check "write through it" sh -c "dd if=$DRIVE_plain of=/dev/mapper/cb bs=4096 count=512 conv=fsync 2>/dev/null"
check "remove it" dmboot remove cb
check "ciphertext differs from the plaintext" sh -c "! cmp -s -n 2097152 $DRIVE_plain $DRIVE_cdisk"
check "cryptsetup opens the same key" cryptsetup open --type plain --cipher aes-xts-plain64 --key-size 512 --key-file /tmp/key --keyfile-size 64 "$DRIVE_cdisk" cs2
expect_out "and reads the plaintext back" "$(head -c 2097152 "$DRIVE_plain" | md5sum | cut -d' ' -f1)" sh -c "head -c 2097152 /dev/mapper/cs2 | md5sum | cut -d' ' -f1"
cryptsetup close cs2

# ---- versions on the wire ----
# wire LABEL CMD...: every DM ioctl strace shows carries its command's
# minimum version, and the command succeeded.
wire() {
	label=$1
	shift
	if ! strace -f -e trace=ioctl -o /tmp/st "$@" >/dev/null 2>/tmp/st.err; then
		fail "wire: $label" "command failed: $* $(cat /tmp/st.err)"
		return
	fi
	bad=$(awk '
		/ioctl\(/ && /DM_|0xfd/ {
			cmd = $0; sub(/^[^,]*, /, "", cmd); sub(/,.*/, "", cmd)
			# the first version= is what was sent, the one after => the reply
			v = $0; sub(/version=\[/, "\001", v); sub(/^[^\001]*\001/, "", v); sub(/\].*/, "", v)
			want = "4, 0, 0"
			if (cmd == "DM_LIST_VERSIONS") want = "4, 1, 0"
			if (cmd == "DM_TARGET_MSG") want = "4, 2, 0"
			if (cmd == "DM_DEV_SET_GEOMETRY") want = "4, 6, 0"
			if (cmd == "DM_DEV_ARM_POLL") want = "4, 37, 0"
			# strace 6.1 does not decode this one: the unit tests pin it
			if (cmd == "DM_GET_TARGET_VERSION") next
			n++
			if (v != want) print cmd " sent " v " want " want
		}
		END { if (!n) print "no DM ioctl seen" }' /tmp/st)
	if [ -z "$bad" ]; then
		pass "wire: $label"
	else
		fail "wire: $label" "$bad"
		_vt_detail /tmp/st
	fi
}
# dmwire LABEL CMD...: the same check from dmboot's memory at each ioctl
# entry (tests/vm/dmwire.c, ptrace), which also sees the requests strace
# does not decode. ptrace allows one tracer, so this runs apart from
# wire(), on commands that can run twice.
dmwire_check() {
	label=$1
	shift
	if ! dmwire "$@" >/dev/null 2>/tmp/dw.err; then
		fail "dmwire: $label" "command failed: $* $(grep -v '^dmwire:' /tmp/dw.err)"
		return
	fi
	bad=$(awk '
		/^dmwire: / {
			want = "4.0.0"
			if ($2 == 13) want = "4.1.0"
			if ($2 == 14) want = "4.2.0"
			if ($2 == 15) want = "4.6.0"
			if ($2 == 16) want = "4.37.0"
			if ($2 == 17) want = "4.41.0"
			n++
			if ($3 != want) print "request " $2 " sent " $3 " want " want
		}
		END { if (!n) print "no DM ioctl seen" }' /tmp/dw.err)
	if [ -z "$bad" ]; then
		pass "dmwire: $label"
	else
		fail "dmwire: $label" "$bad"
	fi
}

wire "version" dmboot version
wire "targets (4.1.0)" dmboot targets
# strace 6.1 prints DM_GET_TARGET_VERSION undecoded: dmwire checks 4.41.0.
dmwire_check "target-version (4.41.0)" dmboot target-version zero linear
dmwire_check "targets (4.1.0)" dmboot targets
dmwire_check "version" dmboot version
wire "create" dmboot create w --table "0 64 zero"
wire "load" dmboot load w --table "0 128 zero"
wire "resume" dmboot resume w
wire "suspend" dmboot suspend w
wire "suspend --noflush" dmboot resume --noflush w
wire "info" dmboot info w
wire "info -c" dmboot info -c
wire "ls" dmboot ls
wire "ls --target" dmboot ls --target zero
wire "table" dmboot table w
wire "status" dmboot status
wire "deps" dmboot deps w
dmboot create wf --table "0 $CS crypt aes-xts-plain64 $KEY 0 $C 0"
dmboot suspend wf
wire "message (4.2.0)" dmboot message wf 0 key wipe
dmboot message wf 0 key set "$KEY"
dmboot resume wf
wire "setgeometry (4.6.0)" dmboot setgeometry w 1 1 1 0
dmwire_check "setgeometry (4.6.0)" dmboot setgeometry w 1 1 1 0
dmwire_check "info, table, status, deps, ls" sh -c "dmboot info w && dmboot table w && dmboot status && dmboot deps && dmboot ls"
dmboot suspend wf
dmwire_check "message (4.2.0)" dmboot message wf 0 key wipe
dmboot message wf 0 key set "$KEY"
dmboot resume wf
wire "rename" dmboot rename w w2
wire "rename --setuuid" dmboot rename w2 --setuuid W-UUID
wire "clear" dmboot clear w2
wire "wait" dmboot wait w2 0
wire "mknodes" dmboot mknodes
wire "remove --force" dmboot remove -f wf
wire "remove" dmboot remove w2
dmboot create w3 --table "0 8 zero"
wire "remove_all" dmboot remove_all
wire "dmsetup-named symlink" sh -c 'ln -sf /bin/dmboot /tmp/dmsetup && /tmp/dmsetup ls'
if dmesg | grep -q "ioctl interface mismatch"; then
	fail "no ioctl interface mismatch in dmesg" "$(dmesg | grep 'interface mismatch' | head -3)"
else
	pass "no ioctl interface mismatch in dmesg"
fi

# ---- a command newer than the kernel ----
dmboot create tn --table "0 $CS crypt aes-xts-plain64 $KEY 0 $C 0"
dmboot suspend tn
dmboot-toonew message tn 0 key wipe >/dev/null 2>/tmp/tn.err
rc=$?
if [ $rc -ne 0 ] && grep -q "DM_TARGET_MSG needs 4.99.0, kernel has 4.47.0" /tmp/tn.err &&
	[ "$(wc -l </tmp/tn.err)" -eq 1 ]; then
	pass "too-new command: one clear line"
else
	fail "too-new command: one clear line" "rc=$rc: $(cat /tmp/tn.err)"
fi
check "too-new build: other commands work" sh -c "dmboot-toonew resume tn && dmboot-toonew table tn >/dev/null && dmboot-toonew remove tn"
no_dm_devices "too-new: nothing left"

# ---- failures leave nothing behind ----
expect_rc "bad verity hash device: exit 1" 1 dmboot create -r bv --table "0 $VS verity 1 $VD 7:99 4096 4096 $vhash_DATA_BLOCKS 1 sha256 $vhash_ROOT_HASH $vhash_SALT"
no_dm_devices "bad verity: nothing left"
expect_rc "unknown target: exit 1" 1 dmboot create ut --table "0 8 nosuchtarget"
no_dm_devices "unknown target: nothing left"
dmboot create ut2 --table "0 8 nosuchtarget" 2>/tmp/ut.err
expect_out "unknown target: one line naming the target" "1" sh -c "grep -c nosuchtarget /tmp/ut.err"
expect_rc "wrong key size: exit 1" 1 dmboot create wk --table "0 $CS crypt aes-xts-plain64 0123 0 $C 0"
no_dm_devices "wrong key size: nothing left"
expect_rc "missing target module (thin): exit 1" 1 dmboot create th --table "0 8 thin 1:1 0"
dmboot create th --table "0 8 thin 1:1 0" 2>/tmp/th.err
expect_out "missing target module: the error names it" "1" sh -c "grep -c 'thin' /tmp/th.err"
no_dm_devices "missing module: nothing left"
dmboot create busy --table "0 8 zero"
sleep 3 </dev/mapper/busy &
holder=$!
sleep 0.2
expect_rc "removing an open device fails" 1 dmboot remove busy
check "remove --retry waits for the holder to go" dmboot remove --retry busy
wait $holder 2>/dev/null
no_dm_devices "busy: nothing left"
expect_rc "name of 128 characters refused" 1 dmboot create "${LONGNAME}x" --table "0 8 zero"
expect_rc "uuid of 129 characters refused" 1 dmboot create ok -u "${LONGUUID}x" --table "0 8 zero"
expect_rc "name with a slash refused" 1 dmboot create a/b --table "0 8 zero"
expect_rc "table line without a type refused" 1 dmboot create x --table "0 8"
expect_rc "overflowing length refused" 1 dmboot create x --table "0 99999999999999999999 zero"
expect_rc "unknown command" 1 dmboot frobnicate
expect_rc "unknown option" 1 dmboot ls --frobnicate
no_dm_devices "bad input: nothing created"
