#!/bin/bash
# Boot the VM on dmsetup-outputs.sh and store what it recorded as
# tests/vm/capture/dmsetup-outputs.txt (or the file given).
#
#   tests/vm/capture/capture.sh [OUT.txt]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/dmsetup-outputs.txt}
# shellcheck source=../common.sh
. "$here/../common.sh"

dir=$VMWORK/capture-out
rm -rf "$dir"
"$here/../suite.sh" "$here/dmsetup-outputs.sh" --collect "$dir" ||
	die "the capture run failed; see $VMWORK/suite/dmsetup-outputs/console.log"
[ -s "$dir/dmsetup-outputs.txt" ] || die "the guest wrote no dmsetup-outputs.txt"
cp "$dir/dmsetup-outputs.txt" "$out"
echo "wrote $out ($(grep -c '^@@@ \[' "$out") commands)"
