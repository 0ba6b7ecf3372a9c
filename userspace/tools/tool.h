/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
#ifndef QLINK_TOOL_H
#define QLINK_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <qlink/qlink.h>

/* Exit codes, documented in README.md and qlink --help. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	      /* the module answered with an error */
	EXIT_USAGE = 2,	      /* wrong arguments */
	EXIT_PORT = 3,	      /* the port could not be opened or went away */
	EXIT_TIMEOUT = 4,     /* the module did not answer in time */
	EXIT_REFUSED = 5,     /* fota: refused before anything was sent */
	EXIT_MISMATCH = 6,    /* fota: upgraded, but not to the expected revision */
	EXIT_CURRENT = 7,     /* fota --skip-if-current: already at the target; nothing sent */
	EXIT_CANCELLED = 130, /* interrupted (SIGINT, SIGTERM), as shells report it */
};

/*
 * A GPIO line asked for of a build without libgpiod: the build's choice, not
 * the board's, so exit 2 (EXIT_USAGE) with the option that enables it.
 */
#define TOOL_NO_GPIO \
	"this qlink was built without GPIO support (WITH_GPIOD=0): rebuild it with libgpiod " \
	"(make WITH_GPIOD=1 with libgpiod-dev installed; Buildroot: BR2_PACKAGE_QLINK_GPIO; " \
	"Yocto: PACKAGECONFIG gpio)"

/* What to check when nothing on the port answers, even AT (%s: the port). */
#define TOOL_NO_ANSWER_HINT \
	"qlink: nothing on %s answers, not even AT: check that the module is powered " \
	"(qlink power status), the line rate (-b; the module starts at 115200), " \
	"--no-rtscts if CTS is not wired, and that no serial console (console= in " \
	"cmdline.txt, serial-getty) or hciuart (Bluetooth) holds the UART\n"

struct tool {
	const char *port;
	unsigned int baud;
	const char *baud_text; /* the config file's, for a message */
	bool rtscts;
	unsigned int timeout_ms;   /* 0: the documented maxima */
	unsigned int wait_lock_ms; /* --wait-lock: how long a busy port is waited for */
	bool inhibit_mm;	   /* --inhibit-mm, or a fota or ftp job: ask ModemManager */
	bool inhibit_mm_asked;	   /* --inhibit-mm itself: failing to is an error */
	struct qlink_mm *mm;	   /* ModemManager's inhibition, held until tool_close() */
	int verbose;
	bool json;
	struct qlink_chan *chan;
	struct qlink_ldisc *ldisc; /* qlink.ko's, when qlink attach holds the port */
	FILE *out;
	/* board wiring: --dtr-gpio etc. or the config file (README "Board wiring") */
	const char *dtr_spec;
	const char *pwrkey_spec;
	const char *reset_spec;
	struct qlink_gpio *dtr; /* held while the channel is open */
};

struct json;

/*
 * tool_open_port() - the port, opened for this process alone
 * @t:     the options (port, baud, rtscts, wait_lock_ms)
 * @flags: QLINK_TTY_* added to the options' (0 usually)
 * @ret:   the exit code when NULL is returned (the error is printed)
 *
 * A port another process holds is refused at once with EXIT_PORT and the
 * holder named, or waited for up to --wait-lock's bound.
 */
struct qlink_transport *tool_open_port(struct tool *t, unsigned int flags, int *ret);

/* Open the port and create the channel; prints the error and returns an exit code. */
int tool_open(struct tool *t);
void tool_close(struct tool *t);

/* CLOCK_MONOTONIC in ms, for rates and elapsed times the tool reports. */
uint64_t tool_now_ms(void);

/*
 * After a command left unanswered (ETIMEDOUT): if AT goes unanswered too,
 * print TOOL_NO_ANSWER_HINT. tool_fail() does it for the commands it reports.
 */
void tool_hint_no_answer(struct tool *t);

/* Map a failed command to an exit code, after printing why to stderr. */
int tool_fail(struct tool *t, const struct qlink_resp *resp, const char *what);

/*
 * How tool_exit_code() reads an errno: the same value means different
 * things at different steps (EINVAL from a GPIO spec is the user's, from
 * AT&D1 it is the module's). Without flags: ETIMEDOUT is EXIT_TIMEOUT,
 * ENXIO EXIT_PORT, anything else EXIT_FAIL.
 */
enum tool_exit_flags {
	TOOL_EXIT_USAGE_EINVAL = 1 << 0, /* EINVAL: a bad argument, EXIT_USAGE */
	TOOL_EXIT_CANCEL = 1 << 1,	 /* ECANCELED: tool_catch_interrupts()'s */
	TOOL_EXIT_OPEN = 1 << 2,	 /* opening a port or line: else EXIT_PORT */
	TOOL_EXIT_NO_LOSS = 1 << 3,	 /* ENXIO is EXIT_FAIL, not EXIT_PORT */
};

/*
 * tool_exit_code() - the exit code for a failure with errno @err
 * @err:   the errno the failing call left (positive)
 * @flags: enum tool_exit_flags, or 0 for a command through the channel
 *
 * The one errno-to-exit-code mapping of every qlink command (README "Exit
 * codes"). Rules apply in order: EINVAL with TOOL_EXIT_USAGE_EINVAL,
 * ECANCELED with TOOL_EXIT_CANCEL, anything with TOOL_EXIT_OPEN (EXIT_PORT),
 * ETIMEDOUT, ENXIO unless TOOL_EXIT_NO_LOSS; the rest is EXIT_FAIL. E.g.
 * opening: tool_exit_code(errno, TOOL_EXIT_OPEN | TOOL_EXIT_USAGE_EINVAL).
 */
int tool_exit_code(int err, unsigned int flags);

/*
 * tool_trace() - the -v AT trace on stderr, one line per event marked
 * ">>" sent, "<<" received, "<!" URC, "--" note (text already masked by the
 * library). A qlink_log_cb: give it to qlink_chan_set_log() or
 * qlink_fota_set_trace(); @user is unused.
 */
void tool_trace(enum qlink_log_dir dir, const char *text, void *user);

/*
 * tool_catch_interrupts() - make SIGINT and SIGTERM call @cancel(@obj)
 * @cancel: async-signal-safe stop of the operation under way (a wrapper
 *          around qlink_ftp_cancel(), qlink_fota_cancel(), ...)
 * @obj:    what it stops
 *
 * The operation then fails with ECANCELED, which tool_exit_code() with
 * TOOL_EXIT_CANCEL makes EXIT_CANCELLED. tool_release_interrupts() before
 * @obj is freed: the handlers stay, doing nothing, so a late signal
 * during the clean-up neither cancels a freed object nor kills the tool.
 */
void tool_catch_interrupts(void (*cancel)(void *obj), void *obj);
void tool_release_interrupts(void);

int cmd_at(struct tool *t, int argc, char **argv);
int cmd_info(struct tool *t, int argc, char **argv);
int cmd_status(struct tool *t, int argc, char **argv);
void cmd_status_usage(FILE *f);
/* cmd-help.c: every command's help text (qlink CMD --help, qlink help CMD) */
void cmd_help_print(const char *cmd, FILE *f);
bool cmd_help_has(const char *cmd);
/* the first global option given after the command, or NULL */
const char *cmd_help_global_after(const char *cmd, int argc, char **argv);
int cmd_monitor(struct tool *t, int argc, char **argv);
void cmd_monitor_usage(FILE *f);
int cmd_fota(struct tool *t, int argc, char **argv);
int cmd_ftp(struct tool *t, int argc, char **argv);
int cmd_attach(struct tool *t, int argc, char **argv);
int cmd_urc(struct tool *t, int argc, char **argv);
int cmd_stats(struct tool *t, int argc, char **argv);
int cmd_power(struct tool *t, int argc, char **argv);
int cmd_escape(struct tool *t, int argc, char **argv);

#endif
