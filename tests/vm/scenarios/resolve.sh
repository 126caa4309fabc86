#!/bin/sh
# SPDX-License-Identifier: MIT
# dmboot findfs against the kernel's view of real partition tables and
# file systems: sysfs (PARTNAME, partition numbers), busybox findfs
# (UUID=, LABEL=) and the values util-linux printed on the host.
# drive: gpt img_gpt 16M
# drive: mbr img_mbr 8M 0a1b2c3d
# drive: ext img_ext4_id 8M extlabel 8C0A6F8E-1F0E-4B3A-9D2E-6A0C5B4F3E21
# drive: ero img_erofs 3d8f5b1a-0c2e-4f6a-8b9d-1e2f3a4b5c6d erolabel
# drive: vdata img_random 1M
# drive: vhash img_verity_hash vdata
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

EXT_UUID=8c0a6f8e-1f0e-4b3a-9d2e-6a0c5b4f3e21
ERO_UUID=3d8f5b1a-0c2e-4f6a-8b9d-1e2f3a4b5c6d
G=$DRIVE_gpt M=$DRIVE_mbr

# found SPEC DEVICE: dmboot findfs prints DEVICE.
found() { expect_out "findfs $1" "$2" dmboot findfs "$1"; }
# like_busybox SPEC: dmboot and busybox findfs agree (stdout, status).
like_busybox() { same "findfs $1 as busybox's" "dmboot findfs '$1'" "busybox findfs '$1'"; }
upper() { echo "$1" | tr a-f A-F; }

# GPT: the kernel's partitions and their numbers, names from sysfs.
expect_out "kernel sees gpt partitions 1 3 4" "1 3 4 " sh -c \
	"cat /sys/class/block/${G#/dev/}[0-9]*/partition | tr '\n' ' '; echo"
for n in 1 3 4; do
	eval "pu=\$gpt_PARTUUID_$n"
	found "PARTUUID=$pu" "$G$n"
	found "PARTUUID=$(upper "$pu")" "$G$n"
	name=$(sed -n 's/^PARTNAME=//p' "/sys/class/block/${G#/dev/}$n/uevent")
	found "PARTLABEL=$name" "$G$n"
done
expect_out "gpt names as written" "root esp hash-a " sh -c \
	"for n in 1 3 4; do sed -n 's/^PARTNAME=//p' /sys/class/block/${G#/dev/}\$n/uevent; done | tr '\n' ' '; echo"
found "UUID=$gpt_FS_UUID" "${G}1"
found "LABEL=gptroot" "${G}1"
like_busybox "LABEL=gptroot"
like_busybox "UUID=$gpt_FS_UUID"

# MBR: SSSSSSSS-PP, the numbering the kernel gives.
found "PARTUUID=${mbr_DISKID}-01" "${M}1"
found "PARTUUID=${mbr_DISKID}-03" "${M}3"
found "PARTUUID=$(upper "$mbr_DISKID")-03" "${M}3"
expect_rc "MBR: no partition 2" 1 dmboot findfs "PARTUUID=${mbr_DISKID}-02"

# File systems and the verity hash device.
found "UUID=$EXT_UUID" "$DRIVE_ext"
found "UUID=$(upper "$EXT_UUID")" "$DRIVE_ext"
found "LABEL=extlabel" "$DRIVE_ext"
like_busybox "UUID=$EXT_UUID"
like_busybox "LABEL=extlabel"
found "UUID=$ERO_UUID" "$DRIVE_ero"
found "LABEL=erolabel" "$DRIVE_ero"
like_busybox "UUID=$ERO_UUID"
like_busybox "LABEL=erolabel"
found "UUID=$vhash_UUID" "$DRIVE_vhash"

# Numbers and paths.
found "$(majmin "${G}3")" "${G}3"
found "$(majmin "$DRIVE_ext")" "$DRIVE_ext"
found "$DRIVE_ero" "$DRIVE_ero"
found "${M}3" "${M}3"

# What is not there fails, one line, exit 1, as busybox's findfs does.
# fails SPEC MESSAGE: stdout empty, MESSAGE on stderr, exit 1.
fails() {
	expect_out "findfs $1 fails: $2" "dmboot: findfs: $1: $2
exit 1" sh -c "dmboot findfs '$1' 2>&1; echo \"exit \$?\""
}
like_busybox "LABEL=nosuchlabel"
like_busybox "UUID=00000000-1111-2222-3333-444444444444"
for spec in PARTUUID=00000000-1111-2222-3333-444444444444 PARTLABEL=nosuch \
	LABEL=nosuchlabel UUID=$EXT_UUID-0 254:200 /dev/nosuch; do
	fails "$spec" "not found"
done
fails /dev/null "Block device required"
fails WHAT=x "not a device name"
fails PARTUUID= "not a device name"

# A name two devices carry is refused, every match named: a copy of a
# disk on a loop device has its file system's UUID and LABEL and its
# partitions' PARTUUID and PARTLABEL. busybox's findfs takes the first.
modprobe loop 2>/dev/null
# ambiguous SPEC NAME...: findfs SPEC fails, one line naming each NAME.
ambiguous() {
	_spec=$1
	shift
	for _n in "$@"; do
		one_line "findfs $_spec on two disks: refused, $_n named" \
			"^dmboot: findfs: $_spec matches.* ${_n}[,:].*refusing an ambiguous device\$" \
			dmboot findfs "$_spec"
	done
}
dd if="$DRIVE_ext" of=/tmp/dup-ext.img bs=1M status=none
dd if="$G" of=/tmp/dup-gpt.img bs=1M status=none
LE=$(losetup -f)
losetup -r "$LE" /tmp/dup-ext.img
LG=$(losetup -f)
losetup -r -P "$LG" /tmp/dup-gpt.img
ambiguous "UUID=$EXT_UUID" "${DRIVE_ext#/dev/}" "${LE#/dev/}"
ambiguous "LABEL=extlabel" "${DRIVE_ext#/dev/}" "${LE#/dev/}"
ambiguous "PARTUUID=$gpt_PARTUUID_1" "${G#/dev/}1" "${LG#/dev/}p1"
ambiguous "PARTLABEL=root" "${G#/dev/}1" "${LG#/dev/}p1"
# A dm device on the disk shows its file system too, and holds the disk:
# findfs takes the dm device when it is the only match not held and holds
# the others; the copy still makes it ambiguous.
dmsetup create held --table "0 $(sectors "$DRIVE_ext") linear $DRIVE_ext 0"
HD=$(dm_node held)
ambiguous "UUID=$EXT_UUID" "${DRIVE_ext#/dev/}" "${LE#/dev/}" "${HD#/dev/}"
losetup -d "$LE"
losetup -d "$LG"
found "UUID=$EXT_UUID" "$HD"
found "LABEL=extlabel" "$HD"
found "PARTLABEL=root" "${G}1"
dmsetup remove held
found "UUID=$EXT_UUID" "$DRIVE_ext"
rm -f /tmp/dup-ext.img /tmp/dup-gpt.img
no_loops "no loop device left after the ambiguity cases"
