// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The qlink binary against a scripted module on a real pty: the test is
 * the module, qlink runs as a child process exactly as a user runs it.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "responder.h"

#define RUN_LIMIT_MS 20000

static char qlink_bin[PATH_MAX];

static const char ec200t[] = "> ATI\n< Quectel\n< EC200T\n< Revision: EC200TCNDAR02A07M16\n< OK\n"
			     "> AT+GSN\n< 866123045678901\n< OK\n"
			     "> AT+CSQ\n< +QIND: \"csq\",23,99\n< +CSQ: 23,99\n< OK\n"
			     "> AT+QFTPCWD=\"/\"\n< OK\n< +QIND: \"FOTA\",\"START\"\n"
			     "< +QFTPCWD: 0,0\n"
			     "> AT+QFTPCWD=\"/missing\"\n< OK\n< +QFTPCWD: 627,550\n"
			     "> AT+QIACT=1\n< +CME ERROR: 10\n"
			     "> AT+QFTPCFG=\"account\",\"u\",\"s3cret\"\n< OK\n"
			     "> AT+SILENT\n"
			     "> AT+HANG\n< %hangup\n"
			     "> *\n< ERROR\n";

/* the module boots while the first command is on its way */
static const char booting[] = "! RDY\n! +CPIN: READY\n> AT+CPIN?\n< +CPIN: READY\n< OK\n";

static const char ec200n_gmr[] = "> ATI\n< Quectel\n< EC200N\n< OK\n"
				 "> AT+GMR\n< EC200NCNLAR03A01M08\n< OK\n"
				 "> AT+GSN\n< 866123045678902\n< OK\n";

struct run {
	int status;
	char cmdline[1024]; /* qlink's /proc/PID/cmdline once it sent 2 commands */
	char out[8192];
	char err[8192];
	unsigned int commands;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void drain(int *fd, char *buf, size_t size)
{
	size_t len = strlen(buf);
	ssize_t n = read(*fd, buf + len, size - 1 - len);

	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	buf[len + (size_t)n] = '\0';
}

/* What ps(1) shows for @pid, NULs turned into spaces. */
static void read_cmdline(pid_t pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;
	size_t n, i;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
}

/* Run qlink -p <pty> @args... with @script as the module; NULL-terminated. */
static void run_qlink(struct run *r, const char *script, bool echo, ...)
{
	char path[128];
	struct responder *resp = responder_new(script, echo, path, sizeof(path));
	const char *argv[32] = { qlink_bin, "-p", path };
	int outp[2], errp[2], argc = 3, done = 0;
	uint64_t deadline = now_ms() + RUN_LIMIT_MS;
	va_list ap;
	pid_t pid;

	assert_non_null(resp);
	va_start(ap, echo);
	while ((argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	assert_int_equal(pipe(outp), 0);
	assert_int_equal(pipe(errp), 0);
	memset(r, 0, sizeof(*r));
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		execv(qlink_bin, (char *const *)argv);
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	while (!done || outp[0] >= 0 || errp[0] >= 0) {
		struct pollfd pfd[3] = {
			{ .fd = responder_fd(resp), .events = POLLIN },
			{ .fd = outp[0], .events = POLLIN },
			{ .fd = errp[0], .events = POLLIN },
		};

		assert_true(now_ms() < deadline); /* qlink must never hang */
		poll(pfd, 3, 100);
		if (pfd[0].revents & POLLIN) {
			responder_step(resp);
			if (responder_commands(resp) == 2 && !r->cmdline[0])
				read_cmdline(pid, r->cmdline, sizeof(r->cmdline));
		}
		if (pfd[1].revents)
			drain(&outp[0], r->out, sizeof(r->out));
		if (pfd[2].revents)
			drain(&errp[0], r->err, sizeof(r->err));
		if (!done && waitpid(pid, &r->status, WNOHANG) == pid)
			done = 1;
	}
	r->commands = responder_commands(resp);
	responder_free(resp);
	assert_true(WIFEXITED(r->status));
	r->status = WEXITSTATUS(r->status);
	/* an exit the test does not expect shows why in the assertion's output */
	if (r->status == 3)
		print_message("qlink exited 3 (port): %s\n", r->err);
}

static void test_at(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "at", "AT+CSQ", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[URC] +QIND: \"csq\",23,99\n+CSQ: 23,99\nOK\n");
	assert_string_equal(r.err, "");
}

static void test_at_echo(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, true, "at", "AT+CSQ", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[URC] +QIND: \"csq\",23,99\n+CSQ: 23,99\nOK\n");
}

static void test_boot_urcs(void **state)
{
	struct run r;

	(void)state;
	/* the same line is a URC before the command and a response during it */
	run_qlink(&r, booting, false, "at", "AT+CPIN?", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[URC] RDY\n[URC] +CPIN: READY\n+CPIN: READY\nOK\n");
}

static void test_async_and_urc(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "at", "AT+QFTPCWD=\"/\"", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "[URC] +QIND: \"FOTA\",\"START\"\nOK\n+QFTPCWD: 0,0\n");
}

static void test_stops_at_failure(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "at", "AT+QFTPCWD=\"/missing\"", "AT+CSQ", NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(r.commands, 1);
	assert_string_equal(r.err, "qlink: AT+QFTPCWD=\"/missing\": 627: Requested action not "
				   "taken (server said 550: Requested action not taken: file "
				   "unavailable)\n");
	run_qlink(&r, ec200t, false, "at", "AT+QIACT=1", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "qlink: AT+QIACT=1: +CME ERROR: 10: SIM not inserted\n");
}

static void test_timeout(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "-t", "0.3", "at", "AT+SILENT", NULL);
	assert_int_equal(r.status, 4);
	assert_string_equal(r.err, "qlink: AT+SILENT: no final result within 300 ms\n");
}

static void test_port_lost(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "at", "AT+HANG", NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "port went away"));
}

static void test_info(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "info", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "manufacturer: Quectel\n"
				   "model:        EC200T\n"
				   "revision:     EC200TCNDAR02A07M16\n"
				   "flash:        16 MB (M16)\n"
				   "imei:         866123045678901\n");
	run_qlink(&r, ec200n_gmr, false, "--json", "info", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(
		r.out, "{\"manufacturer\":\"Quectel\",\"model\":\"EC200N\","
		       "\"family\":\"EC200N\",\"known\":true,\"revision\":\"EC200NCNLAR03A01M08\","
		       "\"flash_mb\":8,\"imei\":\"866123045678902\"}\n");
}

static void test_json_at(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "--json", "at", "AT+CSQ", "AT+QIACT=1", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out,
			    "{\"commands\":[{\"command\":\"AT+CSQ\",\"status\":\"ok\","
			    "\"lines\":[\"+CSQ: 23,99\"],\"final\":\"OK\",\"result\":null,"
			    "\"code\":null,\"error\":null},{\"command\":\"AT+QIACT=1\","
			    "\"status\":\"error\",\"lines\":[],\"final\":\"+CME ERROR: 10\","
			    "\"result\":null,\"code\":10,\"error\":\"AT+QIACT=1: +CME ERROR: 10: "
			    "SIM not inserted\"}],\"urcs\":[\"+QIND: \\\"csq\\\",23,99\"]}\n");
}

/* A line holding UTF-8 is the module's answer, printed as it came. */
static const char cops_utf8[] = "> AT+COPS?\n< +COPS: 0,0,\"\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb"
				"\xe5\x8a\xa8 CMCC-\xc3\xa9\",7\n< OK\n"
				"> AT+QFLST\n< +QFLST: \"UFS:\xd6\xd0.txt\",12\n< OK\n";

static void test_utf8_line(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, cops_utf8, false, "-v", "at", "AT+COPS?", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "+COPS: 0,0,\"\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8 "
				   "CMCC-\xc3\xa9\",7\nOK\n");
	assert_null(strstr(r.err, "noise"));
	/* JSON: UTF-8 as it is; a byte that is not UTF-8 (GBK) as its code point */
	run_qlink(&r, cops_utf8, false, "--json", "at", "AT+COPS?", "AT+QFLST", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out,
			       "\"lines\":[\"+COPS: 0,0,\\\"\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb"
			       "\xe5\x8a\xa8 CMCC-\xc3\xa9\\\",7\"]"));
	assert_non_null(strstr(r.out, "\"lines\":[\"+QFLST: \\\"UFS:\\u00d6\\u00d0.txt\\\",12\"]"));
}

static void test_secret_not_printed(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "-v", "--json", "at",
		  "AT+QFTPCFG=\"account\",\"u\",\"s3cret\"", NULL);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "s3cret"));
	assert_null(strstr(r.err, "s3cret"));
	assert_non_null(strstr(r.err, ">> AT+QFTPCFG=\"account\",\"u\",\"***\""));
	assert_non_null(strstr(r.out, "\"command\":\"AT+QFTPCFG=\\\"account\\\",\\\"u\\\","
				      "\\\"***\\\"\""));
}

static void test_secret_not_in_process_title(void **state)
{
	struct run r;

	(void)state;
	/*
	 * Under valgrind the kernel's cmdline is valgrind's copy of the
	 * arguments, which the client cannot touch: the plain and ASan runs
	 * check this.
	 */
	if (getenv("QLINK_TEST_UNDER_VALGRIND"))
		skip();
	/* AT+SILENT gets no answer: qlink is still running when we look */
	run_qlink(&r, ec200t, false, "-t", "1", "at", "AT+QFTPCFG=\"account\",\"u\",\"s3cret\"",
		  "AT+SILENT", NULL);
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.cmdline, "AT+SILENT"));
	assert_null(strstr(r.cmdline, "s3cret"));
	assert_non_null(strstr(r.cmdline, "\"account\",\"u\",\"***\""));
}

static void test_usage(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "frobnicate", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "qlink: unknown command 'frobnicate' (see qlink --help)\n");
	run_qlink(&r, ec200t, false, "at", "", NULL);
	assert_int_equal(r.status, 2);
	run_qlink(&r, ec200t, false, "-b", "fast", "at", "AT", NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.commands, 0);
}

/* a password with ',', ' ' and '@' in `ftp --url`: masked in ps by the URL's structure */
static void test_secret_url_not_in_process_title(void **state)
{
	static const char script[] = "> AT+QIACT?\n< +QIACT: 1,1,1,\"10.0.0.2\"\n< OK\n> *\n";
	struct run r;

	(void)state;
	if (getenv("QLINK_TEST_UNDER_VALGRIND"))
		skip();
	/* the second command gets no answer: qlink is still running when we look */
	run_qlink(&r, script, false, "-t", "1", "ftp", "--url", "ftp://bob:Zq7,x9W @Kj4@127.0.0.1/",
		  "pwd", NULL);
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.cmdline, "ftp://bob:***@127.0.0.1/"));
	assert_null(strstr(r.cmdline, "Zq7"));
	assert_null(strstr(r.cmdline, "x9W"));
	assert_null(strstr(r.cmdline, "Kj4"));
	assert_null(strstr(r.err, "x9W"));
}

static const char account_query[] =
	"> AT+QFTPCFG=\"account\"\n< +QFTPCFG: \"account\",\"bob\",\"s3cret\"\n< OK\n"
	"> AT+QICSGP=1\n< +QICSGP: 1,\"internet\",\"bob\",\"pw2x\",1\n< OK\n";

/* the module's answers to the queries hold passwords: masked, text and --json */
static void test_secret_answers_masked(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, account_query, false, "--json", "at", "AT+QFTPCFG=\"account\"", "AT+QICSGP=1",
		  NULL);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "s3cret"));
	assert_null(strstr(r.out, "pw2x"));
	assert_non_null(strstr(r.out, "\"+QFTPCFG: \\\"account\\\",\\\"bob\\\",\\\"***\\\"\""));
	assert_non_null(strstr(r.out, "\"+QICSGP: 1,\\\"internet\\\",\\\"bob\\\",\\\"***\\\",1\""));
	run_qlink(&r, account_query, false, "at", "AT+QFTPCFG=\"account\"", "AT+QICSGP=1", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "+QFTPCFG: \"account\",\"bob\",\"***\"\nOK\n"
				   "+QICSGP: 1,\"internet\",\"bob\",\"***\",1\nOK\n");
}

/* ~/.netrc readable by others and holding a password: refused, as ftp(1) does */
static void test_netrc_world_readable(void **state)
{
	char home[] = "/tmp/qlink-netrc-XXXXXX", path[64];
	const char *old_home = getenv("HOME");
	char *saved = old_home ? strdup(old_home) : NULL;
	struct run r;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(home));
	snprintf(path, sizeof(path), "%s/.netrc", home);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("machine 127.0.0.1 login bob password n3trcpw\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	setenv("HOME", home, 1);
	unsetenv("QLINK_FTP_PASSWORD");
	run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://bob@127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.commands, 0);
	assert_non_null(strstr(r.err, path));
	assert_non_null(strstr(r.err, "chmod 600"));
	assert_null(strstr(r.err, "n3trcpw"));
	/* made private, it is used: the module is asked (and this one refuses) */
	assert_int_equal(chmod(path, 0600), 0);
	run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://bob@127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 1);
	assert_true(r.commands > 0);
	assert_null(strstr(r.err, ".netrc"));
	if (saved)
		setenv("HOME", saved, 1);
	else
		unsetenv("HOME");
	free(saved);
	unlink(path);
	rmdir(home);
}

/* a module that names nothing is not a module qlink knows: say so, exit 1 */
static void test_info_empty_fields(void **state)
{
	static const char empty[] = "> ATI\n< \n< OK\n> AT+GMR\n< OK\n> AT+GSN\n< OK\n";
	static const char blank[] = "> ATI\n< Quectel\n< \n< Revision: \n< OK\n"
				    "> AT+GMR\n< \n< OK\n> AT+GSN\n< OK\n";
	struct run r;

	(void)state;
	run_qlink(&r, empty, false, "info", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "no manufacturer"));
	run_qlink(&r, blank, false, "--json", "info", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "no model"));
}

/* options are options wherever they stand; "--" ends them */
static void test_ftp_options_anywhere(void **state)
{
	static const char *const typos[] = { "--contineu", "--apend", "--vai" };
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(typos) / sizeof(typos[0]); i++) {
		run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://127.0.0.1/", "get", "fw.bin",
			  typos[i], NULL);
		assert_int_equal(r.status, 2);
		assert_int_equal(r.commands, 0);
		assert_non_null(strstr(r.err, typos[i]));
		assert_int_equal(access(typos[i], F_OK), -1);
	}
	run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://127.0.0.1/", "get", "fw.bin", "--via",
		  NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.commands, 0);
	assert_non_null(strstr(r.err, "--via"));
	/* an option after the command is taken as before it */
	run_qlink(&r, ec200t, false, "ftp", "get", "fw.bin", "--url", "ftp://127.0.0.1/",
		  "--context", "0", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--context"));
	/* after "--" a name may look like an option: the module is asked (and refuses) */
	run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://127.0.0.1/", "rm", "--", "--odd", NULL);
	assert_int_equal(r.status, 1);
	assert_true(r.commands > 0);
}

/* wrong values name the option and what it takes, and exit 2 before any command */
static void test_bad_values_named(void **state)
{
	static const struct {
		const char *opt, *val, *says;
	} bad[] = {
		{ "--context", "0", "1-15" },
		{ "--chunk", "0", "1 byte" },
		{ "--chunk", "10k", "bytes" },
		{ "--ssl", "bogus", "implicit" },
		{ "--rsptimeout", "4294967316", "20-180" },
		{ "--rsptimeout", "5", "20-180" },
	};
	char regular[] = "/tmp/qlink-notatty-XXXXXX";
	struct run r;
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://127.0.0.1/", bad[i].opt,
			  bad[i].val, "pwd", NULL);
		assert_int_equal(r.status, 2);
		assert_int_equal(r.commands, 0);
		if (!strstr(r.err, bad[i].opt) || !strstr(r.err, bad[i].val) ||
		    !strstr(r.err, bad[i].says))
			fail_msg("%s %s: \"%s\"", bad[i].opt, bad[i].val, r.err);
	}
	run_qlink(&r, ec200t, false, "-b", "12345", "at", "AT", NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.commands, 0);
	assert_non_null(strstr(r.err, "12345"));
	assert_non_null(strstr(r.err, "115200"));
	assert_null(strstr(r.err, "Invalid argument"));
	fd = mkstemp(regular);
	assert_true(fd >= 0);
	close(fd);
	run_qlink(&r, ec200t, false, "-p", regular, "at", "AT", NULL);
	unlink(regular);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "not a serial port"));
	assert_null(strstr(r.err, "Inappropriate ioctl"));
}

/* a refused PDP query or activation says what the module answered */
static void test_pdp_refused_named(void **state)
{
	static const char cme[] = "> AT+QIACT?\n< +CME ERROR: 3\n> *\n< ERROR\n";
	static const char err[] = "> AT+QIACT?\n< ERROR\n> *\n< ERROR\n";
	struct run r;

	(void)state;
	run_qlink(&r, cme, false, "ftp", "--url", "ftp://127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "AT+QIACT?: +CME ERROR: 3"));
	assert_null(strstr(r.err, "Input/output error"));
	run_qlink(&r, err, false, "ftp", "--url", "ftp://127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "AT+QIACT?: ERROR"));
	assert_null(strstr(r.err, "Input/output error"));
}

/* every query answered: each field present, --json one object */
static const char status_full[] =
	"> AT\n< OK\n> AT+CPIN?\n< +CPIN: READY\n< OK\n"
	"> AT+QCCID\n< +QCCID: 89860012345678901234\n< OK\n"
	"> AT+CIMI\n< 460001234567890\n< OK\n"
	"> AT+CREG?\n< +CREG: 0,1\n< OK\n> AT+CGREG?\n< +CGREG: 0,5\n< OK\n"
	"> AT+CEREG?\n< +CEREG: 2,1,\"1D4F\",\"1A2D001\",7\n< OK\n"
	"> AT+COPS?\n< +COPS: 0,0,\"CHINA MOBILE\",7\n< OK\n"
	"> AT+QCSQ\n< +QCSQ: \"LTE\",-65,-92,145,-9\n< OK\n"
	"> AT+CSQ\n< +CSQ: 23,99\n< OK\n"
	"> AT+QENG=\"servingcell\"\n< +QENG: \"servingcell\",\"NOCONN\",\"LTE\",\"FDD\",460,00,"
	"1A2D001,123,1650,3,5,5,1D4F,-92,-9,-65,14,40\n< OK\n"
	"> AT+QTEMP\n< +QTEMP: \"soc-thermal\",\"36\"\n< OK\n"
	"> AT+CGDCONT?\n< +CGDCONT: 1,\"IP\",\"cmnet\",\"0.0.0.0\",0,0\n"
	"< +CGDCONT: 2,\"IPV4V6\",\"iot\",\"0.0.0.0\",0,0\n< OK\n"
	"> AT+QIACT?\n< +QIACT: 1,1,1,\"10.7.157.2\"\n< OK\n";

static void test_status(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, status_full, false, "--json", "status", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "\"sim\":\"READY\",\"iccid\":\"89860012345678901234\","
				      "\"imsi\":\"460001234567890\""));
	assert_non_null(strstr(r.out, "\"ps\":{\"stat\":5,\"text\":\"registered, roaming\"}"));
	assert_non_null(strstr(r.out, "\"eps\":{\"stat\":1,"));
	assert_non_null(strstr(r.out, "\"operator\":\"CHINA MOBILE\",\"access_tech\":\"LTE\""));
	assert_non_null(strstr(r.out, "\"rsrp_dbm\":-92"));
	assert_non_null(strstr(r.out, "\"csq_rssi_dbm\":-67"));
	assert_non_null(strstr(r.out, "\"pci\":\"123\""));
	assert_non_null(strstr(r.out, "\"temperature\":\"\\\"soc-thermal\\\",\\\"36\\\"\""));
	assert_non_null(strstr(r.out, "\"pdp\":[{\"cid\":1,\"type\":\"IP\",\"apn\":\"cmnet\","
				      "\"active\":true,\"address\":\"10.7.157.2\"},{\"cid\":2,"));
	assert_null(strstr(r.out, "unanswered"));
	run_qlink(&r, status_full, false, "status", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "operator:     CHINA MOBILE\n"));
	assert_non_null(strstr(r.out, "pdp context:  1 IP \"cmnet\" up 10.7.157.2\n"));
}

/*
 * A module that lacks commands, one that leaves a query unanswered and no
 * SIM: those fields are absent, the rest shown, exit 0.
 */
static void test_status_partial(void **state)
{
	static const char partial[] = "> AT\n< OK\n> AT+CPIN?\n< +CPIN: READY\n< OK\n"
				      "> AT+QCCID\n< ERROR\n"
				      "> AT+CIMI\n< +CME ERROR: 4\n"
				      "> AT+CEREG?\n< +CEREG: 0,1\n< OK\n"
				      "> AT+COPS?\n"
				      "> AT+CSQ\n< +CSQ: 99,99\n< OK\n"
				      "> *\n< ERROR\n";
	static const char nosim[] = "> AT\n< OK\n> AT+CPIN?\n< +CME ERROR: 10\n"
				    "> AT+CSQ\n< +CSQ: 10,99\n< OK\n> *\n< ERROR\n";
	struct run r;

	(void)state;
	run_qlink(&r, partial, false, "-t", "1", "--json", "status", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"sim\":\"READY\",\"registration\":{\"eps\":{\"stat\":1,"));
	assert_null(strstr(r.out, "iccid"));
	assert_null(strstr(r.out, "imsi"));
	assert_null(strstr(r.out, "operator"));
	assert_null(strstr(r.out, "signal"));
	assert_null(strstr(r.out, "pdp"));
	assert_non_null(strstr(r.out,
			       "\"unanswered\":[\"AT+QCCID (ERROR)\",\"AT+CIMI (+CME ERROR: 4)\","
			       "\"AT+CREG? (ERROR)\",\"AT+CGREG? (ERROR)\","
			       "\"AT+COPS? (no answer in time)\","));
	run_qlink(&r, nosim, false, "status", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "sim:          NOT INSERTED\n"));
	assert_non_null(strstr(r.out, "rssi:         -93 dBm (AT+CSQ)\n"));
	assert_null(strstr(r.out, "iccid"));
	assert_int_equal(r.commands, 12); /* no AT+QCCID, AT+CIMI without a SIM */
}

/* nothing on the port answers: what to check, once */
static void test_no_answer_hint(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, "> *\n", false, "-t", "0.3", "status", NULL);
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, "qlink: AT: no final result within 300 ms\n"));
	assert_non_null(strstr(r.err, "not even AT: check that the module is powered "
				      "(qlink power status), the line rate (-b"));
	assert_non_null(strstr(r.err, "--no-rtscts"));
	assert_non_null(strstr(r.err, "hciuart"));
	run_qlink(&r, "> *\n", false, "-t", "0.3", "ftp", "--url", "ftp://127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, "not even AT: check that the module is powered"));
	/* one command unanswered by a module that answers AT: no hint */
	run_qlink(&r, ec200t, false, "-t", "0.3", "at", "AT+SILENT", NULL);
	assert_null(strstr(r.err, "not even AT"));
}

/* URCs read from the port itself, without qlink.ko; nothing is sent */
static void test_monitor(void **state)
{
	static const char urcs[] = "! RDY\n! +CPIN: READY\n! +QIND: \"csq\",20,99\n"
				   "! +QFTPCFG: \"account\",\"bob\",\"s3cret\"\n> *\n< ERROR\n";
	struct run r;

	(void)state;
	run_qlink(&r, urcs, false, "--json", "monitor", "--count", "4", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.commands, 0);
	assert_non_null(strstr(r.out, "\"source\":\"port\",\"tty\":\"")); /* the pty's name */
	assert_non_null(strstr(r.out, "\"text\":\"RDY\"}\n"));
	assert_non_null(strstr(r.out, "\"text\":\"+CPIN: READY\"}\n"));
	assert_non_null(strstr(r.out, "\"text\":\"+QIND: \\\"csq\\\",20,99\"}\n"));
	assert_null(strstr(r.out, "s3cret"));
	run_qlink(&r, urcs, false, "monitor", "--count", "2", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, " RDY\n"));
	assert_non_null(strstr(r.out, " +CPIN: READY\n"));
	assert_null(strstr(r.out, "csq"));
	/* --duration ends a quiet port with exit 0 */
	run_qlink(&r, urcs, false, "monitor", "--duration", "0.5", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "+QIND: \"csq\",20,99\n"));
	run_qlink(&r, urcs, false, "monitor", "--count", "0", NULL);
	assert_int_equal(r.status, 2);
}

/* every command: --help, -h and help CMD print the same on stdout, exit 0, send nothing */
static void test_help_uniform(void **state)
{
	static const char *const cmds[] = { "at",  "info",  "status", "monitor", "ftp",	  "attach",
					    "urc", "stats", "fota",   "power",	 "escape" };
	char help[8192];
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run_qlink(&r, ec200t, false, cmds[i], "--help", NULL);
		assert_int_equal(r.status, 0);
		assert_string_equal(r.err, "");
		assert_int_equal(r.commands, 0);
		assert_true(!strncmp(r.out, "usage: qlink", 12));
		assert_non_null(strstr(r.out, "-h, --help"));
		snprintf(help, sizeof(help), "%s", r.out);
		run_qlink(&r, ec200t, false, "help", cmds[i], NULL);
		assert_int_equal(r.status, 0);
		assert_string_equal(r.out, help);
		run_qlink(&r, ec200t, false, cmds[i], "-h", NULL);
		assert_int_equal(r.status, 0);
		assert_string_equal(r.out, help);
	}
	/* each option of the command described, e.g. fota's and ftp's */
	run_qlink(&r, ec200t, false, "help", "fota", NULL);
	assert_non_null(strstr(r.out, "  --attach-timeout S "));
	assert_non_null(strstr(r.out, "  --protocol-mode "));
	run_qlink(&r, ec200t, false, "ftp", "--help", NULL);
	assert_non_null(strstr(r.out, "  --rsptimeout S "));
	assert_non_null(strstr(r.out, "  --active "));
	run_qlink(&r, ec200t, false, "help", NULL);
	assert_int_equal(r.status, 0);
	assert_true(!strncmp(r.out, "usage: qlink [options] COMMAND", 30));
	run_qlink(&r, ec200t, false, "help", "frobnicate", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "qlink: help frobnicate: no such command (see qlink --help)\n");
}

/* a global option after the command: said where it goes, nothing sent */
static void test_global_after_command(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "info", "--json", NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.commands, 0);
	assert_string_equal(r.err, "qlink: --json is a global option: it goes before the command "
				   "(qlink --json ... info ...)\n");
	run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://h/", "-b", "9600", "pwd", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "qlink: -b is a global option"));
	/* an AT command is not an option, and urc has a --json of its own */
	run_qlink(&r, ec200t, false, "at", "AT+CSQ", NULL);
	assert_int_equal(r.status, 0);
}

/* a URL qlink cannot read: one line that says so, not the usage */
static void test_ftp_url_error_one_line(void **state)
{
	struct run r;

	(void)state;
	run_qlink(&r, ec200t, false, "ftp", "--url", "ftp://bob:pw@[::1/", "pwd", NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.commands, 0);
	assert_non_null(strstr(r.err, "not an FTP URL"));
	assert_null(strstr(r.err, "pw@"));
	assert_non_null(strchr(r.err, '\n'));
	assert_string_equal(strchr(r.err, '\n'), "\n"); /* one line */
	/* an IPv6 literal is a host like any other */
	static const char v6[] = "> AT+QFTPOPEN=\"::1\",2121\n< ERROR\n"
				 "> AT+QFTPSTAT\n< ERROR\n> *\n< OK\n";
	run_qlink(&r, v6, false, "-t", "1", "ftp", "--url", "ftp://[::1]:2121/", "pwd", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(
		strstr(r.err, "qlink: ftp://[::1]:2121/: open ::1: AT+QFTPOPEN=\"::1\",2121"));
}

/* ~/.netrc and --netrc-file with quoted tokens: the module gets the password whole */
static void test_netrc_quoted(void **state)
{
	static const char want[] = "> AT+QFTPCFG=\"account\",\"bob\",\"p w,x\"\n< ERROR\n"
				   "> AT+QFTPSTAT\n< ERROR\n> *\n< OK\n";
	char home[] = "/tmp/qlink-netrc-XXXXXX", path[64], other[80];
	const char *old_home = getenv("HOME");
	char *saved = old_home ? strdup(old_home) : NULL;
	struct run r;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(home));
	snprintf(path, sizeof(path), "%s/.netrc", home);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("macdef init\nmachine 127.0.0.1 login x password y\n\n"
	      "machine \"127.0.0.1\" login bob password \"p w\\,x\"\n",
	      f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	setenv("HOME", home, 1);
	unsetenv("QLINK_FTP_PASSWORD");
	/* the account command with "p w,x" is the one the script refuses */
	run_qlink(&r, want, false, "-t", "1", "ftp", "--url", "ftp://bob@127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "AT+QFTPCFG=\"account\",\"bob\",\"***\": ERROR"));
	assert_null(strstr(r.err, "p w"));
	/* --netrc-file names another file; ~/.netrc is then not read */
	snprintf(other, sizeof(other), "%s/bench-netrc", home);
	assert_int_equal(rename(path, other), 0);
	run_qlink(&r, want, false, "-t", "1", "ftp", "--netrc-file", other, "--url",
		  "ftp://bob@127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "AT+QFTPCFG=\"account\",\"bob\",\"***\": ERROR"));
	run_qlink(&r, want, false, "ftp", "--url", "ftp://bob@127.0.0.1/", "pwd", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "no password for bob@127.0.0.1"));
	run_qlink(&r, want, false, "ftp", "--netrc-file", path, "--url", "ftp://bob@127.0.0.1/",
		  "pwd", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--netrc-file"));
	assert_int_equal(r.commands, 0);
	if (saved)
		setenv("HOME", saved, 1);
	else
		unsetenv("HOME");
	free(saved);
	unlink(other);
	rmdir(home);
}

/* a model the manuals do not cover is named as unknown, text and --json */
static void test_info_unknown_model(void **state)
{
	static const char ec200u[] = "> ATI\n< Quectel\n< EC200U\n< Revision: EC200UCNAAR02A01M08\n"
				     "< OK\n> AT+GSN\n< 866123045678903\n< OK\n";
	struct run r;

	(void)state;
	run_qlink(&r, ec200u, false, "info", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out,
			       "model:        EC200U (unknown to qlink: EC200U is not in the "
			       "manuals"));
	assert_non_null(strstr(r.out, "assumed from the flash suffix"));
	run_qlink(&r, ec200u, false, "--json", "info", NULL);
	assert_non_null(strstr(r.out, "\"family\":\"EC200U\",\"known\":false"));
	run_qlink(&r, ec200t, false, "--json", "info", NULL);
	assert_non_null(strstr(r.out, "\"family\":\"EC200T\",\"known\":true"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_at_echo),
		cmocka_unit_test(test_boot_urcs),
		cmocka_unit_test(test_async_and_urc),
		cmocka_unit_test(test_stops_at_failure),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_port_lost),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_json_at),
		cmocka_unit_test(test_utf8_line),
		cmocka_unit_test(test_secret_not_printed),
		cmocka_unit_test(test_secret_not_in_process_title),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_secret_url_not_in_process_title),
		cmocka_unit_test(test_secret_answers_masked),
		cmocka_unit_test(test_netrc_world_readable),
		cmocka_unit_test(test_info_empty_fields),
		cmocka_unit_test(test_ftp_options_anywhere),
		cmocka_unit_test(test_bad_values_named),
		cmocka_unit_test(test_pdp_refused_named),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_partial),
		cmocka_unit_test(test_no_answer_hint),
		cmocka_unit_test(test_monitor),
		cmocka_unit_test(test_help_uniform),
		cmocka_unit_test(test_global_after_command),
		cmocka_unit_test(test_ftp_url_error_one_line),
		cmocka_unit_test(test_netrc_quoted),
		cmocka_unit_test(test_info_unknown_model),
	};
	char self[PATH_MAX - 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	(void)argc;
	/* build/tests/test-cli -> build/qlink, for every build directory */
	if (n <= 0)
		return 1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(qlink_bin, sizeof(qlink_bin), "%s/../qlink", self);
	if (argc > 1)
		snprintf(qlink_bin, sizeof(qlink_bin), "%s", argv[1]);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("qlink-cli-pty", tests, NULL, NULL);
}
