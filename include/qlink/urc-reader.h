/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * URC records from qlink.ko, for any process: the module's record device
 * /dev/qlink-urc (the records it still keeps, then what comes) or the "urc"
 * multicast group of its generic-netlink family (what comes while the
 * reader is open). Either way a record is the module's
 * struct qlink_urc_record (include/uapi/linux/qlink.h), whose layout the
 * kernel ABI already fixes.
 *
 * The reader has one descriptor to put in the caller's poll loop:
 *
 *	struct qlink_urc_reader *r = qlink_urc_reader_new();
 *	struct qlink_urc_record rec;
 *
 *	if (qlink_urc_reader_open(r, QLINK_URC_SOURCE_DEVICE, QLINK_URC_READER_NONBLOCK) < 0)
 *		fprintf(stderr, "%s\n", qlink_urc_reader_get_error(r));
 *	... poll qlink_urc_reader_get_fd(r) for POLLIN ...
 *	while (qlink_urc_reader_read(r, &rec) == 0)
 *		printf("%s %s\n", rec.tty, rec.text);
 *	qlink_urc_reader_free(r);
 *
 * The netlink source needs libqlink built with libmnl (WITH_LIBMNL=1, the
 * default when libmnl is found); without it opening one fails with ENOTSUP.
 */
#ifndef QLINK_URC_READER_H
#define QLINK_URC_READER_H

#include <linux/qlink.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_urc_reader;

/** Where a reader takes its records from. */
enum qlink_urc_source {
	QLINK_URC_SOURCE_DEVICE,  /**< QLINK_URC_DEVICE: kept history, then live */
	QLINK_URC_SOURCE_NETLINK, /**< the "urc" multicast group: live only */
};

/* qlink_urc_reader_open() flags */
#define QLINK_URC_READER_NONBLOCK (1U << 0) /* read() gives EAGAIN instead of waiting */

/**
 * qlink_urc_reader_new() - a reader, not open yet
 *
 * Return: the reader, or NULL with errno ENOMEM.
 */
struct qlink_urc_reader *qlink_urc_reader_new(void);

/**
 * qlink_urc_reader_open() - start reading records
 * @r: the reader; one already open is closed first
 * @source: QLINK_URC_SOURCE_DEVICE or QLINK_URC_SOURCE_NETLINK
 * @flags: QLINK_URC_READER_NONBLOCK or 0
 *
 * The device starts at the oldest record the module still keeps; the
 * multicast group at the next record published.
 *
 * Return: 0, or -1 with errno (and qlink_urc_reader_get_error() saying
 * why): EINVAL (bad @source or @flags), ENOENT (qlink.ko is not loaded),
 * EACCES (the device is 0440 and the caller is not in its group, dialout
 * with qlink's udev rule), EPERM (netlink: joining the group needs
 * CAP_NET_ADMIN), ENOTSUP (netlink, and libqlink was built without libmnl:
 * WITH_LIBMNL=0), ENOMEM, or a socket's error.
 */
int qlink_urc_reader_open(struct qlink_urc_reader *r, enum qlink_urc_source source,
			  unsigned int flags);

/**
 * qlink_urc_reader_get_fd() - the descriptor to poll for POLLIN
 * @r: the reader
 *
 * Return: the descriptor (owned by the reader), or -1 when not open.
 */
int qlink_urc_reader_get_fd(const struct qlink_urc_reader *r);

/**
 * qlink_urc_reader_read() - the next record
 * @r: an open reader
 * @rec: filled in: @rec->tty and @rec->text are NUL-terminated, reserved
 *	fields zero
 *
 * Without QLINK_URC_READER_NONBLOCK waits until a record comes (or a
 * signal). After EPIPE the reader goes on with the records that were kept.
 *
 * Return: 0, or -1 with errno EAGAIN (non-blocking, no record now), EINTR,
 * EPIPE (records were lost before this reader got them: the device's ring
 * overran it, or the socket's queue was full), EPROTO (a record the
 * library cannot read), EBADF (not open), ENODEV (the module went away).
 */
int qlink_urc_reader_read(struct qlink_urc_reader *r, struct qlink_urc_record *rec);

/**
 * qlink_urc_reader_get_error() - one sentence about the last failure
 * @r: the reader
 *
 * Return: the sentence, "" when nothing failed; never NULL.
 */
const char *qlink_urc_reader_get_error(const struct qlink_urc_reader *r);

/**
 * qlink_urc_reader_free() - close and free a reader
 * @r: the reader, may be NULL
 */
void qlink_urc_reader_free(struct qlink_urc_reader *r);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_URC_READER_H */
