# shellcheck shell=sh
# SPDX-License-Identifier: MIT
# Guest-side test library for the dmboot VM tests (busybox ash; POSIX sh).
# A scenario starts with:   . /test/lib.sh
#
#   pass NAME                       record a pass
#   fail NAME DETAIL                record a failure (DETAIL kept on one line)
#   skip NAME WHY                   record a skip
#   check NAME CMD...               pass if CMD exits 0
#   check_fail NAME CMD...          pass if CMD exits non-zero
#   same NAME "CMD_A" "CMD_B"       pass if both print the same stdout, byte
#                                   for byte, and exit with the same status
#   expect_out NAME "TEXT" CMD...   pass if CMD exits 0 and prints TEXT and a
#                                   newline (nothing at all if TEXT is empty)
#   expect_rc NAME RC CMD...        pass if CMD exits with status RC
#   no_dm_devices NAME              pass if `dmsetup ls` says No devices found
#   dm_cleanup                      remove every dm device, quietly
#   majmin vda                      print "254:0"; sectors vda prints the size
#   the_table NAME                  the table, then the UUID on a second line
#   loops                           bound loop devices, a line each:
#                                   "loopN BACKING-FILE AUTOCLEAR RO"
#   no_loops NAME                   pass if no loop device is bound (after
#                                   up to 2 s for autoclear to finish)
#   have CMD                        true if CMD is on PATH
#
# Result lines go to the console and, under the VM's /init, also to a
# second serial port that carries nothing else; tests/vm/run.sh counts them.
# Details of a failure follow its FAIL line, each prefixed with "  | ".
# None of these functions fail, so `set -e` scripts are not cut short; a
# scenario exiting non-zero is reported by run.sh as a failure of its own.

# shellcheck disable=SC1091 # written by suite.sh
[ -f /test/env ] && . /test/env

# No udev in the VM: libdevmapper must neither wait for it nor expect it
# to create /dev/mapper nodes.
DM_DISABLE_UDEV=1
export DM_DISABLE_UDEV

VT_TMP=$(mktemp -d /tmp/vt.XXXXXX)
VT_DETAIL_MAX=${VT_DETAIL_MAX:-40}

_vt_emit() {
	if [ -n "${VMTEST_CONSOLE:-}" ]; then
		printf '%s\n' "$1" >>"$VMTEST_CONSOLE"
	else
		printf '%s\n' "$1"
	fi
	if [ -n "${VMTEST_RESULTS:-}" ]; then
		printf '%s\n' "$1" >>"$VMTEST_RESULTS"
	fi
}

# _vt_detail FILE: the file's lines, prefixed, at most VT_DETAIL_MAX of them.
_vt_detail() {
	[ -s "$1" ] || return 0
	_vt_n=$(wc -l <"$1")
	head -n "$VT_DETAIL_MAX" "$1" >"$VT_TMP/detail"
	# a last line without newline still counts
	[ -n "$(tail -c 1 "$1")" ] && echo >>"$VT_TMP/detail"
	while IFS= read -r _vt_l; do
		_vt_emit "  | $_vt_l"
	done <"$VT_TMP/detail"
	[ "$_vt_n" -gt "$VT_DETAIL_MAX" ] &&
		_vt_emit "  | ... $((_vt_n - VT_DETAIL_MAX)) more lines"
	return 0
}

_vt_oneline() { printf '%s' "$*" | tr '\n\t\r' '   '; }

pass() { _vt_emit "PASS: $1"; }
skip() { _vt_emit "SKIP: $1: $(_vt_oneline "${2:-no reason given}")"; }
fail() {
	_vt_n=$1
	shift
	_vt_emit "FAIL: $_vt_n: $(_vt_oneline "${*:-failed}")"
	return 0
}

# _vt_run CMD...: run with stdout in $VT_TMP/out, stderr in $VT_TMP/err,
# the exit status in $_vt_rc.
_vt_run() {
	"$@" >"$VT_TMP/out" 2>"$VT_TMP/err"
	_vt_rc=$?
}

# _vt_both: stdout then stderr of the last _vt_run, for failure details.
_vt_both() {
	cat "$VT_TMP/out" "$VT_TMP/err" >"$VT_TMP/both"
	_vt_detail "$VT_TMP/both"
}

check() {
	_vt_name=$1
	shift
	_vt_run "$@"
	if [ "$_vt_rc" -eq 0 ]; then
		pass "$_vt_name"
	else
		fail "$_vt_name" "exit $_vt_rc from: $*"
		_vt_both
	fi
	return 0
}

check_fail() {
	_vt_name=$1
	shift
	_vt_run "$@"
	if [ "$_vt_rc" -ne 0 ]; then
		pass "$_vt_name"
	else
		fail "$_vt_name" "expected failure, got exit 0 from: $*"
		_vt_both
	fi
	return 0
}

# one_line [-N] LABEL PATTERN CMD...: CMD fails (with exit code N if
# given) and prints exactly one line on stderr, which grep's PATTERN
# matches.
one_line() {
	_vt_want=
	case $1 in -[0-9]*) _vt_want=${1#-} && shift ;; esac
	_vt_name=$1 _vt_pat=$2
	shift 2
	_vt_run "$@"
	if [ "$_vt_rc" -ne 0 ] && [ "$_vt_rc" -eq "${_vt_want:-$_vt_rc}" ] &&
		[ "$(wc -l <"$VT_TMP/err")" -eq 1 ] && grep -q -- "$_vt_pat" "$VT_TMP/err"; then
		pass "$_vt_name"
	else
		fail "$_vt_name" "rc=$_vt_rc $(cat "$VT_TMP/err")"
	fi
	return 0
}

expect_rc() {
	_vt_name=$1 _vt_want=$2
	shift 2
	_vt_run "$@"
	if [ "$_vt_rc" -eq "$_vt_want" ]; then
		pass "$_vt_name"
	else
		fail "$_vt_name" "expected exit $_vt_want, got $_vt_rc from: $*"
		_vt_both
	fi
	return 0
}

# _vt_diff A B: cat -A makes tabs, trailing blanks and a missing final
# newline visible in the diff.
_vt_diff() {
	cat -A "$1" >"$VT_TMP/da"
	cat -A "$2" >"$VT_TMP/db"
	diff -u -L "$3" -L "$4" "$VT_TMP/da" "$VT_TMP/db" >"$VT_TMP/diff"
	_vt_detail "$VT_TMP/diff"
}

expect_out() {
	_vt_name=$1
	if [ -n "$2" ]; then
		printf '%s\n' "$2" >"$VT_TMP/want"
	else
		: >"$VT_TMP/want"
	fi
	shift 2
	_vt_run "$@"
	if [ "$_vt_rc" -ne 0 ]; then
		fail "$_vt_name" "exit $_vt_rc from: $*"
		_vt_both
	elif cmp -s "$VT_TMP/want" "$VT_TMP/out"; then
		pass "$_vt_name"
	else
		fail "$_vt_name" "unexpected output from: $*"
		_vt_diff "$VT_TMP/want" "$VT_TMP/out" expected actual
	fi
	return 0
}

same() {
	(eval "$2") >"$VT_TMP/sa" 2>"$VT_TMP/sa.err"
	_vt_ra=$?
	(eval "$3") >"$VT_TMP/sb" 2>"$VT_TMP/sb.err"
	_vt_rb=$?
	if [ "$_vt_ra" -eq "$_vt_rb" ] && cmp -s "$VT_TMP/sa" "$VT_TMP/sb"; then
		pass "$1"
		return 0
	fi
	if [ "$_vt_ra" -ne "$_vt_rb" ]; then
		fail "$1" "exit $_vt_ra from: $2 ; exit $_vt_rb from: $3"
	else
		fail "$1" "stdout differs: $2 ; $3"
	fi
	_vt_diff "$VT_TMP/sa" "$VT_TMP/sb" "$2" "$3"
	if ! cmp -s "$VT_TMP/sa.err" "$VT_TMP/sb.err"; then
		_vt_emit "  | stderr:"
		_vt_diff "$VT_TMP/sa.err" "$VT_TMP/sb.err" "$2" "$3"
	fi
	return 0
}

no_dm_devices() {
	expect_out "${1:-no dm devices left}" "No devices found" dmsetup ls
}

dm_cleanup() {
	dmsetup remove_all --force >/dev/null 2>&1
	return 0
}

majmin() { cat "/sys/class/block/${1#/dev/}/dev"; }
sectors() { cat "/sys/class/block/${1#/dev/}/size"; }
have() { command -v "$1" >/dev/null 2>&1; }

# the_table NAME: the device's table, and its UUID on a second line.
the_table() { dmsetup table "$1" && dmsetup info -c --noheadings -o uuid "$1"; }
# dm_node NAME: /dev/dm-N of a device, found through sysfs (no udev, so no
# /dev/mapper/NAME is guaranteed).
# veritysetup_ref LABEL DATA HASH ROOT [open options...]: veritysetup
# opens the image as "vs", for dmboot's to be compared with: its table and
# UUID go to /tmp/t.veritysetup, its status and then "rc=N" to
# /tmp/s.veritysetup. Fails (and says so) if veritysetup cannot open it.
veritysetup_ref() {
	_vt_l=$1 _vt_d=$2 _vt_h=$3 _vt_r=$4
	shift 4
	if ! veritysetup open "$@" "$_vt_d" vs "$_vt_h" "$_vt_r" >/tmp/vs.err 2>&1; then
		fail "$_vt_l: veritysetup open" "$(cat /tmp/vs.err)"
		return 1
	fi
	the_table vs >/tmp/t.veritysetup
	veritysetup status vs >/tmp/s.veritysetup
	echo "rc=$?" >>/tmp/s.veritysetup
}

dm_node() {
	for _vt_d in /sys/block/dm-*; do
		[ "$(cat "$_vt_d/dm/name" 2>/dev/null)" = "$1" ] || continue
		echo "/dev/${_vt_d##*/}"
		return 0
	done
	return 1
}

loops() {
	for _vt_l in /sys/block/loop*/loop; do
		[ -d "$_vt_l" ] || continue
		_vt_n=${_vt_l%/loop}
		echo "${_vt_n##*/} $(cat "$_vt_l/backing_file") $(cat "$_vt_l/autoclear") $(cat "$_vt_n/ro")"
	done
}

no_loops() {
	_vt_i=0
	while [ -n "$(loops)" ] && [ $_vt_i -lt 20 ]; do
		sleep 0.1
		_vt_i=$((_vt_i + 1))
	done
	expect_out "${1:-no loop device left}" "" loops
}

# dm_major: the block major device-mapper registered (dynamic: it depends
# on module load order).
dm_major() { awk '$2 == "device-mapper" { print $1 }' /proc/devices; }
