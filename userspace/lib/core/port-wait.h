/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * A port that goes away and comes back: a USB module re-enumerates when
 * it reboots or powers up, and its tty node is removed and created anew.
 * Private to the library: the FOTA job and the power functions use it.
 */
#ifndef QLINK_PORT_WAIT_H
#define QLINK_PORT_WAIT_H

#include <stdbool.h>
#include <qlink/transport.h>

/**
 * qlink_port_wait() - wait for a device path to appear or to go away
 * @path:       the device node or a link to it (/dev/serial/by-id/...)
 * @present:    true: wait until @path can be opened for reading and
 *              writing; false: wait until it no longer exists
 * @timeout_ms: the bound
 *
 * Return: 0, or -1 with errno ETIMEDOUT (or EINVAL: no @path).
 */
int qlink_port_wait(const char *path, bool present, unsigned int timeout_ms);

/**
 * qlink_port_release() - let go of the device of a port that went away
 * @t: the transport (NULL is allowed)
 *
 * Closes the device now and keeps the object: every later operation fails
 * with ENXIO and qlink_transport_free() frees it as usual. A USB serial
 * driver keeps a node's minor number while any descriptor holds it, so a
 * re-enumerated module would otherwise come back under another name.
 */
void qlink_port_release(struct qlink_transport *t);

#endif /* QLINK_PORT_WAIT_H */
