# SPDX-License-Identifier: MIT
include $(sort $(wildcard $(BR2_EXTERNAL_DMBOOT_PATH)/package/*/*.mk))
