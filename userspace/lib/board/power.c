// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The module's power pins. See include/qlink/power.h; the figures and
 * their sources are in README.md "Power".
 *
 * Every wait is bounded by one of the QLINK_POWER_*_MAX_MS figures and
 * runs the channel's loop, so RDY or POWERED DOWN is seen the moment it
 * arrives. A USB port that is absent while the module is off is waited
 * for with qlink_port_wait() (core/port-wait.c says how and why).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <qlink/chan.h>
#include <qlink/gpio.h>
#include <qlink/power.h>
#include <qlink/transport.h>

#include "core/api.h"
#include "core/clock.h"
#include "board/power-priv.h"
#include "core/port-wait.h"

#define POLL_MS 100
/* Does it answer AT? The manual's bound for AT is 300 ms; two tries. */
#define PROBE_MS 500
#define PROBES 2

struct watch {
	bool rdy, down;
};

static void on_urc(struct qlink_chan *chan, const char *line, void *user)
{
	struct watch *w = user;

	(void)chan;
	if (!strcmp(line, "RDY"))
		w->rdy = true;
	else if (!strcmp(line, "POWERED DOWN"))
		w->down = true;
}

static const struct qlink_urc_handler handlers[] = {
	{ "RDY", on_urc },
	{ "POWERED DOWN", on_urc },
};

static struct qlink_chan *open_port(const struct qlink_power_port *port, struct watch *w)
{
	struct qlink_transport *t = qlink_transport_open_tty(port->path, port->baud, port->flags);
	struct qlink_chan *chan;

	if (!t)
		return NULL;
	chan = qlink_chan_new(t);
	if (chan)
		qlink_chan_set_urc_handlers(chan, handlers, sizeof(handlers) / sizeof(handlers[0]),
					    w);
	return chan;
}

static bool answers(struct qlink_chan *chan)
{
	static const struct qlink_cmd at = { .timeout_ms = PROBE_MS };
	int i;

	for (i = 0; i < PROBES; i++)
		if (!qlink_chan_exec(chan, "AT", &at, NULL))
			return true;
	return false;
}

static void init_report(struct qlink_power_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

static int check(const struct qlink_power_port *port, struct qlink_power_report *rep)
{
	if (!port || !port->path || !rep) {
		errno = EINVAL;
		return -1;
	}
	init_report(rep);
	return 0;
}

/*
 * Wait for RDY (@want_rdy) or for POWERED DOWN / the port going away, at
 * most @max_ms from @t0. @chan may be NULL (no port yet); it is freed.
 */
static int watch(const struct qlink_power_port *port, struct qlink_chan *chan, struct watch *w,
		 bool want_rdy, unsigned int max_ms, uint64_t t0, struct qlink_power_report *rep)
{
	uint64_t end = t0 + max_ms;
	bool gone = false;

	for (;;) {
		uint64_t t = qlink_now_ms();

		if ((want_rdy && w->rdy) || (!want_rdy && (w->down || gone)))
			break;
		if (t >= end)
			break;
		if (!chan) {
			/* no port: its node comes or goes with the module */
			if (qlink_port_wait(port->path, want_rdy, (unsigned int)(end - t)) < 0)
				continue;
			if (!want_rdy) {
				gone = true;
				continue;
			}
			chan = open_port(port, w);
			if (!chan) {
				struct timespec ts = { 0, POLL_MS * 1000000L };

				/* there but not ready to open (udev's chmod): try again shortly */
				nanosleep(&ts, NULL);
			}
			continue;
		}
		if (qlink_chan_wait(chan, (int)(end - t)) < 0 && errno == ENXIO) {
			qlink_chan_free(chan);
			chan = NULL;
			gone = true;
		}
	}
	rep->waited_ms = (unsigned int)(qlink_now_ms() - t0);
	qlink_chan_free(chan);
	if (want_rdy && w->rdy) {
		rep->state = QLINK_POWER_ON;
		snprintf(rep->seen, sizeof(rep->seen), "RDY after %.1f s", rep->waited_ms / 1000.0);
		return 0;
	}
	if (!want_rdy && (w->down || gone)) {
		rep->state = QLINK_POWER_OFF;
		snprintf(rep->seen, sizeof(rep->seen), "%s after %.1f s",
			 w->down ? "POWERED DOWN" : "the port went away", rep->waited_ms / 1000.0);
		return 0;
	}
	snprintf(rep->seen, sizeof(rep->seen), "no %s within %u s",
		 want_rdy ? "RDY" : "POWERED DOWN and the port still there", max_ms / 1000);
	errno = ETIMEDOUT;
	return -1;
}

QLINK_API int qlink_power_status(const struct qlink_power_port *port,
				 struct qlink_power_report *rep)
{
	struct watch w = { 0 };
	struct qlink_chan *chan;

	if (check(port, rep) < 0)
		return -1;
	snprintf(rep->how, sizeof(rep->how), "AT");
	chan = open_port(port, &w);
	if (!chan) {
		rep->state = QLINK_POWER_OFF;
		snprintf(rep->seen, sizeof(rep->seen), "no port: %s", strerror(errno));
		return 0;
	}
	if (answers(chan)) {
		rep->state = QLINK_POWER_ON;
		snprintf(rep->seen, sizeof(rep->seen), "answers AT");
	} else {
		rep->state = QLINK_POWER_SILENT;
		snprintf(rep->seen, sizeof(rep->seen), "the port is there, nothing answers AT");
	}
	qlink_chan_free(chan);
	return 0;
}

static int pulse(struct qlink_gpio *g, unsigned int ms, const char *pin,
		 struct qlink_power_report *rep)
{
	snprintf(rep->how, sizeof(rep->how), "%s %u ms", pin, ms);
	if (qlink_gpio_pulse(g, ms) < 0) {
		snprintf(rep->seen, sizeof(rep->seen), "%s: %s", pin, strerror(errno));
		errno = EIO;
		return -1;
	}
	rep->pulse_ns = qlink_gpio_get_last_pulse_ns(g);
	return 0;
}

QLINK_API int qlink_power_on(const struct qlink_power_port *port, struct qlink_gpio *pwrkey,
			     struct qlink_power_report *rep)
{
	struct watch w = { 0 };
	struct qlink_chan *chan;

	if (check(port, rep) < 0)
		return -1;
	if (!pwrkey) {
		snprintf(rep->seen, sizeof(rep->seen), "no PWRKEY line configured");
		errno = EINVAL;
		return -1;
	}
	/* opened before the press, so that a UART's RDY cannot be missed */
	chan = open_port(port, &w);
	if (chan && answers(chan)) {
		qlink_chan_free(chan);
		rep->state = QLINK_POWER_ON;
		snprintf(rep->how, sizeof(rep->how), "nothing: already on");
		snprintf(rep->seen, sizeof(rep->seen), "answers AT");
		return 0;
	}
	w.rdy = false;
	if (pulse(pwrkey, QLINK_PWRKEY_ON_MS, "PWRKEY", rep) < 0) {
		qlink_chan_free(chan);
		return -1;
	}
	return watch(port, chan, &w, true, QLINK_POWER_BOOT_MAX_MS, qlink_now_ms(), rep);
}

QLINK_API int qlink_power_off(const struct qlink_power_port *port, struct qlink_gpio *pwrkey,
			      struct qlink_power_report *rep)
{
	struct watch w = { 0 };
	struct qlink_chan *chan;

	if (check(port, rep) < 0)
		return -1;
	chan = open_port(port, &w);
	if (chan && !qlink_chan_exec(chan, "AT+QPOWD=1", NULL, NULL)) {
		snprintf(rep->how, sizeof(rep->how), "AT+QPOWD=1");
		return watch(port, chan, &w, false, QLINK_POWER_DOWN_MAX_MS, qlink_now_ms(), rep);
	}
	if (!pwrkey) {
		qlink_chan_free(chan);
		snprintf(rep->how, sizeof(rep->how), "AT+QPOWD=1");
		snprintf(rep->seen, sizeof(rep->seen),
			 "AT+QPOWD=1 not answered with OK, and no PWRKEY line configured");
		errno = EIO;
		return -1;
	}
	if (pulse(pwrkey, QLINK_PWRKEY_OFF_MS, "PWRKEY", rep) < 0) {
		qlink_chan_free(chan);
		return -1;
	}
	return watch(port, chan, &w, false, QLINK_POWER_DOWN_MAX_MS, qlink_now_ms(), rep);
}

QLINK_API int qlink_power_reset(const struct qlink_power_port *port, struct qlink_gpio *reset,
				struct qlink_power_report *rep)
{
	struct watch w = { 0 };
	struct qlink_chan *chan;

	if (check(port, rep) < 0)
		return -1;
	if (!reset) {
		snprintf(rep->seen, sizeof(rep->seen), "no RESET line configured");
		errno = EINVAL;
		return -1;
	}
	chan = open_port(port, &w);
	if (pulse(reset, QLINK_RESET_MS, "RESET_N", rep) < 0) {
		qlink_chan_free(chan);
		return -1;
	}
	return watch(port, chan, &w, true, QLINK_POWER_BOOT_MAX_MS, qlink_now_ms(), rep);
}

QLINK_API const char *qlink_power_state_name(enum qlink_power_state state)
{
	switch (state) {
	case QLINK_POWER_ON:
		return "on";
	case QLINK_POWER_OFF:
		return "off";
	case QLINK_POWER_SILENT:
		return "silent";
	default:
		return "unknown";
	}
}
