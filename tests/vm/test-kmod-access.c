// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink.ko in a real kernel, issue 13's bugs 4, 5 and 8 and the module-level
 * risks: who may read the URCs, the /dev/qlink-urc reader's locking, which
 * ttys the ldisc takes and what it does to CRTSCTS, how the module is loaded.
 * Runs inside the VM (tests/vm/run) as root with the module loaded; the
 * unprivileged side is a forked child that drops to nobody.
 */
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <qlink/ldisc.h>
#include <qlink/urc-reader.h>

#include "vm.h"

#define LDISC QLINK_LDISC_DEFAULT
#define NOBODY 65534

static struct qlink_stats stats_of(int fd)
{
	struct qlink_stats st;

	memset(&st, 0xff, sizeof(st));
	assert_int_equal(ioctl(fd, QLINK_IOC_GET_STATS, &st), 0);
	return st;
}

static bool crtscts_of(int fd)
{
	struct termios t;

	assert_int_equal(tcgetattr(fd, &t), 0);
	return t.c_cflag & CRTSCTS;
}

static void set_crtscts(int fd, bool on)
{
	struct termios t;

	assert_int_equal(tcgetattr(fd, &t), 0);
	if (on)
		t.c_cflag |= CRTSCTS;
	else
		t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
}

/* Wait up to ms for a thread; true if it ended (and was joined). */
static bool joined_within(pthread_t th, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(th, NULL, &ts) == 0;
}

/* ------------------------------------------- bug 4: the reader mutex */

struct urc_op {
	int fd;
	bool seek;
	ssize_t ret;
	int err;
};

static void *urc_op(void *arg)
{
	struct urc_op *o = arg;
	struct qlink_urc_record r;

	errno = 0;
	o->ret = o->seek ? (ssize_t)lseek(o->fd, 0, SEEK_END) : read(o->fd, &r, sizeof(r));
	o->err = errno;
	return NULL;
}

/*
 * A read() waiting for a record must not keep the file's other callers out:
 * lseek() returns at once, and an O_NONBLOCK read() says EAGAIN instead of
 * waiting behind it.
 */
static void test_urc_reader_waits_unlocked(void **state)
{
	struct urc_op rd = { 0 }, sk = { .seek = true }, nb = { 0 };
	pthread_t trd, tsk, tnb;
	bool sk_done, nb_done, rd_done;
	struct vm_pty p;
	int ufd;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	rd.fd = sk.fd = nb.fd = ufd;
	assert_int_equal(pthread_create(&trd, NULL, urc_op, &rd), 0);
	usleep(200000); /* the reader is asleep in read() */
	assert_int_equal(pthread_create(&tsk, NULL, urc_op, &sk), 0);
	sk_done = joined_within(tsk, 2000);
	assert_int_equal(fcntl(ufd, F_SETFL, fcntl(ufd, F_GETFL) | O_NONBLOCK), 0);
	assert_int_equal(pthread_create(&tnb, NULL, urc_op, &nb), 0);
	nb_done = joined_within(tnb, 2000);
	/*
	 * a record ends every wait, whatever the module did above (not RDY:
	 * test-qlink-cli counts the RDYs in the ring's history)
	 */
	assert_int_equal(vm_write_str(p.master, "+QIND: \"access\",0\r\n"), 0);
	rd_done = joined_within(trd, 5000);
	/* late returns (the old module) are joined, and still failures */
	if (!sk_done)
		joined_within(tsk, 5000);
	if (!nb_done)
		joined_within(tnb, 5000);
	print_message("lseek while a read() waits: %s; O_NONBLOCK read: %s (%zd, %s)\n",
		      sk_done ? "returned" : "blocked 2 s", nb_done ? "returned" : "blocked 2 s",
		      nb.ret, strerror(nb.err));
	assert_true(sk_done);
	assert_int_equal(sk.ret, 0);
	assert_true(nb_done);
	assert_int_equal(nb.ret, -1);
	assert_int_equal(nb.err, EAGAIN);
	assert_true(rd_done);
	assert_int_equal(rd.ret, sizeof(struct qlink_urc_record));
	close(ufd);
	vm_pty_close(&p);
}

/* ---------------------------------------------- bug 5: a pty master */

/* How often the kernel log mentions s (the ring as it is now). */
static int klog_count(const char *s)
{
	int size = klogctl(10, NULL, 0), n, count = 0; /* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf, *at;

	assert_true(size > 0);
	buf = calloc(1, (size_t)size + 1);
	assert_non_null(buf);
	n = klogctl(3, buf, size); /* SYSLOG_ACTION_READ_ALL */
	assert_true(n >= 0);
	for (at = buf; (at = strstr(at, s)); at++)
		count++;
	free(buf);
	return count;
}

static void test_attach_pty_master_refused(void **state)
{
	int warns = klog_count("WARNING:");
	struct vm_pty p;
	int ret, err;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	ret = vm_setd(p.master, LDISC);
	err = errno;
	if (ret == 0)
		vm_setd(p.master, N_TTY);
	print_message("TIOCSETD on a pty master: %d (%s); kernel warnings %d -> %d\n", ret,
		      ret ? strerror(err) : "attached", warns, klog_count("WARNING:"));
	assert_int_equal(klog_count("WARNING:"), warns);
	assert_int_equal(ret, -1);
	assert_int_equal(err, ENOTTY);
	assert_int_equal(vm_getd(p.master), N_TTY);
	/* the slave, the host's end, is taken as before */
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	vm_pty_close(&p);
}

/* ------------------------------------- bug 8: who may read the URCs */

static void test_urc_device_mode(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(stat(QLINK_URC_DEVICE, &st), 0);
	print_message("%s: mode %03o\n", QLINK_URC_DEVICE, st.st_mode & 07777);
	assert_int_equal(st.st_mode & 07777, 0440);
}

/*
 * In a child that became nobody: what an unprivileged user gets. Exit
 * status 0, or the number of the first check that failed.
 */
static int as_nobody(void)
{
	struct qlink_urc_reader *r;
	struct qlink_ldisc_stats s;
	int fd;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return 1;
	fd = open(QLINK_URC_DEVICE, O_RDONLY | O_NONBLOCK);
	if (fd >= 0)
		return 2;
	if (errno != EACCES)
		return 3;
	r = qlink_urc_reader_new();
	if (!r)
		return 4;
	if (qlink_urc_reader_open(r, QLINK_URC_SOURCE_DEVICE, QLINK_URC_READER_NONBLOCK) == 0)
		return 5;
	if (errno != EACCES || !strstr(qlink_urc_reader_get_error(r), "group"))
		return 6;
	printf("nobody, device: %s\n", qlink_urc_reader_get_error(r));
	if (qlink_urc_reader_open(r, QLINK_URC_SOURCE_NETLINK, QLINK_URC_READER_NONBLOCK) == 0)
		return 7;
	if (errno != EPERM || !strstr(qlink_urc_reader_get_error(r), "CAP_NET_ADMIN"))
		return 8;
	printf("nobody, netlink: %s\n", qlink_urc_reader_get_error(r));
	qlink_urc_reader_free(r);
	if (qlink_ldisc_query_stats(NULL, &s) == 0)
		return 9;
	if (errno != EPERM)
		return 10;
	return 0;
}

static void test_urcs_need_privilege(void **state)
{
	struct qlink_urc_reader *r;
	struct qlink_ldisc_stats s;
	int status;
	pid_t pid;

	(void)state;
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(as_nobody());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status))
		print_message("as nobody: check %d failed\n", WEXITSTATUS(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* root may do all three */
	r = qlink_urc_reader_new();
	assert_non_null(r);
	assert_int_equal(qlink_urc_reader_open(r, QLINK_URC_SOURCE_DEVICE, 0), 0);
	assert_int_equal(qlink_urc_reader_open(r, QLINK_URC_SOURCE_NETLINK, 0), 0);
	qlink_urc_reader_free(r);
	assert_int_equal(qlink_ldisc_query_stats(NULL, &s), 0);
}

/* ------------------------------------------------- risk: CRTSCTS */

/* Detaching gives back a CRTSCTS that qlink turned on, and only that. */
static void test_crtscts_restored_on_detach(void **state)
{
	struct vm_pty p;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	set_crtscts(p.slave, false);
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	assert_true(crtscts_of(p.slave));
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	assert_false(crtscts_of(p.slave));

	/* on already: qlink changed nothing, so nothing changes back */
	set_crtscts(p.slave, true);
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	assert_true(crtscts_of(p.slave));

	/* cleared by someone and set again by qlink: qlink's doing, undone */
	set_crtscts(p.slave, false);
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	set_crtscts(p.slave, false);
	assert_true(crtscts_of(p.slave));
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	assert_false(crtscts_of(p.slave));
	vm_pty_close(&p);
}

/* The last close of a UART: the termios the driver keeps has no CRTSCTS qlink set. */
static void test_crtscts_restored_on_last_close(void **state)
{
	struct termios t;
	int fd;

	(void)state;
	fd = open(vm_uart(), O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
	assert_int_equal(vm_setd(fd, LDISC), 0);
	assert_true(crtscts_of(fd));
	assert_int_equal(close(fd), 0);
	fd = open(vm_uart(), O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(vm_getd(fd), N_TTY);
	assert_false(crtscts_of(fd));
	close(fd);
}

/* the kernel's struct termios (asm/termbits.h), which TIOCSLCKTRMIOS takes */
struct kernel_termios {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[19];
};

static void lock_crtscts(int fd, bool lock)
{
	struct kernel_termios k;

	memset(&k, 0, sizeof(k));
	k.c_cflag = lock ? CRTSCTS : 0;
	assert_int_equal(ioctl(fd, TIOCSLCKTRMIOS, &k), 0);
}

/*
 * A CRTSCTS locked by TIOCSLCKTRMIOS is left as the lock says. The same path
 * serves a driver that drops the bit (none in this VM: the 8250 and the pty
 * keep it): once CRTSCTS did not hold, qlink does not force it again.
 */
static void test_crtscts_lock_respected(void **state)
{
	struct vm_pty p;
	struct termios t;
	struct qlink_stats st;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	set_crtscts(p.slave, false);
	lock_crtscts(p.slave, true);
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	assert_false(crtscts_of(p.slave));
	/* any later change: qlink does not force it past the lock */
	assert_int_equal(tcgetattr(p.slave, &t), 0);
	cfsetspeed(&t, B9600);
	assert_int_equal(tcsetattr(p.slave, TCSANOW, &t), 0);
	st = stats_of(p.slave);
	print_message("CRTSCTS locked off: after a change %s, %llu re-assertions\n",
		      crtscts_of(p.slave) ? "on" : "off", (unsigned long long)st.crtscts_reasserts);
	assert_false(crtscts_of(p.slave));
	assert_int_equal(st.crtscts_reasserts, 0);
	assert_false(st.flags & QLINK_STAT_CRTSCTS);
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	lock_crtscts(p.slave, false);
	vm_pty_close(&p);
}

/* --------------------------------------------- risk: how it loads */

/* No tty-ldisc-29 alias: a TIOCSETD of any user must not load the module. */
static void test_no_autoload_alias(void **state)
{
	const char *ko = getenv("QLINK_KO");
	static char buf[4 << 20];
	size_t n, i;
	FILE *f;

	(void)state;
	assert_non_null(ko);
	f = fopen(ko, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 0 && n < sizeof(buf));
	for (i = 0; i + 16 < n; i++)
		if (!memcmp(buf + i, "alias=tty-ldisc-", 16))
			fail_msg("%s has %s", ko, buf + i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urc_reader_waits_unlocked),
		cmocka_unit_test(test_attach_pty_master_refused),
		cmocka_unit_test(test_urc_device_mode),
		cmocka_unit_test(test_urcs_need_privilege),
		cmocka_unit_test(test_crtscts_restored_on_detach),
		cmocka_unit_test(test_crtscts_restored_on_last_close),
		cmocka_unit_test(test_crtscts_lock_respected),
		cmocka_unit_test(test_no_autoload_alias),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("kmod-access", tests, NULL, NULL);
}
