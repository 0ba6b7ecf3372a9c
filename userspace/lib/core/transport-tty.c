// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Serial-port transport: raw 8N1, non-blocking, optional RTS/CTS.
 *
 * Closing is the dangerous part on these boards: with CRTSCTS set and the
 * module holding CTS low (powered off, mid-reboot), close(2) waits for the
 * output to drain for up to closing_wait (30 s by default) and tcsetattr
 * with TCSADRAIN waits forever. So settings are applied with TCSANOW and
 * pending output is flushed, not drained, before close.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "core/api.h"
#include "core/transport-priv.h"
#include "core/tty-lock.h"

/*
 * @lock:  the lock file reference under QLINK_TTY_EXCLUSIVE, if there is a file
 * @share: qlink_transport_share_tty()'s socket, else -1
 */
struct tty {
	int fd;
	int rtscts;
	struct tty_lock *lock;
	int share;
};

static const struct {
	unsigned int baud;
	speed_t speed;
} speeds[] = {
	{ 9600, B9600 },       { 19200, B19200 },     { 38400, B38400 },     { 57600, B57600 },
	{ 115200, B115200 },   { 230400, B230400 },   { 460800, B460800 },   { 921600, B921600 },
	{ 1000000, B1000000 }, { 1500000, B1500000 }, { 2000000, B2000000 }, { 3000000, B3000000 },
	{ 4000000, B4000000 },
};

static const unsigned int bauds[] = {
	9600,	19200,	 38400,	  57600,   115200,  230400,  460800,
	921600, 1000000, 1500000, 2000000, 3000000, 4000000,
};

_Static_assert(sizeof(bauds) / sizeof(bauds[0]) == sizeof(speeds) / sizeof(speeds[0]),
	       "one rate in bauds[] for each in speeds[]");

QLINK_API const unsigned int *qlink_transport_tty_get_bauds(size_t *n)
{
	if (n)
		*n = sizeof(bauds) / sizeof(bauds[0]);
	return bauds;
}

static int baud_to_speed(unsigned int baud, speed_t *speed)
{
	size_t i;

	for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++) {
		if (speeds[i].baud == baud) {
			*speed = speeds[i].speed;
			return 0;
		}
	}
	return -1;
}

/*
 * With VMIN=0/VTIME=0 an empty read returns 0, and so does every read of
 * a tty that was hung up (USB serial unplugged, pty master closed): only
 * poll's POLLHUP tells them apart.
 */
static int tty_hung_up(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static ssize_t tty_read(void *priv, void *buf, size_t len)
{
	struct tty *tty = priv;
	ssize_t n = read(tty->fd, buf, len);

	if (n > 0)
		return n;
	if (n == 0) {
		if (!tty_hung_up(tty->fd))
			return 0;
		errno = ENXIO;
		return -1;
	}
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	/* a pty whose other side closed says EIO; a USB port unplugged, ENXIO */
	if (errno == EIO)
		errno = ENXIO;
	return -1;
}

static ssize_t tty_write(void *priv, const void *buf, size_t len)
{
	struct tty *tty = priv;
	ssize_t n = write(tty->fd, buf, len);

	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	if (errno == EIO)
		errno = ENXIO;
	return -1;
}

static int tty_get_fd(void *priv)
{
	return ((struct tty *)priv)->fd;
}

static int tty_get_outq(void *priv)
{
	int n = 0;

	if (ioctl(((struct tty *)priv)->fd, TIOCOUTQ, &n) < 0)
		return -1;
	return n;
}

static void tty_close(void *priv)
{
	struct tty *tty = priv;

	tcflush(tty->fd, TCIOFLUSH);
	close(tty->fd);
	if (tty->share >= 0)
		close(tty->share);
	tty_lock_drop(tty->lock);
	free(tty);
}

static const struct qlink_transport_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.get_fd = tty_get_fd,
	.close = tty_close,
	.get_outq = tty_get_outq,
};

static int tty_setup(int fd, unsigned int baud, unsigned int flags, int *rtscts)
{
	struct termios tio;
	speed_t speed;

	if (tcgetattr(fd, &tio) < 0)
		return -1;
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
	if (flags & QLINK_TTY_RTSCTS)
		tio.c_cflag |= CRTSCTS;
	tio.c_iflag &= ~(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (baud) {
		if (baud_to_speed(baud, &speed) < 0) {
			errno = EINVAL;
			return -1;
		}
		cfsetispeed(&tio, speed);
		cfsetospeed(&tio, speed);
	}
	if (tcsetattr(fd, TCSANOW, &tio) < 0)
		return -1;
	/* tcsetattr succeeds if *any* change took; read back what did */
	if (tcgetattr(fd, &tio) < 0)
		return -1;
	*rtscts = !!(tio.c_cflag & CRTSCTS);
	return 0;
}

/*
 * The flock first: two qlink processes racing for the port are ordered by
 * it, and the lock file and the scan then only look for the others.
 */
static int tty_take(struct tty *tty, const char *path)
{
	struct stat st;
	pid_t shared_by;

	/* /dev/ptmx: every open is a new pty of its own, nobody else's */
	if (fstat(tty->fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 &&
	    minor(st.st_rdev) == 2)
		return 0;

	if (flock(tty->fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			errno = EBUSY;
		return -1;
	}
	if (tty_lock_take(path, &tty->lock, &shared_by) < 0)
		return -1;
	if (fstat(tty->fd, &st) < 0)
		return -1;
	if (tty_lock_other_opener(st.st_rdev, shared_by)) {
		errno = EBUSY;
		return -1;
	}
	return 0;
}

QLINK_API struct qlink_transport *qlink_transport_open_tty(const char *path, unsigned int baud,
							   unsigned int flags)
{
	struct qlink_transport *t;
	struct tty *tty;
	speed_t speed;
	int saved;

	if (!path || (baud && baud_to_speed(baud, &speed) < 0)) {
		errno = EINVAL;
		return NULL;
	}
	tty = calloc(1, sizeof(*tty));
	if (!tty)
		return NULL;
	tty->share = -1;
	tty->fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (tty->fd < 0)
		goto err_free;
	if (!isatty(tty->fd)) {
		errno = ENOTTY;
		goto err_close;
	}
	if ((flags & QLINK_TTY_EXCLUSIVE) && tty_take(tty, path) < 0)
		goto err_close;
	if (tty_setup(tty->fd, baud, flags, &tty->rtscts) < 0)
		goto err_close;
	t = qlink_transport_new(&tty_ops, tty);
	if (!t)
		goto err_close;
	return t;

err_close:
	saved = errno;
	close(tty->fd);
	tty_lock_drop(tty->lock);
	errno = saved;
err_free:
	saved = errno;
	free(tty);
	errno = saved;
	return NULL;
}

QLINK_API int qlink_transport_get_rtscts(struct qlink_transport *t)
{
	if (!t || t->ops != &tty_ops) {
		errno = EINVAL;
		return -1;
	}
	return ((struct tty *)t->priv)->rtscts;
}

QLINK_API int qlink_transport_share_tty(struct qlink_transport *t)
{
	struct tty *tty;

	if (!t || t->ops != &tty_ops) {
		errno = EINVAL;
		return -1;
	}
	tty = t->priv;
	if (tty->share < 0) {
		struct stat st;

		if (fstat(tty->fd, &st) < 0)
			return -1;
		tty->share = tty_lock_share_socket(st.st_rdev);
		if (tty->share < 0)
			return -1;
	}
	if (tty_lock_share(tty->lock) < 0)
		return -1;
	return flock(tty->fd, LOCK_UN);
}
