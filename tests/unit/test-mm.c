// SPDX-License-Identifier: GPL-2.0
/*
 * qlink_mm without ModemManager: the answers that let qlink fota and ftp go
 * on where there is nothing to inhibit. The inhibition itself is tested
 * against a ModemManager mock on a private bus (tests/mm).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/mm.h>

static void test_args(void **state)
{
	struct qlink_mm *mm = qlink_mm_new();

	(void)state;
	assert_non_null(mm);
	assert_string_equal(qlink_mm_get_uid(mm), "");
	assert_string_equal(qlink_mm_get_error(mm), "");
	errno = 0;
	assert_int_equal(qlink_mm_inhibit(NULL, "/dev/ttyUSB2", 0), -1);
	assert_int_equal(errno, EINVAL);
	/* nothing inhibited: nothing to give back */
	assert_int_equal(qlink_mm_uninhibit(mm), 0);
	qlink_mm_free(mm);
	qlink_mm_free(NULL);
}

/* No system bus at all (a board without D-Bus): nothing to inhibit, ENOENT. */
static void test_no_bus(void **state)
{
	struct qlink_mm *mm = qlink_mm_new();

	(void)state;
	assert_non_null(mm);
	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/qlink-test-bus", 1);
	errno = 0;
	assert_int_equal(qlink_mm_inhibit(mm, "/dev/ttyUSB2", 2000), -1);
	if (errno == ENOTSUP) {
		/* a build without sd-bus says how to get one */
		assert_non_null(strstr(qlink_mm_get_error(mm), "WITH_SDBUS=1"));
	} else {
		assert_int_equal(errno, ENOENT);
		assert_non_null(strstr(qlink_mm_get_error(mm), "system bus"));
	}
	assert_string_equal(qlink_mm_get_uid(mm), "");
	qlink_mm_free(mm);
	unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_no_bus),
	};

	return cmocka_run_group_tests_name("mm", tests, NULL, NULL);
}
