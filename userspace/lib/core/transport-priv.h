/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
#ifndef QLINK_TRANSPORT_PRIV_H
#define QLINK_TRANSPORT_PRIV_H

#include <stdint.h>
#include <qlink/transport.h>

/*
 * @pace_rate:  bytes/s, 0: unpaced
 * @pace_max:   bytes per write, 0: no cap
 * @pace_next:  microseconds on @now_us's clock when the next write may
 *              start
 */
struct qlink_transport {
	const struct qlink_transport_ops *ops;
	void *priv;
	unsigned int pace_rate;
	size_t pace_max;
	uint64_t pace_next;
	uint64_t (*now_us)(void *user);
	void *now_user;
};

/** Replace the monotonic microsecond clock of the pacing (unit tests). */
void qlink_transport_set_clock(struct qlink_transport *t, uint64_t (*now_us)(void *user),
			       void *user);

#endif /* QLINK_TRANSPORT_PRIV_H */
