#!/bin/bash
# SPDX-License-Identifier: MIT
# docs/dmboot.8, the man page: mandoc -Tlint -Wstyle finds nothing, it
# renders (mandoc -Tutf8, man -l), and it is complete: every name the
# sources define, read from the sources themselves, is on the page, in
# the section whose '.\" checked: LIST' comment names its list:
#   commands     every CMD(...) line's name, as '.It Cm NAME';
#   verity, crypt the action words the command's file matches
#                (str_word_index), as 'Cm WORD' in '.Ss verity'/'.Ss crypt';
#   *_OPTIONS    every X(ID, "s", "long", ARG) of each option list
#                (src/*.[ch]), as 'Fl s' and 'Fl -long';
#   veritytab, crypttab  every key tab-open.c accepts (its *_SAME fields
#                by their option names, its *_KEYS lists), as 'Cm KEY',
#                'Cm KEY Ns =' where the key takes a value;
#   kernel-parameters  every word of the NUL-separated name lists in
#                cmdline.[ch], as 'Cm WORD' or 'Cm rd.WORD';
#   exit-codes   every number act_exit_code, cmd-verity.c and
#                cmd-crypt.c return, as '.It N'.
# Then it proves that the check can fail: scratch copies of src/ and the
# page, each given one new name of each kind (or a lint error), must fail
# naming it.
#   tests/man.sh            all of it
#   tests/man.sh --check SRC PAGE   the completeness check alone
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=tests/vm/common.sh
. tests/vm/common.sh

# The completeness check: perl (perl-base is Essential in Debian) reads
# the sources; prints one line per missing name and exits 1.
check() { # SRC PAGE
	perl - "$1" "$2" <<'PERL'
use strict; use warnings;
my ($src, $page) = @ARGV;
my (%text, %joined, @missing);
sub slurp { local $/; open my $f, "<", $_[0] or die "$_[0]: $!\n"; <$f> }
for my $p (glob "$src/*.c $src/*.h") {
	my $t = slurp($p);
	(my $n = $p) =~ s{.*/}{};
	$text{$n} = $t;
	# One line per #define: continuation lines joined; comments gone.
	(my $j = $t) =~ s{/\*.*?\*/}{ }gs;
	$j =~ s/\\\n/ /g;
	$joined{$n} = $j;
}
my @page = split /\n/, slurp($page);
# The sections that checked: comments open, up to the next .Sh or .Ss.
my %sect;
for (my $i = 0; $i < @page; $i++) {
	next unless $page[$i] =~ /^\.\\" checked: (.*)$/;
	my @names = split " ", $1;
	my $body = "";
	for (my $k = $i + 1; $k < @page && $page[$k] !~ /^\.S[hs] /; $k++) {
		$body .= $page[$k] . "\n";
	}
	$sect{$_} .= $body for @names;
}
# Where .Ss NAME stands, for the action words of command NAME.
my %ss;
for (my $i = 0; $i < @page; $i++) {
	next unless $page[$i] =~ /^\.Ss (\S+)$/;
	my $name = $1;
	for (my $k = $i + 1; $k < @page && $page[$k] !~ /^\.S[hs] /; $k++) {
		$ss{$name} .= $page[$k] . "\n";
	}
}
sub need { # list, what, pattern, section
	my ($list, $what, $re) = @_;
	my $body = $sect{$list};
	if (!defined $body) {
		push @missing, "no section of the page is marked \"checked: $list\" (for $what)";
		return;
	}
	push @missing, "$list: $what is not on the page" unless $body =~ $re;
}
my %count;

# Commands: the CMD(...) comment lines, as the Makefile reads them.
my %cmd_of_file;
for my $n (sort keys %text) {
	while ($text{$n} =~ m{^/\* *CMD\(([^,]*), *"([^"]*)"}mg) {
		$cmd_of_file{$n} //= $2;
		need("commands", "command $2", qr/^\.It Cm \Q$2\E( |$)/m);
		$count{commands}++;
	}
}

# Action words: what a command file hands str_word_index, a literal or
# the array it names.
for my $n (sort grep { /^cmd-/ } keys %joined) {
	my $j = $joined{$n};
	while ($j =~ /str_word_index\(\s*("[^"]*"|\w+)/g) {
		my $arg = $1;
		my $words = "";
		if ($arg =~ /^"(.*)"$/) {
			$words = $1;
		} elsif ($j =~ /\b\Q$arg\E\[\]\s*=\s*((?:"[^"]*"\s*)+);/) {
			($words = $1) =~ s/"\s*"//g;
			$words =~ s/"//g;
		} else {
			push @missing, "$n: cannot read the words of $arg";
			next;
		}
		my $cmd = $cmd_of_file{$n};
		for my $w (split " ", $words) {
			$count{actions}++;
			if (!defined $ss{$cmd}) {
				push @missing, "no .Ss $cmd section for its action $w";
			} elsif ($ss{$cmd} !~ /(^|[ .])Cm \Q$w\E( |$)/m) {
				push @missing, "$cmd: action $w is not on the page";
			}
		}
	}
}

# Option lists: #define NAME_OPTIONS(X) with X(ID, "s", "long", ARG)
# entries and other lists named by NAME_OPTIONS(X).
my (%list, %refs);
for my $n (sort keys %joined) {
	while ($joined{$n} =~ /^#define (\w+_OPTIONS)\(X\)(.*)$/mg) {
		my ($name, $body) = ($1, $2);
		while ($body =~ /\bX\(\s*(\w+)\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*([01])\s*\)/g) {
			push @{$list{$name}}, [$1, $2, $3, $4];
		}
		push @{$refs{$name}}, $1 while $body =~ /\b(\w+_OPTIONS)\(X\)/g;
	}
}
sub entries {
	my ($name, $depth) = @_;
	return () if $depth > 8;
	return (@{$list{$name} || []}, map { entries($_, $depth + 1) } @{$refs{$name} || []});
}
for my $name (sort keys %list) {
	for my $e (entries($name, 0)) {
		my (undef, $s, $l) = @$e;
		if ($l ne "") {
			need($name, "option --$l", qr/(^|[ .])Fl -\Q$l\E( |$)/m);
			$count{options}++;
		}
		if ($s ne "-") {
			need($name, "option -$s", qr/(^|[ .])Fl \Q$s\E( |$)/m);
			$count{options}++;
		}
	}
}
# Every option set is built from such a list.
for my $n (sort keys %joined) {
	while ($joined{$n} =~ /^(?!#define).*\bCLI_OPTSET\(\s*\w+\s*,\s*(\w+)\s*\)/mg) {
		push @missing, "$n: option set of $1, which is no X(...) *_OPTIONS list"
			unless $list{$1};
	}
}

# Tab keys (tab-open.c): the fields of *_SAME by their option names,
# looked up through the enum prefix each option list is expanded with,
# and the X("key", CODE) entries of *_KEYS; BOTH_ for either file.
my %prefix_list;
my %enum_prefix;
for my $n (sort keys %joined) {
	my $j = $joined{$n};
	$enum_prefix{$1} = $2 while $j =~ /^#define (\w+)\(id, s, l, a\) (\w+)_##id,/mg;
}
for my $n (sort keys %joined) {
	my $j = $joined{$n};
	while ($j =~ /\b(\w+_OPTIONS)\((\w+)\)/g) {
		$prefix_list{$enum_prefix{$2}} = $1 if $enum_prefix{$2} && $list{$1};
	}
}
my $tab = $joined{"tab-open.c"} // "";
my %tabs = (VERITY => ["veritytab"], CRYPT => ["crypttab"], BOTH => ["veritytab", "crypttab"]);
while ($tab =~ /^#define (VERITY|CRYPT|BOTH)_(SAME|KEYS)\b(?:\(X\))?(.*)$/mg) {
	my ($kind, $how, $body) = ($1, $2, $3);
	my @keys;
	if ($how eq "SAME") {
		while ($body =~ /BIT\(([A-Z]+)_(\w+)\)/g) {
			my ($pfx, $id) = ($1, $2);
			my $l = $prefix_list{$pfx};
			my ($e) = $l ? grep { $_->[0] eq $id } entries($l, 0) : ();
			if (!$e) {
				push @missing, "tab-open.c: ${pfx}_$id is in no option list";
				next;
			}
			push @keys, [$e->[2], $e->[3]];
		}
	} else {
		while ($body =~ /\bX\("([^"]+)",\s*([^)]*)\)/g) {
			my ($key, $code) = ($1, $2);
			# LOCAL: tab-open.c reads the key itself, with or
			# without a value (timeout=, luks): either form.
			push @keys, [$key, $code =~ /VALUE|NOT_NO/ ? 1 : $code =~ /LOCAL/ ? 2 : 0];
		}
	}
	for my $k (@keys) {
		my ($key, $value) = @$k;
		for my $file (@{$tabs{$kind}}) {
			$count{tabkeys}++;
			need($file, "key $key" . ($value == 1 ? "=" : ""),
			     $value == 2 ? qr/(^|[ .])Cm \Q$key\E( |$)/m
			     : $value ? qr/(^|[ .])Cm \Q$key\E Ns =/m
				    : qr/(^|[ .])Cm \Q$key\E( |$)(?! *Ns =)/m);
		}
	}
}

# Kernel parameters: the NUL-separated name lists of cmdline.c and
# cmdline.h (adjacent literals joined).
for my $n ("cmdline.c", "cmdline.h") {
	(my $t = $text{$n} // "") =~ s{/\*.*?\*/}{ }gs;
	$t =~ s/'(?:[^'\\]|\\.)'/0/g; # a '"' would pair the quotes wrong
	while ($t =~ /((?:"(?:[^"\\]|\\.)*"\s*)+)/g) {
		(my $s = $1) =~ s/"\s*"//g;
		$s =~ s/^"|"\s*$//g;
		next unless $s =~ /\\0/;
		for my $w (grep { $_ ne "" } split /\\0/, $s) {
			$count{params}++;
			need("kernel-parameters", "kernel parameter word $w",
			     qr/(^|[ .])Cm (rd\.)?\Q$w\E( |$)/m);
		}
	}
}

# Exit codes: what act_exit_code (veritysetup's and cryptsetup's codes)
# and the verity and crypt commands return, as '.It N' entries.
for my $n ("activate.c", "cmd-verity.c", "cmd-crypt.c") {
	my $j = $joined{$n} // "";
	$j = $1 if $n eq "activate.c" && $j =~ /\bint act_exit_code\(int err\)\s*\{(.*?)\n\}/s;
	my %seen;
	while ($j =~ /\breturn (\d+);/g) {
		next if $seen{$1}++;
		$count{exits}++;
		need("exit-codes", "exit status $1 ($n)", qr/^\.It $1$/m);
	}
}

# A list the extraction no longer finds is a broken check, not a pass.
for my $k (qw(commands actions options tabkeys params exits)) {
	push @missing, "found no $k in $src: the check is out of date" unless $count{$k};
}
print "$_\n" for @missing;
printf "man: %d commands, %d action words, %d option spellings, %d tab keys, %d kernel parameter words, %d exit codes checked\n",
	map { $count{$_} // 0 } qw(commands actions options tabkeys params exits);
exit(@missing ? 1 : 0);
PERL
}

# mandoc -Tlint -Wstyle, less what depends on this machine's installed
# manuals (the pages SEE ALSO names come with other packages).
lint() { # PAGE
	mandoc -Tlint -Wstyle "$1" 2>&1 |
		grep -v -e 'referenced manual not found' -e 'mandoc\.db' || true
}

if [ "${1:-}" = --check ]; then
	check "$2" "$3"
	exit
fi

need_pkgs mandoc:mandoc man:man-db col:bsdextrautils
PAGE=docs/dmboot.8
fail=0
bad() { echo "man: FAIL: $*"; fail=1; }

out=$(lint "$PAGE")
[ -z "$out" ] || bad "mandoc -Tlint -Wstyle $PAGE: $out"
text=$(mandoc -Tutf8 "$PAGE" | col -b)
for s in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
	grep -qx "$s" <<<"$text" || bad "mandoc -Tutf8: no $s section"
done
# man(1) formats with groff, not mandoc: its complaints count too.
err=$(MANPAGER=cat MANWIDTH=80 man -l "$PAGE" 2>&1 >/dev/null) || bad "man -l $PAGE failed: $err"
[ -z "$err" ] || bad "man -l $PAGE: $err"
MANPAGER=cat MANWIDTH=80 man -l "$PAGE" 2>/dev/null | grep -q 'EXIT STATUS' ||
	bad "man -l $PAGE: no EXIT STATUS"
check src "$PAGE" || fail=1

# The check must be able to fail: one new name of each kind in a scratch
# copy of src/, and an error in a copy of the page.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/man.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mutant() { # WHAT FAKE SED-SCRIPT FILE [NEWFILE-TEXT]
	local what=$1 fake=$2 script=$3 file=$4 out
	rm -rf "$scratch/src"
	cp -r src "$scratch/src"
	if [ -n "${5:-}" ]; then
		printf '%s\n' "$5" >"$scratch/src/$file"
	else
		sed -i "$script" "$scratch/src/$file"
		! cmp -s "src/$file" "$scratch/src/$file" || {
			bad "self-test $what: the edit of src/$file changed nothing"
			return
		}
	fi
	if out=$(check "$scratch/src" "$PAGE"); then
		bad "self-test $what: the check passed with $fake added"
	elif ! grep -q -- "$fake" <<<"$out"; then
		bad "self-test $what: the check failed without naming $fake: $out"
	else
		echo "man: self-test $what: fails as it should ($(grep -- "$fake" <<<"$out" | head -1))"
	fi
}
# sed scripts: the backslashes and $ are sed's.
# shellcheck disable=SC1003,SC2016
{
	mutant command zzcmd '' cmd-zzcmd.c \
		'/* CMD(zzcmd, "zzcmd", ZZCMD, 0, 0, dmsetup_opts, "") */'
	mutant long-option zz-long '/^#define TAB_OPTIONS(X)/a\	X(TO_ZZ, "-", "zz-long", 0)                                            \\' cmd-tab.c
	mutant short-option 'option -Z' '/^#define INIT_OPTIONS(X)/a\	X(ZZ, "Z", "", 0)                                                      \\' cmd-init.c
	mutant dmsetup-option zz-dm '/X(VERIFYUDEV, "-", "verifyudev", 0)/s/$/ \\\n\tX(ZZDM, "-", "zz-dm", 1)/' cli.h
	mutant crypt-option zz-crypt '/X(TYPE, "M", "type", 1)/a\	X(ZZC, "-", "zz-crypt", 1)                                             \\' crypt-open.h
	mutant option-list ZZ_OPTIONS '$a\#define ZZ_OPTIONS(X) X(ZZ, "-", "zz-list", 0)' cmd-tab.c
	mutant crypt-action zzAction 's/"open plainOpen create /"open plainOpen zzAction create /' cmd-crypt.c
	mutant verity-action zzverb 's/"open close status verify"/"open close status verify zzverb"/' cmd-verity.c
	mutant tab-key zz-both-key 's/X("nofail", LOCAL)/X("nofail", LOCAL) X("zz-both-key", LOCAL)/' tab-open.c
	mutant crypttab-value-key 'key zz-size=' 's/X("size", VALUE | CO_KEY_SIZE)/X("zz-size", VALUE | CO_KEY_SIZE)/' tab-open.c
	mutant veritytab-same-key 'key use-tasklets' 's/BIT(VO_FEC_ROOTS))/BIT(VO_FEC_ROOTS) | BIT(VO_TASKLETS))/' tab-open.c
	mutant kernel-parameter zz.param 's/"rootdelay\\0rootwait/"rootdelay\\0zz.param\\0rootwait/' cmdline.c
	mutant onfail-word zzdie 's/"panic\\0reboot\\0/"panic\\0zzdie\\0reboot\\0/' cmdline.h
	mutant exit-code 'exit status 7' 's/^\tcase EBUSY:/\tcase EDQUOT:\n\t\treturn 7;\n&/' activate.c
	mutant sd-switch zz.switch 's/"systemd.verity\\0veritytab\\0/"systemd.verity\\0zz.switch\\0veritytab\\0/' cmdline.c
}
cp "$PAGE" "$scratch/page.8"
printf '.Xx bogus macro\n' >>"$scratch/page.8"
if [ -z "$(lint "$scratch/page.8")" ]; then
	bad "self-test lint: mandoc -Tlint found nothing in a page with a bogus macro"
else
	echo "man: self-test lint: fails as it should"
fi

[ $fail = 0 ] && echo "man: ok ($PAGE)"
exit $fail
