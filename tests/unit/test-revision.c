// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <qlink/chan.h>
#include <qlink/revision.h>
#include <qlink/transport.h>

#include "emulation.h"
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

struct module {
	struct responder *resp;
	int stop[2]; /* a pipe: readable once the test is done */
};

/*
 * The module, answering from its script on a pty, in a thread: qemu-user
 * (the cross suite) runs threads but a forked child of this binary never
 * got to run there.
 */
static void test_model_known(void **state)
{
	(void)state;
	assert_true(qlink_revision_model_known("EC200T"));
	assert_true(qlink_revision_model_known("EG912Y"));
	assert_true(qlink_revision_model_known("EC800N"));
	assert_false(qlink_revision_model_known("EC200U"));
	assert_false(qlink_revision_model_known("EC200A"));
	assert_false(qlink_revision_model_known("EG915U"));
	assert_false(qlink_revision_model_known(NULL));
}

static void *module_run(void *arg)
{
	struct module *m = arg;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = responder_fd(m->resp), .events = POLLIN },
			{ .fd = m->stop[0], .events = POLLIN },
		};

		/* stopped, or 10 s of silence: the test failed, not hung */
		if (poll(pfd, 2, 10000) <= 0 || pfd[1].revents || responder_step(m->resp) < 0)
			return NULL;
	}
}

static int read_from(const char *script, char *buf, size_t len)
{
	char path[128];
	struct module m = { .resp = responder_new(script, false, path, sizeof(path)) };
	struct qlink_transport *t;
	struct qlink_chan *chan;
	pthread_t th;
	int ret, err;

	assert_non_null(m.resp);
	assert_int_equal(pipe(m.stop), 0);
	assert_int_equal(pthread_create(&th, NULL, module_run, &m), 0);
	t = qlink_transport_open_tty(path, 115200, 0);
	assert_non_null(t);
	chan = qlink_chan_new(t);
	assert_non_null(chan);
	/*
	 * A bound for a module thread that starts slowly (qemu-user, a loaded
	 * machine): no case here ends by the bound.
	 */
	qlink_chan_set_timeout(chan, 10000);
	ret = qlink_revision_read(chan, buf, len);
	err = errno;
	qlink_chan_free(chan);
	assert_int_equal(write(m.stop[1], "", 1), 1);
	pthread_join(th, NULL);
	close(m.stop[0]);
	close(m.stop[1]);
	responder_free(m.resp);
	errno = err;
	return ret;
}

#define GMR "> AT+GMR\n"

static void test_read(void **state)
{
	char buf[32];

	(void)state;
	/*
	 * Under qemu-user the scripted module never answers (AT+GMR is
	 * written, nothing comes back; tests/cross/run); native runs cover it.
	 */
	if (under_qemu_user())
		skip();
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
		cmocka_unit_test(test_model_known),
		cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests_name("revision", tests, NULL, NULL);
}
