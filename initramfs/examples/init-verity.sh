#!/bin/sh
# /init for a busybox initramfs that opens a verity root with dmboot's
# dmsetup commands, the table written into the image when it was built
# (only the root hash comes from the kernel command line: roothash=).
export PATH=/bin:/sbin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
fail() {
	echo "init: $*" >&2
	exec sh
}
for ko in $(cat /etc/modules.order 2>/dev/null); do
	insmod "/lib/modules/$ko" || fail "insmod $ko"
done
i=0
until [ -b /dev/vda ] && [ -b /dev/vdb ]; do
	[ $i -lt 100 ] || fail "no /dev/vda or /dev/vdb after 10 s"
	sleep 0.1
	i=$((i + 1))
done
. /etc/verity.conf # DATA_BLOCKS=... SALT=...
for w in $(cat /proc/cmdline); do
	case $w in roothash=*) roothash=${w#roothash=} ;; esac
done
[ -n "$roothash" ] || fail "no roothash= on the kernel command line"
dmboot create -r root --table "0 $((DATA_BLOCKS * 8)) verity 1 /dev/vda /dev/vdb 4096 4096 $DATA_BLOCKS 1 sha256 $roothash $SALT" ||
	fail "dmboot create"
mkdir -p /newroot
mount -o ro /dev/mapper/root /newroot || fail "mount /dev/mapper/root"
for m in dev proc sys; do mount --move "/$m" "/newroot/$m"; done
exec switch_root /newroot /sbin/init
