// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
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
 * only), through libqlink's URC reader. `stats` asks the "qlink"
 * generic-netlink family for the counters (qlink_ldisc_query_stats()).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/qlink.h>

#include "json.h"
#include "tool.h"

/* qlink stats' counters, in the order the tool prints them */
static const char *const counter_names[] = {
	"rx_bytes", "tx_bytes", "urcs", "dropped", "crtscts_reasserts", "data_mode_entries",
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
	struct qlink_port pf = { .flags = QLINK_PORT_PUBLISH_ONLY };
	struct qlink_ldisc *l;
	sigset_t set;
	int c, sig, num = 0, ret = EXIT_OK;
	bool publish_only;

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

	tr = tool_open_port(t, 0, &ret);
	if (!tr)
		return ret;
	l = qlink_ldisc_attach(qlink_transport_get_fd(tr), num, QLINK_LDISC_REQUIRE);
	if (!l) {
		int err = errno;

		fprintf(stderr, "qlink: %s: cannot attach the qlink line discipline: %s%s\n",
			t->port, strerror(err),
			err == EINVAL ? " (is qlink.ko loaded? modprobe qlink)" :
			err == EPERM  ? " (needs CAP_NET_ADMIN)" :
			err == ENOTTY ? " (a pty master: attach to the slave)" :
					"");
		qlink_transport_free(tr);
		/* no module or no capability is the system's answer, not the port's */
		return err == EPERM || err == EINVAL ? EXIT_FAIL : EXIT_PORT;
	}
	/*
	 * This process never reads the port: without publish-only, the
	 * module's receive buffer fills and publication stops (RTS held low)
	 * unless another process reads. With it, the oldest unread bytes are
	 * dropped while nobody else has the port open.
	 */
	/*
	 * The port stays held (by the lock file, which now says so) against
	 * other programs, while qlink commands that follow the line discipline
	 * come in one at a time, ordered by the device's flock.
	 */
	if (qlink_transport_share_tty(tr) < 0)
		fprintf(stderr, "qlink: %s: cannot let qlink commands share the port: %s\n",
			t->port, strerror(errno));
	publish_only = ioctl(qlink_transport_get_fd(tr), QLINK_IOC_SET_PORT, &pf) == 0;
	if (!publish_only)
		fprintf(stderr,
			"qlink: %s: qlink.ko has no publish-only mode (%s): URCs stop once "
			"64 KiB arrive that nobody reads\n",
			t->port, strerror(errno));
	if (qlink_ldisc_get_stats(l, &st) == 0) {
		if (!t->rtscts && !(st.flags & QLINK_LDISC_FLOW_NONE))
			fprintf(stderr, "qlink: --no-rtscts: qlink.ko forces CRTSCTS on; load it "
					"with flow=none for boards without RTS/CTS\n");
		if (!(st.flags & (QLINK_LDISC_FLOW_NONE | QLINK_LDISC_CRTSCTS)))
			fprintf(stderr,
				"qlink: %s: the driver does not keep CRTSCTS: "
				"no hardware flow control\n",
				t->port);
	}
	if (t->json) {
		struct json j;

		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		json_str(&j, "port", t->port);
		json_bool(&j, "attached", true);
		json_bool(&j, "crtscts", st.flags & QLINK_LDISC_CRTSCTS);
		json_bool(&j, "flow_none", st.flags & QLINK_LDISC_FLOW_NONE);
		json_bool(&j, "publish_only", publish_only);
		json_obj_end(&j);
		fputc('\n', t->out);
	} else {
		fprintf(t->out, "attached to %s%s; Ctrl-C or SIGTERM detaches\n", t->port,
			st.flags & QLINK_LDISC_FLOW_NONE ? " (flow=none)" : ", CRTSCTS on");
	}
	fflush(t->out);
	sigwait(&set, &sig);
	if (qlink_ldisc_close(l) < 0) {
		fprintf(stderr, "qlink: %s: restoring the previous line discipline: %s\n", t->port,
			strerror(errno));
		ret = EXIT_PORT;
	}
	qlink_transport_free(tr);
	return ret;
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
		json_bool(&j, "solicited", r->flags & QLINK_REC_SOLICITED);
		json_bool(&j, "body", r->flags & QLINK_REC_BODY);
		json_bool(&j, "rx_error", r->flags & QLINK_REC_RX_ERROR);
		json_str(&j, "text", r->text);
		json_obj_end(&j);
		fputc('\n', t->out);
	} else {
		fprintf(t->out, "%" PRIu64 " %" PRIu64 ".%06" PRIu64 " %s %s%s%s%s%s\n",
			(uint64_t)r->seq, (uint64_t)r->timestamp_ns / 1000000000,
			(uint64_t)r->timestamp_ns % 1000000000 / 1000, r->tty, r->text,
			r->flags & QLINK_REC_TRUNCATED ? " [truncated]" : "",
			r->flags & QLINK_REC_SOLICITED ? " [solicited]" : "",
			r->flags & QLINK_REC_BODY ? " [body]" : "",
			r->flags & QLINK_REC_RX_ERROR ? " [rx error]" : "");
	}
	fflush(t->out);
}

static int urc_read(struct tool *t, bool netlink, bool follow, long count)
{
	struct qlink_urc_reader *r = qlink_urc_reader_new();
	struct qlink_urc_record rec;
	int ret = EXIT_OK;
	long n = 0;

	if (!r) {
		fprintf(stderr, "qlink: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	/* the device without --follow: what it keeps now, then stop */
	if (qlink_urc_reader_open(r, netlink ? QLINK_URC_SOURCE_NETLINK : QLINK_URC_SOURCE_DEVICE,
				  netlink || follow ? 0 : QLINK_URC_READER_NONBLOCK) < 0) {
		fprintf(stderr, "qlink: %s\n", qlink_urc_reader_get_error(r));
		ret = netlink ? EXIT_FAIL : EXIT_PORT;
		goto out;
	}
	if (netlink && t->verbose)
		fprintf(stderr, "-- listening on %s/%s\n", QLINK_GENL_NAME, QLINK_GENL_MCGRP_URC);
	while (count < 0 || n < count) {
		if (qlink_urc_reader_read(r, &rec) < 0) {
			if (errno == EPIPE) {
				fprintf(stderr, "qlink: %s\n", qlink_urc_reader_get_error(r));
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			fprintf(stderr, "qlink: %s\n", qlink_urc_reader_get_error(r));
			ret = netlink ? EXIT_FAIL : EXIT_PORT;
			break;
		}
		print_record(t, &rec);
		n++;
	}
out:
	qlink_urc_reader_free(r);
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
	return urc_read(t, netlink, follow, count);
}

/* -------------------------------------------------------------- stats */

int cmd_stats(struct tool *t, int argc, char **argv)
{
	char name[QLINK_TTY_NAME_MAX] = "";
	struct qlink_ldisc_stats st;
	uint64_t v[sizeof(counter_names) / sizeof(counter_names[0])];
	size_t i;

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
	if (qlink_ldisc_query_stats(name[0] ? name : NULL, &st) < 0) {
		int err = errno;

		if (err == ENOENT)
			fprintf(stderr, "qlink: no \"%s\" netlink family: is qlink.ko loaded?\n",
				QLINK_GENL_NAME);
		else
			fprintf(stderr, "qlink: stats%s%s: %s\n", name[0] ? " " : "", name,
				err == ENODEV  ? "qlink is not attached to that tty" :
				err == EPERM   ? "the counters need CAP_NET_ADMIN (run as root)" :
				err == ENOTSUP ? "qlink was built without libmnl (WITH_LIBMNL=0)" :
						 strerror(err));
		return EXIT_FAIL;
	}
	v[0] = st.rx_bytes;
	v[1] = st.tx_bytes;
	v[2] = st.urcs;
	v[3] = st.dropped;
	v[4] = st.crtscts_reasserts;
	v[5] = st.data_mode_entries;
	if (t->json) {
		struct json j;

		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		if (name[0]) {
			json_str(&j, "tty", name);
			json_bool(&j, "crtscts", st.flags & QLINK_LDISC_CRTSCTS);
			json_bool(&j, "flow_none", st.flags & QLINK_LDISC_FLOW_NONE);
			json_bool(&j, "data_mode", st.flags & QLINK_LDISC_DATA_MODE);
		} else {
			json_int(&j, "attached", (long long)st.attached);
		}
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			json_int(&j, counter_names[i], (long long)v[i]);
		json_obj_end(&j);
		fputc('\n', t->out);
	} else {
		if (name[0]) {
			fprintf(t->out, "tty                %s\n", name);
			fprintf(t->out, "flow               %s\n",
				st.flags & QLINK_LDISC_FLOW_NONE ? "none" :
				st.flags & QLINK_LDISC_CRTSCTS	 ? "rtscts" :
								   "rtscts (driver refused)");
			fprintf(t->out, "mode               %s\n",
				st.flags & QLINK_LDISC_DATA_MODE ? "data" : "command");
		} else {
			fprintf(t->out, "attached           %" PRIu32 "\n", st.attached);
		}
		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			fprintf(t->out, "%-18s %" PRIu64 "\n", counter_names[i], v[i]);
	}
	return EXIT_OK;
}
