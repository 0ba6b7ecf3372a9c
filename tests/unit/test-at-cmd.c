// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/* The command table: names, prefixes, async results, documented bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "core/at-cmd.h"

static void test_sorted(void **state)
{
	size_t n, i;
	const struct qlink_at_cmd_info *t = qlink_at_cmd_table(&n);

	(void)state;
	assert_true(n > 10);
	for (i = 1; i < n; i++)
		assert_true(strcasecmp(t[i - 1].name, t[i].name) < 0);
}

static void test_names(void **state)
{
	const char *name;

	(void)state;
	assert_int_equal(qlink_at_cmd_name("AT+QFTPCWD=\"/\"", &name), 8);
	assert_memory_equal(name, "+QFTPCWD", 8);
	assert_int_equal(qlink_at_cmd_name("AT+CPIN?", &name), 5);
	assert_int_equal(qlink_at_cmd_name("AT+QFTPCFG=?", &name), 8);
	assert_int_equal(qlink_at_cmd_name("ATI", &name), 1);
	assert_int_equal(qlink_at_cmd_name("ATE0", &name), 1);
	assert_int_equal(qlink_at_cmd_name("AT&D1", &name), 2);
	assert_memory_equal(name, "&D", 2);
	assert_int_equal(qlink_at_cmd_name("AT", &name), 0);
	assert_int_equal(qlink_at_cmd_name("hello", &name), 0);
}

static void test_lookup(void **state)
{
	const struct qlink_cmd *c;

	(void)state;
	c = qlink_cmd_lookup("AT+QFTPCWD=\"/\"");
	assert_string_equal(c->async, "+QFTPCWD:");
	assert_true(c->flags & QLINK_CMD_F_RSPTIMEOUT);
	c = qlink_cmd_lookup("at+qftpopen=\"h\",21");
	assert_string_equal(c->async, "+QFTPOPEN:");
	assert_int_equal(c->timeout_ms, 125000);
	c = qlink_cmd_lookup("AT+QFTPCFG=\"account\",\"a\",\"b\"");
	assert_null(c->async);
	assert_int_equal(c->timeout_ms, 300);
	assert_int_equal(qlink_cmd_lookup("AT")->timeout_ms, 300);
	assert_int_equal(qlink_cmd_lookup("ATI")->timeout_ms, 300);
	assert_int_equal(qlink_cmd_lookup("AT+QIACT=1")->timeout_ms, 150000);
	assert_int_equal(qlink_cmd_lookup("AT+COPS=0")->timeout_ms, 180000);
	/* unknown: no documented limit, a conservative bound */
	assert_int_equal(qlink_cmd_lookup("AT+QNOPE")->timeout_ms, 5000);
	assert_int_equal(qlink_cmd_lookup("AT+QFTP")->timeout_ms, 5000);
	assert_int_equal(qlink_cmd_lookup("junk")->timeout_ms, 5000);
	/* every FTP command with a result URC has one named after it */
	assert_string_equal(qlink_cmd_lookup("AT+QFTPCLOSE")->async, "+QFTPCLOSE:");
	assert_string_equal(qlink_cmd_lookup("AT+QFTPMLSD=\".\"")->async, "+QFTPMLSD:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests_name("at-cmd", tests, NULL, NULL);
}
