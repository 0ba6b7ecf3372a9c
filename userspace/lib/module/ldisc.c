// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The qlink line discipline on a port: attach, data mode, URC set,
 * counters, detach. Every call is an ioctl on the caller's descriptor; an
 * inactive handle (module absent) turns them into no-ops so that callers
 * need no second code path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/qlink.h>

#include <qlink/ldisc.h>

#include "core/api.h"
#include "core/chan-priv.h"
#include "module/genl.h"

struct qlink_ldisc {
	int fd;
	int num;
	int prev; /* the discipline to put back */
	bool active;
	bool deferred; /* QLINK_LDISC_DEFERRED: the tty not asked yet */
};

/* A deferred handle's look at the tty: active if qlink's ldisc is there. */
static void resolve(struct qlink_ldisc *l)
{
	int cur = 0; /* valgrind does not know TIOCGETD writes it */

	if (!l->deferred)
		return;
	l->deferred = false;
	l->active = ioctl(l->fd, TIOCGETD, &cur) == 0 && cur == l->num;
}

QLINK_API struct qlink_ldisc *qlink_ldisc_attach(int fd, int num, unsigned int flags)
{
	struct qlink_ldisc *l;
	int prev = 0; /* valgrind does not know TIOCGETD writes it */

	if (num == 0)
		num = QLINK_LDISC_DEFAULT;
	if (num < 1 || num > 255 ||
	    (flags & ~(QLINK_LDISC_REQUIRE | QLINK_LDISC_EXISTING | QLINK_LDISC_DEFERRED)) ||
	    ((flags & QLINK_LDISC_DEFERRED) &&
	     (flags & (QLINK_LDISC_EXISTING | QLINK_LDISC_REQUIRE)) != QLINK_LDISC_EXISTING)) {
		errno = EINVAL;
		return NULL;
	}
	if (flags & QLINK_LDISC_DEFERRED) {
		l = calloc(1, sizeof(*l));
		if (!l)
			return NULL;
		l->fd = fd;
		l->num = num;
		l->prev = -1; /* EXISTING: nothing of ours to undo */
		l->deferred = true;
		return l;
	}
	if (ioctl(fd, TIOCGETD, &prev) < 0)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->fd = fd;
	l->num = num;
	l->prev = prev;
	if (prev == num) {
		/* someone (qlink attach) holds it already: use it, leave it on close */
		l->active = true;
		return l;
	}
	if (flags & QLINK_LDISC_EXISTING) {
		l->prev = -1; /* nothing of ours to undo */
		return l;
	}
	if (ioctl(fd, TIOCSETD, &num) < 0) {
		if (flags & QLINK_LDISC_REQUIRE) {
			int err = errno;

			free(l);
			errno = err;
			return NULL;
		}
		l->prev = -1;
		return l;
	}
	l->active = true;
	return l;
}

QLINK_API bool qlink_ldisc_get_active(const struct qlink_ldisc *l)
{
	return l && l->active;
}

QLINK_API int qlink_ldisc_set_data_mode(struct qlink_ldisc *l, bool data)
{
	struct qlink_mode m = { .mode = data ? QLINK_MODE_DATA : QLINK_MODE_COMMAND };

	if (!l) {
		errno = EINVAL;
		return -1;
	}
	resolve(l);
	if (!l->active)
		return 0;
	return ioctl(l->fd, QLINK_IOC_SET_MODE, &m) < 0 ? -1 : 0;
}

QLINK_API int qlink_ldisc_end_data_mode(struct qlink_ldisc *l, size_t after)
{
	struct qlink_mode m = { .mode = QLINK_MODE_COMMAND, .flags = QLINK_MODE_F_END };

	if (!l || after > INT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	m.end = -(int32_t)after;
	resolve(l);
	if (!l->active)
		return 0;
	if (ioctl(l->fd, QLINK_IOC_SET_MODE, &m) == 0)
		return 0;
	/* a module from before QLINK_MODE_F_END: command mode from the next byte */
	if (errno != EINVAL)
		return -1;
	return qlink_ldisc_set_data_mode(l, false);
}

QLINK_API int qlink_ldisc_set_urcs(struct qlink_ldisc *l, const char *const *prefixes, size_t n)
{
	struct qlink_urc_set s = { 0 };
	size_t i, size = 0, off = 0;
	char *buf = NULL;
	int ret;

	if (!l || (n && !prefixes) || n > QLINK_URC_SET_MAX_COUNT) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!prefixes[i] || !prefixes[i][0]) {
			errno = EINVAL;
			return -1;
		}
		size += strlen(prefixes[i]) + 1;
	}
	if (size > QLINK_URC_SET_MAX_SIZE) {
		errno = EINVAL;
		return -1;
	}
	if (!l->active)
		return 0;
	if (n) {
		buf = malloc(size);
		if (!buf)
			return -1;
		for (i = 0; i < n; i++) {
			size_t len = strlen(prefixes[i]) + 1;

			memcpy(buf + off, prefixes[i], len);
			off += len;
		}
	}
	s.count = (uint32_t)n;
	s.size = (uint32_t)size;
	s.ptr = (uint64_t)(uintptr_t)buf;
	ret = ioctl(l->fd, QLINK_IOC_SET_URCS, &s) < 0 ? -1 : 0;
	free(buf);
	return ret;
}

QLINK_API int qlink_ldisc_get_stats(struct qlink_ldisc *l, struct qlink_ldisc_stats *st)
{
	struct qlink_stats k;

	if (!l || !st) {
		errno = EINVAL;
		return -1;
	}
	resolve(l);
	if (!l->active) {
		errno = ENODEV;
		return -1;
	}
	if (ioctl(l->fd, QLINK_IOC_GET_STATS, &k) < 0)
		return -1;
	st->rx_bytes = k.rx_bytes;
	st->tx_bytes = k.tx_bytes;
	st->urcs = k.urcs;
	st->dropped = k.dropped;
	st->crtscts_reasserts = k.crtscts_reasserts;
	st->data_mode_entries = k.data_mode_entries;
	st->flags = k.flags;
	st->attached = 0;
	return 0;
}

QLINK_API int qlink_ldisc_query_stats(const char *tty, struct qlink_ldisc_stats *st)
{
	struct qlink_genl g;
	struct qlink_genl_msg m;
	int ret;

	if (!st || (tty && (!tty[0] || strlen(tty) >= QLINK_TTY_NAME_MAX))) {
		errno = EINVAL;
		return -1;
	}
	if (qlink_genl_open(&g) < 0)
		return -1;
	ret = qlink_genl_get_stats(&g, tty, &m);
	qlink_genl_close(&g);
	if (ret < 0)
		return -1;
	memset(st, 0, sizeof(*st));
	st->rx_bytes = m.v[QLINK_ATTR_STAT_RX_BYTES];
	st->tx_bytes = m.v[QLINK_ATTR_STAT_TX_BYTES];
	st->urcs = m.v[QLINK_ATTR_STAT_URCS];
	st->dropped = m.v[QLINK_ATTR_STAT_DROPPED];
	st->crtscts_reasserts = m.v[QLINK_ATTR_STAT_CRTSCTS_REASSERTS];
	st->data_mode_entries = m.v[QLINK_ATTR_STAT_DATA_MODE_ENTRIES];
	st->flags = (uint32_t)m.v[QLINK_ATTR_STAT_FLAGS];
	st->attached = (uint32_t)m.v[QLINK_ATTR_STAT_ATTACHED];
	return 0;
}

static void follow_cb(struct qlink_chan *chan, bool data, void *user)
{
	/* a failure only costs URCs until the next change: nothing to undo */
	if (data)
		qlink_ldisc_set_data_mode(user, true);
	else
		qlink_ldisc_end_data_mode(user, qlink_chan_data_tail(chan));
}

QLINK_API int qlink_ldisc_follow(struct qlink_ldisc *l, struct qlink_chan *chan)
{
	if (!l || !chan) {
		errno = EINVAL;
		return -1;
	}
	if (l->active || l->deferred)
		qlink_chan_set_data_mode_cb(chan, follow_cb, l);
	return 0;
}

QLINK_API int qlink_ldisc_close(struct qlink_ldisc *l)
{
	int ret = 0, err = 0;

	if (!l)
		return 0;
	if (l->active && l->prev >= 0) {
		int num;

		/* put back only what we replaced: an ldisc held before us stays */
		if (ioctl(l->fd, TIOCGETD, &num) == 0 && num != l->prev &&
		    ioctl(l->fd, TIOCSETD, &l->prev) < 0) {
			err = errno;
			ret = -1;
		}
	}
	free(l);
	if (ret)
		errno = err;
	return ret;
}
