// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink monitor: the module's URCs as they come, on any board. Without
 * qlink.ko (or with it loaded but not on this port) the port itself is
 * read and every line that arrives unasked is a URC; when qlink attach
 * holds the port, qlink.ko already takes them out, so they are read from
 * /dev/qlink-urc instead (this port's only) and the port is left alone.
 * Nothing is ever sent to the module.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "tool.h"

enum source { SRC_AUTO, SRC_PORT, SRC_KMOD };

struct monitor {
	struct tool *t;
	const char *tty; /* the port's kernel name, as qlink.ko records it: ttyUSB2, pts3 */
	long count;	 /* stop after this many; -1: no limit */
	long seen;
};

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void emit(struct monitor *m, const char *source, const char *text, long long seq)
{
	struct tool *t = m->t;
	uint64_t ms = wall_ms();

	if (t->json) {
		struct json j;

		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		json_int(&j, "time_ms", (long long)ms);
		json_str(&j, "source", source);
		json_str(&j, "tty", m->tty);
		if (seq >= 0)
			json_int(&j, "seq", seq);
		json_str(&j, "text", text);
		json_obj_end(&j);
		fputc('\n', t->out);
	} else {
		time_t s = (time_t)(ms / 1000);
		struct tm tm;

		localtime_r(&s, &tm);
		fprintf(t->out, "%02d:%02d:%02d.%03u %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
			(unsigned int)(ms % 1000), text);
	}
	fflush(t->out);
	m->seen++;
}

static void on_urc(struct qlink_chan *chan, const char *line, void *user)
{
	struct monitor *m = user;
	size_t len = 2 * strlen(line) + 16;
	char *masked = malloc(len);

	(void)chan;
	/* one read may bring several: --count N prints N */
	if (!masked || (m->count >= 0 && m->seen >= m->count)) {
		free(masked);
		return;
	}
	/* a URC may echo a configuration that holds a password */
	qlink_redact(line, masked, len);
	emit(m, "port", masked, -1);
	free(masked);
}

static const struct qlink_urc_handler urc_all[] = {
	{ "", on_urc },
};

static bool done(const struct monitor *m, uint64_t deadline)
{
	return (m->count >= 0 && m->seen >= m->count) || (deadline && tool_now_ms() >= deadline);
}

static int from_port(struct monitor *m, uint64_t deadline)
{
	struct tool *t = m->t;

	qlink_chan_set_urc_handlers(t->chan, urc_all, 1, m);
	while (!done(m, deadline)) {
		int wait = deadline ? (int)(deadline - tool_now_ms()) : 1000;

		if (wait > 1000)
			wait = 1000;
		if (qlink_chan_wait(t->chan, wait < 0 ? 0 : wait) < 0 && errno != EINTR) {
			fprintf(stderr, "qlink: %s: %s\n", t->port,
				errno == ENXIO ? "the port went away" : strerror(errno));
			return tool_exit_code(errno, 0);
		}
	}
	return EXIT_OK;
}

/*
 * /dev/qlink-urc gives its kept history first: read and dropped, so that
 * monitor shows what arrives from now on, as it does on the port.
 */
static int from_kmod(struct monitor *m, uint64_t deadline)
{
	struct qlink_urc_reader *r = qlink_urc_reader_new();
	struct qlink_urc_record rec;
	bool live = false;
	int ret = EXIT_OK;

	if (!r) {
		fprintf(stderr, "qlink: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	if (qlink_urc_reader_open(r, QLINK_URC_SOURCE_DEVICE, QLINK_URC_READER_NONBLOCK) < 0) {
		fprintf(stderr, "qlink: %s\n", qlink_urc_reader_get_error(r));
		ret = EXIT_PORT;
		goto free_reader;
	}
	while (!done(m, deadline)) {
		if (qlink_urc_reader_read(r, &rec) < 0) {
			struct pollfd pfd = { .fd = qlink_urc_reader_get_fd(r), .events = POLLIN };
			int wait = deadline ? (int)(deadline - tool_now_ms()) : 1000;

			if (errno == EAGAIN) {
				if (!live && m->t->verbose)
					fprintf(stderr, "-- %s: history skipped, live from here\n",
						QLINK_URC_DEVICE);
				live = true;
				poll(&pfd, 1, wait > 1000 ? 1000 : wait < 0 ? 0 : wait);
				continue;
			}
			if (errno == EINTR || errno == EPIPE)
				continue; /* EPIPE: records lost, said by the next one's seq */
			fprintf(stderr, "qlink: %s\n", qlink_urc_reader_get_error(r));
			ret = EXIT_PORT;
			break;
		}
		if (live && (!m->tty || !strcmp(rec.tty, m->tty)))
			emit(m, "qlink.ko", rec.text, (long long)rec.seq);
	}
free_reader:
	qlink_urc_reader_free(r);
	return ret;
}

void cmd_monitor_usage(FILE *f)
{
	fprintf(f, "usage: qlink [options] monitor [--count N] [--duration S]\n"
		   "                               [--source auto|port|kmod]\n\n"
		   "Print the module's URCs as they arrive, one a line (with --json, a\n"
		   "global option: one object a line with time_ms, source, tty, text).\n"
		   "Nothing is sent to the module. Without qlink.ko on the port, the port\n"
		   "is read; when qlink attach holds it, the records of this port come\n"
		   "from /dev/qlink-urc (what arrives from now on, as on the port).\n\n"
		   "options:\n"
		   "  -c, --count N      stop after N URCs\n"
		   "  -d, --duration S   stop after S seconds (exit 0)\n"
		   "  -s, --source SRC   auto (default), port, or kmod (/dev/qlink-urc)\n"
		   "  -h, --help         this text\n");
}

int cmd_monitor(struct tool *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct monitor m = { .t = t, .count = -1 };
	char tty[64];
	enum source src = SRC_AUTO;
	uint64_t deadline = 0;
	struct qlink_ldisc *l;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:d:s:h", opts, NULL)) != -1) {
		char *end;
		double secs;

		switch (c) {
		case 'c':
			errno = 0;
			m.count = strtol(optarg, &end, 10);
			if (errno || *end || m.count < 1) {
				fprintf(stderr,
					"qlink monitor: --count %s: not a positive number\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'd':
			errno = 0;
			secs = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(secs > 0 && secs <= 31 * 86400)) {
				fprintf(stderr,
					"qlink monitor: --duration %s: not a number of seconds\n",
					optarg);
				return EXIT_USAGE;
			}
			deadline = (uint64_t)(secs * 1000 + 0.5);
			break;
		case 's':
			if (!strcmp(optarg, "auto") || !strcmp(optarg, "port") ||
			    !strcmp(optarg, "kmod")) {
				src = optarg[0] == 'a' ? SRC_AUTO :
				      optarg[0] == 'p' ? SRC_PORT :
							 SRC_KMOD;
				break;
			}
			fprintf(stderr, "qlink monitor: --source %s: one of auto, port, kmod\n",
				optarg);
			return EXIT_USAGE;
		case 'h':
			cmd_monitor_usage(stdout);
			return EXIT_OK;
		default:
			fprintf(stderr,
				"qlink monitor: %s: unknown option (qlink monitor --help)\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		cmd_monitor_usage(stderr);
		return EXIT_USAGE;
	}
	if (t->port) {
		/*
		 * The kernel's name, as qlink.ko's records carry it (and qlink
		 * stats reads it): a link resolved, /dev/ttyUSB2 -> ttyUSB2,
		 * /dev/pts/3 -> pts3.
		 */
		char *real = realpath(t->port, NULL);
		const char *p = real ? real : t->port;
		size_t i = 0;

		if (!strncmp(p, "/dev/", 5))
			p += 5;
		for (; *p && i < sizeof(tty) - 1; p++)
			if (*p != '/')
				tty[i++] = *p;
		tty[i] = '\0';
		free(real);
		m.tty = tty;
	}
	if (deadline)
		deadline += tool_now_ms();
	if (src == SRC_KMOD)
		return from_kmod(&m, deadline);
	ret = tool_open(t);
	if (ret)
		return ret;
	if (src == SRC_AUTO) {
		/* qlink attach's discipline on the port: qlink.ko has the URCs */
		l = qlink_ldisc_attach(qlink_chan_get_fd(t->chan), 0, QLINK_LDISC_EXISTING);
		if (l && qlink_ldisc_get_active(l))
			src = SRC_KMOD;
		qlink_ldisc_close(l); /* leaves qlink attach's in place */
	}
	if (src == SRC_KMOD) {
		/* the port stays with qlink attach, whose publish-only mode needs it alone */
		tool_close(t);
		if (t->verbose)
			fprintf(stderr, "-- %s: qlink.ko's line discipline: reading %s\n", t->port,
				QLINK_URC_DEVICE);
		return from_kmod(&m, deadline);
	}
	if (t->verbose)
		fprintf(stderr, "-- %s: reading URCs from the port\n", t->port);
	ret = from_port(&m, deadline);
	tool_close(t);
	return ret;
}
