// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * GPIO line specs, and requests on a machine without the lines. The lines
 * themselves are tested on gpio-sim in the VM (tests/vm/test-gpio.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/gpio.h>

#include "board/gpio-priv.h"

static void test_specs(void **state)
{
	struct gpio_spec sp;

	(void)state;
	assert_int_equal(qlink_gpio_parse_spec("MODEM_DTR", &sp, NULL, 0), 0);
	assert_string_equal(sp.name, "MODEM_DTR");
	assert_false(sp.by_offset);
	assert_false(sp.active_low);
	assert_int_equal(qlink_gpio_parse_spec("gpiochip0:17,active-low", &sp, NULL, 0), 0);
	assert_true(sp.by_offset);
	assert_string_equal(sp.chip, "gpiochip0");
	assert_int_equal(sp.offset, 17);
	assert_true(sp.active_low);
	/* labels may contain ':' only before the last one */
	assert_int_equal(qlink_gpio_parse_spec("/dev/gpiochip1:0", &sp, NULL, 0), 0);
	assert_string_equal(sp.chip, "/dev/gpiochip1");
	assert_int_equal(qlink_gpio_parse_spec("pinctrl-bcm2835:4", &sp, NULL, 0), 0);
	assert_string_equal(sp.chip, "pinctrl-bcm2835");
	assert_int_equal(sp.offset, 4);
}

static void test_bad_specs(void **state)
{
	static const char *const bad[] = {
		"",
		",active-low",
		"gpiochip0:",
		"gpiochip0:-1",
		"gpiochip0:+1",
		"gpiochip0:1x",
		":3",
		"gpiochip0:70000",
		"MODEM DTR",
		"MODEM_DTR,",
		"MODEM_DTR,active-high",
	};
	struct gpio_spec sp;
	char why[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		errno = 0;
		assert_int_equal(qlink_gpio_check_spec(bad[i]), -1);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(qlink_gpio_parse_spec(bad[i], &sp, why, sizeof(why)), -1);
		assert_true(strlen(why) > 10);
	}
	assert_int_equal(qlink_gpio_check_spec(NULL), -1);
	qlink_gpio_parse_spec("a:b:c", &sp, why, sizeof(why));
	assert_string_equal(why, "GPIO line 'a:b:c': the offset after ':' is not a number");
}

/* No gpiochip here (or none with these names): the errors say which is missing. */
static void test_request_absent(void **state)
{
	(void)state;
	errno = 0;
	assert_null(qlink_gpio_request("QLINK_NO_SUCH_LINE", NULL, 0));
	assert_int_equal(errno, qlink_gpio_available() ? ENOENT : ENOTSUP);
	assert_null(qlink_gpio_request("qlink-no-such-chip:0", NULL, 0));
	assert_int_equal(errno, qlink_gpio_available() ? ENODEV : ENOTSUP);
	assert_null(qlink_gpio_request("bad,spec", NULL, 0));
	assert_int_equal(errno, EINVAL);
	assert_null(qlink_gpio_request("MODEM_DTR", NULL, 2));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_gpio_set_value(NULL, 1), -1);
	assert_int_equal(qlink_gpio_get_value(NULL), -1);
	assert_int_equal(qlink_gpio_get_last_pulse_ns(NULL), 0);
	qlink_gpio_free(NULL);
}

static void test_available(void **state)
{
	(void)state;
#ifdef QLINK_GPIOD_API
	assert_int_equal(qlink_gpio_available(), QLINK_GPIOD_API);
#else
	/* the test is built without the flag; the library says what it has */
	assert_true(qlink_gpio_available() >= 0 && qlink_gpio_available() <= 2);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_specs),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_request_absent),
		cmocka_unit_test(test_available),
	};

	return cmocka_run_group_tests_name("gpio", tests, NULL, NULL);
}
