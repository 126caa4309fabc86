#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmarks: dmboot against dmsetup, veritysetup and cryptsetup on the
# same kernel.
#
#   tests/bench.sh [--quick] [-v]
#
# One VM run (tests/vm/suite.sh with tests/bench/guest.sh) measures
# activation cycles of a verity device (dmboot create and dmsetup create
# with the table, veritysetup open, dmboot verity open with and without its
# root-hash check, dmboot as veritysetup) and of a plain dm-crypt device
# (dmboot crypt open, dmboot as cryptsetup, cryptsetup open --type plain),
# syscalls, ioctls and peak RSS of one activation of each, loading and
# reading back a 100,000-target table, and ls of 10,000 devices; the host
# adds binary sizes (dmboot per defconfig and libc, dmsetup and veritysetup
# with their shared libraries). Prints the figures and writes
# docs/BENCHMARKS.md. Not a test: nothing is asserted about speed.
#
#   --quick   small counts (10 cycles, 1,000 targets, 200 devices) to try
#             the machinery; writes build/bench/BENCHMARKS.md instead
#   -v        stream the VM console
#
# Counts can also be set with BENCH_CYCLES, BENCH_TARGETS, BENCH_DEVICES,
# BENCH_DMSETUP_DEVICES (dmsetup creates fewer devices: it is about ten
# times slower per call). DMBOOT=/path/dmboot measures that binary (it needs
# the verity, crypt, veritysetup and cryptsetup commands) instead of building
# full_defconfig into build/bench/dmboot/. Work files: build/bench/.
set -eu -o pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/vm/common.sh"
cd "$TOP"

# the command line for the doc, with whichever knobs the caller set
cmdline=
for v in DMBOOT BENCH_CYCLES BENCH_TARGETS BENCH_DEVICES BENCH_DMSETUP_DEVICES; do
	[ -z "${!v:-}" ] || cmdline+="$v=${!v} "
done
cmdline+="tests/bench.sh $*"
cmdline=${cmdline% }
quick='' verbose=()
for arg in "$@"; do
	case $arg in
	--quick) quick=1 ;;
	-v) verbose=(-v) ;;
	-h | --help) sed -n '2,25s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument: $arg (try --help)" ;;
	esac
done
if [ -n "$quick" ]; then
	: "${BENCH_CYCLES:=10}" "${BENCH_TARGETS:=1000}" "${BENCH_DEVICES:=200}" "${BENCH_DMSETUP_DEVICES:=50}"
fi
CYCLES=${BENCH_CYCLES:-100} TARGETS=${BENCH_TARGETS:-100000}
DEVICES=${BENCH_DEVICES:-10000} DMSETUP_DEVICES=${BENCH_DMSETUP_DEVICES:-1000}

need_pkgs make:make musl-gcc:musl-tools kconfig-conf:kconfig-frontends \
	dmsetup:dmsetup veritysetup:cryptsetup-bin strace:strace ldd:libc-bin
B=$TOP/build/bench
rm -rf "$B/out" "$B/size" "$B/dmboot"
mkdir -p "$B/out" "$B/size"
started=$(date +%s)

# ---- binaries --------------------------------------------------------------
if [ -n "${DMBOOT:-}" ]; then
	dmboot=$(readlink -f "$DMBOOT")
	dmboot_how="DMBOOT=$DMBOOT"
else
	# its own O= and .config: full_defconfig has every command measured
	make -s O="$B/dmboot" CONFIG="$B/dmboot/.config" DEFCONFIG=full_defconfig >&2 ||
		die "make failed"
	dmboot=$B/dmboot/dmboot
	dmboot_how=full_defconfig
fi
musl-gcc -static -Os -Wall -Wextra -o "$B/runstat" tests/bench/runstat.c ||
	die "cannot build tests/bench/runstat.c"

# ---- sizes -----------------------------------------------------------------
libcs=(musl)
command -v diet >/dev/null && libcs+=(dietlibc)
sizes=()
for cfg in configs/*_defconfig; do
	name=$(basename "$cfg" _defconfig)
	for libc in "${libcs[@]}"; do
		o=$B/size/$libc-$name
		mkdir -p "$o"
		if make -s LIBC="$libc" O="$o" CONFIG="$o/.config" DEFCONFIG="${name}_defconfig" \
			>"$o/log" 2>&1; then
			sizes+=("$name $libc $(stat -c %s "$o/dmboot")")
		else
			note "building $name with $libc failed (see $o/log)"
			sizes+=("$name $libc failed")
		fi
	done
done
# closure PROG: the program and every library ldd resolves, real files once.
closure() {
	{
		readlink -f "$1"
		ldd "$1" | awk '/=> \// { print $3 } /^\t\// { print $1 }' | xargs -r readlink -f
	} | sort -u
}
closure_bytes() { closure "$1" | xargs stat -c %s | awk '{ s += $1 } END { print s }'; }
closure_list() { closure "$1" | xargs -n1 basename | paste -sd ' '; }
dmsetup_bin=$(command -v dmsetup) veritysetup_bin=$(command -v veritysetup)

# ---- the VM run ------------------------------------------------------------
cat >"$B/bench.conf" <<EOF
CYCLES=$CYCLES TARGETS=$TARGETS DEVICES=$DEVICES DMSETUP_DEVICES=$DMSETUP_DEVICES
EOF
note "VM run: $CYCLES cycles, $TARGETS targets, $DEVICES devices (dmsetup $DMSETUP_DEVICES)"
vm_start=$(date +%s)
set +e
VMWORK=$B/vm tests/vm/suite.sh "$TOP/tests/bench/guest.sh" \
	--add "$dmboot:/bin/dmboot" --add "$B/runstat:/bin/runstat" \
	--add "$B/bench.conf:/test/bench.conf" --collect "$B/out" -t "${BENCH_TIMEOUT:-3000}" \
	${verbose[@]+"${verbose[@]}"}
vm_rc=$?
set -e
vm_secs=$(($(date +%s) - vm_start))
R=$B/out/results.txt
[ -s "$R" ] || die "the guest left no results (console: $B/vm/suite/guest/console.log)"
[ $vm_rc -eq 0 ] || note "some guest checks failed (above); figures are still reported"

# ---- report ----------------------------------------------------------------
get() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$R"; }
ms() { awk -v us="$(get "$1.us")" 'BEGIN { if (us == "") print "?"; else printf "%.1f", us / 1000 }'; }
best_ls() { # best of the three ls runs, in ms
	awk -v p="$1.ls." 'index($1, p) == 1 && $1 ~ /\.us$/ { if (b == "" || $2 < b) b = $2 }
		END { if (b == "") print "?"; else printf "%.1f", b / 1000 }' "$R"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", b / a; else print "?" }'; }
secs() { awk -v m="$(get "$1")" 'BEGIN { if (m == "") print "?"; else printf "%.2f", m / 1000 }'; }
per() { awk -v m="$(get "$1")" -v n="$2" 'BEGIN { if (m == "" || n == 0) print "?"; else printf "%.1f", m / n }'; }
num() { echo "$1" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

kernel=$(get kernel) driver=$(get driver)
# opener columns: "key" of the guest's results, header
col() {
	local k
	for k in "$@"; do printf ' %s |' "$(get "$k.${row_key}")"; done
	echo
}
row() { # row LABEL KEY OPENER...: one table row of results KEY
	local label=$1
	row_key=$2
	shift 2
	printf '| %s |' "$label"
	col "$@"
}
cyc_row() { # seconds, per cycle and ratio against the first opener
	local k first=$1
	printf '| %s × (open + close), s |' "$CYCLES"
	for k in "$@"; do printf ' %s |' "$(secs "$k.cycles_ms")"; done
	printf '\n| per cycle, ms |'
	for k in "$@"; do printf ' %s |' "$(per "$k.cycles_ms" "$CYCLES")"; done
	printf '\n| time vs %s |' "$(label "$first")"
	for k in "$@"; do printf ' %s |' "$(ratio "$(get "$first.cycles_ms")" "$(get "$k.cycles_ms")")"; done
	echo
}
label() {
	case $1 in
	dmboot_vo) echo "dmboot verity open" ;;
	dmboot_vo_nocheck) echo "dmboot verity open --no-root-hash-check" ;;
	vsym) echo "dmboot as veritysetup" ;;
	crypt_dmboot) echo "dmboot crypt open" ;;
	csym) echo "dmboot as cryptsetup" ;;
	*) echo "$1" ;;
	esac
}
ioctl_list() { local k; for k in "$@"; do echo "- $(label "$k"): $(get "$k.dm_ioctls")"; done; }
same() { # same KEY REF: how the guest compared their tables
	case $(get "same_table.$1.$2") in
	yes) echo same ;;
	no) echo "**different** (see the console log)" ;;
	*) echo "not compared" ;;
	esac
}
check_ms() { # per-cycle cost of the root-hash check
	awk -v a="$(get dmboot_vo.cycles_ms)" -v b="$(get dmboot_vo_nocheck.cycles_ms)" -v n="$CYCLES" \
		'BEGIN { if (a == "" || b == "") print "?"; else printf "%.1f", (a - b) / n }'
}
c_db=$(get dmboot.cycles_ms) c_ds=$(get dmsetup.cycles_ms) c_vs=$(get veritysetup.cycles_ms)
l_db=$(ms dmboot.load) l_ds=$(ms dmsetup.load)
t_db=$(ms dmboot.table) t_ds=$(ms dmsetup.table)
ls_db=$(best_ls dmboot) ls_ds=$(best_ls dmsetup)
scaled=
[ "$CYCLES $TARGETS $DEVICES" = "100 100000 10000" ] ||
	scaled="Counts differ from the issue's (100 cycles, 100,000 targets, 10,000 devices): $CYCLES, $TARGETS, $DEVICES."

doc=$TOP/docs/BENCHMARKS.md
[ -z "$quick" ] || doc=$B/BENCHMARKS.md
mkdir -p "$(dirname "$doc")"
# bench-boot.sh's section, from its heading to the end, is not ours to
# rewrite: kept as it is.
kept=
[ ! -f "$doc" ] || kept=$(sed -n "/^## Boot to the root's init/,\$p" "$doc")
{
	cat <<EOF
# Benchmarks

Produced by \`$cmdline\` on $(date -u +%Y-%m-%d): every figure below comes from
one VM run, of ${vm_secs} s (the whole script, builds included, took TOTAL_SECS s).
${scaled:+
**$scaled**
}
- Guest: Debian kernel $kernel, device-mapper driver $driver, under QEMU TCG (no KVM), 1 vCPU,
  1 GiB, on a host with $(nproc) × $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo).
  Absolute times are TCG's, tens of times slower than hardware; compare the ratios.
- dmboot: ${dmboot#"$TOP"/}, $(stat -c %s "$dmboot") bytes, musl, static ($dmboot_how).
  dmsetup $(get dmsetup.version); $(get veritysetup.version | sed 's/ flags:.*//'); $(get cryptsetup.version | sed 's/ flags:.*//')
  (Debian 12 packages, with their libraries copied into the initramfs).
- All tools run without udev (\`DM_DISABLE_UDEV=1\`); tables name devices by major:minor.

## Activating one dm-verity device (4 MiB data, sha256, 4 KiB blocks)

| | dmboot | dmsetup | veritysetup |
|---|---:|---:|---:|
| $CYCLES × (create + remove), s | $(secs dmboot.cycles_ms) | $(secs dmsetup.cycles_ms) | $(secs veritysetup.cycles_ms) |
| per cycle, ms | $(per dmboot.cycles_ms "$CYCLES") | $(per dmsetup.cycles_ms "$CYCLES") | $(per veritysetup.cycles_ms "$CYCLES") |
| time vs dmboot | 1.0× | $(ratio "$c_db" "$c_ds") | $(ratio "$c_db" "$c_vs") |
| syscalls, one activation | $(get dmboot.syscalls) | $(get dmsetup.syscalls) | $(get veritysetup.syscalls) |
| of which ioctl | $(get dmboot.ioctls) | $(get dmsetup.ioctls) | $(get veritysetup.ioctls) |
| peak RSS, one activation, KiB | $(get dmboot.peak_rss_kb) | $(get dmsetup.peak_rss_kb) | $(get veritysetup.peak_rss_kb) |

Device-mapper ioctls of one activation, in order (\`strace -f -e trace=ioctl\`):

- dmboot: $(get dmboot.dm_ioctls)
- dmsetup: $(get dmsetup.dm_ioctls)
- veritysetup: $(get veritysetup.dm_ioctls)

For scale: the fork+exec floor of $CYCLES cycles, $((2 * CYCLES)) runs of the static \`busybox true\`, takes $(secs baseline.cycles_ms) s here.
Syscalls are \`strace -f -c\` totals including the execve; veritysetup reads the verity superblock itself
(dmboot and dmsetup are handed the whole table).

## Opening a dm-verity device from its superblock (\`open DATA NAME HASH ROOTHASH\`)

The same device, opened as veritysetup opens it: the verity superblock read from the hash device,
and the root hash checked against the top of the hash tree before the device exists (dmboot
hashes through AF_ALG). \`dmboot as veritysetup\` is a symlink named veritysetup to dmboot,
run with veritysetup's own command lines (\`veritysetup open ...\`, \`veritysetup close v\`).
The veritysetup column is the measurement of the table above.

| | dmboot verity open | dmboot verity open --no-root-hash-check | dmboot as veritysetup | veritysetup |
|---|---:|---:|---:|---:|
$(cyc_row dmboot_vo dmboot_vo_nocheck vsym veritysetup)
$(row "syscalls, one open" syscalls dmboot_vo dmboot_vo_nocheck vsym veritysetup)
$(row "of which ioctl" ioctls dmboot_vo dmboot_vo_nocheck vsym veritysetup)
$(row "peak RSS, one open, KiB" peak_rss_kb dmboot_vo dmboot_vo_nocheck vsym veritysetup)

The root-hash check costs $(check_ms) ms per open here. Device-mapper ioctls of one open, in order:

$(ioctl_list dmboot_vo dmboot_vo_nocheck vsym veritysetup)

\`dmsetup table\` of the device each dmboot open made, against veritysetup's: verity open
$(same dmboot_vo veritysetup), with --no-root-hash-check $(same dmboot_vo_nocheck veritysetup), as veritysetup $(same vsym veritysetup).

## Opening a plain dm-crypt device (aes-xts-plain64, 512-bit key file)

\`open --type plain DATA b -d KEYFILE -c aes-xts-plain64 -s 512\` on the same 4 MiB disk, then \`close b\`.
\`dmboot as cryptsetup\` is a symlink named cryptsetup to dmboot, run with cryptsetup's command lines.

| | dmboot crypt open | dmboot as cryptsetup | cryptsetup |
|---|---:|---:|---:|
$(cyc_row crypt_dmboot csym cryptsetup)
$(row "syscalls, one open" syscalls crypt_dmboot csym cryptsetup)
$(row "of which ioctl" ioctls crypt_dmboot csym cryptsetup)
$(row "peak RSS, one open, KiB" peak_rss_kb crypt_dmboot csym cryptsetup)

Device-mapper ioctls of one open, in order:

$(ioctl_list crypt_dmboot csym cryptsetup)

\`dmsetup table\` (keys masked) of the device each dmboot open made, against cryptsetup's: crypt open
$(same crypt_dmboot cryptsetup), as cryptsetup $(same csym cryptsetup). add_key calls in one open: dmboot
$(get crypt_dmboot.add_key), cryptsetup $(get cryptsetup.add_key); dmboot hands the key through the kernel keyring when
DM_GET_TARGET_VERSION shows a crypt target that takes one.

## A table of $(num "$TARGETS") one-sector linear targets ($(num "$(get big.table_bytes)") bytes of text)

Built in the guest with awk (\`i 1 linear MAJ:MIN 0\`, every target mapping the same sector), loaded
into a device made with \`create --notable\`, then resumed.

| | dmboot | dmsetup | dmsetup vs dmboot |
|---|---:|---:|---:|
| \`load NAME FILE\`, ms | $l_db | $l_ds | $(ratio "$l_db" "$l_ds") |
| peak RSS of the load, KiB | $(get dmboot.load_rss_kb) | $(get dmsetup.load_rss_kb) | |
| \`table NAME\` (read back), ms | $t_db | $t_ds | $(ratio "$t_db" "$t_ds") |
| peak RSS of table, KiB | $(get dmboot.table_rss_kb) | $(get dmsetup.table_rss_kb) | |
| \`remove NAME\`, ms | $(ms dmboot.remove_big) | $(ms dmsetup.remove_big) | |

Both tools read back the same device; their outputs were compared byte for byte.

## $(num "$DEVICES") devices

| | dmboot | dmsetup | dmsetup vs dmboot |
|---|---:|---:|---:|
| \`ls\`, ms (best of 3) | $ls_db | $ls_ds | $(ratio "$ls_db" "$ls_ds") |
| peak RSS of ls, KiB | $(get dmboot.ls_rss_kb) | $(get dmsetup.ls_rss_kb) | |
| \`create --notable\` in a shell loop, ms per device | $(per dmboot.create_notable_ms "$DEVICES") ($(num "$DEVICES") devices, $(secs dmboot.create_notable_ms) s) | $(per dmsetup.create_notable_ms "$DMSETUP_DEVICES") ($(num "$DMSETUP_DEVICES") devices, $(secs dmsetup.create_notable_ms) s) | |
| \`remove_all\`, s | $(awk -v u="$(get dmboot.remove_all.us)" 'BEGIN { printf "%.2f", u / 1e6 }') ($(num "$DEVICES") devices) | $(secs dmsetup.remove_all_small_ms) ($(num "$DMSETUP_DEVICES") devices) | |

dmsetup creates only $(num "$DMSETUP_DEVICES") devices (it costs about ten times as much per call under TCG); dmboot
creates the $(num "$DEVICES") that both then list, and their outputs were compared byte for byte. Every dm
device brings a kdmflush rescuer thread, so the guest raises kernel.threads-max from its default
($(get threads_max_default) with 1 GiB) first; with $(num "$DEVICES") devices it ran $(num "$(get threads)") tasks and had
$(num "$(get mem_available_kb)") KiB available.

## Sizes

| binary | bytes |
|---|---:|
EOF
	for s in "${sizes[@]}"; do
		read -r name libc bytes <<<"$s"
		echo "| dmboot, ${name}_defconfig, $libc, static | $(num "$bytes") |"
	done
	echo "| dmsetup with its shared libraries ($(closure_list "$dmsetup_bin")) | $(num "$(closure_bytes "$dmsetup_bin")") |"
	echo "| veritysetup with its shared libraries ($(closure_list "$veritysetup_bin")) | $(num "$(closure_bytes "$veritysetup_bin")") |"
	cat <<EOF

Library sizes are the files \`ldd\` resolves on the build machine (Debian 12), counted once each.

## How the figures are taken

- Times: \`runstat\` (tests/bench/runstat.c, static musl) reads CLOCK_MONOTONIC around a loop, or
  around one fork+exec+wait4; busybox \`date\` has no %N.
- Peak RSS: \`runstat -m\` runs the tool under ptrace and takes the largest
  /proc/PID/smaps_rollup Rss seen before each syscall that can shrink it and at exit.
  wait4's ru_maxrss reads 0 kB for a process this small (the kernel batches RSS counters per task).
- Everything: tests/bench/guest.sh; raw figures in build/bench/out/results.txt, the strace
  logs beside them (strace-KEY.txt the ioctls, strace-c-KEY.txt the counts of one activation).
EOF
	[ -z "$kept" ] || printf '\n%s\n' "$kept"
} >"$doc.new"
mv "$doc.new" "$doc"
sed -i "s/TOTAL_SECS/$(($(date +%s) - started))/" "$doc"

cat "$doc"
note "wrote $doc; total $(($(date +%s) - started)) s, VM ${vm_secs} s"
exit $vm_rc
