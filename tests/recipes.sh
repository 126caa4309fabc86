#!/bin/sh
# SPDX-License-Identifier: MIT
# The recipes of dist/ built as Buildroot, Yocto and OpenWrt build them,
# with each system's usual flags and a musl cross compiler named as each
# names its own, for aarch64 and x86_64. The recipes' own text drives the
# builds: dmboot.mk's configure/build/install commands and the OpenWrt
# Makefile's Build/* and Package/dmboot/install run in GNU make beside
# stand-ins for the variables Buildroot's package/Makefile.in and
# OpenWrt's rules.mk and package.mk give them; the .bb's EXTRA_OEMAKE and
# do_configure/do_compile/do_install are expanded as BitBake would and run
# in sh. Each system's Config.in goes through kconfig-conf to make the
# configuration the recipe reads.
# The compilers: aarch64-linux-gnu-gcc (x86_64-linux-gnu-gcc) with
# /usr/lib/ARCH-linux-musl/musl-gcc.specs, as musl-gcc runs gcc, so that
# musl is their only C library and no LIBC= is passed; -dumpmachine says
# their own triple, as a real musl cross gcc does. Buildroot's also adds
# what its toolchain wrapper adds (stack protector, -fPIE -pie unless
# -static/-no-pie/-fno-pie, relro and now).
# Checked for each build: DESTDIR holds usr/sbin/dmboot (and the man page,
# links and /init where the recipe installs them), a static executable of
# the right machine (EXEC, no INTERP, no DYNAMIC), that runs (qemu-user for
# aarch64) and says the version, and is at most RECIPES_SLACK percent
# (default 15) larger than `make CROSS=aarch64-linux-gnu-` (plain `make`
# for x86_64) of the same defconfig.
#   tests/recipes.sh [buildroot|yocto|openwrt...]
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
W=$TOP/build/recipes
SLACK=${RECIPES_SLACK:-15}
JOBS=-j2
rm -rf "$W"
mkdir -p "$W/tc" "$W/ref"
rc=0
summary=

fail() {
	echo "recipes: $*" >&2
	rc=1
}

# VERSION file of the build interface, else the Makefile's VERSION :=.
if [ -f VERSION ]; then
	version=$(cat VERSION)
else
	version=$(sed -n 's/^VERSION := //p' Makefile)
fi
[ -n "$version" ] || { echo "recipes: no version in VERSION or Makefile" >&2; exit 1; }

# --- the compilers -------------------------------------------------------
tools="ar as ld nm objcopy objdump ranlib readelf size strip"
for arch in aarch64 x86_64; do
	specs=/usr/lib/$arch-linux-musl/musl-gcc.specs
	[ -f "$specs" ] || { echo "recipes: no $specs (tests/deps.sh installs it)" >&2; exit 1; }
	for vendor in buildroot poky openwrt; do
		t=$arch-$vendor-linux-musl
		if [ "$vendor" = buildroot ]; then
			hard='pie="-fPIE -pie"
for a; do
	case $a in -r | -Wl,-r | -static | -fno-pie | -fno-PIE | -no-pie) pie= ;; esac
done
set -- -fstack-protector-strong $pie -Wl,-z,now -Wl,-z,relro "$@"'
		else
			hard=
		fi
		cat >"$W/tc/$t-gcc" <<EOF
#!/bin/sh
# $t-gcc: Debian's $arch gcc with musl (musl-gcc's specs).
[ "\$*" = -dumpmachine ] && { echo $t; exit 0; }
$hard
exec $arch-linux-gnu-gcc "\$@" -specs $specs
EOF
		chmod +x "$W/tc/$t-gcc"
		for tool in $tools; do
			ln -sf "/usr/bin/$arch-linux-gnu-$tool" "$W/tc/$t-$tool"
		done
	done
done
PATH=$W/tc:$PATH
export PATH

# --- what the plain build gives ------------------------------------------
# ref ARCH DEFCONFIG: its size, built once.
ref() {
	local o=$W/ref/$1-$2
	if [ ! -f "$o/dmboot" ]; then
		make -s CONFIG="$o.config" "$2_defconfig" >/dev/null
		if [ "$1" = aarch64 ]; then
			make -s $JOBS CROSS=aarch64-linux-gnu- O="$o" CONFIG="$o.config" >/dev/null
		else
			make -s $JOBS O="$o" CONFIG="$o.config" >/dev/null
		fi
	fi
	stat -c %s "$o/dmboot"
}

# musl LOG RECIPE WHAT: the libc came from the compiler, not from LIBC=.
musl_check() {
	grep -q 'bytes (musl)$' "$1" || fail "$3: the Makefile did not build for musl ($1)"
	! grep -nE '(^|[^A-Z_])LIBC=' "$2" || fail "$3: $2 passes LIBC="
}

# check SYSTEM ARCH DEFCONFIG DESTDIR MAN LINKS INIT: what an install left.
check() {
	local sys=$1 arch=$2 cfg=$3 d=$4 b what machine run v size plain max man l dir
	b=$d/usr/sbin/dmboot
	what="$sys $arch ${cfg}_defconfig"
	[ -f "$b" ] || { fail "$what: no usr/sbin/dmboot in DESTDIR"; return; }
	case $arch in
	aarch64) machine=AArch64 run=qemu-aarch64-static ;;
	x86_64) machine='X86-64' run= ;;
	esac
	readelf -h "$b" | grep -q "Type:.*EXEC" || fail "$what: not an EXEC ELF (PIE?)"
	readelf -h "$b" | grep -q "Machine:.*$machine" || fail "$what: not $machine"
	if readelf -l "$b" | grep -qE 'INTERP|DYNAMIC'; then
		fail "$what: dynamically linked (INTERP or DYNAMIC program header)"
	fi
	v=$($run "$b" --version 2>&1) || fail "$what: --version failed: $v"
	[ "$v" = "$version" ] || fail "$what: --version says '$v', not '$version'"
	size=$(stat -c %s "$b")
	plain=$(ref "$arch" "$cfg")
	max=$((plain * (100 + SLACK) / 100))
	[ "$size" -le "$max" ] ||
		fail "$what: $size bytes, more than $SLACK% over the plain build's $plain"
	man=$d/usr/share/man/man8/dmboot.8
	if [ "$5" = yes ]; then
		cmp -s docs/dmboot.8 "$man" || fail "$what: no man page in DESTDIR"
	elif [ "$5" = no ] && [ -e "$man" ]; then
		fail "$what: a man page where the recipe ships none"
	fi
	for l in dmsetup veritysetup cryptsetup; do
		if [ "$6" = yes ]; then
			[ -L "$d/usr/sbin/$l" ] && [ "$d/usr/sbin/$l" -ef "$b" ] ||
				fail "$what: usr/sbin/$l is no link to dmboot"
		elif [ -e "$d/usr/sbin/$l" ]; then
			fail "$what: usr/sbin/$l installed without links asked"
		fi
	done
	# dmboot as /init: what initramfs/dmboot.list has, /init a link.
	if [ "$7" = yes ]; then
		[ "$(readlink "$d/init")" = /usr/sbin/dmboot ] ||
			fail "$what: /init is not a link to /usr/sbin/dmboot"
		while read -r type path mode uid gid kind maj min; do
			case $type in
			dir)
				[ "$(stat -c %F:%a "$d$path" 2>/dev/null)" = "directory:${mode#0}" ] ||
					fail "$what: no directory $path ($mode)"
				;;
			nod)
				[ "$(stat -c %F:%a:%t:%T "$d$path" 2>/dev/null)" = "character special file:${mode#0}:$(printf %x "$maj"):$(printf %x "$min")" ] ||
					fail "$what: no node $path ($kind $maj $min, $mode)"
				;;
			esac
		done <initramfs/dmboot.list
	fi
	summary="$summary$(printf '  %-9s %-7s %-16s %7d bytes (plain %d)' \
		"$sys" "$arch" "${cfg}_defconfig" "$size" "$plain")
"
}

# kconf KCONFIG OUT PREFIX SYMBOL=VALUE...: a .config from the recipe's
# Config.in with these symbols set; each must survive (no broken depends).
kconf() {
	local k=$1 out=$2 prefix=$3 s
	shift 3
	printf '%s\n' "$@" >"$out.in"
	CONFIG_=$prefix KCONFIG_CONFIG=$out kconfig-conf -s --defconfig="$out.in" "$k" >/dev/null
	for s; do
		grep -qx "$s" "$out" || { fail "$k: $s does not hold"; return 1; }
	done
}

# choices ENABLE PREFIX KCONFIG DIR KPREFIX: every configs/NAME_defconfig
# is offered, and choosing it names it.
choices() {
	local f n N
	for f in configs/*_defconfig; do
		n=$(basename "$f" _defconfig)
		N=$(echo "$n" | tr a-z A-Z)
		kconf "$3" "$4/choice-$n" "$5" "$1=y" "${2}_DEFCONFIG_$N=y" \
			"${2}_DEFCONFIG=\"$n\"" || fail "$3: no choice for configs/${n}_defconfig"
	done
}

# --- Buildroot -----------------------------------------------------------
buildroot() { # ARCH CHOICE-SYMBOL-SUFFIX DEFCONFIG LINKS
	local arch=$1 choice=$2 cfg=$3 links=$4 w=$W/buildroot-$1 ext f
	mkdir -p "$w"
	# BR2_EXTERNAL_<name>_PATH, <name> from external.desc, as Buildroot's
	# generated .br2-external.in defines it for the tree's Config.in.
	ext=BR2_EXTERNAL_$(sed -n 's/^name: *//p' dist/buildroot/external.desc)_PATH
	cat >"$w/Config.in" <<EOF
mainmenu "Buildroot stand-in"
config BR2_TOOLCHAIN_USES_MUSL
	def_bool y
config BR2_PACKAGE_LVM2
	bool "lvm2"
config BR2_PACKAGE_CRYPTSETUP
	bool "cryptsetup"
config $ext
	string
	default "$TOP/dist/buildroot"
source "$TOP/dist/buildroot/Config.in"
EOF
	set -- BR2_PACKAGE_DMBOOT=y "BR2_PACKAGE_DMBOOT_$choice=y"
	if [ "$links" = yes ]; then
		set -- "$@" BR2_PACKAGE_DMBOOT_LINKS=y
	fi
	if [ "$choice" = USE_CUSTOM_CONFIG ]; then
		# A .config of the user's own: the defconfig's, as a file.
		make -s CONFIG="$w/my.config" "${cfg}_defconfig" >/dev/null
		set -- "$@" "BR2_PACKAGE_DMBOOT_CUSTOM_CONFIG_FILE=\"$w/my.config\""
	fi
	kconf "$w/Config.in" "$w/.config" "" "$@" || return 0
	[ "$arch" = aarch64 ] && choices BR2_PACKAGE_DMBOOT BR2_PACKAGE_DMBOOT "$w/Config.in" "$w" ""
	# package/Makefile.in's variables for this toolchain and the
	# defaults of Buildroot's Config.in (-O2, no debug, 64-bit file
	# offsets; the wrapper adds the hardening), then the steps of
	# pkg-generic.mk that this package has.
	# Buildroot's Kconfig conf (BUILD_DIR/buildroot-config/conf), stood in
	# by kconfig-conf behaving as Buildroot's does: it reads BR2_CONFIG and
	# the CONFIG_ prefix, never KCONFIG_CONFIG. The recipe must use it.
	mkdir -p "$w/build/buildroot-config"
	rm -f "$w/build/buildroot-config/used"
	cat >"$w/build/buildroot-config/conf" <<'CONF'
#!/bin/sh
# SPDX-License-Identifier: MIT
[ -n "${BR2_CONFIG:-}" ] && [ "${CONFIG_:-}" = CONFIG_ ] || { echo "conf: no BR2_CONFIG or CONFIG_" >&2; exit 1; }
echo "$*" >>"$(dirname "$0")/used"
KCONFIG_CONFIG=$BR2_CONFIG exec kconfig-conf "$@"
CONF
	chmod +x "$w/build/buildroot-config/conf"
	cat >"$w/Makefile" <<EOF
include $w/.config
$ext := $TOP/dist/buildroot
BUILD_DIR := $w/build
TARGET_DIR := $w/target
HOST_DIR := $w/host
MAKE := \$(MAKE) $JOBS
INSTALL := install
qstrip = \$(strip \$(subst ",,\$(1)))
TARGET_CROSS := $arch-buildroot-linux-musl-
TARGET_CC := \$(TARGET_CROSS)gcc
TARGET_CPPFLAGS := -D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64
TARGET_CFLAGS := \$(TARGET_CPPFLAGS) -O2 -g0
TARGET_LDFLAGS := -ztext
TARGET_MAKE_ENV := GIT_DIR=. PATH=\$(HOST_DIR)/bin:\$(PATH)
TARGET_CONFIGURE_OPTS = \$(TARGET_MAKE_ENV) AR="\$(TARGET_CROSS)ar" \\
	AS="\$(TARGET_CROSS)as" LD="\$(TARGET_CROSS)ld" NM="\$(TARGET_CROSS)nm" \\
	CC="\$(TARGET_CC)" GCC="\$(TARGET_CC)" CPP="\$(TARGET_CROSS)cpp" \\
	RANLIB="\$(TARGET_CROSS)ranlib" READELF="\$(TARGET_CROSS)readelf" \\
	STRIP="\$(TARGET_CROSS)strip" OBJCOPY="\$(TARGET_CROSS)objcopy" \\
	OBJDUMP="\$(TARGET_CROSS)objdump" CPPFLAGS="\$(TARGET_CPPFLAGS)" \\
	CFLAGS="\$(TARGET_CFLAGS)" LDFLAGS="\$(TARGET_LDFLAGS)"
include $TOP/dist/buildroot/external.mk
D := \$(BUILD_DIR)/dmboot-\$(DMBOOT_VERSION)
all: \$(D)/.stamp_target_installed
\$(D)/.stamp_rsynced:
	mkdir -p \$(@D)
	rsync -au --chmod=u=rwX,go=rX \$(DMBOOT_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS) --exclude .git \$(DMBOOT_SITE)/ \$(@D)
	touch \$@
\$(D)/.stamp_configured: \$(D)/.stamp_rsynced
	\$(DMBOOT_CONFIGURE_CMDS)
	touch \$@
\$(D)/.stamp_built: \$(D)/.stamp_configured
	\$(DMBOOT_BUILD_CMDS)
	touch \$@
\$(D)/.stamp_target_installed: \$(D)/.stamp_built
	\$(DMBOOT_INSTALL_TARGET_CMDS)
	touch \$@
EOF
	grep -qx "DMBOOT_VERSION = $version" dist/buildroot/package/dmboot/dmboot.mk ||
		fail "buildroot: dmboot.mk's DMBOOT_VERSION is not $version"
	grep -qx 'DMBOOT_LICENSE = MIT' dist/buildroot/package/dmboot/dmboot.mk ||
		fail "buildroot: DMBOOT_LICENSE is not MIT"
	if ! make -C "$w" -f "$w/Makefile" >"$w/log" 2>&1; then
		tail -20 "$w/log"
		fail "buildroot $arch: the package's commands failed ($w/log)"
		return 0
	fi
	musl_check "$w/log" dist/buildroot/package/dmboot/dmboot.mk "buildroot $arch"
	[ -s "$w/build/buildroot-config/used" ] ||
		fail "buildroot $arch: the package did not use Buildroot's conf (KCONFIG_CONF=\$(BUILD_DIR)/buildroot-config/conf)"
	# make legal-info copies DMBOOT_LICENSE_FILES from the build dir.
	for f in $(make -s -f "$w/Makefile" --eval 'print-lf: ; @echo $(DMBOOT_LICENSE_FILES)' print-lf); do
		[ -f "$w/build/dmboot-$version/$f" ] || fail "buildroot: license file $f is not in the package"
	done
	check buildroot "$arch" "$cfg" "$w/target" yes "$links" no
}

# --- Yocto ---------------------------------------------------------------
# The recipe's variables and shell tasks, expanded as BitBake does for a
# qemuarm64 / qemux86-64 machine of poky-tiny (TCLIBC musl):
# openembedded-core's bitbake.conf (CFLAGS -O2 -g, the prefix maps, -pipe;
# LDFLAGS -Wl,-O1, GNU hash, --as-needed) and security_flags.inc (stack
# protector, _FORTIFY_SOURCE=2 and the format checks in CC through
# TARGET_CC_ARCH, relro and now in LDFLAGS); DMBOOT_DEFCONFIG as local.conf
# would set it. Its gcc makes PIEs by default, as Debian's does. As
# bitbake -e dmboot showed them for qemuarm64 (openembedded-core at
# 35a2c6ed79, bitbake at c251833d2), less -fcanon-prefix-map, which is
# gcc 13's and Debian 12's gcc 12 rejects.
yocto() { # ARCH DEFCONFIG CUSTOM LINKS
	local arch=$1 cfg=$2 custom= links=$4 w=$W/yocto-$1 tune md5
	mkdir -p "$w/build" "$w/image" "$w/sysroot"
	if [ "$3" = yes ]; then
		# DMBOOT_CONFIG_FILE: a .config of the user's own (the defconfig's).
		custom=$w/my.config
		make -s CONFIG="$custom" "${cfg}_defconfig" >/dev/null
	fi
	case $arch in
	aarch64) tune='-mcpu=cortex-a57+crc -mbranch-protection=standard' ;;
	x86_64) tune='-m64 -march=core2 -mtune=core2 -msse3 -mfpmath=sse' ;;
	esac
	python3 - "$TOP/dist/yocto" "$w" "$arch" "$tune" "$cfg" "$JOBS" "$custom" \
		"$([ "$links" = yes ] && echo dmsetup veritysetup cryptsetup)" >"$w/run.sh" <<'EOF' || { fail "yocto $arch: the recipe does not expand"; return 0; }
import os, re, sys
layer, w, arch, tune, defconfig, jobs, custom, links = sys.argv[1:]
bb = layer + "/recipes-core/dmboot/dmboot_0.1.0.bb"
pn, pv = "dmboot", "0.1.0"
s_dir = os.path.normpath(layer + "/../..")
d = {
    "PN": pn, "PV": pv, "BPN": pn, "LAYERDIR": layer,
    "TARGET_PREFIX": arch + "-poky-linux-musl-",
    "TARGET_SYS": arch + "-poky-linux-musl",
    "B": w + "/build", "D": w + "/image", "WORKDIR": w,
    "STAGING_DIR_TARGET": w + "/sysroot",
    "prefix": "/usr", "exec_prefix": "/usr", "sbindir": "/usr/sbin",
    "base_sbindir": "/sbin", "bindir": "/usr/bin", "mandir": "/usr/share/man",
    "sysconfdir": "/etc", "datadir": "/usr/share", "nonarch_base_libdir": "/lib",
    "MAKE": "make", "PARALLEL_MAKE": jobs,
    "TOOLCHAIN_OPTIONS": " --sysroot=${STAGING_DIR_TARGET}",
    "HOST_CC_ARCH": tune + " ${SECURITY_CFLAGS}",
    "CC": "${TARGET_PREFIX}gcc ${HOST_CC_ARCH}${TOOLCHAIN_OPTIONS}",
    "CPPFLAGS": "",
    "DEBUG_PREFIX_MAP": "-ffile-prefix-map=${S}=/usr/src/debug/${PN}/${PV} "
        "-ffile-prefix-map=${B}=/usr/src/debug/${PN}/${PV} "
        "-ffile-prefix-map=${STAGING_DIR_TARGET}=",
    "SECURITY_CFLAGS": "-fstack-protector-strong -O2 -D_FORTIFY_SOURCE=2 "
        "-Wformat -Wformat-security -Werror=format-security",
    "CFLAGS": "${CPPFLAGS} -O2 -g ${DEBUG_PREFIX_MAP} -pipe",
    "LDFLAGS": "-Wl,-O1 -Wl,--hash-style=gnu -Wl,--as-needed -Wl,-z,relro,-z,now",
}
# A .config of one's own beside the recipe's default DMBOOT_DEFCONFIG
# (full): the size check sees which one was built.
local_conf = {"DMBOOT_CONFIG_FILE": custom} if custom else {"DMBOOT_DEFCONFIG": defconfig}
if links:
    local_conf["DMBOOT_LINKS"] = links

def expand(v, depth=0):
    if depth > 20:
        sys.exit("recursive " + v)
    def var(m):
        k = m.group(1)
        if k not in d:
            sys.exit("%s: ${%s} is not one this test models" % (bb, k))
        return expand(d[k], depth + 1)
    v = re.sub(r"\$\{([A-Za-z0-9_\-]+)\}", var, v)
    def py(m):
        return str(eval(m.group(1), {"os": os, "d": None}))
    return re.sub(r"\$\{@(.*?)\}(?=['\"\s]|$)", py, v)

# layer.conf's DMBOOT_SRCDIR, as BitBake expands ${LAYERDIR} in it.
for line in open(layer + "/conf/layer.conf"):
    m = re.match(r"^DMBOOT_SRCDIR\s*=\s*'(.*)'\s*$", line)
    if m:
        d["DMBOOT_SRCDIR"] = expand(m.group(1))
if d.get("DMBOOT_SRCDIR") != s_dir:
    sys.exit("layer.conf: DMBOOT_SRCDIR is %r, not the tree %r" % (d.get("DMBOOT_SRCDIR"), s_dir))

text = open(bb).read().replace("\\\n", " ")
funcs, inherits = {}, []
lines = iter(text.split("\n"))
for line in lines:
    m = re.match(r"^(do_[a-z_]+)\(\)\s*\{\s*$", line)
    if m:
        body = []
        for l in lines:
            if l == "}":
                break
            body.append(l)
        funcs[m.group(1)] = "\n".join(body)
        continue
    m = re.match(r"^inherit\s+(.*)$", line)
    if m:
        inherits += m.group(1).split()
        continue
    m = re.match(r'^([A-Za-z0-9_]+)\s*(\?\?=|\?=|=)\s*"(.*)"\s*$', line)
    if m:
        k, op, v = m.groups()
        if op == "=" or k not in d:
            d[k] = v
d.update(local_conf)
# externalsrc: S is EXTERNALSRC, B a directory of its own.
if "externalsrc" in inherits:
    d["S"] = expand(d["EXTERNALSRC"])
else:
    sys.exit(bb + ": this test knows the externalsrc recipe only")
if d["S"] != s_dir:
    sys.exit("%s: S is %r, not the tree %r" % (bb, d["S"], s_dir))
for k, want in (("LICENSE", "MIT"),):
    if d.get(k) != want:
        sys.exit("%s: %s is %r, not %r" % (bb, k, d.get(k), want))
print("set -e")
print("oe_runmake() {\n\t%s %s %s \"$@\"\n}" % (expand("${MAKE}"), jobs, expand(d["EXTRA_OEMAKE"])))
for t in ("do_configure", "do_compile", "do_install"):
    if t not in funcs:
        sys.exit("%s: no %s" % (bb, t))
    print("%s() {\n%s\n}" % (t, expand(funcs[t])))
    print("(cd %s && %s)" % (d["B"], t))
EOF
	# LIC_FILES_CHKSUM: the md5 BitBake will find.
	md5=$(md5sum LICENSE | cut -d' ' -f1)
	grep -q "LIC_FILES_CHKSUM = \"file://LICENSE;md5=$md5\"" dist/yocto/recipes-core/dmboot/dmboot_0.1.0.bb ||
		fail "yocto: LIC_FILES_CHKSUM is not file://LICENSE;md5=$md5"
	[ -f "dist/yocto/recipes-core/dmboot/dmboot_$version.bb" ] ||
		fail "yocto: the recipe is not dmboot_$version.bb"
	if ! sh "$w/run.sh" >"$w/log" 2>&1; then
		tail -20 "$w/log"
		fail "yocto $arch: the recipe's tasks failed ($w/log)"
		return 0
	fi
	musl_check "$w/log" dist/yocto/recipes-core/dmboot/dmboot_0.1.0.bb "yocto $arch"
	check yocto "$arch" "$cfg" "$w/image" yes "$links" yes
}

# --- OpenWrt -------------------------------------------------------------
# rules.mk's and package.mk's variables for an aarch64 (armsr) or x86_64
# target with OpenWrt's default flags and hardening (-fhonour-copts left
# out: it is OpenWrt's own gcc patch, and Debian's gcc 12 rejects it).
openwrt() { # ARCH CHOICE-SYMBOL-SUFFIX DEFCONFIG LINKS
	local arch=$1 choice=$2 cfg=$3 links=$4 w=$W/openwrt-$1 sdir mk
	mkdir -p "$w/include" "$w/ipkg"
	cat >"$w/Config.in" <<EOF
mainmenu "OpenWrt stand-in"
config PACKAGE_dmboot
	bool "dmboot"
config PACKAGE_dmsetup
	bool "dmsetup"
config PACKAGE_cryptsetup
	bool "cryptsetup"
source "$TOP/dist/openwrt/utils/dmboot/Config.in"
EOF
	set -- CONFIG_PACKAGE_dmboot=y "CONFIG_DMBOOT_$choice=y"
	if [ "$links" = yes ]; then
		set -- "$@" CONFIG_DMBOOT_LINKS=y
	fi
	if [ "$choice" = CUSTOM_CONFIG ]; then
		# A .config of the user's own: the defconfig's, as a file.
		make -s CONFIG="$w/my.config" "${cfg}_defconfig" >/dev/null
		set -- "$@" "CONFIG_DMBOOT_CUSTOM_CONFIG_FILE=\"$w/my.config\""
	fi
	kconf "$w/Config.in" "$w/.config" CONFIG_ "$@" || return 0
	[ "$arch" = aarch64 ] && choices CONFIG_PACKAGE_dmboot CONFIG_DMBOOT "$w/Config.in" "$w" CONFIG_
	sdir=$w/staging_dir/target-${arch}_musl
	cat >"$w/rules.mk" <<EOF
include \$(TOPDIR)/.config
INCLUDE_DIR := \$(TOPDIR)/include
BUILD_DIR := \$(TOPDIR)/build_dir
STAGING_DIR := $sdir
qstrip = \$(strip \$(subst ",,\$(1)))
TARGET_CROSS := $arch-openwrt-linux-musl-
TARGET_CC := \$(TARGET_CROSS)gcc
TARGET_CFLAGS := -Os -pipe -fno-caller-saves -fno-plt \\
	-Wno-error=unused-but-set-variable -Wno-error=unused-result \\
	-fmacro-prefix-map=\$(BUILD_DIR)/dmboot-$version=dmboot-$version \\
	-Wformat -Werror=format-security -fstack-protector -D_FORTIFY_SOURCE=1 \\
	-Wl,-z,now -Wl,-z,relro
TARGET_CPPFLAGS := -I\$(STAGING_DIR)/usr/include -I\$(STAGING_DIR)/include
TARGET_LDFLAGS := -L\$(STAGING_DIR)/usr/lib -L\$(STAGING_DIR)/lib -znow -zrelro
TARGET_CONFIGURE_OPTS = AR="\$(TARGET_CROSS)ar" AS="\$(TARGET_CC) -c" \\
	LD="\$(TARGET_CROSS)ld" NM="\$(TARGET_CROSS)nm" CC="\$(TARGET_CC)" \\
	GCC="\$(TARGET_CC)" CXX="\$(TARGET_CROSS)g++" RANLIB="\$(TARGET_CROSS)ranlib" \\
	STRIP=\$(TARGET_CROSS)strip OBJCOPY=\$(TARGET_CROSS)objcopy \\
	OBJDUMP=\$(TARGET_CROSS)objdump SIZE=\$(TARGET_CROSS)size
INSTALL_BIN := install -m0755
INSTALL_DIR := install -d -m0755
INSTALL_DATA := install -m0644
CP := cp -fpR
EOF
	cat >"$w/include/package.mk" <<EOF
PKG_BUILD_DIR := \$(BUILD_DIR)/\$(PKG_NAME)-\$(PKG_VERSION)
PKG_INSTALL_DIR := \$(PKG_BUILD_DIR)/ipkg-install
PKG_JOBS := $JOBS
SOURCE := .
define BuildPackage
all:
	\$\$(Build/Prepare)
	\$\$(Build/Configure)
	\$\$(Build/Compile)
	\$\$(call Package/\$(1)/install,$w/ipkg/\$(1))
endef
EOF
	mk=$TOP/dist/openwrt/utils/dmboot/Makefile
	grep -qx "PKG_VERSION:=$version" "$mk" || fail "openwrt: PKG_VERSION is not $version"
	grep -qx 'PKG_LICENSE:=MIT' "$mk" || fail "openwrt: PKG_LICENSE is not MIT"
	# From the feed's directory, as OpenWrt's package build does.
	if ! make -C "$TOP/dist/openwrt/utils/dmboot" TOPDIR="$w" >"$w/log" 2>&1; then
		tail -20 "$w/log"
		fail "openwrt $arch: the package's commands failed ($w/log)"
		return 0
	fi
	musl_check "$w/log" "$mk" "openwrt $arch"
	check openwrt "$arch" "$cfg" "$w/ipkg/dmboot" no "$links" no
}

[ $# -gt 0 ] || set -- buildroot yocto openwrt
for sys; do
	case $sys in
	buildroot)
		echo "== recipes: buildroot (dist/buildroot as BR2_EXTERNAL)"
		buildroot aarch64 DEFCONFIG_BOOT boot yes
		buildroot x86_64 USE_CUSTOM_CONFIG boot no
		;;
	yocto)
		echo "== recipes: yocto (dist/yocto, dmboot_$version.bb)"
		yocto aarch64 boot no no
		yocto x86_64 boot yes yes
		;;
	openwrt)
		echo "== recipes: openwrt (dist/openwrt/utils/dmboot)"
		openwrt aarch64 CUSTOM_CONFIG boot no
		openwrt x86_64 DEFCONFIG_BOOT boot yes
		;;
	*)
		echo "recipes: $sys: not buildroot, yocto or openwrt" >&2
		exit 2
		;;
	esac
done
printf '%s' "$summary"
[ "$rc" -eq 0 ] && echo "recipes: ok" || echo "recipes: FAILED"
exit $rc
