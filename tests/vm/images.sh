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
