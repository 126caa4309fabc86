#!/bin/bash
# SPDX-License-Identifier: MIT
# dracut module: dmboot activates the devices of /etc/crypttab,
# /etc/veritytab and the kernel command line (roothash=, dm-mod.create=,
# rd.luks.*) before the root is mounted. DMBOOT=PATH takes that static
# binary instead of /usr/sbin/dmboot. dracut's own crypt and
# systemd-veritysetup modules would open the same devices a second time:
# dmboot.conf (in dracut.conf.d) omits them.

# called by dracut
check() {
	[ -x "${DMBOOT:-/usr/sbin/dmboot}" ] || return 1
	return 0
}

# called by dracut
depends() {
	echo rootfs-block
	return 0
}

# called by dracut
installkernel() {
	# dm-verity, dm-crypt, xts for aes-xts-plain64; AF_ALG for dmboot's
	# root-hash check (algif_hash) and LUKS key slots (algif_skcipher).
	hostonly='' instmods dm_mod dm_verity dm_crypt xts algif_hash algif_skcipher
}

# dmboot_key PATH: a key file or detached header a tab names, root's only.
dmboot_key() {
	case $1 in
	/*:*)
		derror "dmboot: $1: a key on another device (KEYFILE:KEYDEV) is not supported"
		return 1
		;;
	/*) ;;
	*) return 0 ;; # none, -, %logon:..., UUID=...
	esac
	[ -b "$1" ] || [ -c "$1" ] && return 0
	if [ ! -f "$dracutsysrootdir$1" ]; then
		derror "dmboot: $1: named in a tab but not a file"
		return 1
	fi
	inst_simple "$dracutsysrootdir$1" "$1" || return 1
	chmod 0600 "$initdir$1"
}

# called by dracut
install() {
	local tab name key opts rest opt

	inst_simple "${DMBOOT:-/usr/sbin/dmboot}" /usr/sbin/dmboot || return 1
	for tab in /etc/crypttab /etc/veritytab; do
		[ -f "$dracutsysrootdir$tab" ] || continue
		inst_simple "$dracutsysrootdir$tab" "$tab" || return 1
		while read -r name _ key opts rest; do
			case $name in "" | "#"*) continue ;; esac
			if [ "$tab" = /etc/crypttab ]; then
				dmboot_key "$key" || return 1
			else
				opts=$rest # name data hash roothash options
			fi
			for opt in ${opts//,/ }; do
				case $opt in
				header=* | fec-device=* | root-hash-signature=*)
					dmboot_key "${opt#*=}" || return 1
					;;
				esac
			done
		done <"$dracutsysrootdir$tab"
	done
	# Without dracut's dm module (lvm2's rules, which need dmsetup) no
	# rule would make /dev/mapper/NAME, and systemd waits for it.
	if ! dracut_module_included dm; then
		inst_rules "$moddir/55-dmboot.rules"
	fi
	inst_hook cmdline 90 "$moddir/dmboot-cmdline.sh"
	inst_hook initqueue/settled 50 "$moddir/dmboot-activate.sh"
	dracut_need_initqueue
}
