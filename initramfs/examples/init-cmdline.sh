#!/bin/sh
# SPDX-License-Identifier: MIT
# /init for a busybox initramfs: dmboot reads the kernel command line
# (dm-mod.create=, dm-mod.waitfor=, dmboot.timeout=), loads
# /etc/dmboot/modules, waits and activates; the script mounts and
# switches itself, so it can do more in between.
#   file /init initramfs/examples/init-cmdline.sh 0755 0 0
#   file /bin/busybox /bin/busybox 0755 0 0   (static), /bin/dmboot
export PATH=/bin:/sbin
# Fails closed, as dmboot's own /init: dmboot.onfail= panic (the default:
# PID 1 exits), reboot, poweroff or halt. dmboot.onfail=shell opens a root
# shell for debugging, which hands the machine to whoever is at the
# console or controls the command line: never in production.
onfail=panic
fail() {
	echo "init: $*: not booting (dmboot.onfail=$onfail)" >&2
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
mount -t proc proc /proc || fail "mount /proc"
root='' fstype='' flags=ro
for w in $(cat /proc/cmdline); do
	case $w in
	dmboot.onfail=*) onfail=${w#dmboot.onfail=} ;;
	root=*) root=${w#root=} ;;
	rootfstype=*) fstype=${w#rootfstype=} ;;
	rw) flags=rw ;;
	esac
done
# "dmboot init" outside PID 1 mounts /sys /dev /run when missing, then
# activates and returns; it does not switch_root.
dmboot init || fail "dmboot init failed"
[ -n "$root" ] || fail "no root= on the kernel command line"
mkdir -p /newroot
mount ${fstype:+-t "$fstype"} -o "$flags" "$root" /newroot || fail "mount $root"
for m in dev proc sys run; do mount --move "/$m" "/newroot/$m" || fail "mount --move /$m"; done
# shellcheck disable=SC2093 # what follows runs only if exec failed
exec switch_root /newroot /sbin/init
fail "switch_root"
