/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The qlink line discipline (qlink.ko) on a port the caller has open.
 *
 * With the module loaded, the ldisc keeps RTS/CTS on, passes every byte
 * through unchanged (the channel reads and writes the descriptor as
 * before) and publishes URC lines on /dev/qlink-urc and generic netlink for
 * other processes. Without it, everything here still works and does
 * nothing, so a program can always call it: qlink_ldisc_get_active()
 * tells which case it is in.
 */
#ifndef QLINK_LDISC_H
#define QLINK_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/qlink.h>
#include <qlink/chan.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_ldisc;

/* qlink_ldisc_attach() flags */
#define QLINK_LDISC_REQUIRE (1U << 0)  /* fail instead of going on without the module */
#define QLINK_LDISC_EXISTING (1U << 1) /* only use one already in place (qlink attach's) */
#define QLINK_LDISC_DEFERRED (1U << 2) /* with EXISTING: ask the tty at the first data phase */

/* struct qlink_ldisc_stats.flags */
#define QLINK_LDISC_FLOW_NONE (1U << 0) /* attached with flow=none */
#define QLINK_LDISC_CRTSCTS (1U << 1)	/* the driver kept CRTSCTS */
#define QLINK_LDISC_DATA_MODE (1U << 2) /* the tty is in data mode now */

/**
 * Counters of one attached tty, or the totals since the module was loaded
 * (see README, "Kernel module").
 */
struct qlink_ldisc_stats {
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t urcs;
	uint64_t dropped;
	uint64_t crtscts_reasserts;
	uint64_t data_mode_entries;
	uint32_t flags;	   /* one tty: QLINK_LDISC_FLOW_NONE... */
	uint32_t attached; /* totals (qlink_ldisc_query_stats(NULL, ...)): ttys attached now */
};

/**
 * qlink_ldisc_attach() - put the qlink line discipline on a tty
 * @fd: the open port
 * @num: the ldisc number qlink.ko was loaded with; 0 for QLINK_LDISC_DEFAULT
 *	(include/uapi/linux/qlink.h)
 * @flags: QLINK_LDISC_REQUIRE, QLINK_LDISC_EXISTING (optionally with
 *	QLINK_LDISC_DEFERRED) or 0
 *
 * Remembers the discipline in place, for qlink_ldisc_close(). Without
 * QLINK_LDISC_REQUIRE, a kernel that refuses (module absent, no
 * CAP_NET_ADMIN) gives an inactive handle whose calls do nothing. With
 * QLINK_LDISC_EXISTING the discipline in place is never changed: the
 * handle is active only if qlink's is already there. QLINK_LDISC_DEFERRED
 * puts off that look until the first qlink_ldisc_set_data_mode() or
 * qlink_ldisc_get_stats(), so a program whose commands have no data phase
 * never asks the tty; until then the handle is not active.
 *
 * Return: a handle, or NULL with errno: ENOTTY (@fd is not a tty; with
 * QLINK_LDISC_REQUIRE also a pty master, which the module refuses: attach to
 * the slave), EINVAL (@num or @flags out of range; with QLINK_LDISC_REQUIRE:
 * module not loaded), EPERM (with QLINK_LDISC_REQUIRE: no CAP_NET_ADMIN),
 * ENOMEM.
 */
struct qlink_ldisc *qlink_ldisc_attach(int fd, int num, unsigned int flags);

/**
 * qlink_ldisc_get_active() - whether the ldisc is attached through this handle
 * @l: handle
 *
 * Return: true when attached, false when the module was absent or refused
 * (or a QLINK_LDISC_DEFERRED handle has not looked yet).
 */
bool qlink_ldisc_get_active(const struct qlink_ldisc *l);

/**
 * qlink_ldisc_set_data_mode() - tell the ldisc the port carries a payload
 * @l: handle
 * @data: true when a payload starts (the ldisc also sees the CONNECT of
 *	a command that can answer it by itself), false once the port is back
 *	in command mode: the ldisc classifies again from the next byte it
 *	receives (qlink_ldisc_end_data_mode() also takes bytes already read)
 *
 * While in data mode nothing is taken for a URC, so a payload holding
 * "+QIND:" is never published. Does nothing on an inactive handle.
 *
 * Return: 0, or -1 with errno EIO (the port went away), EBADF.
 */
int qlink_ldisc_set_data_mode(struct qlink_ldisc *l, bool data);

/**
 * qlink_ldisc_end_data_mode() - the payload has ended, part of what follows read
 * @l:     handle
 * @after: bytes already read from the port that came after the payload
 *         (the module's lines that ended it, and any after them in the same
 *         reads); 0 when the next byte to read is the first after it
 *
 * Unlike qlink_ldisc_set_data_mode(@l, false), the ldisc classifies those
 * bytes too (QLINK_MODE_F_END), so a URC or result that came in the same
 * piece as the payload's end (a COM: download's "+QFTPGET: 0,<len>") is
 * published. The ldisc keeps the last QLINK_MODE_TAIL bytes it received
 * for this: a line that began before them is not published. A module
 * without QLINK_MODE_F_END is given qlink_ldisc_set_data_mode(@l, false).
 * qlink_ldisc_follow() calls it with the channel's count. Does nothing on
 * an inactive handle.
 *
 * Return: 0, or -1 with errno EINVAL (@l is NULL, @after above INT32_MAX),
 * EIO (the port went away), EBADF.
 */
int qlink_ldisc_end_data_mode(struct qlink_ldisc *l, size_t after);

/**
 * qlink_ldisc_set_urcs() - replace the set of URC prefixes on this tty
 * @l: handle
 * @prefixes: prefixes; one ending in ':' matches lines starting with it,
 *	any other only an equal line
 * @n: how many; 0 restores the module's built-in set
 *
 * Return: 0 (also on an inactive handle), or -1 with errno EINVAL (more
 * than 128, empty, or more than 4096 bytes together), ENOMEM.
 */
int qlink_ldisc_set_urcs(struct qlink_ldisc *l, const char *const *prefixes, size_t n);

/**
 * qlink_ldisc_get_stats() - this tty's counters
 * @l: handle
 * @st: filled in
 *
 * Return: 0, or -1 with errno ENODEV (inactive handle), EIO.
 */
int qlink_ldisc_get_stats(struct qlink_ldisc *l, struct qlink_ldisc_stats *st);

/**
 * qlink_ldisc_query_stats() - counters by tty name, from any process
 * @tty: the kernel's name of an attached tty ("ttyS1", "pts3"), or NULL
 *	for the totals since the module was loaded
 * @st: filled in; @st->flags for a tty, @st->attached for the totals
 *
 * Asks the "qlink" generic-netlink family, so the caller needs neither the
 * port open nor the line discipline's handle (qlink attach holds them).
 *
 * Return: 0, or -1 with errno ENODEV (qlink is not attached to @tty),
 * ENOENT (qlink.ko is not loaded), EPERM (the counters are for
 * CAP_NET_ADMIN), ENOTSUP (libqlink was built without
 * libmnl: WITH_LIBMNL=0), EINVAL, or a socket's error.
 */
int qlink_ldisc_query_stats(const char *tty, struct qlink_ldisc_stats *st);

/**
 * qlink_ldisc_follow() - keep the ldisc's data mode in step with a channel
 * @l:    the handle (inactive and not QLINK_LDISC_DEFERRED: nothing happens)
 * @chan: the channel on the same port (stop with
 *        qlink_chan_set_data_mode_cb(@chan, NULL, NULL))
 *
 * The ldisc enters data mode by itself on the CONNECT of a command that
 * can answer it, but cannot tell where the payload ends; the channel can,
 * and this tells the ldisc each time (QLINK_IOC_SET_MODE) with the bytes it
 * read past the end (qlink_ldisc_end_data_mode()), so the result and URCs
 * after a transfer are published, also those in the payload's last piece.
 * @l must outlive the binding.
 *
 * Return: 0, or -1 with errno EINVAL.
 */
int qlink_ldisc_follow(struct qlink_ldisc *l, struct qlink_chan *chan);

/**
 * qlink_ldisc_close() - put the previous discipline back and free the handle
 * @l: handle, may be NULL
 *
 * Never waits for the modem: detaching does not drain output.
 *
 * Return: 0, or -1 with errno from TIOCSETD (the handle is freed anyway).
 */
int qlink_ldisc_close(struct qlink_ldisc *l);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_LDISC_H */
