/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/* Hooks for the unit tests; not part of the ABI. */
#ifndef QLINK_CHAN_PRIV_H
#define QLINK_CHAN_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <qlink/chan.h>

/** Replace the monotonic millisecond clock (tests drive time by hand). */
void qlink_chan_set_clock(struct qlink_chan *chan, uint64_t (*now_ms)(void *user), void *user);

/** The bound a command line would get, in ms, as the channel computes it. */
unsigned int qlink_chan_timeout_for(struct qlink_chan *chan, const char *line,
				    const struct qlink_cmd *cmd);

/* The DTR hook qlink_chan_set_dtr() gave the channel (chan-escape.c), or NULL. */
qlink_dtr_cb qlink_chan_dtr_hook(struct qlink_chan *chan, void **user);
void qlink_chan_set_dtr_hook(struct qlink_chan *chan, qlink_dtr_cb cb, void *user);

/*
 * End the data phase of the command in flight, by DTR if the channel has
 * a DTR hook, else by "+++" between guard times; returns once the module
 * has been told (not once it answered). 0, or -1 with errno from the hook
 * or ENXIO.
 */
int qlink_chan_leave_data(struct qlink_chan *chan);

/*
 * Before a job that starts from command mode: AT, and when the module
 * does not answer, leave data mode as qlink_chan_escape() does (an
 * earlier run, killed or cancelled, may have left it in a transfer's or
 * an upload's data mode, which "+++" or DTR aborts). 0 once the module
 * answered; -1 with errno as qlink_chan_escape() (ETIMEDOUT: silent).
 */
int qlink_chan_settle(struct qlink_chan *chan);

/*
 * From a done callback: the response it was handed, now the caller's to
 * free with qlink_resp_free(), rather than a copy; a copy if it is not the
 * channel's to give (or was given already). NULL when out of memory.
 */
struct qlink_resp *qlink_chan_take_resp(struct qlink_chan *chan, const struct qlink_resp *resp);

/*
 * qlink_chan_run() in two halves, for a caller that must act between them
 * (the empty FTP upload leaves data mode after CONNECT): _start() queues
 * the command (0, or -1 with errno as qlink_chan_submit()), _finish() runs
 * the loop until it has completed and returns as qlink_chan_run().
 */
struct qlink_chan_run {
	bool done;
	int status;
	struct qlink_resp *resp;
};

int qlink_chan_run_start(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
			 void *cb_user, struct qlink_chan_run *st);
int qlink_chan_run_finish(struct qlink_chan *chan, struct qlink_chan_run *st,
			  struct qlink_resp **resp);

/* Room for qlink_chan_get_error()'s sentence, NUL included: longer ones are cut. */
#define QLINK_CHAN_ERROR_MAX 512

/*
 * The sentence for qlink_chan_get_error(), for the calls that act through
 * a channel (module/): cleared when one starts, set when it fails, with
 * credentials replaced by "***".
 */
void qlink_chan_clear_error(struct qlink_chan *chan);
__attribute__((format(printf, 2, 3))) void qlink_chan_set_error(struct qlink_chan *chan,
								const char *fmt, ...);

/*
 * From a data-mode callback told that data mode ended: how many of the
 * bytes read from the port came after the payload (the line that ended
 * it, and what followed in the same reads); 0 when not ended by a line (a
 * timeout) or outside such a callback. For qlink_ldisc_follow(), so the
 * line discipline classifies them (QLINK_MODE_F_END).
 */
size_t qlink_chan_data_tail(const struct qlink_chan *chan);

#endif /* QLINK_CHAN_PRIV_H */
