/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
#ifndef QLINK_RESP_PRIV_H
#define QLINK_RESP_PRIV_H

#include <stdbool.h>
#include <qlink/chan.h>

/* A runaway module must not make a response grow without bound. */
#define QLINK_RESP_MAX_LINES 512
#define QLINK_RESP_MAX_BYTES (64 * 1024)

struct qlink_resp {
	int status;
	enum qlink_result result;
	int code;
	bool truncated;
	unsigned int timeout_ms; /* the bound that expired, for messages */
	const char *phase;	 /* where it timed out */
	char *cmd;		 /* the command line, credentials removed */
	char *final;
	char *async;
	char **lines;
	size_t n_lines, bytes;
	char *err; /* qlink_resp_get_error(), built once */
};

struct qlink_resp *qlink_resp_new(const char *cmd);
int qlink_resp_add_line(struct qlink_resp *r, const char *line, bool truncated);
int qlink_resp_set_final(struct qlink_resp *r, const char *line, enum qlink_result result,
			 int code);
int qlink_resp_set_async(struct qlink_resp *r, const char *line);

/**
 * qlink_resp_async_err() - the <err> of an async result line
 * @line: "+QFTPCWD: 0,0", "+QFTPSIZE:0, 1000"
 *
 * Return: the first number after ':', or -1 if there is none.
 */
int qlink_resp_async_err(const char *line);

#endif /* QLINK_RESP_PRIV_H */
