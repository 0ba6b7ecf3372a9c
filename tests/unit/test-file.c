// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The module-storage object: the FILE guide's checksum, and names refused
 * before anything reaches the port.
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

#include <qlink/qlink.h>

#include "mem-transport.h"

/* XOR of big-endian byte pairs; an odd last byte is the high half of a pair */
static void test_checksum_values(void **state)
{
	static const unsigned char ab[] = { 0x61, 0x62 }, abc[] = { 0x61, 0x62, 0x63 };
	static const unsigned char same[] = { 0x12, 0x34, 0x12, 0x34 };

	(void)state;
	assert_int_equal(qlink_file_checksum(0, "", 0), 0);
	assert_int_equal(qlink_file_checksum(0, ab, 2), 0x6162);
	assert_int_equal(qlink_file_checksum(0, abc, 3), 0x6162 ^ 0x6300);
	assert_int_equal(qlink_file_checksum(0, same, 4), 0);
	assert_int_equal(qlink_file_checksum(0, abc + 2, 1), 0x6300);
}

/* Continuing from a checksum over an even number of bytes is the same as one pass. */
static void test_checksum_continues(void **state)
{
	unsigned char buf[1001];
	size_t i, split;

	(void)state;
	srand(7);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rand();
	for (split = 0; split <= sizeof(buf); split += 2) {
		unsigned int first = qlink_file_checksum(0, buf, split);

		assert_int_equal(qlink_file_checksum(first, buf + split, sizeof(buf) - split),
				 qlink_file_checksum(0, buf, sizeof(buf)));
	}
}

static void test_bad_names(void **state)
{
	static const char *const bad[] = { "", "UFS:a\"b", "UFS:a\r", "UFS:a\nb" };
	struct mem_transport *mt;
	struct qlink_chan *chan = qlink_chan_new(mem_transport_new(&mt));
	char longname[300];
	uint64_t size;
	size_t i, len;

	(void)state;
	assert_non_null(chan);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (i = 0; i <= sizeof(bad) / sizeof(bad[0]); i++) {
		const char *name = i < sizeof(bad) / sizeof(bad[0]) ? bad[i] : longname;

		errno = 0;
		assert_int_equal(qlink_file_size(chan, name, &size), -1);
		assert_int_equal(errno, EINVAL);
		assert_non_null(strstr(qlink_chan_get_error(chan), "module file name"));
		assert_int_equal(qlink_file_delete(chan, name), -1);
		assert_int_equal(qlink_file_upload(chan, 0, 1, name), -1);
		assert_int_equal(qlink_file_download(chan, name, 1, NULL), -1);
	}
	assert_int_equal(qlink_file_size(chan, NULL, &size), -1);
	assert_int_equal(errno, EINVAL);
	/* an empty file cannot be made with AT+QFUPL: refused, not sent */
	assert_int_equal(qlink_file_upload(chan, 0, 0, "UFS:empty"), -1);
	assert_int_equal(errno, EINVAL);
	mem_transport_output(mt, &len);
	assert_int_equal(len, 0);
	qlink_chan_free(chan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_values),
		cmocka_unit_test(test_checksum_continues),
		cmocka_unit_test(test_bad_names),
	};

	return cmocka_run_group_tests_name("file", tests, NULL, NULL);
}
