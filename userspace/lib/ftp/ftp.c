// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The FTP(S) session: configuration, login, directory and file commands,
 * error messages, and recovery after a failed transfer. Transfers are in
 * ftp-transfer.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <qlink/codes.h>
#include <qlink/pdp.h>
#include <qlink/redact.h>

#include "core/api.h"
#include "core/clock.h"
#include "ftp/ftp-parse.h"
#include "ftp/ftp-priv.h"

#define CHUNK_DEFAULT (64u << 10)
#define CHUNK_MAX (1u << 30)
/*
 * How long a module that dropped off mid-transfer may take to answer AT
 * again: the EC200 series reports RDY about 13 s after power-on (hardware
 * design guides); twice that covers a reboot's shutdown as well.
 */
#define BOOT_MS 30000
/* A command-mode module answers AT+QFTPSTAT at once: a poll's bound. */
#define STALE_STAT_MS 2000
/* Between AT+QFTPSTAT polls while the module finishes a transfer or a close. */
#define STAT_POLL_MS 500

static const char *const state_names[] = {
	[QLINK_FTP_OPENING] = "opening",
	[QLINK_FTP_IDLE] = "idle",
	[QLINK_FTP_TRANSFERRING] = "transferring",
	[QLINK_FTP_CLOSING] = "closing",
	[QLINK_FTP_CLOSED] = "closed",
};

QLINK_API const char *qlink_ftp_state_name(enum qlink_ftp_state state)
{
	if ((int)state < 0 || (int)state > QLINK_FTP_CLOSED)
		return "unknown";
	return state_names[state];
}

QLINK_API struct qlink_ftp *qlink_ftp_new(struct qlink_chan *chan)
{
	struct qlink_ftp *ftp;

	if (!chan) {
		errno = EINVAL;
		return NULL;
	}
	ftp = calloc(1, sizeof(*ftp));
	if (!ftp)
		return NULL;
	ftp->chan = chan;
	ftp->contextid = 1;
	ftp->rsptimeout = 90;
	ftp->sslctx = 1;
	ftp->data_type = -1;
	ftp->cache = -1;
	ftp->chunk = CHUNK_DEFAULT;
	ftp->retries = 3;
	snprintf(ftp->user, sizeof(ftp->user), "anonymous");
	snprintf(ftp->pass, sizeof(ftp->pass), "qlink@");
	return ftp;
}

QLINK_API void qlink_ftp_free(struct qlink_ftp *ftp)
{
	if (!ftp)
		return;
	/* the password must not outlive the object in freed memory */
	explicit_bzero(ftp->pass, sizeof(ftp->pass));
	free(ftp);
}

static int einval(struct qlink_ftp *ftp, const char *why)
{
	return ftp_failf(ftp, EINVAL, "%s", why);
}

QLINK_API int qlink_ftp_set_account(struct qlink_ftp *ftp, const char *user, const char *password)
{
	if (!user || !password || strlen(user) > FTP_NAME_MAX || strlen(password) > FTP_NAME_MAX ||
	    strpbrk(user, "\"\r\n") || strpbrk(password, "\"\r\n"))
		return einval(ftp, "account: user name and password must be at most 255 bytes "
				   "without '\"' or line breaks");
	snprintf(ftp->user, sizeof(ftp->user), "%s", user);
	snprintf(ftp->pass, sizeof(ftp->pass), "%s", password);
	return 0;
}

QLINK_API void qlink_ftp_set_ascii(struct qlink_ftp *ftp, bool ascii)
{
	ftp->ascii = ascii;
}

QLINK_API int qlink_ftp_set_active(struct qlink_ftp *ftp, bool active)
{
	if (active && ftp->ssl != QLINK_FTP_SSL_NONE)
		return einval(ftp, "active mode: the module does FTPS in passive mode only");
	ftp->active = active;
	return 0;
}

QLINK_API int qlink_ftp_set_context(struct qlink_ftp *ftp, int contextid)
{
	if (contextid < 1 || contextid > 15)
		return einval(ftp, "context: must be 1-15");
	ftp->contextid = contextid;
	return 0;
}

QLINK_API int qlink_ftp_set_apn(struct qlink_ftp *ftp, const char *apn)
{
	if (apn && (strlen(apn) >= sizeof(ftp->apn) || strpbrk(apn, "\"\r\n")))
		return einval(ftp, "APN: at most 99 bytes without '\"'");
	snprintf(ftp->apn, sizeof(ftp->apn), "%s", apn ? apn : "");
	return 0;
}

QLINK_API int qlink_ftp_set_rsptimeout(struct qlink_ftp *ftp, unsigned int seconds)
{
	if (seconds < 20 || seconds > 180)
		return einval(ftp, "rsptimeout: must be 20-180 s");
	ftp->rsptimeout = seconds;
	return 0;
}

QLINK_API int qlink_ftp_set_ssl(struct qlink_ftp *ftp, enum qlink_ftp_ssl ssl, int sslctx)
{
	if ((int)ssl < QLINK_FTP_SSL_NONE || ssl > QLINK_FTP_SSL_EXPLICIT || sslctx < 0 ||
	    sslctx > 5)
		return einval(ftp, "ssl: type must be none, implicit or explicit, context 0-5");
	if (ssl != QLINK_FTP_SSL_NONE && ftp->active)
		return einval(ftp, "ssl: the module does FTPS in passive mode only");
	ftp->ssl = ssl;
	ftp->sslctx = sslctx;
	return 0;
}

QLINK_API int qlink_ftp_set_ssl_option(struct qlink_ftp *ftp, const char *name, const char *value)
{
	if (!name || !value || !*name || strlen(name) >= sizeof(ftp->sslopt[0].name) ||
	    strlen(value) >= sizeof(ftp->sslopt[0].value) || strpbrk(name, "\",\r\n") ||
	    strpbrk(value, "\r\n"))
		return einval(ftp, "SSL option: bad name or value");
	if (ftp->n_sslopt == FTP_SSLOPT_MAX)
		return ftp_failf(ftp, ENOSPC, "SSL option: at most %d", FTP_SSLOPT_MAX);
	snprintf(ftp->sslopt[ftp->n_sslopt].name, sizeof(ftp->sslopt[0].name), "%s", name);
	snprintf(ftp->sslopt[ftp->n_sslopt].value, sizeof(ftp->sslopt[0].value), "%s", value);
	ftp->n_sslopt++;
	return 0;
}

QLINK_API int qlink_ftp_set_data_address(struct qlink_ftp *ftp, int type, int timeout)
{
	if (type < 0 || type > 2 || (type == 2 && (timeout < 15 || timeout > 50)))
		return einval(ftp, "data_address: type 0-2, timeout 15-50 s for type 2");
	ftp->data_type = type;
	ftp->data_timeout = timeout;
	return 0;
}

QLINK_API int qlink_ftp_set_cache(struct qlink_ftp *ftp, int cache)
{
	if (cache < 0 || cache > 2)
		return einval(ftp, "cache: must be 0-2");
	ftp->cache = cache;
	return 0;
}

QLINK_API int qlink_ftp_set_chunk(struct qlink_ftp *ftp, size_t bytes)
{
	if (!bytes || bytes > CHUNK_MAX)
		return einval(ftp, "chunk: must be 1 byte to 1 GiB");
	ftp->chunk = bytes;
	return 0;
}

QLINK_API void qlink_ftp_set_retries(struct qlink_ftp *ftp, unsigned int n)
{
	ftp->retries = n;
}

QLINK_API void qlink_ftp_set_progress_cb(struct qlink_ftp *ftp, qlink_ftp_progress_cb cb,
					 void *user)
{
	ftp->progress = cb;
	ftp->progress_user = user;
}

QLINK_API void qlink_ftp_cancel(struct qlink_ftp *ftp)
{
	ftp->cancelled = 1;
	/* a silent module must not hold the stop up for its minutes-long bounds */
	qlink_chan_cancel(ftp->chan);
}

/* A new operation: a cancel of an earlier one no longer applies. */
void ftp_begin(struct qlink_ftp *ftp)
{
	ftp->cancelled = 0;
	qlink_chan_clear_cancel(ftp->chan);
}

QLINK_API const char *qlink_ftp_get_error(const struct qlink_ftp *ftp)
{
	return ftp->err;
}

QLINK_API void qlink_ftp_get_codes(const struct qlink_ftp *ftp, int *err, int *proto)
{
	if (err)
		*err = ftp->err_code;
	if (proto)
		*proto = ftp->err_proto;
}

/* ------------------------------------------------------------ errors */

/*
 * What to check, from the server's reply when it gave one (it is the more
 * precise), else from the module's <err>. The FTP(S) guide's chapter 4.
 */
static const char *hint(int err, int proto)
{
	switch (proto) {
	case 530:
	case 532:
		return "check the user name and password";
	case 550:
		return "check the name and the directory (pwd); the file or directory does not "
		       "exist or is not accessible";
	case 553:
		return "the server does not allow this file name";
	case 452:
	case 552:
		return "the server is out of space";
	case 425:
	case 426:
		return "the data connection failed: try the other transfer mode (--active or "
		       "passive) and check the server's passive ports and firewall";
	}
	switch (err) {
	case 0:
		return NULL;
	case 602:
	case 603:
		return "the session is busy or still closing: wait for the previous operation "
		       "or +QFTPCLOSE";
	case 604:
		return "check the server name and that the PDP context is active (AT+QIACT?)";
	case 605:
		return "check the PDP context (AT+QIACT?), the server address and port, and "
		       "that the server is reachable from the mobile network";
	case 606:
	case 614:
		return "the server closed the session: open it again";
	case 607:
	case 608:
	case 615:
	case 616:
		return "the data connection failed: try the other transfer mode (--active or "
		       "passive) and check the server's passive ports and firewall";
	case 609:
		return "the server did not answer within the module's <timeout>: check that it "
		       "is reachable, or raise rsptimeout";
	case 611:
	case 613:
		return "check the module's file name (AT+QFLST) and its free space";
	case 625:
		return "not logged in: open the session first, and check the user name and "
		       "password";
	case 627:
		return "check the name and the directory (pwd)";
	case 631:
		return "check ssltype against the server (implicit or explicit), the SSL "
		       "context (AT+QSSLCFG: seclevel, cacert, sslversion) and the server's "
		       "certificate";
	}
	return NULL;
}

static void set_err(struct qlink_ftp *ftp, const char *what, const char *msg)
{
	char raw[2 * sizeof(ftp->err) + FTP_NAME_MAX];

	snprintf(raw, sizeof(raw), "%s: %s", what, msg);
	qlink_redact(raw, ftp->err, sizeof(ftp->err));
}

int ftp_failf(struct qlink_ftp *ftp, int err, const char *fmt, ...)
{
	char msg[sizeof(ftp->err)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	qlink_redact(msg, ftp->err, sizeof(ftp->err));
	ftp->err_code = ftp->err_proto = 0;
	errno = err;
	return -1;
}

int ftp_fail(struct qlink_ftp *ftp, const char *what, const struct qlink_resp *resp)
{
	int e = errno ? errno : EIO;
	const char *h, *async;
	char msg[sizeof(ftp->err)];

	ftp->err_code = ftp->err_proto = 0;
	if (!resp) {
		set_err(ftp, what, strerror(e));
		errno = e;
		return -1;
	}
	ftp->err_code = qlink_resp_get_code(resp) > 0 ? qlink_resp_get_code(resp) : 0;
	async = qlink_resp_get_async(resp);
	if (async && ftp->err_code) {
		int code;
		char val[32];

		if (!qlink_ftp_parse_result(async, &code, val, sizeof(val)))
			ftp->err_proto = atoi(val);
	}
	h = hint(ftp->err_code, ftp->err_proto);
	if (!h && qlink_resp_get_status(resp) == -ETIMEDOUT)
		h = "the module stopped answering: check the port, the baud rate and power";
	snprintf(msg, sizeof(msg), "%s%s%s", qlink_resp_get_error(resp), h ? "; " : "", h ? h : "");
	set_err(ftp, what, msg);
	errno = e;
	return -1;
}

int ftp_check_name(struct qlink_ftp *ftp, const char *what, const char *name, size_t max)
{
	if (!name || !*name)
		return ftp_failf(ftp, EINVAL, "%s: empty name", what);
	if (strlen(name) > max)
		return ftp_failf(ftp, EINVAL, "%s: name longer than the module's %zu bytes", what,
				 max);
	if (strpbrk(name, "\"\r\n"))
		return ftp_failf(ftp, EINVAL,
				 "%s: '\"' and line breaks cannot be passed in an AT command",
				 what);
	return 0;
}

/* ---------------------------------------------------------- commands */

int ftp_run(struct qlink_ftp *ftp, const char *line, const struct qlink_cmd *cmd,
	    struct qlink_chan_run *run)
{
	if (qlink_chan_run_start(ftp->chan, line, cmd, run, run) < 0)
		return -1;
	return qlink_chan_run_finish(ftp->chan, run, &run->resp);
}

/* Run a command with no data phase; on failure record why as @what. */
static int exec_cmd(struct qlink_ftp *ftp, const char *what, const char *line,
		    const struct qlink_cmd *cmd, struct qlink_resp **resp)
{
	struct qlink_resp *r = NULL;

	errno = 0;
	if (qlink_chan_exec(ftp->chan, line, cmd, &r) < 0) {
		ftp_fail(ftp, what, r);
		qlink_resp_free(r);
		return -1;
	}
	if (resp)
		*resp = r;
	else
		qlink_resp_free(r);
	return 0;
}

static int exec(struct qlink_ftp *ftp, const char *what, const char *line, struct qlink_resp **resp)
{
	return exec_cmd(ftp, what, line, NULL, resp);
}

/* The value of a command's async result, "+QFTPSIZE: 0,1000" -> "1000". */
static int result_value(struct qlink_ftp *ftp, const char *what, const struct qlink_resp *r,
			char *val, size_t len)
{
	const char *async = qlink_resp_get_async(r);
	int err;

	if (!async || qlink_ftp_parse_result(async, &err, val, len) || err)
		return ftp_failf(ftp, EPROTO, "%s: unexpected answer \"%s\"", what,
				 async ? async : "(none)");
	return 0;
}

static int configure(struct qlink_ftp *ftp, const char *what)
{
	char line[QLINK_CMD_LINE_MAX];
	unsigned int i;

	snprintf(line, sizeof(line), "AT+QFTPCFG=\"contextid\",%d", ftp->contextid);
	if (exec(ftp, what, line, NULL))
		return -1;
	/* the channel redacts the password in its log */
	snprintf(line, sizeof(line), "AT+QFTPCFG=\"account\",\"%s\",\"%s\"", ftp->user, ftp->pass);
	if (exec(ftp, what, line, NULL))
		return -1;
	explicit_bzero(line, sizeof(line));
	snprintf(line, sizeof(line), "AT+QFTPCFG=\"filetype\",%d", ftp->ascii);
	if (exec(ftp, what, line, NULL))
		return -1;
	snprintf(line, sizeof(line), "AT+QFTPCFG=\"transmode\",%d", ftp->active ? 0 : 1);
	if (exec(ftp, what, line, NULL))
		return -1;
	snprintf(line, sizeof(line), "AT+QFTPCFG=\"rsptimeout\",%u", ftp->rsptimeout);
	if (exec(ftp, what, line, NULL))
		return -1;
	qlink_chan_set_rsptimeout(ftp->chan, ftp->rsptimeout);
	snprintf(line, sizeof(line), "AT+QFTPCFG=\"ssltype\",%d", ftp->ssl);
	if (exec(ftp, what, line, NULL))
		return -1;
	if (ftp->ssl != QLINK_FTP_SSL_NONE) {
		snprintf(line, sizeof(line), "AT+QFTPCFG=\"SSL_ctxID\",%d", ftp->sslctx);
		if (exec(ftp, what, line, NULL))
			return -1;
		for (i = 0; i < ftp->n_sslopt; i++) {
			snprintf(line, sizeof(line), "AT+QSSLCFG=\"%s\",%d,%s", ftp->sslopt[i].name,
				 ftp->sslctx, ftp->sslopt[i].value);
			if (exec(ftp, what, line, NULL))
				return -1;
		}
	}
	if (ftp->data_type >= 0) {
		if (ftp->data_type == 2)
			snprintf(line, sizeof(line), "AT+QFTPCFG=\"data_address\",2,%d",
				 ftp->data_timeout);
		else
			snprintf(line, sizeof(line), "AT+QFTPCFG=\"data_address\",%d",
				 ftp->data_type);
		if (exec(ftp, what, line, NULL))
			return -1;
	}
	if (ftp->cache >= 0) {
		snprintf(line, sizeof(line), "AT+QFTPCFG=\"cache\",%d", ftp->cache);
		if (exec(ftp, what, line, NULL))
			return -1;
	}
	return 0;
}

/*
 * AT+QFTPOPEN said 603: the module still holds a session, one that an
 * earlier run left (killed before its logout, or mid-chunk). Let what it
 * is doing end (a transfer's chunk, a close), log that session out, and
 * report whether the module is free, within the module's <timeout>.
 */
static int stat_cmd(struct qlink_ftp *ftp, const struct qlink_cmd *cmd,
		    enum qlink_ftp_state *state);

/*
 * The stale session's poll. A chunk the earlier run asked for may start
 * streaming after AT+QFTPOPEN's 603, and a module in data mode never sees
 * a command: each poll is bounded briefly (the bound restarts with every
 * line that comes), so a swallowed one is sent again, not waited on for
 * the whole <timeout>.
 */
static const struct qlink_cmd stale_stat = {
	.async = "+QFTPSTAT:",
	.timeout_ms = STALE_STAT_MS,
};

/*
 * ... or in command mode with a chunk it was asked for still to come: the
 * earlier run's AT+QFTPGET may only now be connecting, and its CONNECT and
 * payload would land in the middle of this run's configuration. Let it
 * end first, within the module's <timeout>. A module that refuses the
 * query (ERROR) is not held up: the login then says what is wrong.
 */
/*
 * One poll: 1 when the module is transferring or closing, 0 when it is
 * free or answered without a state (it is in command mode: nothing to
 * wait for), -1 when nothing came back (a data phase swallowed the query,
 * or a stale chunk's CONNECT was taken for its answer), -2 when the port
 * is gone.
 */
static int busy_poll(struct qlink_ftp *ftp)
{
	struct qlink_resp *r = NULL;
	char val[32];
	uint64_t v;
	int ret;

	if (qlink_chan_exec(ftp->chan, "AT+QFTPSTAT", &stale_stat, &r) == 0)
		ret = result_value(ftp, "stat", r, val, sizeof(val)) ||
				      qlink_ftp_parse_u64(val, &v) ?
			      -1 :
			      v == QLINK_FTP_TRANSFERRING || v == QLINK_FTP_CLOSING;
	else if (errno == ENXIO)
		ret = -2;
	else
		ret = r && qlink_resp_get_final(r) ? 0 : -1;
	qlink_resp_free(r);
	return ret;
}

static int wait_not_busy(struct qlink_ftp *ftp, const char *what)
{
	uint64_t deadline = qlink_now_ms() + ftp->rsptimeout * 1000u;
	int busy;

	for (;;) {
		if (ftp->cancelled)
			return ftp_failf(ftp, ECANCELED, "%s: cancelled", what);
		busy = busy_poll(ftp);
		if (busy == -2)
			return ftp_failf(ftp, ENXIO, "%s: the port went away", what);
		if (!busy)
			break;
		if (qlink_now_ms() >= deadline)
			return ftp_failf(ftp, ETIMEDOUT,
					 "%s: the module was still busy with an earlier transfer "
					 "after %u s",
					 what, ftp->rsptimeout);
		qlink_chan_wait(ftp->chan, STAT_POLL_MS);
	}
	ftp->err[0] = '\0';
	ftp->err_code = 0;
	ftp->err_proto = 0;
	return 0;
}

static int clear_stale(struct qlink_ftp *ftp, const char *what)
{
	uint64_t deadline = qlink_now_ms() + ftp->rsptimeout * 1000u;
	enum qlink_ftp_state st = QLINK_FTP_CLOSED;
	bool known = false;

	for (;;) {
		if (ftp->cancelled)
			return ftp_failf(ftp, ECANCELED, "%s: cancelled", what);
		if (stat_cmd(ftp, &stale_stat, &st) == 0) {
			struct qlink_resp *r = NULL;

			known = true;
			if (st == QLINK_FTP_CLOSED)
				return 0;
			if (st == QLINK_FTP_IDLE &&
			    qlink_chan_exec(ftp->chan, "AT+QFTPCLOSE", NULL, &r) == 0) {
				qlink_resp_free(r);
				return 0;
			}
			qlink_resp_free(r);
		} else if (errno == ENXIO) {
			return -1;
		}
		/* a chunk still on its way to the host that left, a close under way */
		if (qlink_now_ms() >= deadline)
			return ftp_failf(ftp, ETIMEDOUT,
					 "%s: the module still held an earlier session (603), "
					 "%s%s after %u s",
					 what, known ? "still " : "its state unknown",
					 known ? qlink_ftp_state_name(st) : "", ftp->rsptimeout);
		qlink_chan_wait(ftp->chan, STAT_POLL_MS);
	}
}

static int login(struct qlink_ftp *ftp, const char *what)
{
	char line[QLINK_CMD_LINE_MAX];
	unsigned int port = ftp->port;

	if (qlink_pdp_activate(ftp->chan, ftp->contextid, ftp->apn[0] ? ftp->apn : NULL) < 0)
		return ftp_failf(ftp, errno, "%s: PDP context %d: %s", what, ftp->contextid,
				 qlink_chan_get_error(ftp->chan));
	if (configure(ftp, what))
		return -1;
	if (!port)
		port = ftp->ssl == QLINK_FTP_SSL_IMPLICIT ? 990 : 21;
	snprintf(line, sizeof(line), "AT+QFTPOPEN=\"%s\",%u", ftp->host, port);
	if (exec(ftp, what, line, NULL) &&
	    (ftp->err_code != 603 || clear_stale(ftp, what) || exec(ftp, what, line, NULL)))
		return -1;
	ftp->opened = true;
	if (ftp->cwd[0]) {
		snprintf(line, sizeof(line), "AT+QFTPCWD=\"%s\"", ftp->cwd);
		if (exec(ftp, what, line, NULL))
			return -1;
	}
	return 0;
}

QLINK_API int qlink_ftp_open(struct qlink_ftp *ftp, const char *host, unsigned int port)
{
	char what[FTP_NAME_MAX + 16];

	if (ftp_check_name(ftp, "open", host, FTP_NAME_MAX))
		return -1;
	if (port > 65535)
		return einval(ftp, "open: port must be 1-65535");
	snprintf(ftp->host, sizeof(ftp->host), "%s", host);
	ftp->port = port;
	ftp->cwd[0] = '\0';
	snprintf(what, sizeof(what), "open %s", host);
	/* a run killed mid-transfer may have left the module in data mode */
	if (qlink_chan_settle(ftp->chan) < 0)
		return ftp_failf(ftp, errno, "%s: the module does not answer AT%s", what,
				 errno == ETIMEDOUT ? ", not even after leaving data mode" : "");
	if (wait_not_busy(ftp, what))
		return -1;
	return login(ftp, what);
}

QLINK_API int qlink_ftp_close(struct qlink_ftp *ftp)
{
	ftp->opened = false;
	return exec(ftp, "close", "AT+QFTPCLOSE", NULL);
}

/* "AT+QFTPxxx=\"a\"" or with two names, checked. */
static int name_cmd(struct qlink_ftp *ftp, const char *op, const char *cmd, const char *a,
		    const char *b, size_t max, struct qlink_resp **resp)
{
	char line[QLINK_CMD_LINE_MAX], what[2 * FTP_NAME_MAX + 16];

	snprintf(what, sizeof(what), "%s %s%s%s", op, a ? a : "", b ? " " : "", b ? b : "");
	if (ftp_check_name(ftp, what, a, max) || (b && ftp_check_name(ftp, what, b, max)))
		return -1;
	if (b)
		snprintf(line, sizeof(line), "AT+%s=\"%s\",\"%s\"", cmd, a, b);
	else
		snprintf(line, sizeof(line), "AT+%s=\"%s\"", cmd, a);
	return exec(ftp, what, line, resp);
}

QLINK_API int qlink_ftp_pwd(struct qlink_ftp *ftp, char *buf, size_t len)
{
	struct qlink_resp *r;
	char val[FTP_NAME_MAX + 3];

	if (exec(ftp, "pwd", "AT+QFTPPWD", &r))
		return -1;
	if (result_value(ftp, "pwd", r, val, sizeof(val))) {
		qlink_resp_free(r);
		return -1;
	}
	qlink_resp_free(r);
	if (strlen(val) >= len)
		return ftp_failf(ftp, ERANGE, "pwd: buffer too small");
	memcpy(buf, val, strlen(val) + 1);
	return 0;
}

/*
 * Paths for CWD: "at most 128 bytes" in the module's table, shorter than
 * the 255 of file names.
 */
#define FTP_DIR_MAX 128

QLINK_API int qlink_ftp_cwd(struct qlink_ftp *ftp, const char *dir)
{
	char now[FTP_NAME_MAX + 1];

	if (name_cmd(ftp, "cd", "QFTPCWD", dir, NULL, FTP_DIR_MAX, NULL))
		return -1;
	/* remembered as the server says it, absolute, for a re-login */
	if (qlink_ftp_pwd(ftp, now, sizeof(now)) == 0 && strlen(now) <= FTP_DIR_MAX)
		snprintf(ftp->cwd, sizeof(ftp->cwd), "%s", now);
	else if (ftp->cancelled)
		return ftp_failf(ftp, ECANCELED, "cd %s: cancelled", dir);
	return 0;
}

int ftp_size(struct qlink_ftp *ftp, const char *what, const char *name, uint64_t *size)
{
	char line[QLINK_CMD_LINE_MAX], val[32];
	struct qlink_resp *r;
	int ret = 0;

	if (ftp_check_name(ftp, what, name, FTP_NAME_MAX))
		return -1;
	snprintf(line, sizeof(line), "AT+QFTPSIZE=\"%s\"", name);
	if (exec(ftp, what, line, &r))
		return -1;
	if (result_value(ftp, what, r, val, sizeof(val)))
		ret = -1;
	else if (qlink_ftp_parse_u64(val, size))
		ret = ftp_failf(ftp, EPROTO, "%s: unexpected size \"%s\"", what, val);
	qlink_resp_free(r);
	return ret;
}

QLINK_API int qlink_ftp_size(struct qlink_ftp *ftp, const char *name, uint64_t *size)
{
	char what[FTP_NAME_MAX + 8];

	snprintf(what, sizeof(what), "size %s", name ? name : "");
	return ftp_size(ftp, what, name, size);
}

QLINK_API int qlink_ftp_mdtm(struct qlink_ftp *ftp, const char *name, time_t *mtime)
{
	struct qlink_resp *r;
	char val[40], what[FTP_NAME_MAX + 8];
	int ret = 0;

	if (name_cmd(ftp, "mdtm", "QFTPMDTM", name, NULL, FTP_NAME_MAX, &r))
		return -1;
	snprintf(what, sizeof(what), "mdtm %s", name);
	if (result_value(ftp, what, r, val, sizeof(val)))
		ret = -1;
	else if (qlink_ftp_parse_time(val, mtime))
		ret = ftp_failf(ftp, EPROTO, "%s: unexpected time \"%s\"", what, val);
	qlink_resp_free(r);
	return ret;
}

QLINK_API int qlink_ftp_delete(struct qlink_ftp *ftp, const char *name)
{
	return name_cmd(ftp, "rm", "QFTPDEL", name, NULL, FTP_NAME_MAX, NULL);
}

QLINK_API int qlink_ftp_mkdir(struct qlink_ftp *ftp, const char *dir)
{
	return name_cmd(ftp, "mkdir", "QFTPMKDIR", dir, NULL, FTP_NAME_MAX, NULL);
}

QLINK_API int qlink_ftp_rmdir(struct qlink_ftp *ftp, const char *dir)
{
	return name_cmd(ftp, "rmdir", "QFTPRMDIR", dir, NULL, FTP_NAME_MAX, NULL);
}

QLINK_API int qlink_ftp_rename(struct qlink_ftp *ftp, const char *from, const char *to)
{
	if (!to)
		return ftp_check_name(ftp, "mv", to, FTP_NAME_MAX);
	return name_cmd(ftp, "mv", "QFTPRENAME", from, to, FTP_NAME_MAX, NULL);
}

static int numeric_result_cmd(struct qlink_ftp *ftp, const char *what, const char *line,
			      const struct qlink_cmd *cmd, uint64_t *v)
{
	struct qlink_resp *r;
	char val[32];
	int ret = 0;

	if (exec_cmd(ftp, what, line, cmd, &r))
		return -1;
	if (result_value(ftp, what, r, val, sizeof(val)))
		ret = -1;
	else if (qlink_ftp_parse_u64(val, v))
		ret = ftp_failf(ftp, EPROTO, "%s: unexpected value \"%s\"", what, val);
	qlink_resp_free(r);
	return ret;
}

static int numeric_result(struct qlink_ftp *ftp, const char *what, const char *line, uint64_t *v)
{
	return numeric_result_cmd(ftp, what, line, NULL, v);
}

static int stat_cmd(struct qlink_ftp *ftp, const struct qlink_cmd *cmd, enum qlink_ftp_state *state)
{
	uint64_t v;

	if (numeric_result_cmd(ftp, "stat", "AT+QFTPSTAT", cmd, &v))
		return -1;
	if (v > QLINK_FTP_CLOSED)
		return ftp_failf(ftp, EPROTO, "stat: unknown state %llu", (unsigned long long)v);
	*state = (enum qlink_ftp_state)v;
	return 0;
}

QLINK_API int qlink_ftp_stat(struct qlink_ftp *ftp, enum qlink_ftp_state *state)
{
	return stat_cmd(ftp, NULL, state);
}

QLINK_API int qlink_ftp_len(struct qlink_ftp *ftp, uint64_t *len)
{
	return numeric_result(ftp, "len", "AT+QFTPLEN", len);
}

/* ---------------------------------------------------------- recovery */

bool ftp_resumable(const struct qlink_ftp *ftp, int status)
{
	switch (status) {
	case -ECONNABORTED: /* data mode ended without a result: reboot */
	case -ECONNRESET:   /* NO CARRIER */
	case -ETIMEDOUT:    /* the module or the server stalled */
		return true;
	case -EIO:
		break;
	default:
		return false;
	}
	switch (ftp->err_proto) {
	case 421:
	case 425:
	case 426:
	case 451:
		return true;
	}
	switch (ftp->err_code) {
	case 601:
	case 605:
	case 606:
	case 607:
	case 608:
	case 609:
	case 614:
	case 615:
	case 616:
	case 618:
		return true;
	}
	return false;
}

int ftp_recover(struct qlink_ftp *ftp, const char *what)
{
	uint64_t deadline = qlink_now_ms() + BOOT_MS;
	enum qlink_ftp_state st;
	char saved[sizeof(ftp->err)];
	int e;

	/* keep the transfer's own failure as the message if recovery fails too */
	snprintf(saved, sizeof(saved), "%s", ftp->err);
	/*
	 * A transfer that stalled with the module still in data mode (it
	 * did not end the chunk itself) hears no AT: leave data mode first,
	 * which aborts the transfer. A module that is rebooting ignores it.
	 */
	if (qlink_chan_settle(ftp->chan) < 0 && errno == ENXIO)
		return ftp_failf(ftp, ENXIO, "%s; then the port went away", saved);
	for (;;) {
		struct qlink_resp *r = NULL;

		if (qlink_chan_exec(ftp->chan, "AT", NULL, &r) == 0) {
			qlink_resp_free(r);
			break;
		}
		e = errno;
		qlink_resp_free(r);
		if (ftp->cancelled)
			return ftp_failf(ftp, ECANCELED, "%s; then cancelled", saved);
		if (e == ENXIO || qlink_now_ms() >= deadline)
			return ftp_failf(ftp, e, "%s; then the module did not answer AT for %d s",
					 saved, BOOT_MS / 1000);
	}
	deadline = qlink_now_ms() + ftp->rsptimeout * 1000u;
	for (;;) {
		if (qlink_ftp_stat(ftp, &st) < 0)
			st = QLINK_FTP_CLOSED; /* a rebooted module may not know FTP yet */
		if (st == QLINK_FTP_IDLE && ftp->opened)
			return 0;
		if (st == QLINK_FTP_CLOSED || st == QLINK_FTP_IDLE)
			break;
		/* opening, transferring or closing: the module finishes on its own */
		if (ftp->cancelled)
			return ftp_failf(ftp, ECANCELED, "%s; then cancelled", saved);
		if (qlink_now_ms() >= deadline)
			return ftp_failf(ftp, ETIMEDOUT, "%s; then the session stayed %s for %u s",
					 saved, qlink_ftp_state_name(st), ftp->rsptimeout);
		qlink_chan_wait(ftp->chan, STAT_POLL_MS);
	}
	if (st == QLINK_FTP_IDLE) {
		/* logged in, but not by us: start clean */
		struct qlink_resp *r = NULL;

		qlink_chan_exec(ftp->chan, "AT+QFTPCLOSE", NULL, &r);
		qlink_resp_free(r);
	}
	ftp->opened = false;
	if (login(ftp, what)) {
		char again[sizeof(ftp->err)];

		snprintf(again, sizeof(again), "%s", ftp->err);
		return ftp_failf(ftp, errno, "%s; logging in again failed: %s", saved, again);
	}
	return 0;
}
