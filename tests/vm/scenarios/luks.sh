#!/bin/sh
# SPDX-License-Identifier: MIT
# dmboot's LUKS open against cryptsetup 2.6.1 on the real kernel. The
# volumes are cryptsetup's own (luksFormat on the host: images.sh's
# img_luks): LUKS1 with PBKDF2 sha1/sha256/sha512, aes-xts-plain64 and
# aes-cbc-essiv:sha256; LUKS2 with PBKDF2-sha256, Argon2i and Argon2id at
# 32 and 256 MiB with 1, 2 and 4 lanes, 512- and 4096-byte sectors, a
# label and subsystem, keyslots added, killed and given priorities, a key
# file slot at an offset, a detached header, persistent flags and a
# damaged primary header. For each, dmboot's table (--showkeys: the
# key itself for LUKS1, the keyring reference for LUKS2), dm UUID and
# `cryptsetup status` are cryptsetup's byte for byte, data written through
# one reads back through the other, and close/status work across the two.
# Wrong passphrases end as cryptsetup's (exit 2) with nothing left: no
# device, no key in /proc/keys. isLuks, luksUUID, luksDump and
# --test-passphrase print and exit as cryptsetup's. Passphrases come on
# stdin (not a terminal: read up to the newline) as cryptsetup reads them.
# KDF costs are minimal (PBKDF2 1000 iterations, Argon2 4 passes) but for
# the 256 MiB Argon2id volume, whose cost is the point. Needs /bin/dmboot
# (full_defconfig with LUKS).
# drive: l1sha1 img_luks 8M pw-l1sha1 --type luks1 --hash sha1 --pbkdf-force-iterations 1000 -c aes-xts-plain64 -s 512
# drive: l1cbc img_luks 8M pw-l1cbc --type luks1 --hash sha512 --pbkdf-force-iterations 1000 -c aes-cbc-essiv:sha256 -s 256
# drive: l1keys img_luks 8M pw0 --type luks1 --hash sha256 --pbkdf-force-iterations 1000 add=1:pw1 add=2:pw2 key=5:100:64 kill=1
# drive: l2pb img_luks 24M pw-l2pb --type luks2 --pbkdf pbkdf2 --hash sha256 --pbkdf-force-iterations 1000 --sector-size 512 --label dmboot-l2 --subsystem dmboot-sub
# drive: l2a2i img_luks 24M pw-a2i --type luks2 --pbkdf argon2i --pbkdf-memory 32768 --pbkdf-parallel 1 --pbkdf-force-iterations 4 --sector-size 512
# drive: l2a2id img_luks 24M pw-a2id cpus=2 --type luks2 --pbkdf argon2id --pbkdf-memory 32768 --pbkdf-parallel 2 --pbkdf-force-iterations 4 --sector-size 4096 -c aes-cbc-essiv:sha256 -s 256
# drive: l2big img_luks 24M pw-big cpus=4 --type luks2 --pbkdf argon2id --pbkdf-memory 262144 --pbkdf-parallel 4 --pbkdf-force-iterations 4 --sector-size 4096
# drive: l2keys img_luks 24M pw0 --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --sector-size 4096 add=1:pw1 add=2:pw2 add=3:pw3 key=4:4000:512 kill=1 prio=2:prefer prio=3:ignore
# drive: hdr img_zero 16M
# drive: l2det img_luks 8M pw-det header=hdr --type luks2 --pbkdf argon2id --pbkdf-memory 32768 --pbkdf-parallel 1 --pbkdf-force-iterations 4 --sector-size 4096
# drive: l2flags img_luks 24M pw-flags --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000
# drive: l2dmg img_luks 24M pw-dmg --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --sector-size 512
# drive: plain img_zero 4M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_*: /test
. /test/lib.sh

MC=/tmp/mc/cryptsetup
mkdir -p /tmp/mc
ln -sf /bin/dmboot $MC
# The key file img_luks_keyfile wrote on the host.
seq 100000 | head -c 8192 >/tmp/keyfile
chmod 600 /tmp/keyfile
head -c 1048576 /dev/urandom >/tmp/data1
head -c 1048576 /dev/urandom >/tmp/data2
MD5_1=$(md5sum </tmp/data1 | cut -d' ' -f1)
MD5_2=$(md5sum </tmp/data2 | cut -d' ' -f1)

node() { dm_node "$1" || echo "/dev/mapper/$1"; }
md5_of() { head -c 1048576 "$(node "$1")" | md5sum | cut -d' ' -f1; }
write() { dd if="$1" of="$(node "$2")" bs=65536 conv=fsync 2>/dev/null; }
# withpw CMD...: CMD with the passphrase in /tmp/pw on stdin (a file, not
# a terminal).
withpw() { "$@" </tmp/pw; }
setpw() { printf '%s\n' "$1" >/tmp/pw; }
# state NAME: what must be equal whoever opened NAME: the table with its
# key, the dm UUID, and cryptsetup's status.
state() {
	dmsetup table --showkeys "$1"
	dmsetup info -c --noheadings -o uuid "$1"
	cryptsetup status "$1"
	echo "rc=$?"
}
no_key() {
	# Unlinked keys leave /proc/keys when the key collector has run.
	_i=0
	while grep -qE 'cryptsetup:|dmboot:' /proc/keys && [ $_i -lt 30 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	check_fail "${1:-no volume key in /proc/keys}" grep -E 'cryptsetup:|dmboot:' /proc/keys
}

# roundtrip LABEL DEVICE PASSPHRASE [open options...]: dmboot opens
# first (its table, UUID and status kept), writes; cryptsetup opens the
# same volume: the same three, reads what dmboot wrote, writes, and
# dmboot's status and close work on cryptsetup's device; the multi-call
# cryptsetup opens it again: the same three, and it reads what
# cryptsetup wrote. Three KDF runs per volume. $ST: options for the
# status commands.
ST=
roundtrip() {
	l=$1 dev=$2
	setpw "$3"
	shift 3
	check "$l: dmboot opens" withpw dmboot crypt open "$dev" x "$@"
	state x >/tmp/st.dmboot
	check "$l: write through dmboot's device" write /tmp/data1 x
	same "$l: dmboot status of its device as cryptsetup status" \
		"dmboot crypt status $ST x; echo rc=\$?" "cryptsetup status $ST x; echo rc=\$?"
	check "$l: dmboot closes" dmboot crypt close x
	no_dm_devices "$l: closed"
	check "$l: cryptsetup opens" withpw cryptsetup open "$dev" x "$@"
	same "$l: table (--showkeys), dm UUID and status are cryptsetup's" \
		"cat /tmp/st.dmboot" "state x"
	expect_out "$l: cryptsetup reads what dmboot wrote" "$MD5_1" md5_of x
	check "$l: write through cryptsetup's device" write /tmp/data2 x
	same "$l: dmboot status of cryptsetup's device" \
		"dmboot crypt status $ST x; echo rc=\$?" "cryptsetup status $ST x; echo rc=\$?"
	check "$l: dmboot closes cryptsetup's device" dmboot crypt close x
	no_dm_devices "$l: cryptsetup's device closed"
	check "$l: multi-call cryptsetup opens" withpw $MC open "$dev" x "$@"
	same "$l: multi-call: table, dm UUID and status are cryptsetup's" \
		"cat /tmp/st.dmboot" "state x"
	expect_out "$l: dmboot reads what cryptsetup wrote" "$MD5_2" md5_of x
	check "$l: cryptsetup closes dmboot's device" cryptsetup close x
	no_dm_devices "$l: nothing left"
	dm_cleanup
}

# table_only LABEL DEVICE PASSPHRASE [open options...]: one open each,
# the three compared (the options under test are the open's).
table_only() {
	l=$1 dev=$2
	setpw "$3"
	shift 3
	check "$l: cryptsetup opens" withpw cryptsetup open "$dev" x "$@"
	state x >/tmp/st.cryptsetup
	check "$l: cryptsetup closes" cryptsetup close x
	check "$l: dmboot opens" withpw dmboot crypt open "$dev" x "$@"
	same "$l: table (--showkeys), dm UUID and status are cryptsetup's" \
		"cat /tmp/st.cryptsetup" "state x"
	check "$l: dmboot closes" dmboot crypt close x
	no_dm_devices "$l: nothing left"
	dm_cleanup
}

# both LABEL "ARGS": dmboot crypt ARGS and cryptsetup ARGS print the same
# and exit with the same status (stdin: /tmp/pw); each then closes the
# device e if it opened one.
both() {
	_c="; cryptsetup close e >/dev/null 2>&1"
	same "$1" "dmboot crypt $2 </tmp/pw; echo rc=\$?$_c" \
		"cryptsetup $2 </tmp/pw; echo rc=\$?$_c"
}

no_dm_devices "nothing at start"
check "the kernel's keyring is there" test -e /proc/keys

# Volumes, one round trip each.
roundtrip "LUKS1 pbkdf2-sha1 aes-xts-plain64 512" "$DRIVE_l1sha1" pw-l1sha1
roundtrip "LUKS1 pbkdf2-sha512 aes-cbc-essiv:sha256 256" "$DRIVE_l1cbc" pw-l1cbc
roundtrip "LUKS2 pbkdf2-sha256 512-byte sectors, label" "$DRIVE_l2pb" pw-l2pb
roundtrip "LUKS2 argon2i 32 MiB 1 lane" "$DRIVE_l2a2i" pw-a2i
roundtrip "LUKS2 argon2id 32 MiB 2 lanes 4096-byte sectors, cbc-essiv" "$DRIVE_l2a2id" pw-a2id
roundtrip "LUKS2 argon2id 256 MiB 4 lanes" "$DRIVE_l2big" pw-big
# Status with the header named (without it, cryptsetup 2.6.1 finds no
# header on the data device: "type: n/a", "sector size: 512", and so
# does dmboot: "detached status" below).
ST="--header $DRIVE_hdr"
roundtrip "LUKS2 detached header" "$DRIVE_l2det" pw-det --header "$DRIVE_hdr"
ST=
roundtrip "LUKS2 --type luks2" "$DRIVE_l2pb" pw-l2pb --type luks2
roundtrip "LUKS1 --type luks" "$DRIVE_l1sha1" pw-l1sha1 --type luks
no_key "round trips: no volume key in /proc/keys"

# Open-time options: flags, read-only, the type named.
table_only "LUKS1 flags" "$DRIVE_l1sha1" pw-l1sha1 --allow-discards --perf-same_cpu_crypt \
	--perf-submit_from_crypt_cpus --perf-no_read_workqueue --perf-no_write_workqueue
table_only "LUKS2 flags" "$DRIVE_l2pb" pw-l2pb --allow-discards --perf-no_write_workqueue
table_only "LUKS2 read-only" "$DRIVE_l2pb" pw-l2pb -r
table_only "LUKS1 read-only --type luks1" "$DRIVE_l1cbc" pw-l1cbc --readonly --type luks1

# Persistent flags, stored in the LUKS2 header by cryptsetup: both open
# with them without being told.
setpw pw-flags
check "persistent: cryptsetup stores flags" withpw cryptsetup open --persistent \
	--allow-discards --perf-no_read_workqueue "$DRIVE_l2flags" f
check "persistent: close" cryptsetup close f
check "persistent: luksDump shows them" sh -c \
	"cryptsetup luksDump $DRIVE_l2flags | grep -q 'Flags:.*allow-discards.*no-read-workqueue'"
table_only "LUKS2 persistent flags" "$DRIVE_l2flags" pw-flags
check "persistent: they are in the table" sh -c \
	"grep -q 'allow_discards.*no_read_workqueue' /tmp/st.cryptsetup"

# Keyslots: LUKS1 0 (pw0), 1 killed, 2 (pw2), 5 (key file bytes 100..163).
K1=$DRIVE_l1keys
for pw in pw0 pw2; do
	table_only "LUKS1 keyslots: $pw" "$K1" $pw
done
setpw pw1
both "LUKS1 a killed slot's passphrase: refused" "open $K1 e"
expect_rc "LUKS1 a killed slot's passphrase: exit 2" 2 withpw dmboot crypt open "$K1" e
setpw pw2
both "LUKS1 --key-slot 2" "open $K1 e --key-slot 2"
both "LUKS1 --key-slot 0 with slot 2's passphrase" "open $K1 e --key-slot 0"
both "LUKS1 --key-slot 1 (killed)" "open $K1 e --key-slot 1"
table_only "LUKS1 key file at an offset" "$K1" - -d /tmp/keyfile --keyfile-offset 100 \
	--keyfile-size 64
both "LUKS1 key file one byte off" "open $K1 e -d /tmp/keyfile --keyfile-offset 101 --keyfile-size 64"
both "LUKS1 key file one byte short" "open $K1 e -d /tmp/keyfile --keyfile-offset 100 --keyfile-size 63"
no_dm_devices "LUKS1 keyslots: nothing left"

# LUKS2 0 (pw0), 1 killed, 2 (pw2, prefer), 3 (pw3, ignore), 4 (key file
# bytes 4000..4511).
K2=$DRIVE_l2keys
table_only "LUKS2 keyslots: pw0" "$K2" pw0
table_only "LUKS2 keyslots: the preferred slot" "$K2" pw2
setpw pw3
both "LUKS2 an ignored slot without --key-slot" "open $K2 e"
both "LUKS2 an ignored slot named" "open $K2 e --key-slot 3"
setpw pw1
both "LUKS2 a killed slot" "open $K2 e"
both "LUKS2 --key-slot 1 (killed)" "open $K2 e --key-slot 1"
table_only "LUKS2 key file at an offset" "$K2" - -d /tmp/keyfile --keyfile-offset 4000 \
	--keyfile-size 512
both "LUKS2 key file, the whole file" "open $K2 e -d /tmp/keyfile"
no_dm_devices "LUKS2 keyslots: nothing left"

# Passphrases from stdin: up to the newline unless --key-file -, which
# takes everything.
printf 'pw-l2pb' >/tmp/pw
both "stdin without a newline" "open $DRIVE_l2pb e"
both "-d - without a newline" "open $DRIVE_l2pb e -d -"
printf 'pw-l2pb\n' >/tmp/pw
both "-d - with a newline: part of the passphrase" "open $DRIVE_l2pb e -d -"
printf 'pw-l2pb\nrest\n' >/tmp/pw
both "stdin: the first line only" "open $DRIVE_l2pb e"
no_dm_devices "stdin: nothing left"

# Wrong passphrases: exit 2, no device, no key.
setpw wrong
for v in l1sha1 l2pb l2a2i; do
	eval "d=\$DRIVE_$v"
	both "$v: a wrong passphrase" "open $d e"
	expect_rc "$v: a wrong passphrase: exit 2" 2 withpw dmboot crypt open "$d" e
	one_line "$v: a wrong passphrase: one line" . withpw dmboot crypt open "$d" e
	both "$v: --test-passphrase, wrong" "open --test-passphrase $d"
done
no_dm_devices "wrong passphrases: no device"
no_key "wrong passphrases: no key in /proc/keys"

# --test-passphrase: unlock, no device.
setpw pw-a2i
both "--test-passphrase" "open --test-passphrase $DRIVE_l2a2i"
both "--test-passphrase with a name" "open --test-passphrase $DRIVE_l2a2i t"
setpw pw-l1cbc
both "--test-passphrase LUKS1 --key-slot 0" "open --test-passphrase --key-slot 0 $DRIVE_l1cbc"
no_dm_devices "--test-passphrase: no device"

# Types: auto-detection, the type named, a type that is not the volume's,
# not a LUKS volume.
setpw pw-l2pb
both "--type luks1 on LUKS2" "open --type luks1 $DRIVE_l2pb e"
setpw pw-l1sha1
both "--type luks2 on LUKS1" "open --type luks2 $DRIVE_l1sha1 e"
both "open on a volume that is not LUKS" "open $DRIVE_plain e"
both "luksOpen on a volume that is not LUKS" "luksOpen $DRIVE_plain e"
check "luksOpen (multi-call)" withpw $MC luksOpen "$DRIVE_l1sha1" lo
expect_out "luksOpen: a LUKS1 device" "CRYPT-LUKS1-$(echo "$l1sha1_UUID" | tr -d -)-lo" \
	dmsetup info -c --noheadings -o uuid lo
check "luksClose (multi-call)" $MC luksClose lo
no_dm_devices "types: nothing left"
no_key "types: no key left"

# The LUKS2 primary header zeroed (its first 4 KiB): both open from the
# secondary copy. cryptsetup (open, and status too) rewrites the primary
# from the secondary; dmboot opens the device read-only and writes
# nothing, so the primary is zeroed again before each cryptsetup step.
D=$DRIVE_l2dmg
zero4k() { dd if=/dev/zero of="$D" bs=4096 count=1 conv=notrunc,fsync 2>/dev/null; }
primary_gone() { test "$(head -c 4096 "$D" | tr -d '\0' | wc -c)" -eq 0; }
check "damaged: primary zeroed" zero4k
check "damaged: the first 4 KiB are zeros" primary_gone
setpw pw-dmg
check "damaged: dmboot opens from the secondary header" withpw dmboot crypt open "$D" x
check "damaged: dmboot wrote nothing to the header" primary_gone
state x >/tmp/st.dmboot
check "damaged: dmboot closes" dmboot crypt close x
zero4k
check "damaged: cryptsetup opens" withpw cryptsetup open "$D" x
same "damaged: table, dm UUID and status are cryptsetup's" "cat /tmp/st.dmboot" "state x"
check "damaged: cryptsetup closes" cryptsetup close x
zero4k
same "damaged: isLuks" "dmboot crypt isLuks $D; echo rc=\$?" "cryptsetup isLuks $D; echo rc=\$?"
same "damaged: luksUUID" "dmboot crypt luksUUID $D; echo rc=\$?" "cryptsetup luksUUID $D; echo rc=\$?"
zero4k
no_dm_devices "damaged: nothing left"

# isLuks, luksUUID, luksDump on every volume, as cryptsetup prints them.
for v in l1sha1 l1cbc l1keys l2pb l2a2i l2a2id l2big l2keys hdr l2flags plain; do
	eval "d=\$DRIVE_$v"
	both "isLuks $v" "isLuks $d"
	both "isLuks --type luks1 $v" "isLuks --type luks1 $d"
	both "isLuks --type luks2 $v" "isLuks --type luks2 $d"
	both "luksUUID $v" "luksUUID $d"
	both "luksDump $v" "luksDump $d"
done
expect_out "luksUUID: the host's" "$l2pb_UUID" dmboot crypt luksUUID "$DRIVE_l2pb"
both "luksDump --header (detached)" "luksDump --header $DRIVE_hdr $DRIVE_l2det"
both "isLuks: the detached data device" "isLuks $DRIVE_l2det"
same "multi-call isLuks" "$MC isLuks -v $DRIVE_l2pb; echo rc=\$?" \
	"cryptsetup isLuks -v $DRIVE_l2pb; echo rc=\$?"

# A name in use (cryptsetup 2.6.1: "Device x already exists.", exit 5):
# dmboot refuses it before the passphrase is read (stdin left for cat)
# and before any KDF, for LUKS1 and LUKS2. cryptsetup does so for LUKS2
# (its token step checks the name first); for LUKS1 it reads the
# passphrase first (seen here), then refuses before the KDF.
for v in l1sha1 l2pb; do
	eval "d=\$DRIVE_$v"
	setpw "pw-$v"
	check "$v name in use: cryptsetup opens x" withpw cryptsetup open "$d" x
	expect_out "$v name in use: exit 5, the passphrase left unread" "rc=5
pw-$v" sh -c "(dmboot crypt open $d x >/dev/null 2>&1; echo rc=\$?; cat) </tmp/pw"
	[ $v = l1sha1 ] || same "$v name in use: as cryptsetup (exit 5, stdin unread)" \
		"(dmboot crypt open $d x >/dev/null 2>&1; echo rc=\$?; cat) </tmp/pw" \
		"(cryptsetup open $d x >/dev/null 2>&1; echo rc=\$?; cat) </tmp/pw"
	expect_out "$v name in use: cryptsetup's words" "Device x already exists." \
		sh -c "cryptsetup open $d x </tmp/pw 2>&1; true"
	one_line -5 "$v name in use: dmboot's one line" "dmboot: crypt: x: device already exists" \
		withpw dmboot crypt open "$d" x
	one_line -5 "$v name in use: luksOpen (multi-call)" "dmboot: cryptsetup: x: device already exists" \
		withpw $MC luksOpen "$d" x
	check "$v name in use: the device is cryptsetup's still" cryptsetup close x
	no_dm_devices "$v name in use: nothing left"
done

# status without --header of a volume opened with a detached one: no
# header on the data device, so no type and 512-byte sectors, as
# cryptsetup 2.6.1 says.
setpw pw-det
check "detached status: dmboot opens" withpw dmboot crypt open --header "$DRIVE_hdr" "$DRIVE_l2det" x
same "detached status without --header: cryptsetup's" \
	"dmboot crypt status x; echo rc=\$?" "cryptsetup status x; echo rc=\$?"
same "detached status with --header: cryptsetup's" \
	"dmboot crypt status --header $DRIVE_hdr x; echo rc=\$?" \
	"cryptsetup status --header $DRIVE_hdr x; echo rc=\$?"
same "detached status with another volume's header: cryptsetup's" \
	"dmboot crypt status --header $DRIVE_l2pb x; echo rc=\$?" \
	"cryptsetup status --header $DRIVE_l2pb x; echo rc=\$?"
check "detached status: close" dmboot crypt close x
no_dm_devices "detached status: nothing left"

no_dm_devices "nothing at the end"
no_key "no key at the end"
