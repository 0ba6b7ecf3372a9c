// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The pure parts of a FOTA job: URC parsing (with the manuals' printing
 * variants), the progress model over every variant, the pre-flight rules
 * and the job object's configuration checks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <qlink/qlink.h>

#include "fota/fota-priv.h"

static void parse_ok(const char *line, enum fota_urc_kind kind, enum qlink_code_space space,
		     int value)
{
	struct fota_urc u;

	if (qlink_fota_urc_parse(line, &u))
		fail_msg("did not parse: %s", line);
	assert_int_equal(u.kind, kind);
	assert_int_equal(u.space, space);
	assert_int_equal(u.value, value);
}

static void test_urc_parse(void **state)
{
	(void)state;
	parse_ok("+QIND: \"FOTA\",\"FTPSTART\"", FOTA_URC_DL_START, QLINK_CODE_FTP, -1);
	parse_ok("+QIND: \"FOTA\",\"HTTPSTART\"", FOTA_URC_DL_START, QLINK_CODE_HTTP, -1);
	parse_ok("+QIND: \"FOTA\",\"FILESTART\"", FOTA_URC_DL_START, QLINK_CODE_FILE, -1);
	parse_ok("+QIND: \"FOTA\",\"DOWNLOADING\",1", FOTA_URC_DOWNLOADING, QLINK_CODE_FOTA, 1);
	/* the guide's own example: a space inside the quotes */
	parse_ok("+QIND: \"FOTA\",\" DOWNLOADING\",50", FOTA_URC_DOWNLOADING, QLINK_CODE_FOTA, 50);
	parse_ok("+QIND:\"FOTA\",\"UPDATING\",7", FOTA_URC_UPDATING, QLINK_CODE_FOTA, 7);
	parse_ok("+QIND: \"FOTA\" , \"UPDATING \" , 100", FOTA_URC_UPDATING, QLINK_CODE_FOTA, 100);
	parse_ok("+QIND: \"fota\",\"ftpend\",627", FOTA_URC_DL_END, QLINK_CODE_FTP, 627);
	parse_ok("+QIND: \"FOTA\",\"HTTPEND\",0", FOTA_URC_DL_END, QLINK_CODE_HTTP, 0);
	parse_ok("+QIND: \"FOTA\",\"FILEEND\",500", FOTA_URC_DL_END, QLINK_CODE_FILE, 500);
	parse_ok("+QIND: \"FOTA\",\"START\" ", FOTA_URC_START, QLINK_CODE_FOTA, -1);
	parse_ok("+QIND: \"FOTA\",\"END\",552", FOTA_URC_END, QLINK_CODE_FOTA, 552);
	parse_ok("+QIND: FOTA,END,0", FOTA_URC_END, QLINK_CODE_FOTA, 0);
	/* a later firmware's extra field does not hide the result */
	parse_ok("+QIND: \"FOTA\",\"END\",0,1", FOTA_URC_END, QLINK_CODE_FOTA, 0);
}

static void test_urc_reject(void **state)
{
	static const char *const bad[] = {
		"+QIND: \"csq\",23,99",
		"+QIND: \"FOTA\",\"BOGUS\",1",
		"+QIND: \"FOTA\",\"END\"", /* END needs its <err> */
		"+QIND: \"FOTA\",\"DOWNLOADING\",",
		"+QIND: \"FOTA\",\"DOWNLOADING\",x1",
		"+QIND: \"FOTA\",\"UPDATING\",-3",
		"+QIND: \"FOTA",
		"+QIND: \"FOTA\",\"DOWNLOADINGDOWNLOADING\",1",
		"+QFOTADL: 1",
		"RDY",
		"",
	};
	struct fota_urc u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!qlink_fota_urc_parse(bad[i], &u))
			fail_msg("parsed: %s", bad[i]);
	assert_int_equal(qlink_fota_urc_parse(NULL, &u), -1);
}

static bool feed(struct fota_pm *pm, const char *line)
{
	struct fota_urc u;

	assert_int_equal(qlink_fota_urc_parse(line, &u), 0);
	return qlink_fota_pm_urc(pm, &u);
}

static void test_progress_16mb(void **state)
{
	struct fota_pm pm;
	char line[64];
	int i, last = 0;

	(void)state;
	qlink_fota_pm_init(&pm, false, 50, 100);
	qlink_fota_pm_phase(&pm, QLINK_FOTA_PHASE_DOWNLOAD);
	feed(&pm, "+QIND: \"FOTA\",\"FTPSTART\"");
	/* the 25th of 50 DOWNLOADING URCs is half the download */
	feed(&pm, "+QIND: \"FOTA\",\" DOWNLOADING\",25");
	assert_int_equal(pm.p.phase, QLINK_FOTA_PHASE_DOWNLOAD);
	assert_int_equal(pm.p.phase_percent, 50);
	assert_int_equal(pm.p.percent, 22);
	for (i = 26; i <= 50; i++) {
		snprintf(line, sizeof(line), "+QIND: \"FOTA\",\"DOWNLOADING\",%d", i);
		feed(&pm, line);
		assert_true(pm.p.percent >= last);
		last = pm.p.percent;
	}
	feed(&pm, "+QIND: \"FOTA\",\"FTPEND\",0");
	assert_int_equal(pm.p.percent, 45);
	feed(&pm, "+QIND: \"FOTA\",\"START\"");
	assert_int_equal(pm.p.phase, QLINK_FOTA_PHASE_UPDATE);
	feed(&pm, "+QIND: \"FOTA\",\"UPDATING\",50");
	assert_int_equal(pm.p.phase_percent, 50);
	assert_int_equal(pm.p.percent, 70);
	/* a resumed update repeats an earlier figure: never backwards */
	assert_false(feed(&pm, "+QIND: \"FOTA\",\"UPDATING\",40"));
	assert_int_equal(pm.p.percent, 70);
	feed(&pm, "+QIND: \"FOTA\",\"END\",0");
	assert_int_equal(pm.p.percent, 95);
	qlink_fota_pm_phase(&pm, QLINK_FOTA_PHASE_REBOOT);
	qlink_fota_pm_phase(&pm, QLINK_FOTA_PHASE_VERIFY);
	qlink_fota_pm_phase(&pm, QLINK_FOTA_PHASE_DONE);
	assert_int_equal(pm.p.percent, 100);
}

static void test_progress_counts(void **state)
{
	struct fota_pm pm;

	(void)state;
	/* EC200T with 5 update URCs reports percents (20, 40, ...) */
	qlink_fota_pm_init(&pm, false, 5, 5);
	feed(&pm, "+QIND: \"FOTA\",\"DOWNLOADING\",1");
	assert_int_equal(pm.p.phase_percent, 20);
	feed(&pm, "+QIND: \"FOTA\",\"START\"");
	feed(&pm, "+QIND: \"FOTA\",\"UPDATING\",40");
	assert_int_equal(pm.p.phase_percent, 40);
	/* no DOWNLOADING URCs: the download's own figure is unknown */
	qlink_fota_pm_init(&pm, false, 0, 100);
	feed(&pm, "+QIND: \"FOTA\",\"HTTPSTART\"");
	assert_int_equal(pm.p.phase_percent, -1);
	feed(&pm, "+QIND: \"FOTA\",\"HTTPEND\",0");
	assert_int_equal(pm.p.phase_percent, -1);
	assert_int_equal(pm.p.percent, 45);
	/* a failed download does not advance */
	qlink_fota_pm_init(&pm, false, 100, 100);
	assert_false(feed(&pm, "+QIND: \"FOTA\",\"HTTPEND\",711"));
	assert_int_equal(pm.p.percent, 0);
}

static void test_progress_mini(void **state)
{
	struct fota_pm pm;

	(void)state;
	qlink_fota_pm_init(&pm, true, 0, 100);
	qlink_fota_pm_phase(&pm, QLINK_FOTA_PHASE_DOWNLOAD);
	feed(&pm, "+QIND: \"FOTA\",\"START\"");
	assert_int_equal(pm.p.part, 1);
	feed(&pm, "+QIND: \"FOTA\",\"UPDATING\",30");
	assert_int_equal(pm.p.part, 1);
	assert_int_equal(pm.p.percent, 28);
	feed(&pm, "+QIND: \"FOTA\",\"UPDATING\",60");
	assert_int_equal(pm.p.part, 1);
	assert_int_equal(pm.p.phase_percent, 60);
	feed(&pm, "+QIND: \"FOTA\",\"UPDATING\",61");
	assert_int_equal(pm.p.part, 2);
	feed(&pm, "+QIND: \"FOTA\",\"UPDATING\",100");
	assert_int_equal(pm.p.percent, 95);
	feed(&pm, "+QIND: \"FOTA\",\"END\",0");
	assert_int_equal(pm.p.percent, 95);
}

static void test_progress_upload(void **state)
{
	struct fota_pm pm;

	(void)state;
	qlink_fota_pm_init(&pm, false, 100, 100);
	qlink_fota_pm_phase(&pm, QLINK_FOTA_PHASE_UPLOAD);
	feed(&pm, "+QIND: \"FOTA\",\"FILESTART\"");
	assert_true(qlink_fota_pm_upload(&pm, 500, 1000, 15000));
	assert_int_equal(pm.p.phase, QLINK_FOTA_PHASE_UPLOAD);
	assert_int_equal(pm.p.phase_percent, 50);
	assert_int_equal(pm.p.percent, 22);
	assert_int_equal(pm.p.rate, 15000);
	/* the module's DOWNLOADING during an upload says less than the bytes */
	assert_false(feed(&pm, "+QIND: \"FOTA\",\"DOWNLOADING\",90"));
	assert_false(qlink_fota_pm_upload(&pm, 500, 1000, 15000));
	qlink_fota_pm_upload(&pm, 1000, 1000, 14000);
	assert_int_equal(pm.p.percent, 45);
}

/* ---------------------------------------------------------- pre-flight */

static struct fota_check base(const char *rev, const char *src)
{
	struct fota_check c = {
		.revision = rev,
		.src = src,
		.file_size = 1000,
		.host_rtscts = 1,
		.rate = 15000,
		.dl_count = -1,
		.up_count = -1,
		.mini2 = -1,
		.pkg = -1,
	};
	return c;
}

static bool has(const struct fota_findings *f, enum qlink_fota_level level, const char *text)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->f[i].level == level && strstr(f->f[i].text, text))
			return true;
	return false;
}

static void run_check(const struct fota_check *c, struct fota_findings *out)
{
	memset(out, 0, sizeof(*out));
	qlink_fota_check(c, out);
}

static void test_check_url_length(void **state)
{
	char url[400];
	struct fota_findings out;
	struct fota_check c;

	(void)state;
	memset(url, 'a', sizeof(url));
	memcpy(url, "http://h/", 9);
	url[255] = '\0';
	c = base("EC200TCNDAR02A07M16", url);
	run_check(&c, &out);
	assert_false(out.refused);
	url[255] = 'a';
	url[256] = '\0';
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "at most 255"));
	/* 8 MB: 128 characters, .mini_1 included */
	strcpy(url + 121, ".mini_1");
	c = base("EC200NCNLAR03A01M08", url);
	run_check(&c, &out);
	assert_false(has(&out, QLINK_FOTA_REFUSE, "at most 128"));
	strcpy(url + 122, ".mini_1");
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "at most 128"));
	c = base("EC200TCNDAR02A07M16", "http://h/a\"b.bin");
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "double quote"));
}

/* a model the guide does not cover: the suffix's rules, said to be assumed */
static void test_check_unknown_model(void **state)
{
	struct fota_findings out;
	struct fota_check c = base("EC200UCNAAR02A01M08", "http://h/x.mini_1");

	(void)state;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_WARN, "EC200U is not a model the DFOTA guide covers"));
	assert_true(has(&out, QLINK_FOTA_WARN, "assumed from the revision's M08 suffix alone"));
	c = base("EG915UEUABR03A01M16", "http://h/x.bin");
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_WARN, "EG915U is not a model"));
	assert_false(out.refused);
	c = base("EC200TCNDAR02A07M16", "http://h/x.bin");
	run_check(&c, &out);
	assert_false(has(&out, QLINK_FOTA_WARN, "not a model the DFOTA guide covers"));
}

static void test_check_package_on_server(void **state)
{
	struct fota_findings out;
	struct fota_check c = base("EC200TCNDAR02A07M16", "https://h/x.bin");

	(void)state;
	run_check(&c, &out);
	assert_false(out.refused);
	c.pkg = 0;
	c.pkg_note = "HTTP 404";
	run_check(&c, &out);
	assert_true(out.refused);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "not on the server (HTTP 404)"));
	c.pkg = 1;
	c.pkg_note = "HTTP 200";
	run_check(&c, &out);
	assert_false(out.refused);
	assert_true(has(&out, QLINK_FOTA_NOTE, "on the server (HTTP 200)"));
	c.pkg = -1;
	c.pkg_note = "Couldn't connect to server";
	run_check(&c, &out);
	assert_false(out.refused);
	assert_true(has(&out, QLINK_FOTA_NOTE, "not checked by the host: Couldn't"));
}

static void test_check_mini(void **state)
{
	struct fota_findings out;
	struct fota_check c = base("EC600NCNLAR03A03M08", "http://h/x.bin");

	(void)state;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, ".mini_1"));
	c.src = "http://h/x.mini_1";
	run_check(&c, &out);
	assert_false(out.refused);
	assert_true(has(&out, QLINK_FOTA_WARN, ".mini_2 not checked"));
	c.mini2 = 0;
	c.mini2_note = "HEAD: 404";
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "HEAD: 404"));
	c.mini2 = 1;
	run_check(&c, &out);
	assert_false(out.refused);
	/* 8 MB: no FILE */
	c = base("EC600NCNLAR03A03M08", "/tmp/pkg.bin");
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "no FILE"));
	/* counts and mode are not sent */
	c = base("EC600NCNLAR03A03M08", "ftp://h/x.mini_1");
	c.dl_count = 50;
	c.mode_set = true;
	run_check(&c, &out);
	assert_false(out.refused);
	assert_true(has(&out, QLINK_FOTA_WARN, "own URC counts"));
	assert_true(has(&out, QLINK_FOTA_WARN, "whatever the mode"));
}

static void test_check_file(void **state)
{
	struct fota_findings out;
	struct fota_check c = base("EC200TCNDAR02A07M16", "/tmp/pkg.bin");

	(void)state;
	run_check(&c, &out);
	assert_false(out.refused);
	assert_true(qlink_fota_use_rtscts(&c));
	assert_true(has(&out, QLINK_FOTA_NOTE, "AT+IFC=2,2"));
	c.usb = true;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_NOTE, "usbifc"));
	c.host_rtscts = 0;
	assert_false(qlink_fota_use_rtscts(&c));
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_NOTE, "32-byte writes paced to 15000"));
	c.flow = QLINK_FOTA_FLOW_RTSCTS;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "did not keep CRTSCTS"));
	c.flow = QLINK_FOTA_FLOW_NONE;
	c.rate = 20000;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_WARN, "above the 15000"));
	c.rate = 0;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_WARN, "no pacing"));
	c.rate = 15000;
	c.file_size = 0;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "is empty"));
	c.file_size = -1;
	c.file_errno = EACCES;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, strerror(EACCES)));
	c.file_size = 10;
	c.protocol_mode = true;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "not published"));
	assert_false(has(&out, QLINK_FOTA_REFUSE, "EC200T only"));
	c.revision = "EG912YEMAR01A01M16";
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "EC200T only"));
}

static void test_check_misc(void **state)
{
	struct fota_findings out;
	struct fota_check c = base(NULL, "http://h/x.bin");

	(void)state;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "could not be read"));
	c.revision = "EC200TCNDAR02A07";
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "no flash variant"));
	c.revision = "EG912YEMAR01A01M16";
	c.up_count = 10;
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_WARN, "only the EC200T"));
	c.revision = "EC200TCNDAR02A07M16";
	run_check(&c, &out);
	assert_false(has(&out, QLINK_FOTA_WARN, "only the EC200T"));
	c.expect = "EC200TCNDAR02A07M16";
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_WARN, "already runs"));
	c = base("EC200TCNDAR02A07M16", "ftp://u:p@h:21/dir/x.bin");
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "root directory"));
	c.src = "ftp://u:p@h:21/";
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "names no file"));
	c.src = "ftp://u:p@h:21/x.bin";
	run_check(&c, &out);
	assert_false(out.refused);
	/* the password ends at the last '@', as the masking reads it */
	c.src = "ftp://u:p@ss,w rd@h:21/x.bin";
	run_check(&c, &out);
	assert_false(out.refused);
	c.src = "ftp://u:x@yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy@h:21/x.bin";
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "password is longer"));
	assert_false(has(&out, QLINK_FOTA_REFUSE, "server name"));
	c.src = "";
	run_check(&c, &out);
	assert_true(has(&out, QLINK_FOTA_REFUSE, "no source"));
}

static void test_helpers(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(qlink_fota_src_kind("FTP://x/y"), FOTA_SRC_FTP);
	assert_int_equal(qlink_fota_src_kind("Http://x/y"), FOTA_SRC_HTTP);
	assert_int_equal(qlink_fota_src_kind("https://x/y"), FOTA_SRC_HTTPS);
	assert_int_equal(qlink_fota_src_kind("pkg.bin"), FOTA_SRC_FILE);
	assert_int_equal(qlink_fota_src_kind(""), FOTA_SRC_NONE);
	assert_int_equal(qlink_fota_mini2_url("http://h/a.mini_1", out, sizeof(out)), 0);
	assert_string_equal(out, "http://h/a.mini_2");
	assert_int_equal(qlink_fota_mini2_url("http://h/a.mini", out, sizeof(out)), -1);
	assert_int_equal(qlink_fota_mini2_url("http://h/a.mini_1", out, 10), -1);
	assert_non_null(strstr(qlink_fota_advice(QLINK_CODE_FOTA, 552), "another project"));
	assert_non_null(strstr(qlink_fota_advice(QLINK_CODE_FILE, 500), "flow control"));
	assert_string_equal(qlink_fota_advice(QLINK_CODE_CME, 1), "");
	assert_non_null(strstr(qlink_fota_advice(QLINK_CODE_HTTP, 799), "HTTP"));
	assert_int_equal(qlink_fota_http_head("ftp://h/x", 100, out, sizeof(out)), -1);
	assert_int_equal(errno, EINVAL);
}

static void test_config(void **state)
{
	struct qlink_fota *f = qlink_fota_new();
	struct qlink_fota_timeouts to = { .boot_s = 7 };
	const struct qlink_fota_progress *p;

	(void)state;
	assert_non_null(f);
	assert_int_equal(qlink_fota_set_source(f, ""), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_fota_set_source(f, "http://h/x.bin"), 0);
	assert_int_equal(qlink_fota_set_urc_counts(f, 4, -1), -1);
	assert_int_equal(qlink_fota_set_urc_counts(f, 0, 101), -1);
	assert_int_equal(qlink_fota_set_urc_counts(f, 5, 100), 0);
	assert_int_equal(qlink_fota_set_mode(f, (enum qlink_fota_mode)3), -1);
	assert_int_equal(qlink_fota_set_flow(f, (enum qlink_fota_flow)9), -1);
	assert_int_equal(qlink_fota_set_pdp(f, 16, NULL), -1);
	assert_int_equal(qlink_fota_set_pdp(f, 2, "a\"b"), -1);
	assert_int_equal(qlink_fota_set_pdp(f, 2, "cmnet"), 0);
	assert_int_equal(qlink_fota_set_timeouts(f, NULL), -1);
	assert_int_equal(qlink_fota_set_timeouts(f, &to), 0);
	assert_int_equal(qlink_fota_set_port(f, "", 0, 0), -1);
	assert_int_equal(qlink_fota_set_log_file(f, "/tmp/x"), 0);
	assert_int_equal(qlink_fota_set_expected_revision(f, "EC200TCNDAR02A08M16"), 0);
	assert_int_equal(qlink_fota_get_outcome(f), QLINK_FOTA_OUTCOME_NONE);
	assert_string_equal(qlink_fota_outcome_name(QLINK_FOTA_OUTCOME_UPGRADED), "upgraded");
	assert_string_equal(qlink_fota_outcome_name((enum qlink_fota_outcome)99), "unknown");
	assert_int_equal(qlink_fota_get_code(f, NULL), -1);
	assert_int_equal(qlink_fota_get_finding_count(f), 0);
	assert_null(qlink_fota_get_finding(f, 0, NULL));
	p = qlink_fota_get_progress(f);
	assert_int_equal(p->size, sizeof(*p));
	assert_string_equal(qlink_fota_get_error(f), "");
	assert_null(qlink_fota_get_chan(f));
	assert_string_equal(qlink_fota_level_name(QLINK_FOTA_REFUSE), "refuse");
	assert_string_equal(qlink_fota_level_name((enum qlink_fota_level)9), "unknown");
	assert_int_equal(qlink_fota_run(f, NULL), -1);
	assert_int_equal(errno, EINVAL);
	qlink_fota_free(f);
	qlink_fota_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urc_parse),
		cmocka_unit_test(test_urc_reject),
		cmocka_unit_test(test_progress_16mb),
		cmocka_unit_test(test_progress_counts),
		cmocka_unit_test(test_progress_mini),
		cmocka_unit_test(test_progress_upload),
		cmocka_unit_test(test_check_url_length),
		cmocka_unit_test(test_check_mini),
		cmocka_unit_test(test_check_unknown_model),
		cmocka_unit_test(test_check_package_on_server),
		cmocka_unit_test(test_check_file),
		cmocka_unit_test(test_check_misc),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
