// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Waiting for a port's node, the one place that does it.
 *
 * A USB re-enumeration removes the tty node and creates it anew, so the
 * node itself has nothing to wait on; its directory does: inotify on it
 * wakes the wait the moment the node (or a by-id link) is created,
 * renamed into place, chmod'ed or removed. inotify alone is not enough:
 * the directory may not exist yet (/dev/serial/by-id appears with the
 * first USB serial device) or inotify may be unavailable, and udev
 * changes the node's mode after creating it. The path is therefore also
 * looked at every RECHECK_MS, which bounds how late a missed event is
 * seen; without inotify that look is the only way, and it is enough.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/port-wait.h"
#include "core/transport-priv.h"

#define RECHECK_MS 250

static bool port_there(const char *path, bool present)
{
	struct stat st;

	if (present)
		return !access(path, R_OK | W_OK);
	return stat(path, &st) < 0 && errno == ENOENT;
}

int qlink_port_wait(const char *path, bool present, unsigned int timeout_ms)
{
	uint64_t deadline = qlink_now_ms() + timeout_ms;
	char dir[PATH_MAX];
	int in, ret = -1;

	if (!path || !*path) {
		errno = EINVAL;
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (in >= 0 && inotify_add_watch(in, dirname(dir),
					 IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_DELETE |
						 IN_MOVED_FROM) < 0) {
		close(in);
		in = -1;
	}
	for (;;) {
		struct pollfd pfd = { .fd = in, .events = POLLIN };
		uint64_t now = qlink_now_ms();
		char ev[4096];

		if (port_there(path, present)) {
			ret = 0;
			break;
		}
		if (now >= deadline)
			break;
		poll(&pfd, in >= 0 ? 1 : 0,
		     (int)(deadline - now < RECHECK_MS ? deadline - now : RECHECK_MS));
		if (in >= 0)
			while (read(in, ev, sizeof(ev)) > 0)
				;
	}
	if (in >= 0)
		close(in);
	if (ret < 0)
		errno = ETIMEDOUT;
	return ret;
}

static ssize_t gone_read(void *priv, void *buf, size_t len)
{
	(void)priv;
	(void)buf;
	(void)len;
	errno = ENXIO;
	return -1;
}

static ssize_t gone_write(void *priv, const void *buf, size_t len)
{
	(void)priv;
	(void)buf;
	(void)len;
	errno = ENXIO;
	return -1;
}

static const struct qlink_transport_ops gone_ops = {
	.read = gone_read,
	.write = gone_write,
};

void qlink_port_release(struct qlink_transport *t)
{
	if (!t || t->ops == &gone_ops)
		return;
	if (t->ops->close)
		t->ops->close(t->priv);
	t->ops = &gone_ops;
	t->priv = NULL;
}
