/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The "qlink" generic-netlink family, for the URC reader and the counters
 * query: a socket that knows the family, and the decoding of its messages.
 * Built on libmnl; without it (WITH_LIBMNL=0) every call fails with ENOTSUP.
 */
#ifndef QLINK_MODULE_GENL_H
#define QLINK_MODULE_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/qlink.h>

struct mnl_socket;

/**
 * struct qlink_genl - a socket on the family
 * @sock: the socket, NULL when closed
 * @family: the family's id
 * @group: the "urc" multicast group's id
 * @seq: the last request's sequence number
 */
struct qlink_genl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t group;
	unsigned int seq;
};

/**
 * struct qlink_genl_msg - what one message of the family carried
 * @cmd: QLINK_CMD_*
 * @has: which attributes were present
 * @v: the integer attributes' values
 * @tty: QLINK_ATTR_TTY, NUL-terminated
 * @text: QLINK_ATTR_REC_TEXT, NUL-terminated
 * @text_len: bytes of @text
 * @text_cut: QLINK_ATTR_REC_TEXT was longer than @text holds
 */
struct qlink_genl_msg {
	uint8_t cmd;
	bool has[QLINK_ATTR_MAX + 1];
	uint64_t v[QLINK_ATTR_MAX + 1];
	char tty[QLINK_TTY_NAME_MAX];
	char text[QLINK_TEXT_MAX];
	size_t text_len;
	bool text_cut;
};

/**
 * qlink_genl_open() - a socket that has found the family
 * @g: zeroed or closed; filled in
 *
 * Return: 0, or -1 with errno ENOTSUP (built without libmnl), ENOENT (no
 * such family: qlink.ko not loaded), or a socket error.
 */
int qlink_genl_open(struct qlink_genl *g);

/* Joins the "urc" multicast group. Return: 0, or -1 with errno. */
int qlink_genl_join_urc(struct qlink_genl *g);

/* The socket's descriptor, -1 when closed. */
int qlink_genl_get_fd(const struct qlink_genl *g);

/**
 * qlink_genl_recv() - the next message of the family from the socket
 * @g: an open socket
 * @m: filled in
 *
 * Return: 0, or -1 with errno EPIPE (the socket's queue overflowed: records
 * were lost), EAGAIN (non-blocking and nothing there), EINTR, EPROTO.
 */
int qlink_genl_recv(struct qlink_genl *g, struct qlink_genl_msg *m);

/**
 * qlink_genl_get_stats() - QLINK_CMD_GET_STATS
 * @g: an open socket
 * @tty: the kernel's tty name, or NULL for the totals
 * @m: the reply
 *
 * Return: 0, or -1 with errno ENODEV (qlink is not attached to @tty), or
 * another from the kernel or the socket.
 */
int qlink_genl_get_stats(struct qlink_genl *g, const char *tty, struct qlink_genl_msg *m);

void qlink_genl_close(struct qlink_genl *g);

/**
 * qlink_genl_parse() - decode the first message of a datagram
 * @buf: what recv() returned
 * @len: its length
 * @m: filled in
 *
 * Pure: no socket. An attribute of the wrong size makes the message
 * malformed; unknown attribute types are skipped (a later module may add
 * some).
 *
 * Return: 0, or -1 with errno EPROTO (malformed, or not a generic-netlink
 * message), the kernel's error of an NLMSG_ERROR, ENOTSUP.
 */
int qlink_genl_parse(const void *buf, size_t len, struct qlink_genl_msg *m);

/**
 * qlink_genl_to_record() - a QLINK_CMD_URC message as /dev/qlink-urc's record
 * @m: the message
 * @rec: filled in, reserved fields zero
 *
 * Return: 0, or -1 with errno EPROTO (not a record: another command, or
 * QLINK_ATTR_REC_SEQ or QLINK_ATTR_REC_TEXT missing).
 */
int qlink_genl_to_record(const struct qlink_genl_msg *m, struct qlink_urc_record *rec);

#endif /* QLINK_MODULE_GENL_H */
