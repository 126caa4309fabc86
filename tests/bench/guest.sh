#!/bin/sh
# SPDX-License-Identifier: MIT
# Guest half of tests/bench.sh: measures dmboot, dmsetup, veritysetup and
# cryptsetup on the same kernel, one VM run. Figures go to /out/results.txt as
# "key value" lines; tests/bench.sh brings /out back and writes the doc.
# drive: data  img_random 4M
# drive: hash  img_verity_hash data
# shellcheck shell=sh disable=SC2154 # DRIVE_* and hash_* come from /test/env
. /test/lib.sh
# Counts: tests/bench.sh may scale them down (written to /test/bench.conf).
CYCLES=100 TARGETS=100000 DEVICES=10000 DMSETUP_DEVICES=1000
# shellcheck disable=SC1091
[ -f /test/bench.conf ] && . /test/bench.conf

R=/out/results.txt
: >"$R"
put() { echo "$1 $2" >>"$R"; echo "bench: $1 $2"; }
now() { runstat now; }
ms_since() { echo $((($(now) - $1) / 1000)); }
# stat KEY CMD...: one run; puts KEY.us and KEY.rc, the output to /dev/null
stat1() {
	_k=$1
	shift
	rm -f /tmp/rs
	runstat -o /tmp/rs "$@" >/dev/null 2>/tmp/rs.err
	read -r _us _kb _rc </tmp/rs
	put "$_k.us" "$_us"
	[ "$_rc" -eq 0 ] || { put "$_k.rc" "$_rc"; fail "$_k" "$(cat /tmp/rs.err)"; }
}

d=$(majmin vda) h=$(majmin vdb)
sectors=$((hash_DATA_BLOCKS * hash_DATA_BLOCK_SIZE / 512))
vt="0 $sectors verity 1 $d $h $hash_DATA_BLOCK_SIZE $hash_HASH_BLOCK_SIZE $hash_DATA_BLOCKS 1 $hash_HASH_ALG $hash_ROOT_HASH $hash_SALT"
echo "bench: verity table: $vt"
put kernel "$(uname -r)"
put driver "$(dmsetup version | sed -n 's/^Driver version: *//p')"
put dmsetup.version "$(dmsetup version | sed -n 's/^Library version: *//p')"
put veritysetup.version "$(veritysetup --version)"
put cryptsetup.version "$(cryptsetup --version)"
put counts "$CYCLES $TARGETS $DEVICES $DMSETUP_DEVICES"

# The openers, by key. argv_KEY prints one activation's command line (no
# argument has blanks: device paths, hex); close_KEY undoes it; name_of KEY
# is the device it makes. dmboot create and dmsetup create are handed the whole
# verity table; the rest read the verity superblock from the hash device.
# vsym and csym are dmboot reached through a veritysetup or cryptsetup
# symlink (multi-call), taking those tools' own command lines.
mkdir -p /tmp/sym
ln -sf /bin/dmboot /tmp/sym/veritysetup
ln -sf /bin/dmboot /tmp/sym/cryptsetup
head -c 64 /dev/urandom >/tmp/key
chmod 600 /tmp/key
vopen="open $DRIVE_data v $DRIVE_hash $hash_ROOT_HASH"
copen="open --type plain $DRIVE_data b -d /tmp/key -c aes-xts-plain64 -s 512"
argv_dmboot() { echo "dmboot create -r v --table"; } # + "$vt"
argv_dmsetup() { echo "dmsetup create -r v --table"; }
argv_veritysetup() { echo "veritysetup $vopen"; }
argv_dmboot_vo() { echo "dmboot verity $vopen"; }
argv_dmboot_vo_nocheck() { echo "dmboot verity $vopen --no-root-hash-check"; }
argv_vsym() { echo "/tmp/sym/veritysetup $vopen"; }
argv_crypt_dmboot() { echo "dmboot crypt $copen"; }
argv_cryptsetup() { echo "cryptsetup $copen"; }
argv_csym() { echo "/tmp/sym/cryptsetup $copen"; }
close_dmboot() { dmboot remove v; }
close_dmsetup() { dmsetup remove v; }
close_veritysetup() { veritysetup close v; }
close_dmboot_vo() { dmboot verity close v; }
close_dmboot_vo_nocheck() { dmboot verity close v; }
close_vsym() { /tmp/sym/veritysetup close v; }
close_crypt_dmboot() { dmboot crypt close b; }
close_cryptsetup() { cryptsetup close b; }
close_csym() { /tmp/sym/cryptsetup close b; }
name_of() { case $1 in crypt_dmboot | cryptsetup | csym) echo b ;; *) echo v ;; esac; }
csectors=$(sectors vda)

# one_open KEY: syscalls, DM ioctls and peak RSS of one activation, and
# whether the device came up (its table kept for comparison).
one_open() {
	_t=$1
	dm_cleanup
	# shellcheck disable=SC2046 # argv_KEY prints words
	set -- $(argv_"$_t")
	case $_t in dmboot | dmsetup) set -- "$@" "$vt" ;; esac
	strace -f -c -o /tmp/sc "$@" >/dev/null 2>&1
	put "$_t.syscalls" "$(awk '$NF == "total" { print $4 }' /tmp/sc)"
	put "$_t.ioctls" "$(awk '$NF == "ioctl" { print $4 }' /tmp/sc)"
	put "$_t.add_key" "$(awk '$NF == "add_key" { n = $4 } END { print n + 0 }' /tmp/sc)"
	cp /tmp/sc "/out/strace-c-$_t.txt"
	close_"$_t" >/dev/null 2>&1
	strace -f -o /tmp/st -e trace=ioctl "$@" >/dev/null 2>&1
	cp /tmp/st "/out/strace-$_t.txt"
	put "$_t.dm_ioctls" "$(grep -o 'ioctl([0-9]*, DM_[A-Z_]*' /tmp/st | sed 's/.* //' | tr '\n' ' ')"
	close_"$_t" >/dev/null 2>&1
	rm -f /tmp/rs
	runstat -m -o /tmp/rs "$@" >/dev/null 2>&1
	read -r _ kb rc </tmp/rs
	put "$_t.peak_rss_kb" "$kb"
	_n=$(name_of "$_t")
	_st=$(dmsetup status "$_n" 2>&1)
	case $rc:$_n:$_st in
	"0:v:0 $sectors verity V" | "0:b:0 $csectors crypt"*) pass "$_t activates its device" ;;
	*) fail "$_t activates its device" "rc=$rc status: $_st" ;;
	esac
	dmsetup table "$_n" 2>&1 | sed 's/ [0-9a-f]\{64,\} / KEY /; s/ :64:logon:[^ ]* / KEY /' >"/tmp/table.$_t"
	close_"$_t" >/dev/null 2>&1
}
# cycles KEY: CYCLES times activation + close, wall time. The command line
# is split once, outside the loop: no subshell per cycle.
cycles() {
	_t=$1
	# shellcheck disable=SC2046
	set -- $(argv_"$_t")
	case $_t in dmboot | dmsetup) set -- "$@" "$vt" ;; esac
	dm_cleanup
	bad=0 t0=$(now) i=0
	while [ $i -lt "$CYCLES" ]; do
		"$@" >/dev/null 2>&1 || bad=$((bad + 1))
		close_"$_t" >/dev/null 2>&1 || bad=$((bad + 1))
		i=$((i + 1))
	done
	put "$_t.cycles_ms" "$(ms_since "$t0")"
	[ $bad -eq 0 ] && pass "$CYCLES $_t cycles" || fail "$CYCLES $_t cycles" "$bad failures"
}
# same_table KEY REF: KEY's device had the table REF's had
same_table() {
	if cmp -s "/tmp/table.$1" "/tmp/table.$2"; then
		put "same_table.$1.$2" yes
		pass "$1 loads the table $2 loads"
	else
		put "same_table.$1.$2" no
		fail "$1 loads the table $2 loads" "$(cat "/tmp/table.$1" "/tmp/table.$2")"
	fi
}

# ---- one activation of each, then their cycles ------------------------------
openers="dmboot dmsetup veritysetup dmboot_vo dmboot_vo_nocheck vsym crypt_dmboot cryptsetup csym"
for tool in $openers; do
	one_open "$tool"
done
for tool in dmsetup dmboot_vo dmboot_vo_nocheck vsym; do
	same_table $tool veritysetup
done
same_table crypt_dmboot cryptsetup
same_table csym cryptsetup
for tool in $openers; do
	cycles "$tool"
done
t0=$(now) i=0
while [ $i -lt "$CYCLES" ]; do
	busybox true
	busybox true
	i=$((i + 1))
done
put baseline.cycles_ms "$(ms_since "$t0")"

# ---- a table of $TARGETS one-sector linear targets -------------------------
dm_cleanup
awk -v d="$d" -v n="$TARGETS" 'BEGIN { for (i = 0; i < n; i++) printf "%d 1 linear %s 0\n", i, d }' >/tmp/big.table
put big.table_bytes "$(wc -c </tmp/big.table)"
for tool in dmboot dmsetup; do
	$tool create --notable "big_$tool" >/dev/null 2>&1
	stat1 "$tool.load" $tool load "big_$tool" /tmp/big.table
	# the same load again under ptrace, for the peak RSS
	$tool clear "big_$tool" >/dev/null 2>&1
	rm -f /tmp/rs
	runstat -m -o /tmp/rs $tool load "big_$tool" /tmp/big.table >/dev/null 2>&1
	read -r _ kb _ </tmp/rs
	put "$tool.load_rss_kb" "$kb"
	dmsetup resume "big_$tool"
	n=$(dmsetup table "big_$tool" | wc -l)
	[ "$n" -eq "$TARGETS" ] && pass "$tool loads $TARGETS targets" ||
		fail "$tool loads $TARGETS targets" "the live table has $n lines"
done
# read back the same table with each tool
for tool in dmboot dmsetup; do
	stat1 "$tool.table" $tool table big_dmboot
	rm -f /tmp/rs
	runstat -m -o /tmp/rs $tool table big_dmboot >"/tmp/table.$tool" 2>&1
	read -r _ kb _ </tmp/rs
	put "$tool.table_rss_kb" "$kb"
done
if cmp -s /tmp/table.dmboot /tmp/table.dmsetup; then
	pass "dmboot table prints the $TARGETS-target table as dmsetup does"
else
	fail "dmboot table prints the $TARGETS-target table as dmsetup does" \
		"$(cmp /tmp/table.dmboot /tmp/table.dmsetup 2>&1; diff /tmp/table.dmboot /tmp/table.dmsetup | head -n 5)"
fi
stat1 dmboot.remove_big dmboot remove big_dmboot
stat1 dmsetup.remove_big dmsetup remove big_dmsetup

# ---- ls of $DEVICES devices ------------------------------------------------
dm_cleanup
# Every dm device has a kdmflush workqueue with a rescuer thread: the
# default threads-max of a 1 GiB guest (about 7,800) stops fork() first.
put threads_max_default "$(cat /proc/sys/kernel/threads-max)"
echo $((DEVICES * 2 + 10000)) >/proc/sys/kernel/threads-max
t0=$(now) i=0 bad=0
while [ $i -lt "$DMSETUP_DEVICES" ]; do
	dmsetup create --notable "s$i" >/dev/null 2>&1 || bad=$((bad + 1))
	i=$((i + 1))
done
put dmsetup.create_notable_ms "$(ms_since "$t0")"
t0=$(now)
dmsetup remove_all >/dev/null 2>&1 || bad=$((bad + 1))
put dmsetup.remove_all_small_ms "$(ms_since "$t0")"
t0=$(now) i=0
while [ $i -lt "$DEVICES" ]; do
	dmboot create --notable "d$i" >/dev/null 2>&1 || bad=$((bad + 1))
	i=$((i + 1))
done
put dmboot.create_notable_ms "$(ms_since "$t0")"
put mem_available_kb "$(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo)"
put threads "$(ls -d /proc/[0-9]* | wc -l)"
n=$(dmsetup ls | wc -l)
[ $bad -eq 0 ] && [ "$n" -eq "$DEVICES" ] && pass "$DEVICES devices created" ||
	fail "$DEVICES devices created" "$bad failures, dmsetup ls shows $n"
for tool in dmboot dmsetup; do
	for rep in 1 2 3; do
		stat1 "$tool.ls.$rep" $tool ls
	done
	rm -f /tmp/rs
	runstat -m -o /tmp/rs $tool ls >"/tmp/ls.$tool" 2>&1
	read -r _ kb _ </tmp/rs
	put "$tool.ls_rss_kb" "$kb"
done
if cmp -s /tmp/ls.dmboot /tmp/ls.dmsetup; then
	pass "dmboot ls lists $DEVICES devices as dmsetup does"
else
	fail "dmboot ls lists $DEVICES devices as dmsetup does" "$(diff /tmp/ls.dmboot /tmp/ls.dmsetup | head -n 5)"
fi
stat1 dmboot.remove_all dmboot remove_all
n=$(dmsetup ls | grep -vc 'No devices found')
[ "$n" -eq 0 ] && pass "dmboot remove_all" || fail "dmboot remove_all" "$n devices left"
echo "bench: done"
