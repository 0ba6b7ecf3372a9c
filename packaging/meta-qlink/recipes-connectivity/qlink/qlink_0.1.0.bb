# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The qlink authors
SUMMARY = "Host stack for Quectel EC200/EC600/EC800/EG912 LTE modules"
DESCRIPTION = "libqlink (AT channel, FTP(S) client, firmware upgrade with \
AT+QFOTADL, GPIO lines) and the qlink command, with its systemd unit or SysV \
init script and udev rule; qlink-sim, a simulated module, in qlink-sim."
SECTION = "net"
LICENSE = "LGPL-2.1-or-later & GPL-2.0-only"
LIC_FILES_CHKSUM = "file://COPYING;md5=903b4ac331f94cf66693b1a383b7c507 \
                    file://LICENSES/GPL-2.0;md5=b234ee4d69f5fce4486a80fdaf4a4263 \
                    file://LICENSES/LGPL-2.1;md5=4fbd65380cdd255951079008b364516c"

require recipes-connectivity/qlink/qlink.inc

DEPENDS = "libmnl"

inherit pkgconfig systemd update-rc.d bash-completion

# gpio: libgpiod (meta-oe, 1.x or 2.x), on whenever meta-oe is in the build
PACKAGECONFIG ??= "curl ${@bb.utils.filter('DISTRO_FEATURES', 'systemd sysvinit', d)} \
                   ${@bb.utils.contains('BBFILE_COLLECTIONS', 'openembedded-layer', 'gpio', '', d)} \
                   ${@bb.utils.contains('DISTRO_FEATURES', 'systemd', 'sdbus', '', d)} \
                   udev"
PACKAGECONFIG[gpio] = "WITH_GPIOD=1,WITH_GPIOD=0,libgpiod"
# the FOTA pre-flight asks https:// and ftp:// servers too
PACKAGECONFIG[curl] = "WITH_CURL=1,WITH_CURL=0,curl"
PACKAGECONFIG[sim] = "WITH_SIM=1,WITH_SIM=0,curl openssl"
PACKAGECONFIG[systemd] = "WITH_SYSTEMD=1,WITH_SYSTEMD=0"
PACKAGECONFIG[sysvinit] = "WITH_SYSVINIT=1,WITH_SYSVINIT=0"
PACKAGECONFIG[udev] = "WITH_UDEV=1,WITH_UDEV=0"
# sd-bus: ModemManager inhibition (qlink fota, ftp, --inhibit-mm)
PACKAGECONFIG[sdbus] = "WITH_SDBUS=1,WITH_SDBUS=0,systemd"

# CC, AR, CFLAGS, CPPFLAGS and LDFLAGS come from the environment
EXTRA_OEMAKE = "PREFIX=${prefix} BINDIR=${bindir} LIBDIR=${libdir} \
                INCLUDEDIR=${includedir} SYSCONFDIR=${sysconfdir} \
                DATADIR=${datadir} MANDIR=${mandir} \
                SYSTEMDUNITDIR=${systemd_system_unitdir} \
                UDEVDIR=${nonarch_base_libdir}/udev \
                MODLOADDIR=${nonarch_libdir}/modules-load.d \
                INITDIR=${sysconfdir}/init.d \
                WITH_LIBMNL=1 \
                ${PACKAGECONFIG_CONFARGS}"

do_compile() {
	oe_runmake all
}

do_install() {
	oe_runmake DESTDIR=${D} install
	oe_runmake DESTDIR=${D} LUADIR=${datadir}/lua/5.3 \
		MENDERMODDIR=${datadir}/mender/modules/v3 install-fleet
}

# the update agents' integrations (README "Fleet updates"): add to the image
PACKAGES =+ "${PN}-swupdate ${PN}-mender"
FILES:${PN}-swupdate = "${datadir}/lua/5.3"
RDEPENDS:${PN}-swupdate = "${PN} swupdate"
FILES:${PN}-mender = "${datadir}/mender/modules/v3/qlink-modem-fw"
RDEPENDS:${PN}-mender = "${PN} mender-client"

PACKAGES =+ "${PN}-sim"
FILES:${PN}-sim = "${bindir}/qlink-sim ${bindir}/qlink-fotapkg"
FILES:${PN} += "${nonarch_base_libdir}/udev ${nonarch_libdir}/modules-load.d"

CONFFILES:${PN} = "${sysconfdir}/qlink.conf"

# enabled by the image once /etc/qlink.conf names the port
SYSTEMD_SERVICE:${PN} = "qlink.service"
SYSTEMD_AUTO_ENABLE:${PN} = "disable"
# the init script starts nothing until /etc/qlink.conf names the port
INITSCRIPT_NAME = "qlink"
INITSCRIPT_PARAMS = "defaults 50"

RRECOMMENDS:${PN} = "kernel-module-qlink"
