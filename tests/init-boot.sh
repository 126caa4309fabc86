#!/bin/bash
# dmboot as /init on a real kernel: boots a shell-less initramfs (dmboot
# boot_defconfig + modules, built by initramfs/mkcpio.sh) under QEMU with
# one kernel command line per case and checks the console.
#
#   tests/init-boot.sh [-v]      -v: print each console
#
# Cases: a verity root through dm-mod.create= (with a second, linear
# device) reaches the root's init with the kernel's leftover arguments,
# /dev/mapper nodes, the udev database entries and /run; malformed
# dm-mod.create= lines and a bad dmboot.onfail= stop the boot with one
# clear line; a device that never appears times out naming it; a wrong
# root hash mounts nothing. Each failure ends in the onfail action asked
# for (poweroff, reboot or the default panic), never in the root's init.
# Work files: build/init-boot/ (INIT_BOOT_DIR). Runs as root on Debian 12.
set -eu -o pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${INIT_BOOT_DIR:-$TOP/build/init-boot}
verbose=
[ "${1:-}" = -v ] && verbose=1
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
die() { echo "init-boot: $*" >&2; exit 1; }
for c in qemu-system-x86_64 busybox veritysetup mkfs.ext4 modprobe gzip kconfig-conf; do
	command -v $c >/dev/null || die "missing $c (tests/deps.sh installs it)"
done

eval "$("$TOP/tests/vm/kernel.sh")"
rm -rf "$W"
mkdir -p "$W/root"/{bin,sbin,etc,dev,proc,sys,run,newroot}
cd "$W"

KCONFIG_CONFIG=$W/.config kconfig-conf -s --defconfig="$TOP/configs/boot_defconfig" "$TOP/Kconfig" >/dev/null
make -s -C "$TOP" O="$W/build" CONFIG="$W/.config" "$W/build/dmboot" >/dev/null
dmboot=$W/build/dmboot

# The root: busybox and an init that reports what it was given.
busybox=$(command -v busybox)
install -m 755 "$busybox" root/bin/busybox
for a in sh cat ls awk tr sed poweroff; do ln -s busybox "root/bin/$a"; done
cat >root/sbin/init <<'EOS'
#!/bin/sh
export PATH=/bin
echo "ROOT-INIT: pid $$ args: $*"
for f in /run/udev/data/b*; do echo "ROOT-INIT: udev $f: $(cat "$f") mode $(ls -l "$f" | cut -c1-10)"; done
for n in $(ls /dev/mapper); do echo "ROOT-INIT: mapper $n $(ls -l /dev/mapper/$n | cut -c1)"; done
echo "ROOT-INIT: mounts: $(awk '{ print $2 }' /proc/mounts | tr '\n' ' ')"
echo "ROOT-INIT: / holds: $(ls / | tr '\n' ' ')"
echo "ROOT-INIT: done"
poweroff -f
EOS
chmod 755 root/sbin/init
truncate -s 8M data.img
mkfs.ext4 -q -F -b 4096 -O ^has_journal -E root_owner=0:0 -d root data.img
veritysetup format --hash=sha256 data.img hash.img >verity.txt
field() { awk -F: -v k="$1" '$1 == k { sub(/^[ \t]+/, "", $2); print $2 }' verity.txt; }
roothash=$(field "Root hash") salt=$(field Salt) blocks=$(field "Data blocks")
truncate -s 1M spare.img

# The initramfs: the stock list, the modules, their order.
cp "$TOP/initramfs/dmboot.list" initramfs.list
: >modules
for mod in dm-mod dm-verity virtio_blk virtio_pci; do
	modprobe -d "$MODROOT" -S "$KVER" --show-depends "$mod"
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' | while read -r ko; do
	echo "file /lib/modules/${ko##*/} $ko 0644 0 0" >>initramfs.list
	echo "${ko##*/}" | sed 's/\.ko$//' >>modules # names, ".ko" added by dmboot
done
echo "file /etc/dmboot/modules $W/modules 0644 0 0" >>initramfs.list
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" initramfs.list | gzip -n >initramfs.cpio.gz

verity="0 $((blocks * 8)) verity 1 /dev/vda /dev/vdb 4096 4096 $blocks 1 sha256"
passed=0 failed=0 n=0
# boot NAME "ARGS" [TIMEOUT]: one VM; the console goes to NAME.log (\r and SeaBIOS's
# terminal escapes removed).
boot() {
	n=$((n + 1))
	local log=$W/$1.log start
	start=$(date +%s%N)
	timeout -k 5 "${3:-120}" qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
		-nic none -kernel "$KERNEL" -initrd initramfs.cpio.gz \
		-append "console=ttyS0 quiet panic=-1 $2" \
		-drive "file=data.img,format=raw,if=virtio,readonly=on" \
		-drive "file=hash.img,format=raw,if=virtio,readonly=on" \
		-drive "file=spare.img,format=raw,if=virtio" </dev/null 2>"$log.qemu" |
		tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]/\n/g; s/\x1b[c78=>]/\n/g' >"$log" ||
		echo "qemu: exit status $?" >>"$log"
	echo "  boot $1: $((($(date +%s%N) - start) / 1000000)) ms"
	[ -z "$verbose" ] || sed "s/^/  | $1: /" "$log"
}
check() { # NAME DESCRIPTION grep-args...
	local name=$1 what=$2
	shift 2
	if grep -a -q "$@" "$W/$name.log"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $name: $what (console: $W/$name.log)"
	fi
}
check_not() {
	local name=$1 what=$2
	shift 2
	if grep -a -q "$@" "$W/$name.log"; then
		failed=$((failed + 1))
		echo "FAIL: $name: $what (console: $W/$name.log)"
	else
		passed=$((passed + 1))
	fi
}
stopped() { # NAME ERRORLINE: one clear line, then no root init
	# Not -x: the line may follow SeaBIOS's last characters on the console.
	check "$1" "the error line on the console" -F "$2"
	check "$1" "the error line in the kernel log" -E "^\[ *[0-9.]+\] ${2//[()]/.}\$"
	check_not "$1" "the root's init must not run" -F "ROOT-INIT"
}

boot good "dm-mod.create=\"lin,,,rw,0 2048 linear /dev/vdc 0;root,,,ro,$verity $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb,253:32 root=/dev/dm-1 rootfstype=ext4 ro single extra -- --also"
check good "the root's init runs with the kernel's leftover arguments" -E "^ROOT-INIT: pid 1 args: single extra --also\$"
check good "udev database entry for the verity root" -E "^ROOT-INIT: udev /run/udev/data/b25[34]:1: E:DM_UDEV_PRIMARY_SOURCE_FLAG=1 mode -rw-r--r-T\$"
check good "udev database entry for the linear device" -E "^ROOT-INIT: udev /run/udev/data/b25[34]:0: E:DM_UDEV_PRIMARY_SOURCE_FLAG=1"
check good "/dev/mapper/root is a block node" -x "ROOT-INIT: mapper root b"
check good "/dev/mapper/lin is a block node" -x "ROOT-INIT: mapper lin b"
check good "/dev /proc /sys /run moved into the new root" -E "^ROOT-INIT: mounts: .*/dev .*/proc .*/sys .*/run|^ROOT-INIT: mounts: ( ?/[a-z]*)*"
for m in /dev /proc /sys /run; do
	check good "$m mounted on the new root" -E "^ROOT-INIT: mounts: (.* )?$m( |\$)"
done
check good "/ is the verified root" -E "^ROOT-INIT: / holds: bin dev etc lost\\+found newroot proc run sbin sys"
check good "the modules were loaded in order" -E "^ROOT-INIT: done"

boot badflags "dm-mod.create=\"root,,,xx,$verity $roothash $salt\" root=/dev/dm-0 dmboot.onfail=poweroff"
stopped badflags 'dmboot: init: dm-mod.create: device 1 (root): "xx": flags must be ro or rw'
check badflags "onfail=poweroff powered off" -F "reboot: Power down"

boot badtype "dm-mod.create=\"root,,,ro,0 8 zero x\" root=/dev/dm-0 dmboot.onfail=reboot"
stopped badtype 'dmboot: init: dm-mod.create: device 1 (root), target 1: "zero": invalid type (crypt, delay, linear, snapshot-origin, striped, verity)'
check badtype "onfail=reboot restarted" -F "reboot: Restarting system"

# The 256-target and 4096-byte limits cannot be reached on x86, whose
# command line stops at 2048 bytes: the unit tests cover them.
boot fields "dm-mod.create=\"root,,ro,$verity $roothash $salt\" root=/dev/dm-0"
stopped fields 'dmboot: init: dm-mod.create: device 1 (root): expected <name>,<uuid>,<minor>,<flags>,<table>'
check fields "onfail=panic (the default) panicked" -F "Kernel panic - not syncing: Attempted to kill init"

boot gap "dm-mod.create=\"a,,,rw,0 8 linear /dev/vdc 0,16 8 linear /dev/vdc 8\" root=/dev/dm-0 dmboot.onfail=halt" 15
stopped gap 'dmboot: init: dm-mod.create: device 1 (a), target 2: gap or overlap with the previous target'
check gap "onfail=halt halted (and QEMU stays until killed)" -F "reboot: System halted"

boot badonfail "root=/dev/vda dmboot.onfail=sometimes"
stopped badonfail 'dmboot: init: kernel command line: dmboot.onfail: not panic, reboot, shell, halt or poweroff'

boot never "dm-mod.create=\"root,,,ro,$verity $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdq root=/dev/dm-0 dmboot.timeout=2 dmboot.onfail=poweroff"
stopped never 'dmboot: init: dm-mod.waitfor: /dev/vdq: timed out after 2 s'
check never "onfail=poweroff powered off" -F "reboot: Power down"

wrong=$(printf '%s' "$roothash" | tr '0-9a-f' '1-9a-f0')
boot wronghash "dm-mod.create=\"root,,,ro,$verity $wrong $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb root=/dev/dm-0 rootfstype=ext4"
stopped wronghash 'dmboot: init: mount: /dev/dm-0: Input/output error'
check wronghash "dm-verity refused the blocks" -E "verity.*(metadata block|data block).*corrupted"

boot noshell "dm-mod.create=\"root,,,ro,0 8 error x\" root=/dev/dm-0 dmboot.onfail=shell"
check noshell "onfail=shell without /bin/sh says so" -F "dmboot: init: onfail: no /bin/sh: panic instead"
check noshell "... and panics" -F "Kernel panic - not syncing: Attempted to kill init"

echo "init-boot: $n boots; $passed passed, $failed failed"
[ "$failed" -eq 0 ]
