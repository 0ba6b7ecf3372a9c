// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink attach, qlink urc and qlink stats inside the VM, against a
 * simulated module: the test holds the pty master and plays the modem (a
 * responder thread answers AT commands; the test sends URCs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "vm.h"

#define LDISC QLINK_LDISC_DEFAULT

static const char *qlink_bin(void)
{
	const char *b = getenv("QLINK_BIN");

	return b ? b : "/usr/bin/qlink";
}

struct proc {
	pid_t pid;
	int out, err;
	char obuf[16384], ebuf[4096];
	size_t olen, elen;
	int status;
};

static void spawn(struct proc *p, const char *const *args)
{
	int o[2], e[2];
	const char *argv[16];
	int i;

	memset(p, 0, sizeof(*p));
	assert_int_equal(pipe(o), 0);
	assert_int_equal(pipe(e), 0);
	argv[0] = qlink_bin();
	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (p->pid == 0) {
		dup2(o[1], 1);
		dup2(e[1], 2);
		close(o[0]);
		close(e[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	p->out = o[0];
	p->err = e[0];
}

/* Collect output until the text appears on stdout/stderr or ms pass. */
static bool collect(struct proc *p, const char *want_out, const char *want_err, int ms)
{
	uint64_t end = vm_now_ns() + (uint64_t)ms * 1000000;

	for (;;) {
		struct pollfd f[2] = { { .fd = p->out, .events = POLLIN },
				       { .fd = p->err, .events = POLLIN } };
		int64_t left = (int64_t)(end - vm_now_ns()) / 1000000;
		ssize_t n;

		p->obuf[p->olen] = '\0';
		p->ebuf[p->elen] = '\0';
		if ((want_out && strstr(p->obuf, want_out)) ||
		    (want_err && strstr(p->ebuf, want_err)))
			return true;
		if (left <= 0 || (p->out < 0 && p->err < 0))
			return false;
		if (poll(f, 2, (int)left) <= 0)
			continue;
		if (f[0].revents) {
			n = read(p->out, p->obuf + p->olen, sizeof(p->obuf) - 1 - p->olen);
			if (n > 0)
				p->olen += (size_t)n;
			else
				f[0].fd = p->out = (close(p->out), -1);
		}
		if (f[1].revents) {
			n = read(p->err, p->ebuf + p->elen, sizeof(p->ebuf) - 1 - p->elen);
			if (n > 0)
				p->elen += (size_t)n;
			else
				p->err = (close(p->err), -1);
		}
	}
}

/* Wait for the exit within ms, reading the rest of the output; returns the exit code. */
static int finish(struct proc *p, int ms)
{
	uint64_t end = vm_now_ns() + (uint64_t)ms * 1000000;
	pid_t r;

	while ((r = waitpid(p->pid, &p->status, WNOHANG)) == 0 && vm_now_ns() < end)
		collect(p, NULL, NULL, 50);
	if (r != p->pid) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &p->status, 0);
		fail_msg("qlink did not exit in %d ms; stdout: %s stderr: %s", ms, p->obuf,
			 p->ebuf);
	}
	collect(p, NULL, NULL, 200);
	if (p->out >= 0)
		close(p->out);
	if (p->err >= 0)
		close(p->err);
	return WIFEXITED(p->status) ? WEXITSTATUS(p->status) : 128 + WTERMSIG(p->status);
}

static int run(struct proc *p, const char *const *args)
{
	spawn(p, args);
	return finish(p, 20000);
}

/* The simulated module: answers every AT command with OK, AT+CSQ with a
 * reading and a URC on top. */
struct responder {
	int fd;
	volatile bool stop;
};

static void *responder(void *arg)
{
	struct responder *r = arg;
	char line[256];
	size_t len = 0;

	while (!r->stop) {
		char c;

		if (vm_wait(r->fd, POLLIN, 100) <= 0)
			continue;
		if (read(r->fd, &c, 1) != 1)
			break;
		if (c != '\r') {
			if (len < sizeof(line) - 1)
				line[len++] = c;
			continue;
		}
		line[len] = '\0';
		len = 0;
		if (!strcmp(line, "AT+CSQ"))
			vm_write_str(r->fd,
				     "\r\n+CSQ: 21,99\r\n\r\nOK\r\n\r\n+QIND: \"csq\",21,99\r\n");
		else if (!strcmp(line, "AT+QIACT?"))
			vm_write_str(r->fd, "\r\n+QIACT: 1,1,1,\"10.0.0.2\"\r\n\r\nOK\r\n");
		else if (!strncmp(line, "AT+QFTPOPEN=", 12))
			vm_write_str(r->fd, "\r\nOK\r\n\r\n+QFTPOPEN: 0,0\r\n");
		else if (!strncmp(line, "AT+QFTPSIZE=", 12))
			vm_write_str(r->fd, "\r\nOK\r\n\r\n+QFTPSIZE: 0,10\r\n");
		else if (!strncmp(line, "AT+QFTPGET=", 11))
			/* a payload that looks like a URC: never published */
			vm_write_str(r->fd,
				     "\r\nCONNECT\r\n\r\nRDY\r\nxyz\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n");
		else if (!strcmp(line, "AT+QFTPCLOSE"))
			vm_write_str(r->fd, "\r\nOK\r\n\r\n+QFTPCLOSE: 0,0\r\n");
		else if (!strncmp(line, "AT", 2))
			vm_write_str(r->fd, "\r\nOK\r\n");
	}
	return NULL;
}

static void test_attach_urc_stats(void **state)
{
	struct responder resp = { 0 };
	struct vm_pty p;
	struct proc att, nl, cd, fo, st;
	pthread_t th;
	char want[128];
	int lines = 0;
	const char *s;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	resp.fd = p.master;
	assert_int_equal(pthread_create(&th, NULL, responder, &resp), 0);

	spawn(&att, (const char *const[]){ "-p", p.path, "attach", NULL });
	assert_true(collect(&att, "attached to", NULL, 10000));
	assert_non_null(strstr(att.obuf, "CRTSCTS on"));
	assert_int_equal(vm_getd(p.slave), LDISC);

	/* a netlink listener, subscribed before the URCs come */
	spawn(&nl,
	      (const char *const[]){ "-v", "urc", "--netlink", "--json", "--count", "2", NULL });
	assert_true(collect(&nl, NULL, "listening", 10000));
	assert_int_equal(vm_write_str(p.master, "+QIND: \"FOTA\",\"HTTPSTART\"\r\nOK\r\n"
						"+QIND: \"FOTA\",\"START\"\r\n"),
			 0);
	assert_int_equal(finish(&nl, 10000), 0);
	snprintf(want, sizeof(want), "\"tty\":\"%s\"", p.name);
	assert_non_null(strstr(nl.obuf, want));
	assert_non_null(strstr(nl.obuf, "\"text\":\"+QIND: \\\"FOTA\\\",\\\"HTTPSTART\\\"\""));
	assert_non_null(strstr(nl.obuf, "\"text\":\"+QIND: \\\"FOTA\\\",\\\"START\\\"\""));

	/* the AT channel works through the ldisc as before; its URC is published too */
	assert_int_equal(run(&st, (const char *const[]){ "-p", p.path, "-t", "5", "at", "AT+CSQ",
							 NULL }),
			 0);
	assert_non_null(strstr(st.obuf, "+CSQ: 21,99"));

	/* the character device: history, without --follow */
	assert_int_equal(run(&cd, (const char *const[]){ "urc", NULL }), 0);
	assert_non_null(strstr(cd.obuf, "+QIND: \"FOTA\",\"HTTPSTART\""));
	assert_non_null(strstr(cd.obuf, "+QIND: \"csq\",21,99"));
	for (s = cd.obuf; (s = strchr(s, '\n')); s++)
		lines++;
	assert_true(lines >= 3);

	/* --follow: the history, then what comes */
	snprintf(want, sizeof(want), "%d", lines + 1);
	spawn(&fo, (const char *const[]){ "urc", "--follow", "--json", "--count", want, NULL });
	usleep(300000);
	assert_int_equal(vm_write_str(p.master, "RDY\r\n"), 0);
	assert_int_equal(finish(&fo, 10000), 0);
	assert_non_null(strstr(fo.obuf, "\"text\":\"RDY\""));

	/* the counters */
	assert_int_equal(run(&st, (const char *const[]){ "stats", p.name, NULL }), 0);
	assert_non_null(strstr(st.obuf, "urcs               4\n"));
	assert_non_null(strstr(st.obuf, "flow               rtscts\n"));
	assert_non_null(strstr(st.obuf, "mode               command\n"));
	assert_int_equal(run(&st, (const char *const[]){ "--json", "stats", p.path, NULL }), 0);
	assert_non_null(strstr(st.obuf, "\"urcs\":4"));
	assert_int_equal(run(&st, (const char *const[]){ "--json", "stats", NULL }), 0);
	if (!strstr(st.obuf, "\"attached\":1"))
		fail_msg("qlink --json stats: %s", st.obuf);
	assert_int_equal(run(&st, (const char *const[]){ "stats", "ttyNOPE", NULL }), 1);
	assert_non_null(strstr(st.ebuf, "not attached"));

	/*
	 * A transfer through the held port: the ldisc enters data mode on
	 * CONNECT by itself, and qlink tells it when the module speaks again,
	 * so the payload's "RDY" is not published and the next URC is.
	 */
	assert_int_equal(run(&st, (const char *const[]){ "-p", p.path, "-t", "5", "ftp", "--url",
							 "ftp://127.0.0.1/", "get", "f.bin",
							 "/tmp/f.bin", NULL }),
			 0);
	assert_int_equal(run(&st, (const char *const[]){ "stats", p.name, NULL }), 0);
	if (!strstr(st.obuf, "mode               command\n"))
		fail_msg("after the transfer the ldisc is not in command mode: %s", st.obuf);
	assert_int_equal(vm_write_str(p.master, "\r\n+QIND: \"csq\",5,99\r\n"), 0);
	assert_int_equal(run(&cd, (const char *const[]){ "urc", NULL }), 0);
	if (!strstr(cd.obuf, "+QIND: \"csq\",5,99"))
		fail_msg("no URC after the transfer: %s", cd.obuf);
	/* the transfer's result, in the same piece as the payload's end (bug 9(a)) */
	if (!strstr(cd.obuf, "+QFTPGET: 0,10"))
		fail_msg("the transfer's +QFTPGET result was not published: %s", cd.obuf);
	/* one RDY: the module's, sent above; the payload's is not a record */
	s = strstr(cd.obuf, "RDY");
	if (!s || strstr(s + 1, "RDY"))
		fail_msg("the payload's RDY was published (or none was): %s", cd.obuf);

	/* SIGTERM detaches: n_tty is back */
	kill(att.pid, SIGTERM);
	assert_int_equal(finish(&att, 5000), 0);
	assert_int_equal(vm_getd(p.slave), N_TTY);
	assert_int_equal(run(&st, (const char *const[]){ "stats", p.name, NULL }), 1);

	resp.stop = true;
	pthread_join(th, NULL);
	vm_pty_close(&p);
}

/* whether /dev/qlink-urc keeps a record holding @text */
static bool urc_has(const char *text)
{
	struct proc u;

	return run(&u, (const char *const[]){ "urc", NULL }) == 0 && strstr(u.obuf, text);
}

/*
 * qlink monitor: with qlink attach holding the port, the records of this
 * tty from /dev/qlink-urc (from now on, not the history); without it, the
 * port itself.
 */
static void test_monitor(void **state)
{
	struct responder resp = { 0 };
	struct vm_pty p;
	struct proc att, mon;
	pthread_t th;
	char want[64];
	int i;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	resp.fd = p.master;
	assert_int_equal(pthread_create(&th, NULL, responder, &resp), 0);
	spawn(&att, (const char *const[]){ "-p", p.path, "attach", NULL });
	assert_true(collect(&att, "attached to", NULL, 10000));
	/* history this monitor must not show, there before it starts */
	assert_int_equal(vm_write_str(p.master, "\r\n+QIND: \"csq\",1,99\r\n"), 0);
	for (i = 0; i < 200 && !urc_has("+QIND: \"csq\",1,99"); i++)
		usleep(50000); /* polled, bounded at 10 s */
	assert_true(i < 200);

	spawn(&mon, (const char *const[]){ "-p", p.path, "-v", "--json", "monitor", "--count", "2",
					   NULL });
	assert_true(collect(&mon, NULL, "live from here", 10000));
	assert_int_equal(vm_write_str(p.master, "\r\n+QIND: \"csq\",7,99\r\n\r\n+CPIN: READY\r\n"),
			 0);
	assert_int_equal(finish(&mon, 10000), 0);
	snprintf(want, sizeof(want), "\"source\":\"qlink.ko\",\"tty\":\"%s\"", p.name);
	if (!strstr(mon.obuf, want) || !strstr(mon.obuf, "\"text\":\"+CPIN: READY\"") ||
	    strstr(mon.obuf, "\"csq\\\",1,99"))
		fail_msg("qlink monitor through qlink.ko: %s / %s", mon.obuf, mon.ebuf);

	kill(att.pid, SIGTERM);
	assert_int_equal(finish(&att, 5000), 0);
	spawn(&mon, (const char *const[]){ "-p", p.path, "-v", "--json", "monitor", "--count", "1",
					   NULL });
	assert_true(collect(&mon, NULL, "reading URCs from the port", 10000));
	assert_int_equal(vm_write_str(p.master, "\r\nRDY\r\n"), 0);
	assert_int_equal(finish(&mon, 10000), 0);
	if (!strstr(mon.obuf, "\"source\":\"port\"") || !strstr(mon.obuf, "\"text\":\"RDY\""))
		fail_msg("qlink monitor without the ldisc: %s / %s", mon.obuf, mon.ebuf);

	resp.stop = true;
	pthread_join(th, NULL);
	vm_pty_close(&p);
}

static void test_usage_errors(void **state)
{
	struct proc p;

	(void)state;
	assert_int_equal(run(&p, (const char *const[]){ "urc", "--count", "0", NULL }), 2);
	assert_int_equal(run(&p, (const char *const[]){ "urc", "extra", NULL }), 2);
	assert_int_equal(run(&p, (const char *const[]){ "attach", NULL }), 2);
	assert_int_equal(run(&p, (const char *const[]){ "-p", "/dev/null", "attach", "--ldisc",
							"300", NULL }),
			 2);
	assert_int_equal(run(&p, (const char *const[]){ "-p", "/dev/nope", "attach", NULL }), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_urc_stats),
		cmocka_unit_test(test_monitor),
		cmocka_unit_test(test_usage_errors),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("qlink-cli", tests, NULL, NULL);
}
