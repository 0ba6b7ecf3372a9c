// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The job log: one line per run, credentials masked.
 */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <qlink/redact.h>

#include "core/clock.h"
#include "fota/fota-priv.h"

/* The source as it may be shown: credentials masked. */
static const char *shown(const struct qlink_fota *f, char *buf, size_t len)
{
	if (!f->src)
		return "";
	qlink_redact(f->src, buf, len);
	return buf;
}

/*
 * Can the job log be written? Asked before anything is sent, so a job
 * whose record would be lost is refused while nothing has happened yet.
 * O_NONBLOCK: a FIFO there must not hang the check.
 */
int fota_log_check(const struct qlink_fota *f)
{
	int fd;

	if (!f->log_path)
		return 0;
	fd = open(f->log_path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

void fota_write_log(struct qlink_fota *f)
{
	char src[700], when[32], msg[640];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int fd;
	FILE *fp;

	if (!f->log_path)
		return;
	fd = open(f->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	fp = fdopen(fd, "a");
	if (!fp) {
		close(fd);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	qlink_redact(f->msg, msg, sizeof(msg));
	for (i = 0; msg[i]; i++)
		if (msg[i] == '"')
			msg[i] = '\'';
	fprintf(fp,
		"%s source=\"%s\" model=%s before=%s after=%s outcome=%s code=%d seconds=%.1f "
		"message=\"%s\"\n",
		when, shown(f, src, sizeof(src)), f->model[0] ? f->model : "-",
		f->rev_before[0] ? f->rev_before : "-", f->rev_after[0] ? f->rev_after : "-",
		qlink_fota_outcome_name(f->outcome), f->code,
		(double)(qlink_now_ms() - f->t0) / 1000.0, msg);
	fclose(fp);
}
