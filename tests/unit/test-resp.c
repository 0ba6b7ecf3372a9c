// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/* The response object: result parsing, messages, copies. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/resp-priv.h"

static void test_async_err(void **state)
{
	(void)state;
	assert_int_equal(qlink_resp_async_err("+QFTPCWD: 0,0"), 0);
	assert_int_equal(qlink_resp_async_err("+QFTPSIZE:0, 1000"), 0);
	assert_int_equal(qlink_resp_async_err("+QFTPOPEN: 625,530"), 625);
	assert_int_equal(qlink_resp_async_err("+QFTPPWD: 0,/"), 0);
	assert_int_equal(qlink_resp_async_err("+QFTPPWD: 0,\"/\""), 0);
	assert_int_equal(qlink_resp_async_err("+QFTPCLOSE: 0"), 0);
	assert_int_equal(qlink_resp_async_err("+QFTPGET: x,1"), -1);
	assert_int_equal(qlink_resp_async_err("+QFTPGET: 12a,1"), -1);
	assert_int_equal(qlink_resp_async_err("+QFTPGET"), -1);
	assert_int_equal(qlink_resp_async_err("+QFTPGET: 99999999999,0"), -1);
}

static void test_messages(void **state)
{
	struct qlink_resp *r = qlink_resp_new("AT+QFTPCFG=\"account\",\"u\",\"pw\"");

	(void)state;
	assert_non_null(r);
	assert_string_equal(qlink_resp_get_command(r), "AT+QFTPCFG=\"account\",\"u\",\"***\"");
	assert_int_equal(qlink_resp_set_final(r, "ERROR", QLINK_RESULT_ERROR, -1), 0);
	r->status = -EIO;
	assert_string_equal(qlink_resp_get_error(r), "AT+QFTPCFG=\"account\",\"u\",\"***\": ERROR");
	qlink_resp_free(r);

	r = qlink_resp_new("AT+QFTPOPEN=\"h\",21");
	assert_int_equal(qlink_resp_set_final(r, "OK", QLINK_RESULT_OK, -1), 0);
	assert_int_equal(qlink_resp_set_async(r, "+QFTPOPEN: 625,530"), 0);
	r->status = -EIO;
	assert_int_equal(qlink_resp_get_code(r), 625);
	assert_string_equal(qlink_resp_get_error(r), "AT+QFTPOPEN=\"h\",21: 625: Not logged in "
						     "(server said 530: Not logged in)");
	qlink_resp_free(r);

	r = qlink_resp_new("AT+QFTPOPEN=\"h\",21");
	assert_int_equal(qlink_resp_set_async(r, "+QFTPOPEN: 604,0"), 0);
	r->status = -EIO;
	assert_string_equal(qlink_resp_get_error(r), "AT+QFTPOPEN=\"h\",21: 604: DNS parse failed");
	qlink_resp_free(r);

	r = qlink_resp_new("AT+QFTPLEN");
	assert_int_equal(qlink_resp_set_async(r, "+QFTPLEN: garbage"), 0);
	r->status = -EPROTO;
	assert_string_equal(qlink_resp_get_error(r),
			    "AT+QFTPLEN: malformed result \"+QFTPLEN: garbage\"");
	qlink_resp_free(r);

	r = qlink_resp_new("AT");
	r->status = -ENXIO;
	assert_non_null(strstr(qlink_resp_get_error(r), "port went away"));
	qlink_resp_free(r);

	r = qlink_resp_new("AT");
	assert_string_equal(qlink_resp_get_error(r), "");
	qlink_resp_free(r);
}

static void test_dup(void **state)
{
	struct qlink_resp *r = qlink_resp_new("ATI"), *d;

	(void)state;
	assert_int_equal(qlink_resp_add_line(r, "Quectel", 0), 0);
	assert_int_equal(qlink_resp_add_line(r, "EC200T", 1), 0);
	assert_int_equal(qlink_resp_set_final(r, "OK", QLINK_RESULT_OK, -1), 0);
	d = qlink_resp_dup(r);
	qlink_resp_free(r);
	assert_non_null(d);
	assert_int_equal(qlink_resp_get_line_count(d), 2);
	assert_string_equal(qlink_resp_get_line(d, 1), "EC200T");
	assert_null(qlink_resp_get_line(d, 2));
	assert_int_equal(qlink_resp_get_truncated(d), 1);
	assert_string_equal(qlink_resp_get_final(d), "OK");
	assert_int_equal(qlink_resp_get_result(d), QLINK_RESULT_OK);
	assert_null(qlink_resp_get_async(d));
	qlink_resp_free(d);
	qlink_resp_free(NULL);
}

static void test_bounds(void **state)
{
	struct qlink_resp *r = qlink_resp_new("ATI");
	char big[1000];
	int i;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 200; i++)
		assert_int_equal(qlink_resp_add_line(r, big, 0), 0);
	assert_true(qlink_resp_get_line_count(r) * (sizeof(big) - 1) <= QLINK_RESP_MAX_BYTES);
	assert_int_equal(qlink_resp_get_truncated(r), 1);
	qlink_resp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_async_err),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests_name("resp", tests, NULL, NULL);
}
