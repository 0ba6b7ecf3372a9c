// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include <qlink/transport.h>

#include "core/clock.h"
#include "core/port-wait.h"

static void test_present_absent(void **state)
{
	char dir[] = "/tmp/qlink-port-XXXXXX", path[64];
	uint64_t t0;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ttyUSB2", dir);
	assert_int_equal(qlink_port_wait(path, false, 0), 0);
	t0 = qlink_now_ms();
	assert_int_equal(qlink_port_wait(path, true, 300), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_true(qlink_now_ms() - t0 >= 300);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(qlink_port_wait(path, true, 0), 0);
	assert_int_equal(qlink_port_wait(path, false, 100), -1);
	assert_int_equal(errno, ETIMEDOUT);
	unlink(path);
	rmdir(dir);
	assert_int_equal(qlink_port_wait(NULL, true, 0), -1);
	assert_int_equal(errno, EINVAL);
}

static int closed;

static ssize_t nop_read(void *priv, void *buf, size_t len)
{
	return 0;
}

static ssize_t nop_write(void *priv, const void *buf, size_t len)
{
	return (ssize_t)len;
}

static void nop_close(void *priv)
{
	closed++;
}

static void test_release(void **state)
{
	static const struct qlink_transport_ops ops = {
		.read = nop_read,
		.write = nop_write,
		.close = nop_close,
	};
	struct qlink_transport *t = qlink_transport_new(&ops, NULL);
	char c;

	(void)state;
	assert_non_null(t);
	qlink_port_release(t);
	assert_int_equal(closed, 1);
	assert_int_equal(qlink_transport_read(t, &c, 1), -1);
	assert_int_equal(errno, ENXIO);
	assert_int_equal(qlink_transport_write(t, "x", 1), -1);
	assert_int_equal(errno, ENXIO);
	assert_int_equal(qlink_transport_get_fd(t), -1);
	qlink_port_release(t);
	qlink_transport_free(t);
	assert_int_equal(closed, 1);
	qlink_port_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_present_absent),
		cmocka_unit_test(test_release),
	};

	return cmocka_run_group_tests_name("port-wait", tests, NULL, NULL);
}
