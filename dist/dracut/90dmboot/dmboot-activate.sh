#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut initqueue/settled hook (sourced on every round of the queue until
# the root device is there): once, dmboot activates what the initramfs's
# /etc/crypttab and /etc/veritytab and the kernel command line ask, every
# device or none. Fails closed: dracut's die, and no device dmboot would
# have made exists, so the root is not mounted. A LUKS line without a key
# file asks for its passphrase on the console.
if [ ! -e /run/dmboot.done ]; then
	: >/run/dmboot.done
	_dmboot_want=
	[ -f /etc/veritytab ] || [ -f /etc/crypttab ] && _dmboot_want=1
	for _dmboot_arg in roothash= systemd.verity_root_data= dm-mod.create= \
		rd.luks.uuid= rd.luks.name= luks.uuid= luks.name=; do
		getarg "$_dmboot_arg" >/dev/null && _dmboot_want=1
	done
	if [ -n "$_dmboot_want" ]; then
		for _dmboot_mod in dm_mod dm_verity dm_crypt xts algif_hash algif_skcipher; do
			modprobe -q "$_dmboot_mod" || warn "dmboot: cannot load $_dmboot_mod"
		done
		/usr/sbin/dmboot init </dev/console >/dev/console 2>&1 ||
			die "dmboot: the devices were not activated; the root is not mounted"
	fi
	unset _dmboot_want _dmboot_arg _dmboot_mod
fi
