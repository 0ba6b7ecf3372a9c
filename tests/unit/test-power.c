// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The power report object, and the power calls' argument checks. The
 * pulses themselves are measured on gpio-sim in the VM (tests/vm/test-gpio.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <qlink/power.h>

static void test_report_empty(void **state)
{
	struct qlink_power_report *rep = qlink_power_report_new();

	(void)state;
	assert_non_null(rep);
	assert_int_equal(qlink_power_report_get_state(rep), QLINK_POWER_UNKNOWN);
	assert_int_equal(qlink_power_report_get_pulse_ns(rep), 0);
	assert_int_equal(qlink_power_report_get_waited_ms(rep), 0);
	assert_string_equal(qlink_power_report_get_seen(rep), "");
	assert_string_equal(qlink_power_report_get_how(rep), "");
	qlink_power_report_free(rep);
	qlink_power_report_free(NULL);
}

static void test_bad_arguments(void **state)
{
	struct qlink_power_report *rep = qlink_power_report_new();
	struct qlink_power_port none = { .path = NULL };

	(void)state;
	assert_non_null(rep);
	errno = 0;
	assert_int_equal(qlink_power_status(&none, rep), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(qlink_power_status(NULL, rep), -1);
	assert_int_equal(errno, EINVAL);
	qlink_power_report_free(rep);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(qlink_power_state_name(QLINK_POWER_ON), "on");
	assert_string_equal(qlink_power_state_name(QLINK_POWER_OFF), "off");
	assert_string_equal(qlink_power_state_name(QLINK_POWER_SILENT), "silent");
	assert_string_equal(qlink_power_state_name(QLINK_POWER_UNKNOWN), "unknown");
	assert_string_equal(qlink_power_state_name((enum qlink_power_state)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_empty),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests_name("power", tests, NULL, NULL);
}
