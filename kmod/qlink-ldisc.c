// SPDX-License-Identifier: GPL-2.0
// Copyright (C) 2026 The qlink authors
/*
 * qlink line discipline: keeps RTS/CTS on for a Quectel modem's AT port,
 * passes every byte through to the process that owns the port, and
 * publishes URC lines for everyone else (qlink-urc.c, qlink-genl.c).
 *
 * Modelled on n_hdlc: read/write/poll/ioctl on the tty go through here.
 * Received bytes wait in a bounded ring; when it fills, receive_buf2()
 * accepts fewer bytes (the rest stays in the tty's flip buffers) and the
 * driver is throttled, so nothing is dropped: the modem is held off by RTS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/qlink-urc-prefixes.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "qlink.h"
#include "qlink-compat.h"

static int ldisc = QLINK_LDISC_DEFAULT;
module_param(ldisc, int, 0444);
MODULE_PARM_DESC(ldisc, "line discipline number (default 29, N_DEVELOPMENT); load the module explicitly, TIOCSETD never loads it");

static unsigned int rx_buf_size = 65536;
module_param(rx_buf_size, uint, 0444);
MODULE_PARM_DESC(rx_buf_size, "bytes buffered per tty for its reader (power of two)");

static unsigned int ring_records = 1024;
module_param(ring_records, uint, 0444);
MODULE_PARM_DESC(ring_records, "URC records kept for /dev/qlink-urc readers (power of two)");

static bool flow_none;

/**
 * flow_set() - parse the "flow" module parameter
 * @val: "rtscts" (the default: CRTSCTS is forced on) or "none"
 * @kp: the parameter
 *
 * Return: 0, or -EINVAL for any other value.
 */
static int flow_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "rtscts"))
		WRITE_ONCE(flow_none, false);
	else if (sysfs_streq(val, "none"))
		WRITE_ONCE(flow_none, true);
	else
		return -EINVAL;
	return 0;
}

/**
 * flow_get() - show the "flow" module parameter
 * @buf: page to write to
 * @kp: the parameter
 *
 * Return: bytes written.
 */
static int flow_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(flow_none) ? "none" : "rtscts");
}

static const struct kernel_param_ops flow_ops = {
	.set = flow_set,
	.get = flow_get,
};
module_param_cb(flow, &flow_ops, NULL, 0644);
MODULE_PARM_DESC(flow, "rtscts (default): force CRTSCTS on; none: boards without RTS/CTS");

struct qlink_counters qlink_totals;
LIST_HEAD(qlink_ldisc_list);
DEFINE_MUTEX(qlink_ldisc_list_lock);

/*
 * Set (smp_store_release) once qlink_init() can no longer fail: until then
 * the ldisc, registered early, refuses to attach, so a load that is undone
 * never leaves a tty attached to a module about to be freed.
 */
static bool qlink_live;

/* The built-in set, shared with libqlink's parser (linux/qlink-urc-prefixes.h). */
#define QLINK_URC_PREFIX(s) s,
static const char *const qlink_default_urcs[] = { QLINK_URC_PREFIXES };
#undef QLINK_URC_PREFIX

/* Built from qlink_default_urcs at load; never freed while the module is in. */
static struct qlink_urc_prefixes *qlink_default_set;

/**
 * qlink_rx_fill() - bytes waiting for the tty's reader
 * @q: the tty's state
 *
 * Return: the count, a snapshot.
 */
static size_t qlink_rx_fill(struct qlink_ldisc_port *q)
{
	size_t fill;

	spin_lock(&q->rx_lock);
	fill = q->rx_head - q->rx_tail;
	spin_unlock(&q->rx_lock);
	return fill;
}

/**
 * qlink_no_other_opener() - nobody but the holder has the tty open
 * @tty: the tty
 *
 * A pty slave's count includes one for its master.
 *
 * Return: true when the tty is open once (a snapshot; a heuristic that
 * errs towards flow control: a second opener that only writes counts too).
 */
static bool qlink_no_other_opener(struct tty_struct *tty)
{
	int base = 1;

	if (tty->driver->type == TTY_DRIVER_TYPE_PTY &&
	    tty->driver->subtype == PTY_TYPE_SLAVE)
		base++;
	return READ_ONCE(tty->count) <= base;
}

/**
 * qlink_flow_sync() - throttle or unthrottle the driver by the ring's fill
 * @q: the tty's state
 *
 * n_tty's protocol: the decision is taken and applied under termios_rwsem
 * (read: excludes tty_set_termios() and tty_unthrottle() from TCIFLUSH,
 * and the driver sees stable termios) and the tty's throttle_mutex (one
 * decider at a time); the fill is read, and the decision recorded in
 * @q->throttled, under @q->rx_lock, where receive_buf2() and the reader
 * look. Whoever changes the fill afterwards sees the decision and syncs
 * again. Throttles at 3/4 full, unthrottles at 1/4 or below; in
 * publish-only mode with nobody else on the tty never throttles.
 * Context: process; sleeps (the driver's callbacks may).
 */
static void qlink_flow_sync(struct qlink_ldisc_port *q)
{
	struct tty_struct *tty = q->tty;
	bool want, was, restart = false;
	size_t fill;
	bool drop;

	down_read(&tty->termios_rwsem);
	mutex_lock(&tty->throttle_mutex);
	drop = READ_ONCE(q->publish_only) && qlink_no_other_opener(tty);
	spin_lock(&q->rx_lock);
	/* tty_unthrottle() (TCIFLUSH) unthrottled behind our back */
	if (q->throttled && !test_bit(TTY_THROTTLED, &tty->flags))
		q->throttled = false;
	was = q->throttled;
	fill = q->rx_head - q->rx_tail;
	q->rx_drop = drop;
	if (drop)
		want = false;
	else if (fill >= q->rx_size / 4 * 3)
		want = true;
	else if (fill <= q->rx_size / 4)
		want = false;
	else
		want = was;
	WRITE_ONCE(q->throttled, want);
	if (drop && q->rx_stalled) {
		q->rx_stalled = false;
		restart = true;
	}
	spin_unlock(&q->rx_lock);

	if (want && !was) {
		set_bit(TTY_THROTTLED, &tty->flags);
		if (tty->ops->throttle)
			tty->ops->throttle(tty);
	} else if (!want && was) {
		clear_bit(TTY_THROTTLED, &tty->flags);
		if (tty->ops->unthrottle)
			tty->ops->unthrottle(tty);
	}
	mutex_unlock(&tty->throttle_mutex);
	up_read(&tty->termios_rwsem);

	if (restart)
		qlink_restart_rx(tty);
	/* publish-only and held back by another opener: see it leave */
	if (want && READ_ONCE(q->publish_only) && !READ_ONCE(q->hung))
		schedule_delayed_work(&q->flow_work, HZ / 5);
}

/**
 * qlink_flow_work() - qlink_flow_sync() on behalf of receive_buf2()
 * @work: &qlink_ldisc_port.flow_work
 */
static void qlink_flow_work(struct work_struct *work)
{
	qlink_flow_sync(container_of(to_delayed_work(work), struct qlink_ldisc_port, flow_work));
}

/**
 * qlink_wake_link() - wake the writer of a pty's other side
 * @tty: the tty
 *
 * A pty master's writer waits for room in this side's flip buffer, which
 * the flip-buffer worker frees as it hands bytes to the ldisc; nothing but
 * this side's ldisc can wake it then (n_tty does it from its read side).
 * Does not sleep.
 */
static void qlink_wake_link(struct tty_struct *tty)
{
	struct tty_struct *link = tty->link;

	if (tty->driver->type != TTY_DRIVER_TYPE_PTY || !link)
		return;
	if (test_bit(TTY_DO_WRITE_WAKEUP, &link->flags) || wq_has_sleeper(&link->write_wait))
		tty_wakeup(link);
}

/**
 * qlink_rx_take() - move bytes from the ring to the reader
 * @q: the tty's state
 * @buf: kernel buffer
 * @nr: its size
 * @left: set to the bytes still in the ring after these (a snapshot: the
 *	caller's next call, the tty layer's 64-byte continuation, needs no
 *	second look under the lock)
 *
 * Restarts the flip-buffer worker if receive_buf2() refused bytes, and
 * unthrottles once the ring has drained to a quarter.
 * Context: process, with @q->read_lock held; may sleep.
 *
 * Return: bytes copied.
 */
static size_t qlink_rx_take(struct qlink_ldisc_port *q, u8 *buf, size_t nr, size_t *left)
{
	size_t mask = q->rx_size - 1, n, first;
	bool restart, sync;

	spin_lock(&q->rx_lock);
	n = min(nr, q->rx_head - q->rx_tail);
	first = min(n, q->rx_size - (q->rx_tail & mask));
	memcpy(buf, q->rx_buf + (q->rx_tail & mask), first);
	memcpy(buf + first, q->rx_buf, n - first);
	q->rx_tail += n;
	restart = n && q->rx_stalled;
	if (restart)
		q->rx_stalled = false;
	*left = q->rx_head - q->rx_tail;
	sync = q->throttled && *left <= q->rx_size / 4;
	spin_unlock(&q->rx_lock);

	if (restart)
		qlink_restart_rx(q->tty);
	if (sync)
		qlink_flow_sync(q);
	return n;
}

/**
 * qlink_line_is_urc() - whether a complete line is in the tty's URC set
 * @q: the tty's state
 * @line: the line, without CR/LF
 * @len: its length
 *
 * Context: any; takes rcu_read_lock().
 * Return: true for a URC.
 */
static bool qlink_line_is_urc(struct qlink_ldisc_port *q, const char *line, size_t len)
{
	const struct qlink_urc_prefixes *set;
	bool found = false;
	u32 i;

	rcu_read_lock();
	set = rcu_dereference(q->urcs);
	for (i = 0; i < set->count && !found; i++) {
		size_t plen = set->len[i];

		if (set->p[i][plen - 1] == ':')
			found = len >= plen && !memcmp(line, set->p[i], plen);
		else
			found = len == plen && !memcmp(line, set->p[i], plen);
	}
	rcu_read_unlock();
	return found;
}

/**
 * qlink_tail_start() - oldest stream position still in &qlink_ldisc_port.tail
 * @q: the tty's state
 *
 * Context: @q->line_lock held.
 * Return: the position.
 */
static u64 qlink_tail_start(struct qlink_ldisc_port *q)
{
	return q->line_pos > QLINK_MODE_TAIL ? q->line_pos - QLINK_MODE_TAIL : 0;
}

/**
 * qlink_tail_at_line_start() - whether a position starts a line
 * @q: the tty's state
 * @pos: a stream position, at most &qlink_ldisc_port.line_pos
 *
 * Context: @q->line_lock held.
 * Return: true when @pos is 0 or the byte before it is a kept CR or LF;
 * false for a byte no longer kept.
 */
static bool qlink_tail_at_line_start(struct qlink_ldisc_port *q, u64 pos)
{
	u8 c;

	if (!pos)
		return true;
	if (pos - 1 < qlink_tail_start(q))
		return false;
	c = q->tail[(pos - 1) & (QLINK_MODE_TAIL - 1)];
	return c == '\r' || c == '\n';
}

/**
 * qlink_tail_add() - keep the last bytes received, for a resume
 * @q: the tty's state
 * @cp: the bytes
 * @n: how many
 *
 * Advances &qlink_ldisc_port.line_pos past them.
 * Context: @q->line_lock held.
 */
static void qlink_tail_add(struct qlink_ldisc_port *q, const u8 *cp, size_t n)
{
	size_t off, first;

	if (n > QLINK_MODE_TAIL) {
		q->line_pos += n - QLINK_MODE_TAIL;
		cp += n - QLINK_MODE_TAIL;
		n = QLINK_MODE_TAIL;
	}
	off = q->line_pos & (QLINK_MODE_TAIL - 1);
	first = min_t(size_t, n, QLINK_MODE_TAIL - off);
	memcpy(q->tail + off, cp, first);
	memcpy(q->tail, cp + first, n - first);
	q->line_pos += n;
}

/**
 * qlink_line_is_final() - whether a line is a final result code
 * @line: the line, without CR/LF
 * @len: its length
 *
 * Return: true for OK, ERROR, +CME ERROR:, +CMS ERROR:, NO CARRIER, BUSY,
 * NO ANSWER, NO DIALTONE: the pending command has ended.
 */
static bool qlink_line_is_final(const char *line, size_t len)
{
	static const char *const finals[] = {
		"OK", "ERROR", "+CME ERROR:", "+CMS ERROR:", "NO CARRIER", "BUSY", "NO ANSWER",
		"NO DIALTONE",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(finals); i++) {
		size_t flen = strlen(finals[i]);

		if (finals[i][flen - 1] == ':' ? len >= flen && !memcmp(line, finals[i], flen) :
						 len == flen && !memcmp(line, finals[i], flen))
			return true;
	}
	return false;
}

/**
 * qlink_line_has_body() - whether a URC's text follows on the next line
 * @line: the line, without CR/LF
 * @len: its length
 *
 * +CMT: and +CBM: always (text or PDU mode); +CDS: only in PDU mode, where
 * the header is "+CDS: <length>" (in text mode the report is one line).
 *
 * Return: true when the next line is the URC's body.
 */
static bool qlink_line_has_body(const char *line, size_t len)
{
	size_t i;

	if (len >= 5 && (!memcmp(line, "+CMT:", 5) || !memcmp(line, "+CBM:", 5)))
		return true;
	if (len < 6 || memcmp(line, "+CDS:", 5))
		return false;
	for (i = 5; i < len && line[i] == ' '; i++)
		;
	if (i == len)
		return false;
	for (; i < len; i++)
		if (line[i] < '0' || line[i] > '9')
			return false;
	return true;
}

/**
 * qlink_line_done() - classify the line just completed
 * @q: the tty's state
 * @next: stream position of the byte after the line's terminator
 *
 * The body of a two-line URC is published as it is (QLINK_REC_BODY) and is
 * never taken for anything else. A final result ends the owner's pending
 * command; CONNECT (alone or with a rate) starts data mode only while a
 * command that can answer it is pending. A line with the pending command's
 * prefix is an answer (QLINK_REC_SOLICITED).
 * Context: @q->line_lock held; does not sleep.
 */
static void qlink_line_done(struct qlink_ldisc_port *q, u64 next)
{
	size_t len = q->line_len;
	u32 flags = q->line_flags | (q->line_trunc ? QLINK_REC_TRUNCATED : 0);
	bool body = q->body_next;

	q->line_len = 0;
	q->line_trunc = false;
	q->line_flags = 0;
	q->body_next = false;
	if (body) {
		qlink_urc_publish(q, q->line, len, flags | QLINK_REC_BODY);
		return;
	}
	if (qlink_line_is_final(q->line, len)) {
		q->connect_armed = false;
		q->cmd_prefix_len = 0;
	} else if (q->connect_armed && (len == 7 || (len > 7 && q->line[7] == ' ')) &&
		   !memcmp(q->line, "CONNECT", 7)) {
		q->connect_armed = false;
		q->cmd_prefix_len = 0;
		q->data_start = next;
		q->data_end_set = false;
		WRITE_ONCE(q->data_mode, true);
		QLINK_COUNT(q, data_mode_entries, 1);
		return;
	}
	if (!qlink_line_is_urc(q, q->line, len))
		return;
	if (q->cmd_prefix_len && len >= q->cmd_prefix_len &&
	    !memcmp(q->line, q->cmd_prefix, q->cmd_prefix_len))
		flags |= QLINK_REC_SOLICITED;
	qlink_urc_publish(q, q->line, len, flags);
	q->body_next = qlink_line_has_body(q->line, len);
}

/**
 * qlink_line_clear() - forget the line being assembled
 * @q: the tty's state
 *
 * Context: @q->line_lock held.
 */
static void qlink_line_clear(struct qlink_ldisc_port *q)
{
	q->line_len = 0;
	q->line_trunc = false;
	q->line_flags = 0;
	q->line_skip = false;
	q->body_next = false;
}

/**
 * qlink_scan() - the next byte that is one of three
 * @cp: the bytes
 * @i: where to start
 * @n: how many there are
 * @c1: a byte looked for
 * @c2: another
 * @c3: another (or @c2 again)
 *
 * Eight bytes at a time (a word holds byte c when w ^ (c * 0x0101...) has a
 * zero byte), then byte by byte within the word that has one: the line
 * assembler's and the command watcher's cost per byte, which pass-through
 * pays in command mode.
 *
 * Return: the index of the first such byte at or after @i, or @n.
 */
static size_t qlink_scan(const u8 *cp, size_t i, size_t n, u8 c1, u8 c2, u8 c3)
{
	const u64 ones = 0x0101010101010101ULL, highs = ones << 7;
	const u64 m1 = ones * c1, m2 = ones * c2, m3 = ones * c3;

	for (; i + sizeof(u64) <= n; i += sizeof(u64)) {
		u64 w, a, b, c;

		memcpy(&w, cp + i, sizeof(w));
		a = w ^ m1;
		b = w ^ m2;
		c = w ^ m3;
		if (((a - ones) & ~a & highs) | ((b - ones) & ~b & highs) |
		    ((c - ones) & ~c & highs))
			break;
	}
	while (i < n && cp[i] != c1 && cp[i] != c2 && cp[i] != c3)
		i++;
	return i;
}

/**
 * qlink_assemble_at() - feed bytes to the line assembler
 * @q: the tty's state
 * @cp: the bytes
 * @fp: their flags (TTY_NORMAL...), or NULL
 * @n: how many
 * @pos: stream position of @cp[0]
 *
 * CR and LF end a line; empty lines are skipped; a line longer than the
 * record's text is cut and flagged; a line with a flagged byte is marked
 * QLINK_REC_RX_ERROR. Nothing is looked at in data mode; data mode with an
 * end (QLINK_MODE_F_END) leaves by itself there, starting at the next line
 * unless the end is at a line's start.
 * Context: @q->line_lock held; does not sleep.
 */
static void qlink_assemble_at(struct qlink_ldisc_port *q, const u8 *cp, const qlink_flag_t *fp,
			      size_t n, u64 pos)
{
	size_t i = 0, k;

	while (i < n) {
		if (READ_ONCE(q->data_mode)) {
			k = n - i;

			if (!q->data_end_set)
				return;
			if (q->data_end <= pos + i)
				k = 0;
			else if (q->data_end - (pos + i) < k)
				k = q->data_end - (pos + i);
			i += k;
			if (pos + i < q->data_end)
				return;
			/* the end: classify again from here */
			q->data_end_set = false;
			WRITE_ONCE(q->data_mode, false);
			qlink_line_clear(q);
			q->line_skip = i ? cp[i - 1] != '\r' && cp[i - 1] != '\n' :
					   !qlink_tail_at_line_start(q, pos);
			continue;
		}
		/* the bytes up to the line's end at once: memcpy, not a byte loop */
		k = qlink_scan(cp, i, n, '\r', '\n', '\n');
		if (k > i) {
			if (!q->line_skip) {
				size_t room = sizeof(q->line) - 1 - q->line_len;

				if (k - i > room)
					q->line_trunc = true;
				memcpy(q->line + q->line_len, cp + i, min(k - i, room));
				q->line_len += min(k - i, room);
			}
			if (fp && memchr_inv(fp + i, TTY_NORMAL, k - i))
				q->line_flags |= QLINK_REC_RX_ERROR;
			i = k;
			continue;
		}
		/* cp[i] ends a line */
		if (q->line_skip)
			qlink_line_clear(q);
		else if (q->line_len || q->line_trunc)
			qlink_line_done(q, pos + i + 1);
		i++;
	}
}

/**
 * qlink_resume() - leave data mode at a position already received
 * @q: the tty's state
 * @from: the stream position where command mode resumed
 *
 * Classifies the kept bytes from @from (not before data mode began) to the
 * last one received; a line that began before the bytes kept, or before
 * @from, is dropped.
 * Context: @q->line_lock held; does not sleep.
 */
static void qlink_resume(struct qlink_ldisc_port *q, u64 from)
{
	u64 lo = qlink_tail_start(q), end = q->line_pos;
	bool skip;

	if (from < q->data_start)
		from = q->data_start;
	skip = !qlink_tail_at_line_start(q, from);
	if (from < lo)
		from = lo;
	q->data_end_set = false;
	WRITE_ONCE(q->data_mode, false);
	qlink_line_clear(q);
	q->line_skip = skip;
	while (from < end) {
		size_t off = from & (QLINK_MODE_TAIL - 1);
		size_t k = min_t(u64, end - from, QLINK_MODE_TAIL - off);

		qlink_assemble_at(q, q->tail + off, NULL, k, from);
		from += k;
	}
}

/**
 * qlink_assemble() - received bytes to the line assembler
 * @q: the tty's state
 * @cp: the bytes
 * @fp: their flags
 * @n: how many
 * @pos: stream position of @cp[0]
 *
 * Context: receive_buf2(); takes @q->line_lock; does not sleep.
 */
static void qlink_assemble(struct qlink_ldisc_port *q, const u8 *cp, const qlink_flag_t *fp,
			   size_t n, u64 pos)
{
	spin_lock(&q->line_lock);
	if (READ_ONCE(q->line_reset)) {
		WRITE_ONCE(q->line_reset, false);
		qlink_line_clear(q);
		if (!READ_ONCE(q->data_mode))
			q->data_end_set = false;
	}
	q->line_pos = pos;
	qlink_tail_add(q, cp, n);
	qlink_assemble_at(q, cp, fp, n, pos);
	spin_unlock(&q->line_lock);
}

/*
 * Commands that can answer CONNECT (their set or execute form): the FILE,
 * FTP and HTTP transfers to COM:, the transparent sockets, GPRS data. The
 * basic commands D, O and A are added by qlink_cmd_line().
 */
static const char *const qlink_connect_cmds[] = {
	"+QFTPGET", "+QFTPPUT", "+QFTPLIST", "+QFTPNLST", "+QFTPMLSD", "+QFUPL", "+QFDWL",
	"+QFREAD", "+QFWRITE", "+QHTTPURL", "+QHTTPPOST", "+QHTTPPUT", "+QHTTPREAD",
	"+QIOPEN", "+QISWTMD", "+QSSLOPEN", "+QSSLSWTMD", "+CGDATA",
};

/**
 * qlink_cmd_line() - the owner wrote a command line
 * @q: the tty's state
 * @s: the line, without its CR (possibly cut)
 * @len: its length
 *
 * Records the command's response prefix ("AT+CPIN?" gives "+CPIN:") and
 * whether it can answer CONNECT; a line that is not a command changes
 * nothing. Of concatenated commands only the first counts.
 * Context: process, from qlink_write(); takes @q->line_lock.
 */
static void qlink_cmd_line(struct qlink_ldisc_port *q, const char *s, size_t len)
{
	char prefix[QLINK_CMD_PREFIX_MAX];
	size_t i, plen = 0;
	bool armed = false;

	while (len && (*s == ' ' || *s == '\n')) {
		s++;
		len--;
	}
	if (len < 2 || (s[0] != 'A' && s[0] != 'a') || (s[1] != 'T' && s[1] != 't'))
		return;
	s += 2;
	len -= 2;
	if (len && (s[0] == '+' || s[0] == '$')) {
		for (i = 1; i < len && i < sizeof(prefix) - 1; i++) {
			if (!isalnum(s[i]) && s[i] != '_')
				break;
		}
		plen = i;
		memcpy(prefix, s, plen);
		for (i = 1; i < plen; i++)
			prefix[i] = toupper(prefix[i]);
		/* the read (?) and test (=?) forms never answer CONNECT */
		if (plen == len || (s[plen] == '=' && (plen + 1 == len || s[plen + 1] != '?')) ||
		    s[plen] == ';') {
			for (i = 0; i < ARRAY_SIZE(qlink_connect_cmds) && !armed; i++)
				armed = strlen(qlink_connect_cmds[i]) == plen &&
					!memcmp(qlink_connect_cmds[i], prefix, plen);
		}
		prefix[plen++] = ':';
	} else if (len) {
		char c = toupper(s[0]);

		armed = c == 'D' || c == 'O' || c == 'A';
	}
	spin_lock(&q->line_lock);
	memcpy(q->cmd_prefix, prefix, plen);
	q->cmd_prefix_len = plen;
	q->connect_armed = armed;
	spin_unlock(&q->line_lock);
}

/**
 * qlink_watch_write() - follow the owner's command lines
 * @q: the tty's state
 * @buf: the bytes written
 * @nr: how many
 *
 * Not in data mode: the bytes are payload then.
 * Context: process, from qlink_write() (one at a time per tty).
 */
static void qlink_watch_write(struct qlink_ldisc_port *q, const u8 *buf, size_t nr)
{
	size_t i = 0, k, m;

	if (READ_ONCE(q->data_mode))
		return;
	while (i < nr) {
		k = qlink_scan(buf, i, nr, '\r', 0x1a, 0x1b);
		/* the command line's first bytes are kept, the rest looked over */
		m = min(k - i, sizeof(q->wline) - q->wline_len);
		memcpy(q->wline + q->wline_len, buf + i, m);
		q->wline_len += m;
		if (k == nr)
			break;
		/* CR ends the line; Ctrl-Z ends an SMS text, ESC cancels it */
		if (buf[k] == '\r')
			qlink_cmd_line(q, q->wline, q->wline_len);
		q->wline_len = 0;
		i = k + 1;
	}
}

/**
 * qlink_receive_buf2() - bytes from the driver
 * @tty: the tty
 * @cp: the bytes
 * @fp: per-byte flags (parity, framing...); the bytes pass through regardless,
 *	a URC line holding a flagged byte is marked QLINK_REC_RX_ERROR
 * @count: how many
 *
 * Takes what fits in the ring; the rest stays in the flip buffers until
 * read() makes room and restarts the worker. In publish-only mode with
 * nobody else on the tty (@q->rx_drop) takes everything, dropping the
 * ring's oldest bytes. Sends SIGIO to an O_ASYNC owner and wakes a pty's
 * other side (the worker has freed the buffers before this one), as n_tty
 * does. Does not sleep: throttling the driver is left to a work item.
 *
 * Return: bytes accepted.
 */
static qlink_count_t qlink_receive_buf2(struct tty_struct *tty, const u8 *cp,
					const qlink_flag_t *fp, qlink_count_t count)
{
	struct qlink_ldisc_port *q = tty->disc_data;
	size_t mask = q->rx_size - 1, n, first, fill, room, skip = 0, dropped = 0;
	bool drop, sync = false;
	u64 pos;

	spin_lock(&q->rx_lock);
	/* publish-only: someone opened the tty since the last sync? */
	drop = q->rx_drop && qlink_no_other_opener(tty);
	if (drop != q->rx_drop)
		sync = true;
	room = q->rx_size - (q->rx_head - q->rx_tail);
	n = min_t(size_t, count, room);
	if (drop && n < (size_t)count) {
		/* nobody reads: keep the newest bytes */
		n = count;
		if (n > q->rx_size) {
			skip = n - q->rx_size;
			n = q->rx_size;
		}
		if (n > room) {
			q->rx_tail += n - room;
			dropped = n - room;
		}
		dropped += skip;
	}
	pos = q->rx_pos;
	q->rx_pos += n + skip;
	first = min(n, q->rx_size - (q->rx_head & mask));
	memcpy(q->rx_buf + (q->rx_head & mask), cp + skip, first);
	memcpy(q->rx_buf, cp + skip + first, n - first);
	q->rx_head += n;
	if (n + skip < (size_t)count)
		q->rx_stalled = true;
	fill = q->rx_head - q->rx_tail;
	if (!drop && !q->throttled && fill >= q->rx_size / 4 * 3)
		sync = true;
	spin_unlock(&q->rx_lock);

	n += skip;
	if (n) {
		QLINK_COUNT(q, rx_bytes, n);
		if (dropped)
			QLINK_COUNT(q, rx_dropped, dropped);
		qlink_assemble(q, cp, fp, n, pos);
		kill_fasync(&tty->fasync, SIGIO, POLL_IN);
		wake_up_interruptible_poll(&tty->read_wait, EPOLLIN | EPOLLRDNORM);
		qlink_wake_link(tty);
	}
	if (sync)
		mod_delayed_work(system_wq, &q->flow_work, 0);
	return n;
}

/**
 * qlink_crtscts_attach() - turn CRTSCTS on when qlink attaches
 * @q: the tty's state
 *
 * tty_set_termios() leaves a bit that TIOCSLCKTRMIOS locked as it was, and a
 * driver that cannot do hardware flow control drops it: in both cases
 * &qlink_ldisc_port.crtscts_ok stays false and qlink never tries again.
 * Remembers whether it was qlink that turned the bit on, for detach.
 *
 * Context: process, from qlink_open(); termios_rwsem not held.
 */
static void qlink_crtscts_attach(struct qlink_ldisc_port *q)
{
	struct tty_struct *tty = q->tty;
	struct ktermios t;
	bool ok;

	down_read(&tty->termios_rwsem);
	t = tty->termios;
	up_read(&tty->termios_rwsem);
	if (t.c_cflag & CRTSCTS) {
		WRITE_ONCE(q->crtscts_ok, true);
		return;
	}
	t.c_cflag |= CRTSCTS;
	tty_set_termios(tty, &t);
	down_read(&tty->termios_rwsem);
	ok = C_CRTSCTS(tty);
	q->crtscts_restore = ok;
	up_read(&tty->termios_rwsem);
	WRITE_ONCE(q->crtscts_ok, ok);
	if (!ok)
		pr_info("%s: CRTSCTS is locked off or the driver cannot do it: no hardware flow control\n",
			q->name);
}

/**
 * qlink_crtscts_detach() - give back the CRTSCTS that qlink turned on
 * @q: the tty's state
 *
 * Only when qlink turned the bit on (on attach, or again after someone
 * cleared it) and it is still on. While the tty is open and not being hung
 * up (a TIOCSETD), the driver is told as for any termios change; on the
 * last close the driver has already shut the port down (and in a hangup it
 * is about to), so only the termios it keeps for the next open changes.
 *
 * Context: qlink_close(), with the tty's ldisc locked for writing, so the
 * ldisc's set_termios() cannot run; termios_rwsem not held.
 */
static void qlink_crtscts_detach(struct qlink_ldisc_port *q)
{
	struct tty_struct *tty = q->tty;
	struct ktermios t;
	bool restore;

	down_read(&tty->termios_rwsem);
	restore = q->crtscts_restore && C_CRTSCTS(tty);
	t = tty->termios;
	up_read(&tty->termios_rwsem);
	if (!restore)
		return;
	if (tty->count && !test_bit(TTY_HUPPING, &tty->flags)) {
		t.c_cflag &= ~CRTSCTS;
		tty_set_termios(tty, &t);
		return;
	}
	down_write(&tty->termios_rwsem);
	if (!(tty->termios_locked.c_cflag & CRTSCTS))
		tty->termios.c_cflag &= ~CRTSCTS;
	up_write(&tty->termios_rwsem);
}

/**
 * qlink_open() - attach to a tty (TIOCSETD)
 * @tty: the tty
 *
 * Needs CAP_NET_ADMIN, as n_gsm does: the discipline changes how the port
 * behaves for everyone. Forces CRTSCTS on unless the module's flow
 * parameter is "none" (see qlink_crtscts_attach()).
 *
 * The master side of a pty is refused with -ENOTTY: it is the modem's end,
 * not a serial line; its termios belong to the slave, and tty_set_termios()
 * on a master is a kernel bug (WARN_ON, a panic with panic_on_warn). Not
 * -EINVAL, which TIOCSETD already answers when no discipline has the
 * number, so the caller can tell "wrong tty" from "module not loaded".
 *
 * Return: 0, -EPERM, -ENOTTY for a pty master, -EOPNOTSUPP for a tty that
 * cannot be written, -EAGAIN while the module is still loading, -ENOMEM.
 */
static int qlink_open(struct tty_struct *tty)
{
	struct qlink_ldisc_port *q;

	/* pairs with the release in qlink_init(): all it set up is visible */
	if (!smp_load_acquire(&qlink_live))
		return -EAGAIN;
	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	if (tty->driver->type == TTY_DRIVER_TYPE_PTY && tty->driver->subtype == PTY_TYPE_MASTER)
		return -ENOTTY;
	if (!tty->ops->write || !tty->ops->write_room)
		return -EOPNOTSUPP;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->rx_size = rx_buf_size;
	q->rx_buf = kvmalloc(q->rx_size, GFP_KERNEL);
	if (!q->rx_buf) {
		kfree(q);
		return -ENOMEM;
	}
	q->tty = tty;
	strscpy(q->name, tty->name, sizeof(q->name));
	spin_lock_init(&q->rx_lock);
	spin_lock_init(&q->line_lock);
	mutex_init(&q->read_lock);
	INIT_DELAYED_WORK(&q->flow_work, qlink_flow_work);
	mutex_init(&q->urcs_lock);
	RCU_INIT_POINTER(q->urcs, qlink_default_set);
	q->flow_none = READ_ONCE(flow_none);

	tty->disc_data = q;
	/* 6.1 feeds a receive_buf() ldisc only this much; harmless with receive_buf2() */
	tty->receive_room = q->rx_size;
	if (!q->flow_none)
		qlink_crtscts_attach(q);

	mutex_lock(&qlink_ldisc_list_lock);
	list_add_tail(&q->node, &qlink_ldisc_list);
	mutex_unlock(&qlink_ldisc_list_lock);
	pr_debug("attached to %s, flow %s\n", q->name, q->flow_none ? "none" : "rtscts");
	return 0;
}

/**
 * qlink_free_prefixes() - drop a tty's URC set unless it is the default
 * @set: the set
 */
static void qlink_free_prefixes(struct qlink_urc_prefixes *set)
{
	if (set && set != qlink_default_set)
		kfree_rcu(set, rcu);
}

/**
 * qlink_close() - detach (TIOCSETD to another discipline, hangup, last close)
 * @tty: the tty
 *
 * Never waits for the driver: nothing here depends on CTS. Undoes only
 * what qlink did (a throttle), and only while the tty is still open: at
 * the last close the driver's close() has already shut the port down
 * (uart_close() powers a UART off), so the driver is not touched again.
 * The next discipline (n_tty) unthrottles on open anyway.
 */
static void qlink_close(struct tty_struct *tty)
{
	struct qlink_ldisc_port *q = tty->disc_data;

	if (!q)
		return;
	mutex_lock(&qlink_ldisc_list_lock);
	list_del(&q->node);
	mutex_unlock(&qlink_ldisc_list_lock);
	WRITE_ONCE(q->hung, true);
	qlink_crtscts_detach(q);
	cancel_delayed_work_sync(&q->flow_work);
	if (q->throttled && tty->count) {
		down_read(&tty->termios_rwsem);
		mutex_lock(&tty->throttle_mutex);
		if (test_and_clear_bit(TTY_THROTTLED, &tty->flags) && tty->ops->unthrottle)
			tty->ops->unthrottle(tty);
		mutex_unlock(&tty->throttle_mutex);
		up_read(&tty->termios_rwsem);
	}
	tty->disc_data = NULL;
	qlink_free_prefixes(rcu_dereference_protected(q->urcs, true));
	kvfree(q->rx_buf);
	kfree(q);
}

/**
 * qlink_flush_buffer() - drop the input not read yet (TCFLSH, hangup)
 * @tty: the tty
 *
 * The line being assembled goes with it: its bytes were flushed. TCIFLUSH
 * calls tty_unthrottle() after this; a hangup does not, so a throttled
 * port syncs again here.
 */
static void qlink_flush_buffer(struct tty_struct *tty)
{
	struct qlink_ldisc_port *q = tty->disc_data;
	bool restart, sync;

	if (!q)
		return;
	spin_lock(&q->line_lock);
	qlink_line_clear(q);
	spin_unlock(&q->line_lock);
	spin_lock(&q->rx_lock);
	q->rx_tail = q->rx_head;
	restart = q->rx_stalled;
	q->rx_stalled = false;
	sync = q->throttled;
	spin_unlock(&q->rx_lock);
	if (restart)
		qlink_restart_rx(tty);
	if (sync)
		mod_delayed_work(system_wq, &q->flow_work, 0);
}

/**
 * qlink_read_done() - end of one read(): wake a pty's writer, let the next
 *	reader in
 * @q: the tty's state
 */
static void qlink_read_done(struct qlink_ldisc_port *q)
{
	qlink_wake_link(q->tty);
	mutex_unlock(&q->read_lock);
}

/**
 * qlink_read() - the owner's read()
 * @tty: the tty
 * @file: the file read
 * @kbuf: kernel buffer the tty layer copies to user space
 * @nr: its size
 * @cookie: non-NULL when the tty layer calls again to continue one read()
 * @offset: bytes this read() returned so far (unused)
 *
 * Blocks until bytes arrive, unless O_NONBLOCK. Returns 0 after a hangup
 * and -EIO once the other side of a pty is closed, as n_tty does. One
 * reader at a time: @q->read_lock is held from the first call to the last
 * continuation (the tty layer copies 64 bytes per call), so two readers
 * never get interleaved bytes within one read(). Before deciding that there
 * is nothing to read, waits for the flip-buffer worker, as n_tty does.
 *
 * Return: bytes, 0, -EAGAIN, -EIO or -ERESTARTSYS.
 */
static ssize_t qlink_read(struct tty_struct *tty, struct file *file, u8 *kbuf, size_t nr,
			  void **cookie, unsigned long offset)
{
	struct qlink_ldisc_port *q = tty->disc_data;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	size_t n, left = 0;
	ssize_t ret;

	if (*cookie) {
		/* a continuation never blocks: the caller already has bytes */
		n = nr ? qlink_rx_take(q, kbuf, nr, &left) : 0;
		if (n < nr || !n || !left) {
			*cookie = NULL;
			qlink_read_done(q);
		}
		return n;
	}
	if (tty_io_nonblock(tty, file)) {
		if (!mutex_trylock(&q->read_lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&q->read_lock)) {
		return -ERESTARTSYS;
	}
	add_wait_queue(&tty->read_wait, &wait);
	for (;;) {
		n = qlink_rx_take(q, kbuf, nr, &left);
		if (!n) {
			qlink_flush_rx(tty);
			n = qlink_rx_take(q, kbuf, nr, &left);
		}
		if (n) {
			ret = n;
			break;
		}
		if (tty_hung_up_p(file) || READ_ONCE(q->hung)) {
			ret = 0;
			break;
		}
		if (test_bit(TTY_OTHER_CLOSED, &tty->flags)) {
			ret = -EIO;
			break;
		}
		if (tty_io_nonblock(tty, file)) {
			ret = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		wait_woken(&wait, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	}
	remove_wait_queue(&tty->read_wait, &wait);
	if (ret > 0 && n == nr && left) {
		*cookie = q;	/* keeps read_lock until the last continuation */
		return ret;
	}
	qlink_read_done(q);
	return ret;
}

/**
 * qlink_write() - the owner's write()
 * @tty: the tty
 * @file: the file written
 * @buf: kernel copy of the bytes
 * @nr: how many
 *
 * Follows the owner's command lines first (qlink_watch_write()), so the
 * answer cannot come before the ldisc knows the command. Gives the driver
 * no more than its write_room(); waits for room unless O_NONBLOCK. A
 * signal or hangup ends the wait, so CTS held low cannot keep a writer
 * forever.
 *
 * Return: bytes written, or -EAGAIN, -EIO, -ERESTARTSYS when none were.
 */
static ssize_t qlink_write(struct tty_struct *tty, struct file *file, const u8 *buf, size_t nr)
{
	struct qlink_ldisc_port *q = tty->disc_data;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	size_t done = 0;
	ssize_t ret = 0;

	qlink_watch_write(q, buf, nr);
	add_wait_queue(&tty->write_wait, &wait);
	while (done < nr) {
		unsigned int room;

		if (tty_hung_up_p(file) || READ_ONCE(q->hung) ||
		    (tty->link && !tty->link->count)) {
			ret = -EIO;
			break;
		}
		room = tty_write_room(tty);
		if (room) {
			int c = tty->ops->write(tty, buf + done, min_t(size_t, room, nr - done));

			if (c < 0) {
				ret = c;
				break;
			}
			if (c) {
				done += c;
				QLINK_COUNT(q, tx_bytes, c);
				continue;
			}
		}
		if (tty_io_nonblock(tty, file)) {
			ret = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		set_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
		wait_woken(&wait, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	}
	remove_wait_queue(&tty->write_wait, &wait);
	return done ? done : ret;
}

/**
 * qlink_write_wakeup() - the driver has room again
 * @tty: the tty
 *
 * tty_wakeup() wakes the writers itself; the request is cleared and an
 * O_ASYNC owner gets SIGIO, as from n_tty.
 */
static void qlink_write_wakeup(struct tty_struct *tty)
{
	clear_bit(TTY_DO_WRITE_WAKEUP, &tty->flags);
	kill_fasync(&tty->fasync, SIGIO, POLL_OUT);
}

/**
 * qlink_poll() - poll() on the tty
 * @tty: the tty
 * @file: the file polled
 * @wait: poll table
 *
 * Before answering "nothing to read" waits for the flip-buffer worker, as
 * n_tty does.
 *
 * Return: EPOLLIN with bytes to read, EPOLLOUT with driver room, EPOLLHUP
 * after a hangup or once the other side of a pty is closed.
 */
static __poll_t qlink_poll(struct tty_struct *tty, struct file *file, poll_table *wait)
{
	struct qlink_ldisc_port *q = tty->disc_data;
	__poll_t mask = 0;

	poll_wait(file, &tty->read_wait, wait);
	poll_wait(file, &tty->write_wait, wait);
	if (!qlink_rx_fill(q))
		qlink_flush_rx(tty);	/* as n_tty: bytes the worker is handing over */
	if (qlink_rx_fill(q))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (tty_hung_up_p(file) || READ_ONCE(q->hung) || test_bit(TTY_OTHER_CLOSED, &tty->flags))
		mask |= EPOLLHUP;
	if (tty_write_room(tty))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/**
 * qlink_set_mode() - QLINK_IOC_SET_MODE
 * @q: the tty's state
 * @arg: user struct qlink_mode
 *
 * Without QLINK_MODE_F_END either direction takes effect with the next
 * byte received and drops a partial line: its bytes belong to the other
 * mode (data mode already entered on CONNECT stays as it is). With it,
 * data mode ends at the stream position the owner gives, relative to what
 * the tty's readers have taken: one already received is resumed from at
 * once (qlink_resume()), one still to come is left by the assembler when
 * it gets there. In command mode an end changes nothing.
 *
 * Return: 0, -EFAULT, -EINVAL for an unknown mode or flag, non-zero
 * reserved field, @end without QLINK_MODE_F_END, or an @end that is not
 * at most 0 (QLINK_MODE_COMMAND) or above 0 (QLINK_MODE_DATA).
 */
static int qlink_set_mode(struct qlink_ldisc_port *q, void __user *arg)
{
	struct qlink_mode m;
	bool data;
	u64 at;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (m.mode > QLINK_MODE_DATA || (m.flags & ~QLINK_MODE_F_END) || m.reserved)
		return -EINVAL;
	if (!(m.flags & QLINK_MODE_F_END) ? m.end != 0 :
	    m.mode == QLINK_MODE_DATA ? m.end <= 0 : m.end > 0)
		return -EINVAL;
	data = m.mode == QLINK_MODE_DATA;

	spin_lock(&q->rx_lock);
	at = q->rx_pos - (q->rx_head - q->rx_tail);
	spin_unlock(&q->rx_lock);
	if (m.end < 0 && (u64)-(s64)m.end > at)
		at = 0;
	else
		at += m.end;

	spin_lock(&q->line_lock);
	if (!(m.flags & QLINK_MODE_F_END)) {
		/* already in data mode (its CONNECT seen): keep where it began */
		if (!data || !READ_ONCE(q->data_mode)) {
			if (data)
				QLINK_COUNT(q, data_mode_entries, 1);
			qlink_line_clear(q);
			q->data_start = q->line_pos;
			WRITE_ONCE(q->data_mode, data);
		}
		q->data_end_set = false;
	} else if (data || READ_ONCE(q->data_mode)) {
		if (!READ_ONCE(q->data_mode)) {
			QLINK_COUNT(q, data_mode_entries, 1);
			qlink_line_clear(q);
			q->data_start = q->line_pos;
			WRITE_ONCE(q->data_mode, true);
		}
		if (at > q->line_pos) {
			q->data_end = at;
			q->data_end_set = true;
		} else {
			qlink_resume(q, at);
		}
	}
	spin_unlock(&q->line_lock);
	return 0;
}

/**
 * qlink_set_urcs() - QLINK_IOC_SET_URCS
 * @q: the tty's state
 * @arg: user struct qlink_urc_set
 *
 * Return: 0, -EFAULT, -ENOMEM, -EINVAL for a non-zero reserved field, too
 * many or too long prefixes, an empty one, or a count that does not match
 * the strings in the buffer.
 */
static int qlink_set_urcs(struct qlink_ldisc_port *q, void __user *arg)
{
	struct qlink_urc_prefixes *set, *old;
	struct qlink_urc_set s;
	size_t off = 0;
	u32 i;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	if (memchr_inv(s.reserved, 0, sizeof(s.reserved)) || s.count > QLINK_URC_SET_MAX_COUNT ||
	    s.size > QLINK_URC_SET_MAX_SIZE || (s.count && !s.size))
		return -EINVAL;
	if (!s.count) {
		set = qlink_default_set;
	} else {
		set = kzalloc(struct_size(set, buf, s.size), GFP_KERNEL);
		if (!set)
			return -ENOMEM;
		if (copy_from_user(set->buf, u64_to_user_ptr(s.ptr), s.size)) {
			kfree(set);
			return -EFAULT;
		}
		for (i = 0; i < s.count; i++) {
			size_t len = off < s.size ? strnlen(set->buf + off, s.size - off) : 0;

			if (!len || off + len >= s.size || len > QLINK_TEXT_MAX - 1) {
				kfree(set);
				return -EINVAL;
			}
			set->p[i] = set->buf + off;
			set->len[i] = len;
			off += len + 1;
		}
		if (off != s.size) {
			kfree(set);
			return -EINVAL;
		}
		set->count = s.count;
	}
	mutex_lock(&q->urcs_lock);
	old = rcu_replace_pointer(q->urcs, set, lockdep_is_held(&q->urcs_lock));
	mutex_unlock(&q->urcs_lock);
	qlink_free_prefixes(old);
	return 0;
}

/**
 * qlink_get_stats() - QLINK_IOC_GET_STATS
 * @q: the tty's state
 * @arg: user struct qlink_stats
 *
 * Return: 0 or -EFAULT.
 */
static int qlink_get_stats(struct qlink_ldisc_port *q, void __user *arg)
{
	struct qlink_stats st = {
		.rx_bytes = atomic64_read(&q->stats.rx_bytes),
		.tx_bytes = atomic64_read(&q->stats.tx_bytes),
		.urcs = atomic64_read(&q->stats.urcs),
		.dropped = atomic64_read(&q->stats.dropped),
		.crtscts_reasserts = atomic64_read(&q->stats.crtscts_reasserts),
		.data_mode_entries = atomic64_read(&q->stats.data_mode_entries),
		.rx_dropped = atomic64_read(&q->stats.rx_dropped),
	};

	st.flags = (q->flow_none ? QLINK_STAT_FLOW_NONE : 0) |
		   (q->crtscts_ok ? QLINK_STAT_CRTSCTS : 0) |
		   (READ_ONCE(q->data_mode) ? QLINK_STAT_DATA_MODE : 0) |
		   (READ_ONCE(q->publish_only) ? QLINK_STAT_PUBLISH_ONLY : 0);
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

/**
 * qlink_set_port() - QLINK_IOC_SET_PORT
 * @q: the tty's state
 * @arg: user struct qlink_port
 *
 * Turning publish-only on or off takes effect at once: the flow is synced
 * again (a port held back only because the ring was full starts dropping).
 *
 * Return: 0, -EFAULT, -EINVAL for an unknown flag or non-zero reserved field.
 */
static int qlink_set_port(struct qlink_ldisc_port *q, void __user *arg)
{
	struct qlink_port pf;

	if (copy_from_user(&pf, arg, sizeof(pf)))
		return -EFAULT;
	if ((pf.flags & ~QLINK_PORT_PUBLISH_ONLY) ||
	    memchr_inv(pf.reserved, 0, sizeof(pf.reserved)))
		return -EINVAL;
	WRITE_ONCE(q->publish_only, !!(pf.flags & QLINK_PORT_PUBLISH_ONLY));
	qlink_flow_sync(q);
	return 0;
}

/**
 * qlink_ioctl() - ioctls on the tty that the tty layer left to the ldisc
 * @tty: the tty
 * @cmd: QLINK_IOC_*, FIONREAD, TIOCOUTQ, or one n_tty_ioctl_helper() knows
 * @arg: argument (already compat_ptr()'d for 32-bit callers)
 *
 * Return: 0 or a negative errno.
 */
static int qlink_ioctl(struct tty_struct *tty, unsigned int cmd, unsigned long arg)
{
	struct qlink_ldisc_port *q = tty->disc_data;
	void __user *argp = (void __user *)arg;
	struct qlink_port pf = { 0 };
	struct qlink_mode m = { 0 };

	switch (cmd) {
	case QLINK_IOC_SET_MODE:
		return qlink_set_mode(q, argp);
	case QLINK_IOC_GET_MODE:
		/* flags and end stay 0: where data mode ends is not reported */
		m.mode = READ_ONCE(q->data_mode) ? QLINK_MODE_DATA : QLINK_MODE_COMMAND;
		return copy_to_user(argp, &m, sizeof(m)) ? -EFAULT : 0;
	case QLINK_IOC_SET_URCS:
		return qlink_set_urcs(q, argp);
	case QLINK_IOC_GET_STATS:
		return qlink_get_stats(q, argp);
	case QLINK_IOC_SET_PORT:
		return qlink_set_port(q, argp);
	case QLINK_IOC_GET_PORT:
		pf.flags = READ_ONCE(q->publish_only) ? QLINK_PORT_PUBLISH_ONLY : 0;
		return copy_to_user(argp, &pf, sizeof(pf)) ? -EFAULT : 0;
	case TIOCOUTQ:
		/* bytes the driver has not sent yet (chan-escape.c's guard time) */
		return put_user(tty_chars_in_buffer(tty), (int __user *)argp);
	case FIONREAD:
		return put_user((int)min_t(size_t, qlink_rx_fill(q), INT_MAX), (int __user *)argp);
	default:
		return n_tty_ioctl_helper(tty, cmd, arg);
	}
}

/**
 * qlink_set_termios() - termios changed: put CRTSCTS back if it was cleared
 * @tty: the tty
 * @old: the settings before the change
 *
 * Only while it holds (&qlink_ldisc_port.crtscts_ok): never past a lock set
 * with TIOCSLCKTRMIOS, and a driver that drops the bit again cannot do it,
 * so qlink stops trying rather than fight it on every change.
 *
 * Context: tty_set_termios() holds termios_rwsem for writing, so the
 * driver is called directly, as tty_set_termios() itself does.
 */
static void qlink_set_termios(struct tty_struct *tty, const struct ktermios *old)
{
	struct qlink_ldisc_port *q = tty->disc_data;
	struct ktermios prev;

	if (q->flow_none || !READ_ONCE(q->crtscts_ok) || C_CRTSCTS(tty))
		return;
	if (tty->termios_locked.c_cflag & CRTSCTS) {
		pr_info("%s: CRTSCTS locked off: no hardware flow control\n", q->name);
		goto give_up;
	}
	prev = tty->termios;
	tty->termios.c_cflag |= CRTSCTS;
	if (tty->ops->set_termios)
		tty->ops->set_termios(tty, &prev);
	else
		tty_termios_copy_hw(&tty->termios, &prev);
	if (!C_CRTSCTS(tty)) {
		pr_info("%s: the driver dropped CRTSCTS: no hardware flow control\n", q->name);
		goto give_up;
	}
	q->crtscts_restore = true;
	QLINK_COUNT(q, crtscts_reasserts, 1);
	pr_debug("%s: CRTSCTS cleared, set again\n", q->name);
	return;

give_up:
	q->crtscts_restore = false;
	WRITE_ONCE(q->crtscts_ok, false);
}

/**
 * qlink_hangup() - the tty was hung up
 * @tty: the tty
 *
 * Wakes every reader and writer; they see the hangup and return.
 */
static void qlink_hangup(struct tty_struct *tty)
{
	struct qlink_ldisc_port *q = tty->disc_data;

	WRITE_ONCE(q->hung, true);
	WRITE_ONCE(q->data_mode, false);
	WRITE_ONCE(q->line_reset, true);
	wake_up_interruptible_all(&tty->read_wait);
	wake_up_interruptible_all(&tty->write_wait);
}

/**
 * qlink_dcd_change() - carrier changed (serial drivers report it)
 * @tty: the tty
 * @active: carrier present
 *
 * Losing carrier ends a data connection: classify lines again.
 */
static void qlink_dcd_change(struct tty_struct *tty, bool active)
{
	struct qlink_ldisc_port *q = tty->disc_data;

	if (!active && READ_ONCE(q->data_mode)) {
		WRITE_ONCE(q->line_reset, true);
		WRITE_ONCE(q->data_mode, false);
	}
}

static struct tty_ldisc_ops qlink_ldisc_ops = {
	.owner = THIS_MODULE,
	.name = "qlink",
	.open = qlink_open,
	.close = qlink_close,
	.flush_buffer = qlink_flush_buffer,
	.read = qlink_read,
	.write = qlink_write,
	.ioctl = qlink_ioctl,
	.set_termios = qlink_set_termios,
	.poll = qlink_poll,
	.hangup = qlink_hangup,
	.receive_buf2 = qlink_receive_buf2,
	.write_wakeup = qlink_write_wakeup,
	.dcd_change = qlink_dcd_change,
};

/**
 * qlink_build_default_set() - the default URC set from qlink_default_urcs
 *
 * Return: 0 or -ENOMEM.
 */
static int qlink_build_default_set(void)
{
	struct qlink_urc_prefixes *set;
	u32 i;

	BUILD_BUG_ON(ARRAY_SIZE(qlink_default_urcs) > QLINK_URC_SET_MAX_COUNT);
	BUILD_BUG_ON(!is_power_of_2(QLINK_MODE_TAIL));
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(qlink_default_urcs); i++) {
		set->p[i] = qlink_default_urcs[i];
		set->len[i] = strlen(qlink_default_urcs[i]);
	}
	set->count = i;
	qlink_default_set = set;
	return 0;
}

/**
 * qlink_init() - load: state, the ldisc, the netlink family, then the device
 *
 * Nothing a user can reach works before what it needs: the ring and the
 * default set come first; the ldisc (the step that fails when its number is
 * taken) next, refusing attaches until the end; the family; the device last,
 * so no file of it is ever open when a later step fails. Errors unwind in
 * reverse. Loading is explicit (modules-load.d or modprobe): there is no
 * tty-ldisc alias, so a TIOCSETD of any user never loads the module.
 *
 * Return: 0 or a negative errno.
 */
static int __init qlink_init(void)
{
	int ret;

	if (ldisc < 1 || ldisc >= NR_LDISCS) {
		pr_err("ldisc=%d: must be 1..%d\n", ldisc, NR_LDISCS - 1);
		return -EINVAL;
	}
	if (!is_power_of_2(rx_buf_size) || rx_buf_size < 4096 || rx_buf_size > (16 << 20)) {
		pr_err("rx_buf_size=%u: must be a power of two, 4096..16M\n", rx_buf_size);
		return -EINVAL;
	}
	if (!is_power_of_2(ring_records) || ring_records < 16 || ring_records > 65536) {
		pr_err("ring_records=%u: must be a power of two, 16..65536\n", ring_records);
		return -EINVAL;
	}
	ret = qlink_build_default_set();
	if (ret)
		return ret;
	ret = qlink_urc_init(ring_records);
	if (ret)
		goto err_set;
	qlink_ldisc_ops.num = ldisc;
	ret = tty_register_ldisc(&qlink_ldisc_ops);
	if (ret) {
		pr_err("line discipline %d: %d (taken?)\n", ldisc, ret);
		goto err_urc;
	}
	ret = qlink_genl_init();
	if (ret)
		goto err_ldisc;
	ret = qlink_urc_register();
	if (ret)
		goto err_genl;
	/* everything above before any attach: pairs with qlink_open() */
	smp_store_release(&qlink_live, true);
	return 0;

err_genl:
	qlink_genl_exit();
err_ldisc:
	tty_unregister_ldisc(&qlink_ldisc_ops);
err_urc:
	qlink_urc_exit();
err_set:
	kfree(qlink_default_set);
	return ret;
}

/**
 * qlink_exit() - unload, in the reverse order of qlink_init()
 *
 * The ldisc is attached nowhere and no file of the device is open: each
 * holds the module.
 */
static void __exit qlink_exit(void)
{
	qlink_urc_unregister();
	qlink_genl_exit();
	tty_unregister_ldisc(&qlink_ldisc_ops);
	qlink_urc_exit();
	rcu_barrier();	/* kfree_rcu() of replaced URC sets */
	kfree(qlink_default_set);
}

module_init(qlink_init);
module_exit(qlink_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("qlink: RTS/CTS-keeping line discipline with URC fan-out for Quectel modems");
