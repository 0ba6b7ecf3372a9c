/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Switching the module on, off and resetting it through its PWRKEY and
 * RESET_N pins (GPIO lines, include/qlink/gpio.h), and telling whether it
 * is on.
 *
 * The pulse widths are the EC200 hardware design's, as far as a public
 * source gives them; see README.md "Power". Each call reports what it saw
 * in a struct qlink_power_report (qlink_power_report_new()), success or not.
 *
 * Functions return 0 on success and -1 with errno set on failure.
 */
#ifndef QLINK_POWER_H
#define QLINK_POWER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_gpio;

/* PWRKEY held low to switch on: at least 500 ms (typical 500, minimum 100). */
#define QLINK_PWRKEY_ON_MS 600
/* PWRKEY held low to switch off: no public EC200 figure; conservative. */
#define QLINK_PWRKEY_OFF_MS 3000
/* RESET_N held low to reset: 100 to 450 ms; the middle of that window. */
#define QLINK_RESET_MS 300
/* From PWRKEY or RESET_N to RDY: the UART is up after about 6 s (typical). */
#define QLINK_POWER_BOOT_MAX_MS 20000
/* From AT+QPOWD or PWRKEY to POWERED DOWN: network detach takes up to 12 s. */
#define QLINK_POWER_DOWN_MAX_MS 30000

/**
 * enum qlink_power_state - what the module looked like at the end
 * @QLINK_POWER_UNKNOWN: no evidence either way
 * @QLINK_POWER_ON: it answered AT, or said RDY
 * @QLINK_POWER_OFF: it said POWERED DOWN, its port went away, or the port
 *                   is absent
 * @QLINK_POWER_SILENT: the port is there but nothing answers AT (off, or
 *                      hung: only a RESET_N pulse or power cut can tell)
 */
enum qlink_power_state {
	QLINK_POWER_UNKNOWN,
	QLINK_POWER_ON,
	QLINK_POWER_OFF,
	QLINK_POWER_SILENT,
};

/* What a power operation did and saw: an object, read with the accessors below. */
struct qlink_power_report;

/**
 * qlink_power_report_new() - an empty report for the calls below to fill in
 *
 * Return: the report, or NULL with errno ENOMEM.
 */
struct qlink_power_report *qlink_power_report_new(void);

/** qlink_power_report_free() - free a report; NULL is a no-op. */
void qlink_power_report_free(struct qlink_power_report *rep);

/** qlink_power_report_get_state() - what the module looked like at the end. */
enum qlink_power_state qlink_power_report_get_state(const struct qlink_power_report *rep);

/**
 * qlink_power_report_get_pulse_ns() - the width the pin was driven for,
 * measured around the GPIO calls; 0 if there was no pulse
 */
uint64_t qlink_power_report_get_pulse_ns(const struct qlink_power_report *rep);

/**
 * qlink_power_report_get_waited_ms() - from the end of the pulse (or the
 * command) to what was seen
 */
unsigned int qlink_power_report_get_waited_ms(const struct qlink_power_report *rep);

/**
 * qlink_power_report_get_seen() - one sentence on what was seen
 *
 * Return: e.g. "RDY after 5.9 s", "POWERED DOWN after 1.2 s", "the port
 * went away", "no RDY within 20 s", "answers AT"; "" before any call.
 * Owned by @rep, valid until it is filled in again.
 */
const char *qlink_power_report_get_seen(const struct qlink_power_report *rep);

/**
 * qlink_power_report_get_how() - what was done
 *
 * Return: e.g. "PWRKEY 600 ms", "AT+QPOWD=1", "nothing: already on"; ""
 * before any call. Owned by @rep.
 */
const char *qlink_power_report_get_how(const struct qlink_power_report *rep);

/**
 * struct qlink_power_port - where the module speaks
 * @path:     its AT port; a USB port may be absent while the module is off
 * @baud:     as for qlink_transport_open_tty()
 * @flags:    as for qlink_transport_open_tty()
 * @reserved: zero (a designated initializer does it); room for later
 *            settings, which read zero as "as before"
 */
struct qlink_power_port {
	const char *path;
	unsigned int baud;
	unsigned int flags;
	uint64_t reserved[4];
};

/**
 * qlink_power_status() - is the module on?
 * @port: the AT port
 * @rep:  filled in
 *
 * Return: 0 (see qlink_power_report_get_state()), or -1 with errno EINVAL.
 */
int qlink_power_status(const struct qlink_power_port *port, struct qlink_power_report *rep);

/**
 * qlink_power_on() - switch the module on with a PWRKEY press
 * @port:   the AT port
 * @pwrkey: the line on PWRKEY
 * @rep:    filled in
 *
 * Does nothing if the module already answers AT (a press would be a
 * press towards off). Otherwise presses PWRKEY for QLINK_PWRKEY_ON_MS and
 * waits up to QLINK_POWER_BOOT_MAX_MS for RDY (a USB port first has to
 * appear).
 *
 * Return: 0 once it is on, or -1 with errno: EINVAL (no line), ETIMEDOUT
 * (no RDY in time), EIO (the GPIO line), or the port's open(2) error.
 */
int qlink_power_on(const struct qlink_power_port *port, struct qlink_gpio *pwrkey,
		   struct qlink_power_report *rep);

/**
 * qlink_power_off() - switch the module off
 * @port:   the AT port
 * @pwrkey: the line on PWRKEY, or NULL
 *
 * @rep:    filled in
 *
 * Sends AT+QPOWD=1 (the module detaches from the network and saves its
 * state); if it is not answered with OK and there is a PWRKEY line,
 * presses PWRKEY for QLINK_PWRKEY_OFF_MS instead. Then waits up to
 * QLINK_POWER_DOWN_MAX_MS for POWERED DOWN or the port to go away.
 *
 * Return: 0 once it is off, or -1 with errno: ETIMEDOUT (neither seen),
 * EIO (AT+QPOWD refused and no PWRKEY line, or the line failed).
 */
int qlink_power_off(const struct qlink_power_port *port, struct qlink_gpio *pwrkey,
		    struct qlink_power_report *rep);

/**
 * qlink_power_reset() - reset the module with RESET_N
 * @port:  the AT port
 * @reset: the line on RESET_N
 * @rep:   filled in
 *
 * Holds RESET_N for QLINK_RESET_MS and waits up to QLINK_POWER_BOOT_MAX_MS
 * for RDY.
 *
 * Return: 0 once it said RDY, or -1 with errno: EINVAL (no line),
 * ETIMEDOUT, EIO.
 */
int qlink_power_reset(const struct qlink_power_port *port, struct qlink_gpio *reset,
		      struct qlink_power_report *rep);

/** qlink_power_state_name() - "on", "off", "silent" or "unknown". */
const char *qlink_power_state_name(enum qlink_power_state state);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_POWER_H */
