/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * PDP contexts: what the module's TCP/IP services (FTP, HTTP, FOTA by
 * URL) need before they can reach a server.
 */
#ifndef QLINK_PDP_H
#define QLINK_PDP_H

#include <stddef.h>
#include <qlink/chan.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * qlink_pdp_get_active() - is context @cid active? (AT+QIACT?)
 * @chan: the channel
 * @cid:  1-15
 *
 * Return: 1 or 0, or -1 with errno (EINVAL, or as qlink_chan_exec()) and
 * qlink_chan_get_error() saying why.
 */
int qlink_pdp_get_active(struct qlink_chan *chan, int cid);

/**
 * qlink_pdp_activate() - make sure context @cid is active
 * @chan:   the channel
 * @cid:    1-15
 * @apn:    set with AT+QICSGP=<cid>,1,"<apn>" first; NULL or "" keeps the
 *          module's setting
 *
 * Does nothing if the context is already active. AT+QIACT may take 150 s.
 * On failure qlink_chan_get_error() says the command that failed, then
 * what AT+CPIN?, AT+CGATT? and AT+CGREG? say, as the FTP(S) guide's
 * troubleshooting chapter asks (SIM, packet attach, registration).
 *
 * Return: 0, or -1 with errno (EINVAL: bad @cid or @apn; EIO: refused;
 * ETIMEDOUT; ENXIO; ENOMEM).
 */
int qlink_pdp_activate(struct qlink_chan *chan, int cid, const char *apn);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_PDP_H */
