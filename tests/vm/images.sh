# SPDX-License-Identifier: MIT
# Host-side builders for the raw disk images scenarios declare. Sourced by
# suite.sh. A scenario asks for its drives in header lines, in drive order:
#
#   # drive: LABEL FUNCTION [ARGS...]
#
# suite.sh calls `FUNCTION OUT.img ARGS...` with IMG_DIR set to the scratch
# directory (so img_LABEL.img of an earlier drive is "$IMG_DIR/LABEL.img"),
# and tells the guest DRIVE_<LABEL>=/dev/vdX through /test/env. A builder
# passes more facts to the guest with `img_env NAME VALUE`. None of them
# needs device-mapper on the host.
# shellcheck shell=bash

img_env() { printf "%s='%s'\n" "$1" "$2" >>"$IMG_DIR/env"; }

# img_zero OUT SIZE: a sparse image of zeros (SIZE as truncate takes it).
img_zero() { rm -f "$1"; truncate -s "$2" "$1"; }

# img_random OUT SIZE: random bytes; the guest gets <label>_MD5.
img_random() {
	head -c "$(numfmt --from=iec "$2")" /dev/urandom >"$1"
	img_env "$(basename "$1" .img)_MD5" "$(md5sum <"$1" | cut -d' ' -f1)"
}

# img_verity_hash OUT DATA_LABEL [veritysetup format options...]: a hash
# device for the image of drive DATA_LABEL. The guest gets <label>_ROOT_HASH,
# _SALT, _HASH_ALG, _DATA_BLOCKS, _DATA_BLOCK_SIZE, _HASH_BLOCK_SIZE, _UUID.
img_verity_hash() {
	local out=$1 data=$IMG_DIR/$2.img label k v
	shift 2
	label=$(basename "$out" .img)
	[ -f "$data" ] || { echo "img_verity_hash: no drive image $data (declare it first)" >&2; return 1; }
	rm -f "$out"
	veritysetup format "$@" "$data" "$out" >"$out.txt" || return 1
	while IFS=: read -r k v; do
		v=${v#"${v%%[![:space:]]*}"}
		case $k in
		"Root hash") img_env "${label}_ROOT_HASH" "$v" ;;
		Salt) img_env "${label}_SALT" "$v" ;;
		"Hash algorithm") img_env "${label}_HASH_ALG" "$v" ;;
		"Data blocks") img_env "${label}_DATA_BLOCKS" "$v" ;;
		"Data block size") img_env "${label}_DATA_BLOCK_SIZE" "$v" ;;
		"Hash block size") img_env "${label}_HASH_BLOCK_SIZE" "$v" ;;
		UUID) img_env "${label}_UUID" "$v" ;;
		esac
	done <"$out.txt"
}

# img_ext4 OUT SIZE [DIR]: an ext4 file system, filled from DIR if given.
img_ext4() {
	rm -f "$1"
	truncate -s "$2" "$1"
	mkfs.ext4 -q -F ${3:+-d "$3"} "$1"
}

# img_verity_appended OUT SIZE [veritysetup format options...]: random
# data of SIZE with its hash tree appended in the same image
# (--hash-offset SIZE). The guest gets <label>_MD5 (of the data part),
# _ROOT_HASH, _OFFSET, _DATA_BLOCKS and the other img_verity_hash facts.
img_verity_appended() {
	local out=$1 size bytes label
	size=$(numfmt --from=iec "$2")
	shift 2
	label=$(basename "$out" .img)
	head -c "$size" /dev/urandom >"$out"
	img_env "${label}_MD5" "$(md5sum <"$out" | cut -d' ' -f1)"
	img_env "${label}_OFFSET" "$size"
	cp "$out" "$IMG_DIR/$label.data.img"
	veritysetup format --hash-offset "$size" --data-blocks $((size / 4096)) "$@" \
		"$IMG_DIR/$label.data.img" "$out" >"$out.txt" || return 1
	rm -f "$IMG_DIR/$label.data.img"
	bytes=$(stat -c %s "$out")
	truncate -s $(((bytes + 4095) / 4096 * 4096)) "$out"
	_img_verity_facts "$label" "$out.txt"
}

# img_verity_fec OUT DATA_LABEL HASH_LABEL [ROOTS]: formats DATA again with
# FEC parity into OUT (the FEC drive); HASH_LABEL's facts are replaced.
img_verity_fec() {
	local out=$1 data=$IMG_DIR/$2.img hash=$IMG_DIR/$3.img
	rm -f "$out"
	veritysetup format --fec-device "$out" --fec-roots "${4:-2}" "$data" "$hash" \
		>"$hash.txt" || return 1
	bytes=$(stat -c %s "$out")
	truncate -s $(((bytes + 4095) / 4096 * 4096)) "$out"
	_img_verity_facts "$3" "$hash.txt"
}

# img_verity_sig OUT HASH_LABEL: a self-signed certificate (not trusted by
# the kernel) signs HASH_LABEL's root hash as veritysetup expects (PKCS#7,
# DER, detached, over the hex text). OUT holds the signature, padded; the
# guest gets <label>_SIZE.
img_verity_sig() {
	local out=$1 label dir root
	label=$(basename "$out" .img)
	dir=$IMG_DIR/$label.d
	command -v openssl >/dev/null || apt-get install -y --no-install-recommends openssl >/dev/null
	mkdir -p "$dir"
	root=$(sed -n 's/^Root hash:[[:space:]]*//p' "$IMG_DIR/$2.img.txt")
	printf %s "$root" >"$dir/roothash.txt"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" \
		-days 2 -subj /CN=dmboot-test >/dev/null 2>&1 || return 1
	openssl smime -sign -nocerts -noattr -binary -in "$dir/roothash.txt" \
		-inkey "$dir/key.pem" -signer "$dir/cert.pem" -outform der -out "$out" || return 1
	img_env "${label}_SIZE" "$(stat -c %s "$out")"
	truncate -s 4096 "$out"
}

_img_verity_facts() {
	local label=$1 k v
	while IFS=: read -r k v; do
		v=${v#"${v%%[![:space:]]*}"}
		case $k in
		"Root hash") img_env "${label}_ROOT_HASH" "$v" ;;
		Salt) img_env "${label}_SALT" "$v" ;;
		"Hash algorithm") img_env "${label}_HASH_ALG" "$v" ;;
		"Data blocks") img_env "${label}_DATA_BLOCKS" "$v" ;;
		UUID) img_env "${label}_UUID" "$v" ;;
		esac
	done <"$2"
}

# img_gpt OUT SIZE: a GPT disk (sgdisk): partition 1 "root" holding an
# ext4 file system labelled gptroot, 2 left empty (the kernel keeps the
# numbering), 3 "esp" and 4 "hash-a" (raw). The guest gets
# <label>_PARTUUID_<n> as util-linux prints them (lower-cased) and
# <label>_FS_UUID of the ext4 in partition 1.
img_gpt() {
	local out=$1 label n
	label=$(basename "$out" .img)
	rm -f "$out" "$out.fs"
	truncate -s "$2" "$out"
	sgdisk -o -n 1:2048:+4M -c 1:root -n 3:0:+1M -c 3:esp -t 3:ef00 \
		-n 4:0:+1M -c 4:hash-a "$out" >/dev/null || return 1
	truncate -s 4M "$out.fs"
	mkfs.ext4 -q -F -L gptroot "$out.fs" || return 1
	dd if="$out.fs" of="$out" bs=512 seek=2048 conv=notrunc status=none || return 1
	img_env "${label}_FS_UUID" "$(blkid -p -o value -s UUID "$out.fs")"
	rm -f "$out.fs"
	for n in 1 3 4; do
		img_env "${label}_PARTUUID_$n" \
			"$(sfdisk --part-uuid "$out" "$n" | tr A-F a-f)"
	done
}

# img_mbr OUT SIZE DISKID: a DOS disk (sfdisk) with signature 0xDISKID and
# partitions 1 and 3 (2 empty); the guest gets <label>_DISKID.
img_mbr() {
	local label
	label=$(basename "$1" .img)
	rm -f "$1"
	truncate -s "$2" "$1"
	printf 'label: dos\nlabel-id: 0x%s\n%s1 : start=2048, size=2048, type=83\n%s3 : start=4096, size=2048, type=83\n' \
		"$3" "$1" "$1" | sfdisk -q "$1" >/dev/null || return 1
	img_env "${label}_DISKID" "$3"
}

# img_ext4_id OUT SIZE LABEL UUID: ext4 with this label and UUID.
img_ext4_id() {
	rm -f "$1"
	truncate -s "$2" "$1"
	mkfs.ext4 -q -F -L "$3" -U "$4" "$1"
}

# img_erofs OUT UUID LABEL: an erofs image. Debian 12's mkfs.erofs has no
# -L: the label is written into the superblock and its crc32c (which the
# kernel and newer blkid check) recomputed.
img_erofs() {
	local out=$1
	rm -rf "$out" "$out.d"
	mkdir -p "$out.d"
	echo erofs >"$out.d/file"
	mkfs.erofs --quiet -U "$2" "$out" "$out.d" >/dev/null || return 1
	rm -rf "$out.d"
	perl -e '
		my ($f, $label) = @ARGV;
		open(my $h, "+<:raw", $f) or die "$f: $!";
		seek($h, 1024, 0);
		read($h, my $sb, 128) == 128 or die "short superblock";
		my $len = 1 << unpack("C", substr($sb, 12, 1));
		$len -= 1024 if $len > 1024;
		seek($h, 1024, 0);
		read($h, $sb, $len) == $len or die "short block";
		substr($sb, 64, 16) = pack("a16", $label);
		if (unpack("V", substr($sb, 8, 4)) & 1) {
			substr($sb, 4, 4) = "\0\0\0\0";
			my $crc = 0xffffffff;
			for my $c (unpack("C*", $sb)) {
				$crc ^= $c;
				$crc = ($crc >> 1) ^ (($crc & 1) ? 0x82f63b78 : 0) for 1 .. 8;
			}
			substr($sb, 4, 4) = pack("V", $crc);
		}
		seek($h, 1024, 0);
		print $h $sb;
		close($h) or die;
	' "$out" "$3" || return 1
	truncate -s 1M "$out"
}

# img_root_init OUT SIZE: an ext4 root (no journal) whose /sbin/init is
# tests/vm/root-init.c, static: it prints "ROOT-INIT-REACHED: / is MAJ:MIN"
# and exits. dev, proc, sys and run are there for switch_root to move
# the initramfs's mounts onto.
img_root_init() {
	local d
	d=$IMG_DIR/$(basename "$1" .img).d
	rm -rf "$d" "$1"
	mkdir -p "$d"/sbin "$d"/dev "$d"/proc "$d"/sys "$d"/run
	musl-gcc -static -Os -Wall -Wextra -o "$d/sbin/init" "$VM_DIR/root-init.c" || return 1
	truncate -s "$2" "$1"
	mkfs.ext4 -q -F -b 4096 -O ^has_journal -E root_owner=0:0 -d "$d" "$1" || return 1
	rm -rf "$d"
}

# img_luks OUT SIZE PASS [WORD|luksFormat option]...: a LUKS volume made by
# the host's cryptsetup (2.6.1 on Debian 12) with passphrase PASS in slot
# 0 (read from a file: no newline). WORDs after it, in order:
#   cpus=N          format with sysconf's online CPU count N (a bind mount
#                   over /sys/devices/system/cpu/online in a mount
#                   namespace: cryptsetup lowers --pbkdf-parallel to it)
#   header=LABEL    the header goes to drive LABEL's image (declared
#                   earlier, e.g. img_zero 16M): a detached header
#   add=SLOT:PASS   one more passphrase in SLOT
#   key=SLOT:OFS:N  the key file img_luks_keyfile writes (and the guest
#                   rebuilds with `seq 100000 | head -c 8192`), N bytes
#                   from byte OFS, in SLOT
#   kill=SLOT       luksKillSlot SLOT
#   prio=SLOT:P     LUKS2 keyslot priority P (prefer, normal, ignore)
# Every other word goes to luksFormat (and the --pbkdf* ones to
# luksAddKey too). The guest gets <label>_UUID.
img_luks() {
	local out=$1 size=$2 pass=$3 label cpus='' hdr='' w arg=''
	local fmt=() kdf=() post=()
	shift 3
	label=$(basename "$out" .img)
	for w in "$@"; do
		if [ -n "$arg" ]; then # the value of a --pbkdf* option
			fmt+=("$w") kdf+=("$w") arg=''
			continue
		fi
		case $w in
		cpus=*) cpus=${w#cpus=} ;;
		header=*) hdr=$IMG_DIR/${w#header=}.img ;;
		add=* | key=* | kill=* | prio=*) post+=("$w") ;;
		--pbkdf=* | --pbkdf-*=*) fmt+=("$w") kdf+=("$w") ;;
		--pbkdf*) fmt+=("$w") kdf+=("$w") arg=1 ;;
		*) fmt+=("$w") ;;
		esac
	done
	rm -f "$out"
	truncate -s "$size" "$out"
	printf %s "$pass" >"$out.pass"
	img_luks_keyfile "$IMG_DIR/keyfile"
	local cs=(cryptsetup -q --batch-mode)
	if [ -n "$cpus" ]; then
		printf '0-%d\n' $((cpus - 1)) >"$out.online"
		# shellcheck disable=SC2016 # the inner shell expands them
		cs=(unshare -m sh -c 'mount --bind "$0" /sys/devices/system/cpu/online && exec "$@"'
			"$out.online" "${cs[@]}")
	fi
	"${cs[@]}" luksFormat "${fmt[@]}" ${hdr:+--header "$hdr"} -d "$out.pass" "$out" </dev/null ||
		{ echo "img_luks: luksFormat $out failed" >&2; return 1; }
	local slot a b
	# suite.sh feeds the drive list on stdin: cryptsetup must not read it.
	for w in ${post[@]+"${post[@]}"}; do
		IFS=: read -r slot a b <<<"${w#*=}"
		case $w in
		add=*)
			printf %s "$a" >"$out.new"
			"${cs[@]}" luksAddKey "${kdf[@]}" ${hdr:+--header "$hdr"} -d "$out.pass" \
				--key-slot "$slot" "$out" "$out.new" </dev/null || return 1 ;;
		key=*)
			"${cs[@]}" luksAddKey "${kdf[@]}" ${hdr:+--header "$hdr"} -d "$out.pass" \
				--key-slot "$slot" --new-keyfile-offset "$a" --new-keyfile-size "$b" \
				"$out" "$IMG_DIR/keyfile" </dev/null || return 1 ;;
		kill=*) cryptsetup -q luksKillSlot ${hdr:+--header "$hdr"} "$out" "$slot" \
			</dev/null 2>/dev/null || return 1 ;;
		prio=*) cryptsetup -q config ${hdr:+--header "$hdr"} --key-slot "$slot" \
			--priority "$a" "$out" </dev/null || return 1 ;;
		esac
	done
	rm -f "$out.pass" "$out.new" "$out.online"
	img_env "${label}_UUID" "$(cryptsetup luksUUID "${hdr:-$out}")"
}

# img_luks_keyfile OUT: 8192 bytes the guest can rebuild the same way.
img_luks_keyfile() { [ -f "$1" ] || seq 100000 | head -c 8192 >"$1"; }
