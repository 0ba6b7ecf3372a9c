// SPDX-License-Identifier: GPL-2.0
/* URLs split by their structure: the parser the masking shares. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/url.h"

static void test_parts(void **state)
{
	struct qlink_url *u;

	(void)state;
	u = qlink_url_parse("FTP://alice:s3cret@files.example.com:2121/fw/a.bin");
	assert_non_null(u);
	assert_string_equal(qlink_url_get_scheme(u), "ftp");
	assert_string_equal(qlink_url_get_user(u), "alice");
	assert_string_equal(qlink_url_get_password(u), "s3cret");
	assert_string_equal(qlink_url_get_host(u), "files.example.com");
	assert_int_equal(qlink_url_get_port(u), 2121);
	assert_string_equal(qlink_url_get_path(u), "/fw/a.bin");
	qlink_url_free(u);

	u = qlink_url_parse("http://[::1]:8080");
	assert_non_null(u);
	assert_string_equal(qlink_url_get_user(u), "");
	assert_null(qlink_url_get_password(u));
	assert_string_equal(qlink_url_get_host(u), "::1");
	assert_int_equal(qlink_url_get_port(u), 8080);
	assert_string_equal(qlink_url_get_path(u), "");
	qlink_url_free(u);

	u = qlink_url_parse("ftps://bob@h/");
	assert_non_null(u);
	assert_string_equal(qlink_url_get_user(u), "bob");
	assert_null(qlink_url_get_password(u));
	assert_int_equal(qlink_url_get_port(u), 0);
	qlink_url_free(u);
}

/* the last '@' before the host ends the user information */
static void test_password_chars(void **state)
{
	struct qlink_url *u;

	(void)state;
	u = qlink_url_parse("ftp://bob:p,w @rd:x@127.0.0.1:21/x.bin");
	assert_non_null(u);
	assert_string_equal(qlink_url_get_user(u), "bob");
	assert_string_equal(qlink_url_get_password(u), "p,w @rd:x");
	assert_string_equal(qlink_url_get_host(u), "127.0.0.1");
	assert_int_equal(qlink_url_get_port(u), 21);
	qlink_url_free(u);

	u = qlink_url_parse("ftp://u:a#b?c@h/x");
	assert_non_null(u);
	assert_string_equal(qlink_url_get_password(u), "a#b?c");
	assert_string_equal(qlink_url_get_host(u), "h");
	qlink_url_free(u);

	u = qlink_url_parse("http://b%40b:p%2Fw%25@h/p@q");
	assert_non_null(u);
	assert_string_equal(qlink_url_get_user(u), "b@b");
	assert_string_equal(qlink_url_get_password(u), "p/w%");
	assert_string_equal(qlink_url_get_host(u), "h");
	assert_string_equal(qlink_url_get_path(u), "/p@q");
	qlink_url_free(u);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"files.example.com/a", "ftp:/h/",	  "://h/",	     "ftp:///a",
		"ftp://u:p@/a",	       "ftp://h:0/",	  "ftp://h:65536/",  "ftp://h:2x/",
		"ftp://h:/",	       "ftp://u:p%zz@h/", "ftp://u:p%00@h/", "ftp://u:p%4@h/",
		"ftp://h/a\"b",	       "ftp://h/a\nb",	  "ftp://[::1/",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		assert_null(qlink_url_parse(bad[i]));
		assert_int_equal(errno, EINVAL);
	}
	qlink_url_free(NULL);
}

/* what the masking reads in a line that merely holds a URL */
static void test_split_in_text(void **state)
{
	const char *s = "ftp://u:a b,c@d@h:1\",1,50";
	struct url_parts p;

	(void)state;
	assert_int_equal(url_split(s, &p), 0);
	assert_true(p.has_pass);
	assert_int_equal(p.pass.off, 8);
	assert_int_equal(p.pass.len, 7); /* "a b,c@d" */
	assert_int_equal(p.host.off, 16);
	assert_int_equal(p.host.len, 1);
	assert_int_equal(p.port.len, 1);
	assert_int_equal(s[p.path], '"');
	assert_int_equal(url_split("nothing here", &p), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_password_chars),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_split_in_text),
	};

	return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
