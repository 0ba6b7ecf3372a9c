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
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include <qlink/transport.h>

#include "emulation.h"

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

/* ------------------------------------------------- QLINK_TTY_EXCLUSIVE */

/* /dev/pts/3 -> /run/lock/LCK..pts_3 */
static void lock_path(const struct pty *p, char *out, size_t size)
{
	char *c;

	snprintf(out, size, "/run/lock/LCK..%s", p->path + 5);
	for (c = out + strlen("/run/lock/LCK.."); *c; c++)
		if (*c == '/')
			*c = '_';
}

static long lock_pid(const struct pty *p)
{
	char path[128], buf[64] = "";
	FILE *f;

	lock_path(p, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtol(buf, NULL, 10);
}

/*
 * A child that opens @p's tty (exclusively, or plainly, or exclusively and
 * then shared), says so on a pipe and holds it until its stdin-pipe closes.
 */
enum hold { HOLD_EXCLUSIVE, HOLD_PLAIN, HOLD_SHARED };

/*
 * A forked child of a qemu-user process spins in the emulator before its
 * first system call (qemu-aarch64 7.2), so the tests that need a second
 * process skip themselves there.
 */
static void skip_without_fork(void)
{
	if (under_qemu_user())
		skip();
}

static pid_t holder_start(const struct pty *p, enum hold how, int *release)
{
	int up[2], down[2];
	char c = 0;
	pid_t pid;

	assert_int_equal(pipe(up), 0);
	assert_int_equal(pipe(down), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct qlink_transport *t = NULL;
		int fd = -1;

		/* whoever holds the master is the device, not a user */
		close(p->master);
		close(up[0]);
		close(down[1]);
		if (how == HOLD_PLAIN) {
			fd = open(p->path, O_RDWR | O_NOCTTY);
			c = fd >= 0;
		} else {
			t = qlink_transport_open_tty(p->path, 0, QLINK_TTY_EXCLUSIVE);
			c = t && (how != HOLD_SHARED || !qlink_transport_share_tty(t));
		}
		if (write(up[1], &c, 1) != 1 || read(down[0], &c, 1) < 0)
			_exit(2);
		qlink_transport_free(t);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	assert_int_equal(read(up[0], &c, 1), 1);
	close(up[0]);
	assert_int_equal(c, 1);
	*release = down[1];
	return pid;
}

static void holder_stop(pid_t pid, int release)
{
	int status;

	close(release);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_exclusive_in_one_process(void **state)
{
	struct qlink_transport *t, *t2;
	char path[128];
	struct pty p;

	(void)state;
	pty_open(&p);
	lock_path(&p, path, sizeof(path));
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE);
	assert_non_null(t);
	assert_int_equal(lock_pid(&p), getpid());
	/* a second exclusive user, even in this process: the flock says no */
	errno = 0;
	assert_null(qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE));
	assert_int_equal(errno, EBUSY);
	/* asking for no exclusivity is not refused (the caller's choice) */
	t2 = qlink_transport_open_tty(p.path, 115200, 0);
	assert_non_null(t2);
	qlink_transport_free(t2);
	qlink_transport_free(t);
	assert_int_equal(access(path, F_OK), -1);
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE);
	assert_non_null(t);
	qlink_transport_free(t);
	close(p.master);
}

static void test_exclusive_holder_named(void **state)
{
	struct qlink_tty_holder h;
	struct qlink_transport *t;
	int release;
	struct pty p;
	pid_t pid;

	(void)state;
	skip_without_fork();
	pty_open(&p);
	pid = holder_start(&p, HOLD_EXCLUSIVE, &release);
	errno = 0;
	assert_null(qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE));
	assert_int_equal(errno, EBUSY);
	assert_int_equal(qlink_transport_find_tty_holder(p.path, &h), 1);
	assert_int_equal(h.pid, pid);
	assert_true(h.name[0] != '\0');
	assert_true(h.since > 0);
	assert_int_equal(lock_pid(&p), pid);
	holder_stop(pid, release);
	assert_int_equal(qlink_transport_find_tty_holder(p.path, &h), 0);
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE);
	assert_non_null(t);
	qlink_transport_free(t);
	close(p.master);
}

/* A program that opens the port without any lock (a getty) is found too. */
static void test_exclusive_plain_opener(void **state)
{
	struct qlink_tty_holder h;
	int release;
	struct pty p;
	pid_t pid;

	(void)state;
	skip_without_fork();
	pty_open(&p);
	pid = holder_start(&p, HOLD_PLAIN, &release);
	errno = 0;
	assert_null(qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE));
	assert_int_equal(errno, EBUSY);
	assert_int_equal(qlink_transport_find_tty_holder(p.path, &h), 1);
	assert_int_equal(h.pid, pid);
	holder_stop(pid, release);
	close(p.master);
}

/* A lock file whose process is gone is taken over. */
static void test_exclusive_stale_lock_file(void **state)
{
	struct qlink_transport *t;
	char path[128];
	struct pty p;
	FILE *f;
	pid_t dead;

	(void)state;
	skip_without_fork();
	pty_open(&p);
	dead = fork();
	assert_true(dead >= 0);
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	lock_path(&p, path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%10d\n", (int)dead);
	fclose(f);
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE);
	assert_non_null(t);
	assert_int_equal(lock_pid(&p), getpid());
	qlink_transport_free(t);
	assert_int_equal(access(path, F_OK), -1);
	close(p.master);
}

/* qlink attach's share: one exclusive user at a time comes in beside it. */
static void test_exclusive_shared(void **state)
{
	struct qlink_transport *t;
	int release, release2;
	struct pty p;
	pid_t pid, pid2;

	(void)state;
	skip_without_fork();
	pty_open(&p);
	pid = holder_start(&p, HOLD_SHARED, &release);
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE);
	assert_non_null(t);
	/* the sharer's file stays, naming it */
	assert_int_equal(lock_pid(&p), pid);
	/* a third user is refused while this one has it (the flock, in any process) */
	errno = 0;
	assert_null(qlink_transport_open_tty(p.path, 0, QLINK_TTY_EXCLUSIVE));
	assert_int_equal(errno, EBUSY);
	qlink_transport_free(t);
	pid2 = holder_start(&p, HOLD_EXCLUSIVE, &release2);
	holder_stop(pid2, release2);
	holder_stop(pid, release);
	close(p.master);
}

/* The same without /run/lock (an initramfs): the share is found by its socket. */
static void test_exclusive_shared_without_lock_file(void **state)
{
	struct qlink_tty_holder h;
	struct qlink_transport *t;
	char path[128];
	int release;
	struct pty p;
	pid_t pid;

	(void)state;
	skip_without_fork();
	pty_open(&p);
	pid = holder_start(&p, HOLD_SHARED, &release);
	lock_path(&p, path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	t = qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE);
	assert_non_null(t);
	qlink_transport_free(t);
	/* once the sharer is done sharing, it is a holder like any other */
	holder_stop(pid, release);
	pid = holder_start(&p, HOLD_PLAIN, &release);
	assert_null(qlink_transport_open_tty(p.path, 115200, QLINK_TTY_EXCLUSIVE));
	assert_int_equal(qlink_transport_find_tty_holder(p.path, &h), 1);
	assert_int_equal(h.pid, pid);
	holder_stop(pid, release);
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
		cmocka_unit_test(test_exclusive_in_one_process),
		cmocka_unit_test(test_exclusive_holder_named),
		cmocka_unit_test(test_exclusive_plain_opener),
		cmocka_unit_test(test_exclusive_stale_lock_file),
		cmocka_unit_test(test_exclusive_shared),
		cmocka_unit_test(test_exclusive_shared_without_lock_file),
	};

	return cmocka_run_group_tests_name("transport-tty", tests, NULL, NULL);
}
