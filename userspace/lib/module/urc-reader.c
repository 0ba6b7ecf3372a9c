// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The URC reader: /dev/qlink-urc or the "urc" multicast group, one record
 * per call, one descriptor for the caller's poll loop. The records of both
 * come out as the device's struct qlink_urc_record, so a caller can switch
 * sources without a second code path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qlink/urc-reader.h>

#include "core/api.h"
#include "module/genl.h"
#include "module/urc-record.h"

struct qlink_urc_reader {
	enum qlink_urc_source source;
	int fd;			/* the device; -1 for netlink or closed */
	struct qlink_genl genl; /* the socket; .sock NULL for the device or closed */
	char error[160];
};

static void set_error(struct qlink_urc_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keeps errno, so callers can set it, then the sentence. */
static void set_error(struct qlink_urc_reader *r, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	errno = err;
}

int qlink_urc_record_decode(const void *buf, size_t n, struct qlink_urc_record *rec)
{
	const struct qlink_urc_record *in = buf;

	if (n != sizeof(*in) || in->len >= sizeof(in->text) || in->text[in->len] != '\0' ||
	    !memchr(in->tty, '\0', sizeof(in->tty))) {
		errno = EPROTO;
		return -1;
	}
	memcpy(rec, in, sizeof(*rec));
	rec->reserved0 = 0;
	memset(rec->reserved, 0, sizeof(rec->reserved));
	return 0;
}

QLINK_API struct qlink_urc_reader *qlink_urc_reader_new(void)
{
	struct qlink_urc_reader *r = calloc(1, sizeof(*r));

	if (r)
		r->fd = -1;
	return r;
}

static void reader_close(struct qlink_urc_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	qlink_genl_close(&r->genl);
}

static int open_device(struct qlink_urc_reader *r, unsigned int flags)
{
	int oflags = O_RDONLY | O_CLOEXEC;

	if (flags & QLINK_URC_READER_NONBLOCK)
		oflags |= O_NONBLOCK;
	r->fd = open(QLINK_URC_DEVICE, oflags);
	if (r->fd < 0) {
		set_error(r, "%s: %s%s", QLINK_URC_DEVICE, strerror(errno),
			  errno == ENOENT ?
				  " (is qlink.ko loaded?)" :
			  errno == EACCES || errno == EPERM ?
				  " (readable by its group only: dialout with qlink's udev rule)" :
				  "");
		return -1;
	}
	return 0;
}

static int open_netlink(struct qlink_urc_reader *r, unsigned int flags)
{
	int fd;

	if (qlink_genl_open(&r->genl) < 0) {
		if (errno == ENOTSUP)
			set_error(r, "generic netlink: libqlink was built without libmnl "
				     "(WITH_LIBMNL=0)");
		else if (errno == ENOENT)
			set_error(r, "no \"%s\" netlink family: is qlink.ko loaded?",
				  QLINK_GENL_NAME);
		else
			set_error(r, "generic netlink: %s", strerror(errno));
		return -1;
	}
	if (qlink_genl_join_urc(&r->genl) < 0) {
		set_error(r, "joining the \"%s\" group: %s%s", QLINK_GENL_MCGRP_URC,
			  strerror(errno),
			  errno == EPERM ?
				  " (needs CAP_NET_ADMIN; /dev/qlink-urc needs only its group)" :
				  "");
		goto err_genl;
	}
	fd = qlink_genl_get_fd(&r->genl);
	if ((flags & QLINK_URC_READER_NONBLOCK) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		set_error(r, "generic netlink: %s", strerror(errno));
		goto err_genl;
	}
	return 0;

err_genl:
	qlink_genl_close(&r->genl);
	return -1;
}

QLINK_API int qlink_urc_reader_open(struct qlink_urc_reader *r, enum qlink_urc_source source,
				    unsigned int flags)
{
	if (!r) {
		errno = EINVAL;
		return -1;
	}
	reader_close(r);
	r->error[0] = '\0';
	if ((source != QLINK_URC_SOURCE_DEVICE && source != QLINK_URC_SOURCE_NETLINK) ||
	    (flags & ~QLINK_URC_READER_NONBLOCK)) {
		errno = EINVAL;
		set_error(r, "no such URC source or flag");
		return -1;
	}
	r->source = source;
	return source == QLINK_URC_SOURCE_DEVICE ? open_device(r, flags) : open_netlink(r, flags);
}

QLINK_API int qlink_urc_reader_get_fd(const struct qlink_urc_reader *r)
{
	if (!r)
		return -1;
	return r->fd >= 0 ? r->fd : qlink_genl_get_fd(&r->genl);
}

static int read_device(struct qlink_urc_reader *r, struct qlink_urc_record *rec)
{
	struct qlink_urc_record in;
	ssize_t n = read(r->fd, &in, sizeof(in));

	if (n < 0) {
		if (errno == EPIPE)
			set_error(r, "records were lost before this reader got them");
		else if (errno != EAGAIN && errno != EINTR)
			set_error(r, "%s: %s", QLINK_URC_DEVICE, strerror(errno));
		return -1;
	}
	if (qlink_urc_record_decode(&in, (size_t)n, rec) < 0) {
		set_error(r, "%s: a record of %zd bytes this library cannot read", QLINK_URC_DEVICE,
			  n);
		return -1;
	}
	return 0;
}

static int read_netlink(struct qlink_urc_reader *r, struct qlink_urc_record *rec)
{
	struct qlink_genl_msg m;

	/* the group carries only records today; anything else is skipped */
	for (;;) {
		if (qlink_genl_recv(&r->genl, &m) < 0) {
			if (errno == EPIPE)
				set_error(r, "records were lost before this reader got them");
			else if (errno != EAGAIN && errno != EINTR)
				set_error(r, "generic netlink: %s", strerror(errno));
			return -1;
		}
		if (m.cmd != QLINK_CMD_URC)
			continue;
		if (qlink_genl_to_record(&m, rec) < 0) {
			set_error(r, "generic netlink: a record without a sequence number or text");
			return -1;
		}
		return 0;
	}
}

QLINK_API int qlink_urc_reader_read(struct qlink_urc_reader *r, struct qlink_urc_record *rec)
{
	if (!r || !rec) {
		errno = EINVAL;
		return -1;
	}
	if (r->fd >= 0)
		return read_device(r, rec);
	if (r->genl.sock)
		return read_netlink(r, rec);
	errno = EBADF;
	set_error(r, "the URC reader is not open");
	return -1;
}

QLINK_API const char *qlink_urc_reader_get_error(const struct qlink_urc_reader *r)
{
	return r ? r->error : "";
}

QLINK_API void qlink_urc_reader_free(struct qlink_urc_reader *r)
{
	if (!r)
		return;
	reader_close(r);
	free(r);
}
