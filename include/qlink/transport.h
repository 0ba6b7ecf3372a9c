/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Byte transports: where the AT channel's bytes come from and go to.
 *
 * Every byte between libqlink and the module passes through a transport,
 * so the same channel runs over a tty, a pty to qlink-sim, or a test's
 * memory buffers that hand out input one byte at a time.
 */
#ifndef QLINK_TRANSPORT_H
#define QLINK_TRANSPORT_H

#include <stddef.h>
#include <time.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_transport;

/**
 * struct qlink_transport_ops - a transport implementation
 * @read:   read up to @len bytes; return the count, 0 when nothing is
 *          available now, or -1 with errno (EIO, ENXIO when the device
 *          went away). Must not block.
 * @write:  write up to @len bytes; return the count accepted (0 when the
 *          device cannot take more now) or -1 with errno. Must not block.
 * @get_fd: the file descriptor to poll for readiness, or -1 if the
 *          transport is driven by hand (tests).
 * @close:  release @priv; called once by qlink_transport_free().
 * @get_outq: bytes accepted by @write that have not left the host yet
 *          (a tty's output queue), or -1 with errno; NULL for a transport
 *          that keeps none. The "+++" escape waits for 0 before its guard
 *          time starts.
 */
struct qlink_transport_ops {
	ssize_t (*read)(void *priv, void *buf, size_t len);
	ssize_t (*write)(void *priv, const void *buf, size_t len);
	int (*get_fd)(void *priv);
	void (*close)(void *priv);
	int (*get_outq)(void *priv);
};

/**
 * qlink_transport_new() - wrap a custom implementation
 * @ops:  the implementation; must outlive the transport
 * @priv: passed to every op
 *
 * Return: the transport, or NULL with errno EINVAL (no read or write op)
 * or ENOMEM.
 */
struct qlink_transport *qlink_transport_new(const struct qlink_transport_ops *ops, void *priv);

/** Ask for hardware flow control (RTS/CTS) on the tty. */
#define QLINK_TTY_RTSCTS (1u << 0)

/**
 * QLINK_TTY_EXCLUSIVE - be the port's only user
 *
 * The port is refused (EBUSY) when another process holds an flock on the
 * device, holds its UUCP lock file /run/lock/LCK..NAME (NAME: the device
 * after /dev/, links resolved, '/' as '_'), or merely has it open (found
 * in /proc: ModemManager, a getty, picocom; a pty's master side is the
 * device and does not count; only root sees other users' processes). Once
 * open, the transport holds an exclusive flock on the device and the lock
 * file (HDB format: the pid as "%10d\n"), both released when it is freed.
 * A lock file that names this process is joined, not refused: the FOTA
 * job keeps one across a module's reboot (qlink_fota_set_port()). Without
 * a writable /run/lock the flock and the scan alone decide.
 * qlink_transport_find_tty_holder() names whoever holds the port.
 */
#define QLINK_TTY_EXCLUSIVE (1u << 1)

/**
 * qlink_transport_open_tty() - open a serial port in raw, non-blocking mode
 * @path:  device path, e.g. /dev/ttyUSB2 or /dev/ttyAMA0
 * @baud:  line rate in baud (9600 ... 4000000); 0 keeps the port's rate
 * @flags: QLINK_TTY_RTSCTS, QLINK_TTY_EXCLUSIVE, or 0
 *
 * The port is set to 8N1 raw mode with VMIN=0/VTIME=0, CLOCAL and, with
 * QLINK_TTY_RTSCTS, CRTSCTS. The settings are read back: whether the
 * driver kept CRTSCTS is reported by qlink_transport_get_rtscts(). With
 * QLINK_TTY_EXCLUSIVE the port is taken before any setting is changed.
 *
 * Return: the transport, or NULL with errno: ENOENT/EACCES from open(2),
 * EBUSY (TIOCEXCL, or another user under QLINK_TTY_EXCLUSIVE), ENOTTY
 * (not a terminal), EINVAL (unsupported @baud), ENOMEM.
 */
struct qlink_transport *qlink_transport_open_tty(const char *path, unsigned int baud,
						 unsigned int flags);

/**
 * qlink_transport_tty_get_bauds() - the line rates qlink_transport_open_tty() takes
 * @n: set to how many there are
 *
 * For a message that names them, or a check before the port is opened.
 *
 * Return: the rates in increasing order, static storage.
 */
const unsigned int *qlink_transport_tty_get_bauds(size_t *n);

/**
 * struct qlink_tty_holder - who has a serial port
 * @pid:   the process
 * @name:  its command name (/proc/PID/comm: "qlink fota", "ModemManager")
 * @since: when it took the lock file, else when the process started
 *         (CLOCK_REALTIME seconds); 0 if unknown
 */
struct qlink_tty_holder {
	pid_t pid;
	char name[32];
	time_t since;
};

/**
 * qlink_transport_find_tty_holder() - name the process that keeps a port busy
 * @path: the device or a link to it
 * @h:    filled in when one is found
 *
 * Looks, in order, for an flock on the device (/proc/locks), a live UUCP
 * lock file, and a process with the device open, never reporting this
 * process. Meant for the message after QLINK_TTY_EXCLUSIVE's EBUSY.
 *
 * Return: 1 and @h filled, 0 if nobody is seen, -1 with errno EINVAL or
 * from stat(2).
 */
int qlink_transport_find_tty_holder(const char *path, struct qlink_tty_holder *h);

/**
 * qlink_transport_share_tty() - let one other AT user at a time in
 * @t: a transport opened with QLINK_TTY_EXCLUSIVE
 *
 * For a holder that keeps the port open without talking on it (qlink
 * attach, holding qlink.ko's line discipline): its flock is released, and
 * its lock file, still naming it, is marked "qlink-shared" so that
 * QLINK_TTY_EXCLUSIVE openers accept it and exclude one another by the
 * flock. Programs that honour only the lock file stay refused.
 *
 * Return: 0, or -1 with errno EINVAL (@t not a tty transport) or from
 * writing the lock file.
 */
int qlink_transport_share_tty(struct qlink_transport *t);

/**
 * qlink_transport_get_rtscts() - is hardware flow control in force?
 * @t: a transport from qlink_transport_open_tty()
 *
 * Return: 1 if the driver kept CRTSCTS set, 0 if not, -1 with errno
 * EINVAL if @t is not a tty transport.
 */
int qlink_transport_get_rtscts(struct qlink_transport *t);

/**
 * qlink_transport_read() - read what is available
 * @t:   the transport
 * @buf: destination
 * @len: size of @buf
 *
 * Return: bytes read, 0 if none are available, -1 with errno.
 */
ssize_t qlink_transport_read(struct qlink_transport *t, void *buf, size_t len);

/**
 * qlink_transport_write() - write what the device accepts now
 * @t:   the transport
 * @buf: bytes to send
 * @len: how many
 *
 * Return: bytes accepted (possibly fewer than @len, possibly 0), -1 with
 * errno.
 */
ssize_t qlink_transport_write(struct qlink_transport *t, const void *buf, size_t len);

/**
 * qlink_transport_set_pacing() - limit how fast and in what pieces bytes leave
 * @t:           the transport
 * @bytes_per_s: average rate, 0 for no rate limit
 * @max_write:   at most this many bytes per write (e.g. 32, what a module's
 *               FIFO takes without flow control), 0 for no cap
 *
 * With a rate, qlink_transport_write() accepts nothing (returns 0) until
 * the previous write has been paid for at @bytes_per_s; an idle link does
 * not save up a burst. A write that starts late by at most one write's
 * time is made up, so the average is @bytes_per_s even when the caller
 * wakes on whole milliseconds. A module without hardware flow control
 * takes a FOTA FILE upload no faster than about 15 KB/s in pieces of at
 * most 32 bytes (DFOTA guide 3.3.1.3); (0, 0) turns pacing off.
 *
 * Return: 0, or -1 with errno EINVAL (@t is NULL).
 */
int qlink_transport_set_pacing(struct qlink_transport *t, unsigned int bytes_per_s,
			       size_t max_write);

/**
 * qlink_transport_get_next_write_ms() - when the pacing allows the next write
 * @t: the transport
 *
 * A channel polls for POLLOUT only when this is 0 and otherwise sleeps no
 * longer than this.
 *
 * Return: 0 if a write may start now (or there is no rate limit), else
 * the milliseconds until it may, rounded up.
 */
int qlink_transport_get_next_write_ms(struct qlink_transport *t);

/**
 * qlink_transport_get_fd() - descriptor to poll
 * @t: the transport
 *
 * Return: a file descriptor, or -1 for transports driven by hand.
 */
int qlink_transport_get_fd(struct qlink_transport *t);

/**
 * qlink_transport_get_outq() - bytes written that have not left the host
 * @t: the transport
 *
 * Return: the count (0 for a transport without an output queue of its
 * own), or -1 with errno from the transport (ENXIO: the device is gone).
 */
int qlink_transport_get_outq(struct qlink_transport *t);

/**
 * qlink_transport_free() - close and free
 * @t: the transport, or NULL
 *
 * A tty's pending output is discarded rather than drained, so closing
 * never waits on a module that holds CTS low.
 */
void qlink_transport_free(struct qlink_transport *t);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_TRANSPORT_H */
