#!/bin/sh
# SPDX-License-Identifier: MIT
# Line coverage of each parser by its fuzz corpus, with llvm-cov:
#   tests/fuzz/coverage.sh [-t SECONDS] [NAME...]
# builds every harness (or those named) with -fprofile-instr-generate
# -fcoverage-mapping into build/fuzz-cov/, replays its corpus - the seeds
# of tests/fuzz/corpus/NAME/ and what tests/fuzz/run.sh kept in
# build/fuzz/corpus/NAME/ - merges the profiles (llvm-profdata) and prints
# one line per harness: its parser's source file(s) and their line
# coverage (llvm-cov report restricted to them). -t SECONDS first runs
# tests/fuzz/run.sh for that long per harness to grow the kept corpus
# (default 0: replay what is there). Not part of the test command.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
C=$top/build/fuzz-cov
secs=0
[ "${1:-}" = -t ] && { secs=$2; shift 2; }
names=$*
if [ -z "$names" ]; then
	for f in tests/fuzz/fuzz-*.c; do
		f=${f#tests/fuzz/fuzz-}
		names="$names ${f%.c}"
	done
fi

# The parser each harness is there for.
sources() {
	case $1 in
	table) echo src/table.c ;;
	cli) echo src/cli.c src/dispatch.c ;;
	reply | reply-cmd) echo src/dm.c ;;
	verity-sb) echo src/verity-sb.c ;;
	verity-table) echo src/verity.c ;;
	crypt-table) echo src/crypt.c ;;
	dminit) echo src/dminit.c ;;
	cmdline) echo src/cmdline.c ;;
	tab) echo src/tab.c ;;
	tab-cmd) echo src/tab.c src/cmd-tab.c ;;
	part) echo src/part-mbr.c src/part-gpt.c ;;
	fs) echo src/fs-id.c ;;
	luks1) echo src/luks1.c ;;
	luks2) echo src/luks2.c src/json.c ;;
	json) echo src/json.c ;;
	luks-keyslot) echo src/luks-unlock.c src/luks1.c src/luks2.c ;;
	*) echo "coverage: no source listed for $1" >&2; exit 2 ;;
	esac
}
for n in $names; do sources "$n" >/dev/null; done

# shellcheck disable=SC2086
[ "$secs" = 0 ] || tests/fuzz/run.sh -t "$secs" $names >&2
# shellcheck disable=SC2086
FUZZ_O=$C FUZZ_SAN="-fprofile-instr-generate -fcoverage-mapping" \
	tests/fuzz/run.sh -t 0 $names >&2

TMPDIR=$(mktemp -d /dev/shm/dmboot-cov.XXXXXX 2>/dev/null) ||
	{ TMPDIR=$C/tmp && rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"; }
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
echo "harness | source | lines | missed | line coverage | inputs"
for n in $names; do
	rm -rf "$C/prof/$n"
	mkdir -p "$C/prof/$n"
	list=$C/prof/$n.inputs
	find "$top/tests/fuzz/corpus/$n" "$top/build/fuzz/corpus/$n" -type f \
		2>/dev/null >"$list" || true
	# Each input once (file arguments: no fuzzing), a profile a process;
	# absolute paths: the command harnesses change directory.
	LLVM_PROFILE_FILE="$C/prof/$n/%p.profraw" xargs -r -n 500 \
		"$C/fuzz-$n" -runs=1 -rss_limit_mb=4096 <"$list" \
		>"$C/prof/$n.log" 2>&1 || {
		echo "coverage: $n: replay failed ($C/prof/$n.log)" >&2
		exit 1
	}
	llvm-profdata merge -sparse -o "$C/prof/$n.profdata" "$C/prof/$n"/*.profraw
	for src in $(sources "$n"); do
		llvm-cov report "$C/fuzz-$n" -instr-profile="$C/prof/$n.profdata" \
			"$src" | awk -v n="$n" -v src="$src" -v k="$(wc -l <"$list")" '
			$1 == "TOTAL" { printf "%s | %s | %s | %s | %s | %d\n", n, src, $8, $9, $10, k }'
	done
done
