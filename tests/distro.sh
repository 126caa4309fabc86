#!/bin/bash
# SPDX-License-Identifier: MIT
# make test-distro: Debian's own initramfs generators booting a Debian 12
# system whose root dmboot opens (docs/DISTRO.md).
#
#   tests/distro.sh [--static] [-k] [--refresh] [VARIANT...]
#
# VARIANTs (default: all, in this order):
#   itools         initramfs-tools, a dm-verity root from roothash= (and
#                  systemd.verity_root_data/hash=) on the kernel command line
#   itools-tamper  the same image, one byte of its hash tree changed: dmboot
#                  refuses it, the local-top script panics, nothing is mounted
#   itools-data    the same image, one byte of systemd's binary changed on the
#                  data device: dm-verity refuses the block, no multi-user
#   itools-rootdev the same image, root=/dev/vda (the data disk) with roothash=:
#                  refused, nothing mounted
#   itools-rootuuid the same image, root=UUID= of its file system with roothash=
#                  and a third disk, a copy of the data disk carrying that UUID:
#                  refused, nothing mounted
#   dracut         dracut, a dm-verity root from /etc/veritytab in the initramfs
#   dracut-tamper  the same image, one byte of its hash tree changed: dmboot
#                  refuses it, the initqueue hook stops dracut (die)
#   dracut-rootuuid the same image, roothash= with root=UUID= of its file system
#                  and a third disk carrying that UUID: the cmdline hook refuses
#   luks           initramfs-tools, a LUKS2 root from /etc/crypttab, its
#                  passphrase typed on the serial console
# --static: no VM and no network: sh -n and shellcheck of dist/'s scripts,
# and the initramfs-tools hook run against a scratch DESTDIR with the
# hook-functions of initramfs-tools-core (CI's step distro-static).
#
# A real system: a Debian 12 root made by debootstrap from deb.debian.org
# (minbase, linux-image-cloud-amd64, systemd, initramfs-tools; dracut
# installed over it by apt for the dracut variant), this tree's dmboot
# (full_defconfig, musl) at /usr/sbin/dmboot and dist/'s files where the
# packages' own ones live; update-initramfs -u -k all or dracut -f run in
# a chroot of it (/proc, /sys, /dev mounted, and unmounted on every way
# out); its root file system an ext4 image of that tree, under dm-verity
# (veritysetup format on the host) or in a LUKS2 volume (cryptsetup
# luksFormat). QEMU (VM_ACCEL, default tcg) boots the image's own kernel
# and initramfs; a unit ordered after multi-user.target prints, on the
# serial console, that multi-user.target is active, findmnt / and dmboot
# table, and powers off.
#
# Cache ($DMBOOT_CACHE/distro, ~/.cache/dmboot/distro): the debootstrap
# results (tarballs named by a hash of suite, mirror and package list; the
# .debs too), and each variant's finished image named by a hash of the base,
# the dmboot binary, dist/ and the functions that make it: a second run downloads nothing
# and builds nothing it has. --refresh makes them again. Work files:
# build/distro (-k keeps them). Exit: 0 when every variant passed.
{
set -eu
. "$(dirname "$0")/vm/common.sh"
. "$(dirname "$0")/vm/verity-root.sh"

MIRROR=http://deb.debian.org/debian
SUITE=bookworm
BASE_PKGS=linux-image-cloud-amd64,systemd,systemd-sysv,udev,kmod,initramfs-tools,zstd
PASS=distro-test-passphrase

static='' keep='' refresh=''
variants=()
usage() { sed -n '5,6s/^# \{0,3\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--static) static=1 ;;
	-k) keep=1 ;;
	--refresh) refresh=1 ;;
	-h | --help) usage ;;
	itools | itools-tamper | itools-data | itools-rootdev | itools-rootuuid | dracut | dracut-tamper | dracut-rootuuid | luks) variants+=("$1") ;;
	*) usage ;;
	esac
	shift
done
[ ${#variants[@]} -gt 0 ] || variants=(itools itools-tamper itools-data itools-rootdev itools-rootuuid dracut dracut-tamper dracut-rootuuid luks)

repo=$(cd "$(dirname "$0")/.." && pwd)
dist=$repo/dist
W=$repo/build/distro
mkdir -p "$W"

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }

# ---- --static: the scripts, and the hook against a scratch initramfs tree.
# hook_run T LOG: T/hook run as mkinitramfs runs a hook (DESTDIR=T/dest,
# version, verbose), in a mount namespace of its own where /etc has T's
# crypttab and veritytab (an overlay: this machine's /etc is not touched),
# /usr/share/initramfs-tools is initramfs-tools-core's (ITOOLS) and
# /lib/modules/KVER the Debian kernel's of the VM tests (MODDIR).
hook_run() {
	unshare -m --propagation private sh -eu -c '
		t=$1
		mkdir -p "$t/ov/etc-up" "$t/ov/etc-work" "$t/ov/share-up/initramfs-tools" \
			"$t/ov/share-work" "$t/ov/lib-up/modules/$2" "$t/ov/lib-work"
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$t/ov/etc-up,workdir=$t/ov/etc-work" /etc
		rm -f /etc/crypttab /etc/veritytab
		[ ! -f "$t/crypttab" ] || cp "$t/crypttab" /etc/crypttab
		[ ! -f "$t/veritytab" ] || cp "$t/veritytab" /etc/veritytab
		mount -t overlay overlay -o "lowerdir=/usr/share,upperdir=$t/ov/share-up,workdir=$t/ov/share-work" /usr/share
		mount --bind "$3" /usr/share/initramfs-tools
		mount -t overlay overlay -o "lowerdir=/usr/lib,upperdir=$t/ov/lib-up,workdir=$t/ov/lib-work" /usr/lib
		mount --bind "$4" "/usr/lib/modules/$2"
		rm -rf "$t/dest"
		mkdir -p "$t/dest"
		DESTDIR=$t/dest version=$2 verbose=n DMBOOT=$t/bin/dmboot sh "$t/hook"
	' sh "$1" "$KVER" "$ITOOLS" "$MODDIR" >"$2" 2>&1 # KVER, MODDIR: kernel.sh's
}

static_check() {
	local f sc t m
	for f in "$dist"/initramfs-tools/hooks/dmboot "$dist"/initramfs-tools/scripts/local-top/dmboot \
		"$dist"/dracut/90dmboot/*.sh; do
		case $f in
		*/module-setup.sh) sc=bash ;;
		*) sc='sh' ;;
		esac
		if "$sc" -n "$f"; then ok "$sc -n ${f#"$repo"/}"; else bad "$sc -n ${f#"$repo"/}"; fi
		if command -v shellcheck >/dev/null; then
			# dracut sources its hooks and module-setup.sh with its
			# functions and variables (getarg, die, inst_*, initdir)
			# defined; initramfs-tools' hook-functions is not here.
			if shellcheck -s "$sc" -e SC1091,SC2154 "$f"; then
				ok "shellcheck ${f#"$repo"/}"
			else
				bad "shellcheck ${f#"$repo"/}"
			fi
		fi
	done
	# initramfs-tools-core's hook-functions: this machine's, or the
	# package's files unpacked (installing it would pull in udev).
	ITOOLS=/usr/share/initramfs-tools
	if [ ! -f "$ITOOLS/hook-functions" ]; then
		local deb
		mkdir -p "$CACHE/debs"
		deb=$(ls "$CACHE"/debs/initramfs-tools-core_*.deb 2>/dev/null | tail -n 1)
		if [ -z "$deb" ]; then
			(cd "$CACHE/debs" && apt-get download -q initramfs-tools-core >/dev/null 2>&1) ||
				die "apt-get download initramfs-tools-core failed"
			deb=$(ls "$CACHE"/debs/initramfs-tools-core_*.deb | tail -n 1)
		fi
		rm -rf "$W/itools" && mkdir -p "$W/itools"
		dpkg-deb -x "$deb" "$W/itools"
		ITOOLS=$W/itools/usr/share/initramfs-tools
	fi
	eval "$("$VM_DIR/kernel.sh")"
	t=$W/static
	rm -rf "$t"
	mkdir -p "$t/bin" "$t/keys"
	cp "$dist/initramfs-tools/hooks/dmboot" "$t/hook"
	printf '#!/bin/sh\necho fake dmboot\n' >"$t/bin/dmboot"
	chmod 755 "$t/bin/dmboot"
	head -c 32 /dev/urandom >"$t/keys/key"
	head -c 4096 /dev/zero >"$t/keys/hdr"
	printf '# a comment\n\nc1 UUID=0b3d9bc9-9e5e-4a5c-9d5a-b1a0b0a0c0d0 %s luks\nc2 /dev/vdc none luks,header=%s\nc3 /dev/vdd %%logon:dmboot:k plain,cipher=aes-xts-plain64,size=512\nc5 /dev/vde %s luks\n' \
		"$t/keys/key" "$t/keys/hdr" "$t/keys/key" >"$t/crypttab"
	printf 'root /dev/vda /dev/vdb %s\n' "$(printf '%064d' 0)" >"$t/veritytab"
	if ! hook_run "$t" "$t/hook.log"; then
		bad "the hook ran (log: $t/hook.log)"
		sed 's/^/    | /' "$t/hook.log"
		return 0
	fi
	ok "the hook ran against a scratch DESTDIR (initramfs-tools-core's hook-functions, kernel $KVER)"
	if [ -x "$t/dest/usr/sbin/dmboot" ]; then ok "dmboot at /usr/sbin/dmboot"; else bad "dmboot at /usr/sbin/dmboot"; fi
	for f in crypttab veritytab; do
		if cmp -s "$t/$f" "$t/dest/etc/$f"; then ok "/etc/$f copied"; else bad "/etc/$f copied"; fi
	done
	if cmp -s "$t/keys/key" "$t/dest$t/keys/key"; then ok "the key file copied"; else bad "the key file copied"; fi
	if cmp -s "$t/keys/hdr" "$t/dest$t/keys/hdr"; then ok "the detached header copied"; else bad "the detached header copied"; fi
	if [ "$(stat -c %a "$t/dest$t/keys/key" 2>/dev/null)" = 600 ]; then
		ok "the key file root's only"
	else
		bad "the key file root's only"
	fi
	if grep -q "UMASK=0077" "$t/hook.log"; then ok "the hook warns that keys are inside"; else bad "the hook warns that keys are inside"; fi
	for m in dm-mod dm-verity dm-crypt xts algif_hash algif_skcipher; do
		if grep -q -E "/${m//-/[-_]}\.ko" "$MODDIR/modules.builtin" ||
			find "$t/dest" -name "${m//-/[-_]}.ko*" | grep -q .; then
			ok "module $m in the initramfs (or built in)"
		else
			bad "module $m in the initramfs"
		fi
	done
	# A tab naming a key file that is not there: the hook fails, and says which.
	printf 'c4 /dev/vdd %s/keys/missing luks\n' "$t" >"$t/crypttab"
	rm -f "$t/veritytab"
	if hook_run "$t" "$t/hook2.log"; then
		bad "a missing key file fails the hook"
	elif grep -q "E: dmboot: $t/keys/missing: named in a tab but not a file" "$t/hook2.log"; then
		ok "a missing key file fails the hook, named"
	else
		bad "a missing key file fails the hook, named (log: $t/hook2.log)"
	fi
	# No dmboot: the hook fails rather than make an initramfs that cannot
	# open the root.
	rm -f "$t/crypttab" "$t/bin/dmboot"
	if hook_run "$t" "$t/hook3.log"; then
		bad "no dmboot fails the hook"
	elif grep -q "E: dmboot: $t/bin/dmboot: not found or not executable" "$t/hook3.log"; then
		ok "no dmboot fails the hook, named"
	else
		bad "no dmboot fails the hook, named (log: $t/hook3.log)"
	fi
}

CACHE=$DMBOOT_CACHE/distro
if [ -n "$static" ]; then
	static_check
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi

# ---- the system images.
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, mount)"
need_pkgs debootstrap:debootstrap qemu-system-x86_64:qemu-system-x86 veritysetup:cryptsetup-bin blkid:util-linux \
	cryptsetup:cryptsetup-bin mkfs.ext4:e2fsprogs debugfs:e2fsprogs gcc:gcc \
	/usr/include/openssl/evp.h:libssl-dev
mkdir -p "$CACHE/debs"

key() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

# mounts_under DIR: the mount points at or below DIR, deepest first.
mounts_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}
# unmount_all DIR: nothing left mounted under DIR, or die.
unmount_all() {
	local m
	for m in $(mounts_under "$1"); do
		umount "$m" 2>/dev/null || umount -l "$m" || note "cannot unmount $m"
	done
	[ -z "$(mounts_under "$1")" ] || die "still mounted under $1"
}
chroots=()
cleanup() {
	local rc=$? r
	trap - EXIT INT TERM HUP
	for r in "${chroots[@]}"; do unmount_all "$r" || rc=1; done
	[ -n "$keep" ] || [ "$rc" -ne 0 ] || rm -rf --one-file-system "$W"/*/root
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# in_root ROOT CMD...: CMD in a chroot of ROOT, /proc /sys /dev mounted
# for it and unmounted after it, whatever it returns.
in_root() {
	local root=$1 rc=0
	shift
	chroots+=("$root")
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
	mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
	mount -t tmpfs -o mode=755 tmpfs "$root/run"
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@" </dev/null || rc=$?
	unmount_all "$root"
	return "$rc"
}

# base NAME: the cached tarball of the Debian 12 root NAME (itools or
# dracut), made when missing; prints its path.
base() {
	local k tar tmp
	k=$(key "$SUITE" "$MIRROR" "$BASE_PKGS" minbase amd64)
	tar=$CACHE/base-itools-$k.tar.gz
	if [ -n "$refresh" ] || [ ! -s "$tar" ]; then
		tmp=$W/debootstrap
		rm -rf --one-file-system "$tmp" && mkdir -p "$tmp"
		note "debootstrap $SUITE ($BASE_PKGS) into $tmp"
		debootstrap --variant=minbase --arch=amd64 --cache-dir="$CACHE/debs" \
			--include="$BASE_PKGS" "$SUITE" "$tmp" "$MIRROR" >"$W/debootstrap.log" 2>&1 ||
			{ tail -n 20 "$W/debootstrap.log" >&2; die "debootstrap failed (log: $W/debootstrap.log)"; }
		[ -z "$(mounts_under "$tmp")" ] || die "debootstrap left mounts under $tmp"
		tar --numeric-owner --xattrs -C "$tmp" -czf "$tar.tmp" . && mv "$tar.tmp" "$tar"
		rm -rf --one-file-system "$tmp"
	fi
	[ "$1" = itools ] && { echo "$tar"; return; }
	local dtar=$CACHE/base-dracut-$k.tar.gz
	if [ -n "$refresh" ] || [ ! -s "$dtar" ]; then
		tmp=$W/dracut-base
		rm -rf --one-file-system "$tmp" && mkdir -p "$tmp"
		tar --numeric-owner --xattrs -xpzf "$tar" -C "$tmp"
		printf 'deb %s %s main\n' "$MIRROR" "$SUITE" >"$tmp/etc/apt/sources.list"
		cp -L /etc/resolv.conf "$tmp/etc/resolv.conf"
		printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
		chmod 755 "$tmp/usr/sbin/policy-rc.d"
		note "apt-get install dracut in $tmp"
		in_root "$tmp" sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends dracut &&
			apt-get clean' >"$W/dracut-base.log" 2>&1 ||
			{ tail -n 20 "$W/dracut-base.log" >&2; die "apt-get install dracut failed"; }
		rm -f "$tmp/usr/sbin/policy-rc.d" "$tmp/etc/resolv.conf"
		rm -rf "$tmp/var/lib/apt/lists"/*
		tar --numeric-owner --xattrs -C "$tmp" -czf "$dtar.tmp" . && mv "$dtar.tmp" "$dtar"
		rm -rf --one-file-system "$tmp"
	fi
	echo "$dtar"
}

# xts_plain64 KEY IN OUT: verity-root.sh's, in C (its perl would take
# minutes for a 1.2 GB root): tests/distro/xts-plain64.c, OpenSSL's XTS.
build_xts() {
	gcc -O2 -Wall -o "$W/xts-plain64" "$repo/tests/distro/xts-plain64.c" -lcrypto ||
		die "cannot build tests/distro/xts-plain64.c"
}
xts_plain64() { "$W/xts-plain64" "$1" "$2" "$3"; }

# dmboot for the image: full_defconfig (table, status, LUKS), static musl.
build_dmboot() {
	make -s -C "$repo" O="$W/dmboot-build" CONFIG="$W/dmboot.config" full_defconfig >/dev/null &&
		make -s -C "$repo" O="$W/dmboot-build" CONFIG="$W/dmboot.config" >"$W/dmboot-build.log" 2>&1 ||
		{ cat "$W/dmboot-build.log" >&2; die "building dmboot failed"; }
	DMBOOT_BIN=$W/dmboot-build/dmboot
	file -b "$DMBOOT_BIN" 2>/dev/null | grep -q "statically linked" ||
		die "$DMBOOT_BIN is not a static binary"
}

# populate ROOT GENERATOR: dmboot, dist/'s files and the check unit in ROOT.
populate() {
	local root=$1 gen=$2
	install -m 0755 "$DMBOOT_BIN" "$root/usr/sbin/dmboot"
	if [ "$gen" = itools ]; then
		install -D -m 0755 "$dist/initramfs-tools/hooks/dmboot" \
			"$root/usr/share/initramfs-tools/hooks/dmboot"
		install -D -m 0755 "$dist/initramfs-tools/scripts/local-top/dmboot" \
			"$root/usr/share/initramfs-tools/scripts/local-top/dmboot"
	else
		install -d "$root/usr/lib/dracut/modules.d/90dmboot"
		install -m 0755 "$dist"/dracut/90dmboot/*.sh "$root/usr/lib/dracut/modules.d/90dmboot/"
		install -m 0644 "$dist/dracut/90dmboot/55-dmboot.rules" "$root/usr/lib/dracut/modules.d/90dmboot/"
		install -D -m 0644 "$dist/dracut/dmboot.conf" "$root/usr/lib/dracut/dracut.conf.d/90-dmboot.conf"
	fi
	echo "dmboot-distro" >"$root/etc/hostname"
	# What the test reads on the serial console once multi-user.target
	# is reached, then a clean power-off.
	# /dev/kmsg: the kernel's console, which no getty flushes.
	cat >"$root/usr/local/sbin/dmboot-distro-check" <<-'EOF'
		#!/bin/sh
		{
			echo "multi-user.target=$(systemctl is-active multi-user.target)"
			echo "root=$(findmnt -n -o SOURCE /) $(findmnt -n -o FSTYPE,OPTIONS /)"
			dmboot table | sed 's/^/table /'
			echo "failed-units: $(systemctl list-units --failed --plain --no-legend | awk '{ printf "%s ", $1 }')"
			echo "done"
		} 2>&1 | while IFS= read -r line; do
			printf 'DISTRO-CHECK %s\n' "$line" >/dev/kmsg
		done
		systemctl --no-block poweroff
	EOF
	chmod 755 "$root/usr/local/sbin/dmboot-distro-check"
	cat >"$root/etc/systemd/system/dmboot-distro-check.service" <<-'EOF'
		[Unit]
		Description=dmboot test-distro: report the root on the console
		After=multi-user.target

		[Service]
		Type=oneshot
		ExecStart=/usr/local/sbin/dmboot-distro-check

		[Install]
		WantedBy=multi-user.target
	EOF
	ln -sf /etc/systemd/system/dmboot-distro-check.service \
		"$root/etc/systemd/system/multi-user.target.wants/dmboot-distro-check.service"
	: >"$root/etc/fstab"
}

# image VARIANT: $W/VARIANT/{data.img,hash.img,vmlinuz,initrd,cmdline} from
# the cache, or made and cached.
image() {
	local v=$1 gen k dir root kver tar
	case $v in
	dracut) gen=dracut ;;
	*) gen=itools ;;
	esac
	tar=$(base "$gen")
	k=$(key "$v" "$(basename "$tar")" "$(sha256sum <"$DMBOOT_BIN")" \
		"$(cd "$dist" && find initramfs-tools dracut -type f | sort | xargs sha256sum)" \
		"$(declare -f base populate image verity_root luks_root xts_plain64)")
	dir=$CACHE/image-$v-$k
	IMGDIR=$dir
	IMG=$W/$v
	mkdir -p "$IMG"
	if [ -z "$refresh" ] && [ -s "$dir/cmdline" ]; then
		note "$v: the cached image $dir"
		return 0
	fi
	root=$IMG/root
	rm -rf --one-file-system "$root" "$dir.tmp"
	mkdir -p "$root" "$dir.tmp"
	tar --numeric-owner --xattrs -xpzf "$tar" -C "$root"
	populate "$root" "$gen"
	kver=$(cd "$root/lib/modules" && ls | head -n 1)
	local cmd="console=ttyS0 panic=-1 printk.devkmsg=on ro"
	case $v in
	itools)
		note "$v: update-initramfs -u -k all"
		in_root "$root" update-initramfs -u -k all >"$IMG/generator.log" 2>&1 ||
			{ cat "$IMG/generator.log" >&2; die "update-initramfs failed"; }
		verity_root "$root" 1200M "$dir.tmp/data.img" "$dir.tmp/hash.img" >/dev/null ||
			die "the verity image failed"
		cmd+=" root=/dev/mapper/root roothash=$roothash systemd.verity_root_data=/dev/vda"
		cmd+=" systemd.verity_root_hash=/dev/vdb"
		;;
	dracut)
		# The root hash is the image's, so the veritytab that names it
		# is written after the image is made, into the initramfs only
		# (on a real system: the tree the initramfs is made from, not
		# the verity root itself, which cannot hold its own hash).
		verity_root "$root" 1200M "$dir.tmp/data.img" "$dir.tmp/hash.img" >/dev/null ||
			die "the verity image failed"
		printf 'root /dev/vda /dev/vdb %s\n' "$roothash" >"$root/etc/veritytab"
		note "$v: dracut -f --no-hostonly"
		in_root "$root" dracut -f --no-hostonly --kver "$kver" "/boot/initrd.img-$kver" \
			>"$IMG/generator.log" 2>&1 || { cat "$IMG/generator.log" >&2; die "dracut failed"; }
		# dracut's fail-closed switches: no shell, a reboot.
		cmd+=" root=/dev/mapper/root rd.shell=0 rd.emergency=reboot"
		;;
	luks)
		# The LUKS UUID is chosen first, so that /etc/crypttab (in the
		# root and in the initramfs) can name it before luksFormat.
		local uuid
		uuid=$(cat /proc/sys/kernel/random/uuid)
		printf 'root UUID=%s none luks\n' "$uuid" >"$root/etc/crypttab"
		note "$v: update-initramfs -u -k all"
		in_root "$root" update-initramfs -u -k all >"$IMG/generator.log" 2>&1 ||
			{ cat "$IMG/generator.log" >&2; die "update-initramfs failed"; }
		truncate -s 1200M "$IMG/plain.img"
		mkfs.ext4 -q -F -b 4096 -E root_owner=0:0 -d "$root" "$IMG/plain.img"
		printf '%s' "$PASS" >"$IMG/pass"
		luks_root "$IMG/plain.img" "$dir.tmp/data.img" "$IMG/pass" --uuid "$uuid" ||
			die "luksFormat failed"
		rm -f "$IMG/plain.img" "$IMG/pass"
		echo "$uuid" >"$dir.tmp/luks-uuid"
		cmd+=" root=/dev/mapper/root"
		;;
	esac
	cp "$root/boot/vmlinuz-$kver" "$dir.tmp/vmlinuz"
	cp "$root/boot/initrd.img-$kver" "$dir.tmp/initrd"
	echo "$cmd" >"$dir.tmp/cmdline"
	[ -z "${roothash:-}" ] || echo "$roothash" >"$dir.tmp/roothash"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
	[ -n "$keep" ] || rm -rf --one-file-system "$root"
	note "$v: cached as $dir ($(du -sh "$dir" | cut -f1))"
}

# boot NAME DIR DATA [HASH]: the image booted; the console in $W/NAME.log.
boot() {
	local name=$1 dir=$2 data=$3 hash=${4:-} log=$W/$1.log start in=/dev/null typer=''
	local drives=(-drive "file=$data,format=raw,if=virtio,readonly=on")
	[ -z "$hash" ] || drives+=(-drive "file=$hash,format=raw,if=virtio,readonly=on")
	[ -z "${EXTRA_DISK:-}" ] || drives+=(-drive "file=$EXTRA_DISK,format=raw,if=virtio,readonly=on")
	[ "$name" != luks ] || drives=(-drive "file=$data,format=raw,if=virtio,snapshot=on")
	rm -f "$log" "$log.raw" "$log.in"
	: >"$log.raw"
	if [ "$name" = luks ]; then
		mkfifo "$log.in"
		in=$log.in
		type_at_prompts "$log.raw" "$log.in" "$PASS" "\r" &
		typer=$!
	fi
	# A halted guest (dracut's die halts) keeps QEMU running: once the
	# console says the machine stopped, QEMU is stopped too.
	rm -f "$log.pid"
	(
		while sleep 1; do
			if grep -a -q -E "reboot: (System halted|Power down|Restarting system)|Kernel panic" "$log.raw"; then
				sleep 2
				[ -s "$log.pid" ] && kill "$(cat "$log.pid")" 2>/dev/null
				exit 0
			fi
			[ -s "$log.pid" ] && ! kill -0 "$(cat "$log.pid")" 2>/dev/null && exit 0
		done
	) &
	local watcher=$!
	start=$(date +%s)
	timeout -k 5 "${BOOT_TIMEOUT:-900}" qemu-system-x86_64 -pidfile "$log.pid" -accel "${VM_ACCEL:-tcg}" -m 1024 -smp 1 \
		-nographic -no-reboot -nic none -kernel "$dir/vmlinuz" -initrd "$dir/initrd" \
		-append "${CMDLINE:-$(cat "$dir/cmdline")}" "${drives[@]}" <"$in" 2>"$log.qemu" |
		tee "$log.raw" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' >"$log" ||
		echo "qemu: exit status $?" >>"$log"
	kill "$watcher" 2>/dev/null || true
	wait "$watcher" 2>/dev/null || true
	if [ -n "$typer" ]; then
		rm -f "$log.in"
		wait "$typer" || true
	fi
	BOOT_SECS=$(($(date +%s) - start))
	echo "  boot $name: $BOOT_SECS s (console: $log)"
}

check() { # NAME WHAT GREP-ARGS...
	local name=$1 what=$2
	shift 2
	if grep -a -q "$@" "$W/$name.log"; then ok "$name: $what"; else bad "$name: $what"; fi
}
check_not() {
	local name=$1 what=$2
	shift 2
	if grep -a -q "$@" "$W/$name.log"; then bad "$name: $what"; else ok "$name: $what"; fi
}

# flip FILE OFFSET: one byte of FILE changed in place.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf '%b' "$(printf '\\%03o' $(((b ^ 0x5a) & 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# booted NAME: the checks of a boot that must reach multi-user.target.
booted() {
	local n=$1
	check "$n" "multi-user.target reached" -F "DISTRO-CHECK multi-user.target=active"
	check "$n" "/ is /dev/mapper/root, read-only ext4" -E "DISTRO-CHECK root=/dev/mapper/root ext4 +ro[, ]"
	check "$n" "the check unit ran to its end" -F "DISTRO-CHECK done"
}

build_dmboot
build_xts
total=$(date +%s)
times=()
for v in "${variants[@]}"; do
	echo "== $v"
	t=$(date +%s)
	case $v in
	itools-tamper | itools-data | itools-rootdev | itools-rootuuid) image itools ;;
	dracut-tamper | dracut-rootuuid) image dracut ;;
	*) image "$v" ;;
	esac
	d=$IMGDIR
	# The images of older inputs go: one of each kind stays cached.
	for old in "${d%-*}"-*; do
		[ "$old" = "$d" ] || [ ! -d "$old" ] || rm -rf "$old"
	done
	times+=("$v: image $(($(date +%s) - t)) s")
	case $v in
	itools | dracut)
		boot "$v" "$d" "$d/data.img" "$d/hash.img"
		booted "$v"
		check "$v" "root is dm-verity with the image's root hash" \
			-E "DISTRO-CHECK table root: 0 [0-9]+ verity 1 [0-9]+:[0-9]+ [0-9]+:[0-9]+ 4096 4096 [0-9]+ 1 sha256 $(cat "$d/roothash") "
		check_not "$v" "no dm-verity corruption" -E "verity.*corrupted"
		;;
	itools-tamper | dracut-tamper)
		# The hash tree's top level (after the 4 KiB superblock): the
		# root hash no longer matches it.
		cp "$d/hash.img" "$W/tamper-hash.img"
		flip "$W/tamper-hash.img" $((4096 + 100))
		boot "$v" "$d" "$d/data.img" "$W/tamper-hash.img"
		check "$v" "dmboot refused the hash tree" -F "dmboot: verity: root: root hash does not match the hash tree"
		check "$v" "the ${v%-tamper} script stopped the boot" -F "dmboot: the devices were not activated; the root is not mounted"
		check_not "$v" "no root mounted" -E "EXT4-fs \((dm-|vda)|Mounted sysroot"
		check_not "$v" "no multi-user.target" -F "DISTRO-CHECK"
		rm -f "$W/tamper-hash.img"
		;;
	itools-rootdev)
		# The data disk named as root beside roothash=: its blocks are
		# the file system, unverified.
		CMDLINE=$(sed 's|root=/dev/mapper/root|root=/dev/vda|' "$d/cmdline") \
			boot "$v" "$d" "$d/data.img" "$d/hash.img"
		check "$v" "root=/dev/vda refused" -F "dmboot: root=/dev/vda with roothash=: only root=/dev/mapper/root is the verified root"
		check_not "$v" "no root mounted" -E "EXT4-fs \((dm-|vda)"
		check_not "$v" "no multi-user.target" -F "DISTRO-CHECK"
		;;
	itools-rootuuid)
		# A second disk with the root file system's UUID (here a copy of
		# the data disk; an attacker's would be changed): root=UUID=
		# could name it, or the verity device, whichever is found first.
		fsuuid=$(blkid -o value -s UUID "$d/data.img")
		[ -n "$fsuuid" ] || die "no file system UUID in $d/data.img"
		cp --sparse=always "$d/data.img" "$W/copy.img"
		CMDLINE=$(sed "s|root=/dev/mapper/root|root=UUID=$fsuuid|" "$d/cmdline") EXTRA_DISK=$W/copy.img \
			boot "$v" "$d" "$d/data.img" "$d/hash.img"
		check "$v" "root=UUID= refused" -F "dmboot: root=UUID=$fsuuid with roothash=: only root=/dev/mapper/root is the verified root"
		check_not "$v" "no root mounted" -E "EXT4-fs \((dm-|vd)"
		check_not "$v" "no multi-user.target" -F "DISTRO-CHECK"
		rm -f "$W/copy.img"
		;;
	dracut-rootuuid)
		fsuuid=$(blkid -o value -s UUID "$d/data.img")
		[ -n "$fsuuid" ] || die "no file system UUID in $d/data.img"
		cp --sparse=always "$d/data.img" "$W/copy.img"
		CMDLINE="$(sed "s|root=/dev/mapper/root|root=UUID=$fsuuid|" "$d/cmdline") roothash=$(cat "$d/roothash")"
		CMDLINE+=" systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb"
		CMDLINE=$CMDLINE EXTRA_DISK=$W/copy.img boot "$v" "$d" "$d/data.img" "$d/hash.img"
		check "$v" "root=UUID= refused" -F "dmboot: roothash= needs root=/dev/mapper/root, not root=UUID=$fsuuid"
		check_not "$v" "no root mounted" -E "EXT4-fs \((dm-|vd)|Mounted sysroot"
		check_not "$v" "no multi-user.target" -F "DISTRO-CHECK"
		rm -f "$W/copy.img"
		;;
	itools-data)
		# The first block of systemd's binary, which PID 1 must read.
		local_blk=$(debugfs -R "bmap /usr/lib/systemd/systemd 0" "$d/data.img" 2>/dev/null)
		[ "${local_blk:-0}" -gt 0 ] || die "no block for /usr/lib/systemd/systemd"
		cp --sparse=always "$d/data.img" "$W/tamper-data.img"
		flip "$W/tamper-data.img" $((local_blk * 4096 + 200))
		boot "$v" "$d" "$W/tamper-data.img" "$d/hash.img"
		check "$v" "dm-verity refused the changed block" -E "verity.*data block $local_blk is corrupted"
		check_not "$v" "no multi-user.target" -F "DISTRO-CHECK"
		rm -f "$W/tamper-data.img"
		;;
	luks)
		boot "$v" "$d" "$d/data.img"
		check "$v" "the passphrase prompt on the console" -F "Enter passphrase for"
		check_not "$v" "the passphrase never on the console" -F "$PASS"
		check "$v" "multi-user.target reached" -F "DISTRO-CHECK multi-user.target=active"
		check "$v" "/ is /dev/mapper/root, ext4" -E "DISTRO-CHECK root=/dev/mapper/root ext4 "
		# The volume key in the kernel keyring, as cryptsetup 2 loads it:
		# the table names it, never holds it.
		check "$v" "root is dm-crypt, its key in the keyring" \
			-E "DISTRO-CHECK table root: 0 [0-9]+ crypt aes-xts-plain64 :64:logon:cryptsetup:$(cat "$d/luks-uuid")-d0 0 [0-9]+:[0-9]+ 32768$"
		check "$v" "the check unit ran to its end" -F "DISTRO-CHECK done"
		;;
	esac
	times+=("$v: boot $BOOT_SECS s")
done
echo "---- times: ${times[*]}; total $(($(date +%s) - total)) s"
echo "$passed passed, $failed failed"
# exit inside the block: bash never reads on past it (an edit during a run
# cannot run as code).
exit $((failed > 0))
}
