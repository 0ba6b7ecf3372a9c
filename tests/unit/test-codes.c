// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/* The manuals' result-code tables, looked up by space. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/codes.h>

static void test_ftp_table_complete(void **state)
{
	int c;

	(void)state;
	/* FTP(S) guide table 3: 601..631 without 630 */
	for (c = 601; c <= 631; c++)
		assert_int_equal(qlink_code_known(QLINK_CODE_FTP, c), c != 630);
	assert_string_equal(qlink_code_str(QLINK_CODE_FTP, 0), "Operation successful");
	assert_string_equal(qlink_code_str(QLINK_CODE_FTP, 625), "Not logged in");
	assert_string_equal(qlink_code_str(QLINK_CODE_FTP, 631), "SSL authentication failed");
}

static void test_protocol_table(void **state)
{
	static const int codes[] = { 421, 425, 426, 450, 451, 452, 500, 501, 502,
				     503, 504, 530, 532, 550, 551, 552, 553 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_true(qlink_code_known(QLINK_CODE_FTP_PROTOCOL, codes[i]));
	assert_false(qlink_code_known(QLINK_CODE_FTP_PROTOCOL, 554));
	assert_string_equal(qlink_code_str(QLINK_CODE_FTP_PROTOCOL, 530), "Not logged in");
}

static void test_http_file_fota(void **state)
{
	int c;

	(void)state;
	for (c = 701; c <= 730; c++)
		assert_true(qlink_code_known(QLINK_CODE_HTTP, c));
	assert_false(qlink_code_known(QLINK_CODE_HTTP, 731));
	assert_string_equal(qlink_code_str(QLINK_CODE_FILE, 500), "File download error");
	for (c = 504; c <= 507; c++)
		assert_true(qlink_code_known(QLINK_CODE_FOTA, c));
	assert_true(qlink_code_known(QLINK_CODE_FOTA, 552));
	assert_true(qlink_code_known(QLINK_CODE_FOTA, 553));
	assert_false(qlink_code_known(QLINK_CODE_FOTA, 508));
}

/* The same number means different things in different spaces. */
static void test_spaces_collide(void **state)
{
	(void)state;
	assert_string_equal(qlink_code_str(QLINK_CODE_FOTA, 552),
			    "(D)FOTA package project name mismatch");
	assert_string_equal(qlink_code_str(QLINK_CODE_FTP_PROTOCOL, 552),
			    "Requested file action aborted: exceeded storage allocation");
	assert_string_equal(qlink_code_str(QLINK_CODE_FILE, 500), "File download error");
	assert_string_equal(qlink_code_str(QLINK_CODE_FTP_PROTOCOL, 500),
			    "Syntax error, command unrecognized");
}

static void test_cme(void **state)
{
	(void)state;
	assert_string_equal(qlink_code_str(QLINK_CODE_CME, 10), "SIM not inserted");
	/* the module reports FTP and HTTP failures as +CME ERROR too */
	assert_string_equal(qlink_code_str(QLINK_CODE_CME, 609), "Timeout error");
	assert_string_equal(qlink_code_str(QLINK_CODE_CME, 714), "HTTP(S) DNS error");
	assert_string_equal(qlink_code_str(QLINK_CODE_CME, 9999), "Unknown code");
	assert_false(qlink_code_known(QLINK_CODE_CME, 9999));
	assert_string_equal(qlink_code_str((enum qlink_code_space)99, 0), "Unknown code");
}

/* the FILE commands' 400-426 come as +CME ERROR: each in the note's table is named */
static void test_file_cme(void **state)
{
	static const int known[] = { 400, 401, 402, 403, 405, 406, 407, 409, 410, 411, 413,
				     414, 416, 417, 418, 419, 420, 421, 423, 425, 426 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_true(qlink_code_known(QLINK_CODE_CME, known[i]));
	assert_string_equal(qlink_code_str(QLINK_CODE_CME, 405), "File not found");
	assert_string_equal(qlink_code_str(QLINK_CODE_CME, 420), "No space");
	assert_string_equal(qlink_code_str(QLINK_CODE_CME, 426), "File already opened");
	assert_false(qlink_code_known(QLINK_CODE_CME, 404));
	assert_false(qlink_code_known(QLINK_CODE_CME, 427));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftp_table_complete),
		cmocka_unit_test(test_protocol_table),
		cmocka_unit_test(test_http_file_fota),
		cmocka_unit_test(test_spaces_collide),
		cmocka_unit_test(test_cme),
		cmocka_unit_test(test_file_cme),
	};

	return cmocka_run_group_tests_name("codes", tests, NULL, NULL);
}
