#!/bin/sh
# SPDX-License-Identifier: MIT
# dmboot crypt (cryptsetup plain mode, then LUKS1/LUKS2) against the kernel's dm-crypt and
# cryptsetup 2.6.1: for each option set, dmboot's table is cryptsetup's
# but for the key (a keyring reference), data written through one reads
# back through the other, status and close work across the two, and
# failures leave no device and no key. Needs /bin/dmboot (full_defconfig).
# drive: disk img_zero 8M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_*: /test
. /test/lib.sh

D=$DRIVE_disk
K=/tmp/key
head -c 64 /dev/urandom >$K
chmod 600 $K
KEYHEX=$(od -An -v -tx1 $K | tr -d ' \n')
head -c 1048576 /dev/urandom >/tmp/plain1
head -c 1048576 /dev/urandom >/tmp/plain2
MD5_1=$(md5sum </tmp/plain1 | cut -d' ' -f1)
MD5_2=$(md5sum </tmp/plain2 | cut -d' ' -f1)

# The table with the key word (the fifth) replaced.
table_nokey() { dmsetup table --showkeys "$1" | awk '{ $5 = "KEY"; print }'; }
node() { dm_node "$1" || echo "/dev/mapper/$1"; }
md5_of() { head -c 1048576 "$(node "$1")" | md5sum | cut -d' ' -f1; }
# The 1 MiB of ciphertext on the disk at OFFSET sectors.
raw_md5() { dd if="$D" bs=512 skip="$1" count=2048 2>/dev/null | md5sum | cut -d' ' -f1; }
no_dmboot_key() {
	# Unlinked keys leave /proc/keys when the key collector has run.
	i=0
	while grep -q 'dmboot:' /proc/keys && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check_fail "${1:-no dmboot key in /proc/keys}" grep 'dmboot:' /proc/keys
}

# roundtrip LABEL KEYBYTES OFFSET OPTIONS...: dmboot and cryptsetup with
# the same key file and options.
roundtrip() {
	label=$1 ks=$2 off=$3
	shift 3
	check "$label: dmboot opens" dmboot crypt open --type plain "$D" x -d $K "$@"
	expect_out "$label: the table names a logon key" ":$ks:logon:dmboot:CRYPT-PLAIN-x-d0" \
		sh -c "dmsetup table x | awk '{ print \$5 }'"
	check_fail "$label: no key bytes in dmsetup table --showkeys" \
		sh -c "dmsetup table --showkeys x | grep -i $(echo "$KEYHEX" | cut -c1-16)"
	table_nokey x >/tmp/t.dmboot
	dmboot crypt status x | grep -v 'key location' >/tmp/s.dmboot
	expect_out "$label: key location" "  key location: keyring" \
		sh -c "cryptsetup status x | grep 'key location'"
	check "$label: write through dmboot's device" \
		dd if=/tmp/plain1 of="$(node x)" bs=65536 conv=fsync
	check "$label: dmboot closes" dmboot crypt close x
	check_fail "$label: ciphertext differs from plaintext" test "$(raw_md5 "$off")" = "$MD5_1"
	check "$label: cryptsetup opens" cryptsetup open --type plain "$D" x -d $K "$@"
	same "$label: table is cryptsetup's but for the key" "cat /tmp/t.dmboot" "table_nokey x"
	same "$label: status of dmboot's device as cryptsetup's (key location aside)" \
		"cat /tmp/s.dmboot" "cryptsetup status x | grep -v 'key location'"
	same "$label: dmboot status of cryptsetup's device" "dmboot crypt status x" "cryptsetup status x"
	expect_out "$label: cryptsetup reads what dmboot wrote" "$MD5_1" md5_of x
	check "$label: write through cryptsetup's device" \
		dd if=/tmp/plain2 of="$(node x)" bs=65536 conv=fsync
	check "$label: dmboot closes cryptsetup's device" dmboot crypt close x
	check "$label: dmboot opens again" dmboot crypt open --type plain "$D" x -d $K "$@"
	expect_out "$label: dmboot reads what cryptsetup wrote" "$MD5_2" md5_of x
	check "$label: cryptsetup closes dmboot's device" cryptsetup close x
	no_dm_devices "$label: nothing left"
}

no_dm_devices "nothing at start"
roundtrip "defaults (aes-cbc-essiv:sha256, 256)" 32 0
roundtrip "aes-xts-plain64 512" 64 0 -c aes-xts-plain64 -s 512
roundtrip "aes-xts-plain64 256, 4096-byte sectors, offset, skip" 32 8 \
	-c aes-xts-plain64 -s 256 --sector-size 4096 -o 8 -p 16
roundtrip "aes-cbc-essiv:sha256, 4096, iv-large-sectors, offset" 32 2048 \
	-c aes-cbc-essiv:sha256 --sector-size 4096 --iv-large-sectors -o 2048
roundtrip "aes-xts-plain64 512, every flag, skip" 64 0 -c aes-xts-plain64 -s 512 \
	--allow-discards --perf-same_cpu_crypt --perf-submit_from_crypt_cpus \
	--perf-no_read_workqueue --perf-no_write_workqueue -p 100
roundtrip "aes 128, key at an offset" 16 0 -c aes -s 128 --keyfile-offset 17
no_dmboot_key

# Read-only and --size: tables and status only.
check "read-only, --size: dmboot opens" dmboot crypt open --type plain "$D" r -d $K \
	-c aes-xts-plain64 -s 512 -r -b 4096 -o 16
table_nokey r >/tmp/t.dmboot
dmboot crypt status r | grep -v 'key location' >/tmp/s.dmboot
check_fail "read-only: writes refused" dd if=/tmp/plain1 of="$(node r)" bs=4096 count=1 conv=fsync
check "read-only: cryptsetup closes it" cryptsetup close r
check "read-only: cryptsetup opens it" cryptsetup open --type plain "$D" r -d $K \
	-c aes-xts-plain64 -s 512 -r -b 4096 -o 16
same "read-only: table is cryptsetup's but for the key" "cat /tmp/t.dmboot" "table_nokey r"
same "read-only: status" "cat /tmp/s.dmboot" "cryptsetup status r | grep -v 'key location'"
check "read-only: dmboot closes" dmboot crypt close r

# The key leaves the keyring right after the load, before dmboot exits.
strace -f -e trace=add_key,keyctl -o /tmp/st dmboot crypt open --type plain "$D" k -d $K >/dev/null 2>&1
expect_out "add_key: a logon key" 'add_key("logon", "dmboot:CRYPT-PLAIN-k-d0"' \
	grep -o 'add_key("logon", "[^"]*"' /tmp/st
check "add_key: into the thread keyring" grep -q 'KEY_SPEC_THREAD_KEYRING) = [0-9]' /tmp/st
check "keyctl: unlinked from the thread keyring" \
	grep -q 'keyctl(KEYCTL_UNLINK, [0-9]*, KEY_SPEC_THREAD_KEYRING) = 0' /tmp/st
check "I/O after dmboot exited" dd if="$(node k)" of=/dev/null bs=65536 count=16
no_dmboot_key "no key after open"
check "dmboot closes k" dmboot crypt close k

# Multi-call: a cryptsetup symlink.
mkdir -p /tmp/mc
ln -sf /bin/dmboot /tmp/mc/cryptsetup
check "multi-call: cryptsetup open --type plain" /tmp/mc/cryptsetup open --type plain "$D" m \
	-d $K -c aes-xts-plain64 -s 512
check "multi-call: plainOpen" /tmp/mc/cryptsetup plainOpen "$D" m2 -d $K -o 8192
same "multi-call: status as dmboot crypt's" "/tmp/mc/cryptsetup status m" "dmboot crypt status m"
check "multi-call: close" /tmp/mc/cryptsetup close m
check "multi-call: old remove" /tmp/mc/cryptsetup remove m2
no_dm_devices "multi-call: nothing left"

# Exit codes and stdout as cryptsetup's.
same "status of an inactive device" "dmboot crypt status nonex" "cryptsetup status nonex"
same "close of an inactive device" "dmboot crypt close nonex" "cryptsetup close nonex"
cryptsetup open --type plain "$D" busy -d $K
same "open over an existing name" \
	"dmboot crypt open --type plain $D busy -d $K" "cryptsetup open --type plain $D busy -d $K"
same "close of a device in use" "sh -c 'exec 3<$(node busy); dmboot crypt close busy'" \
	"sh -c 'exec 3<$(node busy); cryptsetup close busy'"
check "the busy device is still there" dmsetup info busy
cryptsetup close busy

# Failures leave no device and no key.
head -c 20 $K >/tmp/short
chmod 600 /tmp/short
for args in "-d /tmp/short" "-d /nonexistent" "-d $K --keyfile-offset 40" \
	"-d $K -o 16384" "-d $K -s 100" "-d $K --sector-size 1000"; do
	# shellcheck disable=SC2086 # args are words
	same "refused: $args" "dmboot crypt open --type plain $D e $args" \
		"cryptsetup open --type plain $D e $args"
done
expect_rc "refused: --type luks" 1 dmboot crypt open --type luks "$D" e -d $K
expect_rc "refused: a key on stdin to be hashed" 1 sh -c "dmboot crypt open --type plain $D e -d - <$K"
check "a raw key on stdin with --hash plain" sh -c "dmboot crypt open --type plain $D e -d - --hash plain <$K"
check "stdin key: write" dd if=/tmp/plain1 of="$(node e)" bs=65536 conv=fsync
check "close e" dmboot crypt close e
check "stdin key: cryptsetup opens with the key file" cryptsetup open --type plain "$D" e -d $K
expect_out "stdin key: it is the key file's" "$MD5_1" md5_of e
check "close e again" cryptsetup close e
check_fail "refused by the kernel: unknown cipher" dmboot crypt open --type plain "$D" e -d $K -c nosuch-xts-plain64
expect_out "refused by the kernel: XTS with a 128-bit key, the kernel's reason" \
	"dmboot: crypt: e: the kernel rejected the table (its log says why): Invalid argument
rc=1" sh -c "dmboot crypt open --type plain $D e -d $K -c aes-xts-plain64 -s 128 2>&1; echo rc=\$?"
no_dm_devices "failures: no device left"
no_dmboot_key "failures: no key left"

chmod 644 $K
# cryptsetup says nothing of a key file's mode; systemd-cryptsetup warns
# for crypttab's (badinput's tab case).
expect_out "world-readable key file: no warning, as cryptsetup" "" \
	sh -c "dmboot crypt open --type plain $D w -d $K 2>&1 >/dev/null"
chmod 600 $K
check "close w" dmboot crypt close w

# Image files through loop devices (LOOP_FILES), as cryptsetup: read-write
# unless --readonly, autoclear; the table is cryptsetup's but for the key
# and the loop number.
IMG=/tmp/crypt.img
truncate -s 8M $IMG
loop_table() { table_nokey "$1" | sed -e ':a' -e 's/ 7:[0-9][0-9]* / 7:L /' -e 'ta'; }
# backing NAME: "FILE AUTOCLEAR RO" of the table's loop device.
backing() {
	_d=$(dmsetup table "$1" | cut -d' ' -f7)
	loops | sed -n "s/^loop${_d#7:} //p"
}
FOPTS="-c aes-xts-plain64 -s 512 -o 16"
no_loops "file: no loop device at start"
# shellcheck disable=SC2086 # FOPTS are words
check "file: dmboot opens an image file" dmboot crypt open --type plain $IMG f -d $K $FOPTS
expect_out "file: the table names a loop device" "7" \
	sh -c "dmsetup table f | cut -d' ' -f7 | cut -d: -f1"
expect_out "file: read-write autoclear loop device of the file" "$IMG 1 0" backing f
same "file: status of dmboot's device as cryptsetup's, loop file included" \
	"dmboot crypt status f; echo rc=\$?" "cryptsetup status f; echo rc=\$?"
expect_out "file: status names the file" "  loop:    $IMG" \
	sh -c "dmboot crypt status f | grep 'loop:'"
loop_table f >/tmp/t.f
check "file: write through dmboot's device" dd if=/tmp/plain1 of="$(node f)" bs=65536 conv=fsync
check "file: dmboot closes" dmboot crypt close f
no_loops "file: no loop device after close"
# shellcheck disable=SC2086
check "file: cryptsetup opens the same file" cryptsetup open --type plain $IMG f -d $K $FOPTS
same "file: cryptsetup's table but for the key and the loop number" "cat /tmp/t.f" "loop_table f"
expect_out "file: cryptsetup reads what dmboot wrote" "$MD5_1" md5_of f
same "file: dmboot status of cryptsetup's device, loop file included" \
	"dmboot crypt status f; echo rc=\$?" "cryptsetup status f; echo rc=\$?"
check "file: cryptsetup closes" cryptsetup close f
no_loops "file: nothing left"
# shellcheck disable=SC2086
check "file: --readonly" dmboot crypt open --type plain $IMG f -d $K $FOPTS -r
expect_out "file: a read-only loop device" "$IMG 1 1" backing f
expect_out "file: dmboot reads it back read-only" "$MD5_1" md5_of f
check_fail "file: writes refused" dd if=/tmp/plain2 of="$(node f)" bs=4096 count=1 conv=fsync
check "file: close" dmboot crypt close f
no_loops "file: no loop device after the read-only one"
# A file deleted under its loop device: the kernel's " (deleted)".
cp $IMG /tmp/gone.img
# shellcheck disable=SC2086
check "deleted file: dmboot opens" dmboot crypt open --type plain /tmp/gone.img f -d $K $FOPTS
rm /tmp/gone.img
same "deleted file: status as cryptsetup's" \
	"dmboot crypt status f; echo rc=\$?" "cryptsetup status f; echo rc=\$?"
expect_out "deleted file: status says so" "  loop:    /tmp/gone.img (deleted)" \
	sh -c "dmboot crypt status f | grep 'loop:'"
check "deleted file: close" dmboot crypt close f
no_loops "deleted file: no loop device after close"
# --sector-size 4096: the loop device's logical blocks too, as cryptsetup.
lbs() { cat "/sys/class/block/loop$(dmsetup table "$1" | cut -d' ' -f7 | cut -d: -f2)/queue/logical_block_size"; }
# shellcheck disable=SC2086
check "file 4096: cryptsetup opens" cryptsetup open --type plain $IMG f -d $K $FOPTS --sector-size 4096
lbs f >/tmp/lbs.cryptsetup
check "file 4096: cryptsetup closes" cryptsetup close f
no_loops "file 4096: no loop device after cryptsetup"
# shellcheck disable=SC2086
check "file 4096: dmboot opens" dmboot crypt open --type plain $IMG f -d $K $FOPTS --sector-size 4096
same "file 4096: loop block size as cryptsetup's (4096)" "lbs f" "cat /tmp/lbs.cryptsetup"
expect_out "file 4096: which is 4096" "4096" lbs f
check "file 4096: close" dmboot crypt close f
no_loops "file 4096: no loop device after close"
expect_rc "file: --offset beyond the file: refused" 1 \
	dmboot crypt open --type plain $IMG f -d $K -o 16384
no_loops "file: a refusal leaves no loop device"
expect_rc "file: the kernel refuses the table" 1 \
	dmboot crypt open --type plain $IMG f -d $K -c aes-xts-plain64 -s 128
no_loops "file: a refused table leaves no loop device"
no_dm_devices "file: nor a dm device"
no_dmboot_key "file: nor a key"

# --volume-key-keyring: a key an earlier stage put in the kernel keyring
# (here keyctl, in the user keyring): the table names it, dmboot never
# reads it, and cryptsetup with the same bytes in a file reads the data.
head -c 32 $K >/tmp/k32
check "keyring: a logon key in the user keyring" \
	sh -c 'keyctl padd logon fw:vk @u </tmp/k32 >/tmp/vk.id'
check "keyring: dmboot opens on it" \
	dmboot crypt open --type plain "$D" vk --volume-key-keyring %logon:fw:vk
expect_out "keyring: the table names that key" "aes-cbc-essiv:sha256 :32:logon:fw:vk 0" \
	sh -c "dmsetup table vk | cut -d' ' -f4-6"
check "keyring: write through dmboot's device" dd if=/tmp/plain2 of="$(node vk)" bs=65536 conv=fsync
check "keyring: dmboot closes" dmboot crypt close vk
check "keyring: cryptsetup opens with the key's bytes from a file" \
	cryptsetup open --type plain "$D" vk -d /tmp/k32
expect_out "keyring: cryptsetup reads what dmboot wrote" "$MD5_2" md5_of vk
check "keyring: cryptsetup closes" cryptsetup close vk
check "keyring: the key is the caller's, still there" sh -c 'keyctl describe "$(cat /tmp/vk.id)"'
expect_rc "keyring: a key that is not there: the kernel refuses the table" 1 \
	dmboot crypt open --type plain "$D" vk --volume-key-keyring %logon:fw:none
expect_rc "keyring: not %TYPE:DESC" 1 \
	dmboot crypt open --type plain "$D" vk --volume-key-keyring fw:vk
no_dm_devices "keyring: no device after the refusals"
check "keyring: unlink the key" sh -c 'keyctl unlink "$(cat /tmp/vk.id)" @u'
# Secret memory: a key file that is a FIFO holds dmboot with half the key
# read. Its page is locked (VmLck, "lo") and out of core dumps ("dd"); the
# process is not dumpable: SIGABRT leaves no core where a dumpable process
# leaves one, not even with fs.suid_dumpable=2 (which dumps processes made
# non-dumpable by a set-uid exec, not by PR_SET_DUMPABLE 0).
HALF=dmbootHALFKEYdmbootHALFKEYdmboo # 32 bytes of a 64-byte key
mkfifo /tmp/kfifo
echo /tmp/core.%p >/proc/sys/kernel/core_pattern
sd=$(cat /proc/sys/fs/suid_dumpable)
# held: dmboot waits on the FIFO for the second half; its pid in $pid.
# shellcheck disable=SC3045 # busybox sh has ulimit -c
held() {
	rm -f /tmp/core.*
	(
		ulimit -c unlimited
		exec dmboot crypt open --type plain "$D" corename -d /tmp/kfifo -c aes-xts-plain64 -s 512
	) 2>/dev/null &
	pid=$!
	# Read-write: opening does not wait for dmboot.
	exec 7<>/tmp/kfifo
	printf %s "$HALF" >&7
	i=0
	until grep -q 'VmLck:[^1-9]*[1-9]' /proc/$pid/status 2>/dev/null &&
		grep -q '^State:.*S' /proc/$pid/status && [ $i -ge 10 ]; do
		[ $i -lt 50 ] || break
		sleep 0.1
		i=$((i + 1))
	done
}
# aborted: SIGABRT to the held dmboot, its exit status.
aborted() {
	kill -ABRT $pid
	wait $pid
	st=$?
	exec 7>&-
	return $st
}
# shellcheck disable=SC3045
(
	ulimit -c unlimited
	exec sleep 30
) &
spid=$!
sleep 0.2
kill -ABRT $spid
wait $spid
check "secret: this kernel writes cores (a dumpable process's)" test -s /tmp/core.$spid
held
check "secret: key page locked while the key is read (VmLck)" \
	grep -q 'VmLck:[^1-9]*[1-9]' /proc/$pid/status
check "secret: a mapping locked and out of dumps (VmFlags lo, dd)" \
	sh -c "grep '^VmFlags:' /proc/$pid/smaps | grep ' lo' | grep -q ' dd'"
aborted
st=$?
expect_out "secret: SIGABRT killed dmboot" 134 echo $st
check_fail "secret: no core of the non-dumpable dmboot" test -e /tmp/core.$pid
echo 2 >/proc/sys/fs/suid_dumpable
held
aborted
check_fail "secret: no core with fs.suid_dumpable=2 either" test -e /tmp/core.$pid
echo "$sd" >/proc/sys/fs/suid_dumpable
rm -f /tmp/core.* /tmp/kfifo
no_dm_devices "secret: no device from the aborted opens"

# A key in --table: one warning that /proc/PID/cmdline shows it.
expect_out "--table with a key: one warning line" \
	"dmboot: create: warning: the table holds a key on the command line, visible in /proc/PID/cmdline; use a table file, stdin or a keyring key (:32:logon:DESC)" \
	sh -c "dmboot create tk --table '0 8 crypt aes-xts-plain64 $(echo "$KEYHEX" | cut -c1-64) 0 $(majmin "$D") 0' 2>&1 >/dev/null"
check "--table with a key: the device works" dmboot remove tk
expect_out "a table on stdin: no warning" "" \
	sh -c "echo '0 8 crypt aes-xts-plain64 $(echo "$KEYHEX" | cut -c1-64) 0 $(majmin "$D") 0' | dmboot create tk 2>&1 >/dev/null"
check "a table on stdin: remove" dmboot remove tk
no_dm_devices "nothing at the end"

# ---- LUKS1 and LUKS2 (crypt-luks.c) against cryptsetup 2.6.1 ----
# Volumes cryptsetup formats on the disk; dmboot opens each with the same
# key file: the table (with --showkeys: LUKS1's key is in it, LUKS2's is
# the same keyring reference), the dm UUID and status are cryptsetup's,
# data written through one reads back through the other; a wrong
# passphrase exits 2 and leaves nothing; luksDump is cryptsetup's.
PW=/tmp/pw
printf 'dmboot-luks' >$PW
printf 'dmboot-luKs' >/tmp/pw.bad
full() { dmsetup table --showkeys "$1" && dmsetup info -c --noheadings -o uuid "$1"; }
no_luks_key() {
	i=0
	while grep -q 'cryptsetup:' /proc/keys && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check_fail "$1: no cryptsetup: key left in /proc/keys" grep 'cryptsetup:' /proc/keys
}
# luks_roundtrip LABEL FORMAT-OPTIONS...: format, then dmboot against
# cryptsetup.
luks_roundtrip() {
	label=$1
	shift
	dd if=/dev/zero of="$D" bs=1M count=8 conv=fsync 2>/dev/null
	check "$label: cryptsetup luksFormat" cryptsetup luksFormat -q "$@" \
		--key-file $PW "$D"
	same "$label: luksDump as cryptsetup's" "dmboot crypt luksDump $D" "cryptsetup luksDump $D"
	same "$label: luksUUID" "dmboot crypt luksUUID $D" "cryptsetup luksUUID $D"
	expect_rc "$label: isLuks" 0 dmboot crypt isLuks "$D"
	expect_rc "$label: --test-passphrase" 0 dmboot crypt open --test-passphrase "$D" -d $PW
	one_line -2 "$label: wrong passphrase: exit 2" "No key available with this passphrase" \
		dmboot crypt open "$D" x -d /tmp/pw.bad
	no_dm_devices "$label: nothing after the wrong passphrase"
	check "$label: dmboot opens" dmboot crypt open "$D" x -d $PW
	full x >/tmp/t.dmboot
	dmboot crypt status x >/tmp/s.dmboot
	no_luks_key "$label: dmboot"
	check "$label: write through dmboot's device" \
		dd if=/tmp/plain1 of="$(node x)" bs=65536 conv=fsync
	check "$label: dmboot closes" dmboot crypt close x
	check "$label: cryptsetup opens" cryptsetup open "$D" x -d $PW
	same "$label: table and dm UUID are cryptsetup's" "cat /tmp/t.dmboot" "full x"
	same "$label: status of dmboot's device as cryptsetup's" "cat /tmp/s.dmboot" "cryptsetup status x"
	same "$label: dmboot status of cryptsetup's device" "dmboot crypt status x" "cryptsetup status x"
	expect_out "$label: cryptsetup reads what dmboot wrote" "$MD5_1" md5_of x
	check "$label: cryptsetup closes" cryptsetup close x
	no_dm_devices "$label: no devices"
}
luks_roundtrip "luks1" --type luks1 --key-size 512 --hash sha256 --pbkdf-force-iterations 1000
luks_roundtrip "luks2" --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
	--luks2-metadata-size=16k --luks2-keyslots-size=1m
luks_roundtrip "luks2 argon2id 4k sectors" --type luks2 --luks2-metadata-size=16k \
	--luks2-keyslots-size=1m --pbkdf argon2id --pbkdf-memory 16384 --pbkdf-force-iterations 4 \
	--pbkdf-parallel 2 --sector-size 4096 --cipher aes-cbc-essiv:sha256 --key-size 256
# A detached header, --key-slot, --disable-keyring, -r.
dd if=/dev/zero of="$D" bs=1M count=8 conv=fsync 2>/dev/null
truncate -s 16M /tmp/hdr
check "detached: cryptsetup luksFormat --header" cryptsetup luksFormat -q --type luks2 \
	--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --header /tmp/hdr --key-file $PW "$D"
check "detached: add a second key" cryptsetup luksAddKey -q --pbkdf pbkdf2 \
	--pbkdf-force-iterations 1000 --header /tmp/hdr --key-file $PW "$D" /tmp/pw.bad
one_line -1 "detached: the data device alone is not LUKS" "not a valid LUKS device" \
	dmboot crypt open "$D" x -d $PW
check "detached: dmboot opens slot 1" dmboot crypt open --header /tmp/hdr -S 1 --disable-keyring -r "$D" x -d /tmp/pw.bad
full x >/tmp/t.dmboot
check "detached: dmboot closes" dmboot crypt close x
check "detached: cryptsetup opens" cryptsetup open --header /tmp/hdr -S 1 --disable-keyring -r "$D" x -d /tmp/pw.bad
same "detached: table and dm UUID are cryptsetup's" "cat /tmp/t.dmboot" "full x"
check "detached: cryptsetup closes" cryptsetup close x
expect_rc "detached: slot 0 refuses the other passphrase" 2 dmboot crypt open --header /tmp/hdr -S 0 "$D" x -d /tmp/pw.bad
rm -f /tmp/hdr
# LUKS2's luks2-keyring token: the passphrase a "user" key in the kernel
# keyring, tried before anything else, as cryptsetup does; and a
# passphrase on a pipe (no terminal: one line, one try).
check "token: cryptsetup luksFormat" cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 \
	--pbkdf-force-iterations 1000 --luks2-metadata-size=16k --luks2-keyslots-size=1m \
	--key-file $PW "$D"
check "token: add a second key" cryptsetup luksAddKey -q --pbkdf pbkdf2 \
	--pbkdf-force-iterations 1000 --key-file $PW "$D" /tmp/pw.bad
check "token: add the keyring token" cryptsetup token add --key-description dmboot:tok \
	--key-slot 1 "$D"
expect_rc "token: no key in the keyring, nothing on stdin: exit 1, as cryptsetup" 1 \
	sh -c "dmboot crypt open --test-passphrase $D </dev/null"
check "token: the user key" sh -c "keyctl padd user dmboot:tok @u </tmp/pw.bad >/dev/null"
check "token: dmboot opens with the token alone" sh -c "dmboot crypt open $D x </dev/null"
full x >/tmp/t.dmboot
check "token: dmboot closes" dmboot crypt close x
check "token: cryptsetup opens with the token alone" sh -c "cryptsetup open $D x </dev/null"
same "token: table and dm UUID are cryptsetup's" "cat /tmp/t.dmboot" "full x"
check "token: cryptsetup closes" cryptsetup close x
check "token: the user key goes" sh -c "keyctl purge user dmboot:tok >/dev/null"
check "pipe: the passphrase on stdin" sh -c "printf 'dmboot-luks\n' | dmboot crypt open $D x"
check "pipe: dmboot closes" dmboot crypt close x
one_line -1 "--token-only without a usable token" "no token" \
	sh -c "dmboot crypt open --token-only $D x </dev/null"
no_dm_devices "luks: nothing at the end"
