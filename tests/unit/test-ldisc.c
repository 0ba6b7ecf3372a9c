// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink_ldisc_* on the host, where qlink.ko cannot be loaded: the handle
 * goes on inactive and every call is a no-op, unless the caller required
 * the module. The module's own behaviour is tested in the VM (tests/vm).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cmocka.h>

#include <qlink/ldisc.h>

#include "emulation.h"

static int open_pty(int *slave)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0 || grantpt(m) || unlockpt(m))
		return -1;
	*slave = open(ptsname(m), O_RDWR | O_NOCTTY);
	return *slave < 0 ? -1 : m;
}

static int getd(int fd)
{
	int d = -1;

	return ioctl(fd, TIOCGETD, &d) ? -1 : d;
}

static void test_without_module(void **state)
{
	static const char *const set[] = { "+QIND:", "RDY" };
	struct qlink_ldisc_stats st;
	struct qlink_ldisc *l;
	int m, s;

	(void)state;
	m = open_pty(&s);
	assert_true(m >= 0);
	l = qlink_ldisc_attach(s, 0, 0);
	assert_non_null(l);
	if (qlink_ldisc_get_active(l)) {
		qlink_ldisc_close(l);
		close(s);
		close(m);
		skip(); /* this kernel has qlink.ko: the VM suite covers it */
	}
	assert_int_equal(getd(s), 0);
	assert_int_equal(qlink_ldisc_set_data_mode(l, true), 0);
	assert_int_equal(qlink_ldisc_set_data_mode(l, false), 0);
	assert_int_equal(qlink_ldisc_end_data_mode(l, 0), 0);
	assert_int_equal(qlink_ldisc_end_data_mode(l, 4096), 0);
	assert_int_equal(qlink_ldisc_set_urcs(l, set, 2), 0);
	assert_int_equal(qlink_ldisc_get_stats(l, &st), -1);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(qlink_ldisc_close(l), 0);
	assert_int_equal(getd(s), 0);
	/* the bytes still flow: nothing was changed */
	assert_int_equal(write(m, "RDY\n", 4), 4);

	errno = 0;
	assert_null(qlink_ldisc_attach(s, 0, QLINK_LDISC_REQUIRE));
	assert_true(errno == EINVAL || errno == EPERM);
	close(s);
	close(m);
}

static void test_bad_arguments(void **state)
{
	static const char *const empty[] = { "+QIND:", "" };
	struct qlink_ldisc *l;
	int p[2], m, s;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_null(qlink_ldisc_attach(p[0], 0, 0));
	assert_int_equal(errno, ENOTTY);
	close(p[0]);
	close(p[1]);
	m = open_pty(&s);
	assert_true(m >= 0);
	assert_null(qlink_ldisc_attach(s, 300, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(qlink_ldisc_attach(s, 0, 0x80));
	assert_int_equal(errno, EINVAL);
	l = qlink_ldisc_attach(s, 0, 0);
	assert_non_null(l);
	assert_int_equal(qlink_ldisc_set_urcs(l, empty, 2), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_ldisc_set_urcs(l, NULL, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_ldisc_set_data_mode(NULL, true), -1);
	assert_int_equal(qlink_ldisc_end_data_mode(NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_ldisc_end_data_mode(l, (size_t)INT32_MAX + 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_ldisc_get_stats(l, NULL), -1);
	assert_false(qlink_ldisc_get_active(NULL));
	assert_int_equal(qlink_ldisc_close(l), 0);
	assert_int_equal(qlink_ldisc_close(NULL), 0);
	close(s);
	close(m);
}

/* The tool's way: look at the tty only when a data phase starts. */
static void test_deferred(void **state)
{
	struct qlink_ldisc *l;
	int m, s;

	(void)state;
	m = open_pty(&s);
	assert_true(m >= 0);
	assert_null(qlink_ldisc_attach(s, 0, QLINK_LDISC_DEFERRED));
	assert_int_equal(errno, EINVAL);
	assert_null(qlink_ldisc_attach(s, 0,
				       QLINK_LDISC_DEFERRED | QLINK_LDISC_EXISTING |
					       QLINK_LDISC_REQUIRE));
	assert_int_equal(errno, EINVAL);
	l = qlink_ldisc_attach(s, 0, QLINK_LDISC_DEFERRED | QLINK_LDISC_EXISTING);
	assert_non_null(l);
	assert_false(qlink_ldisc_get_active(l));
	/* N_TTY in place: the look finds no qlink, and nothing is changed */
	assert_int_equal(qlink_ldisc_set_data_mode(l, true), 0);
	assert_false(qlink_ldisc_get_active(l));
	assert_int_equal(getd(s), 0);
	assert_int_equal(qlink_ldisc_close(l), 0);
	assert_int_equal(getd(s), 0);
	close(s);
	close(m);
}

static void test_query_stats_without_module(void **state)
{
	struct qlink_ldisc_stats st;
	char longname[64];

	(void)state;
	if (access(QLINK_URC_DEVICE, F_OK) == 0)
		skip(); /* this kernel has qlink.ko: the VM suite covers it */
	assert_int_equal(qlink_ldisc_query_stats(NULL, &st), -1);
	assert_true(errno == ENOENT || errno == ENOTSUP || qemu_user_has_no_genl(errno));
	assert_int_equal(qlink_ldisc_query_stats("ttyS1", &st), -1);
	assert_true(errno == ENOENT || errno == ENOTSUP || qemu_user_has_no_genl(errno));
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(qlink_ldisc_query_stats(longname, &st), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_ldisc_query_stats("", &st), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_ldisc_query_stats(NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_without_module),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_deferred),
		cmocka_unit_test(test_query_stats_without_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
