#!/bin/bash
# SPDX-License-Identifier: MIT
# LUKS open benchmark: dmboot against cryptsetup 2.6.1 in one VM run with
# 2 vCPUs, the same volumes (made on this host by cryptsetup luksFormat:
# LUKS2 Argon2id, 4 passes, 2 lanes, at 64 MiB, 256 MiB and 1 GiB; LUKS1
# PBKDF2-sha256, 200,000 iterations), N opens of each by each tool,
# interleaved, passphrase on stdin. Prints the median wall time and peak
# RSS per tool and volume and dmboot's time over cryptsetup's, as a
# Markdown table for docs/BENCHMARKS.md (also $W/section.md; the raw
# lines in $W/out/results.txt). A benchmark: nothing is asserted beyond
# every open succeeding.
#
#   tests/bench-luks.sh [N]     N opens of each volume by each tool (default 3)
#   tests/bench-luks.sh --report    the table again from $W/out/results.txt
#
# KVM when /dev/kvm boots a guest (a 60 s probe; nested KVM hangs on the
# build machines), else multi-threaded TCG. BENCH_ACCEL=kvm|tcg,thread=multi
# skips the probe. DMBOOT=path: that binary (else full_defconfig, musl).
# Work files: build/bench-luks/ (BENCH_LUKS_DIR). Runs as root (the VM
# harness, and cryptsetup formatting images).
set -eu -o pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${BENCH_LUKS_DIR:-$TOP/build/bench-luks}
report_only=
[ "${1:-}" != --report ] || report_only=1
[ -z "$report_only" ] || shift
N=${1:-3}
case $N in '' | *[!0-9]* | 0) echo "bench-luks: N must be a number of runs" >&2; exit 1 ;; esac
say() { echo "bench-luks: $*" >&2; }
cd "$TOP"
mkdir -p "$W"
export VMWORK=${VMWORK:-$W/vmwork}

if [ -n "$report_only" ]; then
	N=$(grep -c '^cryptsetup p2 ' "$W/out/results.txt")
	tv=$(cat "$W/vm.seconds")
	dmboot=$(cat "$W/dmboot.path")
	accel=$(cat "$W/accel")
else
	if [ -n "${DMBOOT:-}" ]; then
		dmboot=$(readlink -f "$DMBOOT")
	else
		make -s CONFIG="$W/full/.config" full_defconfig
		make -s O="$W/full" CONFIG="$W/full/.config" "$W/full/dmboot" >/dev/null
		dmboot=$W/full/dmboot
	fi
	musl-gcc -static -Os -Wall -Wextra -o "$W/runstat" tests/bench/runstat.c
	echo "BENCH_RUNS=$N" >"$W/bench.env"

	accel=${BENCH_ACCEL:-}
	if [ -z "$accel" ]; then
		accel="tcg,thread=multi"
		if [ -w /dev/kvm ]; then
			printf '#!/bin/sh\n. /test/lib.sh\npass "kvm boots"\n' >"$W/probe.sh"
			if VM_ACCEL=kvm tests/vm/suite.sh "$W/probe.sh" -t 60 >"$W/probe.log" 2>&1; then
				accel=kvm
			else
				say "KVM does not boot the guest here ($(grep -m1 -E 'qemu:|TIMED OUT' "$W/probe.log" || echo 'see probe.log')); TCG"
			fi
		fi
	fi
	say "accel $accel, 2 vCPUs, 2 GiB, $N runs"

	rm -rf "$W/out"
	tv=$(date +%s)
	VM_ACCEL=$accel VM_SMP=2 VM_MEM=2048 tests/vm/suite.sh tests/bench/luks-guest.sh \
		--add "$dmboot:/bin/dmboot" --add "$W/runstat:/bin/runstat" \
		--add "$W/bench.env:/test/bench.env" --collect "$W/out" -t 7200 | tee "$W/vm.log"
	tv=$(($(date +%s) - tv))
	echo "$tv" >"$W/vm.seconds"
	echo "$dmboot" >"$W/dmboot.path"
	echo "$accel" >"$W/accel"
	commit=$(git rev-parse --short HEAD)
	if git status --porcelain --untracked-files=no | grep -q .; then
		commit="$commit, with uncommitted changes"
	fi
	echo "$commit" >"$W/commit"
fi
commit=$(cat "$W/commit")

host=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
	echo "Produced on $(date -u +%Y-%m-%d) at commit $commit by \`tests/bench-luks.sh $N\`"
	echo "(VM run ${tv} s). Guest: kernel $(sed -n 's/^# kernel //p' "$W/out/results.txt"), $(sed -n 's/^# nproc \([0-9]*\); MemTotal: */\1 CPUs, MemTotal /p' "$W/out/results.txt"),"
	echo "QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') -accel $accel, 2 vCPUs, 2 GiB; host $(nproc) × $host."
	echo "$(sed -n 's/^# \(cryptsetup .*\)/\1/p' "$W/out/results.txt"); dmboot $(stat -c %s "$dmboot") bytes, static."
	echo "Medians of $N opens each, (min–max); the open only, not the close; RSS is wait4's ru_maxrss."
	echo
	echo "| volume | cryptsetup s | dmboot s | dmboot / cryptsetup | cryptsetup peak RSS KiB | dmboot peak RSS KiB |"
	echo "|---|---:|---:|---:|---:|---:|"
	for v in a64:"LUKS2 argon2id 64 MiB, t=4, 2 lanes" a256:"LUKS2 argon2id 256 MiB, t=4, 2 lanes" \
		a1g:"LUKS2 argon2id 1 GiB, t=4, 2 lanes" p2:"LUKS1 pbkdf2-sha256, 200,000 iterations"; do
		awk -v vol="${v%%:*}" -v label="${v#*:}" '
			function median(a, n,   i, j, t) {
				for (i = 2; i <= n; i++)
					for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
						t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
					}
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
			}
			$2 == vol && $1 == "cryptsetup" { cw[++cn] = $3; cr[cn] = $4; if ($5 != 0) bad = 1 }
			$2 == vol && $1 == "dmboot" { dw[++dn] = $3; dr[dn] = $4; if ($5 != 0) bad = 1 }
			END {
				if (!cn || !dn) { printf "| %s | no figures |||||\n", label; exit }
				c = median(cw, cn) / 1e6; d = median(dw, dn) / 1e6
				printf "| %s | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f×%s | %d | %d |\n",
					label, c, cw[1] / 1e6, cw[cn] / 1e6, d, dw[1] / 1e6, dw[dn] / 1e6,
					d / c, bad ? " (a failed open)" : "", median(cr, cn), median(dr, dn)
			}' "$W/out/results.txt"
	done
} >"$W/section.md"
cat "$W/section.md"
