################################################################################
#
# qlink
#
################################################################################

# The tarball is the one `make dist` writes to the qlink tree's build/
# directory; put it in $(BR2_DL_DIR)/qlink/ instead, or point QLINK_SITE at
# where releases are kept.
QLINK_VERSION = 0.1.0
QLINK_SOURCE = qlink-$(QLINK_VERSION).tar.gz
QLINK_SITE = $(BR2_EXTERNAL_QLINK_PATH)/../../build
QLINK_SITE_METHOD = file
QLINK_LICENSE = LGPL-2.1+ (library), GPL-2.0 (tools, kernel module)
QLINK_LICENSE_FILES = COPYING LICENSES/GPL-2.0 LICENSES/LGPL-2.1
QLINK_INSTALL_STAGING = YES
QLINK_DEPENDENCIES = host-pkgconf
# This file is inside the tarball it describes, so the tarball's own hash
# cannot be in qlink.hash (which checks the license files); whoever hosts
# released tarballs adds theirs there.
BR_NO_CHECK_HASH_FOR += $(QLINK_SOURCE)

QLINK_MAKE_OPTS = \
	CROSS_COMPILE="$(TARGET_CROSS)" \
	CC="$(TARGET_CC)" \
	AR="$(TARGET_AR)" \
	CFLAGS="$(TARGET_CFLAGS)" \
	LDFLAGS="$(TARGET_LDFLAGS)" \
	PREFIX=/usr \
	SYSCONFDIR=/etc

ifeq ($(BR2_PACKAGE_QLINK_TOOLS),y)
QLINK_DEPENDENCIES += libmnl
QLINK_BUILD_TARGETS = all
QLINK_INSTALL_TARGETS = install
else
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

ifeq ($(BR2_INIT_SYSTEMD),y)
QLINK_MAKE_OPTS += WITH_SYSTEMD=1
else
QLINK_MAKE_OPTS += WITH_SYSTEMD=0
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

# qlink.ko, built against the configured kernel by the kernel-module
# infrastructure from kmod/ (whose Kbuild finds the uapi header itself)
ifeq ($(BR2_PACKAGE_QLINK_KERNEL_MODULE),y)
QLINK_MODULE_SUBDIRS = kmod
$(eval $(kernel-module))
endif

$(eval $(generic-package))
