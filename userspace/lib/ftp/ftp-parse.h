/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Pure parsers for what AT+QFTP* answers, accepting the variants the
 * manuals print (and modules send): quoted and unquoted values, a space
 * before or after the comma or none, "+QFTPSIZE:0, 1000".
 */
#ifndef QLINK_FTP_PARSE_H
#define QLINK_FTP_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <qlink/ftp.h>

/**
 * qlink_ftp_parse_result() - split "+QFTPxxx: <err>[,<value>]"
 * @line: the result line
 * @err:  set to <err>
 * @val:  set to the value, quotes and surrounding spaces removed ("" if none)
 * @len:  size of @val
 *
 * Return: 0, or -1 if @line is not of that form or @val is too small.
 */
int qlink_ftp_parse_result(const char *line, int *err, char *val, size_t len);

/** qlink_ftp_parse_u64() - a decimal byte count, nothing else; 0 or -1. */
int qlink_ftp_parse_u64(const char *s, uint64_t *v);

/** qlink_ftp_parse_time() - "YYYYMMDDHHMMSS[.NNN]" (UTC) to time_t; 0 or -1. */
int qlink_ftp_parse_time(const char *s, time_t *t);

/**
 * qlink_ftp_parse_mlsd() - MLSD output (RFC 3659 "facts; name" lines)
 * @buf:     the payload
 * @len:     its length
 * @entries: on success a malloc'd array (NULL if empty)
 * @n:       its length
 * @bad:     on -1 with EPROTO, the 1-based number of the malformed line
 *
 * Return: 0, or -1 with errno EPROTO or ENOMEM.
 */
int qlink_ftp_parse_mlsd(const char *buf, size_t len, struct qlink_ftp_entry **entries, size_t *n,
			 size_t *bad);

#endif /* QLINK_FTP_PARSE_H */
