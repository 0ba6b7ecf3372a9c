// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <qlink/revision.h>

static void test_flash(void **state)
{
	(void)state;
	assert_int_equal(qlink_revision_flash_mb("EC200TCNBAR02A01V01M16"), 16);
	assert_int_equal(qlink_revision_flash_mb("EC200NCNLAR03A01M08"), 8);
	assert_int_equal(qlink_revision_flash_mb("EC600NCNLAR03A03M08_01.200"), 8);
	assert_int_equal(qlink_revision_flash_mb("EC200TCNDAR02A07"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_revision_flash_mb("M16X"), -1);
	assert_int_equal(qlink_revision_flash_mb(""), -1);
	assert_int_equal(qlink_revision_flash_mb(NULL), -1);
}

static void test_model(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(qlink_revision_model("EC200TCNDAR02A07M16", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EC200T");
	assert_int_equal(qlink_revision_model("EG912YEMAR01A01M16", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EG912Y");
	assert_int_equal(qlink_revision_model("EC800NCNLAR01A03M08", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EC800N");
	assert_int_equal(qlink_revision_model("ec200t", buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_revision_model("EC20", buf, sizeof(buf)), -1);
	assert_int_equal(qlink_revision_model("EC200T", buf, 6), -1);
	assert_int_equal(errno, ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flash),
		cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests_name("revision", tests, NULL, NULL);
}
