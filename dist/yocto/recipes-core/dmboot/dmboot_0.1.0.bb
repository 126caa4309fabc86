# SPDX-License-Identifier: MIT
SUMMARY = "Static device-mapper activation for early boot: dm-verity, dm-crypt, LUKS"
DESCRIPTION = "dmboot activates device-mapper tables with dmsetup's, \
veritysetup's and cryptsetup's command lines, systemd's veritytab and \
crypttab, and as a shell-less /init reading dm-mod.create=, roothash= and \
rd.luks.* from the kernel command line. One static binary."
SECTION = "base"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://LICENSE;md5=d2b7c898aa16edd4eaa8fe4a31211934"

# The dmboot tree this layer is part of (conf/layer.conf); point
# EXTERNALSRC:pn-dmboot elsewhere in local.conf for another checkout.
inherit externalsrc
EXTERNALSRC ?= "${DMBOOT_SRCDIR}"

# One of dmboot's configs/NAME_defconfig: tiny, verity, boot, luks, full.
DMBOOT_DEFCONFIG ?= "full"
# Or a .config of your own (as dmboot's make menuconfig writes it), by
# absolute path; it wins over DMBOOT_DEFCONFIG.
DMBOOT_CONFIG_FILE ?= ""
# Multi-call links next to /usr/sbin/dmboot, e.g. "dmsetup veritysetup cryptsetup".
DMBOOT_LINKS ?= ""

# Built and tested with musl only (TCLIBC = "musl", as poky-tiny has it).
COMPATIBLE_HOST:libc-glibc = "null"

# CFLAGS and LDFLAGS are added to dmboot's own (static, no-pie, size
# flags); the libc comes from the compiler.
EXTRA_OEMAKE = "\
    'CC=${CC}' \
    'CROSS_COMPILE=${TARGET_PREFIX}' \
    'CFLAGS=${CFLAGS}' \
    'CPPFLAGS=${CPPFLAGS}' \
    'LDFLAGS=${LDFLAGS}' \
    'O=${B}' \
    'CONFIG=${B}/dmboot.config' \
    V=1 \
"

do_configure() {
	if [ -n "${DMBOOT_CONFIG_FILE}" ]; then
		install -m 0644 "${DMBOOT_CONFIG_FILE}" ${B}/dmboot.config
	else
		oe_runmake -C ${S} ${DMBOOT_DEFCONFIG}_defconfig
	fi
}
do_configure[file-checksums] += "${@'${DMBOOT_CONFIG_FILE}:True' if d.getVar('DMBOOT_CONFIG_FILE') else ''}"

do_compile() {
	oe_runmake -C ${S}
}

do_install() {
	oe_runmake -C ${S} install DESTDIR=${D} PREFIX=${prefix} \
		SBINDIR=${sbindir} MANDIR=${mandir} LINKS="${DMBOOT_LINKS}"

	# dmboot-init: dmboot as /init and what it needs before any
	# mount (initramfs/dmboot.list of the source tree).
	ln -s ${sbindir}/dmboot ${D}/init
	install -d -m 0755 ${D}/dev ${D}/run ${D}/newroot \
		${D}${sysconfdir}/dmboot ${D}${nonarch_base_libdir}/modules
	install -d -m 0555 ${D}/proc ${D}/sys
	mknod -m 0600 ${D}/dev/console c 5 1
}

PACKAGES =+ "${PN}-init"
FILES:${PN}-init = "/init /dev /proc /sys /run /newroot ${sysconfdir}/dmboot \
    ${nonarch_base_libdir}/modules"
RDEPENDS:${PN}-init = "${PN}"

# dmboot strips itself (section headers too: initramfs/sstrip.sh); there
# is nothing left for a -dbg package.
INSANE_SKIP:${PN} += "already-stripped"
