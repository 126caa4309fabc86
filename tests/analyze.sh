#!/bin/sh
# Static analysis of src/: cppcheck and clang-tidy with the checks chosen
# in docs/ANALYSIS.md, against the full configuration (every command
# compiled in). A finding fails the step unless tests/analyze.baseline
# lists it (tool, file, check: reviewed false positives, each with its
# reason), so the baseline survives edits that move lines.
set -eu
cd "$(dirname "$0")/.."
O=build/analyze
mkdir -p "$O"
make -s CONFIG="$O/.config" full_defconfig
make -s O="$O" CONFIG="$O/.config" LIBC=glibc "$O/gen/config.h" "$O/gen/cmds.h" "$O/gen/cmds-all.h"
# The quotes are meant for the compiler: DMBOOT_VERSION is a string.
# shellcheck disable=SC2089,SC2090
DEFS="-D_GNU_SOURCE -DDMBOOT_VERSION=\"0\" -I$O/gen -Isrc"

# cppcheck: the bug-finding categories; "style" is left out (see docs).
# shellcheck disable=SC2086,SC2090
cppcheck -q --std=c11 --enable=warning,portability,performance \
	--template='cppcheck {file} {id} {line}: {message}' $DEFS \
	-j 2 src/*.c 2>"$O/cppcheck.txt" || true

# clang-tidy: the analyzer and the bug/CERT families, minus the checks
# that only restate house style (docs/ANALYSIS.md says why for each).
CHECKS='-*,clang-analyzer-*,bugprone-*,cert-*,misc-*,portability-*,performance-*'
CHECKS="$CHECKS,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling"
CHECKS="$CHECKS,-clang-analyzer-security.insecureAPI.strcpy"
CHECKS="$CHECKS,-bugprone-easily-swappable-parameters"
CHECKS="$CHECKS,-bugprone-suspicious-string-compare"
CHECKS="$CHECKS,-bugprone-not-null-terminated-result"
CHECKS="$CHECKS,-bugprone-implicit-widening-of-multiplication-result"
CHECKS="$CHECKS,-bugprone-macro-parentheses"
CHECKS="$CHECKS,-bugprone-branch-clone"
CHECKS="$CHECKS,-bugprone-reserved-identifier,-cert-dcl37-c,-cert-dcl51-cpp"
CHECKS="$CHECKS,-misc-no-recursion"
# shellcheck disable=SC2090
export CHECKS DEFS
# shellcheck disable=SC2016
printf '%s\n' src/*.c | xargs -P 2 -n 6 sh -c \
	'clang-tidy -quiet --checks="$CHECKS" "$@" -- $DEFS 2>/dev/null' sh |
	sed -n 's,^'"$(pwd)"'/\([^:]*\):\([0-9]*\):[0-9]*: warning: \(.*\) \[\([^]]*\)\]$,clang-tidy \1 \4 \2: \3,p' \
	>"$O/clang-tidy.txt"

# One formatting style (.clang-format), applied to every C file.
if ! clang-format --dry-run --Werror $(git ls-files '*.c' '*.h' 2>/dev/null || ls src/*.[ch]) 2>"$O/format.txt"; then
	# No "error:" line: clang-format did not run (missing: tests/deps.sh).
	grep -m 10 'error:' "$O/format.txt" || { head -n 5 "$O/format.txt"; exit 1; }
	echo "analyze: files not in .clang-format's style (clang-format -i FILE)"
	exit 1
fi

cat "$O/cppcheck.txt" "$O/clang-tidy.txt" | sort -u >"$O/findings.txt"
new=$(awk 'NR == FNR { if ($0 !~ /^#/ && NF >= 3) known[$1 " " $2 " " $3] = 1; next }
	!known[$1 " " $2 " " $3]' tests/analyze.baseline "$O/findings.txt")
total=$(wc -l <"$O/findings.txt")
if [ -n "$new" ]; then
	echo "$new"
	echo "analyze: $(echo "$new" | wc -l) new finding(s) (of $total; baseline: tests/analyze.baseline)"
	exit 1
fi
echo "analyze: clean (cppcheck $(cppcheck --version | cut -d' ' -f2), $(clang-tidy --version | sed -n 's/.*LLVM version \([0-9.]*\).*/clang-tidy \1/p'); $total baselined)"
