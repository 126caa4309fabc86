#!/bin/sh
# SPDX-License-Identifier: MIT
# Fault injection on the real kernel (tests/vm/scenarios/faults.sh): every
# system call of dmboot's activation paths (create, verity open, crypt
# open, tab, init as PID 1 up to the root's init) fails in turn under
# strace -e inject= in the QEMU guest.
#
#   tests/faults.sh [--full] [CASE...]
#
# Default: every call site with EINTR and one errno that fits the call
# (the make test step); --full adds a second errno (make test-faults).
# CASEs limit the run (create verity verity_files crypt crypt_keyring tab
# init_create init_roothash init_tabs). Prints the scenario's failures,
# "faults: N runs, M call sites, K defects" and "N passed, N failed".
# FAULTS_O=DIR builds elsewhere than build/faults; VMWORK as tests/vm.sh.
set -eu
cd "$(dirname "$0")/.."
O=${FAULTS_O:-build/faults}
mode=quick
case ${1:-} in --full | --discover) mode=${1#--} && shift ;; esac
mkdir -p "$O/full"
make -s CONFIG="$O/full/.config" full_defconfig
make -s O="$O/full" CONFIG="$O/full/.config" "$O/full/dmboot"
musl-gcc -static -Os -Wall -Wextra -o "$O/pid1" tests/vm/pid1.c
echo "$mode" >"$O/faults.mode"
echo "$*" >"$O/faults.only"
set +e
tests/vm/suite.sh faults -t "${FAULTS_TIMEOUT:-1800}" --add "$O/full/dmboot:/bin/dmboot" \
	--add "$O/pid1:/bin/pid1" --add "$O/faults.mode:/test/faults.mode" \
	--add "$O/faults.only:/test/faults.only" >"$O/report" 2>&1
rc=$?
set -e
# The summary lines come on the results port; run.sh's count last.
sed '$d' "$O/report"
VMWORK=${VMWORK:-${TMPDIR:-/tmp}/vmwork}
tr -d '\r' <"$VMWORK/suite/faults/console.log.results" | grep -E '^faults(-sites)?: ' || echo "faults: no summary (the guest did not finish)"
tail -n 1 "$O/report"
exit $rc
