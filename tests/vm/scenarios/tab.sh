#!/bin/sh
# SPDX-License-Identifier: MIT
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

# A dry run changes nothing (issue #12 item 3C): image files get no loop
# device, a key file's key goes to no keyring and is not printed (6.1's
# dm-crypt takes keyring keys: the table names the reference a run would
# load; before 1.18.1 it shows the key as '0's, see test-tab.c).
dd if="$DRIVE_d1" of=/tmp/d1.img bs=1M 2>/dev/null
dd if="$DRIVE_h1" of=/tmp/h1.img bs=1M 2>/dev/null
dd if=/dev/zero of=/tmp/c.img bs=1M count=1 2>/dev/null
head -c 64 /dev/urandom >/tmp/imgkey
printf 'vimg /tmp/d1.img /tmp/h1.img %s\n' "$h1_ROOT_HASH" >/tmp/img.veritytab
printf 'cimg /tmp/c.img /tmp/imgkey plain,cipher=aes-xts-plain64,size=512\n' >/tmp/img.crypttab
keyctl show @u >/tmp/keys.before 2>&1
keyctl show @s >>/tmp/keys.before 2>&1
check "dry run of image files and a key file" sh -c \
	"strace -f -o /tmp/dry.st -e trace=add_key,ioctl dmboot tab --dry-run /tmp/img.crypttab /tmp/img.veritytab >/tmp/dryimg"
expect_out "dry run: a table per line" "2" sh -c "wc -l </tmp/dryimg"
expect_out "dry run: no loop device bound" "" losetup -a
expect_out "dry run: no loop ioctl, no add_key" "0" sh -c "grep -c 'add_key\|LOOP_' /tmp/dry.st || true"
same "dry run: no key in @u or @s" "keyctl show @u; keyctl show @s" "cat /tmp/keys.before"
no_dm_devices "dry run: no dm device"
expect_out "dry run: the key is not printed" "0" sh -c \
	"grep -c \"\$(od -An -tx1 /tmp/imgkey | tr -d ' \n')\" /tmp/dryimg || true"
expect_out "dry run: the crypt key word is a keyring reference or 128 zeros" "1" sh -c \
	"awk '\$4 == \"crypt\" { print \$6 }' /tmp/dryimg | grep -c '^:64:logon:\|^0\{128\}\$'"
check "the real run then loads that table" sh -c \
	"dmboot tab /tmp/img.crypttab && dmsetup table --showkeys cimg | grep -q \"\$(awk '\$4 == \"crypt\" { print \$6 }' /tmp/dryimg)\""
dm_cleanup
rm -f /tmp/d1.img /tmp/h1.img /tmp/c.img

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
