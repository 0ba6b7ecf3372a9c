/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hooks for the unit tests; not part of the ABI. */
#ifndef QLINK_CHAN_PRIV_H
#define QLINK_CHAN_PRIV_H

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

#endif /* QLINK_CHAN_PRIV_H */
