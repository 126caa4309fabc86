#!/bin/bash
# SPDX-License-Identifier: MIT
# dmboot as /init on a real kernel: boots a shell-less initramfs (dmboot
# boot_defconfig + modules, built by initramfs/mkcpio.sh) under QEMU with
# one kernel command line per case and checks the console.
#
#   tests/init-boot.sh [-v]      -v: print each console
#
# Cases: a verity root through dm-mod.create= (with a second, linear
# device) reaches the root's init with the kernel's leftover arguments,
# /dev/mapper nodes, the udev database entries and /run; malformed
# dm-mod.create= lines and a bad dmboot.onfail= stop the boot with one
# clear line; a device that never appears times out naming it; a wrong
# root hash mounts nothing. systemd's roothash= with named devices, and
# alone on a GPT disk whose PARTUUIDs come from the hash, makes
# /dev/mapper/root (a wrong one makes nothing), and waits for a hash disk
# hot-plugged through the QEMU monitor after /init started; /etc/veritytab (hash
# device by its superblock UUID) and /etc/crypttab (plain, key file in
# the initramfs) in a second initramfs, and a third whose crypttab stacks
# two aes-xts-plain64 volumes (the second line on /dev/mapper/ of the
# first) under the veritytab's root; and one whose crypttab names a key an
# earlier stage put into the kernel keyring ("%logon:DESC"), and one whose
# veritytab names image files in the initramfs (LOOP_FILES). systemd's switches: rd.systemd.verity=0
# ignores roothash= (root= mounts the unverified disk), veritytab=no and
# rd.luks.crypttab=no (the last one given wins) leave their file's
# devices unmade. Devices named by the ext4 root's UUID= and LABEL= (an
# /init with RESOLVE_UUID_EXT4, which boot_defconfig lacks: there UUID=
# of an ext4 times out, LABEL= is refused at once as not built in):
# systemd.verity_root_data=, systemd.verity_root_hash= (the verity
# superblock's UUID), dm-mod.waitfor=, a veritytab data field, and root=
# once the verity device, which shows the same UUID and label, exists
# beside its data disk, before or after it in /sys/class/block: root= is
# the verity device, never the disk under it. Squashfs is not among
# them: its superblock holds neither a UUID nor a label, so it can only be
# named by device, PARTUUID= or PARTLABEL=. A second disk cannot fool the
# verified boot: an attacker's copy of the root file system (same UUID=
# and LABEL=, its /sbin/init saying ATTACKER-INIT) or of its GPT (same
# PARTUUID= and PARTLABEL=), attached before or after the real disks, makes
# root=, systemd.verity_root_data= and a crypttab line ambiguous: refused
# with one line naming every match, nothing mounted. Verity configured but
# not made (a nofail veritytab line that fails, dm-mod.create= with a
# wrong root hash) with root=UUID=, which then only the raw disk answers
# to: refused, never mounted. Each failure ends in the
# onfail action asked for (poweroff, reboot or the default panic), never
# in the root's init.
# LUKS2 (a /init built from luks_defconfig; the volume made by cryptsetup
# luksFormat, argon2id): a crypttab luks line with a key file in the
# initramfs; rd.luks.uuid= with rd.luks.key= and no crypttab; the
# passphrase typed on the serial console for rd.luks.name= (echo off:
# never on the console); wrong passphrases up to tries= on a nofail line
# (no device left, the root's init sees none) and on a line that is not
# (the onfail action); a detached header= (type found from the header,
# no "luks" option); crypttab lines with hostile options, each refused in
# one line (headless without a key file never prompts); a line's
# x-systemd.device-timeout= bounds its wait, not dmboot.timeout=;
# rd.luks.key=KEYFILE:KEYDEV and rd.luks.data= refused.
#   ONLY='luks.*' tests/init-boot.sh   only the boots whose names match
# Work files: build/init-boot/ (INIT_BOOT_DIR). Runs as root on Debian 12.
set -eu -o pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${INIT_BOOT_DIR:-$TOP/build/init-boot}
verbose=
[ "${1:-}" = -v ] && verbose=1
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
die() { echo "init-boot: $*" >&2; exit 1; }
for c in qemu-system-x86_64 busybox veritysetup cryptsetup mkfs.ext4 modprobe gzip kconfig-conf sgdisk openssl; do
	command -v $c >/dev/null || die "missing $c (tests/deps.sh installs it)"
done

eval "$("$TOP/tests/vm/kernel.sh")"
. "$TOP/tests/vm/verity-root.sh"
rm -rf "$W"
mkdir -p "$W/root"/{bin,sbin,etc,dev,proc,sys,run,newroot}
cd "$W"

make -s -C "$TOP" CONFIG="$W/.config" boot_defconfig
make -s -C "$TOP" O="$W/build" CONFIG="$W/.config" "$W/build/dmboot" >/dev/null
dmboot=$W/build/dmboot
# A second /init for the UUID=/LABEL=/PARTLABEL= boots: boot_defconfig
# finds ext4 file systems by neither UUID= nor LABEL=
# (RESOLVE_UUID_EXT4 is not in it), nor partitions by PARTLABEL=.
sed -e 's/^# CONFIG_RESOLVE_UUID_EXT4 is not set$/CONFIG_RESOLVE_UUID_EXT4=y/' \
	-e 's/^# CONFIG_RESOLVE_PARTLABEL is not set$/CONFIG_RESOLVE_PARTLABEL=y/' .config >ext4.config
grep -q -x CONFIG_RESOLVE_UUID_EXT4=y ext4.config || die "cannot add RESOLVE_UUID_EXT4 to boot_defconfig"
grep -q -x CONFIG_RESOLVE_PARTLABEL=y ext4.config || die "cannot add RESOLVE_PARTLABEL to boot_defconfig"
make -s -C "$TOP" O="$W/build-ext4" CONFIG="$W/ext4.config" "$W/build-ext4/dmboot" >/dev/null

# The root: busybox and an init that reports what it was given.
busybox=$(command -v busybox)
install -m 755 "$busybox" root/bin/busybox
for a in sh cat ls awk tr sed head poweroff; do ln -s busybox "root/bin/$a"; done
cat >root/sbin/init <<'EOS'
#!/bin/sh
export PATH=/bin
echo "ROOT-INIT: pid $$ args: $*"
for f in /run/udev/data/b*; do echo "ROOT-INIT: udev $f: $(cat "$f") mode $(ls -l "$f" | cut -c1-10)"; done
for n in $(ls /dev/mapper); do echo "ROOT-INIT: mapper $n $(ls -l /dev/mapper/$n | cut -c1)"; done
echo "ROOT-INIT: mounts: $(awk '{ print $2 }' /proc/mounts | tr '\n' ' ')"
echo "ROOT-INIT: / holds: $(ls / | tr '\n' ' ')"
r=$(awk '$2 == "/" { print $1 }' /proc/mounts) d=/sys/class/block/${r#/dev/}/dm/name
echo "ROOT-INIT: / is $r$([ -r "$d" ] && echo " (mapper $(cat "$d"))")"
for d in /sys/class/block/dm-*; do echo "ROOT-INIT: $(cat $d/dm/name) on: $(ls $d/slaves | tr '\n' ' ')"; done
[ -b /dev/mapper/secret ] && echo "ROOT-INIT: secret says $(head -c 15 /dev/mapper/secret)"
# Keys this process can see (a volume key or passphrase left behind).
awk '$8 == "logon" || $8 == "user" { print "ROOT-INIT: key " $8 " " $9 }' /proc/keys 2>/dev/null
echo "ROOT-INIT: done"
poweroff -f
EOS
chmod 755 root/sbin/init
# The file system's own UUID and label, for the UUID=/LABEL= boots.
fsuuid=$(cat /proc/sys/kernel/random/uuid) fslabel=dmboot-root
verity_root root 8M data.img hash.img -U "$fsuuid" -L "$fslabel" || die "cannot make the verity root"
truncate -s 1M spare.img
# Sector 0 of a plain aes-cbc-plain crypt volume on spare.img (IV 0).
head -c 32 /dev/urandom >secret.key
{ printf 'DMBOOT-CRYPT-OK'; head -c 497 /dev/zero; } |
	openssl enc -aes-256-cbc -nopad -K "$(od -An -tx1 -v secret.key | tr -d ' \n')" \
		-iv 00000000000000000000000000000000 |
	dd of=spare.img conv=notrunc status=none
# systemd's rule: the data partition's PARTUUID is the root hash's first
# 128 bits, the hash partition's its last 128 bits.
uuid_of() { echo "$1" | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12})$/\1-\2-\3-\4-\5/'; }
data_uuid=$(uuid_of "${roothash:0:32}") hash_uuid=$(uuid_of "${roothash: -32}")
truncate -s 12M gpt.img
sgdisk -o -n 1:2048:+8M -c 1:root -u "1:$data_uuid" -n 2:0:+1M -c 2:root-verity \
	-u "2:$hash_uuid" gpt.img >/dev/null
dd if=data.img of=gpt.img bs=512 seek=2048 conv=notrunc status=none
dd if=hash.img of=gpt.img bs=512 seek=$((2048 + 16384)) conv=notrunc status=none
[ "$(sfdisk --part-uuid gpt.img 2 | tr A-F a-f)" = "$hash_uuid" ] || die "sgdisk did not set the PARTUUID"
# The attacker's media: a copy of the root file system (its UUID and
# LABEL can be read off the unencrypted image) whose /sbin/init says
# ATTACKER-INIT, and a GPT disk with gpt.img's PARTUUIDs and PARTLABELs
# holding it.
cp -a root evil
printf '#!/bin/sh\necho ATTACKER-INIT\n/bin/poweroff -f\n' >evil/sbin/init
truncate -s 8M evil.img
mkfs.ext4 -q -F -b 4096 -O ^has_journal -E root_owner=0:0 -U "$fsuuid" -L "$fslabel" -d evil evil.img
cp gpt.img evilgpt.img
dd if=evil.img of=evilgpt.img bs=512 seek=2048 conv=notrunc status=none
# The data image under two plain aes-xts-plain64 layers, each its own
# key: c1 (on the disk, c1.key) opens the outer one, c2 (on
# /dev/mapper/c1, c2.key) the inner one, and the verity root is on c2.
head -c 64 /dev/urandom >c1.key
head -c 64 /dev/urandom >c2.key
xts_plain64 c2.key data.img c2.img || die "cannot encrypt data.img (openssl, perl)"
xts_plain64 c1.key c2.img stack.img || die "cannot encrypt c2.img (openssl, perl)"
rm -f c2.img

# The initramfs: the stock list, the modules, their order.
cp "$TOP/initramfs/dmboot.list" initramfs.list
: >modules
# No modprobe in the initramfs to load xts when dm-crypt asks for it.
module_order dm-mod dm-verity dm-crypt xts algif_hash virtio_blk virtio_pci |
	while read -r ko; do
	echo "file /lib/modules/${ko##*/} $ko 0644 0 0" >>initramfs.list
	echo "${ko##*/}" | sed 's/\.ko$//' >>modules # names, ".ko" added by dmboot
done
echo "file /etc/dmboot/modules $W/modules 0644 0 0" >>initramfs.list
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" initramfs.list | gzip -n >initramfs.cpio.gz
# The same with tab files and the crypt key.
echo "vroot /dev/vda UUID=$vuuid $roothash" >veritytab
echo "secret /dev/vdc /etc/keys/secret.key plain,cipher=aes-cbc-plain,size=256" >crypttab
cp initramfs.list tabs.list
cat >>tabs.list <<EOL
file /etc/veritytab $W/veritytab 0644 0 0
file /etc/crypttab $W/crypttab 0644 0 0
dir /etc/keys 0700 0 0
file /etc/keys/secret.key $W/secret.key 0600 0 0
EOL
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" tabs.list | gzip -n >tabs.cpio.gz
# The same key put into the kernel keyring by an earlier stage
# (tests/vm/keystage.c as /init, which then execs dmboot as PID 1):
# crypttab names it "%logon:fw:secret", and no key file is left by then.
musl-gcc -static -Os -o keystage "$TOP/tests/vm/keystage.c"
echo "secret /dev/vdc %logon:fw:secret plain,cipher=aes-cbc-plain,size=256" >crypttab-keyring
sed -e "s,^file /init .*,file /init $W/keystage 0755 0 0," \
	-e "s,^file /etc/crypttab .*,file /etc/crypttab $W/crypttab-keyring 0644 0 0," \
	-e '/^file \/etc\/keys\//d' tabs.list >keyring.list
cat >>keyring.list <<EOL
dir /bin 0755 0 0
file /bin/dmboot \${DMBOOT} 0755 0 0
file /etc/keystage.key $W/secret.key 0600 0 0
EOL
grep -q "^file /init $W/keystage " keyring.list || die "keyring.list: no keystage /init"
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" keyring.list | gzip -n >keyring.cpio.gz
# Image files inside the initramfs, through loop devices (an /init with
# LOOP_FILES, which boot_defconfig lacks; the loop module loaded first):
# veritytab names /images/data.img and /images/hash.img, nothing to wait for.
sed 's/^# CONFIG_LOOP_FILES is not set$/CONFIG_LOOP_FILES=y/' .config >loop.config
grep -q -x CONFIG_LOOP_FILES=y loop.config || die "cannot add LOOP_FILES to boot_defconfig"
make -s -C "$TOP" O="$W/build-loop" CONFIG="$W/loop.config" "$W/build-loop/dmboot" >/dev/null
cp modules modules-loop
sed "s,^file /etc/dmboot/modules .*,file /etc/dmboot/modules $W/modules-loop 0644 0 0," \
	initramfs.list >loop.list
module_order loop | while read -r ko; do
	echo "file /lib/modules/${ko##*/} $ko 0644 0 0" >>loop.list
	echo "${ko##*/}" | sed 's/\.ko$//' >>modules-loop
done
echo "vroot /images/data.img /images/hash.img $roothash" >veritytab-images
cat >>loop.list <<EOL
dir /images 0755 0 0
file /images/data.img $W/data.img 0644 0 0
file /images/hash.img $W/hash.img 0644 0 0
file /etc/veritytab $W/veritytab-images 0644 0 0
EOL
DMBOOT=$W/build-loop/dmboot "$TOP/initramfs/mkcpio.sh" loop.list | gzip -n >loop.cpio.gz
# The ext4 one, bare and with a veritytab naming the data by its label.
DMBOOT=$W/build-ext4/dmboot "$TOP/initramfs/mkcpio.sh" initramfs.list | gzip -n >ext4.cpio.gz
echo "vroot LABEL=$fslabel UUID=$vuuid $roothash" >veritytab-ext4
sed "s,^file /etc/veritytab .*,file /etc/veritytab $W/veritytab-ext4 0644 0 0," tabs.list >ext4tabs.list
DMBOOT=$W/build-ext4/dmboot "$TOP/initramfs/mkcpio.sh" ext4tabs.list | gzip -n >ext4tabs.cpio.gz
# The crypt stack: crypttab's second line names the first one's device,
# veritytab's data is the second one's.
cat >crypttab-stack <<EOL
c1 /dev/vda /etc/keys/c1.key plain,cipher=aes-xts-plain64,size=512,readonly
c2 /dev/mapper/c1 /etc/keys/c2.key plain,cipher=aes-xts-plain64,size=512,readonly
EOL
echo "root /dev/mapper/c2 UUID=$vuuid $roothash" >veritytab-stack
cp initramfs.list stack.list
cat >>stack.list <<EOL
file /etc/veritytab $W/veritytab-stack 0644 0 0
file /etc/crypttab $W/crypttab-stack 0644 0 0
dir /etc/keys 0700 0 0
file /etc/keys/c1.key $W/c1.key 0600 0 0
file /etc/keys/c2.key $W/c2.key 0600 0 0
EOL
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" stack.list | gzip -n >stack.cpio.gz
# A crypttab naming its device by PARTUUID=, for the attacker's GPT copy.
echo "secret PARTUUID=$data_uuid /etc/keys/secret.key plain,cipher=aes-cbc-plain,size=256" >crypttab-partuuid
sed -e "s,^file /etc/crypttab .*,file /etc/crypttab $W/crypttab-partuuid 0644 0 0," \
	-e '/^file \/etc\/veritytab /d' tabs.list >cryptpu.list
DMBOOT=$dmboot "$TOP/initramfs/mkcpio.sh" cryptpu.list | gzip -n >cryptpu.cpio.gz
# A veritytab whose only line is nofail and cannot open (a wrong root
# hash): verity is configured all the same.
wrong=$(printf '%s' "$roothash" | tr '0-9a-f' '1-9a-f0')
echo "vroot /dev/vda UUID=$vuuid $wrong nofail" >veritytab-nofail
sed "s,^file /etc/veritytab .*,file /etc/veritytab $W/veritytab-nofail 0644 0 0," tabs.list >nofail.list
DMBOOT=$W/build-ext4/dmboot "$TOP/initramfs/mkcpio.sh" nofail.list | gzip -n >nofail.cpio.gz

# LUKS2: the ext4 root (data.img) in a LUKS2 volume (luks.img), and in
# one with a detached header (luksdh.img, luksdh.hdr); /init from
# luks_defconfig, with AF_ALG's skcipher for the keyslots. Initramfses:
# the passphrase as a key file with a crypttab luks line (lukskey), the
# key file alone (lukscmd: rd.luks.* says the rest), nothing (the prompt:
# luksprompt), a crypttab whose line prompts and is nofail (lukswrong),
# the detached header and a line without "luks" (luksheader), hostile
# lines (lukshostile).
make -s -C "$TOP" CONFIG="$W/luks.config" luks_defconfig
make -s -C "$TOP" O="$W/build-luks" CONFIG="$W/luks.config" "$W/build-luks/dmboot" >/dev/null
lpass=dmboot-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf %s "$lpass" >luks.pass
LUKS_HEADER=luksdh.hdr luks_root data.img luksdh.img luks.pass 2>/dev/null ||
	die "cannot make the LUKS2 volume with a detached header"
luks_root data.img luks.img luks.pass || die "cannot make the LUKS2 volume (cryptsetup luksFormat)"
cp modules modules-luks
sed "s,^file /etc/dmboot/modules .*,file /etc/dmboot/modules $W/modules-luks 0644 0 0," \
	initramfs.list >luks-base.list
module_order algif_skcipher | while read -r ko; do
	grep -q "^file /lib/modules/${ko##*/} " luks-base.list && continue
	echo "file /lib/modules/${ko##*/} $ko 0644 0 0" >>luks-base.list
	echo "${ko##*/}" | sed 's/\.ko$//' >>modules-luks
done
luks_cpio() { # NAME CRYPTTAB-TEXT|"" [EXTRA LIST LINES]: NAME.cpio.gz
	local name=$1
	cp luks-base.list "$name.list"
	if [ -n "$2" ]; then
		printf '%s\n' "$2" >"crypttab-$name"
		echo "file /etc/crypttab $W/crypttab-$name 0644 0 0" >>"$name.list"
	fi
	[ -z "${3:-}" ] || printf '%s\n' "$3" >>"$name.list"
	DMBOOT=$W/build-luks/dmboot "$TOP/initramfs/mkcpio.sh" "$name.list" | gzip -n >"$name.cpio.gz"
}
lkey="dir /etc/keys 0700 0 0
file /etc/keys/luks.pass $W/luks.pass 0600 0 0"
luks_cpio lukskey "croot UUID=$luuid /etc/keys/luks.pass luks,discard" "$lkey"
luks_cpio lukscmd "" "$lkey"
luks_cpio luksprompt ""
luks_cpio lukswrong "croot UUID=$luuid none luks,tries=2,nofail"
luks_cpio lukswrongstop "croot UUID=$luuid - luks"
luks_cpio luksheader "croot /dev/vda /etc/keys/luks.pass header=/etc/luksdh.hdr" "$lkey
file /etc/luksdh.hdr $W/luksdh.hdr 0600 0 0"
luks_cpio lukshostile "h1 UUID=$luuid /etc/keys/luks.pass luks,plain
h2 UUID=$luuid /etc/keys/luks.pass luks,key-slot=99
h3 UUID=$luuid /etc/keys/luks.pass luks,header=../etc/keys/luks.pass
h4 UUID=$luuid /etc/keys/luks.pass luks,tpm2-device=auto
h5 UUID=$luuid none plain
h6 UUID=$luuid /etc/keys/luks.pass luks,tries=many
h7 UUID=$luuid /etc/keys/luks.pass \"luks,timeout=2min 5x\"
h8 UUID=$luuid none luks,headless
h9 UUID=$luuid /etc/keys/luks.pass luks,x-systemd.device-timeout=soon" "$lkey"
# x-systemd.device-timeout= waits 1.5 s for a disk that never comes, not
# dmboot.timeout='s 600 (lukswait).
luks_cpio lukswait "croot /dev/vdq /etc/keys/luks.pass luks,x-systemd.device-timeout=1500ms" "$lkey"

verity_on() { echo "0 $((blocks * 8)) verity 1 $1 $2 4096 4096 $blocks 1 sha256"; }
verity=$(verity_on /dev/vda /dev/vdb)
passed=0 failed=0 n=0
# boot NAME "ARGS" [TIMEOUT]: one VM; the console goes to NAME.log (\r and SeaBIOS's
# terminal escapes removed). INITRD and DISKS (file[:rw] ...) may be set for one call.
# ONLY: a regular expression; the boots whose names it does not match
# are skipped, and so are their checks.
skip() { [ -n "${ONLY:-}" ] && ! [[ $1 =~ ^($ONLY)$ ]]; }
# TYPE=WORD boot ...: WORD and a newline typed on the serial console at
# each "Enter passphrase for" the console shows (type_at_prompts,
# tests/vm/verity-root.sh).
boot() {
	skip "$1" && return 0
	n=$((n + 1))
	local log=$W/$1.log start d drives=()
	for d in ${DISKS:-data.img hash.img spare.img:rw}; do
		case $d in
		*:rw) drives+=(-drive "file=${d%:rw},format=raw,if=virtio") ;;
		*) drives+=(-drive "file=$d,format=raw,if=virtio,readonly=on") ;;
		esac
	done
	local mon=() raw=/dev/null late='' in=/dev/null typer=''
	if [ -n "${TYPE:-}" ]; then
		rm -f "$log.raw" "$log.in"
		: >"$log.raw"
		mkfifo "$log.in"
		raw=$log.raw in=$log.in
		type_at_prompts "$log.raw" "$log.in" "$TYPE" &
		typer=$!
	fi
	if [ -n "${LATE:-}" ]; then
		# A monitor socket, and the raw console as it comes (tee does
		# not buffer) so that the attacher can see init start.
		rm -f "$log.mon" "$log.raw"
		mon=(-monitor "unix:$log.mon,server=on,wait=off")
		raw=$log.raw
		attach_late "$log" "$LATE" &
		late=$!
	fi
	start=$(date +%s%N)
	timeout -k 5 "${3:-120}" qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
		-nic none -kernel "$KERNEL" -initrd "${INITRD:-initramfs.cpio.gz}" "${mon[@]}" \
		-append "console=ttyS0 quiet panic=-1 $2" "${drives[@]}" <"$in" 2>"$log.qemu" |
		tee "$raw" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]/\n/g; s/\x1b[c78=>]/\n/g' >"$log" ||
		echo "qemu: exit status $?" >>"$log"
	[ -z "$late" ] || wait "$late" || echo "attach: exit status $?" >>"$log"
	if [ -n "$typer" ]; then
		rm -f "$log.in"
		wait "$typer" || true
	fi
	echo "  boot $1: $((($(date +%s%N) - start) / 1000000)) ms"
	[ -z "$verbose" ] || sed "s/^/  | $1: /" "$log"
}
# attach_late LOG IMAGE: once the kernel has started /init (its "Run /init"
# line, printed with loglevel=7, is in LOG.raw), waits 2 s more and
# hot-plugs IMAGE as a read-only virtio disk through the QEMU monitor
# (perl's IO::Socket::UNIX: perl-base, no socat needed). Its log: LOG.attach.
attach_late() {
	local i=0
	until grep -a -q 'Run /init as init process' "$1.raw" 2>/dev/null; do
		[ $i -lt 1200 ] || { echo "attach: no 'Run /init' in 120 s" >"$1.attach"; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	sleep 2
	perl -MIO::Socket::UNIX -e '
		my ($sock, $img) = @ARGV;
		my $m = IO::Socket::UNIX->new(Peer => $sock) or die "attach: $sock: $!\n";
		$m->autoflush(1);
		my $buf = "";
		my $read = sub { # until the (qemu) prompt; the answer, without the echo
			while ($buf !~ /\(qemu\) $/) {
				my $n = sysread($m, my $c, 4096);
				die "attach: monitor closed\n" unless $n;
				$buf .= $c;
			}
			(my $r = $buf) =~ s/^.*\e\[K//s;
			$r =~ s/\r//g; $r =~ s/\(qemu\) $//;
			$buf = "";
			return $r;
		};
		$read->();
		for my $cmd ("drive_add 0 if=none,id=late,file=$img,format=raw,readonly=on",
			"device_add virtio-blk-pci,drive=late") {
			print $m "$cmd\n";
			my $r = $read->();
			print "attach: $cmd$r";
			die "attach: refused\n" if $r =~ /error|could not|fail/i;
		}
		print "attach: done\n";
	' "$1.mon" "$2" >"$1.attach" 2>&1
}
check() { # NAME DESCRIPTION grep-args...
	skip "$1" && return 0
	local name=$1 what=$2
	shift 2
	if grep -a -q "$@" "$W/$name.log"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $name: $what (console: $W/$name.log)"
	fi
}
check_not() {
	skip "$1" && return 0
	local name=$1 what=$2
	shift 2
	if grep -a -q "$@" "$W/$name.log"; then
		failed=$((failed + 1))
		echo "FAIL: $name: $what (console: $W/$name.log)"
	else
		passed=$((passed + 1))
	fi
}
check_that() { # NAME DESCRIPTION command...
	skip "$1" && return 0
	local name=$1 what=$2
	shift 2
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $name: $what (console: $W/$name.log)"
	fi
}
in_order() { # NAME RE...: each first match comes after the previous one
	local name=$1 prev=0 l re
	shift
	for re in "$@"; do
		l=$(grep -a -n -m1 -E "$re" "$W/$name.log" | cut -d: -f1)
		[ -n "$l" ] && [ "$l" -gt "$prev" ] || return 1
		prev=$l
	done
}
stopped() { # NAME ERRORLINE: one clear line, then no root init
	# Not -x: the line may follow SeaBIOS's last characters on the console.
	check "$1" "the error line on the console" -F "$2"
	check "$1" "the error line in the kernel log" -E "^\[ *[0-9.]+\] ${2//[()]/.}\$"
	check_not "$1" "the root's init must not run" -F "ROOT-INIT"
}

boot good "dm-mod.create=\"lin,,,rw,0 2048 linear /dev/vdc 0;root,,,ro,$verity $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb,253:32 root=/dev/dm-1 rootfstype=ext4 ro single extra -- --also"
# The root init's first line may follow the last dot of SeaBIOS's "Booting
# from ROM..." on the same serial line (seen once in CI under load: ".ROOT-INIT: pid 1 ...").
check good "the root's init runs with the kernel's leftover arguments" -E "^\.?ROOT-INIT: pid 1 args: single extra --also\$"
check good "udev database entry for the verity root" -E "^ROOT-INIT: udev /run/udev/data/b25[34]:1: E:DM_UDEV_PRIMARY_SOURCE_FLAG=1 mode -rw-r--r-T\$"
check good "udev database entry for the linear device" -E "^ROOT-INIT: udev /run/udev/data/b25[34]:0: E:DM_UDEV_PRIMARY_SOURCE_FLAG=1"
check good "/dev/mapper/root is a block node" -x "ROOT-INIT: mapper root b"
check good "/dev/mapper/lin is a block node" -x "ROOT-INIT: mapper lin b"
check good "/dev /proc /sys /run moved into the new root" -E "^ROOT-INIT: mounts: .*/dev .*/proc .*/sys .*/run|^ROOT-INIT: mounts: ( ?/[a-z]*)*"
for m in /dev /proc /sys /run; do
	check good "$m mounted on the new root" -E "^ROOT-INIT: mounts: (.* )?$m( |\$)"
done
check good "/ is the verified root" -E "^ROOT-INIT: / holds: bin dev etc lost\\+found newroot proc run sbin sys"
check good "the modules were loaded in order" -E "^ROOT-INIT: done"

boot badflags "dm-mod.create=\"root,,,xx,$verity $roothash $salt\" root=/dev/dm-0 dmboot.onfail=poweroff"
stopped badflags 'dmboot: init: dm-mod.create: device 1 (root): "xx": flags must be ro or rw'
check badflags "onfail=poweroff powered off" -F "reboot: Power down"

boot badtype "dm-mod.create=\"root,,,ro,0 8 zero x\" root=/dev/dm-0 dmboot.onfail=reboot"
stopped badtype 'dmboot: init: dm-mod.create: device 1 (root), target 1: "zero": invalid type (crypt, delay, linear, snapshot-origin, striped, verity)'
check badtype "onfail=reboot restarted" -F "reboot: Restarting system"

# The 256-target and 4096-byte limits cannot be reached on x86, whose
# command line stops at 2048 bytes: the unit tests cover them.
boot fields "dm-mod.create=\"root,,ro,$verity $roothash $salt\" root=/dev/dm-0"
stopped fields 'dmboot: init: dm-mod.create: device 1 (root): expected <name>,<uuid>,<minor>,<flags>,<table>'
check fields "onfail=panic (the default) panicked" -F "Kernel panic - not syncing: Attempted to kill init"

boot gap "dm-mod.create=\"a,,,rw,0 8 linear /dev/vdc 0,16 8 linear /dev/vdc 8\" root=/dev/dm-0 dmboot.onfail=halt" 40
stopped gap 'dmboot: init: dm-mod.create: device 1 (a), target 2: gap or overlap with the previous target'
check gap "onfail=halt halted (and QEMU stays until killed)" -F "reboot: System halted"

boot badonfail "root=/dev/vda dmboot.onfail=sometimes"
stopped badonfail 'dmboot: init: kernel command line: dmboot.onfail: not panic, reboot, shell, halt or poweroff'

boot never "dm-mod.create=\"root,,,ro,$verity $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdq root=/dev/dm-0 dmboot.timeout=2 dmboot.onfail=poweroff"
stopped never 'dmboot: init: dm-mod.waitfor: /dev/vdq: timed out after 2 s'
check never "onfail=poweroff powered off" -F "reboot: Power down"

boot wronghash "dm-mod.create=\"root,,,ro,$verity $wrong $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb root=/dev/dm-0 rootfstype=ext4"
stopped wronghash 'dmboot: init: mount: /dev/dm-0: Input/output error'
check wronghash "dm-verity refused the blocks" -E "verity.*(metadata block|data block).*corrupted"

boot noshell "dm-mod.create=\"root,,,ro,0 8 error x\" root=/dev/dm-0 dmboot.onfail=shell"
check noshell "onfail=shell without /bin/sh says so" -F "dmboot: init: onfail: no /bin/sh: panic instead"
check noshell "... and panics" -F "Kernel panic - not syncing: Attempted to kill init"

root_ok() { # NAME: the verity root reached its init, /dev/mapper/root made
	check "$1" "the root's init runs" -F "ROOT-INIT: pid 1 args:"
	check "$1" "/dev/mapper/${2:-root} is a block node" -x "ROOT-INIT: mapper ${2:-root} b"
	check "$1" "udev database entry for it" -E "^ROOT-INIT: udev /run/udev/data/b25[34]:[0-9]+: E:DM_UDEV_PRIMARY_SOURCE_FLAG=1 mode -rw-r--r-T\$"
	check "$1" "/ is the verified root" -E "^ROOT-INIT: / holds: bin dev etc lost\\+found newroot proc run sbin sys"
}

boot roothash "roothash=$roothash systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb rootfstype=ext4"
root_ok roothash
check roothash "root= defaulted to /dev/mapper/root" -E "^ROOT-INIT: mapper root b"

DISKS="gpt.img" boot gpt "roothash=$roothash dmboot.onfail=poweroff"
root_ok gpt

boot badroothash "roothash=$wrong systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb dmboot.onfail=poweroff"
check badroothash "verity names the mismatch" -F "dmboot: verity: root: root hash does not match the hash tree"
stopped badroothash "dmboot: init: roothash: /dev/mapper/root not made"
check badroothash "onfail=poweroff powered off" -F "reboot: Power down"

DISKS="gpt.img" boot gptnone "roothash=$wrong dmboot.timeout=2 dmboot.onfail=poweroff"
stopped gptnone "dmboot: init: systemd.verity_root_data: PARTUUID=$(uuid_of "${wrong:0:32}"): timed out after 2 s"

# A device that appears late: the hash image is hot-plugged (it becomes
# /dev/vdb) 2 s after the kernel started /init; dmboot must wait for it.
# loglevel=7 puts the kernel's "Run /init", the disk's arrival and
# dmboot's switch_root line on the console, in the order they happened.
DISKS="data.img" LATE=$W/hash.img boot late "roothash=$roothash systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb rootfstype=ext4 dmboot.timeout=20 dmboot.onfail=poweroff loglevel=7"
root_ok late
check_that late "the hash disk was hot-plugged through the monitor ($W/late.log.attach)" \
	grep -q -x "attach: done" "$W/late.log.attach"
check_that late "vdb appeared after /init started and before dmboot switched root" \
	in_order late 'Run /init as init process' '\[vdb\]' 'dmboot: init: switch_root' '^ROOT-INIT: pid 1'

INITRD=tabs.cpio.gz boot tabs "root=/dev/mapper/vroot rootfstype=ext4"
root_ok tabs vroot
check tabs "crypttab's volume, keyed from the initramfs, decrypts" -x "ROOT-INIT: secret says DMBOOT-CRYPT-OK"
check tabs "/dev/mapper/secret is a block node" -x "ROOT-INIT: mapper secret b"
check tabs "udev entries for both" -E "^ROOT-INIT: udev /run/udev/data/b25[34]:1: "

# The crypt key from the kernel keyring: keystage put it there and
# removed its file before dmboot started.
INITRD=keyring.cpio.gz boot keyring "root=/dev/mapper/vroot rootfstype=ext4 dmboot.onfail=poweroff"
check keyring "an earlier stage put the key into the keyring" -F "keystage: logon key fw:secret, 32 bytes"
root_ok keyring vroot
check keyring "crypttab's %logon: key decrypts, no key file in the initramfs" -x "ROOT-INIT: secret says DMBOOT-CRYPT-OK"

# The verity root from image files in the initramfs: no disks at all.
INITRD=loop.cpio.gz DISKS="spare.img" boot images "root=/dev/mapper/vroot rootfstype=ext4 dmboot.timeout=5 dmboot.onfail=poweroff"
root_ok images vroot
check images "the verity root is on two loop devices" -x "ROOT-INIT: vroot on: loop0 loop1 "

# dm-verity on dm-crypt on dm-crypt, all from the initramfs's tabs: c2's
# line names /dev/mapper/c1, which only c1's line of the same file makes
# (init must not wait for it before running the file).
INITRD=stack.cpio.gz DISKS="stack.img hash.img" boot stack "root=/dev/mapper/root rootfstype=ext4 dmboot.timeout=5 dmboot.onfail=poweroff"
root_ok stack
check stack "/dev/mapper/c1 is a block node" -x "ROOT-INIT: mapper c1 b"
check stack "/dev/mapper/c2 is a block node" -x "ROOT-INIT: mapper c2 b"
check stack "/ is /dev/mapper/root" -x "ROOT-INIT: / is /dev/mapper/root"
check_not stack "no wait for /dev/mapper/c1" -F "/dev/mapper/c1: timed out"

# systemd's switches. rd.systemd.verity=0: roothash= and its devices are
# ignored, root= mounts the data disk itself, unverified.
boot noverity "roothash=$roothash systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb rd.systemd.verity=0 root=/dev/vda rootfstype=ext4 ro dmboot.timeout=5 dmboot.onfail=poweroff"
check noverity "the root's init runs" -F "ROOT-INIT: pid 1 args:"
check noverity "/ is /dev/vda, no dm device" -x "ROOT-INIT: / is /dev/vda"
check_not noverity "no /dev/mapper/root" -F "ROOT-INIT: mapper root"

# veritytab=no: /etc/veritytab is not read, vroot never comes.
INITRD=tabs.cpio.gz boot noveritytab "veritytab=no root=/dev/mapper/vroot rootfstype=ext4 dmboot.timeout=2 dmboot.onfail=poweroff"
stopped noveritytab "dmboot: init: root: /dev/mapper/vroot: timed out after 2 s"
check noveritytab "onfail=poweroff powered off" -F "reboot: Power down"

# luks.crypttab=yes then rd.luks.crypttab=no: the last one wins,
# /etc/crypttab is not read, secret never comes.
INITRD=tabs.cpio.gz boot nocrypttab "luks.crypttab=yes rd.luks.crypttab=no root=/dev/mapper/secret dmboot.timeout=2 dmboot.onfail=poweroff"
stopped nocrypttab "dmboot: init: root: /dev/mapper/secret: timed out after 2 s"
check nocrypttab "onfail=poweroff powered off" -F "reboot: Power down"

# By the ext4 file system's UUID= and LABEL= (the /init built with
# RESOLVE_UUID_EXT4). Before dm-verity opens the data disk, only the disk
# carries them; after, the verity device shows the same UUID and label
# (it is the same file system): root= must then be the verified device,
# never the disk under it (dm-verity holds it: its mount fails, EBUSY).
INITRD=ext4.cpio.gz boot byuuid "roothash=$roothash systemd.verity_root_data=UUID=$fsuuid systemd.verity_root_hash=UUID=$vuuid rootfstype=ext4 dmboot.onfail=poweroff"
root_ok byuuid
check byuuid "/ is /dev/mapper/root" -x "ROOT-INIT: / is /dev/mapper/root"

INITRD=ext4.cpio.gz boot bylabel "dm-mod.waitfor=LABEL=$fslabel roothash=$roothash systemd.verity_root_data=LABEL=$fslabel systemd.verity_root_hash=/dev/vdb rootfstype=ext4 dmboot.onfail=poweroff"
root_ok bylabel
check bylabel "/ is /dev/mapper/root" -x "ROOT-INIT: / is /dev/mapper/root"

# /sys/class/block lists devices by a hash of the name: dm-0 and dm-1
# come before vda, dm-3 after it (rootdm3); either way root= must take
# the verity device, not vda, which it holds.
INITRD=ext4.cpio.gz boot rootuuid "dm-mod.create=\"root,,,ro,$verity $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb root=UUID=$fsuuid rootfstype=ext4 dmboot.onfail=poweroff"
root_ok rootuuid
check rootuuid "root=UUID= is the verity device, not /dev/vda under it" -E "^ROOT-INIT: / is /dev/dm-[0-9]+ \(mapper root\)\$"

INITRD=ext4tabs.cpio.gz boot rootlabel "root=LABEL=$fslabel rootfstype=ext4 dmboot.onfail=poweroff"
root_ok rootlabel vroot
check rootlabel "root=LABEL= is the verity device, not /dev/vda under it" -E "^ROOT-INIT: / is /dev/dm-[0-9]+ \(mapper vroot\)\$"

lin="0 8 linear /dev/vdc"
INITRD=ext4.cpio.gz boot rootdm3 "dm-mod.create=\"a,,,rw,$lin 0;b,,,rw,$lin 8;c,,,rw,$lin 16;root,,,ro,$verity $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb root=UUID=$fsuuid rootfstype=ext4 dmboot.onfail=poweroff"
root_ok rootdm3
check rootdm3 "root=UUID= is the verity device /dev/dm-3, not /dev/vda under it" -E "^ROOT-INIT: / is /dev/dm-3 \(mapper root\)\$"

# boot_defconfig's /init does not read ext4 superblocks: UUID= of one
# is a device that never comes (UUID= of a verity superblock is built
# in); LABEL=, which only file systems have, is refused at once.
boot noext4 "roothash=$roothash systemd.verity_root_data=UUID=$fsuuid systemd.verity_root_hash=/dev/vdb dmboot.timeout=2 dmboot.onfail=poweroff"
stopped noext4 "dmboot: init: systemd.verity_root_data: UUID=$fsuuid: timed out after 2 s"

# With a 60 s budget: a wait would put the line past 60 s of kernel time.
boot nolabel "roothash=$roothash systemd.verity_root_data=LABEL=$fslabel systemd.verity_root_hash=/dev/vdb dmboot.timeout=60 dmboot.onfail=poweroff"
stopped nolabel "dmboot: init: systemd.verity_root_data: LABEL=$fslabel: this kind of name is not built in"
check nolabel "refused before the 60 s budget ran out" \
	-E "^\[ *[0-5]?[0-9]\.[0-9]+\] dmboot: init: systemd.verity_root_data: LABEL="
check_not nolabel "not a wait that timed out" -F "timed out"
check nolabel "onfail=poweroff powered off" -F "reboot: Power down"

# A second disk that cannot fool a verified boot. The attacker's copy of
# the root (evil.img: same UUID and LABEL) or of its GPT (evilgpt.img:
# same PARTUUIDs and PARTLABELs) goes first (vda) or last (vdd, vdb);
# every name both carry is refused, all matches named, and nothing is
# mounted: neither the attacker's init nor the root's runs.
refused() { # NAME WHAT SPEC DEVICE...: one line naming each DEVICE
	local name=$1 what=$2 spec=$3 d
	shift 3
	check "$name" "one line refusing $spec" -E "dmboot: init: $what: $spec matches [a-z0-9, -]+: refusing an ambiguous device\$"
	check "$name" "the line in the kernel log" -E "^\[ *[0-9.]+\] dmboot: init: $what: $spec matches "
	for d; do
		check "$name" "the line names $d" -E "dmboot: init: $what: $spec matches (.*, )?$d(, .*)?: refusing"
	done
	check_not "$name" "the attacker's init must not run" -F "ATTACKER-INIT"
	check_not "$name" "nothing mounted: the root's init must not run" -F "ROOT-INIT"
	check "$name" "onfail=poweroff powered off" -F "reboot: Power down"
}
# root=UUID= beside the verity device that holds vdb, the copy first.
INITRD=ext4.cpio.gz DISKS="evil.img data.img hash.img" boot evilfirst "dm-mod.create=\"root,,,ro,$(verity_on /dev/vdb /dev/vdc) $roothash $salt\" dm-mod.waitfor=/dev/vdb,/dev/vdc root=UUID=$fsuuid rootfstype=ext4 dmboot.onfail=poweroff"
refused evilfirst root "UUID=$fsuuid" vda vdb dm-0
# root=LABEL=, the copy last.
INITRD=ext4.cpio.gz DISKS="data.img hash.img spare.img:rw evil.img" boot evillast "dm-mod.create=\"root,,,ro,$verity $roothash $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb root=LABEL=$fslabel rootfstype=ext4 dmboot.onfail=poweroff"
refused evillast root "LABEL=$fslabel" vda vdd dm-0
# roothash= alone finds its partitions by PARTUUID=: the copy first.
DISKS="evilgpt.img gpt.img" boot evilpartuuid "roothash=$roothash dmboot.onfail=poweroff"
refused evilpartuuid systemd.verity_root_data "PARTUUID=$data_uuid" vda1 vdb1
# By PARTLABEL=, the copy last.
INITRD=ext4.cpio.gz DISKS="gpt.img evilgpt.img" boot evilpartlabel "roothash=$roothash systemd.verity_root_data=PARTLABEL=root systemd.verity_root_hash=PARTLABEL=root-verity dmboot.onfail=poweroff"
refused evilpartlabel systemd.verity_root_data "PARTLABEL=root" vda1 vdb1
# A crypttab line by PARTUUID=, the copy last.
INITRD=cryptpu.cpio.gz DISKS="gpt.img evilgpt.img" boot evilcrypt "root=/dev/mapper/secret dmboot.onfail=poweroff"
refused evilcrypt /etc/crypttab "PARTUUID=$data_uuid" vda1 vdb1
check_not evilcrypt "the attacker's partition was not opened" -F "ROOT-INIT: secret"

# Verity configured but not made, root= by the file system's UUID=,
# which only the raw disk still answers to: never mounted. A veritytab
# line that fails but is nofail; dm-mod.create= with a wrong root hash
# (the kernel makes the device; its superblock does not read).
INITRD=nofail.cpio.gz boot nofailverity "root=UUID=$fsuuid rootfstype=ext4 dmboot.onfail=poweroff"
stopped nofailverity "dmboot: init: root: /dev/vda: verity is configured, but this is not a verity device this boot made"
check_not nofailverity "no /dev/mapper/vroot" -F "ROOT-INIT: mapper vroot"
INITRD=ext4.cpio.gz boot wronguuid "dm-mod.create=\"root,,,ro,$verity $wrong $salt\" dm-mod.waitfor=/dev/vda,/dev/vdb root=UUID=$fsuuid rootfstype=ext4 dmboot.onfail=poweroff"
stopped wronguuid "dmboot: init: root: /dev/vda: verity is configured, but this is not a verity device this boot made"

# ---- LUKS2 (luks_defconfig's /init) ----
luks_ok() { # NAME MAPPER: the ext4 root from the LUKS volume reached its init
	check "$1" "the root's init runs" -F "ROOT-INIT: pid 1 args:"
	check "$1" "/dev/mapper/$2 is a block node" -x "ROOT-INIT: mapper $2 b"
	check "$1" "/ is /dev/mapper/$2" -E "^ROOT-INIT: / is /dev/(mapper/$2|dm-0 \(mapper $2\))\$"
	check "$1" "udev database entry for it" -E "^ROOT-INIT: udev /run/udev/data/b25[34]:[0-9]+: E:DM_UDEV_PRIMARY_SOURCE_FLAG=1 mode -rw-r--r-T\$"
	check "$1" "/ holds the root's files" -E "^ROOT-INIT: / holds: bin dev etc lost\\+found newroot proc run sbin sys"
	check_not "$1" "the passphrase never on the console" -F "$lpass"
	check_not "$1" "no key left in the kernel keyring" -F "ROOT-INIT: key "
}
INITRD=lukskey.cpio.gz DISKS="luks.img" boot lukskey "root=/dev/mapper/croot rootfstype=ext4 dmboot.onfail=poweroff" 240
luks_ok lukskey croot
check_not lukskey "no prompt with a key file" -F "Enter passphrase for"

INITRD=lukscmd.cpio.gz DISKS="luks.img" boot lukscmd "rd.luks.uuid=$luuid rd.luks.key=/etc/keys/luks.pass root=/dev/mapper/luks-$luuid rootfstype=ext4 dmboot.onfail=poweroff" 240
luks_ok lukscmd "luks-$luuid"

INITRD=luksprompt.cpio.gz DISKS="luks.img" TYPE=$lpass boot luksprompt "rd.luks.name=$luuid=root root=/dev/mapper/root rootfstype=ext4 dmboot.onfail=poweroff" 240
luks_ok luksprompt root
check luksprompt "cryptsetup's prompt on the console" -F "Enter passphrase for "
check_not luksprompt "one prompt, the passphrase right" -F "No key available with this passphrase"

# Two wrong passphrases on a nofail line: no device, and the boot goes on
# to root=, the plain ext4 disk (no verity configured), whose init shows
# no mapper device at all.
INITRD=lukswrong.cpio.gz DISKS="luks.img data.img" TYPE=wrong-$lpass boot lukswrong "root=/dev/vdb rootfstype=ext4 dmboot.onfail=poweroff" 240
check lukswrong "the root's init runs" -F "ROOT-INIT: pid 1 args:"
check_that lukswrong "exactly two prompts" test "$(grep -a -o "Enter passphrase for" "$W/lukswrong.log" 2>/dev/null | wc -l)" -eq 2
check lukswrong "cryptsetup's line between them" -F "No key available with this passphrase."
check lukswrong "the crypt line says why" -x "dmboot: crypt: /dev/vda: No key available with this passphrase."
check_not lukswrong "no /dev/mapper node left" -E "^ROOT-INIT: mapper .* b\$"
check_not lukswrong "no dm device left" -E "^ROOT-INIT: [a-z0-9-]+ on: "
check_not lukswrong "the wrong passphrase never on the console" -F "wrong-$lpass"
check_not lukswrong "no key left in the kernel keyring" -F "ROOT-INIT: key "

# Three wrong passphrases (the default tries) on a line that is not
# nofail: one line, the onfail action, nothing mounted.
INITRD=lukswrongstop.cpio.gz DISKS="luks.img" TYPE=wrong-$lpass boot lukswrongstop "root=/dev/mapper/croot rootfstype=ext4 dmboot.onfail=poweroff" 240
check_that lukswrongstop "three prompts" test "$(grep -a -o "Enter passphrase for" "$W/lukswrongstop.log" 2>/dev/null | wc -l)" -eq 3
check lukswrongstop "the crypt line says why" -x "dmboot: crypt: /dev/vda: No key available with this passphrase."
stopped lukswrongstop "dmboot: init: /etc/crypttab: not every line was activated"
check lukswrongstop "onfail=poweroff powered off" -F "reboot: Power down"

INITRD=luksheader.cpio.gz DISKS="luksdh.img" boot luksheader "root=/dev/mapper/croot rootfstype=ext4 dmboot.onfail=poweroff" 240
luks_ok luksheader croot

INITRD=lukshostile.cpio.gz DISKS="luks.img" boot lukshostile "root=/dev/mapper/h2 rootfstype=ext4 dmboot.timeout=2 dmboot.onfail=poweroff" 240
check lukshostile "luks and plain together" -F "dmboot: tab: h1: luks and plain exclude each other"
check lukshostile "a key slot out of range" -E "dmboot: crypt: --key-slot: .*(range|number)"
check lukshostile "a header that is no device name" -F "dmboot: tab: ../etc/keys/luks.pass: not a device name"
check lukshostile "an option dmboot does not know" -F "dmboot: tab: h4: unsupported option tpm2-device"
check lukshostile "plain without a key file" -F "dmboot: tab: h5: needs a key file: dmboot hashes no plain passphrases"
check lukshostile "tries= not a number" -E "dmboot: crypt: --tries: "
check lukshostile "timeout= not a time span" -F "dmboot: tab: h7: timeout=: not a time span"
check lukshostile "headless without a key file: no prompt" -F "headless: no token unlocked a keyslot, no prompt"
check lukshostile "x-systemd.device-timeout= not a time span" -F "dmboot: tab: h9: x-systemd.device-timeout=: not a time span"
check_not lukshostile "no prompt for any of them" -F "Enter passphrase for"
stopped lukshostile "dmboot: init: /etc/crypttab: not every line was activated"

INITRD=lukswait.cpio.gz DISKS="luks.img" boot lukswait "root=/dev/mapper/croot rootfstype=ext4 dmboot.timeout=600 dmboot.onfail=poweroff" 240
stopped lukswait "dmboot: init: /etc/crypttab: /dev/vdq: timed out after 1500 ms"
check lukswait "onfail=poweroff powered off" -F "reboot: Power down"

INITRD=lukscmd.cpio.gz DISKS="luks.img" boot lukskeydev "rd.luks.uuid=$luuid rd.luks.key=/k:UUID=$luuid root=/dev/mapper/luks-$luuid dmboot.onfail=poweroff"
stopped lukskeydev "dmboot: init: kernel command line: rd.luks.key: a key file on another device (KEYFILE:KEYDEV) is not supported: put it in the initramfs"

# rd.luks.data= (a detached header's data device) refused, not ignored.
INITRD=lukscmd.cpio.gz DISKS="luks.img" boot luksdata "rd.luks.uuid=$luuid rd.luks.data=$luuid=/dev/vdb root=/dev/mapper/luks-$luuid dmboot.onfail=poweroff"
stopped luksdata "dmboot: init: kernel command line: rd.luks.data: a detached header's data device is not supported: use a crypttab line with header="

echo "init-boot: $n boots; $passed passed, $failed failed"
[ "$failed" -eq 0 ]
