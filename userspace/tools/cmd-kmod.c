// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel module's commands:
 *
 *   qlink -p PORT attach [--ldisc N]   attach qlink.ko and hold the line
 *   qlink urc [--netlink] [--follow] [--count N] [--json]
 *   qlink stats [TTY]
 *
 * `attach` is ldattach(8) with RTS/CTS: the ldisc forces CRTSCTS on, and
 * the previous discipline comes back when qlink exits (SIGINT, SIGTERM,
 * SIGHUP). `urc` prints records from /dev/qlink-urc (history, then with
 * --follow what comes) or from the "urc" multicast group (--netlink: live
 * only). `stats` asks the "qlink" generic-netlink family for the counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/qlink.h>

#include "json.h"
#include "tool.h"

static const char *const stat_names[] = {
	[QLINK_ATTR_STAT_RX_BYTES] = "rx_bytes",
	[QLINK_ATTR_STAT_TX_BYTES] = "tx_bytes",
	[QLINK_ATTR_STAT_URCS] = "urcs",
	[QLINK_ATTR_STAT_DROPPED] = "dropped",
	[QLINK_ATTR_STAT_CRTSCTS_REASSERTS] = "crtscts_reasserts",
	[QLINK_ATTR_STAT_DATA_MODE_ENTRIES] = "data_mode_entries",
};

/* ------------------------------------------------------------- attach */

int cmd_attach(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ldisc", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct qlink_transport *tr;
	struct qlink_ldisc_stats st = { 0 };
	struct qlink_ldisc *l;
	sigset_t set;
	int c, sig, num = 0, ret = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+l:", opts, NULL)) != -1) {
		char *end;

		if (c != 'l')
			return EXIT_USAGE;
		num = (int)strtol(optarg, &end, 10);
		if (*end || num < 1 || num > 255) {
			fprintf(stderr, "qlink attach: --ldisc %s: not a line discipline number\n",
				optarg);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: qlink -p PORT attach [--ldisc N]\n");
		return EXIT_USAGE;
	}
	if (!t->port) {
		fprintf(stderr, "qlink: no port: pass -p DEV or set QLINK_PORT\n");
		return EXIT_USAGE;
	}
	/* the signals that end the hold are waited for, not handled */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);

	tr = qlink_transport_open_tty(t->port, t->baud, t->rtscts ? QLINK_TTY_RTSCTS : 0);
	if (!tr) {
		fprintf(stderr, "qlink: %s: %s\n", t->port, strerror(errno));
		return errno == EINVAL ? EXIT_USAGE : EXIT_PORT;
	}
	l = qlink_ldisc_attach(qlink_transport_get_fd(tr), num, QLINK_LDISC_REQUIRE);
	if (!l) {
		int err = errno;

		fprintf(stderr, "qlink: %s: cannot attach the qlink line discipline: %s%s\n",
			t->port, strerror(err),
			err == EINVAL ? " (is qlink.ko loaded? modprobe qlink)" :
			err == EPERM ? " (needs CAP_NET_ADMIN)" : "");
		qlink_transport_free(tr);
		return err == EPERM || err == EINVAL ? EXIT_FAIL : EXIT_PORT;
	}
	if (qlink_ldisc_get_stats(l, &st) == 0) {
		if (!t->rtscts && !(st.flags & QLINK_LDISC_FLOW_NONE))
			fprintf(stderr, "qlink: --no-rtscts: qlink.ko forces CRTSCTS on; load it "
					"with flow=none for boards without RTS/CTS\n");
		if (!(st.flags & (QLINK_LDISC_FLOW_NONE | QLINK_LDISC_CRTSCTS)))
			fprintf(stderr, "qlink: %s: the driver does not keep CRTSCTS: "
					"no hardware flow control\n", t->port);
	}
	if (t->json) {
		struct json j;

		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		json_str(&j, "port", t->port);
		json_bool(&j, "attached", true);
		json_bool(&j, "crtscts", st.flags & QLINK_LDISC_CRTSCTS);
		json_bool(&j, "flow_none", st.flags & QLINK_LDISC_FLOW_NONE);
		json_obj_end(&j);
		fputc('\n', t->out);
	} else {
		fprintf(t->out, "attached to %s%s; Ctrl-C or SIGTERM detaches\n", t->port,
			st.flags & QLINK_LDISC_FLOW_NONE ? " (flow=none)" : ", CRTSCTS on");
	}
	fflush(t->out);
	sigwait(&set, &sig);
	if (qlink_ldisc_close(l) < 0) {
		fprintf(stderr, "qlink: %s: restoring the previous line discipline: %s\n",
			t->port, strerror(errno));
		ret = EXIT_PORT;
	}
	qlink_transport_free(tr);
	return ret;
}

/* ------------------------------------------------------------ netlink */

struct nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t group;
	unsigned int seq;
};

static int nl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl *nl = data;
	struct nlattr *a, *g, *ga;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID) {
			nl->family = mnl_attr_get_u16(a);
		} else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS) {
			mnl_attr_for_each_nested(g, a) {
				const char *name = NULL;
				uint32_t id = 0;

				mnl_attr_for_each_nested(ga, g) {
					if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME)
						name = mnl_attr_get_str(ga);
					else if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
						id = mnl_attr_get_u32(ga);
				}
				if (name && !strcmp(name, QLINK_GENL_MCGRP_URC))
					nl->group = id;
			}
		}
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *nl_request(char *buf, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int nl_call(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;
	int ret;

	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -1;
		ret = mnl_cb_run(buf, (size_t)n, nl->seq, mnl_socket_get_portid(nl->sock), cb, data);
	} while (ret > 0);
	return ret;
}

/* Opens the socket and finds the family; prints why not and returns an exit code. */
static int nl_open(struct nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "qlink: generic netlink: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	nlh = nl_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, QLINK_GENL_NAME);
	if (nl_call(nl, nlh, nl_family_cb, nl) < 0 || !nl->family) {
		fprintf(stderr, "qlink: no \"%s\" netlink family: is qlink.ko loaded? (%s)\n",
			QLINK_GENL_NAME, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
}

/* What a reply or event carried, copied out of the receive buffer. */
struct attrs {
	uint64_t v[QLINK_ATTR_MAX + 1];
	bool has[QLINK_ATTR_MAX + 1];
	char tty[QLINK_TTY_NAME_MAX];
	char text[QLINK_TEXT_MAX];
	size_t text_len;
};

static int attrs_cb(const struct nlmsghdr *nlh, void *data)
{
	struct attrs *at = data;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		uint16_t type = mnl_attr_get_type(a);
		uint16_t len = mnl_attr_get_payload_len(a);

		if (type > QLINK_ATTR_MAX)
			continue;
		at->has[type] = true;
		if (type == QLINK_ATTR_TTY) {
			snprintf(at->tty, sizeof(at->tty), "%.*s", (int)len,
				 (const char *)mnl_attr_get_payload(a));
		} else if (type == QLINK_ATTR_REC_TEXT) {
			at->text_len = len < sizeof(at->text) - 1 ? len : sizeof(at->text) - 1;
			memcpy(at->text, mnl_attr_get_payload(a), at->text_len);
		} else if (len == 8) {
			at->v[type] = mnl_attr_get_u64(a);
		} else if (len == 4) {
			at->v[type] = mnl_attr_get_u32(a);
		}
	}
	return MNL_CB_OK;
}

/* ---------------------------------------------------------------- urc */

static void print_record(struct tool *t, const struct qlink_urc_record *r)
{
	if (t->json) {
		struct json j;

		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		json_int(&j, "seq", (long long)r->seq);
		json_int(&j, "timestamp_ns", (long long)r->timestamp_ns);
		json_str(&j, "tty", r->tty);
		json_bool(&j, "truncated", r->flags & QLINK_REC_TRUNCATED);
		json_str(&j, "text", r->text);
		json_obj_end(&j);
		fputc('\n', t->out);
	} else {
		fprintf(t->out, "%" PRIu64 " %" PRIu64 ".%06" PRIu64 " %s %s%s\n", (uint64_t)r->seq,
			(uint64_t)r->timestamp_ns / 1000000000,
			(uint64_t)r->timestamp_ns % 1000000000 / 1000, r->tty,
			r->text, r->flags & QLINK_REC_TRUNCATED ? " [truncated]" : "");
	}
	fflush(t->out);
}

static int urc_chardev(struct tool *t, bool follow, long count)
{
	struct qlink_urc_record r;
	int fd = open(QLINK_URC_DEVICE, O_RDONLY | (follow ? 0 : O_NONBLOCK));
	long n = 0;

	if (fd < 0) {
		fprintf(stderr, "qlink: %s: %s%s\n", QLINK_URC_DEVICE, strerror(errno),
			errno == ENOENT ? " (is qlink.ko loaded?)" : "");
		return EXIT_PORT;
	}
	while (count < 0 || n < count) {
		ssize_t got = read(fd, &r, sizeof(r));

		if (got < 0 && errno == EPIPE) {
			fprintf(stderr, "qlink: records were lost before this reader got them\n");
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			break;
		if (got != (ssize_t)sizeof(r)) {
			fprintf(stderr, "qlink: %s: %s\n", QLINK_URC_DEVICE,
				got < 0 ? strerror(errno) : "short record");
			close(fd);
			return EXIT_PORT;
		}
		print_record(t, &r);
		n++;
	}
	close(fd);
	return EXIT_OK;
}

static int urc_netlink(struct tool *t, long count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl nl;
	long n = 0;
	int ret = nl_open(&nl);

	if (ret)
		goto out;
	if (mnl_socket_setsockopt(nl.sock, NETLINK_ADD_MEMBERSHIP, &nl.group,
				  sizeof(nl.group)) < 0) {
		fprintf(stderr, "qlink: joining the \"%s\" group: %s\n", QLINK_GENL_MCGRP_URC,
			strerror(errno));
		ret = EXIT_FAIL;
		goto out;
	}
	if (t->verbose)
		fprintf(stderr, "-- listening on %s/%s\n", QLINK_GENL_NAME, QLINK_GENL_MCGRP_URC);
	while (count < 0 || n < count) {
		struct qlink_urc_record r = { 0 };
		ssize_t got = mnl_socket_recvfrom(nl.sock, buf, sizeof(buf));
		struct attrs at;

		if (got < 0 && errno == ENOBUFS) {
			fprintf(stderr, "qlink: records were lost before this reader got them\n");
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			fprintf(stderr, "qlink: netlink: %s\n", strerror(errno));
			ret = EXIT_FAIL;
			goto out;
		}
		memset(&at, 0, sizeof(at));
		if (mnl_cb_run(buf, (size_t)got, 0, 0, attrs_cb, &at) < 0 ||
		    !at.has[QLINK_ATTR_REC_SEQ] || !at.has[QLINK_ATTR_REC_TEXT])
			continue;
		r.seq = at.v[QLINK_ATTR_REC_SEQ];
		r.timestamp_ns = at.v[QLINK_ATTR_REC_TIMESTAMP];
		r.flags = (uint32_t)at.v[QLINK_ATTR_REC_FLAGS];
		memcpy(r.tty, at.tty, sizeof(r.tty));
		r.len = (uint16_t)at.text_len;
		memcpy(r.text, at.text, at.text_len);
		print_record(t, &r);
		n++;
	}
out:
	nl_close(&nl);
	return ret;
}

int cmd_urc(struct tool *t, int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option opts[] = {
		{ "netlink", no_argument, NULL, 'n' },
		{ "follow", no_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	bool netlink = false, follow = false;
	long count = -1;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+nfc:", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'n':
			netlink = true;
			break;
		case 'f':
			follow = true;
			break;
		case 'c':
			count = strtol(optarg, &end, 10);
			if (*end || count < 1) {
				fprintf(stderr, "qlink urc: --count %s: not a positive number\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_JSON:
			t->json = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: qlink urc [--netlink] [--follow] [--count N] [--json]\n");
		return EXIT_USAGE;
	}
	return netlink ? urc_netlink(t, count) : urc_chardev(t, follow, count);
}

/* -------------------------------------------------------------- stats */

int cmd_stats(struct tool *t, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], name[QLINK_TTY_NAME_MAX] = "";
	struct attrs at;
	struct nlmsghdr *nlh;
	struct nl nl;
	size_t i;
	int ret;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: qlink stats [TTY]   (ttyS1, ttyUSB2, /dev/pts/3...)\n");
		return EXIT_USAGE;
	}
	if (argc == 2) {
		/* the kernel's name: /dev/ttyS1 -> ttyS1, /dev/pts/3 -> pts3 */
		const char *s = argv[1];

		if (!strncmp(s, "/dev/", 5))
			s += 5;
		for (i = 0; *s && i < sizeof(name) - 1; s++)
			if (*s != '/')
				name[i++] = *s;
		name[i] = '\0';
	}
	ret = nl_open(&nl);
	if (ret)
		goto out;
	memset(&at, 0, sizeof(at));
	nlh = nl_request(buf, nl.family, QLINK_CMD_GET_STATS, QLINK_GENL_VERSION);
	if (name[0])
		mnl_attr_put_strz(nlh, QLINK_ATTR_TTY, name);
	if (nl_call(&nl, nlh, attrs_cb, &at) < 0) {
		fprintf(stderr, "qlink: stats%s%s: %s\n", name[0] ? " " : "", name,
			errno == ENODEV ? "qlink is not attached to that tty" : strerror(errno));
		ret = EXIT_FAIL;
		goto out;
	}
	if (t->json) {
		struct json j;

		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		if (name[0]) {
			uint64_t f = at.v[QLINK_ATTR_STAT_FLAGS];

			json_str(&j, "tty", name);
			json_bool(&j, "crtscts", f & QLINK_STAT_CRTSCTS);
			json_bool(&j, "flow_none", f & QLINK_STAT_FLOW_NONE);
			json_bool(&j, "data_mode", f & QLINK_STAT_DATA_MODE);
		} else {
			json_int(&j, "attached", (long long)at.v[QLINK_ATTR_STAT_ATTACHED]);
		}
		for (i = 0; i < sizeof(stat_names) / sizeof(stat_names[0]); i++)
			if (stat_names[i])
				json_int(&j, stat_names[i], (long long)at.v[i]);
		json_obj_end(&j);
		fputc('\n', t->out);
	} else {
		if (name[0]) {
			uint64_t f = at.v[QLINK_ATTR_STAT_FLAGS];

			fprintf(t->out, "tty                %s\n", name);
			fprintf(t->out, "flow               %s\n",
				f & QLINK_STAT_FLOW_NONE ? "none" :
				f & QLINK_STAT_CRTSCTS ? "rtscts" : "rtscts (driver refused)");
			fprintf(t->out, "mode               %s\n",
				f & QLINK_STAT_DATA_MODE ? "data" : "command");
		} else {
			fprintf(t->out, "attached           %" PRIu64 "\n",
				at.v[QLINK_ATTR_STAT_ATTACHED]);
		}
		for (i = 0; i < sizeof(stat_names) / sizeof(stat_names[0]); i++)
			if (stat_names[i])
				fprintf(t->out, "%-18s %" PRIu64 "\n", stat_names[i],
					at.v[i]);
	}
out:
	nl_close(&nl);
	return ret;
}
