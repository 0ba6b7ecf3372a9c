/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink line discipline: the kernel ABI of qlink.ko.
 *
 * The line discipline is attached to a modem's tty with TIOCSETD (number
 * QLINK_LDISC_DEFAULT unless the module's "ldisc" parameter says otherwise).
 * It passes every byte through to the tty's reader and publishes URC lines
 * as struct qlink_urc_record on the misc device /dev/qlink-urc (one record
 * per read()) and on the "urc" multicast group of the generic-netlink
 * family "qlink".
 *
 * Every reserved field must be zero; the module answers -EINVAL otherwise,
 * so that a later version can give them a meaning.
 */
#ifndef _UAPI_LINUX_QLINK_H
#define _UAPI_LINUX_QLINK_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* N_DEVELOPMENT: the number the kernel sets aside for out-of-tree disciplines */
#define QLINK_LDISC_DEFAULT	29

#define QLINK_URC_DEVICE	"/dev/qlink-urc"

/* Longest URC text kept; longer lines are cut and flagged QLINK_REC_TRUNCATED. */
#define QLINK_TEXT_MAX		256
#define QLINK_TTY_NAME_MAX	32

/* struct qlink_urc_record.flags */
#define QLINK_REC_TRUNCATED	(1U << 0)	/* the line was longer than QLINK_TEXT_MAX - 1 */
#define QLINK_REC_SOLICITED	0x2U	/* an answer to the owner's pending command */
#define QLINK_REC_BODY		0x4U	/* the second line of the record before it */
#define QLINK_REC_RX_ERROR	0x8U	/* a byte was received with an error */

/**
 * struct qlink_urc_record - one URC line, as read() from /dev/qlink-urc
 * @seq:	sequence number over all ttys since the module was loaded, from 0
 * @timestamp_ns: CLOCK_MONOTONIC when the line's last byte reached the ldisc
 * @flags:	QLINK_REC_*
 * @len:	bytes of @text before its terminating NUL (no CR or LF)
 * @reserved0:	zero
 * @tty:	name of the tty the line arrived on ("ttyS1", "pts3"), NUL-terminated
 * @reserved:	zero
 * @text:	the line, NUL-terminated; may hold any byte but CR and LF
 *
 * QLINK_REC_SOLICITED: the line starts with the response prefix of the
 * command the owner wrote last ("+CPIN:" after "AT+CPIN?") and came before
 * that command's final result: an answer, not an event. Readers that want
 * only events skip it.
 *
 * QLINK_REC_BODY: the line that follows a two-line URC's header (+CMT:,
 * +CBM:, and +CDS: in PDU mode, "+CDS: <length>"): the message text or PDU.
 * It is published whatever it holds and is never taken for CONNECT; the
 * header is the previous record of the same tty.
 *
 * QLINK_REC_RX_ERROR: the driver flagged a byte of the line (TTY_BREAK,
 * TTY_FRAME, TTY_PARITY, TTY_OVERRUN); the text may not be what was sent.
 */
struct qlink_urc_record {
	__u64 seq;
	__u64 timestamp_ns;
	__u32 flags;
	__u16 len;
	__u16 reserved0;
	char tty[QLINK_TTY_NAME_MAX];
	__u32 reserved[4];
	char text[QLINK_TEXT_MAX];
};

/* struct qlink_mode.mode */
#define QLINK_MODE_COMMAND	0	/* lines are classified */
#define QLINK_MODE_DATA		1	/* raw payload: nothing is classified */

/* struct qlink_mode.flags */
#define QLINK_MODE_F_END	0x1U	/* @end gives where data mode ends */

/* Bytes received in data mode that the ldisc keeps for QLINK_MODE_F_END */
#define QLINK_MODE_TAIL		4096

/**
 * struct qlink_mode - QLINK_IOC_SET_MODE / QLINK_IOC_GET_MODE argument
 * @mode:	QLINK_MODE_COMMAND or QLINK_MODE_DATA
 * @flags:	QLINK_MODE_F_END or 0 (zero from QLINK_IOC_GET_MODE)
 * @end:	with QLINK_MODE_F_END: where data mode ends, in bytes from the
 *		reader's position (the received bytes the tty's readers have
 *		taken); with QLINK_MODE_COMMAND at most 0 (the end was read
 *		already: -@end bytes read are the module's lines), with
 *		QLINK_MODE_DATA more than 0 (the payload's bytes still to come)
 * @reserved:	zero
 *
 * The ldisc enters data mode by itself on a CONNECT line, but only while
 * the owner's last command can answer CONNECT (AT+QFTPGET=, AT+QFTPPUT=,
 * AT+QFUPL=, AT+QFDWL=, ATD, ATO and their kind, written to the tty and
 * not yet answered by a final result). It leaves data mode when the owner
 * says so, at the position QLINK_MODE_F_END gave, on DCD loss and on hangup.
 *
 * Without QLINK_MODE_F_END, QLINK_MODE_COMMAND resumes with the next byte
 * received: lines the modem sent right after the payload, in the same
 * piece, are not looked at. With it, the ldisc classifies again every byte
 * from the position given: the last QLINK_MODE_TAIL bytes received are kept
 * for that; a line that started before them is dropped. A position inside
 * a line starts at the next line.
 */
struct qlink_mode {
	__u32 mode;
	__u32 flags;
	__s32 end;
	__u32 reserved;
};

/* Limits of a URC prefix set */
#define QLINK_URC_SET_MAX_COUNT	128
#define QLINK_URC_SET_MAX_SIZE	4096

/**
 * struct qlink_urc_set - QLINK_IOC_SET_URCS argument
 * @count:	prefixes in the buffer; 0 restores the built-in set
 * @size:	bytes at @ptr, at most QLINK_URC_SET_MAX_SIZE
 * @ptr:	user address of @count NUL-terminated, non-empty strings laid end to end
 * @reserved:	zero
 *
 * A prefix ending in ':' matches every line that starts with it ("+QIND:");
 * any other matches only a line equal to it ("RDY").
 */
struct qlink_urc_set {
	__u32 count;
	__u32 size;
	__u64 ptr;
	__u32 reserved[2];
};

/* struct qlink_stats.flags */
#define QLINK_STAT_FLOW_NONE	(1U << 0)	/* attached with flow=none: CRTSCTS not enforced */
#define QLINK_STAT_CRTSCTS	(1U << 1)	/* the driver kept CRTSCTS when it was set on attach */
#define QLINK_STAT_DATA_MODE	(1U << 2)	/* the tty is in data mode now */
#define QLINK_STAT_PUBLISH_ONLY	(1U << 3)	/* QLINK_PORT_PUBLISH_ONLY is set */

/**
 * struct qlink_stats - QLINK_IOC_GET_STATS result (one tty)
 * @rx_bytes:	bytes received from the driver
 * @tx_bytes:	bytes written to the driver
 * @urcs:	URC records published
 * @dropped:	records a reader or the multicast group lost
 * @crtscts_reasserts: times CRTSCTS was cleared by someone and set again
 * @data_mode_entries: times the tty entered data mode
 * @flags:	QLINK_STAT_*
 * @reserved:	zero on return
 * @rx_dropped:	received bytes the tty's reader never got: dropped, oldest
 *		first, in publish-only mode while nobody read (QLINK_PORT_PUBLISH_ONLY)
 */
struct qlink_stats {
	__u64 rx_bytes;
	__u64 tx_bytes;
	__u64 urcs;
	__u64 dropped;
	__u64 crtscts_reasserts;
	__u64 data_mode_entries;
	__u32 flags;
	__u32 reserved;
	__u64 rx_dropped;
};

/* struct qlink_port.flags */
#define QLINK_PORT_PUBLISH_ONLY	(1U << 0)	/* see struct qlink_port */

/**
 * struct qlink_port - QLINK_IOC_SET_PORT / QLINK_IOC_GET_PORT argument
 * @flags:	QLINK_PORT_*
 * @reserved:	zero
 *
 * QLINK_PORT_PUBLISH_ONLY is for a holder that never reads the tty (`qlink
 * attach`): while no other file has the tty open, a full receive buffer drops
 * its oldest bytes (counted in @rx_dropped of struct qlink_stats) instead of
 * throttling the driver, so URCs keep being published. As soon as another
 * process opens the tty, back-pressure applies as without the flag.
 */
struct qlink_port {
	__u32 flags;
	__u32 reserved[3];
};

/* ioctls on the tty while the ldisc is attached */
#define QLINK_IOC_MAGIC		0xd9
#define QLINK_IOC_SET_MODE	_IOW(QLINK_IOC_MAGIC, 1, struct qlink_mode)
#define QLINK_IOC_GET_MODE	_IOR(QLINK_IOC_MAGIC, 2, struct qlink_mode)
#define QLINK_IOC_SET_URCS	_IOW(QLINK_IOC_MAGIC, 3, struct qlink_urc_set)
#define QLINK_IOC_GET_STATS	_IOR(QLINK_IOC_MAGIC, 4, struct qlink_stats)
#define QLINK_IOC_SET_PORT	_IOW(QLINK_IOC_MAGIC, 5, struct qlink_port)
#define QLINK_IOC_GET_PORT	_IOR(QLINK_IOC_MAGIC, 6, struct qlink_port)

/* generic netlink */
#define QLINK_GENL_NAME		"qlink"
#define QLINK_GENL_VERSION	1
#define QLINK_GENL_MCGRP_URC	"urc"

enum qlink_genl_cmd {
	QLINK_CMD_UNSPEC,
	QLINK_CMD_URC,		/* multicast: one record (the QLINK_ATTR_REC_* attributes) */
	QLINK_CMD_GET_STATS,	/* request: optional QLINK_ATTR_TTY; reply: QLINK_ATTR_STAT_* */
	__QLINK_CMD_MAX,
};
#define QLINK_CMD_MAX (__QLINK_CMD_MAX - 1)

enum qlink_genl_attr {
	QLINK_ATTR_UNSPEC,
	QLINK_ATTR_PAD,
	QLINK_ATTR_TTY,			/* string: tty name */
	QLINK_ATTR_REC_SEQ,		/* u64 */
	QLINK_ATTR_REC_TIMESTAMP,	/* u64: ns, CLOCK_MONOTONIC */
	QLINK_ATTR_REC_FLAGS,		/* u32: QLINK_REC_* */
	QLINK_ATTR_REC_TEXT,		/* binary: the line, no NUL */
	QLINK_ATTR_STAT_RX_BYTES,	/* u64 */
	QLINK_ATTR_STAT_TX_BYTES,	/* u64 */
	QLINK_ATTR_STAT_URCS,		/* u64 */
	QLINK_ATTR_STAT_DROPPED,	/* u64 */
	QLINK_ATTR_STAT_CRTSCTS_REASSERTS, /* u64 */
	QLINK_ATTR_STAT_DATA_MODE_ENTRIES, /* u64 */
	QLINK_ATTR_STAT_FLAGS,		/* u32: QLINK_STAT_* (one tty only) */
	QLINK_ATTR_STAT_ATTACHED,	/* u32: ttys attached now (totals only) */
	__QLINK_ATTR_MAX,
};
#define QLINK_ATTR_MAX (__QLINK_ATTR_MAX - 1)

#endif /* _UAPI_LINUX_QLINK_H */
