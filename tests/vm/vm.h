/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * Helpers of the programs that run inside the VM against qlink.ko: the
 * tests (tests/vm/test-*.c) and the benchmark (bench/bench-kmod.c). A pty
 * pair stands for the modem: the test holds the master (the modem's side)
 * and attaches the ldisc to the slave (the host's AT port).
 */
#ifndef QLINK_VM_H
#define QLINK_VM_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/qlink.h>

struct vm_pty {
	int master;
	int slave;
	char path[64]; /* /dev/pts/N */
	char name[32]; /* ptsN: the tty's kernel name, as records carry it */
};

/* Open a pty pair, both ends raw; returns 0 or -1. */
static inline int vm_pty_open(struct vm_pty *p)
{
	struct termios t;
	const char *n;

	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (p->master < 0 || grantpt(p->master) || unlockpt(p->master))
		return -1;
	n = ptsname(p->master);
	if (!n)
		return -1;
	snprintf(p->path, sizeof(p->path), "%s", n);
	snprintf(p->name, sizeof(p->name), "pts%s", n + strlen("/dev/pts/"));
	p->slave = open(p->path, O_RDWR | O_NOCTTY);
	if (p->slave < 0)
		return -1;
	if (tcgetattr(p->master, &t))
		return -1;
	cfmakeraw(&t);
	if (tcsetattr(p->master, TCSANOW, &t))
		return -1;
	if (tcgetattr(p->slave, &t))
		return -1;
	cfmakeraw(&t);
	return tcsetattr(p->slave, TCSANOW, &t);
}

static inline void vm_pty_close(struct vm_pty *p)
{
	if (p->slave >= 0)
		close(p->slave);
	if (p->master >= 0)
		close(p->master);
	p->slave = p->master = -1;
}

static inline int vm_setd(int fd, int disc)
{
	return ioctl(fd, TIOCSETD, &disc);
}

static inline int vm_getd(int fd)
{
	int d = -1;

	return ioctl(fd, TIOCGETD, &d) ? -1 : d;
}

static inline int vm_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static inline int vm_write_str(int fd, const char *s)
{
	return vm_write_all(fd, s, strlen(s));
}

/* poll one descriptor; returns revents, 0 on timeout, -1 on error */
static inline int vm_wait(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&pfd, 1, ms);
	while (n < 0 && errno == EINTR);
	return n <= 0 ? n : pfd.revents;
}

/* Read exactly len bytes within ms milliseconds overall; returns bytes read. */
static inline size_t vm_read_exact(int fd, void *buf, size_t len, int ms)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n;

		if (vm_wait(fd, POLLIN, ms) <= 0)
			break;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* /dev/qlink-urc positioned after every record so far */
static inline int vm_urc_open(int flags)
{
	int fd = open(QLINK_URC_DEVICE, O_RDONLY | flags);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Next record within ms; returns the read() result or -ETIMEDOUT. */
static inline ssize_t vm_urc_next(int fd, struct qlink_urc_record *r, int ms)
{
	ssize_t n;

	if (vm_wait(fd, POLLIN, ms) <= 0)
		return -ETIMEDOUT;
	n = read(fd, r, sizeof(*r));
	return n < 0 ? -errno : n;
}

/*
 * The UART the tests drive in loopback: qemu's second 16550 on x86 (ttyS1),
 * the virt machine's second PL011 on arm64 (ttyAMA1). tests/vm/init names
 * it from the kernel command line (qlink.uart=).
 */
static inline const char *vm_uart(void)
{
	const char *u = getenv("QLINK_VM_UART");

	return u && *u ? u : "/dev/ttyS1";
}

/* its name as qlink.ko's records give it (the tty's name) */
static inline const char *vm_uart_name(void)
{
	const char *u = vm_uart(), *slash = strrchr(u, '/');

	return slash ? slash + 1 : u;
}

/* an x86 16550, whose registers /dev/port reads */
static inline int vm_uart_is_16550(void)
{
	return strncmp(vm_uart_name(), "ttyS", 4) == 0;
}

static inline uint64_t vm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: the same stream on both ends of a transfer */
static inline uint64_t vm_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static inline void vm_fill(uint64_t *s, unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(vm_rand(s) >> 56);
}

#endif
