// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The board's configuration file: what it accepts, and that every bad line
 * is refused with its file, its line number and the cause.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <qlink/config.h>

static struct qlink_config *parse(const char *text, int want)
{
	struct qlink_config *cfg = qlink_config_new();

	assert_non_null(cfg);
	assert_int_equal(qlink_config_parse(cfg, text, strlen(text), "qlink.conf"), want);
	return cfg;
}

static void test_board(void **state)
{
	struct qlink_config *cfg;

	(void)state;
	cfg = parse("# EC200 HAT on a Pi 4\n"
		    "\n"
		    "port = /dev/ttyAMA0\n"
		    "  baud=921600  \r\n"
		    "rtscts = On\n"
		    "dtr-gpio = MODEM_DTR\n"
		    "PWRKEY_GPIO = pinctrl-bcm2711:4\n"
		    "reset_gpio\t=\tgpiochip0:5,active-low\n"
		    "   # indented comment",
		    0);
	assert_string_equal(qlink_config_get_value(cfg, "port"), "/dev/ttyAMA0");
	assert_string_equal(qlink_config_get_value(cfg, "baud"), "921600");
	assert_string_equal(qlink_config_get_value(cfg, "rtscts"), "yes");
	assert_string_equal(qlink_config_get_value(cfg, "dtr_gpio"), "MODEM_DTR");
	assert_string_equal(qlink_config_get_value(cfg, "pwrkey-gpio"), "pinctrl-bcm2711:4");
	assert_string_equal(qlink_config_get_value(cfg, "reset_gpio"), "gpiochip0:5,active-low");
	assert_int_equal(qlink_config_get_line(cfg, "dtr_gpio"), 6);
	assert_string_equal(qlink_config_get_error(cfg), "");
	qlink_config_free(cfg);
}

static void test_unset_and_unknown_keys(void **state)
{
	struct qlink_config *cfg = parse("rtscts = no\n", 0);

	(void)state;
	assert_string_equal(qlink_config_get_value(cfg, "rtscts"), "no");
	errno = 0;
	assert_null(qlink_config_get_value(cfg, "port"));
	assert_int_equal(errno, ENOENT);
	assert_null(qlink_config_get_value(cfg, "colour"));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_config_get_line(cfg, "port"), 0);
	qlink_config_free(cfg);
	/* the packaged template's spelling */
	cfg = parse("flow = none\n", 0);
	assert_string_equal(qlink_config_get_value(cfg, "rtscts"), "no");
	assert_string_equal(qlink_config_get_value(cfg, "flow"), "no");
	assert_int_equal(qlink_config_get_line(cfg, "rtscts"), 1);
	qlink_config_free(cfg);
	/* an empty file is a valid one */
	cfg = parse("", 0);
	qlink_config_free(cfg);
}

static const struct {
	const char *text;
	const char *error;
} bad[] = {
	{ "port /dev/ttyAMA0\n", "qlink.conf:1: expected 'key = value', got 'port /dev/ttyAMA0'" },
	{ "\n\nspeed = 115200\n", "qlink.conf:3: unknown key 'speed' (known: port, baud, rtscts "
				  "or flow, dtr_gpio, pwrkey_gpio, reset_gpio)" },
	{ "flow = xonxoff\n", "qlink.conf:1: flow 'xonxoff' is not rtscts or none" },
	{ "rtscts = yes\nflow = none\n",
	  "qlink.conf:2: flow control (rtscts, flow) is set twice (first on line 1)" },
	{ "= 5\n", "qlink.conf:1: no key before '='" },
	{ "port =\n", "qlink.conf:1: no value for port" },
	{ "port = ttyAMA0\n", "qlink.conf:1: port 'ttyAMA0' is not an absolute path (/dev/...)" },
	{ "baud = fast\n", "qlink.conf:1: baud 'fast' is not a line rate (a number up to "
			   "4000000, 0 keeps the port's)" },
	{ "baud = -9600\n", "qlink.conf:1: baud '-9600' is not a line rate (a number up to "
			    "4000000, 0 keeps the port's)" },
	{ "baud = 5000000\n", "qlink.conf:1: baud '5000000' is not a line rate (a number up to "
			      "4000000, 0 keeps the port's)" },
	{ "rtscts = maybe\n", "qlink.conf:1: rtscts 'maybe' is not yes or no" },
	{ "dtr_gpio = MODEM_DTR,inverted\n",
	  "qlink.conf:1: dtr_gpio: GPIO line 'MODEM_DTR,inverted': the only option after ',' is "
	  "active-low" },
	{ "pwrkey_gpio = gpiochip0:x\n",
	  "qlink.conf:1: pwrkey_gpio: GPIO line 'gpiochip0:x': the offset after ':' is not a "
	  "number" },
	{ "reset_gpio = :4\n", "qlink.conf:1: reset_gpio: GPIO line ':4': no chip before ':'" },
	{ "reset_gpio = \"MODEM_RESET\"\n",
	  "qlink.conf:1: reset_gpio: GPIO line '\"MODEM_RESET\"' contains blanks or quotes" },
	{ "port = /dev/a\nbaud = 9600\nport = /dev/b\n",
	  "qlink.conf:3: port is set twice (first on line 1)" },
};

static void test_bad_lines(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct qlink_config *cfg = parse(bad[i].text, -1);

		assert_int_equal(errno, EINVAL);
		assert_string_equal(qlink_config_get_error(cfg), bad[i].error);
		qlink_config_free(cfg);
	}
}

static void test_long_line_and_nul(void **state)
{
	struct qlink_config *cfg = qlink_config_new();
	char text[QLINK_CONFIG_LINE_MAX + 32];

	(void)state;
	memset(text, 'x', sizeof(text));
	memcpy(text, "port = /", 8);
	assert_int_equal(qlink_config_parse(cfg, text, sizeof(text), "f"), -1);
	assert_string_equal(qlink_config_get_error(cfg), "f:1: line longer than 512 characters");
	assert_int_equal(qlink_config_parse(cfg, "port = /a\0b\n", 12, "f"), -1);
	assert_string_equal(qlink_config_get_error(cfg), "f: contains NUL bytes: not a text file");
	qlink_config_free(cfg);
}

static void test_load(void **state)
{
	char path[] = "/tmp/qlink-conf-XXXXXX";
	struct qlink_config *cfg = qlink_config_new();
	int fd = mkstemp(path);
	char want[128];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "port = /dev/ttyUSB2\nbaud = x\n", 29), 29);
	close(fd);
	assert_int_equal(qlink_config_load(cfg, path), -1);
	assert_int_equal(errno, EINVAL);
	snprintf(want, sizeof(want),
		 "%s:2: baud 'x' is not a line rate (a number up to 4000000, "
		 "0 keeps the port's)",
		 path);
	assert_string_equal(qlink_config_get_error(cfg), want);
	/* what came before the bad line stays */
	assert_string_equal(qlink_config_get_value(cfg, "port"), "/dev/ttyUSB2");
	unlink(path);
	qlink_config_free(cfg);

	cfg = qlink_config_new();
	assert_int_equal(qlink_config_load(cfg, path), -1);
	assert_int_equal(errno, ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(qlink_config_get_error(cfg), want);
	assert_int_equal(qlink_config_load(cfg, "/dev/zero"), -1);
	assert_int_equal(errno, EFBIG);
	qlink_config_free(cfg);
	qlink_config_free(NULL);
}

/* A value given another way (qlink --dtr-gpio) is checked as the file's, without storing it. */
static void test_check(void **state)
{
	struct qlink_config *cfg = qlink_config_new();

	(void)state;
	assert_non_null(cfg);
	assert_int_equal(qlink_config_check(cfg, "dtr-gpio", "gpiochip0:6,active-low"), 0);
	assert_string_equal(qlink_config_get_error(cfg), "");
	assert_null(qlink_config_get_value(cfg, "dtr_gpio"));
	errno = 0;
	assert_int_equal(qlink_config_check(cfg, "reset_gpio", "a:b:c"), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(qlink_config_get_error(cfg),
			    "reset_gpio: GPIO line 'a:b:c': the offset after ':' is not a number");
	assert_int_equal(qlink_config_check(cfg, "port", "ttyUSB2"), -1);
	assert_string_equal(qlink_config_get_error(cfg),
			    "port 'ttyUSB2' is not an absolute path (/dev/...)");
	assert_int_equal(qlink_config_check(cfg, "speed", "1"), -1);
	assert_non_null(strstr(qlink_config_get_error(cfg), "unknown key 'speed'"));
	assert_int_equal(qlink_config_check(cfg, "baud", ""), -1);
	assert_int_equal(qlink_config_check(cfg, "baud", "115200"), 0);
	assert_string_equal(qlink_config_get_error(cfg), "");
	assert_int_equal(qlink_config_check(NULL, "baud", "115200"), -1);
	qlink_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board),	  cmocka_unit_test(test_unset_and_unknown_keys),
		cmocka_unit_test(test_bad_lines), cmocka_unit_test(test_long_line_and_nul),
		cmocka_unit_test(test_load),	  cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
