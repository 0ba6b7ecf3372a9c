// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The URC reader's pure parts: a /dev/qlink-urc record and a "qlink"
 * generic-netlink message decoded from bytes laid out here by hand, as the
 * kernel lays them out (not with libmnl, which the decoder uses), and the
 * reader's failures on a host without qlink.ko. Against the module itself
 * the VM suite (tests/vm/test-kmod.c) tests it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <cmocka.h>

#include <qlink/urc-reader.h>

#include "emulation.h"
#include "module/genl.h"
#include "module/urc-record.h"

/* ------------------------------------------------------ device records */

static struct qlink_urc_record sample_record(void)
{
	struct qlink_urc_record r;

	memset(&r, 0, sizeof(r));
	r.seq = 41;
	r.timestamp_ns = 123456789;
	r.len = 6;
	strcpy(r.tty, "ttyS1");
	strcpy(r.text, "+QIND:");
	return r;
}

static void test_record_decode(void **state)
{
	struct qlink_urc_record in = sample_record(), out;

	(void)state;
	in.reserved[1] = 7; /* a later module's field: not passed on as if known */
	assert_int_equal(qlink_urc_record_decode(&in, sizeof(in), &out), 0);
	assert_int_equal(out.seq, 41);
	assert_int_equal(out.timestamp_ns, 123456789);
	assert_int_equal(out.len, 6);
	assert_string_equal(out.tty, "ttyS1");
	assert_string_equal(out.text, "+QIND:");
	assert_int_equal(out.reserved[1], 0);
}

static void test_record_decode_rejects(void **state)
{
	struct qlink_urc_record in = sample_record(), out;

	(void)state;
	assert_int_equal(qlink_urc_record_decode(&in, sizeof(in) - 1, &out), -1);
	assert_int_equal(errno, EPROTO);
	in.len = QLINK_TEXT_MAX;
	assert_int_equal(qlink_urc_record_decode(&in, sizeof(in), &out), -1);
	assert_int_equal(errno, EPROTO);
	in.len = 3; /* the text goes on past its length */
	assert_int_equal(qlink_urc_record_decode(&in, sizeof(in), &out), -1);
	assert_int_equal(errno, EPROTO);
	in = sample_record();
	memset(in.tty, 'x', sizeof(in.tty));
	assert_int_equal(qlink_urc_record_decode(&in, sizeof(in), &out), -1);
	assert_int_equal(errno, EPROTO);
	/* a NUL inside the text is the module's business: the length counts */
	in = sample_record();
	in.text[2] = '\0';
	assert_int_equal(qlink_urc_record_decode(&in, sizeof(in), &out), 0);
	assert_memory_equal(out.text, "+Q\0ND:", 7);
}

/* ---------------------------------------------------- netlink messages */

struct msg {
	union {
		struct nlmsghdr h;
		uint64_t align;
		char b[1024];
	} u;
};

static void msg_start(struct msg *m, uint16_t type, uint8_t cmd)
{
	struct genlmsghdr g = { .cmd = cmd, .version = QLINK_GENL_VERSION };

	memset(m, 0, sizeof(*m));
	m->u.h.nlmsg_type = type;
	m->u.h.nlmsg_len = NLMSG_LENGTH(sizeof(g));
	memcpy(m->u.b + NLMSG_HDRLEN, &g, sizeof(g));
}

static void msg_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };
	size_t off = NLMSG_ALIGN(m->u.h.nlmsg_len);

	assert_true(off + NLA_ALIGN(a.nla_len) <= sizeof(m->u.b));
	memcpy(m->u.b + off, &a, sizeof(a));
	memcpy(m->u.b + off + NLA_HDRLEN, data, len);
	m->u.h.nlmsg_len = (uint32_t)(off + NLA_ALIGN(a.nla_len));
}

static void msg_u64(struct msg *m, uint16_t type, uint64_t v)
{
	uint32_t pad = 0;

	/* nla_put_u64_64bit(): a PAD attribute first when the payload would not be aligned */
	msg_attr(m, QLINK_ATTR_PAD, &pad, 0);
	msg_attr(m, type, &v, sizeof(v));
}

static void msg_u32(struct msg *m, uint16_t type, uint32_t v)
{
	msg_attr(m, type, &v, sizeof(v));
}

/* A record as qlink_genl_send() builds it. */
static void record_msg(struct msg *m, const char *text)
{
	msg_start(m, 0x20, QLINK_CMD_URC);
	msg_attr(m, QLINK_ATTR_TTY, "pts3", 5);
	msg_u64(m, QLINK_ATTR_REC_SEQ, 7);
	msg_u64(m, QLINK_ATTR_REC_TIMESTAMP, 99000000001ULL);
	msg_u32(m, QLINK_ATTR_REC_FLAGS, 0);
	msg_attr(m, QLINK_ATTR_REC_TEXT, text, strlen(text));
}

static bool have_libmnl(void)
{
	struct qlink_genl_msg gm;
	struct msg m;

	msg_start(&m, 0x20, QLINK_CMD_URC);
	return qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm) == 0 || errno != ENOTSUP;
}

static void test_genl_record(void **state)
{
	struct qlink_urc_record rec;
	struct qlink_genl_msg gm;
	struct msg m;

	(void)state;
	if (!have_libmnl())
		skip();
	record_msg(&m, "+QIND: \"FOTA\",\"END\",0");
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), 0);
	assert_int_equal(gm.cmd, QLINK_CMD_URC);
	assert_int_equal(qlink_genl_to_record(&gm, &rec), 0);
	assert_int_equal(rec.seq, 7);
	assert_int_equal(rec.timestamp_ns, 99000000001ULL);
	assert_int_equal(rec.flags, 0);
	assert_string_equal(rec.tty, "pts3");
	assert_int_equal(rec.len, strlen("+QIND: \"FOTA\",\"END\",0"));
	assert_string_equal(rec.text, "+QIND: \"FOTA\",\"END\",0");
	assert_int_equal(rec.reserved0, 0);
}

static void test_genl_stats(void **state)
{
	struct qlink_genl_msg gm;
	struct msg m;

	(void)state;
	if (!have_libmnl())
		skip();
	msg_start(&m, 0x20, QLINK_CMD_GET_STATS);
	msg_u32(&m, QLINK_ATTR_STAT_ATTACHED, 2);
	msg_u64(&m, QLINK_ATTR_STAT_RX_BYTES, 1ULL << 40);
	msg_u64(&m, QLINK_ATTR_STAT_DROPPED, 3);
	msg_u64(&m, QLINK_ATTR_MAX + 5, 1); /* a later module's attribute: skipped */
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), 0);
	assert_int_equal(gm.cmd, QLINK_CMD_GET_STATS);
	assert_true(gm.has[QLINK_ATTR_STAT_ATTACHED]);
	assert_int_equal(gm.v[QLINK_ATTR_STAT_ATTACHED], 2);
	assert_int_equal(gm.v[QLINK_ATTR_STAT_RX_BYTES], 1ULL << 40);
	assert_int_equal(gm.v[QLINK_ATTR_STAT_DROPPED], 3);
	assert_false(gm.has[QLINK_ATTR_STAT_URCS]);
}

static void test_genl_malformed(void **state)
{
	struct qlink_urc_record rec;
	struct qlink_genl_msg gm;
	struct nlmsgerr e = { .error = -ENODEV };
	char tty[QLINK_TTY_NAME_MAX + 4];
	struct msg m;

	(void)state;
	if (!have_libmnl())
		skip();
	/* a u32 where a u64 belongs */
	msg_start(&m, 0x20, QLINK_CMD_URC);
	msg_u32(&m, QLINK_ATTR_REC_SEQ, 1);
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), -1);
	assert_int_equal(errno, EPROTO);
	/* a tty name longer than the record holds */
	memset(tty, 'x', sizeof(tty) - 1);
	tty[sizeof(tty) - 1] = '\0';
	msg_start(&m, 0x20, QLINK_CMD_URC);
	msg_attr(&m, QLINK_ATTR_TTY, tty, sizeof(tty));
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), -1);
	assert_int_equal(errno, EPROTO);
	/* cut short: fewer bytes than the header says */
	record_msg(&m, "RDY");
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len - 1, &gm), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(qlink_genl_parse(&m, 8, &gm), -1);
	assert_int_equal(errno, EPROTO);
	/* the kernel's refusal comes back as its errno */
	msg_start(&m, NLMSG_ERROR, 0);
	memcpy(m.u.b + NLMSG_HDRLEN, &e, sizeof(e));
	m.u.h.nlmsg_len = NLMSG_LENGTH(sizeof(e));
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), -1);
	assert_int_equal(errno, ENODEV);
	/* not a record: stats, or a record without text */
	msg_start(&m, 0x20, QLINK_CMD_GET_STATS);
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), 0);
	assert_int_equal(qlink_genl_to_record(&gm, &rec), -1);
	assert_int_equal(errno, EPROTO);
	msg_start(&m, 0x20, QLINK_CMD_URC);
	msg_u64(&m, QLINK_ATTR_REC_SEQ, 1);
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), 0);
	assert_int_equal(qlink_genl_to_record(&gm, &rec), -1);
	assert_int_equal(errno, EPROTO);
}

static void test_genl_long_text_is_flagged(void **state)
{
	struct qlink_urc_record rec;
	struct qlink_genl_msg gm;
	char text[QLINK_TEXT_MAX + 20];
	struct msg m;

	(void)state;
	if (!have_libmnl())
		skip();
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	record_msg(&m, text);
	assert_int_equal(qlink_genl_parse(&m, m.u.h.nlmsg_len, &gm), 0);
	assert_int_equal(qlink_genl_to_record(&gm, &rec), 0);
	assert_int_equal(rec.len, QLINK_TEXT_MAX - 1);
	assert_int_equal(rec.text[QLINK_TEXT_MAX - 1], '\0');
	assert_int_equal(rec.flags, QLINK_REC_TRUNCATED);
}

/* ------------------------------------------------- the reader, no module */

static void test_reader_without_module(void **state)
{
	struct qlink_urc_reader *r;
	struct qlink_urc_record rec;

	(void)state;
	if (access(QLINK_URC_DEVICE, F_OK) == 0)
		skip(); /* this kernel has qlink.ko: the VM suite covers it */
	r = qlink_urc_reader_new();
	assert_non_null(r);
	assert_string_equal(qlink_urc_reader_get_error(r), "");
	assert_int_equal(qlink_urc_reader_get_fd(r), -1);
	assert_int_equal(qlink_urc_reader_read(r, &rec), -1);
	assert_int_equal(errno, EBADF);

	assert_int_equal(qlink_urc_reader_open(r, QLINK_URC_SOURCE_DEVICE, 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(qlink_urc_reader_get_error(r), "is qlink.ko loaded?"));

	assert_int_equal(qlink_urc_reader_open(r, QLINK_URC_SOURCE_NETLINK, 0), -1);
	if (qemu_user_has_no_genl(errno)) {
		assert_non_null(strstr(qlink_urc_reader_get_error(r), "netlink"));
	} else if (have_libmnl()) {
		assert_int_equal(errno, ENOENT);
		assert_non_null(strstr(qlink_urc_reader_get_error(r), "is qlink.ko loaded?"));
	} else {
		assert_int_equal(errno, ENOTSUP);
		assert_non_null(strstr(qlink_urc_reader_get_error(r), "WITH_LIBMNL=0"));
	}
	assert_int_equal(qlink_urc_reader_get_fd(r), -1);

	assert_int_equal(qlink_urc_reader_open(r, (enum qlink_urc_source)7, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_urc_reader_open(r, QLINK_URC_SOURCE_DEVICE, 0x80), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_urc_reader_open(NULL, QLINK_URC_SOURCE_DEVICE, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(qlink_urc_reader_read(r, NULL), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(qlink_urc_reader_get_error(NULL), "");
	assert_int_equal(qlink_urc_reader_get_fd(NULL), -1);
	qlink_urc_reader_free(r);
	qlink_urc_reader_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_decode),
		cmocka_unit_test(test_record_decode_rejects),
		cmocka_unit_test(test_genl_record),
		cmocka_unit_test(test_genl_stats),
		cmocka_unit_test(test_genl_malformed),
		cmocka_unit_test(test_genl_long_text_is_flagged),
		cmocka_unit_test(test_reader_without_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
