#!/bin/sh
# SPDX-License-Identifier: MIT
# Proves the harness with Debian's own tools: linear, zero and verity
# devices made by dmsetup and veritysetup on the test kernel.
# drive: plain img_random 8M
# drive: vdata img_random 4M
# drive: vhash img_verity_hash vdata
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

check "dm control node exists" test -c /dev/mapper/control
check "dmsetup talks to the kernel" dmsetup version
no_dm_devices "no dm devices at start"

plain=$(majmin "$DRIVE_plain")
size=$(sectors "$DRIVE_plain")
check "linear: create" dmsetup create lin --table "0 $size linear $plain 0"
expect_out "linear: table" "0 $size linear $plain 0" dmsetup table lin
expect_out "linear: ls" "lin	($(dm_major):0)" dmsetup ls
expect_out "linear: reads the drive" "$plain_MD5" sh -c "md5sum <$(dm_node lin) | cut -d' ' -f1"

check "zero: create" dmsetup create z --table "0 2048 zero"
# dmsetup keeps the blank that separates the (here empty) parameters.
expect_out "zero: table" "0 2048 zero " dmsetup table z
same "zero: reads 1 MiB of zeros" "cat $(dm_node z) | md5sum" "head -c 1048576 /dev/zero | md5sum"
check "zero: remove" dmsetup remove z
check "linear: remove" dmsetup remove lin
no_dm_devices "no dm devices after remove"

check "verity: veritysetup open" \
	veritysetup open "$DRIVE_vdata" v "$DRIVE_vhash" "$vhash_ROOT_HASH"
expect_out "verity: device matches the data image" "$vdata_MD5" \
	sh -c "md5sum <$(dm_node v) | cut -d' ' -f1"
expect_out "verity: table" \
	"0 $(sectors "$DRIVE_vdata") verity 1 $(majmin "$DRIVE_vdata") $(majmin "$DRIVE_vhash") 4096 4096 $vhash_DATA_BLOCKS 1 $vhash_HASH_ALG $vhash_ROOT_HASH $vhash_SALT" \
	dmsetup table v
expect_out "verity: status is verified" "0 $(sectors "$DRIVE_vdata") verity V" dmsetup status v
check "verity: veritysetup close" veritysetup close v

check "verity: dmsetup create -r with the same table" dmsetup create -r v2 --table \
	"0 $(sectors "$DRIVE_vdata") verity 1 $(majmin "$DRIVE_vdata") $(majmin "$DRIVE_vhash") 4096 4096 $vhash_DATA_BLOCKS 1 $vhash_HASH_ALG $vhash_ROOT_HASH $vhash_SALT"
expect_out "verity: dmsetup-made device matches" "$vdata_MD5" \
	sh -c "md5sum <$(dm_node v2) | cut -d' ' -f1"
check "verity: dmsetup remove" dmsetup remove v2
bad=$(echo "$vhash_ROOT_HASH" | tr 0-9a-f 1-9a-f0)
check_fail "verity: a wrong root hash fails verification" \
	veritysetup verify "$DRIVE_vdata" "$DRIVE_vhash" "$bad"

check "dmesg is readable" sh -c "dmesg | grep -q 'device-mapper: ioctl'"
no_dm_devices "no dm devices at the end"
