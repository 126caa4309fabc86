#!/bin/sh
# SPDX-License-Identifier: MIT
# Fault injection on the real kernel: every system call dmboot makes on
# its activation paths fails in turn, under strace -e inject=. For each
# case (create, verity open of devices and of image files, crypt open with
# a key file and with a keyring key, tab, and init as PID 1 through
# dm-mod.create=, roothash= and the tab files, ending in switch_root and
# the root's init) a clean run under strace -ff lists dmboot's system
# calls in order; each (syscall, Nth call) is a call site. /test/faults.mode
# "full": each site failed with EINTR and two errnos that fit the call;
# "quick" (default): once, EINTR and the first fitting errno in turn, on
# fewer sites (see the cases and discover); "discover": clean runs only.
# /test/faults.only: the cases to run (all if empty). docs/FAULTS.md.
# After each run: a non-zero exit with exactly one stderr line "dmboot:
# CMD: ...", or the clean run's tables; no device but the clean run's,
# each with its table; no loop device, /dev/mapper node or keyring key
# left behind; no key bytes in stdout, stderr or strace's log (dmesg at
# the end); the root's init reached only through the verity device.
# Needs /bin/dmboot (full_defconfig), /bin/pid1 (tests/vm/pid1.c).
# drive: vdata img_random 2M
# drive: vhash img_verity_hash vdata
# drive: cdisk img_zero 4M
# drive: root img_root_init 8M
# drive: rhash img_verity_hash root
# shellcheck disable=SC1091,SC2154 # lib.sh, DRIVE_* and image facts: /test
. /test/lib.sh

MODE=$(cat /test/faults.mode 2>/dev/null || echo quick)
ONLY=$(cat /test/faults.only 2>/dev/null || true)
T=/tmp/faults
mkdir -p $T /fr
# A printable 64-byte key: its raw bytes and its hex can both be grepped.
head -c 4096 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 64 >$T/key
chmod 600 $T/key
KEYHEX=$(od -An -v -tx1 $T/key | tr -d ' \n')
KEYRAW=$(cat $T/key)
[ ${#KEYRAW} -eq 64 ] || fail "key" "could not make a 64-byte key"

dd if="$DRIVE_vdata" of=$T/vdata.img bs=65536 2>/dev/null
dd if="$DRIVE_vhash" of=$T/vhash.img bs=65536 2>/dev/null
VD=$(majmin "$DRIVE_vdata")
VS=$(sectors "$DRIVE_vdata")
RS=$(sectors "$DRIVE_root")
ROOT_TABLE="0 $RS verity 1 $(majmin "$DRIVE_root") $(majmin "$DRIVE_rhash") 4096 4096 $rhash_DATA_BLOCKS 1 $rhash_HASH_ALG $rhash_ROOT_HASH $rhash_SALT"
CRYPTTAB="cf $DRIVE_cdisk /etc/key plain,cipher=aes-xts-plain64,size=512"
VERITYTAB="root $DRIVE_root $DRIVE_rhash $rhash_ROOT_HASH"

# ---- the cases --------------------------------------------------------------
# case_NAME sets CMD (the traced command line) and prepares what it needs.

case_create() { CMD="dmboot create fc -r --table '0 $VS linear $VD 0'"; }
case_verity() { CMD="dmboot verity open $DRIVE_vdata fv $DRIVE_vhash $vhash_ROOT_HASH"; }
case_verity_files() { CMD="dmboot verity open $T/vdata.img ff $T/vhash.img $vhash_ROOT_HASH"; }
case_crypt() {
	CMD="dmboot crypt open --type plain $DRIVE_cdisk fk -d $T/key -c aes-xts-plain64 -s 512"
}
case_crypt_keyring() {
	keyctl padd logon fw:fk @u <$T/key >/dev/null
	CMD="dmboot crypt open --type plain $DRIVE_cdisk fr -c aes-xts-plain64 -s 512 --volume-key-keyring %logon:fw:fk"
}
case_tab() {
	mkdir -p $T/tab
	echo "$CRYPTTAB" | sed "s|/etc/key|$T/key|" >$T/tab/crypttab
	echo "$VERITYTAB" >$T/tab/veritytab
	CMD="dmboot tab $T/tab/crypttab $T/tab/veritytab"
}
# init: dmboot as PID 1 of its namespaces, in a fresh tmpfs (switch_root
# empties the old root), the kernel command line from $T/cmdline.
init_root() {
	umount -l /fr 2>/dev/null
	mount -t tmpfs -o mode=0755 tmpfs /fr
	mkdir -p /fr/bin /fr/etc /fr/dev /fr/proc /fr/sys /fr/run /fr/newroot
	cp /bin/dmboot /fr/bin/dmboot
	printf '%s dmboot.timeout=2 rootfstype=ext4 ro root=/dev/mapper/root\n' "$1" >$T/cmdline
	# The root's init writes its line to fd 3 too: $T/marker.
	CMD="pid1 /fr $T/cmdline /bin/dmboot 3>$T/marker"
}
case_init_create() { init_root "dm-mod.create=\"root,,,ro,$ROOT_TABLE\""; }
case_init_roothash() {
	init_root "roothash=$rhash_ROOT_HASH systemd.verity_root_data=$DRIVE_root systemd.verity_root_hash=$DRIVE_rhash"
}
case_init_tabs() {
	init_root ""
	cp $T/key /fr/etc/key
	chmod 600 /fr/etc/key
	echo "$CRYPTTAB" >/fr/etc/crypttab
	echo "$VERITYTAB" >/fr/etc/veritytab
}

CASES="create verity verity_files crypt crypt_keyring tab init_create init_roothash init_tabs"
# quick: verity_files runs verity open's code, and the loop devices' too.
[ "$MODE" = quick ] && CASES=$(echo "$CASES" | sed 's/^create verity /create /')

# ---- state ------------------------------------------------------------------

# Everything back to nothing: devices (an ext4 mount may hold root for a
# moment after its namespace went), loops, nodes, keys.
# Cheap when the last run's state ($T/after) was empty.
reset() {
	umount -l /fr 2>/dev/null
	[ -s $T/after ] || [ ! -f $T/after ] || return 0
	i=0
	while [ -n "$(dmboot ls 2>/dev/null | grep -v '^No devices')" ] && [ $i -lt 30 ]; do
		dmboot remove_all --force >/dev/null 2>&1 ||
			dmsetup remove_all --force >/dev/null 2>&1 || sleep 0.1
		i=$((i + 1))
	done
	for l in /sys/block/loop*/loop; do
		[ -d "$l" ] || continue
		l=${l%/loop}
		losetup -d "/dev/${l##*/}" 2>/dev/null
	done
	for n in /dev/mapper/*; do
		[ "$n" = /dev/mapper/control ] || rm -f "$n"
	done
	keyctl clear @u >/dev/null 2>&1
	keyctl clear @s >/dev/null 2>&1
	rm -f $T/after
}

# The state a run leaves, a line per thing: devices with their tables,
# loop devices, /dev/mapper nodes, linked keys.
state() {
	dmboot table 2>/dev/null | grep -v '^No devices' | sed 's/^/dm /'
	loops | sed 's/^/loop /'
	for _n in /dev/mapper/*; do
		[ "$_n" = /dev/mapper/control ] || echo "node ${_n##*/}"
	done
	# /proc/keys shows unlinked keys until the collector ran: keyctl
	# says whether one is still linked.
	if grep -q dmboot /proc/keys; then
		{ keyctl show @u; keyctl show @s; } 2>/dev/null | grep 'dmboot' |
			sed 's/^ *[0-9]* *//; s/^/key /'
	fi
}

# nokey FILE: state lines with each crypt table's key field as KEY.
nokey() { awk '$1 == "dm" && $5 == "crypt" { $7 = "KEY" } { print }' "$1"; }

# syscalls LOGPREFIX: dmboot's system calls in order, "NAME N" a line (the
# Nth NAME of its process, as strace's when= counts them; a third word
# for trim), from its
# execve to the root init's execve (included); libc's start-up calls and
# exit are not dmboot's.
syscalls() {
	f=$(grep -l 'execve("/bin/dmboot"' "$1".* | head -n 1)
	awk '
	{
		if (!match($0, /^[a-z_0-9]+\(/))
			next
		name = substr($0, 1, RLENGTH - 1)
		c[name]++
		if (!on) {
			if (name == "execve" && $0 ~ /"\/bin\/dmboot"/)
				on = 1
			next
		}
		# libc start-up, exit, and calls that cannot fail
		if (name ~ /^(arch_prctl|set_tid_address|exit_group|exit|getpid|getppid|gettid)$/)
			next
		# a third word marks where trim cuts
		print name, c[name], ($0 ~ /"\/proc\/cmdline"/ ? "cmdline" : (name ~ /^(statfs|chdir|chroot)$/ ? name : ""))
		if (name == "execve")
			exit
	}' "$f"
}

# trim SITES: the sites from the read of /proc/cmdline to switch_root's
# first check (the statfs of /), both left out.
trim() { awk '$3 == "statfs" { exit } on { print } $3 == "cmdline" { on = 1 }' "$1"; }
# trim_wipe SITES: all but switch_root's emptying of the old root, whose
# errors are skipped by design (what cannot go stays in memory).
trim_wipe() {
	awk '$3 == "chroot" { w = 2 } w != 1 || $1 == "mount" { print } $3 == "chdir" && !w { w = 1 }' "$1"
}

# The errnos to fail NAME with, beyond EINTR: the first in quick mode.
errnos() {
	case $1 in
	open | openat) echo "EACCES ENOENT" ;;
	read | pread64 | readv | getdents64) echo "EIO EAGAIN" ;;
	write | writev | pwrite64) echo "ENOSPC EIO" ;;
	ioctl) echo "EBUSY ENXIO" ;;
	mmap | munmap | mremap | brk | mlock | mlockall | madvise) echo "ENOMEM EAGAIN" ;;
	add_key | keyctl | request_key) echo "EDQUOT ENOMEM" ;;
	mount | umount2) echo "EBUSY EIO" ;;
	socket | bind | accept | accept4 | sendmsg | sendto | recvmsg | setsockopt) echo "ENOMEM EAFNOSUPPORT" ;;
	stat | lstat | fstat | newfstatat | statx | statfs | fstatfs | access | faccessat | readlink | readlinkat) echo "ENOENT EACCES" ;;
	close) echo "EIO EBADF" ;;
	mkdir | mkdirat | mknod | mknodat | symlink | symlinkat | unlink | unlinkat) echo "ENOSPC EACCES" ;;
	chdir | chroot | fchdir) echo "EACCES ENOENT" ;;
	execve) echo "ENOENT EACCES" ;;
	nanosleep | clock_nanosleep | poll | ppoll | select | pselect6) echo "EINVAL ENOMEM" ;;
	*) echo "EIO ENOMEM" ;;
	esac
}

# ---- one run ----------------------------------------------------------------

runs=0 bad=0 unreached=0
SITES=$T/sites.all
: >$SITES

# verdict CASE LABEL: the checks after a run of CMD (rc, out, err, log).
verdict() {
	_c=$1 _l=$2 why=
	state >$T/after
	if [ "$rc" -eq 0 ]; then
		# A crypt key in hex (masked) where the keyring could not be
		# used is dmboot's documented fallback, as on old dm-crypt.
		nokey $T/after >$T/after.n
		nokey $T/ref.$_c >$T/ref.n
		# init's /dev is its own devtmpfs mount, the guest's only while
		# that mount works: a failed one (EBUSY: taken as mounted) leaves
		# init's nodes in its tmpfs, the guest's /dev/mapper without them.
		case $_c in init_*)
			sed -i '/^node /d' $T/after.n $T/ref.n
			;;
		esac
		cmp -s $T/after.n $T/ref.n || why="exit 0 but the state is not the clean run's: $(diff $T/ref.$_c $T/after | grep '^[-+][a-z]' | tr '\n' ';')"
		# A refused mlock is no failure: dmboot goes on, as cryptsetup
		# does, and says so in one warning line (SECRET_MEMORY).
		case $_l in *": mlock#"*)
			grep -v '^dmboot: [a-z]*: warning: key memory could not be locked (mlock): it may have reached swap$' $T/err >$T/err.1
			mv $T/err.1 $T/err
			;;
		esac
		[ -s $T/err ] && why="$why exit 0 with stderr: $(head -c 200 $T/err)"
	else
		n=$(wc -l <$T/err)
		if [ "$n" -ne 1 ] || [ -n "$(tail -c 1 $T/err)" ]; then
			why="exit $rc with $n stderr lines: $(head -c 300 $T/err)"
		elif ! grep -q '^dmboot: [a-z_]*[a-z]: .*[^ :]$' $T/err; then
			why="exit $rc, stderr not 'dmboot: CMD: WHAT: REASON': $(cat $T/err)"
		elif grep -qi 'success' $T/err; then
			why="exit $rc, stderr says success: $(cat $T/err)"
		fi
		# What is left must be complete devices of the clean run.
		while read -r kind rest; do
			case $kind in
			dm) grep -qxF "dm $rest" $T/ref.$_c || why="$why left behind: dm $rest;" ;;
			loop) grep -qxF "loop $rest" $T/ref.$_c && grep -q "^dm " $T/after || why="$why left behind: loop $rest;" ;;
			node) grep -q "^dm ${rest}: " $T/after || why="$why left behind: /dev/mapper/$rest;" ;;
			*) why="$why left behind: $kind $rest;" ;;
			esac
		done <$T/after
		# Single-device commands leave nothing at all.
		case $_c in create | verity | verity_files | crypt | crypt_keyring)
			[ -s $T/after ] && why="$why left behind after failure: $(tr '\n' ';' <$T/after)" ;;
		esac
	fi
	case $_c in init_*)
		if grep -q ROOT-INIT-REACHED $T/marker; then
			rootdev=$(cat "/sys/block/$(basename "$(dm_node root)")/dev" 2>/dev/null)
			grep -q "ROOT-INIT-REACHED: / is $rootdev," $T/marker && [ -n "$rootdev" ] ||
				why="$why the root's init ran on something else than the verity root: $(grep ROOT-INIT $T/marker) (root is $rootdev)"
			[ "$rc" -eq 0 ] || why="$why root init reached, yet exit $rc"
		elif [ "$rc" -eq 0 ]; then
			why="$why exit 0 without reaching the root's init"
		fi
		;;
	esac
	if grep -qF -e "$KEYHEX" -e "$KEYRAW" $T/out $T/err $T/log* 2>/dev/null; then
		why="$why key bytes in the output or strace's log"
	fi
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		fail "$_l" "$why"
		_vt_detail $T/err
		return 1
	fi
	pass "$_l"
	return 0
}

# discover CASE: the clean run; its sites into $T/sites.CASE, its state
# into $T/ref.CASE.
discover() {
	reset
	"case_$1"
	rm -f $T/d.*
	eval "strace -ff -qq -s 0 -o $T/d $CMD" >$T/out 2>$T/err
	rc=$?
	state >$T/ref.$1
	if [ "$rc" -ne 0 ] || [ -s $T/err ]; then
		fail "$1: clean run" "exit $rc: $(head -c 300 $T/err)"
		return 1
	fi
	case $1 in init_*)
		grep -q ROOT-INIT-REACHED $T/marker || { fail "$1: clean run" "no root init: $(cat $T/out)"; return 1; }
		;;
	esac
	syscalls $T/d >$T/sites.$1
	if [ "$MODE" = quick ]; then
		case $1 in
		init_create | init_roothash)
			# Their boot before the command line and their
			# switch_root are init_tabs' too: quick mode fails
			# only what lies between.
			trim $T/sites.$1 >$T/trimmed
			mv $T/trimmed $T/sites.$1
			;;
		init_tabs)
			trim_wipe $T/sites.$1 >$T/trimmed
			mv $T/trimmed $T/sites.$1
			;;
		esac
	fi
	awk -v c="$1" '{ print c, $0 }' $T/sites.$1 >>$SITES
	pass "$1: clean run, $(wc -l <$T/sites.$1) call sites: $(awk '{ print $1 }' $T/sites.$1 | sort | uniq -c | awk '{ printf "%s%s*%s", s, $2, $1; s = " " }')"
	# The clean run itself passes the checks.
	runs=$((runs + 1))
	rm -f $T/log*
	verdict "$1" "$1: clean run checks" || true
}

# inject CASE NAME N ERRNO
inject() {
	reset
	"case_$1"
	rm -f $T/log
	# seccomp-bpf: the tracee stops at this system call only.
	eval "strace -f -qq -s 0 --seccomp-bpf -o $T/log -e trace=$2 -e inject=$2:error=$4:when=$3 $CMD" >$T/out 2>$T/err
	rc=$?
	runs=$((runs + 1))
	if ! grep -q "$2(.*(INJECTED)" $T/log; then
		unreached=$((unreached + 1))
		state >$T/after
		skip "$1: $2#$3 $4" "not reached: the run took another path (exit $rc)"
		return 0
	fi
	verdict "$1" "$1: $2#$3 $4" || true
}

for c in $CASES; do
	[ -z "$ONLY" ] || case " $ONLY " in *" $c "*) ;; *) continue ;; esac
	discover "$c" || continue
	[ "$MODE" != discover ] || continue
	k=0
	while read -r sname snum _; do
		# shellcheck disable=SC2046 # two words
		set -- $(errnos "$sname")
		# quick: each site once, EINTR and the fitting errno in turn;
		# full: EINTR and both.
		k=$((k + 1))
		case $MODE in
		full) es="EINTR $1 $2" ;;
		*) es=$([ $((k % 2)) -eq 1 ] && echo EINTR || echo "$1") ;;
		esac
		for e in $es; do
			inject "$c" "$sname" "$snum" "$e"
		done
	done <$T/sites.$c
done
reset

if dmesg | grep -qF -e "$KEYHEX" -e "$KEYRAW"; then
	fail "no key bytes in dmesg" "found"
else
	pass "no key bytes in dmesg"
fi
sites=$(wc -l <$SITES)
line="faults: $runs runs, $sites call sites, $bad defects ($unreached not reached; mode $MODE: $([ "$MODE" = full ] && echo "EINTR and two errnos" || echo "EINTR or a fitting errno, in turn") per call site)"
_vt_emit "$line"
for c in $CASES; do
	[ -f $T/sites.$c ] && _vt_emit "faults-sites: $c $(wc -l <$T/sites.$c)"
done
exit 0
