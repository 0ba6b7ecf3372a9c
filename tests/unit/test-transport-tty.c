// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/* The tty transport on a real pty: raw mode, flow control, loss, close. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include <qlink/transport.h>

struct pty {
	int master;
	char path[64];
};

static void pty_open(struct pty *p)
{
	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(p->master >= 0);
	assert_int_equal(grantpt(p->master), 0);
	assert_int_equal(unlockpt(p->master), 0);
	strcpy(p->path, ptsname(p->master));
}

static void test_raw_roundtrip(void **state)
{
	struct pty p;
	struct qlink_transport *t;
	struct termios tio;
	char buf[64];
	int fd;

	(void)state;
	pty_open(&p);
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_RTSCTS);
	assert_non_null(t);
	fd = qlink_transport_get_fd(t);
	assert_true(fd >= 0);
	assert_int_equal(tcgetattr(fd, &tio), 0);
	/* raw: no echo, no CR/LF translation, no signals, 8 bits */
	assert_false(tio.c_lflag & (ECHO | ICANON | ISIG));
	assert_false(tio.c_iflag & (ICRNL | IXON));
	assert_false(tio.c_oflag & OPOST);
	assert_int_equal(tio.c_cflag & CSIZE, CS8);
	assert_int_equal(cfgetospeed(&tio), B115200);
	assert_true(qlink_transport_get_rtscts(t) >= 0);
	/* nothing to read: 0, not a block and not an error */
	assert_int_equal(qlink_transport_read(t, buf, sizeof(buf)), 0);
	assert_int_equal(write(p.master, "\r\nOK\r\n\0\xff", 8), 8);
	{
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		assert_int_equal(poll(&pfd, 1, 5000), 1);
	}
	assert_int_equal(qlink_transport_read(t, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "\r\nOK\r\n\0\xff", 8);
	assert_int_equal(qlink_transport_write(t, "AT\r", 3), 3);
	assert_int_equal(read(p.master, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "AT\r", 3);
	qlink_transport_free(t);
	close(p.master);
}

static void test_errors(void **state)
{
	struct pty p;

	(void)state;
	assert_null(qlink_transport_open_tty("/nonexistent/tty", 115200, 0));
	assert_int_equal(errno, ENOENT);
	assert_null(qlink_transport_open_tty("/dev/null", 115200, 0));
	assert_int_equal(errno, ENOTTY);
	pty_open(&p);
	assert_null(qlink_transport_open_tty(p.path, 12345, 0));
	assert_int_equal(errno, EINVAL);
	close(p.master);
}

/* the rates open_tty() takes are the ones it names, in order */
static void test_bauds(void **state)
{
	const unsigned int *b;
	size_t n, i;

	(void)state;
	b = qlink_transport_tty_get_bauds(&n);
	assert_int_equal(n, 13);
	assert_int_equal(b[0], 9600);
	assert_int_equal(b[4], 115200);
	assert_int_equal(b[n - 1], 4000000);
	for (i = 1; i < n; i++)
		assert_true(b[i] > b[i - 1]);
	errno = 0;
	assert_null(qlink_transport_open_tty("/dev/null", 12345, 0));
	assert_int_equal(errno, EINVAL);
}

static void test_port_lost(void **state)
{
	struct pty p;
	struct qlink_transport *t;
	char buf[8];

	(void)state;
	pty_open(&p);
	t = qlink_transport_open_tty(p.path, 0, 0);
	assert_non_null(t);
	close(p.master); /* the module side goes away */
	assert_int_equal(qlink_transport_read(t, buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENXIO);
	qlink_transport_free(t);
}

/*
 * Output the other side never reads must not hold up close(): the pty
 * buffer is filled until write() reports no room, then the transport is
 * freed. A drain on close would wait here forever.
 */
static void test_close_with_stuck_output(void **state)
{
	struct pty p;
	struct qlink_transport *t;
	char chunk[4096];
	ssize_t n;
	size_t total = 0;

	(void)state;
	pty_open(&p);
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_RTSCTS);
	assert_non_null(t);
	/* the tty answers TIOCOUTQ (a pty keeps no queue of its own) */
	assert_int_equal(qlink_transport_get_outq(t), 0);
	memset(chunk, 'x', sizeof(chunk));
	do {
		n = qlink_transport_write(t, chunk, sizeof(chunk));
		assert_true(n >= 0);
		total += (size_t)n;
	} while (n > 0 && total < (64u << 20));
	assert_int_equal(n, 0);
	qlink_transport_free(t);
	close(p.master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_roundtrip),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bauds),
		cmocka_unit_test(test_port_lost),
		cmocka_unit_test(test_close_with_stuck_output),
	};

	return cmocka_run_group_tests_name("transport-tty", tests, NULL, NULL);
}
