#!/bin/sh
# SPDX-License-Identifier: MIT
# The builds with size budgets, against the real kernel: verity_defconfig
# (/bin/dmboot-verity) opens what veritysetup opens, with the same table,
# UUID and contents, and refuses what it was built without; tiny_defconfig
# (/bin/dmboot-tiny) creates, loads, resumes, reports and removes;
# boot_defconfig (/bin/dmboot-boot) opens plain dm-crypt as cryptsetup
# does and gives the short status of both kinds.
# drive: d1 img_random 4M
# drive: h1 img_verity_hash d1
# drive: app img_verity_appended 4M
# drive: plain img_random 8M
# drive: cdisk img_zero 4M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

V=/bin/dmboot-verity
T=/bin/dmboot-tiny

no_dm_devices "nothing at start"

# ---- verity_defconfig ----
# small LABEL MD5 DATA HASH ROOT [options]: veritysetup's device, then
# dmboot-verity's under the same name.
small() {
	label=$1 md5=$2 data=$3 hash=$4 root=$5
	shift 5
	veritysetup_ref "$label" "$data" "$hash" "$root" "$@" || return
	check "$label: verity close on veritysetup's device" $V verity close vs
	no_dm_devices "$label: nothing left"
	check "$label: verity open" $V verity open "$@" "$data" vs "$hash" "$root"
	same "$label: table and UUID equal veritysetup's" "the_table vs" "cat /tmp/t.veritysetup"
	same "$label: short status is veritysetup's first line" \
		"$V verity status vs" "head -n 1 /tmp/s.veritysetup"
	check "$label: /dev/mapper node made" test -b /dev/mapper/vs
	expect_out "$label: contents are the image's" "$md5" \
		sh -c "md5sum </dev/mapper/vs | cut -d' ' -f1"
	check "$label: veritysetup close on its device" veritysetup close vs
	no_dm_devices "$label: nothing left after"
}

small "sha256" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH"
small "hash appended" "$app_MD5" "$DRIVE_app" "$DRIVE_app" "$app_ROOT_HASH" \
	--hash-offset "$app_OFFSET"
small "options" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" \
	--panic-on-corruption --ignore-zero-blocks --check-at-most-once

same "status of a missing device" "$V verity status nonexist; echo rc=\$?" \
	"veritysetup status nonexist; echo rc=\$?"
expect_rc "close of a missing device: exit 4" 4 $V verity close nonexist

# The root-hash check: a wrong root hash is refused in one line and leaves
# nothing; --no-root-hash-check activates it as veritysetup does, and
# reads fail.
BAD=$(echo "$h1_ROOT_HASH" | tr 0-9a-f 1-9a-f0)
one_line "wrong root hash: one clear line" '^dmboot: verity: bad: root hash does not match' \
	$V verity open "$DRIVE_d1" bad "$DRIVE_h1" "$BAD"
no_dm_devices "wrong root hash: no device"
check "--no-root-hash-check activates it, as veritysetup" \
	$V verity open --no-root-hash-check "$DRIVE_d1" bad "$DRIVE_h1" "$BAD"
check_fail "and reads fail" dd if=/dev/mapper/bad of=/dev/null bs=4096 count=1
check "close it" $V verity close bad
check_fail "root hash of the wrong size" $V verity open "$DRIVE_d1" bad "$DRIVE_h1" abcd
check_fail "no superblock on the data drive" $V verity open "$DRIVE_d1" bad "$DRIVE_d1" "$h1_ROOT_HASH"

# not_built LABEL OPTION...: one clear line, exit 1, nothing made.
not_built() {
	label=$1
	shift
	one_line -1 "$label: refused in one line" 'not built into this dmboot' \
		$V verity open "$@" "$DRIVE_d1" nb "$DRIVE_h1" "$h1_ROOT_HASH"
}
not_built "FEC" --fec-device "$DRIVE_h1"
not_built "signature" --root-hash-signature /dev/null
not_built "no superblock" --no-superblock --salt -
expect_rc "verify is not built in" 1 $V verity verify "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH"
expect_rc "create is not built in" 1 $V create x --table "0 8 zero"
no_dm_devices "refusals left nothing"

# ---- tiny_defconfig ----
plain=$(majmin "$DRIVE_plain")
size=$(sectors "$DRIVE_plain")
check "tiny: create" $T create lin --table "0 $size linear $plain 0"
expect_out "tiny: the kernel's table" "0 $size linear $plain 0" dmsetup table lin
check "tiny: /dev/mapper node made" test -b /dev/mapper/lin
expect_out "tiny: reads the drive" "$plain_MD5" sh -c "md5sum </dev/mapper/lin | cut -d' ' -f1"
same "tiny: info equals dmsetup's" "$T info lin" "dmsetup info lin"
check "tiny: load a second table" $T load lin --table "0 2048 zero"
check "tiny: resume it" $T resume lin
expect_out "tiny: the new table is live" "0 2048 zero " dmsetup table lin
check "tiny: remove" $T remove lin
check_fail "tiny: node gone" test -e /dev/mapper/lin
expect_out "tiny: version names the driver" \
	"$(dmsetup version | sed -n 's/^Driver version: *//p')" \
	sh -c "$T version | sed -n 's/^Driver version: *//p'"

# ---- boot_defconfig: the short status forms ----
B=/bin/dmboot-boot
K=/tmp/key
head -c 64 /dev/urandom >$K
COPTS="--type plain --cipher aes-xts-plain64 --key-size 512 --key-file $K"
head -c 1048576 /dev/urandom >/tmp/plain
check "boot: crypt open" $B crypt open $COPTS "$DRIVE_cdisk" c
check "boot: write through it" dd if=/tmp/plain of=/dev/mapper/c bs=65536 conv=fsync
same "boot: crypt status is cryptsetup's first line" "$B crypt status c; echo rc=\$?" \
	"cryptsetup status c | head -n 1; echo rc=0"
exec 7</dev/mapper/c
same "boot: in use" "$B crypt status c" "cryptsetup status c | head -n 1"
exec 7<&-
check "boot: crypt close" $B crypt close c
same "boot: crypt status of a missing device" "$B crypt status c; echo rc=\$?" \
	"cryptsetup status c; echo rc=\$?"
check "cryptsetup opens it with the same key" cryptsetup open $COPTS "$DRIVE_cdisk" cs
same "and reads back what went through dmboot" "md5sum </tmp/plain" \
	"head -c 1048576 $(dm_node cs 2>/dev/null || echo /dev/mapper/cs) | md5sum"
check "cryptsetup close" cryptsetup close cs
check "boot: verity open" $B verity open "$DRIVE_d1" v "$DRIVE_h1" "$h1_ROOT_HASH"
same "boot: verity status is veritysetup's first line" "$B verity status v" \
	"veritysetup status v | head -n 1"
check "boot: verity close" $B verity close v
# A /init has no use for the plans --dry-run prints (DRY_RUN).
expect_out "boot: init --dry-run is refused in one line" \
	"dmboot: init: --dry-run is not built into this dmboot rc=1" \
	sh -c "out=\$($B init --dry-run --cmdline root=/dev/vda 2>&1); echo \"\$out rc=\$?\""
no_dm_devices "nothing at the end"
