// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/* Credentials never reach a log, an error message or --json output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/redact.h"

static void check(const char *in, const char *want)
{
	char out[512];

	assert_int_equal(qlink_redact(in, out, sizeof(out)), strlen(want));
	assert_string_equal(out, want);
}

static void test_account(void **state)
{
	(void)state;
	check("AT+QFTPCFG=\"account\",\"test\",\"s3cret\"",
	      "AT+QFTPCFG=\"account\",\"test\",\"***\"");
	check("+QFTPCFG: \"account\",\"test\",\"s3,cr\\\"et\"",
	      "+QFTPCFG: \"account\",\"test\",\"***\"et\"");
	check("AT+QFTPCFG=\"ACCOUNT\",user,pass", "AT+QFTPCFG=\"ACCOUNT\",user,***");
	/* the query form carries no password */
	check("AT+QFTPCFG=\"account\"", "AT+QFTPCFG=\"account\"");
}

static void test_qicsgp(void **state)
{
	(void)state;
	check("AT+QICSGP=1,1,\"cmnet\",\"u\",\"pw\",1", "AT+QICSGP=1,1,\"cmnet\",\"u\",\"***\",1");
	check("+QICSGP: 1,\"cmnet\",\"u\",\"pw\",1", "+QICSGP: 1,\"cmnet\",\"u\",\"***\",1");
	check("AT+QICSGP=1", "AT+QICSGP=1");
}

static void test_urls(void **state)
{
	(void)state;
	check("AT+QFOTADL=\"FTP://test:test@124.74.41.170:21/a.bin\",1,50",
	      "AT+QFOTADL=\"FTP://test:***@124.74.41.170:21/a.bin\",1,50");
	check("https://u:p@h/x and ftp://a:b@c/", "https://u:***@h/x and ftp://a:***@c/");
	check("http://host/path@x:1", "http://host/path@x:1");
	check("ftp://user@host/", "ftp://user@host/");
}

/* the password ends at the last '@' before the host, whatever it holds */
static void test_url_password_chars(void **state)
{
	(void)state;
	check("AT+QFOTADL=\"ftp://bob:p,w @rd@127.0.0.1:21/x.bin\",1,50",
	      "AT+QFOTADL=\"ftp://bob:***@127.0.0.1:21/x.bin\",1,50");
	check("source=\"http://bob:a@b@c:d@h\" model=EC200T",
	      "source=\"http://bob:***@h\" model=EC200T");
	check("--url=ftp://u:x y@h/ get a", "--url=ftp://u:***@h/ get a");
	check("ftp://u:1@h/ and https://v:2,3@k/", "ftp://u:***@h/ and https://v:***@k/");
	check("1.ftp://u:p,q@h/", "1.ftp://u:***@h/");
	check("ftp://u:p#q?r@h/x.bin", "ftp://u:***@h/x.bin");
}

static void test_small_buffer(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(qlink_redact("AT+QFTPCFG=\"account\",\"u\",\"p\"", out, sizeof(out)), 7);
	assert_string_equal(out, "AT+QFTP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_account),	     cmocka_unit_test(test_qicsgp),
		cmocka_unit_test(test_urls),	     cmocka_unit_test(test_url_password_chars),
		cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}
