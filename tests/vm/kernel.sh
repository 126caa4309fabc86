#!/bin/bash
# SPDX-License-Identifier: MIT
# Fetch Debian's cloud kernel for the VM tests without installing it.
#
#   tests/vm/kernel.sh [--print-env]     fetch if needed, print KEY='value' lines
#   eval "$(tests/vm/kernel.sh)"         ... and use $KERNEL $MODROOT $MODDIR $KVER
#
# The package behind linux-image-cloud-amd64 is resolved at run time, so a
# Debian point release moves the tests to the new kernel by itself. The tree
# is unpacked once into $DMBOOT_CACHE/kernel/<package>_<version>/ and reused.
# DMBOOT_KERNEL_DEB=/path/x.deb uses a local package instead (offline runs).
set -eu
. "$(dirname "$0")/common.sh"

META=linux-image-cloud-amd64

case "${1:---print-env}" in
--print-env) ;;
-h | --help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
*) die "unknown argument: $1 (try --help)" ;;
esac

need_pkgs dpkg-deb:dpkg depmod:kmod apt-get:apt

# Prints "package version". The meta package pins the exact version of the
# image it depends on, so one apt-cache call (about 0.5 s here) answers both.
resolve_pkg() {
	apt-cache show --no-all-versions "$META" 2>/dev/null | awk '
		$1 == "Depends:" {
			n = split(substr($0, 10), dep, ",")
			for (i = 1; i <= n; i++)
				if (match(dep[i], /linux-image-[^ ]+ \(= [^)]+\)/)) {
					split(substr(dep[i], RSTART, RLENGTH), w, /[ ()=]+/)
					print w[1], w[2]; exit
				}
		}'
}

newest_cached() {
	ls -1d "$DMBOOT_CACHE"/kernel/*/.ok 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname
}

deb=${DMBOOT_KERNEL_DEB:-}
if [ -n "$deb" ]; then
	[ -f "$deb" ] || die "DMBOOT_KERNEL_DEB=$deb: no such file"
	pkg=$(dpkg-deb -f "$deb" Package) ver=$(dpkg-deb -f "$deb" Version)
else
	read -r pkg ver <<<"$(resolve_pkg)" || true
	if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
		note "apt does not know $META yet; running apt-get update"
		apt-get update -qq >&2 || true
		read -r pkg ver <<<"$(resolve_pkg)" || true
	fi
fi

if [ -n "$pkg" ] && [ -n "$ver" ]; then
	tree=$DMBOOT_CACHE/kernel/${pkg}_$ver
else
	tree=$(newest_cached)
	[ -n "$tree" ] || die "cannot resolve the package $META depends on, and nothing is cached"
	note "cannot resolve $META; using cached $tree"
fi

if [ ! -e "$tree/.ok" ]; then
	mkdir -p "$DMBOOT_CACHE/kernel"
	tmp=$(mktemp -d "$DMBOOT_CACHE/kernel/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	if [ -z "$deb" ]; then
		note "downloading $pkg $ver"
		# apt drops privileges to _apt for downloads; let it write here.
		chmod 755 "$tmp"
		id _apt >/dev/null 2>&1 && chown _apt "$tmp"
		(cd "$tmp" && apt-get download -q "$pkg=$ver" >&2) ||
			die "apt-get download $pkg=$ver failed"
		deb=$(ls "$tmp"/*.deb)
	fi
	dpkg-deb -x "$deb" "$tmp/root"
	rm -f "$tmp"/*.deb
	kver=$(ls -1 "$tmp/root/lib/modules" | head -n 1)
	if [ -z "$kver" ] || [ ! -f "$tmp/root/boot/vmlinuz-$kver" ]; then
		die "$pkg: no boot/vmlinuz-* or lib/modules/* inside the package"
	fi
	depmod -b "$tmp/root" "$kver"
	rm -rf "$tree"
	mv "$tmp/root" "$tree"
	echo "$kver" >"$tree/.ok"
	rm -rf "$tmp"
	trap - EXIT
fi

kver=$(cat "$tree/.ok")
printf "KERNEL='%s'\n" "$tree/boot/vmlinuz-$kver"
printf "MODROOT='%s'\n" "$tree"
printf "MODDIR='%s'\n" "$tree/lib/modules/$kver"
printf "KVER='%s'\n" "$kver"
printf "KPKG='%s'\n" "$(basename "$tree")"
