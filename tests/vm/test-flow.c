// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink.ko's pass-through path under stress, inside the VM (tests/vm/run):
 * wake-ups on ptys, flow control on qemu's 16550 (ttyS1), what the last
 * close leaves on the UART, read() atomicity with two readers, TIOCOUTQ and
 * the publish-only mode. Each test is the regression test of one finding of
 * issue 13; each is bounded in time, so a hang is a failure, not a hung VM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "vm.h"
#include "vm-assert.h"

#define LDISC QLINK_LDISC_DEFAULT
#ifndef TIOCM_LOOP
#define TIOCM_LOOP 0x8000 /* asm-generic/termios.h: the UART's loopback */
#endif
#define TTYS1_BASE 0x2f8 /* qemu's second 16550: COM2 */
#define UART_MCR 4
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define KB 1024
#define MB (1024 * 1024)
#define RING (64 * KB) /* the module's default rx_buf_size */
#define SEC 1000000000ULL

/* ------------------------------------------------------------ helpers */

/* the loopback UART raw at 115200, CLOCAL, HUPCL kept (the default): blocking fd */
static int uart_open(void)
{
	struct termios t;
	int fd = open(vm_uart(), O_RDWR | O_NOCTTY | O_NONBLOCK);

	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_SETFL, 0), 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	t.c_cflag |= CLOCAL | CREAD | HUPCL;
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
	return fd;
}

/* the 16550's modem control register, read from the hardware (/dev/port) */
static int uart_mcr(void)
{
	unsigned char v;
	int fd = open("/dev/port", O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &v, 1, TTYS1_BASE + UART_MCR), 1);
	close(fd);
	return v;
}

static void join_within(pthread_t th, int seconds)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += seconds;
	assert_int_equal(pthread_timedjoin_np(th, NULL, &ts), 0);
}

/* The stream the readers check: byte at position i is i mod 251 (a prime,
 * so that a gap of whole 64-byte chunks shows). */
static void stream_fill(unsigned char *buf, size_t len, uint64_t pos)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)((pos + i) % 251);
}

/* ------------------------------------------- 1: lost wake-up on ptys */

static void on_alarm(int sig)
{
	(void)sig;
}

/* Unbound workqueues (the flip-buffer worker's) on these CPUs; returns the
 * old mask in old (if not NULL). */
static void wq_cpumask(const char *mask, char *old, size_t len)
{
	const char *path = "/sys/devices/virtual/workqueue/cpumask";
	int fd;

	if (old) {
		ssize_t n;

		fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		n = read(fd, old, len - 1);
		assert_true(n > 0);
		old[n] = 0;
		close(fd);
	}
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_true(write(fd, mask, strlen(mask)) > 0);
	close(fd);
}

/* This thread on CPU 0 only, SCHED_FIFO (or back to normal). */
static void pin_rt(bool on)
{
	struct sched_param sp = { .sched_priority = on ? 1 : 0 };
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	if (on) {
		CPU_SET(0, &set);
	} else {
		for (i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	}
	assert_int_equal(sched_setaffinity(0, sizeof(set), &set), 0);
	assert_int_equal(sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp), 0);
}

/*
 * One thread: write 4 KiB to the master (blocking), poll the slave, read
 * what is there, again. When the slave's 8 KiB flip buffer has no room,
 * the master's writer sleeps until the flip-buffer worker has moved bytes
 * into the ldisc and freed them; nothing in this thread can wake it, only
 * the slave's ldisc. A write still blocked after 3 s lost its wake-up.
 *
 * To make the worker lag as on a loaded board, every time: the worker may
 * run on CPU 0 only, and this thread runs there as SCHED_FIFO, so the
 * worker runs only while this thread sleeps, and is preempted (at its
 * cond_resched() between two buffers, before it frees the one it has just
 * handed over) as soon as this thread is woken.
 */
static void test_pty_writer_woken(void **state)
{
	const size_t total = 16 * MB, chunk = 4 * KB;
	unsigned char *out = malloc(chunk), *in = malloc(64 * KB);
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	uint64_t t0 = vm_now_ns(), wpos = 0, rpos = 0;
	unsigned long loops = 0;
	char oldmask[64];
	struct vm_pty p;

	(void)state;
	assert_non_null(out);
	assert_non_null(in);
	vm_pty_attached(&p);
	assert_int_equal(fcntl(p.slave, F_SETFL, O_NONBLOCK), 0);
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0); /* no SA_RESTART */
	wq_cpumask("1", oldmask, sizeof(oldmask));
	pin_rt(true);
	while (wpos < total && vm_now_ns() - t0 < 25 * SEC) {
		ssize_t w, r, i;

		stream_fill(out, chunk, wpos);
		alarm(3);
		w = write(p.master, out, chunk);
		alarm(0);
		if (w != (ssize_t)chunk) {
			int room = vm_wait(p.master, POLLOUT, 0);

			pin_rt(false);
			wq_cpumask(oldmask, NULL, 0);
			sigaction(SIGALRM, &old, NULL);
			vm_pty_close(&p);
			fail_msg("loop %lu: write(master, 4096) blocked for 3 s (returned %zd); "
				 "%llu bytes written, %llu read; the master is writable now: %s",
				 loops, w, (unsigned long long)wpos, (unsigned long long)rpos,
				 room > 0 ? "yes, its writer was never woken" : "no");
		}
		wpos += chunk;
		if (vm_wait(p.slave, POLLIN, 3000) <= 0)
			continue;
		r = read(p.slave, in, 64 * KB);
		if (r < 0) {
			assert_int_equal(errno, EAGAIN);
			r = 0;
		}
		for (i = 0; i < r; i++)
			assert_int_equal(in[i], (rpos + (uint64_t)i) % 251);
		rpos += (uint64_t)r;
		loops++;
	}
	pin_rt(false);
	wq_cpumask(oldmask, NULL, 0);
	sigaction(SIGALRM, &old, NULL);
	/* the rest */
	while (rpos < wpos) {
		ssize_t r, i;

		if (vm_wait(p.slave, POLLIN, 3000) <= 0)
			break;
		r = read(p.slave, in, 64 * KB);
		if (r <= 0)
			break;
		for (i = 0; i < r; i++)
			assert_int_equal(in[i], (rpos + (uint64_t)i) % 251);
		rpos += (uint64_t)r;
	}
	print_message("pty write/poll/read loop: %llu bytes in %.1f s, %lu loops\n",
		      (unsigned long long)rpos, (double)(vm_now_ns() - t0) / SEC, loops);
	assert_int_equal(rpos, wpos);
	assert_true(rpos >= 1 * MB);
	vm_pty_close(&p);
	free(out);
	free(in);
}

/* ------------------------------- 2: the last close and the hardware */

/*
 * uart_close() shuts the port down (HUPCL drops DTR and RTS) before the
 * tty layer closes the ldisc; nothing may touch the UART after that. The
 * MCR is read from the hardware, so the driver's idea of it does not count.
 */
static void test_last_close_leaves_uart_alone(void **state)
{
	int fd, mcr_open, mcr_ntty, mcr_qlink, loop = TIOCM_LOOP;

	(void)state;
	/* a PL011's registers are the driver's alone (IO_STRICT_DEVMEM): the
	 * hardware can be read back only on the 16550, through /dev/port */
	if (!vm_uart_is_16550()) {
		print_message(
			"%s is not a 16550: its control register cannot be read from outside the driver\n",
			vm_uart());
		skip();
	}
	/* n_tty first: what a closed port looks like */
	fd = uart_open();
	ioctl(fd, TIOCMBIC, &loop);
	mcr_open = uart_mcr();
	assert_int_equal(close(fd), 0);
	mcr_ntty = uart_mcr();
	assert_int_equal(mcr_open & (MCR_DTR | MCR_RTS), MCR_DTR | MCR_RTS);
	assert_int_equal(mcr_ntty & (MCR_DTR | MCR_RTS), 0);

	/* with qlink attached at the last close */
	fd = uart_open();
	assert_int_equal(vm_setd(fd, LDISC), 0);
	assert_int_equal(uart_mcr() & (MCR_DTR | MCR_RTS), MCR_DTR | MCR_RTS);
	assert_int_equal(close(fd), 0);
	mcr_qlink = uart_mcr();
	print_message("%s MCR: open 0x%02x, closed under n_tty 0x%02x, under qlink 0x%02x\n",
		      vm_uart_name(), mcr_open, mcr_ntty, mcr_qlink);
	assert_int_equal(mcr_qlink, mcr_ntty);

	/* a hangup with qlink attached: then the last close */
	fd = uart_open();
	assert_int_equal(vm_setd(fd, LDISC), 0);
	assert_int_equal(ioctl(fd, TIOCVHANGUP), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(uart_mcr(), mcr_ntty);
}

/* ------------------------------------- 3: throttle races and RTS low */

struct flipper {
	int fd;
	volatile bool stop, go, idle;
	unsigned long flips;
};

/* While told to, clear CRTSCTS over and over: qlink sets it again each
 * time, under termios_rwsem, but the driver runs with it cleared for a
 * moment. */
static void *crtscts_flipper(void *arg)
{
	struct flipper *f = arg;
	struct termios t;

	while (!f->stop) {
		if (!f->go) {
			f->idle = true;
			usleep(100);
			continue;
		}
		f->idle = false;
		if (tcgetattr(f->fd, &t))
			break;
		t.c_cflag &= ~CRTSCTS;
		if (tcsetattr(f->fd, TCSANOW, &t))
			break;
		f->flips++;
	}
	f->idle = true;
	return NULL;
}

struct feeder {
	int fd;
	volatile bool stop;
	uint64_t sent;
};

/* Keep the UART's transmitter busy; in loopback it feeds our own ldisc,
 * and CTS follows our RTS, so throttling stops the feed. */
static void *feeder(void *arg)
{
	struct feeder *f = arg;
	unsigned char buf[4096];

	while (!f->stop) {
		ssize_t n;

		if (vm_wait(f->fd, POLLOUT, 100) <= 0)
			continue;
		stream_fill(buf, sizeof(buf), f->sent);
		n = write(f->fd, buf, sizeof(buf));
		if (n > 0)
			f->sent += (uint64_t)n;
	}
	return NULL;
}

static int fionread(int fd)
{
	int n = -1;

	assert_int_equal(ioctl(fd, FIONREAD, &n), 0);
	return n;
}

static int modem_bits(int fd)
{
	int bits = 0;

	assert_int_equal(ioctl(fd, TIOCMGET, &bits), 0);
	return bits;
}

/* Load qlink.ko again with these parameters (nothing may hold it). */
static void reload_qlink(const char *params)
{
	const char *ko = getenv("QLINK_KO");
	int kfd;

	assert_non_null(ko);
	assert_int_equal(syscall(SYS_delete_module, "qlink", O_NONBLOCK), 0);
	kfd = open(ko, O_RDONLY);
	assert_true(kfd >= 0);
	assert_int_equal(syscall(SYS_finit_module, kfd, params, 0), 0);
	close(kfd);
}

/*
 * Does the UART hold its transmitter while CTS is low? With qlink
 * attached (CRTSCTS on) and in loopback, drop RTS (so CTS) and send a few
 * bytes: none may come back. qemu's 16550 passes (the 8250 driver stops on
 * the CTS change); qemu's PL011 does not model CTSEN, so its loopback runs
 * at the emulator's speed whatever RTS says, and a test that relies on the
 * feed stopping cannot run there. Leaves RTS up and loopback on.
 */
/* In loopback, drop RTS and so CTS, and make the serial core see it. */
static void cts_low(int fd)
{
	int rts = TIOCM_RTS;
	struct termios t;

	assert_int_equal(ioctl(fd, TIOCMBIC, &rts), 0);
	/* qemu's 16550 raises no modem-status interrupt in loopback: a termios
	 * change makes the serial core look at CTS (qlink sets CRTSCTS again) */
	assert_int_equal(tcgetattr(fd, &t), 0);
	t.c_cflag &= ~CRTSCTS;
	assert_int_equal(tcsetattr(fd, TCSANOW, &t), 0);
}

static bool uart_holds_on_cts(int fd)
{
	int rts = TIOCM_RTS;
	unsigned char b[64] = { 0 };
	bool held;

	cts_low(fd);
	held = !(modem_bits(fd) & TIOCM_CTS) && write(fd, b, sizeof(b)) == (ssize_t)sizeof(b) &&
	       vm_wait(fd, POLLIN, 300) == 0;
	assert_int_equal(ioctl(fd, TIOCMBIS, &rts), 0);
	tcflush(fd, TCIOFLUSH);
	return held;
}

/*
 * qemu's 16550 in loopback: what ttyS1 sends comes back, and CTS follows
 * RTS. The reader lets the ring (4 KiB here, so that there are many
 * cycles) fill past three quarters (the driver is throttled: RTS and so
 * CTS drop, the feed stops), then drains it (unthrottle), again and again,
 * while another thread clears CRTSCTS in a loop (qlink sets it again) and
 * the input is flushed now and then. Whatever the interleaving, once the
 * ring is empty RTS must be up and bytes must flow.
 */
static void test_throttle_races_keep_rts(void **state)
{
	const int ring = 4096;
	struct flipper fl = { 0 };
	struct feeder fe = { 0 };
	pthread_t tf, te;
	uint64_t t0, got = 0;
	unsigned char buf[4096];
	size_t drained;
	int fd, loop = TIOCM_LOOP, cycles = 0, stuck = 0;

	(void)state;
	reload_qlink("rx_buf_size=4096");
	fd = uart_open();
	assert_int_equal(vm_setd(fd, LDISC), 0);
	assert_int_equal(ioctl(fd, TIOCMBIS, &loop), 0);
	assert_true(modem_bits(fd) & TIOCM_RTS);
	if (!uart_holds_on_cts(fd)) {
		print_message("%s sends with CTS low in loopback (no flow control to race)\n",
			      vm_uart());
		ioctl(fd, TIOCMBIC, &loop);
		close(fd);
		reload_qlink("");
		skip();
	}
	fe.fd = open(vm_uart(), O_WRONLY | O_NOCTTY | O_NONBLOCK);
	assert_true(fe.fd >= 0);
	fl.fd = fd;
	assert_int_equal(pthread_create(&te, NULL, feeder, &fe), 0);
	assert_int_equal(pthread_create(&tf, NULL, crtscts_flipper, &fl), 0);
	t0 = vm_now_ns();
	while (cycles < 600 && vm_now_ns() - t0 < 25 * SEC) {
		uint64_t t1 = vm_now_ns();
		ssize_t n;

		/* let it fill to the throttle mark (or stop: throttled) */
		while (fionread(fd) < ring / 4 * 3 && vm_now_ns() - t1 < 1 * SEC)
			usleep(1000);
		if (cycles % 8 == 7)
			tcflush(fd, TCIFLUSH);
		/* drain it (unthrottle) while CRTSCTS flips */
		fl.go = true;
		assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
		/* bounded: a reader slower than qemu's loopback feed would
		 * otherwise drain one endless cycle */
		for (drained = 0; drained < 4 * ring; drained += (size_t)n) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			got += (uint64_t)n;
		}
		assert_int_equal(fcntl(fd, F_SETFL, 0), 0);
		fl.go = false;
		while (!fl.idle)
			usleep(100);
		cycles++;
		/* stopped for good: ring empty, RTS low, nothing arrives */
		if (!(modem_bits(fd) & TIOCM_RTS) && fionread(fd) == 0 &&
		    vm_wait(fd, POLLIN, 500) == 0 && !(modem_bits(fd) & TIOCM_RTS)) {
			stuck = 1;
			break;
		}
	}
	fl.stop = true;
	join_within(tf, 10);
	fe.stop = true;
	join_within(te, 10);
	print_message("loopback: %d fill/drain cycles, %lu CRTSCTS flips, %llu bytes in %.1f s\n",
		      cycles, fl.flips, (unsigned long long)got, (double)(vm_now_ns() - t0) / SEC);
	ioctl(fd, TIOCMBIC, &loop);
	close(fe.fd);
	close(fd);
	reload_qlink("");
	if (stuck)
		fail_msg("after %d cycles the ring is empty and RTS stays low: the port is "
			 "throttled for good",
			 cycles);
	assert_true(cycles >= 30);
}

/* ------------------------------------------ 6: two readers, one tty */

struct reader {
	int fd;
	unsigned long reads, torn;
	uint64_t bytes;
};

/* Read until EOF/EIO; each read() must be one contiguous piece of the
 * stream, whatever the other reader takes. */
static void *checking_reader(void *arg)
{
	struct reader *r = arg;
	static __thread unsigned char buf[64 * KB];

	for (;;) {
		ssize_t n = read(r->fd, buf, sizeof(buf)), i;

		if (n <= 0)
			break;
		r->reads++;
		r->bytes += (uint64_t)n;
		for (i = 1; i < n; i++) {
			if (buf[i] != (buf[i - 1] + 1) % 251) {
				r->torn++;
				break;
			}
		}
	}
	return NULL;
}

static void test_two_readers_get_whole_reads(void **state)
{
	const size_t total = 8 * MB;
	struct reader r[2] = { { 0 }, { 0 } };
	unsigned char *buf = malloc(64 * KB);
	pthread_t th[2];
	struct vm_pty p;
	uint64_t pos = 0;
	int i;

	(void)state;
	assert_non_null(buf);
	vm_pty_attached(&p);
	for (i = 0; i < 2; i++) {
		r[i].fd = p.slave;
		assert_int_equal(pthread_create(&th[i], NULL, checking_reader, &r[i]), 0);
	}
	while (pos < total) {
		stream_fill(buf, 64 * KB, pos);
		assert_int_equal(vm_write_all(p.master, buf, 64 * KB), 0);
		pos += 64 * KB;
	}
	/* the master's close ends both readers once the bytes are read */
	usleep(500000);
	close(p.master);
	p.master = -1;
	for (i = 0; i < 2; i++)
		join_within(th[i], 30);
	print_message("two readers: %lu + %lu reads, %lu + %lu torn, %llu bytes\n", r[0].reads,
		      r[1].reads, r[0].torn, r[1].torn,
		      (unsigned long long)(r[0].bytes + r[1].bytes));
	assert_int_equal(r[0].bytes + r[1].bytes, total);
	assert_int_equal(r[0].torn + r[1].torn, 0);
	vm_pty_close(&p);
	free(buf);
}

/* ------------------------------------------------------- 7: TIOCOUTQ */

static void test_tiocoutq(void **state)
{
	struct vm_pty p;
	int n = -1, fd, loop = TIOCM_LOOP;
	char buf[512];
	ssize_t w;

	(void)state;
	vm_pty_attached(&p);
	assert_int_equal(ioctl(p.slave, TIOCOUTQ, &n), 0);
	assert_int_equal(n, 0);
	vm_pty_close(&p);

	/* a UART held by CTS: the bytes it has not sent are counted */
	fd = uart_open();
	assert_int_equal(vm_setd(fd, LDISC), 0);
	assert_int_equal(ioctl(fd, TIOCMBIS, &loop), 0);
	if (!uart_holds_on_cts(fd)) {
		print_message("%s sends with CTS low in loopback: nothing is held in TIOCOUTQ\n",
			      vm_uart());
		ioctl(fd, TIOCMBIC, &loop);
		close(fd);
		skip();
	}
	cts_low(fd);
	if (modem_bits(fd) & TIOCM_CTS) {
		ioctl(fd, TIOCMBIC, &loop);
		close(fd);
		skip();
	}
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	w = write(fd, buf, sizeof(buf));
	assert_true(w > 0);
	usleep(100000);
	n = -1;
	assert_int_equal(ioctl(fd, TIOCOUTQ, &n), 0);
	print_message("TIOCOUTQ with CTS low after writing %zd: %d\n", w, n);
	assert_true(n > 0 && n <= w);
	tcflush(fd, TCOFLUSH);
	ioctl(fd, TIOCMBIC, &loop);
	assert_int_equal(vm_setd(fd, N_TTY), 0);
	close(fd);
}

/* ----------------------------------------- the publish-only mode */

static void set_port_flags(int fd, uint32_t flags)
{
	struct qlink_port pf = { .flags = flags };

	assert_int_equal(ioctl(fd, QLINK_IOC_SET_PORT, &pf), 0);
}

static struct qlink_stats stats_of(int fd)
{
	struct qlink_stats st;

	memset(&st, 0xff, sizeof(st));
	assert_int_equal(ioctl(fd, QLINK_IOC_GET_STATS, &st), 0);
	return st;
}

/* One URC line into the master (non-blocking), retried for up to 5 s:
 * a pty's writer is woken only by a reader of the slave, and here there is
 * none on purpose. Returns false if it never fit. */
static bool urc_line(int master, int i)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "+QIND: \"FOTA\",\"UPDATING\",%07d\r\n", i);
	uint64_t t0 = vm_now_ns();
	int off = 0;

	while (off < len) {
		ssize_t n = write(master, line + off, (size_t)(len - off));

		if (n > 0) {
			off += (int)n;
			continue;
		}
		assert_int_equal(errno, EAGAIN);
		if (vm_now_ns() - t0 > 5 * SEC)
			return false;
		usleep(1000);
	}
	return true;
}

/* Lines until one does not fit within 300 ms; returns how many fit. */
static int urc_lines_until_full(int master, int n)
{
	char line[64];
	int i;

	for (i = 0; i < n; i++) {
		int len = snprintf(line, sizeof(line), "+QIND: \"FOTA\",\"UPDATING\",%07d\r\n", i);
		uint64_t t0 = vm_now_ns();

		for (;;) {
			ssize_t w = write(master, line, (size_t)len);

			if (w == len)
				break;
			if (w > 0)
				return i; /* cut: the flip buffer is full */
			assert_int_equal(errno, EAGAIN);
			if (vm_now_ns() - t0 > 300000000ULL)
				return i;
			usleep(1000);
		}
	}
	return i;
}

/*
 * `qlink attach` holds the port and never reads it: without the mode, the
 * ring fills and publication stops (RTS down, the modem waits). With it,
 * while nobody but the holder has the tty open, the oldest pass-through
 * bytes are dropped and counted instead, and URCs keep coming. A second
 * opener (a `qlink ftp`) gets flow control back.
 */
static void test_publish_only(void **state)
{
	const int urcs = 4000;
	struct qlink_port pf;
	struct qlink_stats st;
	struct qlink_urc_record rec;
	struct vm_pty p;
	int ufd, i, got = 0, other;

	(void)state;
	vm_pty_attached(&p);
	/* unknown flags and reserved fields are refused */
	memset(&pf, 0, sizeof(pf));
	pf.flags = 0x80000000U;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_PORT, &pf), -1);
	assert_int_equal(errno, EINVAL);
	memset(&pf, 0, sizeof(pf));
	pf.reserved[0] = 1;
	assert_int_equal(ioctl(p.slave, QLINK_IOC_SET_PORT, &pf), -1);
	assert_int_equal(errno, EINVAL);
	set_port_flags(p.slave, QLINK_PORT_PUBLISH_ONLY);
	memset(&pf, 0xff, sizeof(pf));
	assert_int_equal(ioctl(p.slave, QLINK_IOC_GET_PORT, &pf), 0);
	assert_int_equal(pf.flags, QLINK_PORT_PUBLISH_ONLY);
	assert_true(stats_of(p.slave).flags & QLINK_STAT_PUBLISH_ONLY);

	/* nobody reads the slave: 4000 URCs (~140 KiB, twice the ring) all published */
	ufd = vm_urc_open(O_NONBLOCK);
	assert_true(ufd >= 0);
	assert_int_equal(fcntl(p.master, F_SETFL, O_NONBLOCK), 0);
	memset(&rec, 0, sizeof(rec));
	for (i = 0; i < urcs; i++) {
		if (!urc_line(p.master, i))
			break;
		while (read(ufd, &rec, sizeof(rec)) == sizeof(rec) || errno == EPIPE)
			got++;
	}
	for (;;) {
		ssize_t n = vm_urc_next(ufd, &rec, 2000);

		if (n == -ETIMEDOUT)
			break;
		assert_true(n == sizeof(rec) || n == -EPIPE);
		got += n > 0;
	}
	st = stats_of(p.slave);
	print_message("publish-only: %d URCs written, %d read from %s, %llu pass-through bytes "
		      "dropped\n",
		      i, got, QLINK_URC_DEVICE, (unsigned long long)st.rx_dropped);
	assert_int_equal(i, urcs);
	assert_int_equal(st.urcs, urcs);
	/* the last one came through (a reader that fell behind lost some: EPIPE) */
	assert_string_equal(rec.text, "+QIND: \"FOTA\",\"UPDATING\",0003999");
	assert_true(st.rx_dropped > 0);
	/* the ring keeps the newest bytes */
	assert_int_equal(fionread(p.slave), RING);
	assert_int_equal(st.rx_dropped + RING, st.rx_bytes);

	/* a second opener: back-pressure again, nothing dropped */
	other = open(p.path, O_RDWR | O_NOCTTY);
	assert_true(other >= 0);
	assert_true(urc_lines_until_full(p.master, RING / 8) < RING / 8);
	assert_int_equal(stats_of(p.slave).rx_dropped, st.rx_dropped);
	/* it leaves: dropping again, and the held-back bytes get through */
	close(other);
	for (i = 0; i < 1024; i++)
		if (!urc_line(p.master, i))
			break;
	assert_int_equal(i, 1024);
	assert_true(stats_of(p.slave).rx_dropped > st.rx_dropped);

	/* the mode off: back-pressure, nothing dropped */
	set_port_flags(p.slave, 0);
	st = stats_of(p.slave);
	assert_false(st.flags & QLINK_STAT_PUBLISH_ONLY);
	assert_true(urc_lines_until_full(p.master, RING / 8) < RING / 8);
	assert_int_equal(stats_of(p.slave).rx_dropped, st.rx_dropped);
	close(ufd);
	vm_pty_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pty_writer_woken),
		cmocka_unit_test(test_last_close_leaves_uart_alone),
		cmocka_unit_test(test_throttle_races_keep_rts),
		cmocka_unit_test(test_two_readers_get_whole_reads),
		cmocka_unit_test(test_tiocoutq),
		cmocka_unit_test(test_publish_only),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
