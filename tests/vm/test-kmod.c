// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink.ko in a real kernel: runs inside the VM (tests/vm/run) as root with
 * the module loaded. A pty pair stands for the modem; ttyS1 is qemu's
 * emulated 16550, where CRTSCTS means something.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <cmocka.h>

#include <qlink/ldisc.h>
#include <qlink/urc-reader.h>

#include "vm.h"
#include "vm-assert.h"

#define LDISC QLINK_LDISC_DEFAULT
#ifndef TIOCM_LOOP
#define TIOCM_LOOP 0x8000 /* asm-generic/termios.h: the UART's loopback */
#endif
#define MB (1024 * 1024)

static struct qlink_stats stats_of(int fd)
{
	struct qlink_stats st;

	memset(&st, 0xff, sizeof(st));
	assert_int_equal(ioctl(fd, QLINK_IOC_GET_STATS, &st), 0);
	return st;
}

/* ---------------------------------------------------------- attach */

static void test_attach_detach_pty(void **state)
{
	struct vm_pty p;
	struct termios t;
	struct qlink_stats st;

	(void)state;
	vm_pty_attached(&p);
	assert_int_equal(vm_getd(p.slave), LDISC);
	assert_int_equal(tcgetattr(p.slave, &t), 0);
	assert_true(t.c_cflag & CRTSCTS);
	st = stats_of(p.slave);
	assert_true(st.flags & QLINK_STAT_CRTSCTS);
	assert_false(st.flags & QLINK_STAT_FLOW_NONE);
	assert_int_equal(st.rx_bytes + st.tx_bytes + st.urcs + st.crtscts_reasserts, 0);
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	assert_int_equal(vm_getd(p.slave), N_TTY);
	assert_int_not_equal(ioctl(p.slave, QLINK_IOC_GET_STATS, &st), 0);
	/* and again, on the same tty */
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	vm_pty_close(&p);
}

static void test_attach_needs_cap_net_admin(void **state)
{
	struct vm_pty p;
	pid_t pid;
	int status;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		if (syscall(SYS_capget, &h, d))
			_exit(10);
		d[CAP_NET_ADMIN / 32].effective &= ~(1U << (CAP_NET_ADMIN % 32));
		if (syscall(SYS_capset, &h, d))
			_exit(11);
		if (vm_setd(p.slave, LDISC) == 0)
			_exit(12);
		_exit(errno == EPERM ? 0 : 13);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(vm_getd(p.slave), N_TTY);
	vm_pty_close(&p);
}

static void test_crtscts_reasserted(void **state)
{
	struct vm_pty p;
	struct termios t;

	(void)state;
	vm_pty_attached(&p);
	assert_int_equal(tcgetattr(p.slave, &t), 0);
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(p.slave, TCSANOW, &t), 0);
	assert_int_equal(tcgetattr(p.slave, &t), 0);
	assert_true(t.c_cflag & CRTSCTS);
	assert_int_equal(stats_of(p.slave).crtscts_reasserts, 1);
	/* a change that keeps CRTSCTS is not counted */
	cfsetspeed(&t, B9600);
	assert_int_equal(tcsetattr(p.slave, TCSANOW, &t), 0);
	assert_int_equal(stats_of(p.slave).crtscts_reasserts, 1);
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(p.slave, TCSADRAIN, &t), 0);
	assert_int_equal(stats_of(p.slave).crtscts_reasserts, 2);
	vm_pty_close(&p);
}

static int set_param(const char *name, const char *val)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/module/qlink/parameters/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

static void test_flow_none(void **state)
{
	struct vm_pty p;
	struct termios t;
	struct qlink_stats st;

	(void)state;
	assert_int_equal(vm_pty_open(&p), 0);
	assert_int_equal(set_param("flow", "bogus"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(set_param("flow", "none"), 0);
	assert_int_equal(tcgetattr(p.slave, &t), 0);
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(p.slave, TCSANOW, &t), 0);
	assert_int_equal(vm_setd(p.slave, LDISC), 0);
	assert_int_equal(set_param("flow", "rtscts"), 0);
	assert_int_equal(tcgetattr(p.slave, &t), 0);
	assert_false(t.c_cflag & CRTSCTS);
	assert_int_equal(tcsetattr(p.slave, TCSANOW, &t), 0);
	st = stats_of(p.slave);
	assert_true(st.flags & QLINK_STAT_FLOW_NONE);
	assert_false(st.flags & QLINK_STAT_CRTSCTS);
	assert_int_equal(st.crtscts_reasserts, 0);
	vm_pty_close(&p);
}

static void test_uart(void **state)
{
	const char *lines = "RDY\r\n+QIND: \"FOTA\",\"END\",0\r\n";
	char buf[64];
	struct termios t;
	int fd, ufd, bits = TIOCM_LOOP;

	(void)state;
	fd = open(vm_uart(), O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_SETFL, 0), 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
	assert_int_equal(vm_setd(fd, LDISC), 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	assert_true(t.c_cflag & CRTSCTS);
	assert_true(stats_of(fd).flags & QLINK_STAT_CRTSCTS);
	/* the 8250 driver applies termios for real: clear and get it back */
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	assert_true(t.c_cflag & CRTSCTS);
	assert_int_equal(stats_of(fd).crtscts_reasserts, 1);

	/* the UART's own loopback: what we send comes back through the ldisc */
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	assert_int_equal(ioctl(fd, TIOCMBIS, &bits), 0);
	/* in pieces no longer than a FIFO, each read back before the next:
	 * qemu's PL011 loops back at once, unpaced, and drops what its 16-byte
	 * receive FIFO cannot hold (the 16550 paces the loop) */
	for (size_t at = 0, n; at < strlen(lines); at += n) {
		n = strlen(lines) - at < 8 ? strlen(lines) - at : 8;
		assert_int_equal(vm_write_all(fd, lines + at, n), 0);
		assert_int_equal(vm_read_exact(fd, buf + at, n, 5000), n);
	}
	assert_memory_equal(buf, lines, strlen(lines));
	vm_expect_record(ufd, vm_uart_name(), "RDY", 0);
	vm_expect_record(ufd, vm_uart_name(), "+QIND: \"FOTA\",\"END\",0", 0);
	assert_int_equal(stats_of(fd).rx_bytes, strlen(lines));
	assert_int_equal(stats_of(fd).tx_bytes, strlen(lines));
	assert_int_equal(ioctl(fd, TIOCMBIC, &bits), 0);
	assert_int_equal(vm_setd(fd, N_TTY), 0);
	close(ufd);
	close(fd);
}

/* ----------------------------------------------------- pass-through */

struct pump {
	int fd;
	size_t len;
	uint64_t seed;
	int ret;
};

static void *pump_writer(void *arg)
{
	struct pump *w = arg;
	unsigned char *buf = malloc(65536);
	uint64_t s = w->seed;
	size_t left = w->len;

	w->ret = buf ? 0 : -1;
	while (buf && left && !w->ret) {
		size_t n = left < 65536 ? left : 65536;

		vm_fill(&s, buf, n);
		w->ret = vm_write_all(w->fd, buf, n);
		left -= n;
	}
	free(buf);
	return NULL;
}

/* Read len bytes and compare them with the stream of seed; returns the
 * number of bytes that arrived in order, unchanged. */
static size_t pump_check(int fd, size_t len, uint64_t seed)
{
	unsigned char *got = malloc(65536), *want = malloc(65536);
	uint64_t s = seed;
	size_t done = 0;

	assert_non_null(got);
	assert_non_null(want);
	while (done < len) {
		size_t chunk = len - done < 65536 ? len - done : 65536;

		if (vm_read_exact(fd, got, chunk, 10000) != chunk)
			break;
		vm_fill(&s, want, chunk);
		if (memcmp(got, want, chunk))
			break;
		done += chunk;
	}
	free(got);
	free(want);
	return done;
}

static void passthrough(bool to_owner)
{
	struct vm_pty p;
	struct pump w = { .len = 10 * MB, .seed = to_owner ? 0x1234567 : 0x7654321 };
	pthread_t th;
	struct qlink_stats st;

	vm_pty_attached(&p);
	w.fd = to_owner ? p.master : p.slave;
	assert_int_equal(pthread_create(&th, NULL, pump_writer, &w), 0);
	assert_int_equal(pump_check(to_owner ? p.slave : p.master, w.len, w.seed), w.len);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(w.ret, 0);
	st = stats_of(p.slave);
	assert_int_equal(to_owner ? st.rx_bytes : st.tx_bytes, w.len);
	vm_pty_close(&p);
}

static void test_passthrough_10mb_from_modem(void **state)
{
	(void)state;
	passthrough(true);
}

static void test_passthrough_10mb_to_modem(void **state)
{
	(void)state;
	passthrough(false);
}

/* ------------------------------------------------------------ URCs */

static void test_urc_split_across_receives(void **state)
{
	const char *line = "+QIND: \"FOTA\",\"UPDATING\",42\r\n";
	struct qlink_urc_record r;
	struct vm_pty p;
	uint64_t before;
	size_t i;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	before = vm_now_ns();
	/* one byte per receive_buf2(): the owner reads each before the next is sent */
	for (i = 0; line[i]; i++) {
		char c;

		assert_int_equal(write(p.master, &line[i], 1), 1);
		assert_int_equal(vm_read_exact(p.slave, &c, 1, 5000), 1);
		assert_int_equal(c, line[i]);
		if (line[i] != '\r' && line[i] != '\n')
			assert_int_equal(vm_wait(ufd, POLLIN, 0), 0);
	}
	assert_int_equal(vm_urc_next(ufd, &r, 5000), sizeof(r));
	assert_string_equal(r.text, "+QIND: \"FOTA\",\"UPDATING\",42");
	assert_string_equal(r.tty, p.name);
	assert_true(r.timestamp_ns >= before && r.timestamp_ns <= vm_now_ns());
	assert_int_equal(r.reserved0, 0);

	/* what is and is not a URC; LF-only and CR-only line ends */
	vm_modem_says(&p, "OK\r\n+CSQ: 20,99\r\nRDYX\r\n\r\nRDY\n+CPIN: READY\r"
			  "POWERED DOWN\r\n+QFTPGET: 0,1000\r\n");
	vm_expect_record(ufd, p.name, "RDY", 0);
	vm_expect_record(ufd, p.name, "+CPIN: READY", 0);
	vm_expect_record(ufd, p.name, "POWERED DOWN", 0);
	vm_expect_record(ufd, p.name, "+QFTPGET: 0,1000", 0);
	vm_expect_no_record(ufd);

	/* a long line is cut, flagged, and the next line is whole again */
	{
		char longline[600];

		memset(longline, 'x', sizeof(longline));
		memcpy(longline, "+QIND: ", 7);
		memcpy(longline + 590, "\r\nRDY\r\n", 8);
		vm_modem_says(&p, longline);
		assert_int_equal(vm_urc_next(ufd, &r, 5000), sizeof(r));
		assert_int_equal(r.len, QLINK_TEXT_MAX - 1);
		assert_int_equal(r.flags, QLINK_REC_TRUNCATED);
		assert_int_equal(r.text[QLINK_TEXT_MAX - 1], '\0');
		vm_expect_record(ufd, p.name, "RDY", 0);
	}
	assert_int_equal(stats_of(p.slave).urcs, 7);
	close(ufd);
	vm_pty_close(&p);
}

static void set_mode(int fd, uint32_t mode)
{
	struct qlink_mode m = { .mode = mode };

	assert_int_equal(ioctl(fd, QLINK_IOC_SET_MODE, &m), 0);
}

static void test_data_mode(void **state)
{
	struct qlink_mode m = { 0 };
	struct vm_pty p;
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	/* CONNECT counts only as the answer of a command that can give it */
	vm_owner_sends(&p, "AT+QFTPGET=\"f.bin\",\"COM:\"\r");
	vm_modem_says(&p, "CONNECT\r\n+QIND: \"FOTA\",\"END\",0\r\nRDY\r\nNO CARRIER\r\n");
	vm_expect_no_record(ufd);
	assert_int_equal(ioctl(p.slave, QLINK_IOC_GET_MODE, &m), 0);
	assert_int_equal(m.mode, QLINK_MODE_DATA);
	assert_int_equal(stats_of(p.slave).data_mode_entries, 1);
	assert_true(stats_of(p.slave).flags & QLINK_STAT_DATA_MODE);

	/* the owner says command mode; a partial payload line is not a URC */
	vm_modem_says(&p, "+QIND: payload");
	set_mode(p.slave, QLINK_MODE_COMMAND);
	vm_modem_says(&p, "\r\nRDY\r\n");
	vm_expect_record(ufd, p.name, "RDY", 0);
	vm_expect_no_record(ufd);

	/* data mode by ioctl (FTP COM: after the owner saw CONNECT itself) */
	set_mode(p.slave, QLINK_MODE_DATA);
	assert_int_equal(stats_of(p.slave).data_mode_entries, 2);
	vm_modem_says(&p, "RDY\r\n");
	vm_expect_no_record(ufd);
	set_mode(p.slave, QLINK_MODE_COMMAND);
	vm_owner_sends(&p, "ATD*99#\r");
	vm_modem_says(&p, "CONNECT 150000\r\nRDY\r\n");
	vm_expect_no_record(ufd);
	assert_int_equal(stats_of(p.slave).data_mode_entries, 3);
	set_mode(p.slave, QLINK_MODE_COMMAND);

	/* bad arguments */
	m.mode = 2;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_MODE, &m), -1);
	assert_int_equal(errno, EINVAL);
	m.mode = QLINK_MODE_COMMAND;
	m.reserved = 1;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_MODE, &m), -1);
	assert_int_equal(errno, EINVAL);
	close(ufd);
	vm_pty_close(&p);
}

static void test_urc_set(void **state)
{
	static const char *const mine[] = { "+FOO:", "BAR" };
	struct qlink_urc_set s = { 0 };
	struct qlink_ldisc *l;
	struct vm_pty p;
	char buf[8200];
	int ufd;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	l = qlink_ldisc_attach(p.slave, 0, QLINK_LDISC_REQUIRE);
	assert_non_null(l);
	assert_true(qlink_ldisc_get_active(l));
	assert_int_equal(qlink_ldisc_set_urcs(l, mine, 2), 0);
	vm_modem_says(&p, "+FOO: 1\r\nBAR\r\nBARX\r\nRDY\r\n+FOOD\r\n");
	vm_expect_record(ufd, p.name, "+FOO: 1", 0);
	vm_expect_record(ufd, p.name, "BAR", 0);
	vm_expect_no_record(ufd);

	/* malformed sets are refused and leave the set alone */
	memcpy(buf, "+A:\0B\0", 6);
	s.ptr = (uintptr_t)buf;
	s.count = 3;
	s.size = 6;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_URCS, &s), -1);
	assert_int_equal(errno, EINVAL);
	s.count = 2;
	s.reserved[1] = 1;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_URCS, &s), -1);
	assert_int_equal(errno, EINVAL);
	s.reserved[1] = 0;
	s.size = 5; /* the last string is not terminated inside size */
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_URCS, &s), -1);
	assert_int_equal(errno, EINVAL);
	memcpy(buf, "\0B\0", 3);
	s.size = 3;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_URCS, &s), -1);
	assert_int_equal(errno, EINVAL);
	memset(buf, 'a', sizeof(buf));
	buf[sizeof(buf) - 1] = '\0';
	s.count = 1;
	s.size = sizeof(buf);
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_URCS, &s), -1);
	assert_int_equal(errno, EINVAL);
	s.ptr = 16; /* unmapped */
	s.size = 4;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_URCS, &s), -1);
	assert_int_equal(errno, EFAULT);
	vm_modem_says(&p, "BAR\r\n");
	vm_expect_record(ufd, p.name, "BAR", 0);

	/* back to the built-in set */
	assert_int_equal(qlink_ldisc_set_urcs(l, NULL, 0), 0);
	vm_modem_says(&p, "BAR\r\nRDY\r\n");
	vm_expect_record(ufd, p.name, "RDY", 0);
	assert_int_equal(qlink_ldisc_close(l), 0);
	/* the handle found the ldisc in place: closing it leaves it there */
	assert_int_equal(vm_getd(p.slave), LDISC);
	close(ufd);
	vm_pty_close(&p);
}

/* --------------------------------------------------------- readers */

struct reader {
	int fd;
	int every; /* sleep 1 ms after this many records; 0: never */
	volatile bool stop;
	volatile uint64_t count;
	uint64_t last;
	int epipes;
	int out_of_order;
};

static void *fast_reader(void *arg)
{
	struct reader *r = arg;
	struct qlink_urc_record rec;
	bool first = true;

	while (!r->stop) {
		ssize_t n = vm_urc_next(r->fd, &rec, 100);

		if (n == -ETIMEDOUT)
			continue;
		if (n == -EPIPE) {
			r->epipes++;
			first = true;
			continue;
		}
		if (n != sizeof(rec))
			break;
		if (!first && rec.seq != r->last + 1)
			r->out_of_order++;
		first = false;
		r->last = rec.seq;
		r->count++;
		if (r->every && r->count % (uint64_t)r->every == 0)
			usleep(5000);
	}
	return NULL;
}

static void test_readers_overrun(void **state)
{
	const int total = 3000, ring = 1024;
	struct reader fast = { .every = 0 }, slow = { .every = 1 };
	struct qlink_urc_record rec;
	pthread_t tf, ts;
	struct vm_pty p;
	uint64_t last = 0;
	int lazy, i, n;

	(void)state;
	vm_pty_attached(&p);
	fast.fd = vm_urc_open(0);
	slow.fd = vm_urc_open(0);
	lazy = vm_urc_open(O_NONBLOCK);
	assert_true(fast.fd >= 0 && slow.fd >= 0 && lazy >= 0);
	assert_int_equal(pthread_create(&tf, NULL, fast_reader, &fast), 0);
	assert_int_equal(pthread_create(&ts, NULL, fast_reader, &slow), 0);
	/* bursts of 100, paced by the fast reader so it keeps up */
	for (i = 0; i < total; i += 100) {
		char burst[100 * 32];
		size_t len = 0;
		uint64_t t0 = vm_now_ns();

		for (n = 0; n < 100; n++)
			len += (size_t)sprintf(burst + len, "+QIND: %d\r\n", i + n);
		vm_modem_says(&p, burst);
		while (fast.count < (uint64_t)(i + 100) && vm_now_ns() - t0 < 10000000000ULL)
			usleep(1000);
	}
	while (fast.count < (uint64_t)total)
		usleep(1000);
	fast.stop = slow.stop = true;
	pthread_join(tf, NULL);
	pthread_join(ts, NULL);
	assert_int_equal(fast.count, total);
	assert_int_equal(fast.epipes, 0);
	assert_int_equal(fast.out_of_order, 0);
	/* the slow one lost some, was told each time, and never went backwards */
	assert_true(slow.epipes >= 1);
	assert_int_equal(slow.out_of_order, 0);

	/* the lazy one: -EPIPE once, then the oldest record kept, then on */
	assert_int_equal(read(lazy, &rec, sizeof(rec)), -1);
	assert_int_equal(errno, EPIPE);
	for (n = 0;; n++) {
		ssize_t r = read(lazy, &rec, sizeof(rec));

		if (r < 0) {
			assert_int_equal(errno, EAGAIN);
			break;
		}
		assert_int_equal(r, sizeof(rec));
		if (n)
			assert_int_equal(rec.seq, last + 1);
		else
			assert_int_equal(rec.seq, fast.last - (ring - 1));
		last = rec.seq;
	}
	assert_int_equal(n, ring);
	assert_int_equal(last, fast.last);
	assert_string_equal(rec.text, "+QIND: 2999");
	/* a new reader starts at the oldest record kept */
	{
		int fresh = open(QLINK_URC_DEVICE, O_RDONLY | O_NONBLOCK);

		assert_true(fresh >= 0);
		assert_int_equal(read(fresh, &rec, sizeof(rec)), sizeof(rec));
		assert_int_equal(rec.seq, fast.last - (ring - 1));
		close(fresh);
	}
	close(fast.fd);
	close(slow.fd);
	close(lazy);
	vm_pty_close(&p);
}

/* ------------------------------------------ libqlink's URC reader */

/*
 * The library's reader against the module: every record it gives, from
 * the device and from the multicast group, must equal what a plain read()
 * of /dev/qlink-urc gives (the wire format the tests above check against
 * the uapi header); the counters by name, what the tty's ioctl says.
 */
static struct qlink_urc_reader *reader_open(enum qlink_urc_source src)
{
	struct qlink_urc_reader *r = qlink_urc_reader_new();

	assert_non_null(r);
	if (qlink_urc_reader_open(r, src, QLINK_URC_READER_NONBLOCK) < 0)
		fail_msg("qlink_urc_reader_open(%d): %s", src, qlink_urc_reader_get_error(r));
	assert_true(qlink_urc_reader_get_fd(r) >= 0);
	return r;
}

static void reader_next(struct qlink_urc_reader *r, struct qlink_urc_record *rec)
{
	memset(rec, 0xa5, sizeof(*rec));
	assert_true(vm_wait(qlink_urc_reader_get_fd(r), POLLIN, 5000) > 0);
	if (qlink_urc_reader_read(r, rec) < 0)
		fail_msg("qlink_urc_reader_read: %s", qlink_urc_reader_get_error(r));
}

static void assert_same_record(const struct qlink_urc_record *a, const struct qlink_urc_record *b)
{
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->timestamp_ns, b->timestamp_ns);
	assert_int_equal(a->flags, b->flags);
	assert_string_equal(a->tty, b->tty);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->text, b->text, a->len + 1);
	assert_int_equal(a->reserved0, 0);
	assert_int_equal(b->reserved0, 0);
}

static void test_reader_matches_chardev(void **state)
{
	struct qlink_urc_reader *nl, *dev;
	struct qlink_ldisc_stats s;
	struct qlink_urc_record rec;
	struct qlink_stats st;
	struct vm_pty p;
	int ufd, i;

	(void)state;
	nl = reader_open(QLINK_URC_SOURCE_NETLINK);
	dev = reader_open(QLINK_URC_SOURCE_DEVICE);
	/* the device reader starts at the oldest record kept: skip to now */
	assert_true(lseek(qlink_urc_reader_get_fd(dev), 0, SEEK_END) >= 0);
	assert_int_equal(qlink_urc_reader_read(dev, &rec), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(qlink_urc_reader_read(nl, &rec), -1);
	assert_int_equal(errno, EAGAIN);
	vm_pty_attached(&p);
	ufd = vm_urc_open(0);
	assert_true(ufd >= 0);
	for (i = 0; i < 20; i++) {
		char line[64];

		snprintf(line, sizeof(line), "+QIND: \"FOTA\",\"UPDATING\",%d\r\nOK\r\n", i * 5);
		vm_modem_says(&p, line);
	}
	for (i = 0; i < 20; i++) {
		struct qlink_urc_record r, a, b;
		char want[32];

		assert_int_equal(vm_urc_next(ufd, &r, 5000), sizeof(r));
		snprintf(want, sizeof(want), "+QIND: \"FOTA\",\"UPDATING\",%d", i * 5);
		assert_string_equal(r.text, want);
		reader_next(nl, &a);
		assert_same_record(&a, &r);
		reader_next(dev, &b);
		assert_same_record(&b, &r);
	}

	/* the counters: one tty, as the ioctl says; and the totals */
	st = stats_of(p.slave);
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(qlink_ldisc_query_stats(p.name, &s), 0);
	assert_int_equal(s.rx_bytes, st.rx_bytes);
	assert_int_equal(s.tx_bytes, st.tx_bytes);
	assert_int_equal(s.urcs, 20);
	assert_int_equal(s.flags, st.flags);
	assert_int_equal(s.attached, 0);
	assert_int_equal(qlink_ldisc_query_stats(NULL, &s), 0);
	assert_int_equal(s.attached, 1);
	assert_true(s.urcs >= 20);
	assert_true(s.rx_bytes >= st.rx_bytes);
	assert_true(s.dropped > 0); /* the overrun test's readers */
	assert_int_equal(qlink_ldisc_query_stats("ttyNOPE", &s), -1);
	assert_int_equal(errno, ENODEV);
	close(ufd);
	vm_pty_close(&p);
	qlink_urc_reader_free(nl);
	qlink_urc_reader_free(dev);
}

/* ------------------------------------------------ O_NONBLOCK, poll */

static void test_nonblock_and_poll(void **state)
{
	struct qlink_urc_record r;
	struct vm_pty p;
	char buf[4096];
	size_t sent = 0;
	int ufd, fl;

	(void)state;
	vm_pty_attached(&p);
	ufd = vm_urc_open(O_NONBLOCK);
	assert_true(ufd >= 0);
	assert_int_equal(read(ufd, &r, sizeof(r)), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(vm_wait(ufd, POLLIN, 0), 0);
	assert_int_equal(read(ufd, &r, sizeof(r) - 1), -1);
	assert_int_equal(errno, EINVAL);

	/* the tty side */
	fl = fcntl(p.slave, F_GETFL);
	assert_int_equal(fcntl(p.slave, F_SETFL, fl | O_NONBLOCK), 0);
	assert_int_equal(read(p.slave, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(vm_wait(p.slave, POLLIN | POLLOUT, 0), POLLOUT);
	assert_int_equal(vm_write_str(p.master, "RDY\r\n"), 0);
	assert_int_equal(vm_wait(p.slave, POLLIN, 5000), POLLIN);
	assert_int_equal(vm_wait(ufd, POLLIN, 5000), POLLIN);
	assert_int_equal(read(ufd, &r, sizeof(r)), sizeof(r));
	assert_string_equal(r.text, "RDY");
	assert_int_equal(read(p.slave, buf, sizeof(buf)), 5);
	{
		int avail = -1;

		assert_int_equal(vm_write_str(p.master, "abc"), 0);
		assert_int_equal(vm_wait(p.slave, POLLIN, 5000), POLLIN);
		assert_int_equal(ioctl(p.slave, FIONREAD, &avail), 0);
		assert_int_equal(avail, 3);
		assert_int_equal(read(p.slave, buf, sizeof(buf)), 3);
	}

	/* nobody reads the modem side: writes stop with EAGAIN, not a loss */
	memset(buf, 'x', sizeof(buf));
	for (;;) {
		ssize_t n = write(p.slave, buf, sizeof(buf));

		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			break;
		}
		sent += (size_t)n;
		assert_true(sent < 16 * MB);
	}
	assert_int_equal(vm_wait(p.slave, POLLOUT, 0), 0);
	assert_int_equal(stats_of(p.slave).tx_bytes, sent);
	close(ufd);
	vm_pty_close(&p);
}

/* ------------------------------------------- hangup, close, blocking */

struct blocked {
	int fd;
	bool write;
	ssize_t ret;
	int err;
};

static void *blocked_io(void *arg)
{
	struct blocked *b = arg;
	static char buf[1 * MB];

	b->ret = b->write ? write(b->fd, buf, sizeof(buf)) : read(b->fd, buf, sizeof(buf));
	b->err = errno;
	return NULL;
}

static void join_within(pthread_t th, int seconds)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += seconds;
	assert_int_equal(pthread_timedjoin_np(th, NULL, &ts), 0);
}

static void test_hangup_and_close_while_blocked(void **state)
{
	struct blocked rd = { 0 }, wr = { .write = true }, urc = { 0 };
	pthread_t tr, tw, tu;
	struct qlink_urc_record r;
	struct vm_pty p, q;

	(void)state;
	/* a reader blocked in read() when the tty is hung up */
	vm_pty_attached(&p);
	rd.fd = p.slave;
	assert_int_equal(pthread_create(&tr, NULL, blocked_io, &rd), 0);
	usleep(200000);
	assert_int_equal(ioctl(p.slave, TIOCVHANGUP), 0);
	join_within(tr, 5);
	assert_true(rd.ret <= 0);
	vm_pty_close(&p);

	/* a writer blocked on a full pty when the modem side closes */
	vm_pty_attached(&p);
	wr.fd = p.slave;
	assert_int_equal(pthread_create(&tw, NULL, blocked_io, &wr), 0);
	usleep(300000);
	assert_int_equal(close(p.master), 0);
	p.master = -1;
	join_within(tw, 5);
	assert_true(wr.ret < (ssize_t)MB);
	/* a reader there now gets EOF or EIO at once, never blocks */
	rd.fd = p.slave;
	assert_int_equal(pthread_create(&tr, NULL, blocked_io, &rd), 0);
	join_within(tr, 5);
	assert_true(rd.ret <= 0);
	vm_pty_close(&p);

	/* a URC reader blocked while its tty goes away keeps working */
	vm_pty_attached(&p);
	urc.fd = vm_urc_open(0);
	assert_true(urc.fd >= 0);
	assert_int_equal(pthread_create(&tu, NULL, blocked_io, &urc), 0);
	usleep(200000);
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	vm_pty_close(&p);
	vm_pty_attached(&q);
	assert_int_equal(vm_write_str(q.master, "RDY\r\n"), 0);
	join_within(tu, 5);
	assert_int_equal(urc.ret, sizeof(r));
	close(urc.fd);
	vm_pty_close(&q);
}

static void test_uart_cts_low(void **state)
{
	struct blocked wr = { .write = true };
	struct termios t;
	pthread_t tw;
	int fd, bits, loop = TIOCM_LOOP, rts = TIOCM_RTS;
	uint64_t t0;

	(void)state;
	fd = open(vm_uart(), O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_SETFL, 0), 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	cfmakeraw(&t);
	cfsetspeed(&t, B9600);
	t.c_cflag |= CLOCAL | CREAD;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
	assert_int_equal(vm_setd(fd, LDISC), 0);
	/* in loopback, CTS follows our RTS: drop it and the UART may not send */
	assert_int_equal(ioctl(fd, TIOCMBIS, &loop), 0);
	assert_int_equal(ioctl(fd, TIOCMBIC, &rts), 0);
	assert_int_equal(ioctl(fd, TIOCMGET, &bits), 0);
	if (bits & TIOCM_CTS) {
		ioctl(fd, TIOCMBIC, &loop);
		close(fd);
		skip();
	}
	wr.fd = fd;
	assert_int_equal(pthread_create(&tw, NULL, blocked_io, &wr), 0);
	usleep(500000);
	if (pthread_tryjoin_np(tw, NULL) == 0) {
		/* the UART sent it all regardless: nothing is held back here */
		ioctl(fd, TIOCMBIC, &loop);
		close(fd);
		skip();
	}
	t0 = vm_now_ns();
	assert_int_equal(ioctl(fd, TIOCVHANGUP), 0);
	join_within(tw, 5);
	assert_true(wr.ret < (ssize_t)MB);
	assert_int_equal(close(fd), 0);
	/* hangup and close together well under the 30 s closing_wait */
	assert_true(vm_now_ns() - t0 < 5000000000ULL);
	fd = open(vm_uart(), O_RDWR | O_NOCTTY | O_NONBLOCK);
	assert_true(fd >= 0);
	ioctl(fd, TIOCMBIC, &loop);
	close(fd);
}

/* ---------------------------------------------------------- garbage */

struct drain {
	int fd;
	volatile bool stop;
	uint64_t bytes;
};

static void *drainer(void *arg)
{
	struct drain *d = arg;
	static char buf[65536];

	for (;;) {
		ssize_t n;

		if (vm_wait(d->fd, POLLIN, 100) <= 0) {
			if (d->stop)
				break;
			continue;
		}
		n = read(d->fd, buf, sizeof(buf));
		if (n < 0 && errno == EPIPE)
			continue; /* a URC reader that fell behind */
		if (n <= 0)
			break;
		d->bytes += (uint64_t)n;
	}
	return NULL;
}

static void test_garbage_million_lines(void **state)
{
	static const char *const heads[] = { "+QIND: ", "RDY", "+QFTPGET: ", "CONNECT", "+C" };
	const int lines = 1000000;
	struct drain d = { 0 }, u = { 0 };
	pthread_t td, tu;
	struct vm_pty p;
	uint64_t s = 42, sent = 0;
	char *buf = malloc(1 << 20);
	size_t len = 0;
	int i;

	(void)state;
	assert_non_null(buf);
	vm_pty_attached(&p);
	d.fd = p.slave;
	u.fd = vm_urc_open(0);
	assert_true(u.fd >= 0);
	assert_int_equal(pthread_create(&td, NULL, drainer, &d), 0);
	assert_int_equal(pthread_create(&tu, NULL, drainer, &u), 0);
	for (i = 0; i < lines; i++) {
		uint64_t r = vm_rand(&s);
		size_t n = r % 48, k;

		if ((r >> 8) % 8 == 0) {
			const char *h = heads[(r >> 16) % 5];

			memcpy(buf + len, h, strlen(h));
			len += strlen(h);
		}
		for (k = 0; k < n; k++)
			buf[len++] = (char)(vm_rand(&s) >> 56);
		memcpy(buf + len, (r >> 24) % 2 ? "\r\n" : "\n", 2);
		len += (r >> 24) % 2 ? 2 : 1;
		if (len > (1 << 20) - 256 || i == lines - 1) {
			assert_int_equal(vm_write_all(p.master, buf, len), 0);
			sent += len;
			len = 0;
			set_mode(p.slave, QLINK_MODE_COMMAND); /* leave any CONNECT */
		}
	}
	while (d.bytes < sent) {
		uint64_t was = d.bytes;

		usleep(2000000);
		if (d.bytes == was)
			break;
	}
	d.stop = u.stop = true;
	pthread_join(td, NULL);
	pthread_join(tu, NULL);
	assert_int_equal(d.bytes, sent);
	assert_int_equal(stats_of(p.slave).rx_bytes, sent);
	assert_true(stats_of(p.slave).urcs > 1000);
	print_message("garbage: %d lines, %llu bytes, %llu URC records\n", lines,
		      (unsigned long long)sent, (unsigned long long)stats_of(p.slave).urcs);
	close(u.fd);
	vm_pty_close(&p);
	free(buf);
}

/* ------------------------------------------------------ leaks, rmmod */

static long mem_available_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void test_attach_cycles_leak_nothing(void **state)
{
	static const char *const set[] = { "+A:", "B" };
	long before = 0, after;
	int i;

	(void)state;
	for (i = 0; i < 1100; i++) {
		struct qlink_ldisc *l;
		struct vm_pty p;
		int ufd;

		if (i == 100)
			before = mem_available_kb(); /* after the caches warmed up */
		assert_int_equal(vm_pty_open(&p), 0);
		l = qlink_ldisc_attach(p.slave, 0, QLINK_LDISC_REQUIRE);
		assert_non_null(l);
		assert_int_equal(qlink_ldisc_set_urcs(l, set, 2), 0);
		ufd = vm_urc_open(0);
		assert_true(ufd >= 0);
		assert_int_equal(vm_write_str(p.master, "B\r\n"), 0);
		assert_int_equal(qlink_ldisc_close(l), 0);
		assert_int_equal(vm_getd(p.slave), N_TTY);
		close(ufd);
		vm_pty_close(&p);
	}
	after = mem_available_kb();
	print_message("1000 attach/detach cycles: MemAvailable %ld kB -> %ld kB\n", before, after);
	/* each cycle allocates over 64 KiB: a leak would show as 64 MB */
	assert_true(before - after < 8 * 1024);
}

static void test_rmmod(void **state)
{
	const char *ko = getenv("QLINK_KO");
	struct qlink_ldisc *l;
	struct vm_pty p;
	int ufd, kfd;

	(void)state;
	assert_non_null(ko);
	vm_pty_attached(&p);
	assert_int_equal(syscall(SYS_delete_module, "qlink", O_NONBLOCK), -1);
	assert_true(errno == EWOULDBLOCK || errno == EBUSY);
	assert_int_equal(vm_setd(p.slave, N_TTY), 0);
	ufd = open(QLINK_URC_DEVICE, O_RDONLY);
	assert_true(ufd >= 0);
	assert_int_equal(syscall(SYS_delete_module, "qlink", O_NONBLOCK), -1);
	close(ufd);
	assert_int_equal(syscall(SYS_delete_module, "qlink", O_NONBLOCK), 0);
	assert_int_equal(access(QLINK_URC_DEVICE, F_OK), -1);

	/* without the module: the library goes on, unless told not to */
	l = qlink_ldisc_attach(p.slave, 0, 0);
	assert_non_null(l);
	assert_false(qlink_ldisc_get_active(l));
	assert_int_equal(qlink_ldisc_set_data_mode(l, true), 0);
	assert_int_equal(qlink_ldisc_close(l), 0);
	assert_int_equal(vm_getd(p.slave), N_TTY);
	assert_null(qlink_ldisc_attach(p.slave, 0, QLINK_LDISC_REQUIRE));
	assert_int_equal(errno, EINVAL);

	kfd = open(ko, O_RDONLY);
	assert_true(kfd >= 0);
	assert_int_equal(syscall(SYS_finit_module, kfd, "", 0), 0);
	close(kfd);
	l = qlink_ldisc_attach(p.slave, 0, QLINK_LDISC_REQUIRE);
	assert_non_null(l);
	assert_int_equal(qlink_ldisc_set_data_mode(l, true), 0);
	assert_true(stats_of(p.slave).flags & QLINK_STAT_DATA_MODE);
	assert_int_equal(qlink_ldisc_close(l), 0);
	assert_int_equal(vm_getd(p.slave), N_TTY);
	vm_pty_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_detach_pty),
		cmocka_unit_test(test_attach_needs_cap_net_admin),
		cmocka_unit_test(test_crtscts_reasserted),
		cmocka_unit_test(test_flow_none),
		cmocka_unit_test(test_uart),
		cmocka_unit_test(test_passthrough_10mb_from_modem),
		cmocka_unit_test(test_passthrough_10mb_to_modem),
		cmocka_unit_test(test_urc_split_across_receives),
		cmocka_unit_test(test_data_mode),
		cmocka_unit_test(test_urc_set),
		cmocka_unit_test(test_readers_overrun),
		cmocka_unit_test(test_reader_matches_chardev),
		cmocka_unit_test(test_nonblock_and_poll),
		cmocka_unit_test(test_hangup_and_close_while_blocked),
		cmocka_unit_test(test_uart_cts_low),
		cmocka_unit_test(test_garbage_million_lines),
		cmocka_unit_test(test_attach_cycles_leak_nothing),
		cmocka_unit_test(test_rmmod),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("kmod", tests, NULL, NULL);
}
