/* SPDX-License-Identifier: GPL-2.0 */
#ifndef QLINK_TOOL_H
#define QLINK_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <qlink/qlink.h>

/* Exit codes, documented in README.md and qlink --help. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the module answered with an error */
	EXIT_USAGE = 2,		/* wrong arguments */
	EXIT_PORT = 3,		/* the port could not be opened or went away */
	EXIT_TIMEOUT = 4,	/* the module did not answer in time */
	EXIT_REFUSED = 5,	/* fota: refused before anything was sent */
	EXIT_MISMATCH = 6,	/* fota: upgraded, but not to the expected revision */
	EXIT_CANCELLED = 130,	/* interrupted (SIGINT, SIGTERM), as shells report it */
};

struct tool {
	const char *port;
	unsigned int baud;
	bool rtscts;
	unsigned int timeout_ms;	/* 0: the documented maxima */
	int verbose;
	bool json;
	struct qlink_chan *chan;
	struct qlink_ldisc *ldisc;	/* qlink.ko's, when qlink attach holds the port */
	FILE *out;
	/* board wiring: --dtr-gpio etc. or the config file (README "Board wiring") */
	const char *dtr_spec;
	const char *pwrkey_spec;
	const char *reset_spec;
	struct qlink_gpio *dtr;		/* held while the channel is open */
};

struct json;

/* Open the port and create the channel; prints the error and returns an exit code. */
int tool_open(struct tool *t);
void tool_close(struct tool *t);

/* CLOCK_MONOTONIC in ms, for rates and elapsed times the tool reports. */
uint64_t tool_now_ms(void);

/* Map a failed command to an exit code, after printing why to stderr. */
int tool_fail(struct tool *t, const struct qlink_resp *resp, const char *what);

int cmd_at(struct tool *t, int argc, char **argv);
int cmd_info(struct tool *t, int argc, char **argv);
int cmd_fota(struct tool *t, int argc, char **argv);
int cmd_ftp(struct tool *t, int argc, char **argv);
int cmd_attach(struct tool *t, int argc, char **argv);
int cmd_urc(struct tool *t, int argc, char **argv);
int cmd_stats(struct tool *t, int argc, char **argv);
int cmd_power(struct tool *t, int argc, char **argv);
int cmd_escape(struct tool *t, int argc, char **argv);

#endif
