// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/* The generic transport object over a custom implementation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/transport.h>

static int closed;

static ssize_t rd(void *priv, void *buf, size_t len)
{
	(void)priv;
	if (len < 2)
		return 0;
	memcpy(buf, "hi", 2);
	return 2;
}

static ssize_t wr(void *priv, const void *buf, size_t len)
{
	(void)buf;
	*(size_t *)priv += len;
	return (ssize_t)len;
}

static void cl(void *priv)
{
	(void)priv;
	closed++;
}

static int outq(void *priv)
{
	return (int)*(size_t *)priv;
}

static const struct qlink_transport_ops ops = { .read = rd, .write = wr, .close = cl };
static const struct qlink_transport_ops ops_outq = { .read = rd, .write = wr, .get_outq = outq };
static const struct qlink_transport_ops no_write = { .read = rd };

static void test_ops(void **state)
{
	size_t written = 0;
	struct qlink_transport *t = qlink_transport_new(&ops, &written);
	char buf[4];

	(void)state;
	assert_non_null(t);
	assert_int_equal(qlink_transport_read(t, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "hi", 2);
	assert_int_equal(qlink_transport_write(t, "abc", 3), 3);
	assert_int_equal(written, 3);
	assert_int_equal(qlink_transport_get_fd(t), -1);
	/* no output queue of its own: nothing is waiting */
	assert_int_equal(qlink_transport_get_outq(t), 0);
	assert_int_equal(qlink_transport_get_rtscts(t), -1);
	assert_int_equal(errno, EINVAL);
	closed = 0;
	qlink_transport_free(t);
	assert_int_equal(closed, 1);
	qlink_transport_free(NULL);
}

/* The escape's drain check asks the implementation, whatever it keeps. */
static void test_outq(void **state)
{
	size_t queued = 0;
	struct qlink_transport *t = qlink_transport_new(&ops_outq, &queued);

	(void)state;
	assert_non_null(t);
	assert_int_equal(qlink_transport_get_outq(t), 0);
	assert_int_equal(qlink_transport_write(t, "abcdefg", 7), 7);
	assert_int_equal(qlink_transport_get_outq(t), 7);
	qlink_transport_free(t);
}

static void test_invalid(void **state)
{
	(void)state;
	assert_null(qlink_transport_new(NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(qlink_transport_new(&no_write, NULL));
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_outq),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests_name("transport", tests, NULL, NULL);
}
