/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Living beside ModemManager: for the length of a job, ask it to let go of
 * the modem that owns a port (org.freedesktop.ModemManager1.InhibitDevice,
 * as fwupd does for its Quectel updater) and to take it back afterwards.
 *
 * Needs libqlink built with sd-bus (libsystemd; the Makefile's WITH_SDBUS,
 * on when pkg-config finds libsystemd): without it every call fails with
 * ENOTSUP.
 */
#ifndef QLINK_MM_H
#define QLINK_MM_H

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_mm;

/**
 * qlink_mm_new() - a ModemManager client, not connected yet
 *
 * Return: the client, or NULL with errno ENOMEM.
 */
struct qlink_mm *qlink_mm_new(void);

/**
 * qlink_mm_inhibit() - make ModemManager let go of the modem on a port
 * @mm:         the client
 * @port:       the tty (the device or a link to it)
 * @timeout_ms: bound for the whole exchange, 0 for 30 s
 *
 * Connects to the system bus ($DBUS_SYSTEM_BUS_ADDRESS if set), finds the
 * modem whose "Ports" hold the tty's kernel name (ttyUSB2), calls
 * InhibitDevice(its "Device", true) and waits until its object is gone
 * (InterfacesRemoved), i.e. ModemManager has closed its ports. The
 * inhibition lasts until qlink_mm_uninhibit() or qlink_mm_free(), or until
 * this process's bus connection ends: ModemManager releases a device whose
 * inhibitor left the bus, so a crash does not exile the modem.
 *
 * Return: 0, or -1 with errno and qlink_mm_get_error() set: ENOENT
 * (ModemManager is not on the bus, or manages no modem with this port:
 * nothing to do), EALREADY (already inhibited by this client), EACCES
 * (ModemManager or polkit refused), ETIMEDOUT, ENOTSUP (built without
 * sd-bus), EINVAL, ENOMEM, or another errno from the bus.
 */
int qlink_mm_inhibit(struct qlink_mm *mm, const char *port, unsigned int timeout_ms);

/**
 * qlink_mm_uninhibit() - give the modem back to ModemManager
 * @mm: the client
 *
 * Calls InhibitDevice(uid, false); ModemManager probes the device again.
 * Nothing to do without an inhibition.
 *
 * Return: 0, or -1 with errno (from the bus) and qlink_mm_get_error().
 */
int qlink_mm_uninhibit(struct qlink_mm *mm);

/**
 * qlink_mm_get_uid() - the inhibited device's ModemManager "Device" uid
 * @mm: the client
 *
 * Return: the uid (a sysfs path for a USB modem), or "" if none.
 */
const char *qlink_mm_get_uid(const struct qlink_mm *mm);

/** qlink_mm_get_error() - the last failure in one sentence, "" if none. */
const char *qlink_mm_get_error(const struct qlink_mm *mm);

/**
 * qlink_mm_free() - uninhibit (if inhibited), disconnect and free
 * @mm: the client, or NULL
 */
void qlink_mm_free(struct qlink_mm *mm);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_MM_H */
