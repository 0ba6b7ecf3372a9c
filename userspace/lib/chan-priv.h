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

#endif /* QLINK_CHAN_PRIV_H */
