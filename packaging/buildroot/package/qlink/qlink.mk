################################################################################
#
# qlink
#
################################################################################

# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The qlink authors

QLINK_VERSION = 0.1.0
# Development: the qlink tree this BR2_EXTERNAL lives in, rsynced as it is.
# Releases: BR2_PACKAGE_QLINK_SITE, where qlink-VERSION.tar.gz is kept (its
# sha256 goes in qlink.hash).
ifeq ($(call qstrip,$(BR2_PACKAGE_QLINK_SITE)),)
QLINK_SITE = $(BR2_EXTERNAL_QLINK_PATH)/../..
QLINK_SITE_METHOD = local
else
QLINK_SITE = $(call qstrip,$(BR2_PACKAGE_QLINK_SITE))
endif
QLINK_LICENSE = LGPL-2.1-or-later (library), GPL-2.0-only (tools, kernel module), \
	GPL-2.0-only WITH Linux-syscall-note (kernel module ABI header)
QLINK_LICENSE_FILES = COPYING LICENSES/GPL-2.0 LICENSES/LGPL-2.1
QLINK_INSTALL_STAGING = YES
QLINK_DEPENDENCIES = host-pkgconf

QLINK_MAKE_OPTS = \
	CROSS_COMPILE="$(TARGET_CROSS)" \
	CC="$(TARGET_CC)" \
	AR="$(TARGET_AR)" \
	CFLAGS="$(TARGET_CFLAGS)" \
	LDFLAGS="$(TARGET_LDFLAGS)" \
	PREFIX=/usr \
	SYSCONFDIR=/etc \
	O=build-br

# libgpiod 2.x when the image has it, else 1.x (the Makefile builds for the
# version pkg-config reports); WITH_GPIOD=1 fails the build if neither is.
ifeq ($(BR2_PACKAGE_QLINK_GPIO),y)
QLINK_DEPENDENCIES += $(if $(BR2_PACKAGE_LIBGPIOD2),libgpiod2,libgpiod)
QLINK_MAKE_OPTS += WITH_GPIOD=1
else
QLINK_MAKE_OPTS += WITH_GPIOD=0
endif

ifeq ($(BR2_PACKAGE_QLINK_TOOLS),y)
QLINK_DEPENDENCIES += libmnl
QLINK_MAKE_OPTS += WITH_LIBMNL=1
QLINK_BUILD_TARGETS = all
QLINK_INSTALL_TARGETS = install
else
QLINK_MAKE_OPTS += WITH_LIBMNL=0
QLINK_BUILD_TARGETS = lib
QLINK_INSTALL_TARGETS = install-lib
endif

# the FOTA pre-flight asks http(s) and ftp servers with libcurl when there
ifeq ($(BR2_PACKAGE_LIBCURL),y)
QLINK_DEPENDENCIES += libcurl
QLINK_MAKE_OPTS += WITH_CURL=1
else
QLINK_MAKE_OPTS += WITH_CURL=0
endif

ifeq ($(BR2_PACKAGE_QLINK_FLEET),y)
QLINK_INSTALL_TARGETS += install-fleet
endif

ifeq ($(BR2_PACKAGE_QLINK_SIMULATOR),y)
QLINK_DEPENDENCIES += libcurl openssl
QLINK_MAKE_OPTS += WITH_SIM=1
else
QLINK_MAKE_OPTS += WITH_SIM=0
endif

# sd-bus, for ModemManager inhibition (qlink fota, ftp, --inhibit-mm)
ifeq ($(BR2_PACKAGE_SYSTEMD),y)
QLINK_DEPENDENCIES += systemd
QLINK_MAKE_OPTS += WITH_SDBUS=1
else
QLINK_MAKE_OPTS += WITH_SDBUS=0
endif

ifeq ($(BR2_INIT_SYSTEMD),y)
QLINK_MAKE_OPTS += WITH_SYSTEMD=1
else
QLINK_MAKE_OPTS += WITH_SYSTEMD=0
endif

# the rule and its helper with any udev (eudev too), not only systemd's
ifeq ($(BR2_PACKAGE_HAS_UDEV),y)
QLINK_MAKE_OPTS += WITH_UDEV=1
else
QLINK_MAKE_OPTS += WITH_UDEV=0
endif

define QLINK_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(QLINK_MAKE_OPTS) $(QLINK_BUILD_TARGETS)
endef

define QLINK_INSTALL_STAGING_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(QLINK_MAKE_OPTS) \
		DESTDIR=$(STAGING_DIR) install-lib
endef

define QLINK_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(QLINK_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) $(QLINK_INSTALL_TARGETS)
endef

# BusyBox init and SysV init: /etc/init.d/S50qlink, which starts qlink
# attach once /etc/qlink.conf names the port
ifeq ($(BR2_PACKAGE_QLINK_TOOLS),y)
define QLINK_INSTALL_INIT_SYSV
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(QLINK_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) WITH_SYSVINIT=1 INITSCRIPT=S50qlink install-data
endef
endif

# The overlays into the firmware's overlays/ and dtoverlay= into its
# config.txt (rpi-firmware installs both before us)
ifeq ($(BR2_PACKAGE_QLINK_RPI_OVERLAY),y)
QLINK_DEPENDENCIES += host-dtc rpi-firmware
QLINK_INSTALL_IMAGES = YES
QLINK_RPI_OVERLAY = $(call qstrip,$(BR2_PACKAGE_QLINK_RPI_OVERLAY_NAME))
define QLINK_BUILD_OVERLAYS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(QLINK_MAKE_OPTS) DTC=$(HOST_DIR)/bin/dtc dtbs
endef
QLINK_POST_BUILD_HOOKS += QLINK_BUILD_OVERLAYS
define QLINK_INSTALL_IMAGES_CMDS
	$(INSTALL) -d $(BINARIES_DIR)/rpi-firmware/overlays
	$(INSTALL) -m 0644 $(@D)/build-br/dts/*.dtbo $(BINARIES_DIR)/rpi-firmware/overlays/
	grep -qx 'dtoverlay=$(QLINK_RPI_OVERLAY)' $(BINARIES_DIR)/rpi-firmware/config.txt || \
		echo 'dtoverlay=$(QLINK_RPI_OVERLAY)' >> $(BINARIES_DIR)/rpi-firmware/config.txt
endef
endif

# qlink.ko, built against the configured kernel by the kernel-module
# infrastructure from kmod/ (whose Kbuild finds the uapi header itself)
ifeq ($(BR2_PACKAGE_QLINK_KERNEL_MODULE),y)
QLINK_MODULE_SUBDIRS = kmod
$(eval $(kernel-module))
endif

$(eval $(generic-package))
