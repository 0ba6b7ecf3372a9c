// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink.ko's line assembler at the edges of data mode and of a command
 * (issue 13, bug 9 and the line-assembler risks): where data mode begins
 * and ends, answers to the owner's queries, two-line URCs, TCIFLUSH and
 * SIGIO. Runs inside the VM (tests/vm/run) as root with the module loaded;
 * a pty pair stands for the modem: the test writes the modem's lines to the
 * master and plays the owner on the slave.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <cmocka.h>

#include "vm.h"
#include "vm-assert.h"

#define LDISC QLINK_LDISC_DEFAULT

static uint32_t mode_of(int fd)
{
	struct qlink_mode m;

	memset(&m, 0xff, sizeof(m));
	assert_int_equal(ioctl(fd, QLINK_IOC_GET_MODE, &m), 0);
	return m.mode;
}

static int set_mode_end(int fd, uint32_t mode, int32_t end)
{
	struct qlink_mode m = { .mode = mode, .flags = QLINK_MODE_F_END, .end = end };

	return ioctl(fd, QLINK_IOC_SET_MODE, &m);
}

static void set_urcs(int fd, const char *buf, uint32_t size, uint32_t count)
{
	struct qlink_urc_set s = { .count = count, .size = size, .ptr = (uintptr_t)buf };

	assert_int_equal(ioctl(fd, QLINK_IOC_SET_URCS, &s), 0);
}

/* ---------------------------------------------------- bug 9(a) */

/*
 * A COM: download: the payload's last bytes, the OK and the +QFTPGET
 * result arrive in one piece. The owner has read it all and gives the
 * position where command mode resumed: the result is published, the
 * payload's URC-like line is not.
 */
static void test_data_end_in_the_same_piece(void **state)
{
	static const char tail[] = "\r\nOK\r\n\r\n+QFTPGET: 0,23\r\n";
	struct vm_pty p;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	vm_owner_sends(&p, "AT+QFTPGET=\"f.bin\",\"COM:\"\r");
	vm_modem_says(&p, "\r\nCONNECT\r\n");
	assert_int_equal(mode_of(p.slave), QLINK_MODE_DATA);
	vm_modem_says(&p, "0123456789+QIND: fake\r\n\r\nOK\r\n\r\n+QFTPGET: 0,23\r\n");
	if (set_mode_end(p.slave, QLINK_MODE_COMMAND, -(int32_t)strlen(tail)))
		fail_msg("QLINK_IOC_SET_MODE with QLINK_MODE_F_END: %s", strerror(errno));
	assert_int_equal(mode_of(p.slave), QLINK_MODE_COMMAND);
	vm_expect_record(ufd, p.name, "+QFTPGET: 0,23", 0);
	vm_expect_no_record(ufd);

	/* a position inside a line starts at the next one */
	vm_owner_sends(&p, "AT+QFTPGET=\"f.bin\",\"COM:\"\r");
	vm_modem_says(&p, "\r\nCONNECT\r\n");
	vm_modem_says(&p, "abc+QIND: x\r\nOK\r\n+QFTPGET: 0,14\r\n");
	assert_int_equal(set_mode_end(p.slave, QLINK_MODE_COMMAND, -30), 0);
	vm_expect_record(ufd, p.name, "+QFTPGET: 0,14", 0);
	vm_expect_no_record(ufd);

	/* bad arguments: an end still to come in command mode, one past in data mode */
	assert_int_equal(set_mode_end(p.slave, QLINK_MODE_COMMAND, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(set_mode_end(p.slave, QLINK_MODE_DATA, 0), -1);
	assert_int_equal(errno, EINVAL);
	close(ufd);
	vm_pty_close(&p);
}

/*
 * Data mode with a known length ends by itself (a bound that needs no
 * ioctl at the end): the lines after the payload are published.
 */
static void test_data_end_known_length(void **state)
{
	struct vm_pty p;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	vm_owner_sends(&p, "AT+QFDWL=\"f.bin\"\r");
	vm_modem_says(&p, "\r\nCONNECT 12\r\n");
	assert_int_equal(mode_of(p.slave), QLINK_MODE_DATA);
	if (set_mode_end(p.slave, QLINK_MODE_DATA, 12))
		fail_msg("QLINK_IOC_SET_MODE with QLINK_MODE_F_END: %s", strerror(errno));
	vm_modem_says(&p, "+QIND: fak\r\n+QFDWL: 12,3a4b\r\n\r\nOK\r\n+QIND: \"after\"\r\n");
	vm_expect_record(ufd, p.name, "+QIND: \"after\"", 0);
	vm_expect_no_record(ufd);
	assert_int_equal(mode_of(p.slave), QLINK_MODE_COMMAND);
	close(ufd);
	vm_pty_close(&p);
}

/* ---------------------------------------------------- bug 9(b) */

/*
 * CONNECT enters data mode only while a command that can answer it is
 * pending: a stray one, an SMS body and a CONNECT after the command
 * failed are lines like any other.
 */
static void test_connect_only_when_armed(void **state)
{
	struct vm_pty p;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);

	vm_modem_says(&p, "CONNECT\r\n+QIND: \"FOTA\",\"START\"\r\n");
	if (mode_of(p.slave) != QLINK_MODE_COMMAND)
		fail_msg("a CONNECT nobody asked for entered data mode");
	vm_expect_record(ufd, p.name, "+QIND: \"FOTA\",\"START\"", 0);

	/* a command that answers with OK only does not arm it */
	vm_owner_sends(&p, "AT+CSQ\r");
	vm_modem_says(&p, "\r\nCONNECT 9600\r\n+QIND: \"csq\",21,99\r\n");
	assert_int_equal(mode_of(p.slave), QLINK_MODE_COMMAND);
	vm_expect_record(ufd, p.name, "+QIND: \"csq\",21,99", 0);

	/* the command failed: its final result disarms */
	vm_owner_sends(&p, "AT+QFTPGET=\"f.bin\",\"COM:\"\r");
	vm_modem_says(&p, "\r\n+CME ERROR: 601\r\nCONNECT\r\n+QIND: \"FOTA\",\"END\",0\r\n");
	assert_int_equal(mode_of(p.slave), QLINK_MODE_COMMAND);
	vm_expect_record(ufd, p.name, "+QIND: \"FOTA\",\"END\",0", 0);

	/* armed: CONNECT enters data mode, also with a rate, and disarms */
	vm_owner_sends(&p, "ATD*99#\r");
	vm_modem_says(&p, "\r\nCONNECT 150000000\r\n+QIND: payload\r\n");
	assert_int_equal(mode_of(p.slave), QLINK_MODE_DATA);
	vm_expect_no_record(ufd);
	assert_int_equal(set_mode_end(p.slave, QLINK_MODE_COMMAND, 0), 0);
	vm_modem_says(&p, "CONNECT\r\nRDY\r\n");
	assert_int_equal(mode_of(p.slave), QLINK_MODE_COMMAND);
	vm_expect_record(ufd, p.name, "RDY", 0);
	close(ufd);
	vm_pty_close(&p);
}

/* ------------------------------------------- risks: the line assembler */

/* An answer to the owner's query is marked; the same line unasked is not. */
static void test_solicited_marked(void **state)
{
	struct vm_pty p;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	vm_owner_sends(&p, "AT+CPIN?\r");
	vm_modem_says(&p, "\r\n+CPIN: READY\r\n\r\nOK\r\n");
	vm_expect_record(ufd, p.name, "+CPIN: READY", QLINK_REC_SOLICITED);
	vm_modem_says(&p, "\r\n+CPIN: NOT READY\r\n");
	vm_expect_record(ufd, p.name, "+CPIN: NOT READY", 0);
	/* another command's answer does not make a URC solicited */
	vm_owner_sends(&p, "AT+CREG?\r");
	vm_modem_says(&p, "\r\n+CPIN: READY\r\n+CREG: 0,1\r\n\r\nOK\r\n");
	vm_expect_record(ufd, p.name, "+CPIN: READY", 0);
	vm_expect_record(ufd, p.name, "+CREG: 0,1", QLINK_REC_SOLICITED);
	vm_expect_no_record(ufd);
	close(ufd);
	vm_pty_close(&p);
}

/* +CMT's second line (the text) is a record too, even when it reads CONNECT. */
static void test_two_line_urcs(void **state)
{
	struct vm_pty p;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	vm_owner_sends(&p, "AT+QFUPL=\"f.bin\",10\r"); /* armed, and still */
	vm_modem_says(&p, "\r\n+CMT: \"+4912345\",,\"26/01/01,00:00:00+04\"\r\nCONNECT 9600\r\n"
			  "+QIND: \"FOTA\",\"START\"\r\n");
	vm_expect_record(ufd, p.name, "+CMT: \"+4912345\",,\"26/01/01,00:00:00+04\"", 0);
	vm_expect_record(ufd, p.name, "CONNECT 9600", QLINK_REC_BODY);
	assert_int_equal(mode_of(p.slave), QLINK_MODE_COMMAND);
	vm_expect_record(ufd, p.name, "+QIND: \"FOTA\",\"START\"", 0);
	/* +CDS (not in the built-in set) in PDU mode has a second line, in text mode none */
	set_urcs(p.slave, "+CDS:\0RDY\0", 10, 2);
	vm_modem_says(&p, "+CDS: 25\r\n07919471\r\n+CDS: 6,1,\"+4912345\",145\r\nRDY\r\n");
	vm_expect_record(ufd, p.name, "+CDS: 25", 0);
	vm_expect_record(ufd, p.name, "07919471", QLINK_REC_BODY);
	vm_expect_record(ufd, p.name, "+CDS: 6,1,\"+4912345\",145", 0);
	vm_expect_record(ufd, p.name, "RDY", 0);
	vm_expect_no_record(ufd);
	close(ufd);
	vm_pty_close(&p);
}

/* TCIFLUSH drops a partial line with the bytes it held. */
static void test_tciflush_resets_line(void **state)
{
	struct vm_pty p;
	char buf[8];
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	assert_int_equal(vm_write_str(p.master, "+QIN"), 0);
	assert_true(vm_wait(p.slave, POLLIN, 5000) & POLLIN);
	assert_int_equal(tcflush(p.slave, TCIFLUSH), 0);
	assert_int_equal(vm_write_str(p.master, "D: \"x\"\r\n+QIND: \"after\"\r\n"), 0);
	vm_expect_record(ufd, p.name, "+QIND: \"after\"", 0);
	vm_expect_no_record(ufd);
	assert_true(vm_read_exact(p.slave, buf, 1, 1000) == 1);
	close(ufd);
	vm_pty_close(&p);
}

/*
 * The assembler takes the bytes up to a line's end at once (issue 13,
 * speed): lines of every length around a word and around the record's
 * limit, ended by CR LF, LF or CR, cut into pieces at every offset modulo
 * 8 and 13, give the same records as ever: the text, cut at
 * QLINK_TEXT_MAX - 1 and flagged QLINK_REC_TRUNCATED past it.
 */
static void test_line_lengths_and_pieces(void **state)
{
	static const char *const ends[] = { "\r\n", "\n", "\r" };
	static char stream[64 * 1024], piece[4096];
	static const size_t lens[] = { 7,   8,	 9,   15,  16,	17,  23,  24,  25,  100,
				       253, 254, 255, 256, 257, 263, 264, 300, 1000 };
	size_t n = 0, i, j, off, cut;
	struct vm_pty p;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		n += (size_t)sprintf(stream + n, "+QIND: ");
		for (j = 7; j < lens[i]; j++)
			stream[n++] = (char)('a' + j % 26);
		n += (size_t)sprintf(stream + n, "%s%s", ends[i % 3], i % 2 ? "\r\n" : "");
	}
	/* pieces of 1 to 21 bytes, each seen by receive_buf2() on its own */
	for (off = 0, i = 0; off < n; off += cut, i++) {
		cut = 1 + (i * 8 + i / 13) % 21;
		if (cut > n - off)
			cut = n - off;
		memcpy(piece, stream + off, cut);
		piece[cut] = 0;
		vm_modem_says(&p, piece);
	}
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t len = lens[i] < QLINK_TEXT_MAX - 1 ? lens[i] : QLINK_TEXT_MAX - 1;
		char text[QLINK_TEXT_MAX];

		memcpy(text, "+QIND: ", 7);
		for (j = 7; j < len; j++)
			text[j] = (char)('a' + j % 26);
		text[len] = 0;
		vm_expect_record(ufd, p.name, text,
				 lens[i] > QLINK_TEXT_MAX - 1 ? QLINK_REC_TRUNCATED : 0);
	}
	vm_expect_no_record(ufd);
	/* the same stream in one write: pieces as large as the pty makes them */
	assert_int_equal(vm_write_all(p.master, stream, n), 0);
	for (off = 0; off < n; off += cut) {
		cut = n - off < sizeof(piece) ? n - off : sizeof(piece);
		assert_int_equal(vm_read_exact(p.slave, piece, cut, 5000), cut);
		assert_memory_equal(piece, stream + off, cut);
	}
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct qlink_urc_record r;

		assert_int_equal(vm_urc_next(ufd, &r, 5000), sizeof(r));
		assert_int_equal(r.len,
				 lens[i] < QLINK_TEXT_MAX - 1 ? lens[i] : QLINK_TEXT_MAX - 1);
		assert_int_equal(r.flags, lens[i] > QLINK_TEXT_MAX - 1 ? QLINK_REC_TRUNCATED : 0);
	}
	vm_expect_no_record(ufd);
	close(ufd);
	vm_pty_close(&p);
}

static volatile sig_atomic_t sigio_seen;

static void on_sigio(int sig)
{
	(void)sig;
	sigio_seen = 1;
}

/* An O_ASYNC owner gets SIGIO when bytes arrive, as with n_tty. */
static void test_sigio_on_input(void **state)
{
	struct sigaction sa = { .sa_handler = on_sigio }, old;
	struct vm_pty p;
	char c;
	int i;

	(void)state;
	vm_pty_attached(&p);
	assert_int_equal(sigaction(SIGIO, &sa, &old), 0);
	assert_int_equal(fcntl(p.slave, F_SETOWN, getpid()), 0);
	assert_int_equal(fcntl(p.slave, F_SETFL, fcntl(p.slave, F_GETFL) | O_ASYNC | O_NONBLOCK),
			 0);
	sigio_seen = 0;
	assert_int_equal(vm_write_str(p.master, "x"), 0);
	for (i = 0; i < 200 && !sigio_seen; i++)
		usleep(10000);
	if (!sigio_seen)
		fail_msg("no SIGIO within 2 s of input");
	assert_int_equal(vm_read_exact(p.slave, &c, 1, 1000), 1);
	assert_int_equal(fcntl(p.slave, F_SETFL, fcntl(p.slave, F_GETFL) & ~O_ASYNC), 0);
	vm_pty_close(&p);
	sigaction(SIGIO, &old, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_end_in_the_same_piece),
		cmocka_unit_test(test_data_end_known_length),
		cmocka_unit_test(test_connect_only_when_armed),
		cmocka_unit_test(test_solicited_marked),
		cmocka_unit_test(test_two_line_urcs),
		cmocka_unit_test(test_tciflush_resets_line),
		cmocka_unit_test(test_sigio_on_input),
		cmocka_unit_test(test_line_lengths_and_pieces),
	};

	return cmocka_run_group_tests_name("qlink-urc-lines", tests, NULL, NULL);
}
