#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot the test kernel on an initramfs and turn what the guest printed into
# results.
#
#   tests/vm/run.sh -i INITRD [-k KERNEL] [-d IMG]... [-o OUTIMG]
#                   [-t SECONDS] [-l LOG] [-a "CMDLINE"] [-v]
#
#   -i INITRD   initramfs from mkinitramfs.sh
#   -k KERNEL   bzImage; default: the one tests/vm/kernel.sh provides
#   -d IMG      raw disk image, attached as the next virtio drive (vda, vdb...)
#   -o OUTIMG   raw image attached last; /init tars the guest's /out onto it
#   -t SECONDS  give up after this long (default $VM_TIMEOUT or 600)
#   -l LOG      console log (default $VMWORK/console.log); results arrive on
#               a second serial port, logged to LOG.results
#   -a ARGS     extra kernel command line
#   -v          also stream the console to stderr while the VM runs
#
# Counts guest lines "PASS: name", "FAIL: name: detail" and "SKIP: name: why",
# prints every failure with its detail lines and ends with exactly
# "N passed, N failed" (", N skipped" when there are skips). Exits non-zero
# on any failure, when no test ran, or when the guest never printed
# "@@VM-DONE@@ rc=N" (crash, hang or timeout).
set -eu
. "$(dirname "$0")/common.sh"

initrd='' kernel='' outimg='' log='' append='' verbose=''
timeout=${VM_TIMEOUT:-600}
drives=()
while getopts i:k:d:o:t:l:a:vh opt; do
	case $opt in
	i) initrd=$OPTARG ;;
	k) kernel=$OPTARG ;;
	d) drives+=("$OPTARG") ;;
	o) outimg=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	a) append=$OPTARG ;;
	v) verbose=1 ;;
	h) sed -n '2,24s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
[ $OPTIND -gt $# ] || die "unexpected argument: ${!OPTIND}"
[ -n "$initrd" ] || die "missing -i INITRD"
[ -f "$initrd" ] || die "$initrd: no such file"
case $timeout in '' | *[!0-9]*) die "-t $timeout: not a number of seconds" ;; esac
need_pkgs qemu-system-x86_64:qemu-system-x86
if [ -z "$kernel" ]; then
	eval "$("$VM_DIR/kernel.sh")"
	# shellcheck disable=SC2153 # KERNEL comes from kernel.sh
	kernel=$KERNEL
fi
[ -f "$kernel" ] || die "$kernel: no such file"

log=${log:-$VMWORK/console.log}
results=$log.results
mkdir -p "$(dirname "$log")"
: >"$log"
: >"$results"

# VM_ACCEL (tcg, tcg,thread=multi or kvm), VM_SMP and VM_MEM (MiB) are for
# benchmarks (bench-luks.sh); the tests run under TCG on one CPU.
accel=${VM_ACCEL:-tcg}
case $accel in
tcg | tcg,*) cpu=max ;;
kvm) cpu=host ;;
*) die "VM_ACCEL=$accel: tcg[,thread=multi] or kvm" ;;
esac
qargs=(-accel "$accel" -cpu "$cpu" -m "${VM_MEM:-1024}" -smp "${VM_SMP:-1}" -nographic -nodefaults -no-user-config
	-no-reboot -monitor none -serial stdio -serial "file:$results"
	-kernel "$kernel" -initrd "$initrd")
n=0
for img in ${drives[@]+"${drives[@]}"} ${outimg:+"$outimg"}; do
	[ -f "$img" ] || die "$img: no such file"
	qargs+=(-drive "file=$img,format=raw,if=virtio")
	n=$((n + 1))
done
cmdline="console=ttyS0 quiet loglevel=3 panic=-1 vmtest.drives=$n vmtest.results=ttyS1"
# the out drive is the last one: vda + (n - 1)
if [ -n "$outimg" ]; then
	letters=abcdefghijklmnopqrstuvwxyz
	cmdline="$cmdline vmtest.out=vd${letters:n-1:1}"
fi
[ -z "$append" ] || cmdline="$cmdline $append"
qargs+=(-append "$cmdline")

start=$(date +%s)
set +e
if [ -n "$verbose" ]; then
	timeout -k 5 "$timeout" qemu-system-x86_64 "${qargs[@]}" </dev/null 2>"$log.qemu" |
		tee "$log" >&2
	qrc=${PIPESTATUS[0]}
else
	timeout -k 5 "$timeout" qemu-system-x86_64 "${qargs[@]}" </dev/null >"$log" 2>"$log.qemu"
	qrc=$?
fi
set -e
elapsed=$(($(date +%s) - start))

# Prefer the results port; fall back to the console if it stayed empty
# (a kernel without a second UART, say).
src=$results
[ -s "$results" ] || src=$log

# The console carries \r\n line ends and SeaBIOS's terminal escapes, which
# need not be followed by a newline: each escape becomes a line break.
clean() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]/\n/g; s/\x1b[()][0-9A-Za-z]/\n/g; s/\x1b[c78=>]/\n/g'
}

summary=$(clean "$src" | awk '
	/^PASS: / { p++; inf = 0; next }
	/^SKIP: / { s++; inf = 0; print; next }
	/^FAIL: / { f++; inf = 1; print; next }
	/^  \| /  { if (inf) print; next }
	/@@VM-DONE@@ rc=[0-9]+/ {
		done = 1
		match($0, /@@VM-DONE@@ rc=[0-9]+/)
		rc = substr($0, RSTART + 15, RLENGTH - 15)
		next
	}
	{ inf = 0 }
	END {
		if (done && rc != 0) {
			print "FAIL: /test.sh: the guest script exited with status " rc
			f++
		}
		printf "@@TOTALS %d %d %d %d\n", p, f, s, done
	}')
read -r _ passed failed skipped finished <<<"$(printf '%s\n' "$summary" | tail -n 1)"
printf '%s\n' "$summary" | sed '$d'

ok=1
if [ "$finished" != 1 ]; then
	ok=
	if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
		echo "VM TIMED OUT after ${timeout}s: no end marker (hung guest?)"
	elif grep -q 'Kernel panic' "$log"; then
		echo "VM CRASHED: kernel panic before the end marker"
	else
		echo "VM DIED: qemu exited with status $qrc before the end marker"
	fi
	[ -s "$log.qemu" ] && sed 's/^/  qemu: /' "$log.qemu" | tail -n 10
	echo "last console lines ($log):"
	clean "$log" | grep -v '^$' | tail -n 30 | sed 's/^/  > /'
fi
[ $((passed + failed)) -gt 0 ] || { ok=; [ "$finished" != 1 ] || echo "no tests ran"; }
[ "$failed" -eq 0 ] || ok=

echo "vm: ${elapsed}s, console log: $log" >&2
line="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
echo "$line"
[ -n "$ok" ]
