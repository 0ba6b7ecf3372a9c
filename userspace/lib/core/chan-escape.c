// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Leaving data mode: DTR when the board wires it to a GPIO line, "+++"
 * with its guard times otherwise. See qlink_chan_escape() in
 * include/qlink/chan.h.
 *
 * Bounded FTP and FILE transfers leave data mode by themselves; this is
 * for aborting a transfer, for the one upload that has no length (an
 * empty file), and for recovering a port someone left in data mode.
 *
 * The waits here are timed holds (DTR off, guard times): the channel's
 * loop keeps running through them, so nothing the module says is left
 * unread, and each one ends at a fixed deadline.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include <qlink/chan.h>

#include "core/api.h"
#include "core/clock.h"
#include "core/chan-priv.h"

/* Margin on the guard times: the module's clock and ours need not agree. */
#define GUARD_MARGIN_MS (QLINK_ESCAPE_GUARD_MS / 10)
/*
 * The host's own output must drain before the silence starts: at most a
 * tty buffer (4 KiB) at 9600 baud, 4.3 s.
 */
#define DRAIN_MAX_MS 5000
/* The module answers an escape at once; the channel adds QUIET_MS (250). */
#define END_MAX_MS 2000

/* Run the channel's loop until @until (ms); stop early if @stop says so. */
static int run_until(struct qlink_chan *chan, uint64_t until,
		     int (*stop)(struct qlink_chan *, void *), void *arg)
{
	for (;;) {
		uint64_t t = qlink_now_ms();

		if (stop && stop(chan, arg))
			return 1;
		if (t >= until)
			return 0;
		if (qlink_chan_wait(chan, (int)(until - t)) < 0 && errno != EINTR)
			return -1;
	}
}

static int ended(struct qlink_chan *chan, void *arg)
{
	return qlink_chan_get_pending(chan) < *(unsigned int *)arg;
}

/*
 * Nothing of ours left to send: neither in the channel nor in the
 * transport. A transport that cannot tell counts as drained, as before
 * the guard time nothing better is known.
 */
static int drained(struct qlink_chan *chan, void *arg)
{
	if (ended(chan, arg))
		return 1;
	if (qlink_chan_get_outq(chan))
		return 0;
	return qlink_transport_get_outq(qlink_chan_get_transport(chan)) <= 0;
}

int qlink_chan_leave_data(struct qlink_chan *chan)
{
	unsigned int busy = qlink_chan_get_pending(chan);
	void *dtr_user;
	qlink_dtr_cb dtr = qlink_chan_dtr_hook(chan, &dtr_user);
	int r;

	if (dtr) {
		if (dtr(chan, false, dtr_user) < 0)
			return -1;
		r = run_until(chan, qlink_now_ms() + QLINK_DTR_DROP_MS, NULL, NULL);
		if (dtr(chan, true, dtr_user) < 0)
			return -1;
		return r < 0 ? -1 : 0;
	}
	r = run_until(chan, qlink_now_ms() + DRAIN_MAX_MS, drained, &busy);
	if (r <= 0) {
		if (!r)
			errno = ETIMEDOUT;
		return -1;
	}
	/* the guard time before "+++": the command may end by itself meanwhile */
	r = run_until(chan, qlink_now_ms() + QLINK_ESCAPE_GUARD_MS + GUARD_MARGIN_MS, ended, &busy);
	if (r)
		return r < 0 ? -1 : 0;
	if (qlink_chan_send(chan, "+++", 3) < 0)
		return -1;
	/* sent as one write, well within the second the three may take */
	r = run_until(chan, qlink_now_ms() + QLINK_ESCAPE_GUARD_MS + GUARD_MARGIN_MS, NULL, NULL);
	return r < 0 ? -1 : 0;
}

QLINK_API int qlink_chan_set_dtr(struct qlink_chan *chan, qlink_dtr_cb cb, void *user)
{
	if (!chan) {
		errno = EINVAL;
		return -1;
	}
	qlink_chan_set_dtr_hook(chan, NULL, NULL);
	if (!cb)
		return 0;
	if (cb(chan, true, user) < 0)
		return -1;
	if (qlink_chan_exec(chan, "AT&D1", NULL, NULL) < 0)
		return -1;
	qlink_chan_set_dtr_hook(chan, cb, user);
	return 0;
}

QLINK_API int qlink_chan_escape(struct qlink_chan *chan)
{
	unsigned int busy;
	int r;

	if (!chan) {
		errno = EINVAL;
		return -1;
	}
	busy = qlink_chan_get_pending(chan);
	if (busy > 1) {
		errno = EBUSY;
		return -1;
	}
	if (qlink_chan_leave_data(chan) < 0)
		return -1;
	if (busy) {
		r = run_until(chan, qlink_now_ms() + END_MAX_MS, ended, &busy);
		if (r <= 0) {
			if (!r)
				errno = ETIMEDOUT;
			return -1;
		}
	}
	/*
	 * A "+++" that found the module already in command mode sits in its
	 * line buffer, and "+++AT" is answered ERROR: an answer all the same,
	 * and the CR has cleared the buffer for a second AT.
	 */
	if (!qlink_chan_exec(chan, "AT", NULL, NULL))
		return 0;
	if (errno != EIO)
		return -1;
	return qlink_chan_exec(chan, "AT", NULL, NULL);
}

int qlink_chan_settle(struct qlink_chan *chan)
{
	struct qlink_resp *r = NULL;
	int e;

	if (!qlink_chan_exec(chan, "AT", NULL, &r)) {
		qlink_resp_free(r);
		return 0;
	}
	e = errno;
	qlink_resp_free(r);
	/*
	 * An answer, even ERROR, is command mode; silence may be data mode,
	 * and after qlink_chan_cancel() silence ends a command as ECANCELED.
	 */
	if ((e != ETIMEDOUT && e != ECANCELED) || qlink_chan_get_pending(chan)) {
		errno = e;
		return e == EIO ? 0 : -1;
	}
	return qlink_chan_escape(chan);
}
