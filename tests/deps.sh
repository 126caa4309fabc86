#!/bin/bash
# Installs what building and testing dmboot needs, when it is missing
# (CI starts from a bare Debian 12, as root). Everything comes from
# Debian's archive.
set -eu
. "$(dirname "$0")/vm/common.sh"

need_pkgs make:make gcc:gcc musl-gcc:musl-tools diet:dietlibc-dev \
	kconfig-conf:kconfig-frontends valgrind:valgrind strings:binutils \
	qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio \
	modprobe:kmod dmsetup:dmsetup veritysetup:cryptsetup-bin \
	strace:strace mkfs.ext4:e2fsprogs sgdisk:gdisk sfdisk:fdisk \
	mkfs.erofs:erofs-utils
# Headers and libraries have no command to look for.
[ -f /usr/include/cmocka.h ] || need_pkgs __cmocka__:libcmocka-dev
