#!/bin/sh
# SPDX-License-Identifier: MIT
# /init for a busybox initramfs that opens a verity root with dmboot's
# dmsetup commands, the table written into the image when it was built
# (only the root hash comes from the kernel command line: roothash=).
export PATH=/bin:/sbin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# A verified boot fails closed, as dmboot's own /init: no root that was
# not verified, no shell. dmboot.onfail= on the kernel command line picks
# how (panic, the default: PID 1 exits; reboot, poweroff, halt), and
# dmboot.onfail=shell opens a root shell for debugging, which hands the
# machine to whoever is at the console or controls the command line:
# never in production.
onfail=panic
for w in $(cat /proc/cmdline); do
	case $w in dmboot.onfail=*) onfail=${w#dmboot.onfail=} ;; esac
done
fail() {
	echo "init: $*: not booting an unverified root (dmboot.onfail=$onfail)" >&2
	case $onfail in
	shell)
		echo "init: UNSAFE debugging shell: nothing here is verified" >&2
		exec sh
		;;
	reboot) reboot -f ;;
	poweroff) poweroff -f ;;
	halt) halt -f ;;
	esac
	exit 1 # PID 1 exits: the kernel panics
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
for m in dev proc sys; do mount --move "/$m" "/newroot/$m" || fail "mount --move /$m"; done
# shellcheck disable=SC2093 # what follows runs only if exec failed
exec switch_root /newroot /sbin/init
fail "switch_root"
