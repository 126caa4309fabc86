# SPDX-License-Identifier: MIT
# Host-side helpers for the boot tests (demo.sh, init-boot.sh,
# bench-boot.sh), which build a verified (and encrypted) root and an
# initramfs around it.
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

# xts_plain64 KEY IN OUT: IN encrypted as dm-crypt's plain
# aes-xts-plain64 stores it under KEY (a 64-byte file: AES-256-XTS), so
# that a crypt volume can be made without device-mapper. 512-byte
# sectors, each one's number (little-endian) its tweak. openssl enc has
# no XTS; it is built from AES-ECB (IEEE 1619): T = E_K2(sector), then
# for each 16-byte block C = E_K1(P ^ T) ^ T, and T times x in GF(2^128)
# (doubled, 0x87 folded back in) from block to block.
xts_plain64() {
	local key=$1 in=$2 out=$3 k1 k2 size
	size=$(stat -c %s "$in")
	[ "$(stat -c %s "$key")" -eq 64 ] && [ $((size % 512)) -eq 0 ] || return 1
	k1=$(head -c 32 "$key" | od -An -tx1 -v | tr -d ' \n')
	k2=$(tail -c 32 "$key" | od -An -tx1 -v | tr -d ' \n')
	perl -e 'print pack("Q<Q<", $_, 0) for 0 .. $ARGV[0] - 1' $((size / 512)) |
		openssl enc -aes-256-ecb -nopad -K "$k2" >"$out.tweak" || return 1
	# Every block's T, in the order of the blocks.
	perl -e '
		open(my $t, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
		open(my $m, ">", $ARGV[1]) or die "$ARGV[1]: $!\n";
		while (read($t, my $t0, 16) == 16) {
			my ($lo, $hi) = unpack("Q<Q<", $t0);
			for (1 .. 32) {
				print $m pack("Q<Q<", $lo, $hi);
				my $carry = $hi >> 63;
				$hi = ($hi << 1) | ($lo >> 63);
				$lo = ($lo << 1) ^ ($carry ? 0x87 : 0);
			}
		}
		close($m) or die "$ARGV[1]: $!\n";
	' "$out.tweak" "$out.mask" || return 1
	_xts_xor() { perl -e 'local $/; open(my $m, "<", $ARGV[0]) or die; print scalar(<STDIN>) ^ <$m>' "$1"; }
	_xts_xor "$out.mask" <"$in" | openssl enc -aes-256-ecb -nopad -K "$k1" |
		_xts_xor "$out.mask" >"$out" || return 1
	rm -f "$out.tweak" "$out.mask"
	[ "$(stat -c %s "$out")" -eq "$size" ]
}

# module_order MODULE...: the .ko files to load, dependencies first, each
# once, as modprobe --show-depends orders them.
module_order() {
	local mod
	for mod in "$@"; do
		modprobe -d "$MODROOT" -S "$KVER" --show-depends "$mod" || return 1
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

# luks_root DATA OUT PASSFILE [luksFormat options...]: OUT a LUKS2 volume
# made by cryptsetup luksFormat (aes-xts-plain64, a random 512-bit volume
# key, 512-byte sectors, argon2id at 16 MiB and 4 passes, one lane: TCG
# unlocks it in seconds) with PASSFILE's bytes as the passphrase of
# keyslot 0, whose data segment holds DATA encrypted on this machine with
# the volume key (xts_plain64: no device-mapper needed). LUKS_HEADER=FILE:
# a detached header there (small: 16 KiB metadata, 512 KiB keyslots), the
# data from OUT's first byte. Sets luuid and loffset (the data segment's
# offset in bytes).
luks_root() {
	local data=$1 out=$2 pass=$3 size hdr=$2 fmt=()
	shift 3
	size=$(stat -c %s "$data")
	rm -f "$out"
	if [ -n "${LUKS_HEADER:-}" ]; then
		hdr=$LUKS_HEADER
		rm -f "$hdr"
		truncate -s "$size" "$out"
		fmt=(--header "$hdr" --luks2-metadata-size 16k --luks2-keyslots-size 512k)
	else
		truncate -s $(((16 << 20) + size)) "$out"
	fi
	head -c 64 /dev/urandom >"$out.vk"
	cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 --key-size 512 \
		--sector-size 512 --pbkdf argon2id --pbkdf-memory 16384 \
		--pbkdf-force-iterations 4 --pbkdf-parallel 1 "${fmt[@]}" \
		--volume-key-file "$out.vk" --key-file "$pass" "$@" "$out" || return 1
	luuid=$(cryptsetup luksUUID "$hdr") || return 1
	loffset=$(cryptsetup luksDump "$hdr" |
		awk '/^Data segments:/ { d = 1 } d && $1 == "offset:" { print $2; exit }')
	[ -n "$luuid" ] && [ -n "$loffset" ] || return 1
	xts_plain64 "$out.vk" "$data" "$out.data" || return 1
	dd if="$out.data" of="$out" bs=1M seek="$loffset" oflag=seek_bytes conv=notrunc status=none ||
		return 1
	rm -f "$out.vk" "$out.data"
}

# type_at_prompts RAWLOG FIFO WORD [EOL]: WORD and EOL (default a newline)
# written to FIFO, the serial console's input, at each "Enter passphrase
# for" that RAWLOG (the console's output) shows, up to 3; FIFO stays open
# until it is gone (the VM ended). Run in the background.
type_at_prompts() {
	local seen n=0
	exec 3>"$2"
	while [ "$n" -lt 3 ] && [ -e "$2" ]; do
		seen=$(grep -a -c "Enter passphrase for" "$1" 2>/dev/null || true)
		if [ "${seen:-0}" -gt "$n" ]; then
			n=$seen
			sleep 0.5
			printf '%s%b' "$3" "${4:-\n}" >&3
		fi
		sleep 0.2
	done
	while [ -e "$2" ]; do sleep 0.5; done
}
