/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * Every kernel-version difference qlink.ko meets, in one place. The module
 * is built against Debian 12's 6.1 and must also build against >= 6.6.
 */
#ifndef QLINK_COMPAT_H
#define QLINK_COMPAT_H

#include <linux/tty.h>
#include <linux/tty_flip.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

/*
 * 6.6 turned receive_buf2()'s flags into const u8 * and its count into
 * size_t (and returns size_t); 6.1 has const char * and int.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
typedef u8 qlink_flag_t;
typedef size_t qlink_count_t;
#else
typedef char qlink_flag_t;
typedef int qlink_count_t;
#endif

/*
 * A multicast group that only CAP_NET_ADMIN (in the socket's network
 * namespace) may join. Kernels with GENL_MCAST_CAP_NET_ADMIN (mainline 6.7,
 * and the stable series that took it, as Debian 12's 6.1.0-56 did) check
 * that flag in genl_bind(); the ones before it check the same capability
 * for a group flagged GENL_UNS_ADMIN_PERM, which that change renamed. So
 * no kernel qlink builds for lets an unprivileged user join.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define QLINK_GENL_MCGRP_FLAGS GENL_MCAST_CAP_NET_ADMIN
#else
#define QLINK_GENL_MCGRP_FLAGS GENL_UNS_ADMIN_PERM
#endif

/**
 * qlink_restart_rx() - ask the tty buffer layer to offer its bytes again
 * @tty: the tty whose receive_buf2() accepted fewer bytes than offered
 *
 * After a short receive_buf2() the flip-buffer worker stops until someone
 * queues it. n_tty calls tty_buffer_restart_work(), which is not exported;
 * this queues the same work item the same way. Callable from any context.
 */
static inline void qlink_restart_rx(struct tty_struct *tty)
{
	if (tty->port)
		queue_work(system_unbound_wq, &tty->port->buf.work);
}

/**
 * qlink_flush_rx() - wait until the flip-buffer worker is idle
 * @tty: the tty
 *
 * n_tty calls tty_buffer_flush_work() before it decides that there is
 * nothing to read: bytes the worker is handing over, and buffer room it is
 * about to free, are then accounted for. Not exported either; this waits
 * for the same work item. Process context; sleeps.
 */
static inline void qlink_flush_rx(struct tty_struct *tty)
{
	if (tty->port)
		flush_work(&tty->port->buf.work);
}

#endif /* QLINK_COMPAT_H */
