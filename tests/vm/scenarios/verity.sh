#!/bin/sh
# SPDX-License-Identifier: MIT
# dmboot verity (and its veritysetup multi-call name) against veritysetup
# on the same kernel: the same table and UUID for every image layout, each
# tool closing the other's devices, the root hash checked before a device
# exists, signatures, FEC, offline verify (hash block padding included).
# Needs /bin/dmboot.
# drive: d1 img_random 4M
# drive: h1 img_verity_hash d1
# drive: d2 img_random 2M
# drive: h2 img_verity_hash d2 --hash sha1 --data-block-size 1024
# drive: d3 img_random 1M
# drive: h3 img_verity_hash d3 --hash sha512 --data-block-size 512 --salt -
# drive: d4 img_random 2M
# drive: h4 img_verity_hash d4 --format 0
# drive: app img_verity_appended 4M
# drive: d5 img_random 2M
# drive: h5 img_verity_hash d5
# drive: f5 img_verity_fec d5 h5
# drive: dc img_random 1M
# drive: hc img_verity_hash dc
# drive: sig img_verity_sig h1
# drive: d6 img_random 1M
# drive: h6 img_zero 1M
# drive: d7 img_random 256K
# drive: h7 img_zero 1M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

ln -sf /bin/dmboot /tmp/veritysetup-dmboot
mkdir -p /tmp/mc && ln -sf /bin/dmboot /tmp/mc/veritysetup


# vcase LABEL MD5 DATA HASH ROOT [open options...]: veritysetup and dmboot
# open the same image under the same name; tables, UUIDs, status output and
# contents must agree; each closes the other's device.
vcase() {
	label=$1 md5=$2 data=$3 hash=$4 root=$5
	shift 5
	veritysetup_ref "$label" "$data" "$hash" "$root" "$@" || return
	check "$label: dmboot verity close on veritysetup's device" dmboot verity close vs
	no_dm_devices "$label: nothing left after dmboot's close"
	check "$label: dmboot verity open" dmboot verity open "$@" "$data" vs "$hash" "$root"
	same "$label: table and UUID equal veritysetup's" "the_table vs" "cat /tmp/t.veritysetup"
	same "$label: status equals veritysetup's" \
		"dmboot verity status vs; echo rc=\$?" "cat /tmp/s.veritysetup"
	expect_out "$label: contents are the image's" "$md5" \
		sh -c "md5sum <$(dm_node vs) | cut -d' ' -f1"
	expect_out "$label: dm-verity status V" "0 $(sectors "$(dm_node vs)") verity V" \
		sh -c "dmsetup status vs | cut -d' ' -f1-4"
	check "$label: veritysetup close on dmboot's device" veritysetup close vs
	no_dm_devices "$label: nothing left"
}

no_dm_devices "nothing at start"
vcase "sha256 4096" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH"
vcase "sha1 data 1024" "$d2_MD5" "$DRIVE_d2" "$DRIVE_h2" "$h2_ROOT_HASH"
vcase "sha512 data 512 no salt" "$d3_MD5" "$DRIVE_d3" "$DRIVE_h3" "$h3_ROOT_HASH"
vcase "format 0" "$d4_MD5" "$DRIVE_d4" "$DRIVE_h4" "$h4_ROOT_HASH"
vcase "hash appended (offset)" "$app_MD5" "$DRIVE_app" "$DRIVE_app" "$app_ROOT_HASH" \
	--hash-offset "$app_OFFSET"
vcase "FEC" "$d5_MD5" "$DRIVE_d5" "$DRIVE_h5" "$h5_ROOT_HASH" --fec-device "$DRIVE_f5"
vcase "FEC roots 2, offset 0" "$d5_MD5" "$DRIVE_d5" "$DRIVE_h5" "$h5_ROOT_HASH" \
	--fec-device "$DRIVE_f5" --fec-roots 2 --fec-offset 0
vcase "options" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" \
	--ignore-corruption --ignore-zero-blocks --check-at-most-once
vcase "restart on corruption" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" \
	--restart-on-corruption
vcase "everything but tasklets" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" \
	--panic-on-corruption --ignore-zero-blocks --check-at-most-once
vcase "panic beats ignore" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" \
	--panic-on-corruption --ignore-corruption
printf '%s\n' "$h1_ROOT_HASH" >/tmp/root.txt
check "--root-hash-file" dmboot verity open --root-hash-file /tmp/root.txt "$DRIVE_d1" rf "$DRIVE_h1"
same "--root-hash-file: same table" "dmsetup table rf" \
	"dmsetup table rf | sed 's/ [0-9a-f]\{64\} / $h1_ROOT_HASH /'"
check "close it" dmboot verity close rf

# ---- no superblock: parameters on the command line ----
SB_ARGS="--no-superblock --hash-offset 4096 --salt $h1_SALT"
vcase "no superblock" "$d1_MD5" "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH" $SB_ARGS
check "veritysetup format --no-superblock, sha1, 1024/4096, no salt" \
	veritysetup format --no-superblock --hash sha1 --data-block-size 1024 --salt - \
	--data-blocks 512 "$DRIVE_d6" "$DRIVE_h6"
R6=$(veritysetup format --no-superblock --hash sha1 --data-block-size 1024 --salt - \
	--data-blocks 512 "$DRIVE_d6" "$DRIVE_h6" | sed -n 's/^Root hash:[[:space:]]*//p')
vcase "no superblock, sha1, data blocks" "$(head -c 524288 "$DRIVE_d6" | md5sum | cut -d' ' -f1)" \
	"$DRIVE_d6" "$DRIVE_h6" "$R6" --no-superblock --hash sha1 --data-block-size 1024 \
	--salt - --data-blocks 512
check "--uuid with --no-superblock" dmboot verity open --no-superblock --salt - --hash sha1 \
	--data-block-size 1024 --data-blocks 512 --uuid 12345678-9abc-def0-1234-56789abcdef0 \
	"$DRIVE_d6" u "$DRIVE_h6" "$R6"
expect_out "its UUID" "CRYPT-VERITY-123456789abcdef0123456789abcdef0-u" \
	dmsetup info -c --noheadings -o uuid u
check "close it" dmboot verity close u

# ---- the root hash checked before activation ----
BAD=$(echo "$h1_ROOT_HASH" | tr 0-9a-f 1-9a-f0)
one_line "wrong root hash: one clear line" '^dmboot: verity: bad: root hash does not match' \
	dmboot verity open "$DRIVE_d1" bad "$DRIVE_h1" "$BAD"
no_dm_devices "wrong root hash: no device"
check "--no-root-hash-check activates it anyway (as veritysetup)" \
	dmboot verity open --no-root-hash-check "$DRIVE_d1" bad "$DRIVE_h1" "$BAD"
check_fail "which then fails reads" dd if="$(dm_node bad)" of=/dev/null bs=4096 count=1
check "close it" dmboot verity close bad
BAD3=$(echo "$h3_ROOT_HASH" | tr 0-9a-f 1-9a-f0)
check_fail "wrong root hash, sha512/512" dmboot verity open "$DRIVE_d3" bad "$DRIVE_h3" "$BAD3"
BAD4=$(echo "$h4_ROOT_HASH" | tr 0-9a-f 1-9a-f0)
check_fail "wrong root hash, format 0" dmboot verity open "$DRIVE_d4" bad "$DRIVE_h4" "$BAD4"
check_fail "root hash of the wrong size" dmboot verity open "$DRIVE_d1" bad "$DRIVE_h1" abcd
check_fail "no superblock on the data drive" dmboot verity open "$DRIVE_d1" bad "$DRIVE_d1" "$h1_ROOT_HASH"
no_dm_devices "failures left nothing"

# ---- status and close, exit codes as veritysetup's ----
same "status of a missing device" "dmboot verity status nonexist; echo rc=\$?" \
	"veritysetup status nonexist; echo rc=\$?"
expect_rc "close of a missing device: exit 4 as veritysetup" 4 dmboot verity close nonexist
expect_rc "veritysetup's own: exit 4" 4 veritysetup close nonexist

# ---- the multi-call name ----
check "veritysetup (symlink to dmboot) open" /tmp/mc/veritysetup open "$DRIVE_d1" mc "$DRIVE_h1" "$h1_ROOT_HASH"
the_table mc >/tmp/t.mc
/tmp/mc/veritysetup status mc >/tmp/s.mc
check "multi-call close" /tmp/mc/veritysetup close mc
no_dm_devices "multi-call: nothing left"
veritysetup open "$DRIVE_d1" mc "$DRIVE_h1" "$h1_ROOT_HASH"
same "multi-call: same table and UUID as veritysetup's" "cat /tmp/t.mc" "the_table mc"
same "multi-call: same status" "cat /tmp/s.mc" "veritysetup status mc"
veritysetup close mc
expect_out "multi-call: usage errors are one line" "1" \
	sh -c "/tmp/mc/veritysetup frobnicate x 2>&1 | grep -c '^dmboot: veritysetup: '"

# ---- signatures: an untrusted signer is refused by the kernel ----
head -c "$sig_SIZE" "$DRIVE_sig" >/tmp/sig
one_line "untrusted signature: the kernel's refusal, one line" 'signature' \
	dmboot verity open --root-hash-signature /tmp/sig "$DRIVE_d1" sg "$DRIVE_h1" "$h1_ROOT_HASH"
check_fail "no signature key left in any keyring" grep -q 'cryptsetup:' /proc/keys
no_dm_devices "signature: no device"
check_fail "a missing signature file" dmboot verity open --root-hash-signature /nonexist \
	"$DRIVE_d1" sg "$DRIVE_h1" "$h1_ROOT_HASH"

# ---- verify ----
check "verify a good image" dmboot verity verify "$DRIVE_d1" "$DRIVE_h1" "$h1_ROOT_HASH"
check "verify sha512/512, no salt" dmboot verity verify "$DRIVE_d3" "$DRIVE_h3" "$h3_ROOT_HASH"
check "verify format 0" dmboot verity verify "$DRIVE_d4" "$DRIVE_h4" "$h4_ROOT_HASH"
check "verify appended" dmboot verity verify --hash-offset "$app_OFFSET" "$DRIVE_app" "$DRIVE_app" "$app_ROOT_HASH"
expect_rc "verify with a wrong root hash: exit 1 as veritysetup" 1 \
	dmboot verity verify "$DRIVE_d1" "$DRIVE_h1" "$BAD"

# ---- corruption ----
printf 'XXXX' | dd of="$DRIVE_dc" bs=1 seek=$((4096 * 5 + 100)) conv=notrunc 2>/dev/null
expect_rc "verify finds the corruption: exit 2 as veritysetup" 2 \
	dmboot verity verify "$DRIVE_dc" "$DRIVE_hc" "$hc_ROOT_HASH"
expect_out "and names the block" "dmboot: verity: data block 5: does not match its digest" \
	sh -c "dmboot verity verify $DRIVE_dc $DRIVE_hc $hc_ROOT_HASH 2>&1; true"
expect_rc "veritysetup verify agrees: exit 2" 2 veritysetup verify "$DRIVE_dc" "$DRIVE_hc" "$hc_ROOT_HASH"
check "open over a corrupted data block (the tree is intact)" \
	dmboot verity open "$DRIVE_dc" cor "$DRIVE_hc" "$hc_ROOT_HASH"
check_fail "reading the bad block fails" dd if="$(dm_node cor)" of=/dev/null bs=4096 skip=5 count=1
expect_out "status C after the error" "C" sh -c "dmsetup status cor | cut -d' ' -f4"
expect_out "dmboot verity status says corrupted" "  status:      corrupted" \
	sh -c "dmboot verity status cor | grep status:"
check "close" dmboot verity close cor
dd if=/dev/zero of="$DRIVE_hc" bs=1 seek=4096 count=64 conv=notrunc 2>/dev/null
expect_rc "a corrupted top hash block: the root check refuses" 1 \
	dmboot verity open "$DRIVE_dc" cor "$DRIVE_hc" "$hc_ROOT_HASH"

# ---- verify: hash block padding, which veritysetup checks and the kernel
# does not. One-level trees with no salt, so that the root hash is the
# digest of the one hash block (after the superblock) and can be made
# anew over a dirty byte: the tree is consistent, only the padding is not.
pad_root() { dd if="$DRIVE_h7" bs=4096 skip=1 count=1 2>/dev/null | "$1"sum | cut -d' ' -f1; }
# pad_case LABEL ALG DBS AT LINE VSPOS [format options...]: 64 data blocks
# of DBS bytes, byte AT of the hash block set; dmboot's LINE and
# veritysetup's position VSPOS (where the area it checks starts).
pad_case() {
	label=$1 alg=$2 dbs=$3 at=$4 line=$5 vspos=$6
	shift 6
	veritysetup format --salt - --data-block-size "$dbs" --data-blocks 64 \
		"$@" "$DRIVE_d7" "$DRIVE_h7" >/dev/null
	R7=$(pad_root "$alg")
	check "$label: clean, verify passes" dmboot verity verify "$DRIVE_d7" "$DRIVE_h7" "$R7"
	printf '\132' | dd of="$DRIVE_h7" bs=1 seek=$((4096 + at)) conv=notrunc 2>/dev/null
	R7=$(pad_root "$alg")
	expect_rc "$label: verify fails, exit 2 as veritysetup" 2 \
		dmboot verity verify "$DRIVE_d7" "$DRIVE_h7" "$R7"
	expect_out "$label: one line names block, level and byte" "$line" \
		sh -c "dmboot verity verify $DRIVE_d7 $DRIVE_h7 $R7 2>&1; true"
	expect_rc "$label: veritysetup verify fails too, exit 2" 2 \
		veritysetup verify "$DRIVE_d7" "$DRIVE_h7" "$R7"
	expect_out "$label: veritysetup's message" \
		"Spare area is not zeroed at position $vspos." \
		sh -c "veritysetup verify $DRIVE_d7 $DRIVE_h7 $R7 2>&1 | grep '^Spare area'"
	check "$label: open works all the same (the kernel does not look)" \
		dmboot verity open "$DRIVE_d7" pad "$DRIVE_h7" "$R7"
	expect_out "$label: and reads every block" \
		"$(head -c $((64 * dbs)) "$DRIVE_d7" | md5sum | cut -d' ' -f1)" \
		sh -c "md5sum <$(dm_node pad) | cut -d' ' -f1"
	check "$label: close" dmboot verity close pad
	check "$label: veritysetup opens it too" veritysetup open "$DRIVE_d7" pad "$DRIVE_h7" "$R7"
	check "$label: and closes it" veritysetup close pad
}
# sha256: 64 digests fill 2048 bytes, the rest is padding
pad_case "padding after the last digest" sha256 4096 2148 \
	"dmboot: verity: hash block 1 at level 0, byte 2148: padding not zeroed" 6144
# sha1 in format 1: 20-byte digests in 32-byte slots; slot 5's spare
pad_case "padding in a digest slot (sha1)" sha1 1024 $((5 * 32 + 23)) \
	"dmboot: verity: hash block 1 at level 0, byte 183: padding not zeroed" 4276 \
	--hash sha1
# format 0 packs digests: 64 x 20 bytes, then padding
pad_case "padding after packed digests (format 0)" sha1 1024 $((64 * 20 + 7)) \
	"dmboot: verity: hash block 1 at level 0, byte 1287: padding not zeroed" 5376 \
	--format 0 --hash sha1

# ---- image files through loop devices (LOOP_FILES), as veritysetup ----
# loop_table NAME: the table with the loop devices' numbers as 7:L.
loop_table() { dmsetup table "$1" | sed -e ':a' -e 's/ 7:[0-9][0-9]* / 7:L /' -e 'ta'; }
# backing NAME FIELD: "FILE AUTOCLEAR RO" of the loop device in that field
# of the table.
backing() {
	_d=$(dmsetup table "$1" | cut -d' ' -f"$2")
	loops | sed -n "s/^loop${_d#7:} //p"
}
# lbs NAME FIELD: logical block size of the device in that field.
lbs() {
	_d=$(dmsetup table "$1" | cut -d' ' -f"$2")
	cat "/sys/dev/block/$_d/queue/logical_block_size"
}
# same_status LABEL NAME: dmboot's status is veritysetup's, byte for byte,
# with the loop devices' files ("data loop:", "hash loop:").
same_status() {
	same "$1: status equals veritysetup's, loop files included" \
		"dmboot verity status $2; echo rc=\$?" "veritysetup status $2; echo rc=\$?"
}
# fcase LABEL MD5 DATA HASH ROOT [open options...]: dmboot opens the files,
# reads the image back, leaves no loop device after close; veritysetup's
# table for the same files is dmboot's but for the loop numbers; status
# of either's device is veritysetup's.
fcase() {
	label=$1 md5=$2 data=$3 hash=$4 root=$5
	shift 5
	check "$label: dmboot verity open" dmboot verity open "$@" "$data" lf "$hash" "$root"
	expect_out "$label: contents are the image's" "$md5" \
		sh -c "md5sum <$(dm_node lf) | cut -d' ' -f1"
	expect_out "$label: data on a read-only autoclear loop device of the file" \
		"$data 1 1" backing lf 5
	expect_out "$label: hash too" "$hash 1 1" backing lf 6
	same_status "$label: dmboot's device" lf
	expect_out "$label: status names the data file" "  data loop:   $data" \
		sh -c "dmboot verity status lf | grep 'data loop:'"
	loop_table lf >/tmp/t.lf
	echo "$(lbs lf 5) $(lbs lf 6)" >/tmp/lbs.lf
	check "$label: dmboot verity close" dmboot verity close lf
	no_loops "$label: no loop device after close"
	check "$label: veritysetup open" veritysetup open "$@" "$data" lf "$hash" "$root"
	same "$label: veritysetup's table but for the loop numbers" "cat /tmp/t.lf" "loop_table lf"
	same_status "$label: veritysetup's device" lf
	same "$label: loop block sizes as veritysetup's (data, hash)" \
		"cat /tmp/lbs.lf" "echo \$(lbs lf 5) \$(lbs lf 6)"
	check "$label: veritysetup close" veritysetup close lf
	no_loops "$label: nothing left"
}
F=/tmp/files
mkdir -p $F
no_loops "files: no loop device at start"
dd if="$DRIVE_d1" of=$F/data.img bs=65536 2>/dev/null
veritysetup format $F/data.img $F/hash.img >$F/fmt
FR=$(sed -n 's/^Root hash:[[:space:]]*//p' $F/fmt)
fcase "files" "$d1_MD5" $F/data.img $F/hash.img "$FR"
veritysetup format --data-block-size 1024 $F/data.img $F/hash1k.img >$F/fmt1k
fcase "files, 1024-byte data blocks" "$d1_MD5" $F/data.img $F/hash1k.img \
	"$(sed -n 's/^Root hash:[[:space:]]*//p' $F/fmt1k)"
# With a FEC file: a third loop device (512-byte blocks, as veritysetup's;
# its status has no FEC loop line, with or without --fec-device).
truncate -s 1M $F/hashf.img $F/fec.img
veritysetup format --fec-device $F/fec.img --data-block-size 1024 --hash-block-size 1024 \
	$F/data.img $F/hashf.img >$F/fmtf
fcase "files with FEC" "$d1_MD5" $F/data.img $F/hashf.img \
	"$(sed -n 's/^Root hash:[[:space:]]*//p' $F/fmtf)" --fec-device $F/fec.img
# A file deleted under its loop device: the kernel's " (deleted)".
cp $F/data.img $F/gone.img
check "deleted file: dmboot verity open" dmboot verity open $F/gone.img lf $F/hash.img "$FR"
rm $F/gone.img
same_status "deleted file" lf
expect_out "deleted file: status says so" "  data loop:   $F/gone.img (deleted)" \
	sh -c "dmboot verity status lf | grep 'data loop:'"
check "deleted file: close" dmboot verity close lf
no_loops "deleted file: no loop device after close"
check "files: dmboot verity open" dmboot verity open $F/data.img lf $F/hash.img "$FR"
expect_out "files: the table names major 7 devices" "7 7" \
	sh -c "dmsetup table lf | cut -d' ' -f5,6 | sed 's/:[0-9]*//g'"
check "files: close" dmboot verity close lf
# One file: data, hash tree (superblock) and FEC, as Android lays them out.
# veritysetup opens DATA and HASH of the same path as one loop device.
cp $F/data.img $F/all.img
veritysetup format --hash-offset 4194304 --fec-device $F/all.img --fec-offset 4235264 \
	$F/all.img $F/all.img >$F/fmt
AR=$(sed -n 's/^Root hash:[[:space:]]*//p' $F/fmt)
check "one file: dmboot verity open" dmboot verity open --hash-offset 4194304 \
	--fec-device $F/all.img --fec-offset 4235264 $F/all.img lf $F/all.img "$AR"
expect_out "one file: contents" "$d1_MD5" sh -c "md5sum <$(dm_node lf) | cut -d' ' -f1"
expect_out "one file: DATA and HASH on one loop device, FEC on another" "1 1" \
	sh -c "dmsetup table lf | awk '{ print (\$5 == \$6), (\$5 != \$16) }'"
# veritysetup names no FEC loop file unless status gets --fec-device.
same_status "one file: dmboot's device" lf
loop_table lf >/tmp/t.lf
check "one file: close" dmboot verity close lf
no_loops "one file: no loop device after close"
veritysetup open --hash-offset 4194304 --fec-device $F/all.img --fec-offset 4235264 \
	$F/all.img lf $F/all.img "$AR"
same "one file: veritysetup's table but for the loop numbers" "cat /tmp/t.lf" "loop_table lf"
same_status "one file: veritysetup's device" lf
veritysetup close lf
no_loops "one file: nothing left"
# Failures leave no loop device and no dm device.
BADF=$(echo "$FR" | tr 0-9a-f 1-9a-f0)
expect_rc "files: a wrong root hash is refused" 1 \
	dmboot verity open $F/data.img lf $F/hash.img "$BADF"
no_loops "files: a wrong root hash leaves no loop device"
no_dm_devices "files: nor a dm device"
head -c 1048576 $F/data.img >$F/small.img
expect_rc "files: the kernel refuses the table (data file too small)" 1 \
	dmboot verity open --no-root-hash-check $F/small.img lf $F/hash.img "$FR"
no_loops "files: a refused table leaves no loop device"
no_dm_devices "files: nor a dm device"

no_dm_devices "nothing left at the end"
dm_cleanup
