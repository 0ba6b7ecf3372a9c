# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The qlink authors
include $(sort $(wildcard $(BR2_EXTERNAL_QLINK_PATH)/package/*/*.mk))
