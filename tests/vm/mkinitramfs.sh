#!/bin/bash
# SPDX-License-Identifier: MIT
# Build the initramfs the VM tests boot.
#
#   tests/vm/mkinitramfs.sh -o OUT.cpio.gz --script GUEST.sh
#       [--add SRC:DST]... [--env FILE] [--module NAME]... [--bin PATH]...
#
#   -o FILE          where to write the gzip'd newc cpio
#   --script FILE    guest test script, installed as /test.sh (run by /init)
#   --add SRC:DST    copy a host file to DST in the guest (repeatable); an
#                    ELF with an interpreter gets its shared libraries too
#   --env FILE       shell assignments installed as /test/env (lib.sh reads it)
#   --module NAME    load this kernel module as well (repeatable)
#   --bin PATH       include a dynamic host program and its libraries
#
# The output is two concatenated gzip'd cpio archives, which the kernel
# unpacks in turn: a base (busybox, modules, Debian's dm tools and their
# libraries, /init), cached under $DMBOOT_CACHE/initramfs/ and keyed by
# everything that goes into it, and a small overlay with the test script,
# tests/vm/lib.sh and the --add files. Changing only the latter costs a
# fraction of a second.
set -eu
. "$(dirname "$0")/common.sh"

MODULES="dm-mod dm-crypt dm-verity dm-zero dm-delay dm-flakey virtio_blk virtio_pci
	xts ecb essiv sha512 sha1 aes algif_skcipher algif_hash squashfs erofs loop"
BINS="/usr/sbin/dmsetup /usr/sbin/veritysetup /usr/sbin/cryptsetup /usr/bin/strace /usr/bin/keyctl"

out='' script='' envfile=''
adds=() extra_mods=() extra_bins=()
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	--script) script=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--env) envfile=$2; shift 2 ;;
	--module) extra_mods+=("$2"); shift 2 ;;
	--bin) extra_bins+=("$2"); shift 2 ;;
	-h | --help) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $1 (try --help)" ;;
	esac
done
[ -n "$out" ] || die "missing -o OUT"
[ -n "$script" ] || die "missing --script GUEST.sh"
[ -f "$script" ] || die "$script: no such file"
[ -z "$envfile" ] || [ -f "$envfile" ] || die "$envfile: no such file"
for a in ${adds[@]+"${adds[@]}"}; do
	case $a in
	*:/*) [ -f "${a%%:*}" ] || die "--add $a: ${a%%:*}: no such file" ;;
	*) die "--add $a: expected SRC:/ABSOLUTE/DST" ;;
	esac
done

need_pkgs busybox:busybox-static cpio:cpio gzip:gzip modprobe:kmod \
	dmsetup:dmsetup veritysetup:cryptsetup-bin cryptsetup:cryptsetup-bin strace:strace \
	keyctl:keyutils
busybox=$(command -v busybox)
# ldd fails on static programs and on scripts: both are copied alone.
file_is_static() { ! ldd "$1" >/dev/null 2>&1; }
file_is_static "$busybox" ||
	die "$busybox is dynamic: install busybox-static instead of busybox"

eval "$("$VM_DIR/kernel.sh")"

# ---- base archive ----------------------------------------------------------

all_mods="$MODULES ${extra_mods[*]-}"
all_bins="$BINS ${extra_bins[*]-}"
key=$(
	{
		echo "$KPKG" "$all_mods" "$all_bins"
		sha256sum <"$0"
		for f in $busybox $all_bins; do stat -L -c '%n %s %Y' "$f"; done
	} | sha256sum | cut -c1-16
)
base=$DMBOOT_CACHE/initramfs/base-$key.cpio.gz

# copy_elf SRC DST STAGE: copy a program and every library ldd names,
# at the path ldd names, plus the dynamic loader.
copy_elf() {
	local src=$1 dst=$2 stage=$3 lib
	install -D -m 755 "$src" "$stage$dst"
	file_is_static "$src" && return 0
	ldd "$src" | awk '/=> \// { print $3; next } /^\t\// { print $1 }' |
		while read -r lib; do
			[ -e "$stage$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$stage$lib"
		done
}

write_init() {
	cat >"$1" <<'INIT'
#!/bin/sh
# /init of the dmboot VM test initramfs, written by tests/vm/mkinitramfs.sh.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
ln -s /proc/self/fd /dev/fd
ln -s fd/0 /dev/stdin; ln -s fd/1 /dev/stdout; ln -s fd/2 /dev/stderr

drives=0 results= outdev=
for arg in $(cat /proc/cmdline); do
	case $arg in
	vmtest.drives=*) drives=${arg#*=} ;;
	vmtest.results=*) results=/dev/${arg#*=} ;;
	vmtest.out=*) outdev=/dev/${arg#*=} ;;
	esac
done

while read -r ko args; do
	insmod "/lib/modules/$ko" $args || echo "init: insmod $ko failed"
done </etc/modules.order

# Block devices and the dm control node show up asynchronously.
i=0
while [ $i -lt 100 ]; do
	n=$(ls -d /sys/block/vd* 2>/dev/null | wc -l)
	[ "$n" -ge "$drives" ] && [ -c /dev/mapper/control ] && break
	sleep 0.1
	i=$((i + 1))
done
[ "$n" -ge "$drives" ] || echo "init: only $n of $drives virtio drives appeared"
[ -c /dev/mapper/control ] || echo "init: no /dev/mapper/control"

# A second serial port carries only test results: no kernel message can
# land in the middle of a line there. fd 9 keeps it open and raw.
if [ -n "$results" ] && [ -c "$results" ]; then
	exec 9>"$results"
	stty -F "$results" raw -echo 2>/dev/null
	export VMTEST_RESULTS=$results
fi
export VMTEST_CONSOLE=/dev/console DM_DISABLE_UDEV=1
mkdir -p /out

cd /tmp
/bin/sh /test.sh
rc=$?
cd /

if [ -n "$outdev" ]; then
	tar -cf "$outdev" -C /out . || echo "init: writing /out to $outdev failed"
fi
sync
echo "@@VM-DONE@@ rc=$rc"
[ -n "${VMTEST_RESULTS:-}" ] && echo "@@VM-DONE@@ rc=$rc" >"$VMTEST_RESULTS"
poweroff -f
INIT
	chmod 755 "$1"
}

build_base() {
	local stage=$1 dep mod ko
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,etc,root,out,test}
	mkdir -p "$stage/lib/modules"

	install -m 755 "$busybox" "$stage/bin/busybox"
	for a in $("$busybox" --list); do
		case $a in busybox | init | linuxrc) continue ;; esac
		ln -s busybox "$stage/bin/$a"
	done

	for b in $all_bins; do
		[ -x "$b" ] || die "$b: not found"
		copy_elf "$b" "$b" "$stage"
	done
	# glibc loads libgcc_s at run time for thread cancellation.
	lib=/lib/x86_64-linux-gnu/libgcc_s.so.1
	[ ! -e "$lib" ] || install -D -m 644 "$lib" "$stage$lib"

	# modprobe prints "insmod PATH [ARGS]" or "builtin NAME" per dependency,
	# leaves first; keep the first appearance of each module.
	: >"$stage/etc/modules.order"
	for mod in $all_mods; do
		dep=$(modprobe -d "$MODROOT" -S "$KVER" --show-depends "$mod" 2>&1) ||
			die "module $mod: $dep"
		printf '%s\n' "$dep" | while read -r verb ko args; do
			[ "$verb" = insmod ] || continue
			awk -v m="${ko##*/}" '$1 == m { f = 1 } END { exit !f }' \
				"$stage/etc/modules.order" && continue
			install -m 644 "$ko" "$stage/lib/modules/${ko##*/}"
			printf '%s %s\n' "${ko##*/}" "$args" >>"$stage/etc/modules.order"
		done
	done

	write_init "$stage/init"
	mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
	mknod -m 666 "$stage/dev/null" c 1 3 2>/dev/null || true
	echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
	echo "root:x:0:" >"$stage/etc/group"
}

pack() { # DIR OUT
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -6 -n) >"$2"
}

if [ ! -s "$base" ]; then
	mkdir -p "$DMBOOT_CACHE/initramfs"
	stage=$(mktemp -d "${TMPDIR:-/tmp}/dmboot-base.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	build_base "$stage"
	pack "$stage" "$base.tmp.$$"
	mv "$base.tmp.$$" "$base" # atomic: parallel runs may build it too
	rm -rf "$stage"
	trap - EXIT
	note "built base $(basename "$base") ($(du -k "$base" | cut -f1) KiB)"
	# bases for other kernels or tool versions: keep the newest few
	ls -1t "$DMBOOT_CACHE"/initramfs/base-*.cpio.gz | tail -n +5 | xargs -r rm -f
fi

# ---- overlay ---------------------------------------------------------------

stage=$(mktemp -d "${TMPDIR:-/tmp}/dmboot-overlay.XXXXXX")
trap 'rm -rf "$stage"' EXIT
install -D -m 755 "$script" "$stage/test.sh"
install -D -m 644 "$VM_DIR/lib.sh" "$stage/test/lib.sh"
[ -z "$envfile" ] || install -D -m 644 "$envfile" "$stage/test/env"
for a in ${adds[@]+"${adds[@]}"}; do
	src=${a%%:*} dst=${a#*:}
	if [ -x "$src" ]; then
		copy_elf "$src" "$dst" "$stage"
	else
		install -D -m 644 "$src" "$stage$dst"
	fi
done
mkdir -p "$(dirname "$out")"
pack "$stage" "$out.overlay"
cat "$base" "$out.overlay" >"$out.tmp"
rm -f "$out.overlay"
mv "$out.tmp" "$out"
