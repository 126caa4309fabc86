#!/bin/sh
# /init for a busybox initramfs that keeps a shell: dmboot reads the
# kernel command line (dm-mod.create=, dm-mod.waitfor=, dmboot.timeout=),
# loads /etc/dmboot/modules, waits and activates; the script mounts and
# switches itself, so it can do more in between.
#   file /init initramfs/examples/init-cmdline.sh 0755 0 0
#   file /bin/busybox /bin/busybox 0755 0 0   (static), /bin/dmboot
export PATH=/bin:/sbin
fail() {
	echo "init: $*" >&2
	exec sh # a shell to look around; "reboot -f" when done
}
# "dmboot init" outside PID 1 mounts /proc /sys /dev /run when missing,
# then activates and returns; it does not switch_root.
dmboot init || fail "dmboot init failed"
root= fstype= flags=ro
for w in $(cat /proc/cmdline); do
	case $w in
	root=*) root=${w#root=} ;;
	rootfstype=*) fstype=${w#rootfstype=} ;;
	rw) flags=rw ;;
	esac
done
[ -n "$root" ] || fail "no root= on the kernel command line"
mkdir -p /newroot
mount ${fstype:+-t "$fstype"} -o "$flags" "$root" /newroot || fail "mount $root"
for m in dev proc sys run; do mount --move "/$m" "/newroot/$m"; done
exec switch_root /newroot /sbin/init
