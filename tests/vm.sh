#!/bin/sh
# SPDX-License-Identifier: MIT
# The real-kernel suite: dmboot (full_defconfig, musl) and a test-only
# build whose TARGET_MSG claims interface 4.99 run in a QEMU guest beside
# dmsetup, veritysetup and cryptsetup. Scenarios: tests/vm/scenarios/.
# VM_SCENARIOS="verity crypt" picks some; VM_O=DIR builds elsewhere than
# build/vm (with VMWORK=DIR, two runs do not collide). verity_defconfig,
# tiny_defconfig and boot_defconfig, the builds with size budgets, run in
# the small scenario.
set -eu
cd "$(dirname "$0")/.."
O=${VM_O:-build/vm}
mkdir -p "$O/full" "$O/toonew"
make -s CONFIG="$O/full/.config" full_defconfig
make -s O="$O/full" CONFIG="$O/full/.config" "$O/full/dmboot"
make -s O="$O/toonew" CONFIG="$O/full/.config" TEST_TOO_NEW=TARGET_MSG "$O/toonew/dmboot"
# The builds with size budgets, for the small scenario.
for d in verity tiny boot; do
	mkdir -p "$O/$d"
	make -s CONFIG="$O/$d/.config" "${d}_defconfig"
	make -s O="$O/$d" CONFIG="$O/$d/.config" "$O/$d/dmboot"
done
# dmwire reads the version of each DM request from the tracee's memory.
musl-gcc -static -Os -Wall -Wextra -o "$O/dmwire" tests/vm/dmwire.c
# luks-probe: luks_read and luks_unlock of the full build, alone.
objs=
for o in "$O"/full/*.o; do
	[ "${o##*/}" = main.o ] || objs="$objs $o"
done
# shellcheck disable=SC2086 # object paths without blanks
musl-gcc -static -Os -flto -Wall -Wextra -D_GNU_SOURCE -Isrc -I"$O/full/gen" \
	-o "$O/luks-probe" tests/vm/luks-probe.c $objs
rc=0
for s in ${VM_SCENARIOS:-smoke dmboot verity small crypt keyslot luks tab resolve badinput}; do
	[ -f "tests/vm/scenarios/$s.sh" ] || continue
	echo "== vm: $s"
	# keyslot's volumes use ciphers beyond aes.
	mods=
	[ "$s" != keyslot ] || mods="--module serpent_generic --module twofish_generic"
	# shellcheck disable=SC2086
	tests/vm/suite.sh "$s" $mods --add "$O/full/dmboot:/bin/dmboot" \
		--add "$O/toonew/dmboot:/bin/dmboot-toonew" \
		--add "$O/verity/dmboot:/bin/dmboot-verity" \
		--add "$O/tiny/dmboot:/bin/dmboot-tiny" \
		--add "$O/boot/dmboot:/bin/dmboot-boot" \
		--add "$O/dmwire:/bin/dmwire" \
		--add "$O/luks-probe:/bin/luks-probe" \
		--add tests/vm/scenarios/badinput.cases:/test/badinput.cases || rc=1
done
exit $rc
