#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut cmdline hook (sourced): with systemd's verity root (roothash=),
# root= must name the device dmboot verifies; a root= naming the data
# device, or its file system's UUID, would mount unverified blocks.
if getarg roothash= >/dev/null || getarg systemd.verity_root_data= >/dev/null; then
	[ "$(getarg root=)" = /dev/mapper/root ] ||
		die "dmboot: roothash= needs root=/dev/mapper/root, not root=$(getarg root=)"
fi
