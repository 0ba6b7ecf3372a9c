/* SPDX-License-Identifier: GPL-2.0 */
#ifndef QLINK_TOOL_FOTA_REPORT_H
#define QLINK_TOOL_FOTA_REPORT_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <qlink/fota.h>

enum report_format {
	REPORT_NONE,
	REPORT_PLAIN,
	REPORT_JSON,
};

/*
 * Progress for machines: one record per change of phase or percent on a
 * file descriptor (--progress, --progress-fd), and systemd's STATUS= on
 * $NOTIFY_SOCKET when set.
 */
struct fota_report {
	enum report_format format;
	int fd;
	int notify; /* datagram socket to $NOTIFY_SOCKET, or -1 */
	struct sockaddr_un addr;
	socklen_t addr_len;
	int phase, percent, phase_percent; /* the last record's, to print changes only */
	int notified;			   /* the last STATUS='s percent */
};

int fota_report_parse(const char *s, enum report_format *out);
void fota_report_open(struct fota_report *r, enum report_format format, int fd);
void fota_report_step(struct fota_report *r, const struct qlink_fota_progress *p);
/* the last record: @outcome as --json names it, @message one sentence */
void fota_report_end(struct fota_report *r, const char *outcome, const char *message);
void fota_report_close(struct fota_report *r);

#endif
