#!/bin/sh
# SPDX-License-Identifier: MIT
# Guest half of tests/bench-luks.sh: opens each volume N times with
# cryptsetup and with dmboot, interleaved, each open timed by runstat
# (CLOCK_MONOTONIC around fork+exec+wait4; ru_maxrss from wait4: the
# largest of the process and the children it waited for), the device
# closed after each. Lines "TOOL VOLUME WALL_US RSS_KB STATUS" go to
# /out/results.txt. The drives are built on the host by images.sh's
# img_luks; BENCH_RUNS comes from /test/bench.env (the host's N).
# drive: a64 img_luks 32M bench-pass --type luks2 --pbkdf argon2id --pbkdf-memory 65536 --pbkdf-parallel 2 --pbkdf-force-iterations 4
# drive: a256 img_luks 32M bench-pass --type luks2 --pbkdf argon2id --pbkdf-memory 262144 --pbkdf-parallel 2 --pbkdf-force-iterations 4
# drive: a1g img_luks 32M bench-pass --type luks2 --pbkdf argon2id --pbkdf-memory 1048576 --pbkdf-parallel 2 --pbkdf-force-iterations 4
# drive: p2 img_luks 32M bench-pass --type luks1 --hash sha256 --pbkdf-force-iterations 200000
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_*: /test
. /test/lib.sh

# shellcheck disable=SC1091 # the host's bench.env
[ -f /test/bench.env ] && . /test/bench.env
N=${BENCH_RUNS:-3}
R=/out/results.txt
: >$R
printf 'bench-pass\n' >/tmp/pw
{
	echo "# nproc $(nproc); $(grep MemTotal /proc/meminfo | tr -s ' ')"
	echo "# $(cryptsetup --version)"
	echo "# kernel $(uname -r)"
} >>$R

for v in a64 a256 a1g p2; do
	eval "d=\$DRIVE_$v"
	i=0
	while [ $i -lt "$N" ]; do
		i=$((i + 1))
		for t in cryptsetup dmboot; do
			case $t in
			cryptsetup) cmd="cryptsetup open $d b" ;;
			dmboot) cmd="dmboot crypt open $d b" ;;
			esac
			rm -f /tmp/rs
			# shellcheck disable=SC2086 # cmd is words
			runstat -o /tmp/rs $cmd </tmp/pw >/dev/null 2>/tmp/err
			echo "$t $v $(cat /tmp/rs)" >>$R
			if dmsetup info b >/dev/null 2>&1; then
				pass "$t opens $v (run $i)"
				cryptsetup close b
			else
				fail "$t opens $v (run $i)" "$(cat /tmp/err)"
			fi
		done
	done
done
no_dm_devices "nothing left"
