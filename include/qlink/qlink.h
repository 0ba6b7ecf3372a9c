/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * libqlink: drive Quectel EC200/EC600/EC800/EG912 modules over their AT
 * port. Include this header for the whole API.
 */
#ifndef QLINK_QLINK_H
#define QLINK_QLINK_H

#include <qlink/result.h>
#include <qlink/codes.h>
#include <qlink/transport.h>
#include <qlink/chan.h>
#include <qlink/ldisc.h>
#include <qlink/urc-reader.h>
#include <qlink/redact.h>
#include <qlink/url.h>
#include <qlink/revision.h>
#include <qlink/pdp.h>
#include <qlink/file.h>
#include <qlink/ftp.h>
#include <qlink/fota.h>
#include <qlink/gpio.h>
#include <qlink/power.h>
#include <qlink/config.h>
#include <qlink/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

/** qlink_version_string() - the library's version, e.g. "0.1.0". */
const char *qlink_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_QLINK_H */
