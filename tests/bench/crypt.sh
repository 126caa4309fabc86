#!/bin/sh
# Guest script: dmboot crypt open vs cryptsetup open --type plain, the
# same key file and options, N open+close cycles each, and one open of
# each under strace. Run on the host with
#   tests/vm/suite.sh tests/bench/crypt.sh --add build/musl/dmboot:/bin/dmboot --collect DIR
# and read DIR/crypt-bench.txt.
# drive: disk img_zero 8M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_*: /test
. /test/lib.sh
N=${N:-50}
D=$DRIVE_disk
head -c 64 /dev/urandom >/tmp/key
chmod 600 /tmp/key
mkdir -p /out
R=/out/crypt-bench.txt

# cycles TOOL...: N times open + close, wall seconds (busybox date: whole
# seconds only, so /proc/uptime).
cycles() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	i=0
	while [ $i -lt "$N" ]; do
		"$@" open --type plain "$D" b -d /tmp/key -c aes-xts-plain64 -s 512 >/dev/null 2>&1 || return 1
		"$@" close b >/dev/null 2>&1 || return 1
		i=$((i + 1))
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }'
}

td=$(cycles dmboot crypt) && pass "dmboot cycles" || fail "dmboot cycles"
tc=$(cycles cryptsetup) && pass "cryptsetup cycles" || fail "cryptsetup cycles"
{
	echo "cycles=$N"
	echo "dmboot_s=$td"
	echo "cryptsetup_s=$tc"
	for tool in "dmboot crypt" cryptsetup; do
		# shellcheck disable=SC2086 # tool is words
		strace -f -c -o /tmp/sc $tool open --type plain "$D" b -d /tmp/key -c aes-xts-plain64 -s 512 >/dev/null 2>&1
		echo "$tool: syscalls=$(awk '$NF == "total" { print $(NF-2) }' /tmp/sc)"
		echo "$tool: ioctl=$(awk '$NF == "ioctl" { print $4 }' /tmp/sc)"
		# shellcheck disable=SC2086
		strace -f -e trace=ioctl -o /tmp/si $tool close b >/dev/null 2>&1
		# shellcheck disable=SC2086
		strace -f -e trace=ioctl -o /tmp/si $tool open --type plain "$D" b -d /tmp/key -c aes-xts-plain64 -s 512 >/dev/null 2>&1
		echo "$tool: ioctls=$(grep -o 'ioctl([0-9]*, DM_[A-Z_]*' /tmp/si | sed 's/.*, //' | tr '\n' ' ')"
		# shellcheck disable=SC2086
		$tool close b >/dev/null 2>&1
	done
} >$R
cat $R
no_dm_devices
