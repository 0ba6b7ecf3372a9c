// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The transport object: a table of operations and their private data,
 * and the pacing of what is written through it.
 *
 * Pacing is a schedule rather than a bucket that fills while idle: each
 * write moves the time of the next one on by its own length at the rate,
 * so an idle link never saves up a burst. A write that starts late (poll
 * wakes on whole milliseconds) is made up from the schedule as long as it
 * is at most one write late, so the average rate holds; later than that
 * the schedule restarts from now and nothing is made up.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "core/api.h"
#include "core/transport-priv.h"

static uint64_t mono_us(void *user)
{
	struct timespec ts;

	(void)user;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

QLINK_API struct qlink_transport *qlink_transport_new(const struct qlink_transport_ops *ops,
						      void *priv)
{
	struct qlink_transport *t;

	if (!ops || !ops->read || !ops->write) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ops = ops;
	t->priv = priv;
	t->now_us = mono_us;
	return t;
}

void qlink_transport_set_clock(struct qlink_transport *t, uint64_t (*now_us)(void *user),
			       void *user)
{
	t->now_us = now_us ? now_us : mono_us;
	t->now_user = user;
}

QLINK_API ssize_t qlink_transport_read(struct qlink_transport *t, void *buf, size_t len)
{
	return t->ops->read(t->priv, buf, len);
}

/* Microseconds @n bytes take at the rate. */
static uint64_t pace_cost(const struct qlink_transport *t, size_t n)
{
	return ((uint64_t)n * 1000000 + t->pace_rate - 1) / t->pace_rate;
}

QLINK_API ssize_t qlink_transport_write(struct qlink_transport *t, const void *buf, size_t len)
{
	uint64_t now = 0, base;
	ssize_t n;

	if (t->pace_max && len > t->pace_max)
		len = t->pace_max;
	if (!t->pace_rate || !len)
		return t->ops->write(t->priv, buf, len);
	now = t->now_us(t->now_user);
	if (now < t->pace_next)
		return 0;
	n = t->ops->write(t->priv, buf, len);
	if (n <= 0)
		return n;
	base = t->pace_next;
	if (now - base > pace_cost(t, t->pace_max ? t->pace_max : (size_t)n))
		base = now; /* too late to make up: no burst */
	t->pace_next = base + pace_cost(t, (size_t)n);
	return n;
}

QLINK_API int qlink_transport_set_pacing(struct qlink_transport *t, unsigned int bytes_per_s,
					 size_t max_write)
{
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	t->pace_rate = bytes_per_s;
	t->pace_max = max_write;
	t->pace_next = 0;
	return 0;
}

QLINK_API int qlink_transport_get_next_write_ms(struct qlink_transport *t)
{
	uint64_t now;

	if (!t->pace_rate)
		return 0;
	now = t->now_us(t->now_user);
	if (now >= t->pace_next)
		return 0;
	/* rounded up: waking a little late costs nothing, early spins */
	return (int)((t->pace_next - now + 999) / 1000);
}

QLINK_API int qlink_transport_get_fd(struct qlink_transport *t)
{
	return t->ops->get_fd ? t->ops->get_fd(t->priv) : -1;
}

QLINK_API int qlink_transport_get_outq(struct qlink_transport *t)
{
	return t->ops->get_outq ? t->ops->get_outq(t->priv) : 0;
}

QLINK_API void qlink_transport_free(struct qlink_transport *t)
{
	if (!t)
		return;
	if (t->ops->close)
		t->ops->close(t->priv);
	free(t);
}
