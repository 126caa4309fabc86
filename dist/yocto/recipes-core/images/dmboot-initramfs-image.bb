# SPDX-License-Identifier: MIT
SUMMARY = "Shell-less initramfs: dmboot as /init"
DESCRIPTION = "An initramfs with dmboot as /init and nothing else: the kernel \
command line (dm-mod.create=, roothash=, rd.luks.*) or /etc/veritytab and \
/etc/crypttab say which device-mapper tables open the root, then dmboot \
switches to it. Use it as INITRAMFS_IMAGE; for a smaller /init set \
DMBOOT_DEFCONFIG:pn-dmboot = \"boot\" (or \"luks\")."
LICENSE = "MIT"

PACKAGE_INSTALL = "dmboot-init ${ROOTFS_BOOTSTRAP_INSTALL}"

# No package manager, no locales, no kernel, no extra features.
IMAGE_FEATURES = ""
IMAGE_LINGUAS = ""
PACKAGE_EXCLUDE = "kernel-image-*"
NO_RECOMMENDATIONS = "1"

IMAGE_NAME_SUFFIX ?= ""
IMAGE_FSTYPES = "${INITRAMFS_FSTYPES}"
inherit image

IMAGE_ROOTFS_SIZE = "8192"
IMAGE_ROOTFS_EXTRA_SPACE = "0"
