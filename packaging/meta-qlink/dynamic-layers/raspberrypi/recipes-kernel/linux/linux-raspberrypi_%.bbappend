# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The qlink authors
#
# meta-raspberrypi: the qlink overlays built with the kernel's own overlays
# and deployed with them. The image takes those RPI_KERNEL_DEVICETREE_OVERLAYS
# names; set the same in local.conf (or the machine's conf) with the
# dtoverlay= line, e.g.:
#   RPI_KERNEL_DEVICETREE_OVERLAYS:append = " overlays/qlink-ec200-hat.dtbo"
#   RPI_EXTRA_CONFIG:append = " \ndtoverlay=qlink-ec200-hat"
FILESEXTRAPATHS:prepend := "${THISDIR}/../../../../../../dts:"
QLINK_OVERLAYS = "qlink-ec200-hat qlink-ec200-hat-pi5"
SRC_URI += "file://qlink-ec200-hat-overlay.dts file://qlink-ec200-hat-pi5-overlay.dts"
RPI_KERNEL_DEVICETREE_OVERLAYS:append = " overlays/qlink-ec200-hat.dtbo overlays/qlink-ec200-hat-pi5.dtbo"

do_configure:append() {
	for o in ${QLINK_OVERLAYS}; do
		cp ${WORKDIR}/$o-overlay.dts ${S}/arch/arm/boot/dts/overlays/
		grep -q "+= $o.dtbo" ${S}/arch/arm/boot/dts/overlays/Makefile ||
			echo "dtbo-\$(CONFIG_ARCH_BCM2835) += $o.dtbo" >> ${S}/arch/arm/boot/dts/overlays/Makefile
	done
}
