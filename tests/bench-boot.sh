#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot benchmark: dmboot's shell-less initramfs against a busybox +
# veritysetup initramfs opening the same dm-verity root, in the same run.
#
#   tests/bench-boot.sh [N]      N boots of each (default 5), interleaved
#
# The root (busybox, ext4, hashed by veritysetup format on this machine)
# and the kernel (tests/vm/kernel.sh) are the same for both:
#
#   dmboot     /init is dmboot (boot_defconfig), built as tests/demo.sh
#              builds it: initramfs/dmboot.list, the dm-mod, dm-verity,
#              virtio_blk and virtio_pci modules, /etc/dmboot/modules; the
#              command line says dm-mod.create= with the whole table.
#   busybox    /init is a busybox script: insmod the same modules, wait for
#              /dev/vda and /dev/vdb, `veritysetup open /dev/vda root
#              /dev/vdb ROOTHASH` (Debian's veritysetup, its shared
#              libraries from ldd and the loader; superblock read, no
#              udev), mount, switch_root.
#
# The root's /sbin/init writes a line to /dev/kmsg first thing and prints
# the kernel's timestamps of "Run /init as init process" and of that line:
# the time to the root's init is the latter (kernel clock, from boot), the
# initramfs's share the difference. Sizes are of the gzip -9'd newc
# archives, with and without the modules. Prints a Markdown section for
# docs/BENCHMARKS.md (also in build/bench-boot/section.md).
# Not part of `make test`. Runs as root on Debian 12 (tests/deps.sh).
# Work files: build/bench-boot/ (BENCH_BOOT_DIR). DMBOOT=path: that /init.
set -eu -o pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${BENCH_BOOT_DIR:-$TOP/build/bench-boot}
N=${1:-5}
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
die() { echo "bench-boot: $*" >&2; exit 1; }
say() { echo "bench-boot: $*" >&2; }
for c in qemu-system-x86_64 busybox veritysetup mkfs.ext4 modprobe gzip kconfig-conf cpio ldd; do
	command -v $c >/dev/null || die "missing $c (tests/deps.sh installs it)"
done
busybox=$(command -v busybox)
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is dynamic (install busybox-static)"
t0=$(date +%s)

eval "$("$TOP/tests/vm/kernel.sh")"
. "$TOP/tests/vm/verity-root.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W"
if [ -n "${DMBOOT:-}" ]; then
	dmboot=$(readlink -f "$DMBOOT")
else
	make -s -C "$TOP" CONFIG="$W/boot/.config" boot_defconfig
	make -s -C "$TOP" O="$W/boot" CONFIG="$W/boot/.config" "$W/boot/dmboot" >/dev/null
	dmboot=$W/boot/dmboot
fi
ldd "$dmboot" >/dev/null 2>&1 && die "$dmboot is not static"

# ---- the root ---------------------------------------------------------------
mkdir -p root/{bin,sbin,etc,dev,proc,sys,run,newroot}
install -m 755 "$busybox" root/bin/busybox
for a in sh cat grep dmesg poweroff awk; do ln -s busybox "root/bin/$a"; done
cat >root/sbin/init <<'EOF'
#!/bin/sh
export PATH=/bin
echo "<6>BENCH-ROOT-INIT" >/dev/kmsg
dmesg | awk -F'[][]' '/Run \/init as init process|BENCH-ROOT-INIT/ { gsub(/ /, "", $2); print "BENCH:", $2, $3 }'
echo "BENCH: / is $(awk '$2 == "/" { print $1, $3, $4 }' /proc/mounts)"
poweroff -f
EOF
chmod 755 root/sbin/init
verity_root root 8M data.img hash.img || die "cannot make the verity root"

mods=()
module_order dm-mod dm-verity virtio_blk virtio_pci >modules.paths
mapfile -t mods <modules.paths

# ---- dmboot's shell-less initramfs (as tests/demo.sh builds it) ------------
cp "$TOP/initramfs/dmboot.list" dmboot.list
: >dmboot.modules
for ko in "${mods[@]}"; do
	echo "file /lib/modules/${ko##*/} $ko 0644 0 0" >>dmboot.list
	echo "/lib/modules/${ko##*/}" >>dmboot.modules
done
echo "file /etc/dmboot/modules $W/dmboot.modules 0644 0 0" >>dmboot.list
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" dmboot.list | gzip -9 -n >dmboot.cpio.gz
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" "$TOP/initramfs/dmboot.list" | gzip -9 -n >dmboot-bare.cpio.gz

# ---- busybox + veritysetup ---------------------------------------------------
B=$W/bbv
mkdir -p "$B"/{bin,sbin,dev,proc,sys,run,etc,newroot,lib/modules}
install -m 755 "$busybox" "$B/bin/busybox"
for a in sh mount insmod sleep cat switch_root mkdir poweroff; do ln -s busybox "$B/bin/$a"; done
vs=$(command -v veritysetup)
install -m 755 "$vs" "$B/sbin/veritysetup"
ldd "$vs" | awk '/=> \// { print $3 } /^\t\// { print $1 }' | while read -r lib; do
	real=$(readlink -f "$lib")
	mkdir -p "$B$(dirname "$lib")"
	install -m 755 "$real" "$B$lib"
done
cat >"$B/init" <<'EOF'
#!/bin/sh
export PATH=/bin:/sbin DM_DISABLE_UDEV=1
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /run
fail() { echo "initramfs: FAILED: $*"; poweroff -f; }
while read -r ko; do insmod "/lib/modules/$ko" || fail "insmod $ko"; done </etc/modules.order
i=0
until [ -b /dev/vda ] && [ -b /dev/vdb ] && [ -c /dev/mapper/control ]; do
	[ $i -lt 1000 ] || fail "no /dev/vda, /dev/vdb or /dev/mapper/control after 10 s"
	sleep 0.01
	i=$((i + 1))
done
roothash=
for w in $(cat /proc/cmdline); do
	case $w in roothash=*) roothash=${w#*=} ;; esac
done
veritysetup open /dev/vda root /dev/vdb "$roothash" || fail "veritysetup open"
mount -t ext4 -o ro /dev/mapper/root /newroot || fail "mount /dev/mapper/root"
for m in dev proc sys run; do mount --move "/$m" "/newroot/$m" || fail "mount --move /$m"; done
exec switch_root /newroot /sbin/init
EOF
chmod 755 "$B/init"
: >"$B/etc/modules.order"
(cd "$B" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n) >bbv-bare.cpio.gz
for ko in "${mods[@]}"; do
	install -m 644 "$ko" "$B/lib/modules/${ko##*/}"
	echo "${ko##*/}" >>"$B/etc/modules.order"
done
(cd "$B" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n) >bbv.cpio.gz

# ---- boots -------------------------------------------------------------------
base="console=ttyS0 quiet panic=-1 printk.time=1"
cl_dmboot="$base dm-mod.create=\"root,,,ro,0 $((blocks * 8)) verity 1 /dev/vda /dev/vdb 4096 4096 $blocks 1 sha256 $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb root=/dev/dm-0 rootfstype=ext4 ro dmboot.onfail=poweroff"
cl_bbv="$base roothash=$roothash"
boot() { # KIND I: one VM; prints "KIND RUN_INIT ROOT_INIT WALL_MS"
	local kind=$1 cl log=$W/$1-$2.log start
	cl=cl_$kind
	start=$(date +%s%N)
	timeout -k 5 180 qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
		-nic none -kernel "$KERNEL" -initrd "$kind.cpio.gz" -append "${!cl}" \
		-drive "file=data.img,format=raw,if=virtio,readonly=on" \
		-drive "file=hash.img,format=raw,if=virtio,readonly=on" </dev/null 2>"$log.qemu" |
		tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]/\n/g; s/\x1b[c78=>]/\n/g' >"$log" || true
	local wall=$((($(date +%s%N) - start) / 1000000)) run root
	# The console may put a stray byte (SeaBIOS's ".") before a line.
	run=$(awk 'sub(/^.*BENCH: /, "BENCH: ") && /Run \/init/ { print $2; exit }' "$log")
	root=$(awk 'sub(/^.*BENCH: /, "BENCH: ") && /BENCH-ROOT-INIT/ { print $2; exit }' "$log")
	grep -q "BENCH: / is /dev/[a-z/-]*[a-z0-9] ext4 ro" "$log" && [ -n "$run" ] && [ -n "$root" ] ||
		die "$kind boot $2 did not reach the verified root (console: $log)"
	echo "$kind $run $root $wall"
}
: >results
for i in $(seq 1 "$N"); do
	for kind in dmboot bbv; do
		boot $kind "$i" | tee -a results >&2
	done
done

# ---- figures -----------------------------------------------------------------
stats() { # KIND COLUMN-EXPRESSION: median min max (ms)
	awk -v k="$1" '$1 == k { print '"$2"' }' results | sort -n |
		awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.0f (%.0f–%.0f)", m, v[1], v[NR] }'
}
size() { stat -c %s "$1"; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
vsver=$(veritysetup --version | awk '{ print $2 }')
bbver=$("$busybox" | awk 'NR == 1 { print $2 }') # awk reads it all: no SIGPIPE under pipefail
nlibs=$(ldd "$vs" | grep -c '/')
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
	echo
	echo "## Boot to the root's init: shell-less dmboot vs busybox + veritysetup initramfs"
	echo
	echo "Produced by \`tests/bench-boot.sh\` ($N boots of each, interleaved) on $(date -u +%F); the whole"
	echo "script took $(($(date +%s) - t0)) s. Guest: Debian kernel $KVER under QEMU $(qemu-system-x86_64 --version | awk 'NR == 1 { print $4 }') TCG, 1 vCPU,"
	echo "512 MiB, host $(nproc) × $cpu. One verity root (8 MiB ext4, sha256, 4 KiB blocks), the same"
	echo "modules (${#mods[@]}: dm-mod, dm-verity, virtio_blk, virtio_pci and their dependencies), \`quiet\`."
	echo
	echo "- dmboot: /init is dmboot ($(size "$dmboot") bytes, boot_defconfig, static), the kernel command"
	echo "  line's dm-mod.create= with the whole table, as tests/demo.sh boots it."
	echo "- busybox + veritysetup: /init is a busybox $bbver sh script (insmod, wait for vda/vdb,"
	echo "  \`veritysetup open\` $vsver reading the superblock, mount, switch_root), veritysetup with its"
	echo "  $nlibs shared libraries and loader (ldd), \`DM_DISABLE_UDEV=1\`."
	echo "- Times: the kernel's printk timestamps, read by the root's /sbin/init from dmesg: its own"
	echo "  first line (written to /dev/kmsg) and \"Run /init as init process\". Median (min–max), ms."
	echo "  Absolute times are TCG's; compare the two columns."
	echo
	echo "| | dmboot | busybox + veritysetup |"
	echo "|---|---:|---:|"
	echo "| kernel start → root's init, ms | $(stats dmboot '$3 * 1000') | $(stats bbv '$3 * 1000') |"
	echo "| of which in the initramfs (/init → root's init), ms | $(stats dmboot '($3 - $2) * 1000') | $(stats bbv '($3 - $2) * 1000') |"
	echo "| QEMU start → power off (host wall clock), ms | $(stats dmboot '$4') | $(stats bbv '$4') |"
	echo "| initramfs, gzip -9, KiB | $(kib "$(size dmboot.cpio.gz)") | $(kib "$(size bbv.cpio.gz)") |"
	echo "| initramfs without modules, gzip -9, KiB | $(kib "$(size dmboot-bare.cpio.gz)") | $(kib "$(size bbv-bare.cpio.gz)") |"
	echo
	echo "Sizes in bytes: dmboot $(size dmboot.cpio.gz) ($(size dmboot-bare.cpio.gz) without modules);"
	echo "busybox + veritysetup $(size bbv.cpio.gz) ($(size bbv-bare.cpio.gz) without modules)."
} >section.md
cat section.md
