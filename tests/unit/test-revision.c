// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <qlink/chan.h>
#include <qlink/revision.h>
#include <qlink/transport.h>

#include "responder.h"

static void test_flash(void **state)
{
	(void)state;
	assert_int_equal(qlink_revision_flash_mb("EC200TCNBAR02A01V01M16"), 16);
	assert_int_equal(qlink_revision_flash_mb("EC200NCNLAR03A01M08"), 8);
	assert_int_equal(qlink_revision_flash_mb("EC600NCNLAR03A03M08_01.200"), 8);
	assert_int_equal(qlink_revision_flash_mb("EC200TCNDAR02A07"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_revision_flash_mb("M16X"), -1);
	assert_int_equal(qlink_revision_flash_mb(""), -1);
	assert_int_equal(qlink_revision_flash_mb(NULL), -1);
}

static void test_model(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(qlink_revision_model("EC200TCNDAR02A07M16", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EC200T");
	assert_int_equal(qlink_revision_model("EG912YEMAR01A01M16", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EG912Y");
	assert_int_equal(qlink_revision_model("EC800NCNLAR01A03M08", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EC800N");
	assert_int_equal(qlink_revision_model("ec200t", buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_revision_model("EC20", buf, sizeof(buf)), -1);
	assert_int_equal(qlink_revision_model("EC200T", buf, 6), -1);
	assert_int_equal(errno, ERANGE);
}

static void on_term(int sig)
{
	(void)sig;
}

/* The module in a child process, answering from @script on a pty. */
static int read_from(const char *script, char *buf, size_t len)
{
	char path[128];
	struct responder *resp = responder_new(script, false, path, sizeof(path));
	struct qlink_transport *t;
	struct qlink_chan *chan;
	int ret, err, status;
	pid_t pid;

	assert_non_null(resp);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct sigaction sa = { .sa_handler = on_term };
		const struct timespec bound = { .tv_sec = 5 };
		sigset_t term, none;

		/* SIGTERM is let in only inside ppoll: the parent's stop is never missed */
		sigemptyset(&none);
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigprocmask(SIG_BLOCK, &term, NULL);
		sigaction(SIGTERM, &sa, NULL);
		for (;;) {
			struct pollfd pfd = { .fd = responder_fd(resp), .events = POLLIN };

			/* stopped, or 5 s of silence: free what we hold, for memcheck */
			if (ppoll(&pfd, 1, &bound, &none) <= 0 || responder_step(resp) < 0) {
				responder_free(resp);
				_exit(0);
			}
		}
	}
	t = qlink_transport_open_tty(path, 115200, 0);
	assert_non_null(t);
	chan = qlink_chan_new(t);
	assert_non_null(chan);
	qlink_chan_set_timeout(chan, 1000);
	ret = qlink_revision_read(chan, buf, len);
	err = errno;
	qlink_chan_free(chan);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	responder_free(resp);
	errno = err;
	return ret;
}

#define GMR "> AT+GMR\n"

static void test_read(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(read_from(GMR "< EC200TCNDAR02A07M16\n< OK\n", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EC200TCNDAR02A07M16");
	assert_int_equal(read_from(GMR "< Revision: EC200NCNLAR03A01M08\n< OK\n", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "EC200NCNLAR03A01M08");
	assert_int_equal(read_from(GMR "< EC200TCNDAR02A07M16\n< OK\n", buf, 6), 0);
	assert_string_equal(buf, "EC200");
	assert_int_equal(read_from(GMR "< OK\n", buf, sizeof(buf)), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(read_from(GMR "< ERROR\n", buf, sizeof(buf)), -1);
	assert_int_equal(qlink_revision_read(NULL, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flash),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests_name("revision", tests, NULL, NULL);
}
