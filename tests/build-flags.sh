#!/bin/bash
# SPDX-License-Identifier: MIT
# The Makefile as packagers use it (issue #15 item 1), on verity_defconfig:
#   - the flag sets Buildroot, Yocto, OpenWrt and Debian's hardening export
#     give a static, non-PIE binary within FLAGS_SLACK bytes (1024) of the
#     plain build (-fstack-protector-strong, which they ask for and get,
#     costs 884 bytes here: docs/SIZE.md), and a plain -O2 changes nothing
#     (dmboot's -Oz is last) unless OPT_LEVEL= lets it win;
#   - -fPIE, -pie, -static-pie still give a static executable; a link that
#     names an ELF interpreter fails with one line and leaves no binary;
#   - CROSS_COMPILE= and CC= an external musl toolchain (a wrapper whose
#     default libc is musl, as Buildroot's or OpenWrt's gcc is): no LIBC=,
#     "(musl)" in the size line, the same bytes as the plain build;
#     aarch64 too when Debian's musl-dev:arm64 is there (run under
#     qemu-aarch64-static when it is there); a glibc-only cross gcc with
#     LIBC=musl fails in one line;
#   - V=1 prints the commands, the default does not;
#   - make install: DESTDIR/PREFIX/SBINDIR/MANDIR, modes, install-links,
#     LINKS=, uninstall; no binary, no install;
#   - two copies of the tree at different paths build identical bytes,
#     stripped and with -g unstripped;
#   - --version prints the VERSION file.
#   tests/build-flags.sh     (about 3 minutes on a loaded 2-core machine)
#   tests/build-flags.sh --sizes [DEFCONFIG...]   what each flag set costs
#       (verity_defconfig full_defconfig): a markdown table for docs/SIZE.md
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
W=$TOP/build/build-flags
FLAGS_SLACK=${FLAGS_SLACK:-1024}
rm -rf "$W"
mkdir -p "$W"
passed=0 failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# ---- packagers' flag sets (what each passes) ---------------------------------
# What each system exports for a target package (x86-64 parts only; no
# OpenWrt-gcc-only -fhonour-copts). Debian's from dpkg-buildflags itself.
if command -v dpkg-buildflags >/dev/null; then
	deb_c=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS)
	deb_cpp=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)
	deb_ld=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get LDFLAGS)
else
	deb_c="-g -O2 -ffile-prefix-map=$TOP=. -fstack-protector-strong -Wformat -Werror=format-security"
	deb_cpp="-Wdate-time -D_FORTIFY_SOURCE=2"
	deb_ld="-Wl,-z,relro -Wl,-z,now"
fi
# NAME|CPPFLAGS|CFLAGS|LDFLAGS|CC (empty: the default)
sets="buildroot|-D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64|-Os -g0 -D_FORTIFY_SOURCE=1 -fstack-protector-strong||musl-gcc -fPIE -pie
yocto||-O2 -pipe -g -feliminate-unused-debug-types -fmacro-prefix-map=$TOP=/usr/src/debug/dmboot/0.1.0 -fdebug-prefix-map=$TOP=/usr/src/debug/dmboot/0.1.0 -fstack-protector-strong -D_FORTIFY_SOURCE=2 -Wformat -Wformat-security -Werror=format-security -fPIE|-Wl,-O1 -Wl,--hash-style=gnu -Wl,--as-needed -fmacro-prefix-map=$TOP=/usr/src/debug/dmboot/0.1.0 -Wl,-z,relro,-z,now -pie|
openwrt||-Os -pipe -fno-caller-saves -fno-plt -fmacro-prefix-map=$TOP=dmboot-0.1.0 -fstack-protector -D_FORTIFY_SOURCE=1 -Wl,-z,now -Wl,-z,relro|-znow -zrelro|
debian|$deb_cpp|$deb_c|$deb_ld|"
# Buildroot's toolchain wrapper adds -fPIE -pie to every call itself:
# here CC does. Yocto's gcc defaults to PIE: -fPIE/-pie stand for it.

# setbuild NAME CONFIG O: one flag set's build
setbuild() {
	local line cpp c ld cc args=()
	line=$(printf '%s\n' "$sets" | grep "^$1|")
	IFS='|' read -r _ cpp c ld cc <<<"$line"
	[ -z "$cc" ] || args=(CC="$cc")
	CPPFLAGS=$cpp CFLAGS=$c LDFLAGS=$ld make -j2 O="$3" CONFIG="$2" "${args[@]}" "$3/dmboot" >"$3.log" 2>&1
}

if [ "${1:-}" = --sizes ]; then
	shift
	[ $# -gt 0 ] || set -- verity_defconfig full_defconfig
	echo "| defconfig | plain | buildroot | yocto | openwrt | debian |"
	echo "|---|---:|---:|---:|---:|---:|"
	for d in "$@"; do
		make -s CONFIG="$W/$d.config" "$d"
		make O="$W/$d-plain" CONFIG="$W/$d.config" "$W/$d-plain/dmboot" >"$W/$d-plain.log" 2>&1 ||
			{ cat "$W/$d-plain.log"; exit 1; }
		p=$(stat -c %s "$W/$d-plain/dmboot")
		row="| $d | $p |"
		for n in buildroot yocto openwrt debian; do
			setbuild "$n" "$W/$d.config" "$W/$d-$n" || { cat "$W/$d-$n.log"; exit 1; }
			s=$(stat -c %s "$W/$d-$n/dmboot")
			row="$row $s (+$((s - p))) |"
		done
		echo "$row"
	done
	exit 0
fi

make -s CONFIG="$W/v.config" verity_defconfig || { echo "build-flags: no verity_defconfig"; exit 1; }

# build NAME [MAKEVAR...]: verity_defconfig into $W/NAME; the log in
# $W/NAME.log; status of make.
build() {
	local n=$1
	shift
	make -j2 O="$W/$n" CONFIG="$W/v.config" "$@" "$W/$n/dmboot" >"$W/$n.log" 2>&1
}

# A static executable: ELF type EXEC, no PT_INTERP, no PT_DYNAMIC.
is_static() {
	[ -f "$1" ] && readelf -h "$1" | grep -qE 'Type: +EXEC' &&
		! readelf -l "$1" | grep -qE '^ +(INTERP|DYNAMIC) '
}
size() { stat -c %s "$1"; }

# ---- the plain build and --version ------------------------------------------
build plain || { cat "$W/plain.log"; echo "build-flags: the plain build failed"; exit 1; }
base=$(size "$W/plain/dmboot")
echo "plain verity_defconfig: $base bytes"
check "plain build is static, not PIE" is_static "$W/plain/dmboot"
check "--version prints VERSION ($(cat VERSION))" \
	test "$("$W/plain/dmboot" --version)" = "$(cat VERSION)"
check "the size line names the libc: (musl)" grep -q "dmboot: $base bytes (musl)\$" "$W/plain.log"

flagset() { # NAME
	local n=$1
	if ! setbuild "$n" "$W/v.config" "$W/$n"; then
		cat "$W/$n.log"
		fail "$n flags: build failed"
		return
	fi
	local s
	s=$(size "$W/$n/dmboot")
	echo "  $n: $s bytes ($((s - base)) over plain)"
	check "$n flags: static, not PIE" is_static "$W/$n/dmboot"
	check "$n flags: within $FLAGS_SLACK bytes of plain ($s <= $((base + FLAGS_SLACK)))" \
		test "$s" -le $((base + FLAGS_SLACK))
}
for n in buildroot yocto openwrt debian; do
	flagset "$n"
done

# -O2 alone: dmboot's -Oz comes after it, the same bytes; OPT_LEVEL= lets
# the user's level win.
CFLAGS="-O2 -pipe -g" LDFLAGS="-Wl,-O1" build o2 &&
	check "CFLAGS='-O2 -pipe -g' LDFLAGS=-Wl,-O1: the plain build's bytes" cmp -s "$W/o2/dmboot" "$W/plain/dmboot" ||
	fail "CFLAGS=-O2: build failed"
CFLAGS=-O2 build o2win OPT_LEVEL= &&
	check "OPT_LEVEL= CFLAGS=-O2: the user's -O2 wins ($(size "$W/o2win/dmboot") bytes, not $base)" \
		test "$(size "$W/o2win/dmboot")" -ne "$base" ||
	fail "OPT_LEVEL= CFLAGS=-O2: build failed"

# ---- PIE asked for, static given; dynamic refused -----------------------------
# -fPIE with -pie: the Yocto and Buildroot sets above; -static-pie here.
if CFLAGS=-fPIE LDFLAGS=-static-pie build spie; then
	check "CFLAGS=-fPIE LDFLAGS=-static-pie: static, not PIE" is_static "$W/spie/dmboot"
else
	cat "$W/spie.log"
	fail "CFLAGS=-fPIE LDFLAGS=-static-pie: build failed"
fi
if build dyn LDFLAGS="-Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1 -Wl,-Bdynamic"; then
	fail "a link with an ELF interpreter was not refused"
else
	check "a link with an ELF interpreter: refused in one line, no binary left" \
		test "$(grep -c '^dmboot: make: .*dynamically linked' "$W/dyn.log")" = 1 -a ! -e "$W/dyn/dmboot"
fi
# A static-pie (ET_DYN, no interpreter) is refused too.
printf 'int main(void) { return 0; }\n' >"$W/t.c"
if gcc -static-pie -o "$W/t-spie" "$W/t.c" 2>/dev/null; then
	check "initramfs/static-check.sh refuses a static-pie" \
		sh -c "! sh initramfs/static-check.sh '$W/t-spie' 2>'$W/spie.err' && grep -q 'position-independent' '$W/spie.err'"
fi

# ---- external musl toolchains -----------------------------------------------
# x86_64-linux-musl-gcc: Debian's gcc with musl's specs, as musl-gcc is,
# but under a triple's name with -ar/-strip/-nm/-readelf beside it.
tc=$W/toolchain
mkdir -p "$tc"
mktool() { # TRIPLE GCC SPECS
	printf '#!/bin/sh\necho "$0" >>%s/used\nexec %s "$@" -specs %s\n' "$tc" "$2" "$3" >"$tc/$1-gcc"
	chmod 755 "$tc/$1-gcc"
	for t in ar strip nm readelf; do ln -sf "$(command -v "${2%gcc}$t" || command -v $t)" "$tc/$1-$t"; done
}
mktool x86_64-linux-musl gcc /usr/lib/x86_64-linux-musl/musl-gcc.specs
if PATH=$tc:$PATH build xcross CROSS_COMPILE=x86_64-linux-musl-; then
	check "CROSS_COMPILE=x86_64-linux-musl-: the wrapper compiled, (musl) in the size line" \
		sh -c "grep -q 'x86_64-linux-musl-gcc\$' '$tc/used' && grep -q 'bytes (musl)\$' '$W/xcross.log'"
	check "CROSS_COMPILE=x86_64-linux-musl-: the plain build's bytes" cmp -s "$W/xcross/dmboot" "$W/plain/dmboot"
else
	cat "$W/xcross.log"
	fail "CROSS_COMPILE=x86_64-linux-musl-: build failed"
fi
if build xcc CC="$tc/x86_64-linux-musl-gcc"; then
	check "CC=.../x86_64-linux-musl-gcc: (musl), static" \
		sh -c "grep -q 'bytes (musl)\$' '$W/xcc.log' && cmp -s '$W/xcc/dmboot' '$W/plain/dmboot'"
else
	cat "$W/xcc.log"
	fail "CC=.../x86_64-linux-musl-gcc: build failed"
fi
if [ -f /usr/lib/aarch64-linux-musl/musl-gcc.specs ] && command -v aarch64-linux-gnu-gcc >/dev/null; then
	mktool aarch64-linux-musl aarch64-linux-gnu-gcc /usr/lib/aarch64-linux-musl/musl-gcc.specs
	if PATH=$tc:$PATH build acc CROSS_COMPILE=aarch64-linux-musl-; then
		check "CROSS_COMPILE=aarch64-linux-musl-: (musl), static aarch64" \
			sh -c "grep -q 'bytes (musl)\$' '$W/acc.log' && readelf -h '$W/acc/dmboot' | grep -q AArch64"
		check "CROSS_COMPILE=aarch64-linux-musl-: static" is_static "$W/acc/dmboot"
		if command -v qemu-aarch64-static >/dev/null; then
			check "CROSS_COMPILE=aarch64-linux-musl-: --version runs under qemu-aarch64-static" \
				test "$(qemu-aarch64-static "$W/acc/dmboot" --version)" = "$(cat VERSION)"
		fi
	else
		cat "$W/acc.log"
		fail "CROSS_COMPILE=aarch64-linux-musl-: build failed"
	fi
fi
# No Kconfig conf program: one line saying what to install or set.
make O="$W/noconf" CONFIG="$W/noconf.config" KCONFIG_CONF="$W/no-such-conf" tiny_defconfig >"$W/noconf.log" 2>&1
check "KCONFIG_CONF= a missing program: one line naming it and kconfig-frontends, no config" \
	sh -c "[ \$(grep -c 'dmboot: make: $W/no-such-conf: not found: install kconfig-frontends' '$W/noconf.log') = 1 ] && [ ! -e '$W/noconf.config' ]"
# A LIBC= that is none of the three: that, in one line, whatever the compiler.
build badlibc LIBC=bogus
check "LIBC=bogus: 'LIBC must be musl, dietlibc or glibc' in one line, no binary" \
	sh -c "[ \$(grep -c 'dmboot: make: LIBC=bogus: LIBC must be musl, dietlibc or glibc' '$W/badlibc.log') = 1 ] && [ ! -e '$W/badlibc/dmboot' ]"
if command -v mips-linux-gnu-gcc >/dev/null && [ ! -f /usr/lib/mips-linux-musl/musl-gcc.specs ]; then
	build mipsmusl CROSS_COMPILE=mips-linux-gnu- LIBC=musl
	check "CROSS_COMPILE=mips-linux-gnu- LIBC=musl (no musl for it): one line saying what to do" \
		sh -c "[ \$(grep -c 'dmboot: make: LIBC=musl: .*install .*musl' '$W/mipsmusl.log') = 1 ] && [ ! -e '$W/mipsmusl/dmboot' ]"
	# Without LIBC=: the compiler's glibc, static, and the size line says so.
	if make -s -n -p O="$W/mips" CONFIG="$W/v.config" CROSS_COMPILE=mips-linux-gnu- 2>/dev/null >"$W/mips.db"; then
		check "CROSS_COMPILE=mips-linux-gnu-: glibc, linked static, said so" \
			sh -c "grep -qx 'LIBC := glibc' '$W/mips.db' && grep -q '^LIBC_NOTE := , static' '$W/mips.db' && grep -q '^LDSTATIC := -static' '$W/mips.db'"
	else
		fail "CROSS_COMPILE=mips-linux-gnu-: make -n failed"
	fi
fi

# ---- V=1 --------------------------------------------------------------------
rm -f "$W/plain/main.o"
make O="$W/plain" CONFIG="$W/v.config" V=1 "$W/plain/dmboot" >"$W/v1.log" 2>&1
check "V=1 prints the compile and link commands" \
	sh -c "grep -qE '^musl-gcc .* -Oz .* -c -o $W/plain/main.o src/main.c' '$W/v1.log' && grep -qE '^musl-gcc .* -no-pie .* -o $W/plain/dmboot ' '$W/v1.log'"
rm -f "$W/plain/main.o"
make O="$W/plain" CONFIG="$W/v.config" "$W/plain/dmboot" >"$W/v0.log" 2>&1
check "no V=: '  CC main.o', no command" \
	sh -c "grep -qx '  CC $W/plain/main.o' '$W/v0.log' && ! grep -q -- '-Oz' '$W/v0.log'"

# ---- two trees at different paths -------------------------------------------
# A copy of the tree as it stands (committed or not), built in each.
copy_tree() {
	mkdir -p "$1"
	git ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
		xargs -0 tar cf - 2>/dev/null | tar xf - -C "$1"
}
t1=$W/t/a t2=$W/trees/a-longer-path/b
copy_tree "$t1"
copy_tree "$t2"
for t in "$t1" "$t2"; do
	make -s -C "$t" CONFIG=v.config verity_defconfig
	make -s -C "$t" O=o CONFIG=v.config >/dev/null 2>&1
	make -s -C "$t" O=og CONFIG=v.config CFLAGS=-g LDFLAGS_STRIP= >/dev/null 2>&1
done
check "two trees at different paths: identical bytes" cmp -s "$t1/o/dmboot" "$t2/o/dmboot"
check "two trees, -g unstripped: identical bytes, no path of either" \
	sh -c "cmp -s '$t1/og/dmboot' '$t2/og/dmboot' && ! grep -q 'a-longer-path' '$t2/og/dmboot'"

# ---- make install -----------------------------------------------------------
# In the first copy: the binary and docs/dmboot.8.
d=$W/dest
make -s -C "$t1" O=o CONFIG=v.config install DESTDIR="$d" PREFIX=/usr >/dev/null
mode() { stat -c %a "$1" 2>/dev/null; }
check "install: /usr/sbin/dmboot 755, the built bytes" \
	sh -c "[ '$(mode "$d/usr/sbin/dmboot")' = 755 ] && cmp -s '$d/usr/sbin/dmboot' '$t1/o/dmboot'"
check "install: /usr/share/man/man8/dmboot.8 644" \
	sh -c "[ '$(mode "$d/usr/share/man/man8/dmboot.8")' = 644 ] && cmp -s '$d/usr/share/man/man8/dmboot.8' '$t1/docs/dmboot.8'"
check "install: dmboot and dmboot.8, nothing else" \
	test "$(cd "$d" && find . -type f -o -type l | sort | tr '\n' ' ')" = "./usr/sbin/dmboot ./usr/share/man/man8/dmboot.8 "
d2=$W/dest2
make -s -C "$t1" O=o CONFIG=v.config install-links DESTDIR="$d2" SBINDIR=/sbin MANDIR=/man >/dev/null
check "install-links SBINDIR=/sbin MANDIR=/man: /sbin/dmsetup -> dmboot (what verity_defconfig answers to), /man/man8/dmboot.8" \
	sh -c "[ \"\$(readlink '$d2/sbin/dmsetup')\" = dmboot ] && [ -f '$d2/man/man8/dmboot.8' ] && [ ! -e '$d2/sbin/veritysetup' ]"
make -s -C "$t1" O=o CONFIG=v.config install DESTDIR="$d2" SBINDIR=/sbin MANDIR=/man LINKS="veritysetup cryptsetup" >/dev/null
check "install LINKS='veritysetup cryptsetup': both links" \
	sh -c "[ \"\$(readlink '$d2/sbin/veritysetup')\" = dmboot ] && [ \"\$(readlink '$d2/sbin/cryptsetup')\" = dmboot ]"
ln -s busybox "$d2/sbin/losetup"
make -s -C "$t1" O=o CONFIG=v.config uninstall DESTDIR="$d2" SBINDIR=/sbin MANDIR=/man >/dev/null
check "uninstall: binary, page and links gone, another link kept" \
	test "$(cd "$d2" && find . -type f -o -type l | tr '\n' ' ')" = "./sbin/losetup "
if make -s -C "$t1" O=nothing CONFIG=v.config install DESTDIR="$W/dest3" >"$W/noinst.log" 2>&1; then
	fail "install with nothing built succeeded"
else
	check "install with nothing built: one line, nothing installed, nothing built" \
		sh -c "[ \$(grep -c '^dmboot: make install: no nothing/dmboot: run make first' '$W/noinst.log') = 1 ] && [ ! -e '$W/dest3' ] && [ ! -e '$t1/nothing' ]"
fi
# install after a build with other flags: the binary as built, no rebuild.
before=$(stat -c %Y "$t1/o/dmboot")
make -s -C "$t1" O=o CONFIG=v.config CFLAGS=-O2 install DESTDIR="$W/dest4" >/dev/null
check "install with other CFLAGS: installs the built binary, rebuilds nothing" \
	sh -c "[ $before = \$(stat -c %Y '$t1/o/dmboot') ] && cmp -s '$W/dest4/usr/local/sbin/dmboot' '$t1/o/dmboot'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
