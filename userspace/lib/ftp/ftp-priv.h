/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The FTP session object, shared by the session commands (ftp.c) and the
 * transfers (ftp-transfer.c).
 */
#ifndef QLINK_FTP_PRIV_H
#define QLINK_FTP_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <qlink/ftp.h>

#include "core/chan-priv.h"

#define FTP_NAME_MAX 255 /* <file_name>, <local_name>: "at most 255 bytes" */
#define FTP_SSLOPT_MAX 8

/**
 * struct qlink_ftp - an FTP(S) session through the module
 *
 * The configuration is kept on the host because the module forgets it
 * ("参数配置不保存") on a reboot, and a transfer that survives one has to
 * set it all up again, down to the directory it was in.
 */
struct qlink_ftp {
	struct qlink_chan *chan;

	char user[FTP_NAME_MAX + 1], pass[FTP_NAME_MAX + 1];
	bool ascii, active;
	int contextid, ssl, sslctx, data_type, data_timeout, cache;
	unsigned int rsptimeout;
	char apn[100];
	struct {
		char name[32];
		char value[FTP_NAME_MAX + 3];
	} sslopt[FTP_SSLOPT_MAX];
	unsigned int n_sslopt;
	size_t chunk;
	unsigned int retries;
	qlink_ftp_progress_cb progress;
	void *progress_user;
	volatile sig_atomic_t cancelled;

	char host[FTP_NAME_MAX + 1];
	unsigned int port;
	bool opened;
	char cwd[FTP_NAME_MAX + 1]; /* as PWD said after the last CWD; "" for the login's */

	char err[1024];
	int err_code, err_proto;
};

/*
 * Run a command with data phases to completion: qlink_chan_run()'s halves
 * with @run, embedded first in the callbacks' user structure, as both the
 * callbacks' user pointer and the outcome the retry logic reads (done:
 * false if it was never queued or never completed; resp: the caller frees
 * it). Returns 0, or -1 with errno as qlink_chan_run().
 */
int ftp_run(struct qlink_ftp *ftp, const char *line, const struct qlink_cmd *cmd,
	    struct qlink_chan_run *run);

/*
 * Record why @what failed: from @resp if there is one, else from errno.
 * Returns -1 with errno preserved, for "return ftp_fail(...)".
 */
int ftp_fail(struct qlink_ftp *ftp, const char *what, const struct qlink_resp *resp);
int ftp_failf(struct qlink_ftp *ftp, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Quote-safe name for an AT string parameter, or -1/EINVAL with the reason recorded. */
int ftp_check_name(struct qlink_ftp *ftp, const char *what, const char *name, size_t max);

/* SIZE, failing as @what ("get fw.bin") rather than as "size". */
int ftp_size(struct qlink_ftp *ftp, const char *what, const char *name, uint64_t *size);

/* Bring the session back after a failed transfer: module answering, logged in, same dir. */
int ftp_recover(struct qlink_ftp *ftp, const char *what);

/* A transfer starts: clear a cancel left from an earlier one, ours and the channel's. */
void ftp_begin(struct qlink_ftp *ftp);

/* Does this failure leave a transfer worth resuming? */
bool ftp_resumable(const struct qlink_ftp *ftp, int status);

#endif /* QLINK_FTP_PRIV_H */
