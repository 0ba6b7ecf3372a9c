# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The qlink authors
SUMMARY = "qlink.ko: line discipline for Quectel modules' AT ports"
DESCRIPTION = "Keeps RTS/CTS on for the modem's port and publishes its URCs \
on /dev/qlink-urc and generic netlink."
SECTION = "kernel/modules"
LICENSE = "GPL-2.0-only"
LIC_FILES_CHKSUM = "file://LICENSES/GPL-2.0;md5=b234ee4d69f5fce4486a80fdaf4a4263"

require recipes-connectivity/qlink/qlink.inc

inherit module

# The top-level Makefile's modules and modules_install hand KDIR, ARCH,
# CROSS_COMPILE and INSTALL_MOD_PATH to Kbuild.
QLINK_KBUILD = "KDIR=${STAGING_KERNEL_BUILDDIR} ARCH=${ARCH} CROSS_COMPILE=${TARGET_PREFIX}"

do_compile() {
	unset CFLAGS CPPFLAGS CXXFLAGS LDFLAGS
	oe_runmake ${QLINK_KBUILD} modules
}

do_install() {
	oe_runmake ${QLINK_KBUILD} INSTALL_MOD_PATH=${D} INSTALL_MOD_DIR=updates modules_install
}

RPROVIDES:${PN} += "kernel-module-qlink"

# No tty-ldisc alias: a TIOCSETD never loads the module, the image does
KERNEL_MODULE_AUTOLOAD += "qlink"
