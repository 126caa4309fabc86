#!/bin/sh
# Guest script: record exactly what Debian's dmsetup prints, and the exit
# status it returns, for a range of device-mapper states. Not a test: the
# result, tests/vm/capture/dmsetup-outputs.txt, is the reference dmboot's
# output formats are written against. Run it with tests/vm/capture/capture.sh.
#
# drive: disk img_zero 64M
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

OUT=/out/dmsetup-outputs.txt
KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
LONG_NAME=long-$(printf '%0122d' 0 | tr 0 n)
LONG_UUID=LONG-UUID-$(printf '%0118d' 0 | tr 0 u)
DISK=$(majmin "$DRIVE_disk")
nr=0
LIMIT=20

# shell-quote each argument that needs it, so the command line shown can be
# pasted back into a shell
show_args() {
	for a in "$@"; do
		case $a in
		'' | *[!A-Za-z0-9_./:=@%+,-]*) printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
}

# section FILE WHAT: the bytes of FILE raw, then through cat -A.
section() {
	bytes=$(wc -c <"$1")
	if [ "$bytes" -gt 0 ] && [ -n "$(tail -c 1 "$1")" ]; then
		echo "@@@ $2 raw ($bytes bytes, NO final newline; one added here)"
		cat "$1"
		echo
	else
		echo "@@@ $2 raw ($bytes bytes)"
		cat "$1"
	fi
	echo "@@@ $2 cat -A"
	cat -A "$1"
	[ "$bytes" -gt 0 ] && [ -n "$(tail -c 1 "$1")" ] && echo
	return 0
}

# run CMD...: run it (stdin from /dev/null, $LIMIT s) and record it.
run() {
	run_in /dev/null "$@"
}

# run_in FILE CMD...: the same with stdin from FILE.
run_in() {
	in=$1
	shift
	nr=$((nr + 1))
	timeout "$LIMIT" "$@" <"$in" >/tmp/cap.out 2>/tmp/cap.err
	rc=$?
	{
		if [ "$in" = /dev/null ]; then
			echo "@@@ [$nr] \$$(show_args "$@")"
		else
			echo "@@@ [$nr] \$$(show_args "$@") < $in"
			echo "@@@ stdin:"
			cat "$in"
		fi
		echo "@@@ exit status: $rc"
		[ "$LIMIT" = 20 ] || echo "@@@ (ran under timeout $LIMIT)"
		section /tmp/cap.out stdout
		section /tmp/cap.err stderr
		echo "@@@ end [$nr]"
		echo
	} >>"$OUT"
}

state() {
	{
		echo "################################################################"
		echo "#### STATE: $*"
		echo "################################################################"
		echo
	} >>"$OUT"
}

note() { printf '#### %s\n\n' "$*" >>"$OUT"; }

listings() {
	run dmsetup ls
	run dmsetup ls --target linear
	run dmsetup ls -o devname
	run dmsetup ls -o blkdevname
	run dmsetup ls --tree
	run dmsetup info
	run dmsetup info -c
	run dmsetup info -c --noheadings
	run dmsetup info -C
	run dmsetup table
	run dmsetup table --showkeys
	run dmsetup table --concise
	run dmsetup table --target linear
	run dmsetup status
	run dmsetup status --target zero
	run dmsetup deps
	run dmsetup deps -o devname
}

: >"$OUT"
{
	echo "dmsetup output capture, written by tests/vm/capture/dmsetup-outputs.sh"
	echo "in the VM of tests/vm (no udev; DM_DISABLE_UDEV=1 in the environment)."
	echo "kernel: $(uname -r)"
	echo "dmsetup: $(dmsetup --version 2>&1 | tr '\n' ';')"
	echo "device-mapper block major: $(dm_major); backing disk $DRIVE_disk is $DISK ($(sectors "$DRIVE_disk") sectors)"
	echo
	echo "Each command is framed by '@@@ [N] \$ command' and '@@@ end [N]'. Its"
	echo "exit status follows, then stdout and stderr, each twice: raw, then"
	echo "through busybox cat -A (tab = ^I, line end = \$, non-ASCII as M-x)."
	echo "Command lines are shown shell-quoted; every command ran under"
	echo "busybox 'timeout 20' with stdin from /dev/null unless shown otherwise."
	echo
} >>"$OUT"

# ---------------------------------------------------------------------------
state "no devices"
run dmsetup version
run dmsetup targets
listings

# ---------------------------------------------------------------------------
state "one linear device: lin = 0 2048 linear $DISK 0"
run dmsetup create lin --table "0 2048 linear $DISK 0"
listings
run dmsetup info lin
run dmsetup table lin
run dmsetup status lin
run dmsetup deps lin

# ---------------------------------------------------------------------------
state "several devices (created in the order shown; lin still exists)"
run dmsetup create susp --table "0 1024 linear $DISK 4096"
run dmsetup suspend susp
run dmsetup create --notable inact
run dmsetup load inact --table "0 512 zero"
run dmsetup create both --table "0 1024 linear $DISK 8192"
run dmsetup load both --table "0 2048 zero"
run dmsetup create -r ro --table "0 1024 linear $DISK 12288"
run dmsetup create withuuid --uuid CAPTURE-UUID-0001 --table "0 1024 linear $DISK 16384"
run dmsetup create crypt --table "0 2048 crypt aes-xts-plain64 $KEY 0 $DISK 20480"
run dmsetup create "$LONG_NAME" -u "$LONG_UUID" --table "0 8 zero"
run dmsetup create --notable nt
run dmsetup create z --table "0 4096 zero"
printf '0 1024 linear %s 24576\n1024 1024 zero\n2048 512 error\n' "$DISK" >/tmp/multi-table
run_in /tmp/multi-table dmsetup create multi
LIN=$(dmsetup info -c --noheadings -o major,minor --separator : lin)
run dmsetup create stack --table "0 2048 linear $LIN 0"
listings
for d in lin susp inact both ro withuuid crypt "$LONG_NAME" nt z multi stack; do
	run dmsetup info "$d"
done
run dmsetup info -c -o name,major,minor,attr,open,segments,events,uuid
run dmsetup info -c -o name,uuid --separator ';' --noheadings
run dmsetup table crypt
run dmsetup table --showkeys crypt
run dmsetup table --inactive
run dmsetup table --inactive both
run dmsetup status --inactive
run dmsetup table nt
run dmsetup status nt
run dmsetup deps stack
run dmsetup deps -o devname stack
run dmsetup deps -o blkdevname stack
run dmsetup ls --target zero

state "errors and the remaining commands (devices as above)"
run dmsetup info nonexistent
run dmsetup table nonexistent
run dmsetup deps nonexistent
run dmsetup status nonexistent
run dmsetup remove nonexistent
run dmsetup target-version linear zero
run dmsetup target-version nonexistent
run dmsetup target-version linear nonexistent
run dmsetup message lin 0 hello
run dmsetup message crypt 0 key wipe
run dmsetup suspend crypt
run dmsetup message crypt 0 key wipe
run dmsetup message crypt 0 key set "$KEY"
run dmsetup resume crypt
run dmsetup message nonexistent 0 hello
ev() { dmsetup info "$1" | sed -n 's/^Event number: *//p'; }
note "wait: the event number of lin is $(ev lin), so 'wait lin $(ev lin)' blocks until an event; timeout 3 ends it (SIGTERM: 143)"
LIMIT=3
run dmsetup wait lin "$(ev lin)"
LIMIT=20
run dmsetup wait lin "$(($(ev lin) + 1))"
run dmsetup wait nonexistent 0
run dmsetup setgeometry lin 100 16 63 0
run dmsetup info lin
run dmsetup setgeometry lin 100 16
run dmsetup setgeometry lin bad 16 63 0
run dmsetup rename lin lin-renamed
run dmsetup ls
run dmsetup rename lin-renamed lin
run dmsetup rename lin withuuid
run dmsetup rename nonexistent foo
run dmsetup rename --setuuid lin CAPTURE-UUID-0002
run dmsetup info lin
note "the renames raised lin's event number to $(ev lin): 'wait lin 0' returns at once"
run dmsetup wait lin 0
run dmsetup wait lin
run dmsetup rename --setuuid lin CAPTURE-UUID-0003
run dmsetup rename --setuuid withuuid CAPTURE-UUID-0004
run dmsetup help
run dmsetup help -c
run dmsetup --version
run dmsetup
run dmsetup frobnicate
run dmsetup create bad1 --table "0 100 nosuchtarget"
run dmsetup create bad2 --table "garbage"
run dmsetup create bad3 --table "0 100 linear $DISK"
run dmsetup create bad4 --table "0 100 zero extra args"
run dmsetup create lin --table "0 100 zero"
run dmsetup ls
run ls /dev/mapper
run dmsetup mknodes
run ls /dev/mapper
run dmsetup mknodes lin
run dmsetup info nt
run dmsetup create --concise "c1,,,ro,0 8 zero;c2,CAPTURE-UUID-C2,,,0 8 zero,8 8 error"
run dmsetup table --concise c1 c2
run dmsetup info -c c1 c2
run dmsetup create dly --table "0 1024 delay $DISK 0 0"
run dmsetup create flk --table "0 1024 flakey $DISK 0 10 0"
run dmsetup table dly flk
run dmsetup status dly flk
run dmsetup info lin z
run dmsetup table lin z
run dmsetup status lin z
run dmsetup deps lin z
run dmsetup remove susp
run dmsetup resume susp
run dmsetup remove inact
run dmsetup clear both
run dmsetup info both
run dmsetup remove_all
run dmsetup ls
run dmsetup info

state "no DM_DISABLE_UDEV in the environment (udev is not running either)"
run env -u DM_DISABLE_UDEV dmsetup create u1 --table "0 8 zero"
run env -u DM_DISABLE_UDEV dmsetup create --noudevsync u2 --table "0 8 zero"
run ls /dev/mapper
run env -u DM_DISABLE_UDEV dmsetup info u1
run env -u DM_DISABLE_UDEV dmsetup ls -o devname
run env -u DM_DISABLE_UDEV dmsetup remove u1
run env -u DM_DISABLE_UDEV dmsetup remove --noudevsync u2
run dmsetup ls

if grep -q '^@@@ \[' "$OUT" && [ "$nr" -gt 100 ]; then
	pass "capture: $nr commands recorded"
else
	fail "capture" "only $nr commands recorded"
fi
no_dm_devices "capture: all devices removed"
