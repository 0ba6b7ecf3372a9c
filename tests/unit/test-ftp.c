// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The FTP(S) session object over an in-memory transport: argument checks
 * that must refuse before anything reaches the port, error messages, and
 * a few commands answered by a scripted module (the answers as the FTP(S)
 * guide prints them) to show what does go out and that the password never
 * comes back in a message.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/qlink.h>
#include <qlink/ftp.h>

#include "core/chan-priv.h"
#include "mem-transport.h"

#define PASSWORD "Hunter2-s3cret"

/*
 * A scripted module: every command line the channel finishes writing is
 * looked up here and its answer queued. @reply holds lines separated by
 * '|', each sent as CR LF text CR LF; NULL means no answer at all.
 */
struct answer {
	const char *cmd; /* exact, or a prefix when it ends in '*' */
	const char *reply;
};

struct fix {
	struct qlink_chan *chan;
	struct mem_transport *mt;
	struct qlink_ftp *ftp;
	uint64_t now;
	const struct answer *script;
	size_t seen;	 /* output bytes already looked at */
	char cmds[8192]; /* every command line received, '\n'-terminated */
	char log[16384];
};

static const struct answer *lookup(const struct answer *a, const char *line)
{
	for (; a && a->cmd; a++) {
		size_t n = strlen(a->cmd);

		if (n && a->cmd[n - 1] == '*' ? !strncmp(line, a->cmd, n - 1) :
						!strcmp(line, a->cmd))
			return a;
	}
	return NULL;
}

static void answer(struct fix *f, const char *line)
{
	static const struct answer at_ok = { "AT", "OK" };
	static const struct answer stat_closed = { "AT+QFTPSTAT", "OK|+QFTPSTAT: 0,4" };
	const struct answer *a = lookup(f->script, line);
	const char *r, *bar;
	char buf[1024];

	if (strlen(f->cmds) + strlen(line) + 2 < sizeof(f->cmds)) {
		strcat(f->cmds, line);
		strcat(f->cmds, "\n");
	}
	/* the module is in command mode: open's first AT is answered */
	if (!a && !strcmp(line, "AT"))
		a = &at_ok;
	/* ... and, asked before the login, holds no session */
	if (!a && !strcmp(line, "AT+QFTPSTAT"))
		a = &stat_closed;
	if (!a || !a->reply)
		return;
	for (r = a->reply; r; r = bar ? bar + 1 : NULL) {
		bar = strchr(r, '|');
		snprintf(buf, sizeof(buf), "\r\n%.*s\r\n", (int)(bar ? bar - r : (long)strlen(r)),
			 r);
		mem_transport_push_str(f->mt, buf, 0);
	}
}

/*
 * The channel's clock: each reading advances it 10 ms, so a command
 * nobody answers times out after its documented bound, and answers what
 * the channel has written since the last reading.
 */
static uint64_t clock_now(void *user)
{
	struct fix *f = user;
	size_t len;
	const char *out = mem_transport_output(f->mt, &len);

	while (f->seen < len) {
		const char *cr = memchr(out + f->seen, '\r', len - f->seen);
		char line[1100];
		size_t n;

		if (!cr)
			break;
		n = (size_t)(cr - (out + f->seen));
		if (n < sizeof(line)) {
			memcpy(line, out + f->seen, n);
			line[n] = '\0';
			answer(f, line);
		}
		f->seen += n + 1;
	}
	f->now += 10;
	return f->now;
}

static void on_log(enum qlink_log_dir dir, const char *text, void *user)
{
	struct fix *f = user;

	(void)dir;
	if (strlen(f->log) + strlen(text) + 2 < sizeof(f->log)) {
		strcat(f->log, text);
		strcat(f->log, "\n");
	}
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct qlink_transport *t;

	assert_non_null(f);
	t = mem_transport_new(&f->mt);
	assert_non_null(t);
	f->chan = qlink_chan_new(t);
	assert_non_null(f->chan);
	f->now = 1000;
	qlink_chan_set_clock(f->chan, clock_now, f);
	qlink_chan_set_log(f->chan, on_log, f);
	f->ftp = qlink_ftp_new(f->chan);
	assert_non_null(f->ftp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	qlink_ftp_free(f->ftp);
	qlink_chan_free(f->chan);
	free(f);
	return 0;
}

/* Nothing reached the port and nothing is queued. */
static void assert_silent(struct fix *f)
{
	size_t len = 99;

	mem_transport_output(f->mt, &len);
	if (len)
		fail_msg("wrote \"%s\"", mem_transport_output(f->mt, NULL));
	assert_int_equal(qlink_chan_get_pending(f->chan), 0);
}

/* -1 with EINVAL, and the message names @what. */
static void assert_einval(struct fix *f, int rc, const char *what)
{
	if (rc != -1 || errno != EINVAL)
		fail_msg("%s: returned %d, errno %d, \"%s\"", what, rc, errno,
			 qlink_ftp_get_error(f->ftp));
	if (!strstr(qlink_ftp_get_error(f->ftp), what))
		fail_msg("\"%s\" does not name \"%s\"", qlink_ftp_get_error(f->ftp), what);
}

/* ------------------------------------------------------ no module */

static void test_new_null(void **state)
{
	(void)state;
	errno = 0;
	assert_null(qlink_ftp_new(NULL));
	assert_int_equal(errno, EINVAL);
	/* freeing nothing is fine */
	qlink_ftp_free(NULL);
}

static void test_strerror_fresh(void **state)
{
	struct fix *f = *state;
	int err = -1, proto = -1;

	assert_string_equal(qlink_ftp_get_error(f->ftp), "");
	qlink_ftp_get_codes(f->ftp, &err, &proto);
	assert_int_equal(err, 0);
	assert_int_equal(proto, 0);
	qlink_ftp_get_codes(f->ftp, NULL, NULL);
	/* setters that succeed leave it alone */
	assert_int_equal(qlink_ftp_set_context(f->ftp, 2), 0);
	qlink_ftp_set_ascii(f->ftp, true);
	qlink_ftp_set_retries(f->ftp, 0);
	assert_string_equal(qlink_ftp_get_error(f->ftp), "");
	assert_silent(f);
}

static void test_context(void **state)
{
	static const int bad[] = { INT_MIN, -1, 0, 16, 100, INT_MAX };
	struct fix *f = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_einval(f, qlink_ftp_set_context(f->ftp, bad[i]), "context");
	for (i = 1; i <= 15; i++)
		assert_int_equal(qlink_ftp_set_context(f->ftp, (int)i), 0);
	assert_silent(f);
}

static void test_rsptimeout(void **state)
{
	static const unsigned int bad[] = { 0, 1, 19, 181, 1000, UINT_MAX };
	struct fix *f = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_einval(f, qlink_ftp_set_rsptimeout(f->ftp, bad[i]), "rsptimeout");
	assert_int_equal(qlink_ftp_set_rsptimeout(f->ftp, 20), 0);
	assert_int_equal(qlink_ftp_set_rsptimeout(f->ftp, 180), 0);
	assert_int_equal(qlink_ftp_set_rsptimeout(f->ftp, 90), 0);
	assert_silent(f);
}

static void test_ssl(void **state)
{
	struct fix *f = *state;
	int ctx;

	assert_einval(f, qlink_ftp_set_ssl(f->ftp, (enum qlink_ftp_ssl)(-1), 1), "ssl");
	assert_einval(f, qlink_ftp_set_ssl(f->ftp, (enum qlink_ftp_ssl)3, 1), "ssl");
	assert_einval(f, qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_IMPLICIT, -1), "ssl");
	assert_einval(f, qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_IMPLICIT, 6), "ssl");
	assert_einval(f, qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_NONE, INT_MAX), "ssl");
	for (ctx = 0; ctx <= 5; ctx++) {
		assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_IMPLICIT, ctx), 0);
		assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_EXPLICIT, ctx), 0);
		assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_NONE, ctx), 0);
	}
	assert_silent(f);
}

static void test_active_vs_ftps(void **state)
{
	struct fix *f = *state;

	/* FTPS first: active mode refused, passive still fine */
	assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_EXPLICIT, 1), 0);
	assert_einval(f, qlink_ftp_set_active(f->ftp, 1), "passive");
	assert_einval(f, qlink_ftp_set_active(f->ftp, 42), "passive");
	assert_int_equal(qlink_ftp_set_active(f->ftp, 0), 0);
	assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_IMPLICIT, 1), 0);
	assert_einval(f, qlink_ftp_set_active(f->ftp, 1), "passive");

	/* back to plain FTP: active allowed; then FTPS refused */
	assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_NONE, 1), 0);
	assert_int_equal(qlink_ftp_set_active(f->ftp, 1), 0);
	assert_einval(f, qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_IMPLICIT, 1), "passive");
	assert_einval(f, qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_EXPLICIT, 1), "passive");
	assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_NONE, 2), 0);
	/* and passive again lets FTPS in */
	assert_int_equal(qlink_ftp_set_active(f->ftp, 0), 0);
	assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_EXPLICIT, 1), 0);
	assert_silent(f);
}

static void test_cache_data_address_chunk(void **state)
{
	struct fix *f = *state;
	int i;

	assert_einval(f, qlink_ftp_set_cache(f->ftp, -1), "cache");
	assert_einval(f, qlink_ftp_set_cache(f->ftp, 3), "cache");
	for (i = 0; i <= 2; i++)
		assert_int_equal(qlink_ftp_set_cache(f->ftp, i), 0);

	assert_einval(f, qlink_ftp_set_data_address(f->ftp, -1, 0), "data_address");
	assert_einval(f, qlink_ftp_set_data_address(f->ftp, 3, 20), "data_address");
	assert_einval(f, qlink_ftp_set_data_address(f->ftp, 2, 14), "data_address");
	assert_einval(f, qlink_ftp_set_data_address(f->ftp, 2, 51), "data_address");
	assert_einval(f, qlink_ftp_set_data_address(f->ftp, 2, 0), "data_address");
	assert_int_equal(qlink_ftp_set_data_address(f->ftp, 2, 15), 0);
	assert_int_equal(qlink_ftp_set_data_address(f->ftp, 2, 50), 0);
	/* the timeout is only for type 2 */
	assert_int_equal(qlink_ftp_set_data_address(f->ftp, 0, 0), 0);
	assert_int_equal(qlink_ftp_set_data_address(f->ftp, 1, 999), 0);

	assert_einval(f, qlink_ftp_set_chunk(f->ftp, 0), "chunk");
	assert_einval(f, qlink_ftp_set_chunk(f->ftp, (1u << 30) + 1), "chunk");
	assert_einval(f, qlink_ftp_set_chunk(f->ftp, SIZE_MAX), "chunk");
	assert_int_equal(qlink_ftp_set_chunk(f->ftp, 1), 0);
	assert_int_equal(qlink_ftp_set_chunk(f->ftp, 1u << 30), 0);
	assert_silent(f);
}

static void test_account(void **state)
{
	struct fix *f = *state;
	char long_name[300];

	memset(long_name, 'u', 256);
	long_name[256] = '\0';
	assert_einval(f, qlink_ftp_set_account(f->ftp, NULL, "pw"), "account");
	assert_einval(f, qlink_ftp_set_account(f->ftp, "user", NULL), "account");
	assert_einval(f, qlink_ftp_set_account(f->ftp, "us\"er", "pw"), "account");
	assert_einval(f, qlink_ftp_set_account(f->ftp, "user", "p\"w"), "account");
	assert_einval(f, qlink_ftp_set_account(f->ftp, "user", "pw\r"), "account");
	assert_einval(f, qlink_ftp_set_account(f->ftp, "us\ner", "pw"), "account");
	assert_einval(f, qlink_ftp_set_account(f->ftp, long_name, "pw"), "account");
	assert_einval(f, qlink_ftp_set_account(f->ftp, "user", long_name), "account");
	/* 255 bytes is the module's limit, and fits */
	long_name[255] = '\0';
	assert_int_equal(qlink_ftp_set_account(f->ftp, long_name, long_name), 0);
	/* commas and other quoting-free punctuation are the user's business */
	assert_int_equal(qlink_ftp_set_account(f->ftp, "a,b", "p,w;x'y"), 0);
	assert_silent(f);
}

static void test_apn(void **state)
{
	struct fix *f = *state;
	char apn[128];

	assert_int_equal(qlink_ftp_set_apn(f->ftp, NULL), 0);
	assert_int_equal(qlink_ftp_set_apn(f->ftp, ""), 0);
	assert_int_equal(qlink_ftp_set_apn(f->ftp, "internet"), 0);
	memset(apn, 'a', 99);
	apn[99] = '\0';
	assert_int_equal(qlink_ftp_set_apn(f->ftp, apn), 0);
	apn[99] = 'a';
	apn[100] = '\0';
	assert_einval(f, qlink_ftp_set_apn(f->ftp, apn), "APN");
	assert_einval(f, qlink_ftp_set_apn(f->ftp, "inter\"net"), "APN");
	assert_einval(f, qlink_ftp_set_apn(f->ftp, "inter\nnet"), "APN");
	assert_silent(f);
}

static void test_ssl_options(void **state)
{
	struct fix *f = *state;
	char longv[300];
	int i;

	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, NULL, "1"), "SSL option");
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "seclevel", NULL), "SSL option");
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "", "1"), "SSL option");
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "sec\"level", "1"), "SSL option");
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "seclevel,2", "1"), "SSL option");
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "seclevel", "1\r\nAT+CFUN=0"),
		      "SSL option");
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "abcdefghijklmnopqrstuvwxyz0123456", "1"),
		      "SSL option");
	memset(longv, '1', 258);
	longv[258] = '\0';
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "cacert", longv), "SSL option");
	/* quoted values are how the command takes file names */
	assert_int_equal(qlink_ftp_set_ssl_option(f->ftp, "cacert", "\"UFS:ca.pem\""), 0);
	for (i = 1; i < 8; i++)
		assert_int_equal(qlink_ftp_set_ssl_option(f->ftp, "seclevel", "0"), 0);
	/* the ninth does not fit, whatever it is */
	errno = 0;
	assert_int_equal(qlink_ftp_set_ssl_option(f->ftp, "sslversion", "4"), -1);
	assert_int_equal(errno, ENOSPC);
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "SSL option"));
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "8"));
	/* a bad one is still EINVAL, not ENOSPC */
	assert_einval(f, qlink_ftp_set_ssl_option(f->ftp, "", "1"), "SSL option");
	assert_silent(f);
}

static void test_state_str(void **state)
{
	(void)state;
	assert_string_equal(qlink_ftp_state_name(QLINK_FTP_OPENING), "opening");
	assert_string_equal(qlink_ftp_state_name(QLINK_FTP_IDLE), "idle");
	assert_string_equal(qlink_ftp_state_name(QLINK_FTP_TRANSFERRING), "transferring");
	assert_string_equal(qlink_ftp_state_name(QLINK_FTP_CLOSING), "closing");
	assert_string_equal(qlink_ftp_state_name(QLINK_FTP_CLOSED), "closed");
	assert_string_equal(qlink_ftp_state_name(-1), "unknown");
	assert_string_equal(qlink_ftp_state_name(5), "unknown");
	assert_string_equal(qlink_ftp_state_name(INT_MIN), "unknown");
	assert_string_equal(qlink_ftp_state_name(INT_MAX), "unknown");
}

/* Each operation refuses @name (and says so under its own name) silently. */
static void check_names_refused(struct fix *f, const char *name)
{
	struct qlink_ftp_entry *e = NULL;
	char *out = NULL;
	void *buf = NULL;
	size_t len = 0, n = 0;
	uint64_t u;
	time_t t;

	assert_einval(f, qlink_ftp_cwd(f->ftp, name), "cd");
	assert_einval(f, qlink_ftp_size(f->ftp, name, &u), "size");
	assert_einval(f, qlink_ftp_mdtm(f->ftp, name, &t), "mdtm");
	assert_einval(f, qlink_ftp_delete(f->ftp, name), "rm");
	assert_einval(f, qlink_ftp_mkdir(f->ftp, name), "mkdir");
	assert_einval(f, qlink_ftp_rmdir(f->ftp, name), "rmdir");
	assert_einval(f, qlink_ftp_rename(f->ftp, name, "ok"), "mv");
	if (name) /* NULL: see test_rename_to_null */
		assert_einval(f, qlink_ftp_rename(f->ftp, "ok", name), "mv");
	assert_einval(f, qlink_ftp_list(f->ftp, name, 0, &out, &len), "ls");
	assert_einval(f, qlink_ftp_list(f->ftp, name, 1, &out, &len), "nlst");
	assert_einval(f, qlink_ftp_mlsd(f->ftp, name, &e, &n), "mlsd");
	assert_einval(f, qlink_ftp_get(f->ftp, name, "/nonexistent/qlink-test", 0), "get");
	assert_einval(f, qlink_ftp_get_buf(f->ftp, name, &buf, &len), "get");
	assert_einval(f, qlink_ftp_put(f->ftp, "/nonexistent/qlink-test", name, 0), "put");
	assert_einval(f, qlink_ftp_put_buf(f->ftp, "x", 1, name, 0), "put");
	assert_einval(f, qlink_ftp_get_module(f->ftp, name, "UFS:x", NULL), "get");
	assert_einval(f, qlink_ftp_get_module(f->ftp, "ok", name, NULL), "get");
	assert_einval(f, qlink_ftp_put_module(f->ftp, name, "ok", NULL), "put");
	assert_einval(f, qlink_ftp_put_module(f->ftp, "UFS:x", name, NULL), "put");
	assert_einval(f, qlink_ftp_open(f->ftp, name, 21), "open");
	assert_null(out);
	assert_null(buf);
	assert_null(e);
	assert_silent(f);
}

static void test_names(void **state)
{
	struct fix *f = *state;
	char name[300];

	check_names_refused(f, "a\"b");
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "'\"'"));
	check_names_refused(f, "\"");
	check_names_refused(f, "a\r\nAT+QFTPDEL=\"b");
	check_names_refused(f, "");
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "empty"));
	check_names_refused(f, NULL);
	memset(name, 'n', 256);
	name[256] = '\0';
	check_names_refused(f, name);
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "255"));

	/* CWD's own limit is 128 bytes */
	name[129] = '\0';
	assert_einval(f, qlink_ftp_cwd(f->ftp, name), "128");
	/* a module file must be on UFS:, RAM: or SD: */
	assert_einval(f, qlink_ftp_get_module(f->ftp, "ok", "COM:", NULL), "UFS:");
	assert_einval(f, qlink_ftp_put_module(f->ftp, "/etc/passwd", "ok", NULL), "UFS:");
	/* other arguments checked before anything is sent */
	assert_einval(f, qlink_ftp_open(f->ftp, "example.com", 65536), "port");
	assert_einval(f, qlink_ftp_get(f->ftp, "ok", NULL, 0), "local");
	assert_einval(f, qlink_ftp_get(f->ftp, "ok", "", 0), "local");
	assert_einval(f, qlink_ftp_put_buf(f->ftp, NULL, 1, "ok", 0), "no data");
	assert_silent(f);
}

/*
 * BUG (ftp.c, name_cmd() via qlink_ftp_rename()): name_cmd() takes a NULL
 * second name to mean "a one-name command", so qlink_ftp_rename(ftp, "ok",
 * NULL) is not refused: it sends AT+QFTPRENAME="ok" (one parameter) to the
 * module and fails later on its answer (here: a 95 s timeout) instead of
 * EINVAL "empty name" with nothing written, as a NULL @from does.
 */
static void test_rename_to_null(void **state)
{
	struct fix *f = *state;

	assert_einval(f, qlink_ftp_rename(f->ftp, "ok", NULL), "mv");
	assert_silent(f);
}

static void test_strerror_names_operation(void **state)
{
	struct fix *f = *state;

	assert_einval(f, qlink_ftp_delete(f->ftp, "bad\"name"), "rm bad\"name");
	assert_einval(f, qlink_ftp_rename(f->ftp, "from", "t\"o"), "mv from t\"o");
	assert_einval(f, qlink_ftp_size(f->ftp, "", NULL), "size");
	assert_einval(f, qlink_ftp_set_rsptimeout(f->ftp, 5), "rsptimeout");
	/* it describes the last failure only */
	assert_null(strstr(qlink_ftp_get_error(f->ftp), "size"));
	assert_silent(f);
}

static void test_password_not_in_refusals(void **state)
{
	struct fix *f = *state;
	char pw[300];

	assert_einval(f, qlink_ftp_set_account(f->ftp, "user", PASSWORD "\""), "account");
	assert_null(strstr(qlink_ftp_get_error(f->ftp), PASSWORD));
	assert_einval(f, qlink_ftp_set_account(f->ftp, "user", PASSWORD "\r\n"), "account");
	assert_null(strstr(qlink_ftp_get_error(f->ftp), PASSWORD));
	memset(pw, 'p', sizeof(pw) - 1);
	pw[sizeof(pw) - 1] = '\0';
	memcpy(pw, PASSWORD, strlen(PASSWORD));
	assert_einval(f, qlink_ftp_set_account(f->ftp, "user", pw), "account");
	assert_null(strstr(qlink_ftp_get_error(f->ftp), PASSWORD));
	/* the user name alone wrong: the (good) password is not shown either */
	assert_einval(f, qlink_ftp_set_account(f->ftp, "us\"er", PASSWORD), "account");
	assert_null(strstr(qlink_ftp_get_error(f->ftp), PASSWORD));
	assert_silent(f);
}

/* ------------------------------------------------- scripted module */

#define QIACT_OK "+QIACT: 1,1,1,\"10.7.0.2\"|OK"

static const struct answer open_ok[] = {
	{ "AT+QIACT?", QIACT_OK },
	{ "AT+QFTPCFG=*", "OK" },
	{ "AT+QFTPOPEN=\"ftp.example.com\",21", "OK|+QFTPOPEN: 0,0" },
	{ "AT+QFTPPWD", "OK|+QFTPPWD: 0,\"/\"" },
	{ "AT+QFTPCWD=\"pub\"", "OK|+QFTPCWD: 0,0" },
	{ "AT+QFTPSIZE=\"test_my1.txt\"", "OK|+QFTPSIZE:0, 1000" },
	{ "AT+QFTPSIZE=\"fw.bin\"", "OK|+QFTPSIZE: 627,550" },
	{ "AT+QFTPSIZE=\"odd\"", "OK|+QFTPSIZE: 0,12ab" },
	{ "AT+QFTPMDTM=\"test_new.txt\"", "OK|+QFTPMDTM: 0,\"20140708110039\"" },
	{ "AT+QFTPSTAT", "OK|+QFTPSTAT: 0,1" },
	{ "AT+QFTPLEN", "OK|+QFTPLEN: 0,1000" },
	{ NULL, NULL },
};

static void test_open_and_commands(void **state)
{
	struct fix *f = *state;
	enum qlink_ftp_state st;
	int err = -1, proto = -1;
	char dir[8];
	uint64_t u;
	time_t t;

	f->script = open_ok;
	assert_int_equal(qlink_ftp_set_account(f->ftp, "user", PASSWORD), 0);
	assert_int_equal(qlink_ftp_open(f->ftp, "ftp.example.com", 0), 0);
	assert_string_equal(f->cmds, "AT\n"
				     "AT+QFTPSTAT\n"
				     "AT+QIACT?\n"
				     "AT+QFTPCFG=\"contextid\",1\n"
				     "AT+QFTPCFG=\"account\",\"user\",\"" PASSWORD "\"\n"
				     "AT+QFTPCFG=\"filetype\",0\n"
				     "AT+QFTPCFG=\"transmode\",1\n"
				     "AT+QFTPCFG=\"rsptimeout\",90\n"
				     "AT+QFTPCFG=\"ssltype\",0\n"
				     "AT+QFTPOPEN=\"ftp.example.com\",21\n");
	/* the channel's log has the command, not the password */
	assert_non_null(strstr(f->log, "account"));
	assert_null(strstr(f->log, PASSWORD));

	/* +QFTPPWD: 0,"/" quoted as the guide's second example prints it */
	assert_int_equal(qlink_ftp_pwd(f->ftp, dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/");
	errno = 0;
	assert_int_equal(qlink_ftp_pwd(f->ftp, dir, 1), -1);
	assert_int_equal(errno, ERANGE);

	/* "+QFTPSIZE:0, 1000", no space after the colon, one after the comma */
	u = 0;
	assert_int_equal(qlink_ftp_size(f->ftp, "test_my1.txt", &u), 0);
	assert_true(u == 1000);

	errno = 0;
	assert_int_equal(qlink_ftp_size(f->ftp, "fw.bin", &u), -1);
	assert_int_equal(errno, EIO);
	qlink_ftp_get_codes(f->ftp, &err, &proto);
	assert_int_equal(err, 627);
	assert_int_equal(proto, 550);
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "size fw.bin"));
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "627"));
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "550"));
	assert_null(strstr(qlink_ftp_get_error(f->ftp), PASSWORD));

	errno = 0;
	assert_int_equal(qlink_ftp_size(f->ftp, "odd", &u), -1);
	assert_int_equal(errno, EPROTO);
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "12ab"));

	t = 0;
	assert_int_equal(qlink_ftp_mdtm(f->ftp, "test_new.txt", &t), 0);
	assert_true((long long)t == 1404817239);

	assert_int_equal(qlink_ftp_stat(f->ftp, &st), 0);
	assert_int_equal(st, QLINK_FTP_IDLE);
	assert_int_equal(qlink_ftp_len(f->ftp, &u), 0);
	assert_true(u == 1000);

	/* CWD is remembered as PWD says it */
	f->cmds[0] = '\0';
	assert_int_equal(qlink_ftp_cwd(f->ftp, "pub"), 0);
	assert_string_equal(f->cmds, "AT+QFTPCWD=\"pub\"\nAT+QFTPPWD\n");
}

static const struct answer open_ctx3[] = {
	{ "AT+QIACT?", "+QIACT: 1,0,1,\"0.0.0.0\"|+QIACT: 3,1,1,\"10.7.0.2\"|OK" },
	{ "AT+QFTPCFG=*", "OK" },
	{ "AT+QSSLCFG=*", "OK" },
	{ "AT+QFTPOPEN=*", "OK|+QFTPOPEN: 0,0" },
	{ NULL, NULL },
};

/* Everything set on the host goes out on open, implicit FTPS on 990. */
static void test_open_ftps(void **state)
{
	struct fix *f = *state;

	f->script = open_ctx3;
	assert_int_equal(qlink_ftp_set_context(f->ftp, 3), 0);
	qlink_ftp_set_ascii(f->ftp, 7);
	assert_int_equal(qlink_ftp_set_rsptimeout(f->ftp, 180), 0);
	assert_int_equal(qlink_ftp_set_ssl(f->ftp, QLINK_FTP_SSL_IMPLICIT, 4), 0);
	assert_int_equal(qlink_ftp_set_ssl_option(f->ftp, "seclevel", "0"), 0);
	assert_int_equal(qlink_ftp_set_ssl_option(f->ftp, "cacert", "\"UFS:ca.pem\""), 0);
	assert_int_equal(qlink_ftp_set_data_address(f->ftp, 2, 30), 0);
	assert_int_equal(qlink_ftp_set_cache(f->ftp, 1), 0);
	assert_int_equal(qlink_ftp_open(f->ftp, "10.0.0.1", 0), 0);
	assert_string_equal(f->cmds, "AT\n"
				     "AT+QFTPSTAT\n"
				     "AT+QIACT?\n"
				     "AT+QFTPCFG=\"contextid\",3\n"
				     "AT+QFTPCFG=\"account\",\"anonymous\",\"qlink@\"\n"
				     "AT+QFTPCFG=\"filetype\",1\n"
				     "AT+QFTPCFG=\"transmode\",1\n"
				     "AT+QFTPCFG=\"rsptimeout\",180\n"
				     "AT+QFTPCFG=\"ssltype\",1\n"
				     "AT+QFTPCFG=\"SSL_ctxID\",4\n"
				     "AT+QSSLCFG=\"seclevel\",4,0\n"
				     "AT+QSSLCFG=\"cacert\",4,\"UFS:ca.pem\"\n"
				     "AT+QFTPCFG=\"data_address\",2,30\n"
				     "AT+QFTPCFG=\"cache\",1\n"
				     "AT+QFTPOPEN=\"10.0.0.1\",990\n");
	assert_string_equal(qlink_ftp_get_error(f->ftp), "");
}

static const struct answer account_refused[] = {
	{ "AT+QIACT?", QIACT_OK },
	{ "AT+QFTPCFG=\"account\"*", "+CME ERROR: 3" },
	{ "AT+QFTPCFG=*", "OK" },
	{ NULL, NULL },
};

static const struct answer login_refused[] = {
	{ "AT+QIACT?", QIACT_OK },
	{ "AT+QFTPCFG=*", "OK" },
	{ "AT+QFTPOPEN=*", "OK|+QFTPOPEN: 530,530" },
	{ NULL, NULL },
};

static const struct answer account_silent[] = {
	{ "AT+QIACT?", QIACT_OK },
	{ "AT+QFTPCFG=\"account\"*", NULL },
	{ "AT+QFTPCFG=*", "OK" },
	{ NULL, NULL },
};

static void check_open_fails(struct fix *f, const struct answer *script, int want_errno)
{
	f->script = script;
	f->cmds[0] = '\0';
	mem_transport_clear_output(f->mt);
	f->seen = 0;
	assert_int_equal(qlink_ftp_set_account(f->ftp, "user", PASSWORD), 0);
	errno = 0;
	assert_int_equal(qlink_ftp_open(f->ftp, "ftp.example.com", 0), -1);
	assert_int_equal(errno, want_errno);
	/* the password did go out, so this is not vacuous */
	assert_non_null(strstr(f->cmds, PASSWORD));
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "open ftp.example.com"));
	if (strstr(qlink_ftp_get_error(f->ftp), PASSWORD))
		fail_msg("password in \"%s\"", qlink_ftp_get_error(f->ftp));
	assert_null(strstr(f->log, PASSWORD));
}

static void test_password_not_in_errors(void **state)
{
	struct fix *f = *state;

	/* the account command itself refused: its line is in the message */
	check_open_fails(f, account_refused, EIO);
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "account"));
	/* the same, timed out */
	check_open_fails(f, account_silent, ETIMEDOUT);
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "account"));
	/* the server refused the login: the hint is about the credentials */
	check_open_fails(f, login_refused, EIO);
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "530"));
	assert_non_null(strstr(qlink_ftp_get_error(f->ftp), "password"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_null),
		cmocka_unit_test_setup_teardown(test_strerror_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsptimeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_active_vs_ftps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_data_address_chunk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssl_options, setup, teardown),
		cmocka_unit_test(test_state_str),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_to_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strerror_names_operation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_not_in_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_and_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_ftps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_not_in_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
