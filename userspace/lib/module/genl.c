// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The "qlink" generic-netlink family through libmnl. Requests are answered
 * by the kernel before sendto() returns (the family's handlers run in the
 * sender's context), so the replies are read with MSG_DONTWAIT: nothing
 * here waits for the kernel except qlink_genl_recv() on a blocking socket,
 * which the caller asked for.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include "module/genl.h"

#ifdef QLINK_HAVE_LIBMNL

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/* An integer attribute's payload size: 4 or 8. */
static uint16_t int_size(uint16_t type)
{
	switch (type) {
	case QLINK_ATTR_REC_FLAGS:
	case QLINK_ATTR_STAT_FLAGS:
	case QLINK_ATTR_STAT_ATTACHED:
		return 4;
	default:
		return 8;
	}
}

static int parse_attr(const struct nlattr *a, void *data)
{
	struct qlink_genl_msg *m = data;
	uint16_t type = mnl_attr_get_type(a);
	uint16_t len = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);
	size_t n;

	if (type == QLINK_ATTR_UNSPEC || type == QLINK_ATTR_PAD || type > QLINK_ATTR_MAX)
		return MNL_CB_OK;
	switch (type) {
	case QLINK_ATTR_TTY:
		n = strnlen(p, len);
		if (n >= sizeof(m->tty)) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		memcpy(m->tty, p, n);
		m->tty[n] = '\0';
		break;
	case QLINK_ATTR_REC_TEXT:
		n = len < sizeof(m->text) - 1 ? len : sizeof(m->text) - 1;
		memcpy(m->text, p, n);
		m->text[n] = '\0';
		m->text_len = n;
		m->text_cut = n < len;
		break;
	default:
		if (len != int_size(type)) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		m->v[type] = len == 8 ? mnl_attr_get_u64(a) : mnl_attr_get_u32(a);
	}
	m->has[type] = true;
	return MNL_CB_OK;
}

static int parse_nlh(const struct nlmsghdr *nlh, struct qlink_genl_msg *m)
{
	const struct genlmsghdr *g;

	memset(m, 0, sizeof(*m));
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		errno = nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*e)) && e->error < 0 ? -e->error :
										       EPROTO;
		return -1;
	}
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g))) {
		errno = EPROTO;
		return -1;
	}
	g = mnl_nlmsg_get_payload(nlh);
	m->cmd = g->cmd;
	return mnl_attr_parse(nlh, sizeof(*g), parse_attr, m) == MNL_CB_ERROR ? -1 : 0;
}

int qlink_genl_parse(const void *buf, size_t len, struct qlink_genl_msg *m)
{
	const struct nlmsghdr *nlh = buf;

	if (len > INT_MAX || !mnl_nlmsg_ok(nlh, (int)len)) {
		errno = EPROTO;
		return -1;
	}
	return parse_nlh(nlh, m);
}

/* @buf: MNL_SOCKET_BUFFER_SIZE bytes, zeroed so that no padding goes out unset */
static struct nlmsghdr *request(char *buf, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int call(struct qlink_genl *g, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	int fd = mnl_socket_get_fd(g->sock);
	ssize_t n;
	int ret;

	nlh->nlmsg_seq = ++g->seq;
	if (mnl_socket_sendto(g->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			return -1;
		ret = mnl_cb_run(buf, (size_t)n, g->seq, mnl_socket_get_portid(g->sock), cb, data);
	} while (ret > 0);
	return ret < 0 ? -1 : 0;
}

static void family_group(const struct nlattr *grp, struct qlink_genl *g)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp)
	{
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_get_payload_len(a) == 4)
			id = mnl_attr_get_u32(a);
	}
	if (name && !strcmp(name, QLINK_GENL_MCGRP_URC))
		g->group = id;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct qlink_genl *g = data;
	const struct nlattr *a, *grp;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID && mnl_attr_get_payload_len(a) == 2)
			g->family = mnl_attr_get_u16(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			mnl_attr_for_each_nested(grp, a) family_group(grp, g);
	}
	return MNL_CB_OK;
}

int qlink_genl_open(struct qlink_genl *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int err;

	memset(g, 0, sizeof(*g));
	g->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!g->sock)
		return -1;
	if (mnl_socket_bind(g->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err_sock;
	nlh = request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, QLINK_GENL_NAME);
	if (call(g, nlh, family_cb, g) < 0)
		goto err_sock;
	if (!g->family || !g->group) {
		errno = ENOENT;
		goto err_sock;
	}
	return 0;

err_sock:
	err = errno;
	mnl_socket_close(g->sock);
	g->sock = NULL;
	errno = err;
	return -1;
}

int qlink_genl_join_urc(struct qlink_genl *g)
{
	return mnl_socket_setsockopt(g->sock, NETLINK_ADD_MEMBERSHIP, &g->group, sizeof(g->group));
}

int qlink_genl_get_fd(const struct qlink_genl *g)
{
	return g->sock ? mnl_socket_get_fd(g->sock) : -1;
}

int qlink_genl_recv(struct qlink_genl *g, struct qlink_genl_msg *m)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	ssize_t n = mnl_socket_recvfrom(g->sock, buf, sizeof(buf));

	if (n < 0) {
		/* the kernel could not queue a message for us: records lost */
		if (errno == ENOBUFS)
			errno = EPIPE;
		return -1;
	}
	return qlink_genl_parse(buf, (size_t)n, m);
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	return parse_nlh(nlh, data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int qlink_genl_get_stats(struct qlink_genl *g, const char *tty, struct qlink_genl_msg *m)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = request(buf, g->family, QLINK_CMD_GET_STATS, QLINK_GENL_VERSION);

	memset(m, 0, sizeof(*m));
	if (tty)
		mnl_attr_put_strz(nlh, QLINK_ATTR_TTY, tty);
	return call(g, nlh, reply_cb, m);
}

void qlink_genl_close(struct qlink_genl *g)
{
	if (g->sock)
		mnl_socket_close(g->sock);
	g->sock = NULL;
}

#else /* !QLINK_HAVE_LIBMNL */

int qlink_genl_parse(const void *buf, size_t len, struct qlink_genl_msg *m)
{
	errno = ENOTSUP;
	return -1;
}

int qlink_genl_open(struct qlink_genl *g)
{
	memset(g, 0, sizeof(*g));
	errno = ENOTSUP;
	return -1;
}

int qlink_genl_join_urc(struct qlink_genl *g)
{
	errno = ENOTSUP;
	return -1;
}

int qlink_genl_get_fd(const struct qlink_genl *g)
{
	return -1;
}

int qlink_genl_recv(struct qlink_genl *g, struct qlink_genl_msg *m)
{
	errno = ENOTSUP;
	return -1;
}

int qlink_genl_get_stats(struct qlink_genl *g, const char *tty, struct qlink_genl_msg *m)
{
	errno = ENOTSUP;
	return -1;
}

void qlink_genl_close(struct qlink_genl *g)
{
}

#endif /* QLINK_HAVE_LIBMNL */

int qlink_genl_to_record(const struct qlink_genl_msg *m, struct qlink_urc_record *rec)
{
	if (m->cmd != QLINK_CMD_URC || !m->has[QLINK_ATTR_REC_SEQ] ||
	    !m->has[QLINK_ATTR_REC_TEXT]) {
		errno = EPROTO;
		return -1;
	}
	memset(rec, 0, sizeof(*rec));
	rec->seq = m->v[QLINK_ATTR_REC_SEQ];
	rec->timestamp_ns = m->v[QLINK_ATTR_REC_TIMESTAMP];
	rec->flags = (uint32_t)m->v[QLINK_ATTR_REC_FLAGS] | (m->text_cut ? QLINK_REC_TRUNCATED : 0);
	memcpy(rec->tty, m->tty, sizeof(rec->tty));
	rec->len = (uint16_t)m->text_len;
	memcpy(rec->text, m->text, m->text_len);
	return 0;
}
