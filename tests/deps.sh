#!/bin/bash
# SPDX-License-Identifier: MIT
# Installs what building and testing dmboot needs, when it is missing
# (CI starts from a bare Debian 12, as root). Everything comes from
# Debian's archive.
#   tests/deps.sh        everything make test uses
#   tests/deps.sh demo   only what make demo uses: building dmboot with
#                        musl, the root and initramfs images, QEMU
set -eu
. "$(dirname "$0")/vm/common.sh"

# make demo: build (gcc, musl, kconfig), images (busybox, cpio, mkfs.ext4,
# veritysetup/cryptsetup, modprobe for the module list, openssl and perl
# for --crypt and --luks), QEMU. libc6-dev is only a Recommends of gcc.
need_pkgs make:make gcc:gcc musl-gcc:musl-tools kconfig-conf:kconfig-frontends \
	qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio \
	modprobe:kmod veritysetup:cryptsetup-bin mkfs.ext4:e2fsprogs gzip:gzip \
	openssl:openssl perl:perl-base /usr/include/stdio.h:libc6-dev
[ "${1:-}" != demo ] || exit 0

need_pkgs diet:dietlibc-dev valgrind:valgrind strings:binutils \
	dmsetup:dmsetup strace:strace keyctl:keyutils sgdisk:gdisk sfdisk:fdisk \
	mkfs.erofs:erofs-utils
# Headers and libraries have no command to look for: their path stands in.
need_pkgs /usr/include/cmocka.h:libcmocka-dev \
	/usr/include/openssl/evp.h:libssl-dev # tests/unit/test-hash.c
# libargon2, the reference Argon2 that test-argon2 compares dmboot's with.
need_pkgs /usr/include/argon2.h:libargon2-dev
# The man page's lint and rendering (tests/man.sh).
need_pkgs mandoc:mandoc man:man-db col:bsdextrautils
# Fuzzing, analysis (tests/fuzz/run.sh, tests/analyze.sh).
need_pkgs clang:clang cppcheck:cppcheck clang-tidy:clang-tidy clang-format:clang-format
need_pkgs '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev'
# Other machines (tests/cross.sh): cross compilers, qemu-user, and musl for
# arm64 and armhf from Debian's multiarch archive (there is no mips port).
need_pkgs aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu \
	arm-linux-gnueabihf-gcc:gcc-arm-linux-gnueabihf \
	mips-linux-gnu-gcc:gcc-mips-linux-gnu qemu-aarch64-static:qemu-user-static
# The recipes of dist/ built as their systems build them (tests/recipes.sh):
# Buildroot copies a local source tree with rsync; the Yocto recipe's
# variables are expanded in Python, as BitBake does.
need_pkgs rsync:rsync python3:python3
# Each cross compiler's own C library (headers, crt*.o, libc.a): only a
# Recommends of gcc-*-linux-gnu, so --no-install-recommends leaves it out,
# and the compiler alone cannot build a program.
for t in aarch64-linux-gnu:arm64 arm-linux-gnueabihf:armhf mips-linux-gnu:mips; do
	need_pkgs "/usr/${t%%:*}/include/bits/wordsize.h:libc6-dev-${t#*:}-cross" \
		"/usr/${t%%:*}/lib/crt1.o:libc6-dev-${t#*:}-cross"
done
if [ ! -f /usr/lib/aarch64-linux-musl/musl-gcc.specs ] ||
	[ ! -f /usr/lib/arm-linux-musleabihf/musl-gcc.specs ]; then
	note "installing musl-dev:arm64 musl-dev:armhf (multiarch)"
	dpkg --add-architecture arm64
	dpkg --add-architecture armhf
	apt-get update -qq >&2 || true # a foreign index may be missing: install says
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		musl-dev:arm64 musl-dev:armhf >&2 || die "apt-get install musl-dev:arm64 musl-dev:armhf failed"
fi
