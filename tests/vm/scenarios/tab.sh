#!/bin/sh
# dmboot tab: veritytab and crypttab lines activated through the verity
# and crypt commands, devices named by path and by UUID=, active devices
# and noauto lines skipped, nofail honoured, unsupported options named.
# Needs /bin/dmboot.
# drive: d1 img_random 2M
# drive: h1 img_verity_hash d1
# drive: d2 img_random 1M
# drive: h2 img_verity_hash d2 --data-block-size 1024
# drive: c1 img_zero 2M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

mkdir -p /etc
head -c 32 /dev/urandom >/tmp/key
cat >/etc/veritytab <<EOF
# name data hash roothash options
root1 $DRIVE_d1 $DRIVE_h1 $h1_ROOT_HASH
root2 $DRIVE_d2 UUID=$h2_UUID $h2_ROOT_HASH ignore-zero-blocks,check-at-most-once
later $DRIVE_d1 $DRIVE_h1 $h1_ROOT_HASH noauto
EOF
cat >/etc/crypttab <<EOF
cr1 $DRIVE_c1 /tmp/key plain,cipher=aes-xts-plain64,size=256,sector-size=4096
EOF

# The tables dmboot would load, then the ones veritysetup makes.
check "dry run prints the verity tables" sh -c "dmboot tab --dry-run /etc/veritytab >/tmp/dry"
no_dm_devices "dry run created nothing"
veritysetup open "$DRIVE_d1" root1 "$DRIVE_h1" "$h1_ROOT_HASH"
veritysetup open --ignore-zero-blocks --check-at-most-once "$DRIVE_d2" root2 "$DRIVE_h2" "$h2_ROOT_HASH"
dmsetup table >/tmp/want
veritysetup close root1
veritysetup close root2
same "dry run = veritysetup's tables" "cat /tmp/dry" "cat /tmp/want"

check "tab activates the veritytab" dmboot tab /etc/veritytab
same "the same tables as veritysetup's" "dmsetup table" "cat /tmp/want"
expect_out "root2 reads its image" "$d2_MD5" sh -c "md5sum </dev/mapper/root2 | cut -d' ' -f1"
check_fail "noauto line not activated" dmsetup info later
expect_out "a second run skips active devices" "root1: active, skipped
root2: active, skipped" dmboot tab /etc/veritytab
check "veritysetup closes them" sh -c "veritysetup close root1 && veritysetup close root2"

check "tab activates the crypttab" dmboot tab /etc/crypttab
check "cryptsetup sees it" cryptsetup status cr1
expect_out "keyring reference in the table, not the key" "1" sh -c "dmsetup table --showkeys cr1 | grep -c ':32:logon:'"
check "default files: /etc/veritytab and /etc/crypttab" sh -c "dmboot remove cr1 && dmboot tab && dmsetup info root1 >/dev/null && dmsetup info cr1 >/dev/null"
dm_cleanup
no_dm_devices "clean"

printf 'bad %s %s %s frobnicate\n' "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" >/tmp/bad.veritytab
expect_rc "unsupported option: exit 1" 1 dmboot tab /tmp/bad.veritytab
dmboot tab /tmp/bad.veritytab 2>/tmp/bad.err
expect_out "unsupported option: one line naming it" "1" sh -c "grep -c 'unsupported option frobnicate' /tmp/bad.err"
expect_out "unsupported option: only one line" "1" sh -c "wc -l </tmp/bad.err"
no_dm_devices "unsupported option: nothing created"

printf 'c2 %s /tmp/key luks\n' "$DRIVE_c1" >/tmp/luks.crypttab
expect_rc "luks lines refused" 1 dmboot tab /tmp/luks.crypttab
printf 'gone %s UUID=00000000-0000-0000-0000-000000000000 %s nofail\nroot1 %s %s %s\n' \
	"$DRIVE_d1" "$h1_ROOT_HASH" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" >/tmp/nofail.veritytab
check "a nofail line that fails does not fail the run" dmboot tab /tmp/nofail.veritytab
check "and the next line is active" dmsetup info root1
bad=$(echo "$h1_ROOT_HASH" | tr 0-9a-f 1-9a-f0)
printf 'wrong %s %s %s\n' "$DRIVE_d1" "$DRIVE_h1" "$bad" >/tmp/wrong.veritytab
expect_rc "wrong root hash: exit non-zero" 1 sh -c "dmboot tab /tmp/wrong.veritytab; [ \$? -ne 0 ] && exit 1"
check_fail "wrong root hash: no device" dmsetup info wrong
printf 'x %s %s\n' "$DRIVE_d1" "$DRIVE_h1" >/tmp/short.veritytab
expect_rc "a line with fields missing" 1 dmboot tab /tmp/short.veritytab
expect_rc "a file of unknown kind" 1 dmboot tab /tmp/key
dm_cleanup
no_dm_devices "nothing left"
