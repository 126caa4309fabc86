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
