// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The transport's pacing, which a FOTA FILE upload without flow control
 * rests on, with a hand-driven microsecond clock; and the channel that
 * must neither poll for POLLOUT while pacing holds output back nor sleep
 * past the next allowed write.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/qlink.h>

#include "mem-transport.h"
#include "core/transport-priv.h"

static uint64_t now_us;

static uint64_t fake_clock(void *user)
{
	(void)user;
	return now_us;
}

static struct qlink_transport *paced(struct mem_transport **mt, unsigned int rate, size_t max)
{
	struct qlink_transport *t = mem_transport_new(mt);

	assert_non_null(t);
	qlink_transport_set_clock(t, fake_clock, NULL);
	assert_int_equal(qlink_transport_set_pacing(t, rate, max), 0);
	return t;
}

static void test_cap_and_rate(void **state)
{
	struct mem_transport *mt;
	struct qlink_transport *t;
	char buf[100] = { 0 };

	(void)state;
	now_us = 1000000;
	t = paced(&mt, 15000, 32);
	assert_int_equal(qlink_transport_write(t, buf, sizeof(buf)), 32);
	assert_int_equal(qlink_transport_write(t, buf, sizeof(buf)), 0);
	/* 32 bytes at 15000 B/s: 2134 us, rounded up to 3 ms */
	assert_int_equal(qlink_transport_get_next_write_ms(t), 3);
	now_us += 2133;
	assert_int_equal(qlink_transport_get_next_write_ms(t), 1);
	assert_int_equal(qlink_transport_write(t, buf, sizeof(buf)), 0);
	now_us += 1;
	assert_int_equal(qlink_transport_get_next_write_ms(t), 0);
	assert_int_equal(qlink_transport_write(t, buf, 10), 10);
	/* a short write pays for its own length only */
	now_us += 667;
	assert_int_equal(qlink_transport_write(t, buf, sizeof(buf)), 32);
	qlink_transport_free(t);
}

static void test_no_saved_burst(void **state)
{
	struct mem_transport *mt;
	struct qlink_transport *t;
	char buf[64] = { 0 };

	(void)state;
	now_us = 5000000;
	t = paced(&mt, 15000, 32);
	assert_int_equal(qlink_transport_write(t, buf, 32), 32);
	/* a second of silence saves nothing up */
	now_us += 1000000;
	assert_int_equal(qlink_transport_write(t, buf, 32), 32);
	assert_int_equal(qlink_transport_write(t, buf, 32), 0);
	/* late by less than one write: made up, so the average holds */
	now_us += 2134 + 1000;
	assert_int_equal(qlink_transport_write(t, buf, 32), 32);
	now_us += 1134;
	assert_int_equal(qlink_transport_write(t, buf, 32), 32);
	assert_int_equal(qlink_transport_write(t, buf, 32), 0);
	qlink_transport_free(t);
}

/* Waking on whole milliseconds, as poll(2) does, the average is the rate. */
static void test_average_rate(void **state)
{
	struct mem_transport *mt;
	struct qlink_transport *t;
	char buf[32] = { 0 };
	uint64_t sent = 0, start, max_window = 0, window_start, window_bytes = 0;

	(void)state;
	now_us = 7000000;
	start = window_start = now_us;
	t = paced(&mt, 15000, 32);
	while (now_us - start < 10000000) {
		ssize_t n = qlink_transport_write(t, buf, sizeof(buf));

		assert_true(n == 0 || n == 32);
		sent += (uint64_t)n;
		window_bytes += (uint64_t)n;
		if (now_us - window_start >= 10000) {
			if (window_bytes > max_window)
				max_window = window_bytes;
			window_bytes = 0;
			window_start = now_us;
		}
		if (!n) {
			int ms = qlink_transport_get_next_write_ms(t);

			now_us += (uint64_t)(ms ? ms : 1) * 1000;
		}
	}
	/* 10 s at 15000 B/s: within one write of 150000, never above it */
	assert_true(sent <= 150000 + 32);
	assert_true(sent >= 150000 - 64);
	/* no burst: any 10 ms carries at most its share plus one write */
	assert_true(max_window <= 150 + 2 * 32);
	qlink_transport_free(t);
}

static void test_off(void **state)
{
	struct mem_transport *mt;
	struct qlink_transport *t;
	char buf[100] = { 0 };

	(void)state;
	t = paced(&mt, 0, 0);
	assert_int_equal(qlink_transport_write(t, buf, sizeof(buf)), 100);
	assert_int_equal(qlink_transport_get_next_write_ms(t), 0);
	/* a cap without a rate */
	qlink_transport_set_pacing(t, 0, 32);
	assert_int_equal(qlink_transport_write(t, buf, sizeof(buf)), 32);
	assert_int_equal(qlink_transport_write(t, buf, sizeof(buf)), 32);
	assert_int_equal(qlink_transport_set_pacing(NULL, 1, 1), -1);
	assert_int_equal(errno, EINVAL);
	qlink_transport_free(t);
}

static void test_chan_waits_for_pacing(void **state)
{
	struct mem_transport *mt;
	struct qlink_transport *t;
	struct qlink_chan *chan;
	char buf[100];
	size_t len;
	int i;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	now_us = 9000000;
	t = paced(&mt, 15000, 32);
	chan = qlink_chan_new(t);
	assert_non_null(chan);
	assert_ptr_equal(qlink_chan_get_transport(chan), t);
	assert_int_equal(qlink_chan_send(chan, buf, sizeof(buf)), 0);
	mem_transport_output(mt, &len);
	assert_int_equal(len, 32);
	assert_int_equal(qlink_chan_get_outq(chan), 68);
	/* output queued but the pacing holds it: no POLLOUT, wake in 3 ms */
	assert_int_equal(qlink_chan_get_events(chan), POLLIN);
	assert_int_equal(qlink_chan_get_timeout(chan), 3);
	for (i = 0; i < 10; i++)
		assert_int_equal(qlink_chan_process(chan), 0);
	mem_transport_output(mt, &len);
	assert_int_equal(len, 32);
	now_us += 2134;
	assert_int_equal(qlink_chan_get_events(chan), POLLIN | POLLOUT);
	assert_int_equal(qlink_chan_process(chan), 0);
	mem_transport_output(mt, &len);
	assert_int_equal(len, 64);
	now_us += 2134;
	qlink_chan_process(chan);
	now_us += 2134;
	qlink_chan_process(chan);
	mem_transport_output(mt, &len);
	assert_int_equal(len, 100);
	assert_int_equal(qlink_chan_get_outq(chan), 0);
	assert_int_equal(qlink_chan_get_events(chan), POLLIN);
	assert_int_equal(qlink_chan_get_timeout(chan), -1);
	qlink_chan_free(chan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_and_rate),	      cmocka_unit_test(test_no_saved_burst),
		cmocka_unit_test(test_average_rate),	      cmocka_unit_test(test_off),
		cmocka_unit_test(test_chan_waits_for_pacing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
