# Host-side helpers for the boot tests (demo.sh, init-boot.sh,
# bench-boot.sh), which build a verified root and an initramfs around it.
# Sourced, not run; MODROOT and KVER come from kernel.sh.
# shellcheck shell=bash

# verity_root DIR SIZE DATA HASH [mkfs.ext4 options...]: an ext4 image of
# DIR (no journal: a read-only root needs none) and its hash tree, made
# by veritysetup format (sha256, 4 KiB blocks). Sets roothash, salt,
# blocks and vuuid from veritysetup's report, kept in HASH.txt.
verity_root() {
	local dir=$1 size=$2 data=$3 hash=$4
	shift 4
	truncate -s "$size" "$data"
	mkfs.ext4 -q -F -b 4096 -O ^has_journal -E root_owner=0:0 "$@" -d "$dir" "$data" ||
		return 1
	veritysetup format --hash=sha256 --data-block-size=4096 --hash-block-size=4096 \
		"$data" "$hash" >"$hash.txt" || return 1
	_vr_field() { awk -F: -v k="$1" '$1 == k { sub(/^[ \t]+/, "", $2); print $2 }' "$hash.txt"; }
	roothash=$(_vr_field "Root hash") salt=$(_vr_field Salt)
	blocks=$(_vr_field "Data blocks") vuuid=$(_vr_field UUID)
	[ -n "$roothash" ] && [ -n "$salt" ] && [ -n "$blocks" ]
}

# module_order MODULE...: the .ko files to load, dependencies first, each
# once, as modprobe --show-depends orders them.
module_order() {
	local mod
	for mod in "$@"; do
		modprobe -d "$MODROOT" -S "$KVER" --show-depends "$mod" || return 1
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}
