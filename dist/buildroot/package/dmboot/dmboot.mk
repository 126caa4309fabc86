# SPDX-License-Identifier: MIT
################################################################################
#
# dmboot
#
################################################################################

DMBOOT_VERSION = 0.1.0
# This br2-external tree is dist/buildroot of the dmboot source tree: the
# package builds that tree (see README.md to fetch a release instead).
DMBOOT_SITE = $(realpath $(BR2_EXTERNAL_DMBOOT_PATH)/../..)
DMBOOT_SITE_METHOD = local
# A working tree's own builds and .config are no part of the source.
DMBOOT_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = \
	--exclude /build --exclude /.config --exclude /.config.old
DMBOOT_LICENSE = MIT
DMBOOT_LICENSE_FILES = LICENSE

# Outputs stay in $(@D)/out whatever the source tree had under build/.
# Buildroot's own Kconfig conf turns the defconfig into a .config, so the
# build host needs no kconfig-frontends.
DMBOOT_MAKE_OPTS = \
	$(TARGET_CONFIGURE_OPTS) \
	CROSS_COMPILE="$(TARGET_CROSS)" \
	KCONFIG_CONF=$(BUILD_DIR)/buildroot-config/conf \
	O=$(@D)/out \
	CONFIG=$(@D)/out/dmboot.config

ifeq ($(BR2_PACKAGE_DMBOOT_USE_CUSTOM_CONFIG),y)
DMBOOT_CONFIG_FILE = $(call qstrip,$(BR2_PACKAGE_DMBOOT_CUSTOM_CONFIG_FILE))
define DMBOOT_CONFIGURE_CMDS
	$(INSTALL) -D -m 0644 $(DMBOOT_CONFIG_FILE) $(@D)/out/dmboot.config
endef
else
define DMBOOT_CONFIGURE_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(DMBOOT_MAKE_OPTS) \
		$(call qstrip,$(BR2_PACKAGE_DMBOOT_DEFCONFIG))_defconfig
endef
endif

define DMBOOT_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(DMBOOT_MAKE_OPTS)
endef

define DMBOOT_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(DMBOOT_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) PREFIX=/usr \
		$(if $(BR2_PACKAGE_DMBOOT_LINKS),LINKS="dmsetup veritysetup cryptsetup") \
		install
endef

$(eval $(generic-package))
