// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The parsers for AT+QFTP* results and MLSD listings, fed the variants
 * the FTP(S) guide prints ("+QFTPPWD: 0,/", "+QFTPPWD: 0,\"/\"",
 * "+QFTPSIZE:0, 1000"), what proftpd and pure-ftpd send for MLSD, and
 * seeded random bytes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ftp/ftp-parse.h"

#define SEEDS 2000

/* ------------------------------------------------------------ results */

struct result_case {
	const char *line;
	int err;
	const char *val;
};

static void test_result_variants(void **state)
{
	static const struct result_case ok[] = {
		/* as the guide prints them */
		{ "+QFTPPWD: 0,/", 0, "/" },
		{ "+QFTPPWD: 0,\"/\"", 0, "/" },
		{ "+QFTPSIZE:0, 1000", 0, "1000" },
		{ "+QFTPSIZE: 0,1000", 0, "1000" },
		{ "+QFTPMDTM: 0,\"20140708110039\"", 0, "20140708110039" },
		{ "+QFTPOPEN: 0,0", 0, "0" },
		{ "+QFTPSTAT: 0,1", 0, "1" },
		{ "+QFTPLEN: 0,1000", 0, "1000" },
		/* errors: <err>,<protocol_error> */
		{ "+QFTPGET: 627,550", 627, "550" },
		{ "+QFTPOPEN: 530,530", 530, "530" },
		{ "+QFTPCWD: 627,550", 627, "550" },
		/* stray spaces anywhere around the numbers and the comma */
		{ "+QFTPSIZE:   0 ,   1000   ", 0, "1000" },
		{ "+QFTPSIZE:0 ,1000", 0, "1000" },
		{ "+QFTPPWD: 0, \"/home/user\" ", 0, "/home/user" },
		/* spaces inside the quotes are the value's */
		{ "+QFTPPWD: 0,\" /a b \"", 0, " /a b " },
		{ "+QFTPPWD: 0,/dir with spaces", 0, "/dir with spaces" },
		/* only the first colon separates; the value may hold more */
		{ "+QFTPPWD: 0,\"/a:b\"", 0, "/a:b" },
		/* no value at all, or an empty one */
		{ "+QFTPCLOSE: 0", 0, "" },
		{ "+QFTPCLOSE: 0   ", 0, "" },
		{ "+QFTPCLOSE: 0,", 0, "" },
		{ "+QFTPPWD: 0,\"\"", 0, "" },
		/* a lone quote is not a quoted string */
		{ "+QFTPPWD: 0,\"", 0, "\"" },
		{ "+QFTPPWD: 0,\"abc", 0, "\"abc" },
		/* the largest <err> a module can send fits */
		{ "+QFTPGET: 65535,1", 65535, "1" },
		{ "+QFTPGET: 0007,1", 7, "1" },
	};
	char val[64];
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		err = -12345;
		memset(val, 'x', sizeof(val));
		if (qlink_ftp_parse_result(ok[i].line, &err, val, sizeof(val)))
			fail_msg("rejected \"%s\"", ok[i].line);
		assert_int_equal(err, ok[i].err);
		assert_string_equal(val, ok[i].val);
	}
}

static void test_result_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"+QFTPSIZE 0,1000", /* no colon */
		"OK",
		"+QFTPSIZE:", /* no <err> */
		"+QFTPSIZE:   ",
		"+QFTPSIZE: ,1000",
		"+QFTPSIZE: x,1000", /* non-numeric <err> */
		"+QFTPSIZE: 0x10,1000",
		"+QFTPSIZE: -1,1000", /* signs are not numbers here */
		"+QFTPSIZE: +1,1000",
		"+QFTPSIZE: 0 1000", /* missing comma */
		"+QFTPSIZE: 0;1000",
		"+QFTPSIZE: 0a,1000",
		"+QFTPGET: 65536,1", /* no module code is that large */
		"+QFTPGET: 99999999999999999999999,1",
		"+QFTPGET: \t0,1", /* only spaces are skipped */
	};
	char val[64];
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (qlink_ftp_parse_result(bad[i], &err, val, sizeof(val)) == 0)
			fail_msg("accepted \"%s\" as err %d value \"%s\"", bad[i], err, val);
}

static void test_result_buffer(void **state)
{
	char val[8];
	int err;

	(void)state;
	/* "1000" needs 5 bytes with its NUL */
	assert_int_equal(qlink_ftp_parse_result("+QFTPSIZE: 0,1000", &err, val, 5), 0);
	assert_string_equal(val, "1000");
	assert_int_equal(qlink_ftp_parse_result("+QFTPSIZE: 0,1000", &err, val, 4), -1);
	assert_int_equal(qlink_ftp_parse_result("+QFTPSIZE: 0,1000", &err, val, 1), -1);
	/* the quotes do not count */
	assert_int_equal(qlink_ftp_parse_result("+QFTPPWD: 0,\"/abc\"", &err, val, 5), 0);
	assert_string_equal(val, "/abc");
	/* no room even for "" */
	assert_int_equal(qlink_ftp_parse_result("+QFTPCLOSE: 0", &err, val, 0), -1);
	assert_int_equal(qlink_ftp_parse_result("+QFTPCLOSE: 0", &err, val, 1), 0);
	assert_string_equal(val, "");
	/* a value far larger than the buffer is refused, not truncated */
	{
		char line[600];

		snprintf(line, sizeof(line), "+QFTPPWD: 0,/%0500d", 7);
		memset(val, 'x', sizeof(val));
		assert_int_equal(qlink_ftp_parse_result(line, &err, val, sizeof(val)), -1);
	}
}

/* ---------------------------------------------------------------- u64 */

static void test_u64(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} ok[] = {
		{ "0", 0 },
		{ "1000", 1000 },
		{ "0000000000000000000000000042", 42 },
		{ "4294967296", 4294967296ull },
		{ "9223372036854775808", 9223372036854775808ull },
		{ "18446744073709551609", 18446744073709551609ull },
	};
	static const char *const bad[] = {
		"",
		" ",
		"-1",
		"+1",
		" 1",
		"1 ",
		"1 000",
		"1,000",
		"1.0",
		"0x10",
		"12a",
		"a12",
		"1e3",
		"\t1",
		"1\r",
		"18446744073709551616", /* UINT64_MAX + 1 */
		"99999999999999999999",
		"184467440737095516150",
		"999999999999999999999999999999999999999",
	};
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 12345;
		if (qlink_ftp_parse_u64(ok[i].s, &v))
			fail_msg("rejected \"%s\"", ok[i].s);
		assert_true(v == ok[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		if (qlink_ftp_parse_u64(bad[i], &v) == 0)
			fail_msg("accepted \"%s\" as %llu", bad[i], (unsigned long long)v);
		/* a refused value leaves the output alone */
		assert_true(v == 12345);
	}
}

/* The six largest values were once refused by a digit-blind overflow guard. */
static void test_u64_max(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(qlink_ftp_parse_u64("18446744073709551610", &v), 0);
	assert_true(v == UINT64_MAX - 5);
	assert_int_equal(qlink_ftp_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
}

/* --------------------------------------------------------------- time */

static void test_time(void **state)
{
	/* epoch values from `date -u -d ... +%s` */
	static const struct {
		const char *s;
		long long t;
	} ok[] = {
		{ "20140708110039", 1404817239 }, /* the guide's AT+QFTPMDTM example */
		{ "19700101000000", 0 },
		{ "19700101000001", 1 },
		{ "20000229120000", 951825600 }, /* a leap day */
		{ "20231231235959", 1704067199 },
		{ "20230101120000", 1672574400 },
		{ "20380119031408", 2147483648LL }, /* past 32-bit time_t */
		{ "99991231235959", 253402300799LL },
		/* RFC 3659 fractions of a second are dropped */
		{ "20240315083005.1", 1710491405 },
		{ "20240315083005.123", 1710491405 },
		{ "20240315083005.999999999", 1710491405 },
		{ "20240315083005.000", 1710491405 },
	};
	time_t t;
	size_t i;

	(void)state;
	if (sizeof(time_t) < 8)
		skip();
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		t = 12345;
		if (qlink_ftp_parse_time(ok[i].s, &t))
			fail_msg("rejected \"%s\"", ok[i].s);
		if ((long long)t != ok[i].t)
			fail_msg("\"%s\": %lld, expected %lld", ok[i].s, (long long)t, ok[i].t);
	}
}

static void test_time_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"2014",
		"2014070811003",   /* 13 digits */
		"201407081100391", /* 15 digits, no '.' */
		"20140708110039.", /* '.' with no digits */
		"20140708110039.12a",
		"20140708110039.1.2",
		"20140708110039 ",
		" 20140708110039",
		"20140708110039Z",
		"2014-07-08 11:00",
		"2014070811:00:39",
		"+0140708110039",
		"-0140708110039",
		"2014070811003a",
		"x0140708110039",
		"19691231235959", /* before 1970 */
		"00000101000000",
		"20140008110039", /* month 0 */
		"20141308110039", /* month 13 */
		"20140700110039", /* day 0 */
		"20140732110039", /* day 32 */
		"20140708240039", /* hour 24 */
		"20140708116039", /* minute 60 */
		"20140708110061", /* second 61 */
		"20140708110099",
	};
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 12345;
		if (qlink_ftp_parse_time(bad[i], &t) == 0)
			fail_msg("accepted \"%s\" as %lld", bad[i], (long long)t);
	}
}

/*
 * Dates that do not exist are refused, not normalised by timegm() into
 * another day (31 February once came back as 3 March).
 */
static void test_time_impossible_dates(void **state)
{
	static const char *const bad[] = {
		"20230231000000",		    /* 31 February */
		"20230230000000",		    /* 30 February */
		"20230229000000",		    /* 29 February, not a leap year */
		"19000229000000", "20230431000000", /* 31 April */
		"20230631000000", "20230931000000", "20231131000000",
	};
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 12345;
		if (qlink_ftp_parse_time(bad[i], &t) == 0)
			fail_msg("accepted \"%s\" as %lld", bad[i], (long long)t);
	}
}

/*
 * BUG (ftp-parse.c, qlink_ftp_parse_time, since a401769): RFC 3659 allows
 * second 60 for a leap second, and the parser accepts it (as the next
 * minute's :00) on any day, except where leap seconds actually happen: at
 * 23:59:60 on the last day of a month timegm() moves the date to the next
 * month, and the "refuse what it moved" check (tm_mday/tm_mon) then
 * refuses the real leap seconds 2016-12-31 23:59:60 and 2015-06-30
 * 23:59:60 while the fictional 2016-06-15 12:00:60 is accepted.
 */
static void test_time_leap_second(void **state)
{
	static const struct {
		const char *s;
		long long t;
	} ok[] = {
		{ "20160615120060", 1465992060 },
		{ "20161231235960", 1483228800 },
		{ "20150630235960", 1435708800 },
		{ "20161231235960.5", 1483228800 },
	};
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		t = 12345;
		if (qlink_ftp_parse_time(ok[i].s, &t))
			fail_msg("rejected the leap second \"%s\"", ok[i].s);
		if ((long long)t != ok[i].t)
			fail_msg("\"%s\": %lld, expected %lld", ok[i].s, (long long)t, ok[i].t);
	}
}

/* --------------------------------------------------------------- MLSD */

static void parse_ok(const char *buf, struct qlink_ftp_entry **e, size_t *n)
{
	size_t bad = 99;

	*e = NULL;
	*n = 12345;
	if (qlink_ftp_parse_mlsd(buf, strlen(buf), e, n, &bad))
		fail_msg("rejected line %zu (errno %d) of:\n%s", bad, errno, buf);
	assert_int_equal(bad, 0);
}

static void check_entry(const struct qlink_ftp_entry *e, const char *name, enum qlink_ftp_type type,
			long long size, long long mtime)
{
	assert_non_null(e->name);
	assert_string_equal(e->name, name);
	assert_int_equal(e->type, type);
	assert_true((long long)e->size == size);
	assert_true((long long)e->mtime == mtime);
}

/* What proftpd's mod_facts sends (LF and CRLF endings both seen). */
static void test_mlsd_proftpd(void **state)
{
	static const char *const eol[] = { "\r\n", "\n" };
	struct qlink_ftp_entry *e;
	char buf[2048];
	size_t n, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf),
			 "modify=20240315083005;perm=flcdmpe;type=cdir;unique=803U1C;"
			 "UNIX.group=1000;UNIX.groupname=ftp;UNIX.mode=0755;UNIX.owner=1000;"
			 "UNIX.ownername=ftp; .%s"
			 "modify=20240101000000;perm=flcdmpe;type=pdir;unique=803U2;"
			 "UNIX.group=0;UNIX.mode=0755;UNIX.owner=0; ..%s"
			 "modify=20140708110039;perm=adfrw;size=1000;type=file;unique=803U1D;"
			 "UNIX.group=1000;UNIX.mode=0644;UNIX.owner=1000; test_my1.txt%s"
			 "modify=20230101120000.123;perm=flcdmpe;type=dir;unique=803U1E;"
			 "UNIX.mode=0700; my dir%s"
			 "modify=20380119031408;perm=adfrw;size=9223372036854775807;type=file;"
			 "UNIX.mode=0600; big; name;with semicolons%s"
			 "type=OS.unix=slink:/etc/hosts;modify=20231231235959;UNIX.mode=0777; "
			 "hosts%s",
			 eol[i], eol[i], eol[i], eol[i], eol[i], eol[i]);
		parse_ok(buf, &e, &n);
		assert_int_equal(n, 6);
		check_entry(&e[0], ".", QLINK_FTP_CDIR, -1, 1710491405);
		check_entry(&e[1], "..", QLINK_FTP_PDIR, -1, 1704067200);
		check_entry(&e[2], "test_my1.txt", QLINK_FTP_FILE, 1000, 1404817239);
		check_entry(&e[3], "my dir", QLINK_FTP_DIR, -1, 1672574400);
		check_entry(&e[4], "big; name;with semicolons", QLINK_FTP_FILE, INT64_MAX,
			    2147483648LL);
		check_entry(&e[5], "hosts", QLINK_FTP_LINK, -1, 1704067199);
		qlink_ftp_entries_free(e, n);
	}
}

/* pure-ftpd style: sizd for directories, facts in another order, CRLF. */
static void test_mlsd_pureftpd(void **state)
{
	struct qlink_ftp_entry *e;
	size_t n;

	(void)state;
	parse_ok("type=cdir;sizd=4096;modify=20240315083005;UNIX.mode=0755;UNIX.uid=1000;"
		 "UNIX.gid=1000;unique=fd01g4a1; .\r\n"
		 "type=pdir;sizd=4096;modify=20240315083005;UNIX.mode=0755;unique=fd01g2; ..\r\n"
		 "type=dir;sizd=4096;modify=20240315083005.5;UNIX.mode=0755; sub dir\r\n"
		 "type=file;size=0;modify=19700101000000;UNIX.mode=0644; empty\r\n"
		 "type=OS.unix=symlink;size=7;UNIX.mode=0777; link\r\n",
		 &e, &n);
	assert_int_equal(n, 5);
	check_entry(&e[0], ".", QLINK_FTP_CDIR, 4096, 1710491405);
	check_entry(&e[1], "..", QLINK_FTP_PDIR, 4096, 1710491405);
	check_entry(&e[2], "sub dir", QLINK_FTP_DIR, 4096, 1710491405);
	check_entry(&e[3], "empty", QLINK_FTP_FILE, 0, 0);
	check_entry(&e[4], "link", QLINK_FTP_LINK, 7, -1);
	qlink_ftp_entries_free(e, n);
}

static void test_mlsd_variants(void **state)
{
	struct qlink_ftp_entry *e;
	size_t n;

	(void)state;
	/*
	 * Fact names are case-insensitive; unknown facts and types are kept
	 * as OTHER; a line with no facts starts with the space; empty lines
	 * (CRLF or LF) are skipped; the last line needs no line end.
	 */
	parse_ok("\r\n"
		 "Type=File;Size=42;Modify=20140708110039; UPPER\r\n"
		 "\n"
		 " no facts at all\r\n"
		 "type=OS.unix=chr-1/3;UNIX.mode=0666; null\n"
		 "perm=r;unique=x=y; only unknown facts\r\n"
		 "type=file;size=5;  leading space\r\n"
		 "type=file;size=3; trailing space \r\n"
		 "type=file;size=1; a;b\r\n"
		 "type=file;size=1; \"quoted\"\r\n"
		 "\r\n"
		 "type=dir; last",
		 &e, &n);
	assert_int_equal(n, 9);
	check_entry(&e[0], "UPPER", QLINK_FTP_FILE, 42, 1404817239);
	check_entry(&e[1], "no facts at all", QLINK_FTP_OTHER, -1, -1);
	check_entry(&e[2], "null", QLINK_FTP_OTHER, -1, -1);
	check_entry(&e[3], "only unknown facts", QLINK_FTP_OTHER, -1, -1);
	check_entry(&e[4], " leading space", QLINK_FTP_FILE, 5, -1);
	check_entry(&e[5], "trailing space ", QLINK_FTP_FILE, 3, -1);
	check_entry(&e[6], "a;b", QLINK_FTP_FILE, 1, -1);
	check_entry(&e[7], "\"quoted\"", QLINK_FTP_FILE, 1, -1);
	check_entry(&e[8], "last", QLINK_FTP_DIR, -1, -1);
	qlink_ftp_entries_free(e, n);
}

static void test_mlsd_empty(void **state)
{
	static const char *const empty[] = { "", "\r\n", "\n", "\r\n\r\n\n", "\r" };
	struct qlink_ftp_entry *e;
	size_t n, bad, i;

	(void)state;
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		e = (struct qlink_ftp_entry *)&n; /* must be replaced */
		n = 99;
		bad = 99;
		assert_int_equal(qlink_ftp_parse_mlsd(empty[i], strlen(empty[i]), &e, &n, &bad), 0);
		assert_null(e);
		assert_int_equal(n, 0);
		assert_int_equal(bad, 0);
		qlink_ftp_entries_free(e, n);
	}
	/* NULL with no length never dereferenced */
	assert_int_equal(qlink_ftp_parse_mlsd(NULL, 0, &e, &n, &bad), 0);
	assert_null(e);
	/* freeing nothing is fine */
	qlink_ftp_entries_free(NULL, 0);
	qlink_ftp_entries_free(NULL, 5);
}

/* A good listing with line @lineno (1-based) replaced by @line. */
static void check_bad_line(const char *line, size_t lineno, const char *eol)
{
	static const char *const good[] = {
		"type=cdir;modify=20240315083005; .",
		"",
		"type=file;size=10;modify=20240315083005; a",
		"type=dir;modify=20240315083005.25; b c",
	};
	struct qlink_ftp_entry *e = NULL;
	size_t n = 77, bad = 0, i, len = 0;
	char buf[4096];

	buf[0] = '\0';
	for (i = 0; i < 4; i++) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i + 1 == lineno ? line : good[i], eol);
		assert_true(len < sizeof(buf));
	}
	errno = 0;
	if (qlink_ftp_parse_mlsd(buf, len, &e, &n, &bad) == 0) {
		qlink_ftp_entries_free(e, n);
		fail_msg("accepted \"%s\" on line %zu", line, lineno);
	}
	assert_int_equal(errno, EPROTO);
	if (bad != lineno)
		fail_msg("\"%s\" on line %zu reported as line %zu", line, lineno, bad);
}

static void test_mlsd_malformed(void **state)
{
	static const char *const bad[] = {
		"no facts here",	  /* no "; " */
		"type=file;size=10;name", /* no space before the name */
		"type=file;size=10;",	  /* no name */
		"type=file;size=10; ",	  /* empty name */
		" ",			  /* no facts, empty name */
		"type=file",
		"type; x", /* a fact with no '=' */
		"type=file;size; x",
		"; x",
		"type=file;;size=1; x",
		"type=file;size=abc; x", /* sizes are decimal */
		"type=file;size=; x",
		"type=file;size=-1; x",
		"type=file;size=+1; x",
		"type=file;size=1 0; x",
		"type=file;size=0x10; x",
		"type=file;size=9223372036854775808; x", /* > INT64_MAX */
		"type=file;size=99999999999999999999; x",
		"type=file;sizd=12345678901234567890123456789012345; x",
		"type=file;modify=2024; x", /* times are YYYYMMDDHHMMSS */
		"type=file;modify=; x",
		"type=file;modify=20241315083005; x",
		"type=file;modify=20240315083005.; x",
		"type=file;modify=19691231235959; x",
		"type=file;modify=202403150830051234567890123456789; x",
	};
	static const char *const eol[] = { "\r\n", "\n" };
	size_t i, line, k;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (line = 1; line <= 4; line++)
			for (k = 0; k < 2; k++)
				check_bad_line(bad[i], line, eol[k]);
}

static void test_mlsd_long_and_nul(void **state)
{
	struct qlink_ftp_entry *e = NULL;
	char buf[4096], name[2048];
	size_t n = 0, bad = 0, len;

	(void)state;
	/* a name the line buffer cannot hold is refused, not cut */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	len = (size_t)snprintf(buf, sizeof(buf), "type=dir; ok\r\ntype=file; %s\r\n", name);
	errno = 0;
	assert_int_equal(qlink_ftp_parse_mlsd(buf, len, &e, &n, &bad), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(bad, 2);

	/* a NUL in a line would cut the name short */
	memcpy(buf, "type=dir; ok\r\ntype=file; a\0b\r\n", 30);
	errno = 0;
	assert_int_equal(qlink_ftp_parse_mlsd(buf, 30, &e, &n, &bad), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(bad, 2);

	/* @len is obeyed: what follows it is not read */
	memcpy(buf, "type=dir; ok\r\ngarbage", 21);
	assert_int_equal(qlink_ftp_parse_mlsd(buf, 14, &e, &n, &bad), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].name, "ok");
	qlink_ftp_entries_free(e, n);

	/* 1000 entries: the array grows */
	{
		static char big[40000];
		size_t i, off = 0;

		for (i = 0; i < 1000; i++)
			off += (size_t)snprintf(big + off, sizeof(big) - off,
						"type=file;size=%zu; f%zu\r\n", i, i);
		assert_int_equal(qlink_ftp_parse_mlsd(big, off, &e, &n, &bad), 0);
		assert_int_equal(n, 1000);
		for (i = 0; i < 1000; i++) {
			snprintf(name, sizeof(name), "f%zu", i);
			assert_string_equal(e[i].name, name);
			assert_true(e[i].size == (int64_t)i);
		}
		qlink_ftp_entries_free(e, n);
	}
}

/* ------------------------------------------------------------- random */

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

/*
 * Random bytes, or (every other seed) random picks from pieces the
 * parsers look for, so the deeper paths are reached too.
 */
static size_t random_input(unsigned int *seed, char *buf, size_t size)
{
	static const char *const pieces[] = {
		"+QFTPSIZE:", " ",
		",",	      "\"",
		"0",	      "1",
		"9",	      "627",
		"65535",      "99999999999999999999",
		"\r\n",	      "\n",
		"\r",	      "type=",
		"file",	      "dir",
		"cdir",	      "OS.unix=slink:",
		";",	      "; ",
		"size=",      "sizd=",
		"modify=",    "2024031508300",
		"5",	      ".",
		"123",	      "=",
		"x",	      "\0",
	};
	size_t len = 0, want = rnd(seed) % size;

	if (rnd(seed) & 1) {
		while (len < want)
			buf[len++] = (char)rnd(seed);
		return len;
	}
	while (len < want) {
		const char *p = pieces[rnd(seed) % (sizeof(pieces) / sizeof(pieces[0]))];
		size_t l = *p ? strlen(p) : 1;

		if (len + l > want)
			break;
		memcpy(buf + len, p, l);
		len += l;
	}
	return len;
}

static void test_random(void **state)
{
	unsigned int seed, s, results = 0, listings = 0;

	(void)state;
	for (seed = 1; seed <= SEEDS; seed++) {
		char in[512], str[513], val[16];
		struct qlink_ftp_entry *e = NULL;
		size_t len, n = 0, bad = 0, i, lines = 1;
		uint64_t u;
		time_t t;
		int err;

		s = seed;
		len = random_input(&s, in, sizeof(in));
		/* the string parsers see the input up to its first NUL */
		memcpy(str, in, len);
		str[len] = '\0';

		if (qlink_ftp_parse_result(str, &err, val, sizeof(val)) == 0) {
			assert_in_range(err, 0, 65535);
			assert_true(strlen(val) < sizeof(val));
			results++;
		}
		(void)qlink_ftp_parse_result(str, &err, val, 1 + seed % sizeof(val));
		(void)qlink_ftp_parse_u64(str, &u);
		(void)qlink_ftp_parse_time(str, &t);
		/* the time parser reads 14 digits: also try exactly that long */
		if (len >= 14) {
			str[14] = '\0';
			(void)qlink_ftp_parse_time(str, &t);
		}

		/* MLSD gets the raw bytes, NULs included, in an exact-size buffer */
		{
			char *heap = malloc(len ? len : 1);

			assert_non_null(heap);
			memcpy(heap, in, len);
			for (i = 0; i < len; i++)
				lines += heap[i] == '\n';
			errno = 0;
			if (qlink_ftp_parse_mlsd(heap, len, &e, &n, &bad) == 0) {
				assert_int_equal(bad, 0);
				assert_true(n == 0 || e);
				for (i = 0; i < n; i++)
					assert_non_null(e[i].name);
				listings += n > 0;
				qlink_ftp_entries_free(e, n);
			} else {
				assert_true(errno == EPROTO || errno == ENOMEM);
				if (errno == EPROTO)
					assert_in_range(bad, 1, lines);
			}
			free(heap);
		}
	}
	/* the structured inputs reached past the first checks */
	print_message("random: %u results, %u listings with entries accepted\n", results, listings);
	assert_true(results > 0);
	assert_true(listings > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_variants),
		cmocka_unit_test(test_result_malformed),
		cmocka_unit_test(test_result_buffer),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_u64_max),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_time_malformed),
		cmocka_unit_test(test_time_impossible_dates),
		cmocka_unit_test(test_time_leap_second),
		cmocka_unit_test(test_mlsd_proftpd),
		cmocka_unit_test(test_mlsd_pureftpd),
		cmocka_unit_test(test_mlsd_variants),
		cmocka_unit_test(test_mlsd_empty),
		cmocka_unit_test(test_mlsd_malformed),
		cmocka_unit_test(test_mlsd_long_and_nul),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
