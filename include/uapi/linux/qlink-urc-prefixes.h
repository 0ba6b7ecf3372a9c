/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Copyright (C) 2026 The qlink authors */
/*
 * The URC prefixes qlink.ko classifies by default (its built-in set, what
 * QLINK_IOC_SET_URCS with count 0 restores) and libqlink's parser takes for
 * URCs: one list for both sides of the kernel/user line.
 *
 * Every URC of both manuals (FOTA progress in +QIND, the asynchronous FTP
 * results), the EC200 family's power and SIM notices and the usual 3GPP
 * ones. An entry ending in ':' matches every line starting with it; any
 * other matches only an equal line.
 *
 * Sorted by strcmp(): the parser looks entries up by bisection
 * (tests/unit/test-at-parser.c checks the order). Use it as
 *
 *	#define QLINK_URC_PREFIX(s) s,
 *	static const char *const table[] = { QLINK_URC_PREFIXES };
 *	#undef QLINK_URC_PREFIX
 */
#ifndef _UAPI_LINUX_QLINK_URC_PREFIXES_H
#define _UAPI_LINUX_QLINK_URC_PREFIXES_H

#define QLINK_URC_PREFIXES			\
	QLINK_URC_PREFIX("+CEREG:")		\
	QLINK_URC_PREFIX("+CGEV:")		\
	QLINK_URC_PREFIX("+CGREG:")		\
	QLINK_URC_PREFIX("+CMT:")		\
	QLINK_URC_PREFIX("+CMTI:")		\
	QLINK_URC_PREFIX("+CPIN:")		\
	QLINK_URC_PREFIX("+CREG:")		\
	QLINK_URC_PREFIX("+CRING:")		\
	QLINK_URC_PREFIX("+CTZV:")		\
	QLINK_URC_PREFIX("+CUSD:")		\
	QLINK_URC_PREFIX("+QFTPCLOSE:")		\
	QLINK_URC_PREFIX("+QFTPCWD:")		\
	QLINK_URC_PREFIX("+QFTPDEL:")		\
	QLINK_URC_PREFIX("+QFTPGET:")		\
	QLINK_URC_PREFIX("+QFTPLEN:")		\
	QLINK_URC_PREFIX("+QFTPLIST:")		\
	QLINK_URC_PREFIX("+QFTPMDTM:")		\
	QLINK_URC_PREFIX("+QFTPMKDIR:")		\
	QLINK_URC_PREFIX("+QFTPMLSD:")		\
	QLINK_URC_PREFIX("+QFTPNLST:")		\
	QLINK_URC_PREFIX("+QFTPOPEN:")		\
	QLINK_URC_PREFIX("+QFTPPUT:")		\
	QLINK_URC_PREFIX("+QFTPPWD:")		\
	QLINK_URC_PREFIX("+QFTPRENAME:")	\
	QLINK_URC_PREFIX("+QFTPRMDIR:")		\
	QLINK_URC_PREFIX("+QFTPSIZE:")		\
	QLINK_URC_PREFIX("+QFTPSTAT:")		\
	QLINK_URC_PREFIX("+QIND:")		\
	QLINK_URC_PREFIX("+QIURC:")		\
	QLINK_URC_PREFIX("+QUSIM:")		\
	QLINK_URC_PREFIX("NORMAL POWER DOWN")	\
	QLINK_URC_PREFIX("OVER-VOLTAGE POWER DOWN") \
	QLINK_URC_PREFIX("OVER-VOLTAGE WARNING") \
	QLINK_URC_PREFIX("POWERED DOWN")	\
	QLINK_URC_PREFIX("RDY")			\
	QLINK_URC_PREFIX("RING")		\
	QLINK_URC_PREFIX("UNDER-VOLTAGE POWER DOWN") \
	QLINK_URC_PREFIX("UNDER-VOLTAGE WARNING")

#endif /* _UAPI_LINUX_QLINK_URC_PREFIXES_H */
