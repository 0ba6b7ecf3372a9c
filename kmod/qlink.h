/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink.ko internals shared by the line discipline (qlink-ldisc.c), the
 * record ring and /dev/qlink-urc (qlink-urc.c) and generic netlink
 * (qlink-genl.c).
 */
#ifndef QLINK_KMOD_H
#define QLINK_KMOD_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/tty.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/qlink.h>

/**
 * struct qlink_counters - what `qlink stats` shows; one per tty plus totals
 * @rx_bytes: bytes received from the driver
 * @tx_bytes: bytes written to the driver
 * @urcs: records published
 * @dropped: records lost by a reader (overrun) or by the multicast group
 * @crtscts_reasserts: CRTSCTS cleared by someone and set again
 * @data_mode_entries: entries into data mode
 * @rx_dropped: received bytes dropped unread in publish-only mode
 *
 * Atomic, so no lock: each is written from one context but read from any.
 */
struct qlink_counters {
	atomic64_t rx_bytes;
	atomic64_t tx_bytes;
	atomic64_t urcs;
	atomic64_t dropped;
	atomic64_t crtscts_reasserts;
	atomic64_t data_mode_entries;
	atomic64_t rx_dropped;
};

/**
 * struct qlink_urc_prefixes - a set of URC prefixes, replaced as a whole
 * @rcu: freed after a grace period, receive_buf2() reads it under RCU
 * @count: entries in @p
 * @len: length of each entry
 * @p: the entries, pointing into @buf or at static strings
 * @buf: storage for a set given by ioctl
 */
struct qlink_urc_prefixes {
	struct rcu_head rcu;
	u32 count;
	u16 len[QLINK_URC_SET_MAX_COUNT];
	const char *p[QLINK_URC_SET_MAX_COUNT];
	char buf[];
};

/* Longest command name kept from the owner's writes, with "AT" and ':' */
#define QLINK_CMD_PREFIX_MAX	32

/**
 * struct qlink_ldisc_port - state of one attached tty
 * @tty: the tty; valid from open() to close()
 * @node: on qlink_ldisc_list, under qlink_ldisc_list_lock
 * @name: the tty's name, copied for records
 * @rx_lock: protects @rx_buf, @rx_head, @rx_tail, @rx_pos, @rx_stalled, @rx_drop and
 *	the decision in @throttled. A plain spinlock: every taker runs in
 *	process context (receive_buf2() from the flip-buffer worker, read(),
 *	poll(), flush_buffer(), the ioctls, the flow work), none from an
 *	interrupt; the reader takes it for every 64 bytes of a read()
 * @rx_buf: bytes received and not yet read, a ring of @rx_size bytes
 * @rx_size: power of two
 * @rx_head: total bytes put into @rx_buf (free-running)
 * @rx_tail: total bytes taken out of @rx_buf (free-running)
 * @rx_stalled: receive_buf2() refused bytes; read() must restart the worker
 * @rx_drop: publish-only mode and nobody but the holder has the tty open: a
 *	full ring drops its oldest bytes instead of refusing new ones; set by
 *	qlink_flow_sync()
 * @throttled: qlink has throttled the driver (or is about to: the decision
 *	is taken under @rx_lock, the driver called after it). Written only by
 *	qlink_flow_sync(), under termios_rwsem (read), the tty's throttle_mutex
 *	and @rx_lock, so that a reader that drains the ring after the decision
 *	sees it and syncs again
 * @read_lock: one reader at a time, held across the tty layer's
 *	continuation calls of one read() (n_tty's atomic_read_lock); taken
 *	before termios_rwsem and the throttle_mutex
 * @flow_work: qlink_flow_sync() from process context: receive_buf2() must
 *	not sleep, and the driver's throttle() may. Also re-armed while the
 *	port is throttled in publish-only mode, to see the other opener leave
 * @publish_only: QLINK_PORT_PUBLISH_ONLY (READ_ONCE/WRITE_ONCE)
 * @rx_pos: stream position of the next byte received: bytes since attach,
 *	also those dropped before they reached @rx_buf (publish-only, a piece
 *	larger than the ring). The readers' position is @rx_pos - (@rx_head -
 *	@rx_tail)
 * @line_lock: the line assembler and the owner's pending command: every
 *	field from @line to @cmd_prefix_len. A plain spinlock: taken only in
 *	process context (receive_buf2() from the flip-buffer worker, ioctl,
 *	write(), flush_buffer()), never with @rx_lock held and never around
 *	@rx_lock; records are published under it (the ring's lock nests)
 * @line: line being assembled
 * @line_len: bytes in @line
 * @line_trunc: the line is longer than @line holds
 * @line_flags: QLINK_REC_RX_ERROR when a byte of the line was flagged
 * @line_skip: drop bytes up to the next CR or LF (resumed inside a line)
 * @body_next: the next line is the body of the two-line URC just published
 * @line_pos: stream position after the last byte received (in @tail); the
 *	assembler has taken every byte before it once receive_buf2() returns
 * @line_reset: set locklessly by hangup and DCD loss (the latter from the
 *	driver's interrupt); the assembler drops @line on seeing it
 * @data_mode: nothing is classified while set; written under @line_lock,
 *	and cleared locklessly by hangup and DCD loss (READ_ONCE/WRITE_ONCE)
 * @data_start: stream position where data mode began
 * @data_end: with @data_end_set, where data mode ends (QLINK_MODE_F_END)
 * @data_end_set: @data_end is valid
 * @tail: the last QLINK_MODE_TAIL bytes received (a power of two), at
 *	their stream position modulo its size, for a resume at a position
 *	already passed
 * @connect_armed: the owner's last command can answer CONNECT and has no
 *	final result yet: only then does CONNECT start data mode
 * @cmd_prefix: response prefix of the owner's pending command ("+CPIN:")
 * @cmd_prefix_len: its length; 0 when no command is pending
 * @wline: the owner's command line being written; only qlink_write() touches
 *	it (the tty layer runs one write() at a time: atomic_write_lock)
 * @wline_len: bytes in @wline
 * @urcs: prefix set, RCU: written under @urcs_lock, read under rcu_read_lock()
 * @urcs_lock: serialises replacement of @urcs
 * @flow_none: attached with flow=none; CRTSCTS is not enforced
 * @crtscts_ok: qlink keeps CRTSCTS on: it was on at attach or the driver
 *	kept it; cleared for good when a lock (TIOCSLCKTRMIOS) or the driver
 *	refuses it. Written under termios_rwsem (or before the ldisc is
 *	live), read with READ_ONCE() anywhere
 * @crtscts_restore: qlink itself turned CRTSCTS on (on attach or again
 *	after it was cleared): detach turns it off. Under termios_rwsem
 * @hung: the tty was hung up; readers and writers return
 * @stats: this tty's counters
 */
struct qlink_ldisc_port {
	struct tty_struct *tty;
	struct list_head node;
	char name[QLINK_TTY_NAME_MAX];

	spinlock_t rx_lock;
	u8 *rx_buf;
	size_t rx_size;
	size_t rx_head;
	size_t rx_tail;
	u64 rx_pos;
	bool rx_stalled;
	bool rx_drop;
	bool throttled;

	struct mutex read_lock;	/* one read() at a time, see above */
	struct delayed_work flow_work;
	bool publish_only;

	spinlock_t line_lock;	/* the assembler, see above */
	char line[QLINK_TEXT_MAX];
	size_t line_len;
	bool line_trunc;
	u32 line_flags;
	bool line_skip;
	bool body_next;
	u64 line_pos;
	bool line_reset;
	bool data_mode;
	u64 data_start;
	u64 data_end;
	bool data_end_set;
	u8 tail[QLINK_MODE_TAIL];
	bool connect_armed;
	char cmd_prefix[QLINK_CMD_PREFIX_MAX];
	u8 cmd_prefix_len;

	char wline[QLINK_CMD_PREFIX_MAX];
	u8 wline_len;

	struct qlink_urc_prefixes __rcu *urcs;
	struct mutex urcs_lock;

	bool flow_none;
	bool crtscts_ok;
	bool crtscts_restore;
	bool hung;
	struct qlink_counters stats;
};

/* Totals since load, over every tty. */
extern struct qlink_counters qlink_totals;

/* Attached ttys, for the netlink stats command. */
extern struct list_head qlink_ldisc_list;
extern struct mutex qlink_ldisc_list_lock;

/* Add @n to a counter of tty @q (may be NULL: totals only) and to the totals. */
#define QLINK_COUNT(q, field, n) do {						\
	struct qlink_ldisc_port *q_ = (q);				\
										\
	if (q_)									\
		atomic64_add((n), &q_->stats.field);				\
	atomic64_add((n), &qlink_totals.field);				\
} while (0)

int qlink_urc_init(unsigned int ring_records);
int qlink_urc_register(void);
void qlink_urc_unregister(void);
void qlink_urc_exit(void);
void qlink_urc_publish(struct qlink_ldisc_port *q, const char *text, size_t len, u32 flags);

int qlink_genl_init(void);
void qlink_genl_exit(void);
void qlink_genl_send(struct qlink_ldisc_port *q, u64 seq, u64 ts, u32 flags, const char *text,
		     size_t len);

#endif /* QLINK_KMOD_H */
