// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The AT channel over an in-memory transport with a hand-driven clock.
 * Responses are fed whole, one byte at a time and in random splits.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/qlink.h>

#include "core/chan-priv.h"
#include "mem-transport.h"

#define SEEDS 200

struct fix {
	struct qlink_chan *chan;
	struct mem_transport *mt;
	uint64_t now;
	char urcs[8192];  /* every URC, one per line */
	char data[65536]; /* data-mode payload received */
	size_t data_len;
	char log[8192];
	int done;
	int status;
	char lines[4096]; /* the response's lines, '|'-separated */
	char async[256];
	int code;
	enum qlink_result result;
	char err[512];
	size_t raw_n; /* for on_connect */
	size_t n_lines;
	int truncated;
};

static uint64_t clock_now(void *user)
{
	return ((struct fix *)user)->now;
}

/* Append "@s@end" if it fits whole; a test that needs more has a bug. */
static void append(char *buf, size_t size, const char *s, const char *end)
{
	size_t used = strlen(buf);

	if (used + strlen(s) + strlen(end) < size) {
		strcat(buf, s);
		strcat(buf, end);
	}
}

static void on_urc(struct qlink_chan *chan, const char *line, void *user)
{
	struct fix *f = user;

	(void)chan;
	append(f->urcs, sizeof(f->urcs), line, "\n");
}

static const struct qlink_urc_handler urc_all[] = { { "", on_urc } };

static void on_log(enum qlink_log_dir dir, const char *text, void *user)
{
	struct fix *f = user;

	(void)dir;
	append(f->log, sizeof(f->log), text, "\n");
}

static void on_done(struct qlink_chan *chan, const struct qlink_resp *r, void *user)
{
	struct fix *f = user;
	size_t i;

	(void)chan;
	f->done++;
	f->status = qlink_resp_get_status(r);
	f->code = qlink_resp_get_code(r);
	f->result = qlink_resp_get_result(r);
	f->lines[0] = '\0';
	for (i = 0; i < qlink_resp_get_line_count(r); i++)
		append(f->lines, sizeof(f->lines), i ? "|" : "", qlink_resp_get_line(r, i));
	f->n_lines = qlink_resp_get_line_count(r);
	f->truncated = qlink_resp_get_truncated(r);
	snprintf(f->async, sizeof(f->async), "%s",
		 qlink_resp_get_async(r) ? qlink_resp_get_async(r) : "");
	snprintf(f->err, sizeof(f->err), "%s", qlink_resp_get_error(r));
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct qlink_transport *t = mem_transport_new(&f->mt);

	assert_non_null(t);
	f->chan = qlink_chan_new(t);
	assert_non_null(f->chan);
	f->now = 1000;
	qlink_chan_set_clock(f->chan, clock_now, f);
	qlink_chan_set_urc_handlers(f->chan, urc_all, 1, f);
	qlink_chan_set_log(f->chan, on_log, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	qlink_chan_free(f->chan);
	free(f);
	return 0;
}

static void reset(struct fix *f)
{
	f->urcs[0] = f->lines[0] = f->async[0] = f->log[0] = '\0';
	f->data_len = 0;
	f->done = 0;
	f->status = 1;
	mem_transport_clear_output(f->mt);
}

/* Feed @s in pieces chosen by @seed (0: whole, 1: bytewise, else random). */
static void feed(struct fix *f, const char *s, size_t len, unsigned int seed)
{
	size_t off = 0;

	srand(seed);
	while (off < len) {
		size_t n = seed == 0 ? len : seed == 1 ? 1 : 1 + (size_t)rand() % 17;

		if (n > len - off)
			n = len - off;
		mem_transport_push(f->mt, s + off, n);
		off += n;
		assert_int_equal(qlink_chan_process(f->chan), 0);
	}
}

static void feed_str(struct fix *f, const char *s, unsigned int seed)
{
	feed(f, s, strlen(s), seed);
}

static void submit(struct fix *f, const char *line, const struct qlink_cmd *cmd)
{
	assert_int_equal(qlink_chan_submit(f->chan, line, cmd, on_done, f), 0);
	assert_int_equal(qlink_chan_process(f->chan), 0);
}

static void test_simple(void **state)
{
	struct fix *f = *state;
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		submit(f, "AT+CSQ", NULL);
		assert_string_equal(mem_transport_output(f->mt, NULL), "AT+CSQ\r");
		feed_str(f, "\r\n+CSQ: 23,99\r\n\r\nOK\r\n", seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_int_equal(f->result, QLINK_RESULT_OK);
		assert_string_equal(f->lines, "+CSQ: 23,99");
		assert_string_equal(f->urcs, "");
		assert_int_equal(qlink_chan_get_pending(f->chan), 0);
	}
}

static void test_urc_interleaved(void **state)
{
	struct fix *f = *state;
	static const char in[] = "\r\n+QIND: \"FOTA\",\"START\"\r\n"
				 "\r\nQuectel\r\n\r\n+QUSIM: 1\r\n\r\nEC200T\r\n"
				 "\r\n+QIND: \"FOTA\",\"UPDATING\",5\r\n"
				 "\r\nRevision: EC200TCNDAR02A07M16\r\n\r\nOK\r\n"
				 "\r\n+QIND: \"FOTA\",\"END\",0\r\n";
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		submit(f, "ATI", NULL);
		feed_str(f, in, seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_string_equal(f->lines, "Quectel|EC200T|Revision: EC200TCNDAR02A07M16");
		assert_string_equal(f->urcs, "+QIND: \"FOTA\",\"START\"\n+QUSIM: 1\n"
					     "+QIND: \"FOTA\",\"UPDATING\",5\n"
					     "+QIND: \"FOTA\",\"END\",0\n");
	}
}

static void test_echo(void **state)
{
	struct fix *f = *state;
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		submit(f, "AT+CSQ", NULL);
		feed_str(f, "AT+CSQ\r\r\n+CSQ: 5,99\r\n\r\nOK\r\n", seed);
		assert_int_equal(f->done, 1);
		assert_string_equal(f->lines, "+CSQ: 5,99");
		assert_string_equal(f->urcs, "");
	}
}

static void test_async_after_ok(void **state)
{
	struct fix *f = *state;
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		submit(f, "AT+QFTPCWD=\"/\"", NULL);
		feed_str(f, "\r\nOK\r\n", seed);
		assert_int_equal(f->done, 0);
		/* a URC while waiting is not the result */
		feed_str(f, "\r\n+QIND: \"csq\",1\r\n\r\n+QUSIM: 1\r\n\r\n+QFTPCWD: 0,0\r\n", seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_int_equal(f->code, 0);
		assert_string_equal(f->async, "+QFTPCWD: 0,0");
		assert_string_equal(f->urcs, "+QIND: \"csq\",1\n+QUSIM: 1\n");
	}
}

/* RDY: the module restarted, and the command in flight is lost with it. */
static void test_rdy_aborts_command(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QFTPCWD=\"/\"", NULL);
	feed_str(f, "\r\nOK\r\n\r\nRDY\r\n", 1);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -ECONNABORTED);
	assert_string_equal(f->urcs, "RDY\n");
	assert_non_null(strstr(f->err, "restarted"));
	/* while idle it is only a URC */
	reset(f);
	feed_str(f, "\r\nRDY\r\n", 0);
	assert_int_equal(f->done, 0);
	assert_string_equal(f->urcs, "RDY\n");
	/* before the final result it may be a boot that raced the command */
	reset(f);
	submit(f, "AT+CSQ", NULL);
	feed_str(f, "\r\nRDY\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n", 1);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, 0);
	assert_string_equal(f->lines, "+CSQ: 20,99");
}

static void test_async_error(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QFTPCWD=\"/nope\"", NULL);
	feed_str(f, "\r\nOK\r\n\r\n+QFTPCWD: 627,550\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -EIO);
	assert_int_equal(f->code, 627);
	assert_non_null(strstr(f->err, "627: Requested action not taken"));
	assert_non_null(strstr(f->err, "server said 550: Requested action not taken: file "
				       "unavailable"));
}

static void test_async_before_ok(void **state)
{
	struct fix *f = *state;
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		submit(f, "AT+QFTPSTAT", NULL);
		feed_str(f, "\r\n+QFTPSTAT: 0,1\r\n", seed);
		assert_int_equal(f->done, 0); /* a success waits for its OK */
		feed_str(f, "\r\nOK\r\n", seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_string_equal(f->async, "+QFTPSTAT: 0,1");
		assert_string_equal(f->urcs, "");
	}
}

static void test_async_failure_before_ok(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,10", NULL);
	feed_str(f, "\r\n+QFTPGET: 609,0\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -EIO);
	assert_int_equal(f->code, 609);
	assert_non_null(strstr(f->err, "Timeout error"));
	/* the OK some firmware sends after it is dropped, not kept for later */
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->done, 1);
	reset(f);
	submit(f, "AT+CSQ", NULL);
	feed_str(f, "\r\n+CSQ: 1,1\r\n\r\nOK\r\n", 0);
	assert_string_equal(f->lines, "+CSQ: 1,1");
}

static void test_cme_error(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QIACT=1", NULL);
	feed_str(f, "\r\n+CME ERROR: 10\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -EIO);
	assert_int_equal(f->result, QLINK_RESULT_CME_ERROR);
	assert_int_equal(f->code, 10);
	assert_string_equal(f->err, "AT+QIACT=1: +CME ERROR: 10: SIM not inserted");
}

static void test_no_carrier(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "ATO", NULL);
	feed_str(f, "\r\nNO CARRIER\r\n", 0);
	assert_int_equal(f->status, -ECONNRESET);
	assert_int_equal(f->result, QLINK_RESULT_NO_CARRIER);
}

static void test_timeout_then_stray(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+CSQ", NULL);
	f->now += 299;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 0);
	assert_int_equal(qlink_chan_get_timeout(f->chan), 1);
	f->now += 1;
	assert_int_equal(qlink_chan_get_timeout(f->chan), 0);
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -ETIMEDOUT);
	assert_string_equal(f->err, "AT+CSQ: no final result within 300 ms");
	assert_int_equal(qlink_chan_get_timeout(f->chan), -1);
	/* the late answer arrives while idle: dropped, not kept for the next */
	feed_str(f, "\r\n+CSQ: 9,9\r\n\r\nOK\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_non_null(strstr(f->log, "stray final result ignored"));
	assert_string_equal(f->urcs, "+CSQ: 9,9\n");
	reset(f);
	submit(f, "AT", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, 0);
}

static void test_lines_extend_deadline(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QFTPCFG=?", NULL);
	f->now += 250;
	feed_str(f, "\r\n+QFTPCFG: \"account\",<username>,<password>\r\n", 0);
	f->now += 250;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 0);
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, 0);
}

static void test_async_timeout(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QFTPOPEN=\"127.0.0.1\",21", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	f->now += 124999;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 0);
	f->now += 1;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -ETIMEDOUT);
	assert_string_equal(f->err, "AT+QFTPOPEN=\"127.0.0.1\",21: no result within 125000 ms");
}

static void test_queue_attribution(void **state)
{
	struct fix *f = *state;
	int i;

	reset(f);
	assert_int_equal(qlink_chan_submit(f->chan, "AT", NULL, on_done, f), 0);
	assert_int_equal(qlink_chan_submit(f->chan, "AT+CSQ", NULL, on_done, f), 0);
	assert_int_equal(qlink_chan_get_pending(f->chan), 2);
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_string_equal(mem_transport_output(f->mt, NULL), "AT\r");
	/*
	 * "+CSQ" arrives in the same read as AT's OK, before AT+CSQ was sent:
	 * it cannot be AT+CSQ's answer and must not become it.
	 */
	mem_transport_push_str(f->mt, "\r\nOK\r\n\r\n+CSQ: 1,1\r\n", 0);
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 1);
	assert_string_equal(f->urcs, "+CSQ: 1,1\n");
	assert_string_equal(mem_transport_output(f->mt, NULL), "AT\rAT+CSQ\r");
	feed_str(f, "\r\n+CSQ: 2,2\r\n\r\nOK\r\n", 0);
	assert_int_equal(f->done, 2);
	assert_string_equal(f->lines, "+CSQ: 2,2");
	for (i = 0; i < 2; i++)
		assert_int_equal(qlink_chan_get_pending(f->chan), 0);
}

static void test_waiting_input_before_command(void **state)
{
	struct fix *f = *state;

	reset(f);
	/* the module booted before we submitted: these are not the answer */
	mem_transport_push_str(f->mt, "\r\nRDY\r\n\r\n+CPIN: READY\r\n", 3);
	assert_int_equal(qlink_chan_submit(f->chan, "AT+CPIN?", NULL, on_done, f), 0);
	assert_string_equal(f->urcs, "RDY\n+CPIN: READY\n");
	feed_str(f, "\r\n+CPIN: READY\r\n\r\nOK\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_string_equal(f->lines, "+CPIN: READY");
}

/* A line is a line whatever its bytes: UTF-8, a national code page, controls. */
static void test_line_any_bytes(void **state)
{
	struct fix *f = *state;
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		submit(f, "AT+COPS?", NULL);
		feed_str(f,
			 "\r\n+COPS: 0,0,\"\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8 "
			 "CMCC-\xc3\xa9\",7\r\n\r\nOK\r\n",
			 seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_string_equal(f->lines, "+COPS: 0,0,\"\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb"
					      "\xe5\x8a\xa8 CMCC-\xc3\xa9\",7");
		assert_null(strstr(f->log, "noise"));

		/* GBK, a stray control byte, a lone 0xff: still the answer's lines */
		reset(f);
		submit(f, "AT+QFLST", NULL);
		feed_str(f,
			 "\r\n+QFLST: \"UFS:\xd6\xd0\xce\xc4.txt\",12\r\n"
			 "\r\n+QFLST: \"UFS:a\x14\xff.bin\",3\r\n\r\nOK\r\n",
			 seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_string_equal(f->lines, "+QFLST: \"UFS:\xd6\xd0\xce\xc4.txt\",12|"
					      "+QFLST: \"UFS:a\x14\xff.bin\",3");
	}
}

static void test_slow_write(void **state)
{
	struct fix *f = *state;
	int turns = 0;

	reset(f);
	mem_transport_write_budget(f->mt, 0);
	assert_int_equal(qlink_chan_submit(f->chan, "AT+CSQ", NULL, on_done, f), 0);
	/* until the line is out, a "+CSQ" line is not its answer */
	mem_transport_push_str(f->mt, "\r\n+CSQ: 0,0\r\n", 0);
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_string_equal(f->urcs, "+CSQ: 0,0\n");
	while (qlink_chan_get_events(f->chan) & POLLOUT) {
		mem_transport_write_budget(f->mt, 1);
		assert_int_equal(qlink_chan_process(f->chan), 0);
		turns++;
		if (turns < 7) {
			/* a '+CSQ' line before the CR went out is still not ours */
			feed_str(f, "\r\n+CSQ: 0,1\r\n", 0);
			assert_string_equal(f->lines, "");
		}
	}
	assert_int_equal(turns, 7);
	assert_string_equal(mem_transport_output(f->mt, NULL), "AT+CSQ\r");
	mem_transport_write_budget(f->mt, (size_t)-1);
	feed_str(f, "\r\n+CSQ: 3,3\r\n\r\nOK\r\n", 0);
	assert_string_equal(f->lines, "+CSQ: 3,3");
}

static int get_connect(struct qlink_chan *chan, const char *text, void *user)
{
	struct fix *f = user;

	return qlink_chan_expect_raw(chan, f->raw_n);
}

static void get_data(struct qlink_chan *chan, const void *buf, size_t len, void *user)
{
	struct fix *f = user;

	(void)chan;
	assert_true(f->data_len + len <= sizeof(f->data));
	memcpy(f->data + f->data_len, buf, len);
	f->data_len += len;
}

static const struct qlink_cmd get_cmd = {
	.async = "+QFTPGET:",
	.flags = QLINK_CMD_F_RSPTIMEOUT,
	.on_connect = get_connect,
	.on_data = get_data,
};

static void test_data_mode(void **state)
{
	struct fix *f = *state;
	static const char payload[] = "\r\nOK\r\n+QIND: \"FOTA\",\"END\",0\r\nNO CARRIER\r\n"
				      "\0\x01\xff+++\r\nERROR\r\n";
	char in[512];
	size_t plen = sizeof(payload) - 1, n;
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		f->raw_n = plen;
		submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,55", &get_cmd);
		n = (size_t)snprintf(in, sizeof(in), "\r\nCONNECT\r\n");
		memcpy(in + n, payload, plen);
		n += plen;
		n += (size_t)snprintf(in + n, sizeof(in) - n,
				      "\r\nOK\r\n\r\n+QIND: \"csq\",3\r\n\r\n+QFTPGET: 0,%zu\r\n",
				      plen);
		feed(f, in, n, seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_int_equal(f->data_len, plen);
		assert_memory_equal(f->data, payload, plen);
		assert_string_equal(f->urcs, "+QIND: \"csq\",3\n");
		snprintf(in, sizeof(in), "+QFTPGET: 0,%zu", plen);
		assert_string_equal(f->async, in);
	}
}

static void test_data_stall(void **state)
{
	struct fix *f = *state;

	reset(f);
	f->raw_n = 100;
	qlink_chan_set_rsptimeout(f->chan, 20);
	submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,100", &get_cmd);
	feed_str(f, "\r\nCONNECT\r\n0123456789", 0);
	f->now += 24999;
	feed_str(f, "abc", 0); /* payload keeps the transfer alive */
	f->now += 24999;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 0);
	f->now += 1;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -ETIMEDOUT);
	assert_non_null(strstr(f->err, "no data within 25000 ms"));
	/* the framing was abandoned: lines parse again */
	reset(f);
	submit(f, "AT", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->status, 0);
	qlink_chan_set_rsptimeout(f->chan, 90);
}

/*
 * qlink_chan_cancel(): a silent module is given up on after a second of
 * silence, as -ECANCELED; one still sending payload is not.
 */
static void test_cancel(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QFTPOPEN=\"h\",21", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	f->now += 5000;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	qlink_chan_cancel(f->chan); /* as from a signal handler */
	assert_true(qlink_chan_get_cancelled(f->chan));
	assert_int_equal(qlink_chan_get_timeout(f->chan), 1000);
	f->now += 999;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 0);
	f->now += 1;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -ECANCELED);

	/* payload keeps a data phase alive past the second; its end ends it */
	reset(f);
	f->raw_n = 8;
	submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,8", &get_cmd);
	feed_str(f, "\r\nCONNECT\r\n0123", 0);
	f->now += 900;
	feed_str(f, "45", 0);
	f->now += 900;
	feed_str(f, "67\r\nOK\r\n\r\n+QFTPGET: 0,8\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, 0);
	assert_int_equal(f->data_len, 8);

	/* the documented bounds again */
	qlink_chan_clear_cancel(f->chan);
	assert_false(qlink_chan_get_cancelled(f->chan));
	reset(f);
	submit(f, "AT+QFTPOPEN=\"h\",21", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	f->now += 5000;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 0);
	f->now += 200000; /* past the command's own bound */
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->status, -ETIMEDOUT);
}

/* A download that stops short: the module's own lines end it, not a count. */
static void test_data_ends_early(void **state)
{
	struct fix *f = *state;
	char payload[300], in[512];
	size_t n, i;
	unsigned int seed;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (char)(i * 7 + 3);
	memcpy(payload + 100, "\r\nOK\r\n+QFTPGET: 0,5\r\n", 21);
	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		f->raw_n = 1000;
		submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,1000", &get_cmd);
		n = (size_t)snprintf(in, sizeof(in), "\r\nCONNECT\r\n");
		memcpy(in + n, payload, sizeof(payload));
		n += sizeof(payload);
		n += (size_t)snprintf(in + n, sizeof(in) - n, "\r\nOK\r\n\r\n+QFTPGET: 607,0\r\n");
		feed(f, in, n, seed);
		assert_int_equal(f->done, 0);
		f->now += 249;
		assert_int_equal(qlink_chan_process(f->chan), 0);
		assert_int_equal(f->done, 0);
		f->now += 1;
		assert_int_equal(qlink_chan_process(f->chan), 0);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, -EIO);
		assert_int_equal(f->code, 607);
		assert_int_equal(f->data_len, sizeof(payload));
		assert_memory_equal(f->data, payload, sizeof(payload));
	}
	/* lines parse again afterwards */
	reset(f);
	submit(f, "AT", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->status, 0);
}

/* The module rebooted mid-payload: RDY ends the data phase, and the command. */
static void test_data_ends_with_reboot(void **state)
{
	struct fix *f = *state;

	reset(f);
	f->raw_n = 1000;
	submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,1000", &get_cmd);
	feed_str(f, "\r\nCONNECT\r\n0123456789", 0);
	f->now += 5000;
	feed_str(f, "\r\nRDY\r\n", 1);
	f->now += 250;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, -ECONNABORTED);
	assert_int_equal(f->data_len, 10);
	assert_memory_equal(f->data, "0123456789", 10);
	assert_string_equal(f->urcs, "RDY\n");
}

/* A pause after bytes that are not the module's lines is just a slow server. */
static void test_data_pause_is_not_end(void **state)
{
	struct fix *f = *state;
	static const char payload[] = "line one\r\nOK then\r\n";
	char in[256];

	reset(f);
	f->raw_n = sizeof(payload) - 1 + 4;
	submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,23", &get_cmd);
	snprintf(in, sizeof(in), "\r\nCONNECT\r\n%s", payload);
	feed_str(f, in, 0);
	f->now += 10000;
	assert_int_equal(qlink_chan_process(f->chan), 0);
	assert_int_equal(f->done, 0);
	feed_str(f, "tail\r\nOK\r\n\r\n+QFTPGET: 0,23\r\n", 3);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, 0);
	assert_int_equal(f->data_len, 23);
	assert_memory_equal(f->data, "line one\r\nOK then\r\ntail", 23);
}

static int get_connect_trailer(struct qlink_chan *chan, const char *text, void *user)
{
	struct fix *f = user;

	return qlink_chan_expect_raw_trailer(chan, f->raw_n, "\r\nOK\r");
}

static const struct qlink_cmd get_cmd_trailer = {
	.async = "+QFTPGET:",
	.flags = QLINK_CMD_F_RSPTIMEOUT,
	.on_connect = get_connect_trailer,
	.on_data = get_data,
};

/*
 * A byte lost on the line (or one added) moves the module's OK into or out
 * of the framed length: what follows the payload is then not the OK, and
 * the command ends with -EBADMSG once the module has said its result,
 * not with a success over the wrong bytes.
 */
static void test_data_trailer(void **state)
{
	static const struct {
		const char *wire; /* what the port gives after CONNECT for 10 framed bytes */
		int status;
	} cases[] = {
		{ "0123456789\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n", 0 },
		/* one byte lost: the framing takes the OK's CR */
		{ "012345678\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n", -EBADMSG },
		/* one byte added */
		{ "0123456789X\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n", -EBADMSG },
		/* three lost: the framing takes "\r\nO", the result ends it */
		{ "0123456\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n", -EBADMSG },
		/* five lost: no OK left at all */
		{ "01234\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n", -EBADMSG },
	};
	struct fix *f = *state;
	char in[256];
	size_t i;
	unsigned int seed;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (seed = 0; seed < SEEDS; seed++) {
			reset(f);
			f->raw_n = 10;
			submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,10", &get_cmd_trailer);
			snprintf(in, sizeof(in), "\r\nCONNECT\r\n%s", cases[i].wire);
			feed_str(f, in, seed);
			assert_int_equal(f->done, 1);
			assert_int_equal(f->status, cases[i].status);
		}
	}
	/* lines parse again afterwards */
	reset(f);
	submit(f, "AT", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->status, 0);
}

/*
 * A payload holding "\r\nOK\r\n" and then a pause is not the module's
 * result: an OK alone never ends data mode, however long the quiet.
 */
static void test_data_ok_then_pause(void **state)
{
	struct fix *f = *state;
	char in[256];
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		f->raw_n = 20;
		submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,20", &get_cmd_trailer);
		feed_str(f, "\r\nCONNECT\r\nabcd\r\nOK\r\n", seed);
		f->now += 600;
		assert_int_equal(qlink_chan_process(f->chan), 0);
		f->now += 5000;
		assert_int_equal(qlink_chan_process(f->chan), 0);
		assert_int_equal(f->done, 0);
		snprintf(in, sizeof(in), "efghijkl\r\n\r\nOK\r\n\r\n+QFTPGET: 0,20\r\n");
		feed_str(f, in, seed);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_int_equal(f->data_len, 20);
		assert_memory_equal(f->data, "abcd\r\nOK\r\nefghijkl\r\n", 20);
	}
}

/* A listing's length comes only after it: unbounded framing. */
static void test_data_unbounded(void **state)
{
	struct fix *f = *state;
	static const char listing[] = "a.bin\r\nOK\r\nb.bin\r\n";
	char in[256];
	unsigned int seed;

	for (seed = 0; seed < SEEDS; seed++) {
		reset(f);
		f->raw_n = SIZE_MAX;
		submit(f, "AT+QFTPNLST=\".\",\"COM:\"",
		       &(const struct qlink_cmd){ .async = "+QFTPNLST:",
						  .on_connect = get_connect,
						  .on_data = get_data });
		snprintf(in, sizeof(in), "\r\nCONNECT\r\n%s\r\nOK\r\n\r\n+QFTPNLST: 0,%zu\r\n",
			 listing, sizeof(listing) - 1);
		feed_str(f, in, seed);
		f->now += 250;
		assert_int_equal(qlink_chan_process(f->chan), 0);
		assert_int_equal(f->done, 1);
		assert_int_equal(f->status, 0);
		assert_int_equal(f->data_len, sizeof(listing) - 1);
		assert_memory_equal(f->data, listing, sizeof(listing) - 1);
	}
}

static size_t data_tail_seen;

static void on_data_mode(struct qlink_chan *chan, bool data, void *user)
{
	struct fix *f = user;

	append(f->log, sizeof(f->log), data ? "DATA" : "COMMAND", "\n");
	if (!data)
		data_tail_seen = qlink_chan_data_tail(chan);
}

/* The data-mode observer hears every entry and exactly one exit. */
static void test_data_mode_cb(void **state)
{
	struct fix *f = *state;
	static const char *const ends[] = {
		"0123456789\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n", /* framed, then OK */
		"01234\r\nOK\r\n\r\n+QFTPGET: 607,0\r\n",     /* ends early */
		"01234\r\nNO CARRIER\r\n",		      /* ends early, no result */
		"0123",					      /* stalls */
	};
	size_t i;

	qlink_chan_set_data_mode_cb(f->chan, on_data_mode, f);
	qlink_chan_set_rsptimeout(f->chan, 20);
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		reset(f);
		f->raw_n = 10;
		submit(f, "AT+QFTPGET=\"a.bin\",\"COM:\",0,10", &get_cmd);
		feed_str(f, "\r\nCONNECT\r\n", 0);
		assert_non_null(strstr(f->log, "DATA\n"));
		assert_null(strstr(f->log, "COMMAND"));
		data_tail_seen = 12345;
		feed_str(f, ends[i], 0);
		f->now += 25000;
		assert_int_equal(qlink_chan_process(f->chan), 0);
		assert_int_equal(f->done, 1);
		assert_non_null(strstr(f->log, "COMMAND\n"));
		assert_null(strstr(strstr(f->log, "COMMAND\n") + 1, "COMMAND"));
		/* what was read after the payload, for the ldisc: from OK on; nothing after a stall */
		if (i == 0)
			assert_int_equal(data_tail_seen, strlen("OK\r\n\r\n+QFTPGET: 0,10\r\n"));
		if (i == 3)
			assert_int_equal(data_tail_seen, 0);
	}
	assert_int_equal(qlink_chan_data_tail(f->chan), 0);
	qlink_chan_set_data_mode_cb(f->chan, NULL, NULL);
	qlink_chan_set_rsptimeout(f->chan, 90);
}

static int prompt_seen;

struct dtr_rec {
	int calls;
	bool last;
	int fail; /* errno to fail with, 0: succeed */
};

static int dtr_hook(struct qlink_chan *chan, bool asserted, void *user)
{
	struct dtr_rec *d = user;

	(void)chan;
	d->calls++;
	d->last = asserted;
	if (d->fail) {
		errno = d->fail;
		return -1;
	}
	return 0;
}

/*
 * The channel drives DTR only through the hook the board layer installs:
 * a line that cannot be driven leaves "+++" in place and sends no AT&D1.
 */
static void test_dtr_hook_fails(void **state)
{
	struct fix *f = *state;
	struct dtr_rec d = { .fail = EIO };
	size_t len;

	reset(f);
	assert_int_equal(qlink_chan_set_dtr(f->chan, dtr_hook, &d), -1);
	assert_int_equal(errno, EIO);
	assert_int_equal(d.calls, 1);
	assert_true(d.last);
	mem_transport_output(f->mt, &len);
	assert_int_equal(len, 0);
	/* NULL goes back to "+++" without asking anything */
	assert_int_equal(qlink_chan_set_dtr(f->chan, NULL, NULL), 0);
	assert_int_equal(d.calls, 1);
	assert_int_equal(qlink_chan_set_dtr(NULL, dtr_hook, &d), -1);
	assert_int_equal(errno, EINVAL);
}

static int on_prompt(struct qlink_chan *chan, void *user)
{
	prompt_seen++;
	return qlink_chan_send(chan, "hi\x1a", 3);
}

static const struct qlink_cmd prompt_cmd = {
	.prefixes = (const char *const[]){ "+CMGS:", NULL },
	.flags = QLINK_CMD_F_PROMPT,
	.timeout_ms = 1000,
	.on_prompt = on_prompt,
};

static void test_prompt(void **state)
{
	struct fix *f = *state;

	reset(f);
	prompt_seen = 0;
	submit(f, "AT+CMGS=\"123\"", &prompt_cmd);
	feed_str(f, "\r\n> ", 0);
	assert_int_equal(prompt_seen, 1);
	assert_string_equal(mem_transport_output(f->mt, NULL), "AT+CMGS=\"123\"\rhi\x1a");
	feed_str(f, "\r\n+CMGS: 7\r\n\r\nOK\r\n", 0);
	assert_int_equal(f->status, 0);
	assert_string_equal(f->lines, "+CMGS: 7");
}

static void test_port_lost(void **state)
{
	struct fix *f = *state;

	reset(f);
	assert_int_equal(qlink_chan_submit(f->chan, "AT", NULL, on_done, f), 0);
	assert_int_equal(qlink_chan_submit(f->chan, "AT+CSQ", NULL, on_done, f), 0);
	mem_transport_fail(f->mt, ENXIO);
	assert_int_equal(qlink_chan_process(f->chan), -1);
	assert_int_equal(errno, ENXIO);
	assert_int_equal(f->done, 2);
	assert_int_equal(f->status, -ENXIO);
	assert_int_equal(qlink_chan_submit(f->chan, "AT", NULL, on_done, f), -1);
	assert_int_equal(errno, ENXIO);
}

static void test_free_cancels(void **state)
{
	struct fix *f = *state;
	struct mem_transport *mt;
	struct qlink_chan *chan = qlink_chan_new(mem_transport_new(&mt));

	(void)state;
	reset(f);
	assert_int_equal(qlink_chan_submit(chan, "AT", NULL, on_done, f), 0);
	assert_int_equal(qlink_chan_submit(chan, "ATI", NULL, on_done, f), 0);
	qlink_chan_free(chan);
	assert_int_equal(f->done, 2);
	assert_int_equal(f->status, -ECANCELED);
}

static void test_bad_submit(void **state)
{
	struct fix *f = *state;
	char big[QLINK_CMD_LINE_MAX + 2];

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(qlink_chan_submit(f->chan, "", NULL, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_chan_submit(f->chan, "AT\rAT", NULL, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_chan_submit(f->chan, big, NULL, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_chan_get_pending(f->chan), 0);
}

static void test_timeouts_table(void **state)
{
	struct fix *f = *state;

	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT", NULL), 300);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "ATE0", NULL), 300);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "at+qiact=1", NULL), 150000);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT+QIDEACT=1", NULL), 40000);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT+QFTPOPEN=\"h\",21", NULL), 125000);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT+QFTPCFG=\"contextid\",1", NULL), 300);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT+QFTPCWD=\"/\"", NULL), 95000);
	assert_int_equal(qlink_chan_set_rsptimeout(f->chan, 19), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_chan_set_rsptimeout(f->chan, 181), -1);
	assert_int_equal(qlink_chan_set_rsptimeout(f->chan, 20), 0);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT+QFTPSIZE=\"a\"", NULL), 25000);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT+XYZ", NULL), 5000);
	qlink_chan_set_timeout(f->chan, 777);
	assert_int_equal(qlink_chan_timeout_for(f->chan, "AT+QIACT=1", NULL), 777);
	qlink_chan_set_timeout(f->chan, 0);
	qlink_chan_set_rsptimeout(f->chan, 90);
}

static void test_log_redacts(void **state)
{
	struct fix *f = *state;

	reset(f);
	submit(f, "AT+QFTPCFG=\"account\",\"user\",\"s3cret\"", NULL);
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->status, 0);
	assert_null(strstr(f->log, "s3cret"));
	assert_non_null(strstr(f->log, "AT+QFTPCFG=\"account\",\"user\",\"***\""));
}

static void test_runaway_response(void **state)
{
	struct fix *f = *state;
	int i;

	reset(f);
	submit(f, "ATI", NULL);
	for (i = 0; i < 2000; i++)
		feed_str(f, "\r\nsome line from a confused module\r\n", 0);
	feed_str(f, "\r\nOK\r\n", 0);
	assert_int_equal(f->done, 1);
	assert_int_equal(f->status, 0);
	/* kept up to the bound, the rest counted as truncation */
	assert_int_equal(f->n_lines, 512);
	assert_int_equal(f->truncated, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_urc_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_after_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rdy_aborts_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_before_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_failure_before_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cme_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_carrier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_then_stray, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_extend_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_attribution, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiting_input_before_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_any_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_stall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_ends_early, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_trailer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_ok_then_pause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_ends_with_reboot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_pause_is_not_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_unbounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_mode_cb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dtr_hook_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prompt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_cancels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_submit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeouts_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_redacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runaway_response, setup, teardown),
	};

	return cmocka_run_group_tests_name("chan", tests, NULL, NULL);
}
