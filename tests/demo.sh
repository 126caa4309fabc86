#!/bin/bash
# SPDX-License-Identifier: MIT
# make demo: boot a dm-verity protected root file system activated by dmboot.
#
#   tests/demo.sh [--shell-less | --busybox] [--crypt | --luks] [--tamper] [-q]
#
# Builds dmboot, fetches Debian's cloud kernel (tests/vm/kernel.sh, cached),
# makes a small ext4 root image with busybox, hashes it with veritysetup
# format on this machine and boots it under QEMU:
#
#   --shell-less  (the default) the initramfs is dmboot (boot_defconfig) as
#              /init, the dm and virtio modules and nothing else, built from
#              initramfs/dmboot.list by initramfs/mkcpio.sh; the kernel
#              command line alone says what to do: dm-mod.create= with the
#              whole verity table, dm-mod.waitfor=, root=/dev/dm-0.
#   --busybox  /init is a busybox script that loads the modules, opens the
#              verity device with `dmboot create -r root --table ...`,
#              mounts /dev/mapper/root read-only and switch_roots into it.
#   --crypt    (shell-less only) dm-crypt under dm-verity: the data image
#              is encrypted on this machine (plain aes-xts-plain64, a
#              random 512-bit key; no device-mapper needed: xts_plain64 in
#              tests/vm/verity-root.sh) and the hash is of what it holds
#              decrypted. The initramfs adds the key file, /etc/crypttab
#              (croot: /dev/vda decrypted with it) and /etc/veritytab
#              (root: /dev/mapper/croot verified with the hash disk, named
#              by its UUID, and the root hash); the kernel command line
#              says root=/dev/mapper/root. dmboot opens crypttab's lines
#              before veritytab's. The proof adds `dmboot table croot`,
#              whose key is a kernel keyring reference, never key bytes.
#   --luks     (shell-less only) a LUKS2 root unlocked by a passphrase
#              typed on the console: the ext4 image goes into a LUKS2
#              volume made by cryptsetup luksFormat on this machine
#              (argon2id at 16 MiB, 4 passes; the data encrypted with the
#              volume key without device-mapper, tests/vm/verity-root.sh
#              luks_root); /init is luks_defconfig's dmboot and the kernel
#              command line says rd.luks.name=UUID=root root=/dev/mapper/root.
#              The demo waits for "Enter passphrase for" on the serial
#              console and types the passphrase there; the proof is the
#              root mounted from /dev/mapper/root, its table (the volume
#              key a keyring reference, as cryptsetup loads it) and no
#              echo of the passphrase on the console.
#
# The verified root's /sbin/init prints its proof (a token written into the
# image, `dmboot table` and `dmboot status`) and powers off. The console is
# streamed; exit 0 only if the proof arrived.
#
#   --tamper   flip one byte of the data image after hashing (with --crypt,
#              of the encrypted image): the boot must be refused (the read
#              fails, dm-verity logs the corruption; shell-less:
#              dmboot.onfail=panic stops the boot); exit 0 only if it was.
#              With --luks: a wrong passphrase typed at each of the three
#              prompts; the boot must stop there, no device left.
#   -q         do not stream the console (it is still in the log).
#
# Runs as root on Debian 12; installs missing packages with apt-get.
# Work files: build/demo/ (DEMO_DIR); the shell-less /init is built in
# build/demo-boot/ (DEMO_BOOT_DIR), the root's dmboot (full_defconfig) in
# build/demo-root/ (DEMO_ROOT_DIR): never the tree's own .config, which
# may lack what the demo runs. Kernel cache: DMBOOT_CACHE.
# DMBOOT=/path/to/dmboot boots that static binary instead of building one.
set -eu -o pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
DEMO_DIR=${DEMO_DIR:-$TOP/build/demo}
TIMEOUT=${DEMO_TIMEOUT:-120}
ROOT_SIZE=8M

tamper='' quiet='' mode=shell-less crypt='' luks=''
for arg in "$@"; do
	case $arg in
	--tamper) tamper=1 ;;
	--crypt) crypt=1 ;;
	--luks) luks=1 ;;
	--shell-less) mode=shell-less ;;
	--busybox) mode=busybox ;;
	-q) quiet=1 ;;
	-h | --help) sed -n '2,/^set -eu/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) echo "demo: unknown argument: $arg (try --help)" >&2; exit 2 ;;
	esac
done
if [ -n "$crypt$luks" ] && [ "$mode" = busybox ]; then
	echo "demo: --crypt and --luks need the shell-less initramfs, not --busybox" >&2
	exit 2
fi
if [ -n "$crypt" ] && [ -n "$luks" ]; then
	echo "demo: --crypt or --luks, not both" >&2
	exit 2
fi

if [ -t 2 ]; then
	say() { printf '\033[1mdemo: %s\033[0m\n' "$*" >&2; }
else
	say() { printf 'demo: %s\n' "$*" >&2; }
fi
die() { printf 'demo: FAILED: %s\n' "$*" >&2; exit 1; }

case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac

# install_missing CMD:PKG...: apt-get installs the packages whose command is
# missing; apt-get update runs once, and only if something is missing.
install_missing() {
	local want=() pair
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || want+=("${pair#*:}")
	done
	# A dynamic busybox cannot run in an initramfs without its libraries.
	if command -v busybox >/dev/null && ldd "$(command -v busybox)" >/dev/null 2>&1; then
		want+=(busybox-static)
	fi
	[ ${#want[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages: ${want[*]} (run as root or install them)"
	say "installing ${want[*]}"
	apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${want[@]}" || die "apt-get install ${want[*]} failed"
}

install_missing qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio \
	modprobe:kmod veritysetup:cryptsetup-bin mkfs.ext4:e2fsprogs musl-gcc:musl-tools \
	kconfig-conf:kconfig-frontends gzip:gzip make:make gcc:gcc openssl:openssl perl:perl-base

t0=$(date +%s%N)
elapsed() { echo "$((($(date +%s%N) - t0) / 1000000)) ms"; }

if [ -n "${DMBOOT:-}" ]; then
	dmboot=$(readlink -f "$DMBOOT")
	say "using DMBOOT=$dmboot"
else
	# The root's dmboot proves the boot with table and status: the
	# demo's own full_defconfig build, whatever .config this tree has.
	rootdir=${DEMO_ROOT_DIR:-$TOP/build/demo-root}
	say "building dmboot (full_defconfig, in $rootdir)"
	mkdir -p "$rootdir"
	make -s -C "$TOP" CONFIG="$rootdir/.config" full_defconfig || die "make full_defconfig failed"
	make -s -C "$TOP" O="$rootdir" CONFIG="$rootdir/.config" "$rootdir/dmboot" >&2 || die "make failed"
	dmboot=$rootdir/dmboot
fi
[ -x "$dmboot" ] || die "no $dmboot after make"
ldd "$dmboot" >/dev/null 2>&1 && die "$dmboot is not static"
if [ "$mode" = shell-less ]; then
	# /init: the boot configuration, built beside the demo's work files.
	bootdir=${DEMO_BOOT_DIR:-$TOP/build/demo-boot}
	defconfig=boot_defconfig
	[ -z "$luks" ] || defconfig=luks_defconfig
	mkdir -p "$bootdir"
	make -s -C "$TOP" CONFIG="$bootdir/.config" $defconfig ||
		die "make $defconfig failed"
	make -s -C "$TOP" O="$bootdir" CONFIG="$bootdir/.config" "$bootdir/dmboot" >&2 ||
		die "make ($defconfig) failed"
	initbin=$bootdir/dmboot
fi

say "kernel (tests/vm/kernel.sh)"
eval "$("$TOP/tests/vm/kernel.sh")"
. "$TOP/tests/vm/verity-root.sh"
busybox=$(command -v busybox)

rm -rf "$DEMO_DIR"
mkdir -p "$DEMO_DIR"
cd "$DEMO_DIR"

# ---- the root file system --------------------------------------------------
say "root image: busybox, dmboot and /sbin/init in ext4 ($ROOT_SIZE)"
token=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p root/{bin,sbin,etc,dev,proc,sys,run,tmp,mnt}
install -m 755 "$busybox" root/bin/busybox
for a in $("$busybox" --list); do
	case $a in busybox | init | linuxrc) ;; *) ln -s busybox "root/bin/$a" ;; esac
done
install -m 755 "$dmboot" root/sbin/dmboot
echo "hello from the verified root, token $token" >root/etc/motd
cat >root/sbin/init <<'EOF'
#!/bin/sh
# /sbin/init of the dmboot demo root: print proof, power off.
export PATH=/sbin:/bin
echo
echo "==== running /sbin/init of the verified root ===="
echo "proof: motd: $(cat /etc/motd)"
echo "proof: / is $(awk '$2 == "/" { print $1, $3, $4 }' /proc/mounts)"
for w in $(cat /proc/cmdline); do
	case $w in dmboot.roothash=*) echo "proof: roothash on the kernel command line: ${w#*=}" ;; esac
done
echo "proof: dmboot table root:  $(dmboot table root)"
echo "proof: dmboot status root: $(dmboot status root)"
if [ -b /dev/mapper/croot ]; then
	echo "proof: dmboot ls: $(dmboot ls | tr '\t\n' ' ;')"
	echo "proof: dmboot table croot: $(dmboot table croot)"
	echo "proof: dmboot table --showkeys croot: $(dmboot table --showkeys croot)"
fi
echo "==== powering off ===="
poweroff -f
EOF
chmod 755 root/sbin/init
say "veritysetup format data.img hash.img"
verity_root root "$ROOT_SIZE" data.img hash.img -L dmboot-demo ||
	die "cannot make the verity root (mkfs.ext4, veritysetup format)"
cat hash.img.txt >&2
disk=data.img
if [ -n "$crypt" ]; then
	# The hash is of the plain image: dm-verity reads it through dm-crypt.
	say "encrypting data.img into croot.img: plain aes-xts-plain64, 512-bit key croot.key"
	head -c 64 /dev/urandom >croot.key
	xts_plain64 croot.key data.img croot.img || die "cannot encrypt data.img (openssl, perl)"
	disk=croot.img
fi

if [ -n "$luks" ]; then
	# Typed on the console: one line, no newline in the file.
	pass=demo-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
	printf %s "$pass" >root.pass
	say "luksFormat root.img: LUKS2, argon2id (16 MiB, 4 passes), passphrase $pass; data.img encrypted into its data segment"
	luks_root data.img root.img root.pass --label dmboot-demo ||
		die "cannot make the LUKS2 root (cryptsetup luksFormat, openssl, perl)"
	say "LUKS2 UUID $luuid, data at $loffset bytes"
	disk=root.img
fi

if [ -n "$tamper" ] && [ -z "$luks" ]; then
	# Byte 0 is boot-sector padding that ext4 never looks at (encrypted, it
	# decrypts to 16 bytes of noise there): only the hash tree can notice.
	old=$(od -An -tu1 -N1 "$disk" | tr -d ' ')
	printf '%b' "\\$(printf '%03o' $(((old ^ 0xff) & 0xff)))" |
		dd of="$disk" bs=1 seek=0 count=1 conv=notrunc status=none
	say "tampered: byte 0 of $disk is now $(od -An -tu1 -N1 "$disk" | tr -d ' ') (was $old)"
fi

# ---- the initramfs ---------------------------------------------------------
if [ "$mode" = shell-less ]; then
say "initramfs: dmboot as /init, dm/virtio modules${crypt:+, key file, crypttab, veritytab}${luks:+ (crypt, AF_ALG skcipher)}, nothing else"
mkdir -p initramfs
cp "$TOP/initramfs/dmboot.list" initramfs.list
: >initramfs/modules
mods=(dm-mod dm-verity)
# No modprobe in the initramfs to load xts when dm-crypt asks for it;
# veritytab's root hash check hashes through AF_ALG (algif_hash).
[ -z "$crypt" ] || mods+=(dm-crypt xts algif_hash)
# LUKS: keyslots are decrypted through AF_ALG's skcipher.
[ -z "$luks" ] || mods=(dm-mod dm-crypt xts algif_skcipher)
module_order "${mods[@]}" virtio_blk virtio_pci >modules.paths || die "modprobe failed"
while read -r ko; do
	echo "file /lib/modules/${ko##*/} $ko 0644 0 0" >>initramfs.list
	echo "/lib/modules/${ko##*/}" >>initramfs/modules
done <modules.paths
echo "file /etc/dmboot/modules $DEMO_DIR/initramfs/modules 0644 0 0" >>initramfs.list
if [ -n "$crypt" ]; then
	# dmboot runs crypttab before veritytab: a verity line may name what
	# a crypt line opened.
	echo "croot /dev/vda /etc/keys/croot.key plain,cipher=aes-xts-plain64,size=512,readonly" >initramfs/crypttab
	echo "root /dev/mapper/croot UUID=$vuuid $roothash" >initramfs/veritytab
	cat >>initramfs.list <<EOL
file /etc/crypttab $DEMO_DIR/initramfs/crypttab 0644 0 0
file /etc/veritytab $DEMO_DIR/initramfs/veritytab 0644 0 0
dir /etc/keys 0700 0 0
file /etc/keys/croot.key $DEMO_DIR/croot.key 0600 0 0
EOL
	say "/etc/crypttab:  $(cat initramfs/crypttab)"
	say "/etc/veritytab: $(cat initramfs/veritytab)"
fi
DMBOOT=$initbin "$TOP/initramfs/mkcpio.sh" initramfs.list | gzip -9 -n >initramfs.cpio.gz ||
	die "mkcpio failed"
DMBOOT=$initbin "$TOP/initramfs/mkcpio.sh" "$TOP/initramfs/dmboot.list" | gzip -9 -n >bare.cpio.gz ||
	die "mkcpio failed"
say "initramfs.cpio.gz: $(stat -c %s initramfs.cpio.gz) bytes; without modules $(stat -c %s bare.cpio.gz) bytes (dmboot $(stat -c %s "$initbin")); prepared in $(elapsed)"
else
say "initramfs: busybox, dmboot, dm/virtio modules, /init"
mkdir -p initramfs/{bin,dev,proc,sys,etc,newroot,lib/modules}
install -m 755 "$busybox" initramfs/bin/busybox
for a in $("$busybox" --list); do
	case $a in busybox | init | linuxrc) ;; *) ln -s busybox "initramfs/bin/$a" ;; esac
done
install -m 755 "$dmboot" initramfs/bin/dmboot
module_order dm-mod dm-verity virtio_blk virtio_pci >modules.paths || die "modprobe failed"
while read -r ko; do
	install -m 644 "$ko" "initramfs/lib/modules/${ko##*/}"
	echo "${ko##*/}" >>initramfs/etc/modules.order
done <modules.paths
# The root hash travels on the kernel command line; the rest of the table
# is the image's geometry, known when the initramfs is built.
cat >initramfs/etc/verity.conf <<EOF
DATA_BLOCKS=$blocks
SALT=$salt
EOF
cat >initramfs/init <<'EOF'
#!/bin/sh
# /init of the dmboot demo: open the verity root with dmboot, switch to it.
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
say() { echo "initramfs: $*"; }
fail() {
	echo "initramfs: FAILED: $*"
	dmesg | grep -i -e verity -e device-mapper -e 'I/O error' -e EXT4 | sed 's/^/initramfs: dmesg: /'
	poweroff -f
}

say "loading $(tr '\n' ' ' </etc/modules.order)"
while read -r ko; do
	insmod "/lib/modules/$ko" || fail "insmod $ko"
done </etc/modules.order

i=0
until [ -e /sys/class/block/vda/dev ] && [ -e /sys/class/block/vdb/dev ] && [ -c /dev/mapper/control ]; do
	[ $i -lt 100 ] || fail "no /dev/vda, /dev/vdb or /dev/mapper/control after 10 s"
	sleep 0.1
	i=$((i + 1))
done

. /etc/verity.conf
roothash=
for w in $(cat /proc/cmdline); do
	case $w in dmboot.roothash=*) roothash=${w#*=} ;; esac
done
[ -n "$roothash" ] || fail "no dmboot.roothash= on the kernel command line"
data=$(cat /sys/class/block/vda/dev) hash=$(cat /sys/class/block/vdb/dev)
table="0 $((DATA_BLOCKS * 8)) verity 1 $data $hash 4096 4096 $DATA_BLOCKS 1 sha256 $roothash $SALT"
say "dmboot create -r root --table \"$table\""
dmboot create -r root --table "$table" || fail "dmboot create"
[ -b /dev/mapper/root ] || fail "dmboot left no /dev/mapper/root block node"
say "dmboot status root: $(dmboot status root)"
say "mount -t ext4 -o ro /dev/mapper/root /newroot"
mount -t ext4 -o ro /dev/mapper/root /newroot || fail "mount /dev/mapper/root"
[ -x /newroot/sbin/init ] || fail "cannot read /sbin/init on the verified root"
for m in dev proc sys; do
	mount --move "/$m" "/newroot/$m" || fail "mount --move /$m"
done
say "switch_root /newroot /sbin/init"
exec switch_root /newroot /sbin/init
EOF
chmod 755 initramfs/init
(cd initramfs && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6 -n) \
	>initramfs.cpio.gz || die "cpio failed"
say "initramfs.cpio.gz: $(du -k initramfs.cpio.gz | cut -f1) KiB; prepared in $(elapsed)"
fi

# ---- boot ------------------------------------------------------------------
cmdline="console=ttyS0 quiet panic=-1"
if [ -n "$crypt" ]; then
	# The tab files say the rest, root hash included.
	cmdline="$cmdline root=/dev/mapper/root rootfstype=ext4 ro"
elif [ -n "$luks" ]; then
	# As systemd-cryptsetup-generator reads it; /dev/mapper/root by name.
	cmdline="$cmdline rd.luks.name=$luuid=root root=/dev/mapper/root rootfstype=ext4 ro"
elif [ "$mode" = busybox ]; then
	# Read by the busybox /init above, not by dmboot.
	cmdline="$cmdline dmboot.roothash=$roothash"
fi
# Shell-less: only what the kernel and dmboot's /init read.
if [ "$mode" = shell-less ] && [ -z "$crypt$luks" ]; then
	cmdline="$cmdline dm-mod.create=\"root,,,ro,0 $((blocks * 8)) verity 1 /dev/vda /dev/vdb 4096 4096 $blocks 1 sha256 $roothash $salt\""
	cmdline="$cmdline dm-mod.waitfor=/dev/vda,/dev/vdb root=/dev/dm-0 rootfstype=ext4 ro"
fi
say "booting $KVER under QEMU (TCG), timeout ${TIMEOUT}s"
say "  -append \"$cmdline\""
tboot=$(date +%s%N)
set +e
qemu=(timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot -nic none
	-kernel "$KERNEL" -initrd initramfs.cpio.gz -append "$cmdline"
	-drive "file=$disk,format=raw,if=virtio,readonly=on"
	-drive "file=hash.img,format=raw,if=virtio,readonly=on")
# --luks: the console is QEMU's stdin too. A watcher answers each
# "Enter passphrase for" the console shows with the passphrase (--tamper:
# a wrong one), as a user at the serial line would.
: >console.log
qin=/dev/null
if [ -n "$luks" ]; then
	rm -f console.in
	mkfifo console.in
	qin=console.in
	typed=$pass
	[ -z "$tamper" ] || typed=wrong-$pass
	(
		exec 3>console.in
		n=0
		while [ $n -lt 3 ] && kill -0 $$ 2>/dev/null; do
			seen=$(grep -c "Enter passphrase for" console.log || true)
			if [ "$seen" -gt $n ]; then
				n=$seen
				sleep 0.5
				printf '%s\n' "$typed" >&3
			fi
			sleep 0.2
		done
		# Keep the line open until QEMU is gone.
		while kill -0 $$ 2>/dev/null && [ -e console.in ]; do sleep 1; done
	) &
	typer=$!
fi
if [ -n "$quiet" ]; then
	"${qemu[@]}" <"$qin" >console.log 2>qemu.err
	qrc=$?
else
	# SeaBIOS clears the screen with terminal escapes: keep them out of
	# the user's terminal, not out of the log.
	"${qemu[@]}" <"$qin" 2>qemu.err | tee console.log |
		sed -u 's/\x1b\[2J/\n/g; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c78=>]//g; s/\r$//'
	qrc=${PIPESTATUS[0]}
fi
set -e
if [ -n "$luks" ]; then
	rm -f console.in
	kill "$typer" 2>/dev/null || true
	wait "$typer" 2>/dev/null || true
fi
boot_ms=$((($(date +%s%N) - tboot) / 1000000))
tr -d '\r' <console.log >console.txt

# ---- verdict ---------------------------------------------------------------
echo >&2
[ "$qrc" -ne 124 ] && [ "$qrc" -ne 137 ] || die "timed out after ${TIMEOUT}s (console: $DEMO_DIR/console.log)"
[ "$qrc" -eq 0 ] || { cat qemu.err >&2; die "qemu exited with status $qrc"; }

booted=1 missing=()
grep -qF "proof: motd: hello from the verified root, token $token" console.txt ||
	{ booted=; missing+=("the motd token $token"); }
grep -qE "^proof: dmboot table root: +0 $((blocks * 8)) verity 1 [0-9]+:[0-9]+ [0-9]+:[0-9]+ 4096 4096 $blocks 1 sha256 $roothash $salt\$" console.txt ||
	{ booted=; missing+=("the verity table with root hash $roothash"); }
grep -qE "^proof: dmboot status root: +0 $((blocks * 8)) verity V\$" console.txt ||
	{ booted=; missing+=("status 'verity V'"); }
grep -qE "^proof: / is /dev/(mapper/root|dm-0) ext4 ro" console.txt ||
	{ booted=; missing+=("/ mounted read-only from the dm device"); }
if [ -n "$luks" ]; then
	# LUKS2: the volume key in the kernel keyring, named as cryptsetup
	# names it; the data segment's offset in sectors.
	missing=() booted=1
	grep -qF "proof: motd: hello from the verified root, token $token" console.txt ||
		{ booted=; missing+=("the motd token $token"); }
	grep -qE "^proof: / is /dev/(mapper/root|dm-0) ext4 ro" console.txt ||
		{ booted=; missing+=("/ mounted read-only from /dev/mapper/root"); }
	grep -qE "^proof: dmboot table root: +0 $((blocks * 8)) crypt aes-xts-plain64 :64:logon:cryptsetup:$luuid-d0 0 [0-9]+:[0-9]+ $((loffset / 512))\$" console.txt ||
		{ booted=; missing+=("the LUKS2 table with :64:logon:cryptsetup:$luuid-d0"); }
	! grep -qF "$pass" console.txt ||
		{ booted=; missing+=("(not) the passphrase echoed on the console"); }
fi
if [ -n "$crypt" ]; then
	# Stacked: root's data device is croot, whose table names the key in
	# the kernel keyring; the key's bytes are nowhere, even --showkeys.
	croot=$(sed -n 's/^proof: dmboot ls: \(.*;\)\{0,1\}croot (\([0-9]*:[0-9]*\)).*/\2/p' console.txt)
	grep -qE "^proof: dmboot table root: +0 $((blocks * 8)) verity 1 ${croot:-none} " console.txt ||
		{ booted=; missing+=("verity on croot (${croot:-not in dmboot ls})"); }
	for t in "table croot" "table --showkeys croot"; do
		grep -qE "^proof: dmboot $t: +0 $((blocks * 8)) crypt aes-xts-plain64 :64:logon:dmboot:[^ ]+ 0 [0-9]+:[0-9]+ 0\$" console.txt ||
			{ booted=; missing+=("'dmboot $t' with a keyring reference"); }
	done
	! grep -qi "$(od -An -tx1 -v croot.key | tr -d ' \n')" console.txt ||
		{ booted=; missing+=("(not) the key's bytes on the console"); }
fi

if [ -n "$luks" ] && [ -n "$tamper" ]; then
	[ -z "$booted" ] && ! grep -q '^==== running /sbin/init' console.txt ||
		die "a wrong passphrase booted the LUKS root"
	[ "$(grep -c "Enter passphrase for" console.txt)" -eq 3 ] ||
		die "not three passphrase prompts (console: $DEMO_DIR/console.log)"
	grep -q "No key available with this passphrase" console.txt ||
		die "no \"No key available with this passphrase.\" (console: $DEMO_DIR/console.log)"
	say "PASS: three wrong passphrases, and the boot stopped:"
	grep -E "passphrase|dmboot: " console.txt | tail -n 5 | sed 's/^/  /' >&2
	say "  total $(elapsed)"
	exit 0
fi
if [ -z "$tamper" ]; then
	[ -n "$booted" ] || die "the verified root did not prove itself; missing: $(printf '%s; ' "${missing[@]}")(console: $DEMO_DIR/console.log)"
	if [ -n "$luks" ]; then
		say "PASS: booted the LUKS2 root unlocked by dmboot with the passphrase typed on the console (UUID $luuid)"
	elif [ -n "$crypt" ]; then
		say "PASS: booted the dm-verity root on dm-crypt opened by dmboot's crypttab and veritytab (root hash $roothash)"
	else
		say "PASS: booted the dm-verity root opened by dmboot (root hash $roothash)"
	fi
	say "  prepared in $(((tboot - t0) / 1000000)) ms, VM $boot_ms ms, total $(elapsed)"
	exit 0
fi

[ -z "$booted" ] && ! grep -q '^==== running /sbin/init' console.txt ||
	die "the tampered image booted: verity did not catch the changed byte"
grep -qE 'verity.*(corrupted|metadata block|data block)' console.txt ||
	die "the boot stopped but dm-verity reported no corruption (console: $DEMO_DIR/console.log)"
say "PASS: the tampered root was refused:"
grep -E 'verity.*(corrupted|block)|FAILED' console.txt | head -n 5 | sed 's/^/  /' >&2
say "  total $(elapsed)"
