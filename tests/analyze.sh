#!/bin/sh
# SPDX-License-Identifier: MIT
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

# No import cycles between the files of src/: file A imports B when A's
# object uses a symbol that B's object defines (nm, on a glibc build of
# the full configuration without LTO, so every file keeps its symbols).
# The layers of STYLE.md point one way; a cycle is printed with, after
# each file, the symbols the file before it uses from it.
# FROM TO: imports the check leaves out, each with its reason. An entry
# that no longer matches an import fails the step: the list only shrinks.
ALLOWED_IMPORTS='
'
G=$O/graph
objs=
for f in src/*.c; do
	f=${f#src/}
	objs="$objs $G/${f%.c}.o"
done
# SIZEFLAGS=-O0 in place of the size flags (LTO among them): user CFLAGS
# would only be added to them.
# shellcheck disable=SC2086
make -s O="$G" CONFIG="$O/.config" LIBC=glibc SIZEFLAGS=-O0 $objs >"$G.log" 2>&1 ||
	{ cat "$G.log"; echo "analyze: the objects for the import graph did not build"; exit 1; }
printf '%s\n' "$ALLOWED_IMPORTS" >"$G/allowed"
for o in $objs; do nm "$o" | sed "s,^,${o##*/} ,"; done >"$G/symbols"
# shellcheck disable=SC2016
cycles=$(awk '
	# The allowlist ("FROM TO why"), then nm lines: "FILE.o U SYM" (used)
	# and "FILE.o ADDR TYPE SYM" (defined).
	FILENAME == ARGV[1] { if (NF >= 2) allow[$1 " " $2] = 1; next }
	{ f = $1; sub(/\.o$/, ".c", f) }
	NF == 3 && $2 == "U" { nu++; uf[nu] = f; us[nu] = $3; next }
	NF == 4 && $3 ~ /^[BCDGRSTVW]$/ { def[$4] = f }
	END {
		for (i = 1; i <= nu; i++) {
			a = uf[i]; t = def[us[i]]
			if (t == "" || t == a)
				continue
			if ((a " " t) in allow) {
				used[a " " t] = 1
				continue
			}
			if ((a, t) in sym) {
				if (length(sym[a, t]) < 40)
					sym[a, t] = sym[a, t] ", " us[i]
				continue
			}
			sym[a, t] = us[i]
			if (!(a in seen)) { seen[a] = 1; node[++nn] = a }
			if (!(t in seen)) { seen[t] = 1; node[++nn] = t }
			adj[a, ++nadj[a]] = t
		}
		for (i = 2; i <= nn; i++)
			for (j = i; j > 1 && node[j - 1] > node[j]; j--) {
				x = node[j]; node[j] = node[j - 1]; node[j - 1] = x
			}
		for (i = 1; i <= nn; i++) {
			a = node[i]
			if (a in covered)
				continue
			# Breadth first from a: the shortest way back to it.
			split("", par)
			qh = 1; qt = 0; back = ""
			q[++qt] = a
			while (qh <= qt && back == "") {
				x = q[qh++]
				for (k = 1; k <= nadj[x]; k++) {
					y = adj[x, k]
					if (y == a) { back = x; break }
					if (!(y in par)) { par[y] = x; q[++qt] = y }
				}
			}
			if (back == "")
				continue
			line = a " (" sym[back, a] ")"
			for (x = back; x != a; x = par[x]) {
				covered[x] = 1
				line = x " (" sym[par[x], x] ") -> " line
			}
			print "import cycle: " a " -> " line
		}
		for (e in allow)
			if (!(e in used))
				print "allowed import " e " is gone: take it out of ALLOWED_IMPORTS"
	}
' "$G/allowed" "$G/symbols")
if [ -n "$cycles" ]; then
	echo "$cycles"
	echo "analyze: import graph of src/: $(echo "$cycles" | wc -l) problem(s) (ALLOWED_IMPORTS in tests/analyze.sh)"
	exit 1
fi
echo "analyze: no import cycles in src/ ($(grep -c . "$G/allowed") import(s) allowed)"

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
