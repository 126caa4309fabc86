#!/bin/sh
# SPDX-License-Identifier: MIT
# Every test: what `make test` and .ci/run run. Each step prints its own
# results; the last line sums the steps.
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0 failures=

step() { # NAME CMD...
	name=$1
	shift
	echo "==== $name: $*"
	start=$(date +%s)
	if "$@"; then
		passed=$((passed + 1))
		echo "==== $name: ok ($(($(date +%s) - start)) s)"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "==== $name: FAILED ($(($(date +%s) - start)) s)"
	fi
}

step build-musl make -s LIBC=musl O=build/t-musl CONFIG=build/t-musl.config EXTRA_CFLAGS=-Werror
step build-dietlibc make -s LIBC=dietlibc O=build/t-diet CONFIG=build/t-musl.config EXTRA_CFLAGS=-Werror
step build-glibc make -s LIBC=glibc O=build/t-glibc CONFIG=build/t-musl.config EXTRA_CFLAGS=-Werror
# The Makefile as packagers use it: their flags, CROSS_COMPILE=, CC= a musl
# toolchain, V=1, install, identical bytes from two trees (about 3 min).
step build-flags tests/build-flags.sh
step unit tests/unit/run.sh asan valgrind
# Kconfig's select lists complete: each command and option built alone
# runs its requests against the fake kernel (about 100 s of CPU).
step selects tests/selects.sh
# verity verify on this host with dmboot's own hashes, against veritysetup,
# with no AF_ALG socket (VERITY_HASH_BUILTIN; about 25 s).
step verity-host tests/verity-host.sh
# A fixed seed and a fixed number of runs: the same inputs every time, so
# CI cannot fail on a new random find (long runs: make fuzz, docs/FUZZING.md).
step fuzz env FUZZ_ARGS="-seed=1 -runs=${FUZZ_RUNS:-50000}" tests/fuzz/run.sh -t 30 -j 2
step analyze tests/analyze.sh
# docs/dmboot.8: mandoc -Tlint clean, man -l renders it, and every command,
# option, tab key and kernel parameter of src/ on it (a few seconds).
step man tests/man.sh
step cross tests/cross.sh
# dist/'s Buildroot, Yocto and OpenWrt recipes built as each system builds
# them, musl cross compilers for aarch64 and x86_64 (40 s of CPU; 3.5 min
# at a load average of 40).
step recipes tests/recipes.sh
step configs tests/configs.sh
step size tests/size.sh
step vm tests/vm.sh
step faults tests/faults.sh
step demo tests/demo.sh -q
step demo-tamper tests/demo.sh -q --tamper
step demo-busybox tests/demo.sh -q --busybox
step demo-crypt tests/demo.sh -q --crypt
step demo-luks tests/demo.sh -q --luks
step demo-luks-wrong tests/demo.sh -q --luks --tamper
step init-boot tests/init-boot.sh
# dist/'s initramfs-tools hook and dracut module: sh -n, shellcheck, and the
# hook run against a scratch initramfs tree (the boots: make test-distro).
step distro-static tests/distro.sh --static

echo "==== failed steps:${failures:- none}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
