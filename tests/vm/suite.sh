#!/bin/bash
# SPDX-License-Identifier: MIT
# Run one guest scenario in the VM.
#
#   tests/vm/suite.sh NAME|PATH [--add SRC:DST]... [--collect DIR]
#                     [-t SECONDS] [-v] [mkinitramfs options...]
#
# NAME is tests/vm/scenarios/NAME.sh; PATH is any guest script. The drives
# it declares ("# drive: LABEL FUNCTION ARGS", see images.sh) are built in
# $VMWORK/<name>/, the initramfs gets the script as /test.sh and any --add
# files (e.g. --add build/dmboot:/bin/dmboot), and run.sh boots it and
# reports. With --collect DIR, whatever the guest leaves in /out is copied
# to DIR afterwards. Other options (--module, --bin, --env) go to
# mkinitramfs.sh. Exit status is run.sh's.
set -eu
. "$(dirname "$0")/common.sh"

[ $# -ge 1 ] || die "usage: suite.sh NAME|PATH [options] (try --help)"
case $1 in -h | --help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
scen=$1
shift
case $scen in
*/*) ;;
*) scen=$VM_DIR/scenarios/$scen.sh ;;
esac
[ -f "$scen" ] || die "$scen: no such scenario"
name=$(basename "$scen" .sh)

mkargs=() runargs=() collect=
while [ $# -gt 0 ]; do
	case $1 in
	--add | --module | --bin | --env) mkargs+=("$1" "$2"); shift 2 ;;
	--collect) collect=$2; shift 2 ;;
	-t) runargs+=(-t "$2"); shift 2 ;;
	-v) runargs+=(-v); shift ;;
	*) die "unknown argument: $1" ;;
	esac
done

need_pkgs veritysetup:cryptsetup-bin mkfs.ext4:e2fsprogs numfmt:coreutils

work=$VMWORK/suite/$name
rm -rf "$work"
mkdir -p "$work"
IMG_DIR=$work
. "$VM_DIR/images.sh"
: >"$work/env"

drives=()
letter=a
while read -r _ _ label fn args; do
	case $label in
	'' | *[!A-Za-z0-9_]*) die "$scen: bad drive label '$label'" ;;
	esac
	declare -F "$fn" >/dev/null || die "$scen: drive $label: no image builder '$fn' in images.sh"
	# shellcheck disable=SC2086 # args are words from the header line
	"$fn" "$work/$label.img" $args || die "$scen: building drive $label with $fn failed"
	img_env "DRIVE_$label" "/dev/vd$letter"
	drives+=(-d "$work/$label.img")
	letter=$(echo "$letter" | tr a-y b-z)
done < <(grep -E '^#[[:space:]]*drive:' "$scen" | sed 's/^#[[:space:]]*drive:/# drive:/')

if [ -n "$collect" ]; then
	truncate -s 256M "$work/out.img"
	runargs+=(-o "$work/out.img")
fi

"$VM_DIR/mkinitramfs.sh" -o "$work/initrd.cpio.gz" --script "$scen" --env "$work/env" \
	${mkargs[@]+"${mkargs[@]}"}

set +e
"$VM_DIR/run.sh" -i "$work/initrd.cpio.gz" -l "$work/console.log" \
	${drives[@]+"${drives[@]}"} ${runargs[@]+"${runargs[@]}"}
rc=$?
set -e

if [ -n "$collect" ]; then
	mkdir -p "$collect"
	tar -xf "$work/out.img" -C "$collect" || { echo "suite: nothing collected from /out"; rc=1; }
fi
exit $rc
