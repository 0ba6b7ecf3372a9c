// SPDX-License-Identifier: GPL-2.0
/*
 * qlink fota's progress for update agents and systemd: a 20-30 minute
 * upgrade must say where it is when nobody watches a terminal. Records
 * name the DFOTA guide's phases (download, update, reboot, verify); a
 * FILE upload is the download phase with step "upload".
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fota-report.h"
#include "json.h"

static const char *const step_name[] = {
	[QLINK_FOTA_PHASE_CHECK] = "check",   [QLINK_FOTA_PHASE_SETUP] = "setup",
	[QLINK_FOTA_PHASE_UPLOAD] = "upload", [QLINK_FOTA_PHASE_DOWNLOAD] = "download",
	[QLINK_FOTA_PHASE_UPDATE] = "update", [QLINK_FOTA_PHASE_REBOOT] = "reboot",
	[QLINK_FOTA_PHASE_VERIFY] = "verify", [QLINK_FOTA_PHASE_DONE] = "done",
};

/* the guide's four phases; what comes before the download is "prepare" */
static const char *const phase_name[] = {
	[QLINK_FOTA_PHASE_CHECK] = "prepare",	[QLINK_FOTA_PHASE_SETUP] = "prepare",
	[QLINK_FOTA_PHASE_UPLOAD] = "download", [QLINK_FOTA_PHASE_DOWNLOAD] = "download",
	[QLINK_FOTA_PHASE_UPDATE] = "update",	[QLINK_FOTA_PHASE_REBOOT] = "reboot",
	[QLINK_FOTA_PHASE_VERIFY] = "verify",	[QLINK_FOTA_PHASE_DONE] = "done",
};

int fota_report_parse(const char *s, enum report_format *out)
{
	if (!strcmp(s, "plain"))
		*out = REPORT_PLAIN;
	else if (!strcmp(s, "json"))
		*out = REPORT_JSON;
	else
		return -1;
	return 0;
}

void fota_report_open(struct fota_report *r, enum report_format format, int fd)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	size_t n;

	memset(r, 0, sizeof(*r));
	r->format = format;
	r->fd = fd;
	r->notify = -1;
	r->phase = r->percent = r->phase_percent = r->notified = -2;
	/*
	 * An agent that stops reading (it died, or closed the pipe) must not
	 * kill the job with SIGPIPE halfway: the module goes on, and the job
	 * still has its outcome to log. Writes then fail with EPIPE instead.
	 */
	if (format != REPORT_NONE)
		signal(SIGPIPE, SIG_IGN);
	/* sd_notify(3)'s protocol: a path, or '@' for the abstract namespace */
	if (!sock || (sock[0] != '/' && sock[0] != '@'))
		return;
	n = strlen(sock);
	if (n >= sizeof(r->addr.sun_path))
		return;
	r->addr.sun_family = AF_UNIX;
	memcpy(r->addr.sun_path, sock, n);
	if (sock[0] == '@')
		r->addr.sun_path[0] = '\0';
	r->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	r->notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
}

static void notify(struct fota_report *r, const char *status)
{
	char msg[300];
	int n;

	if (r->notify < 0)
		return;
	n = snprintf(msg, sizeof(msg), "STATUS=%s", status);
	/* best effort, as sd_notify(): a busy manager drops it, the job goes on */
	if (sendto(r->notify, msg, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&r->addr,
		   r->addr_len) < 0)
		errno = 0;
}

/* All of @s to the report's fd; a reader that went away does not stop the job. */
static void put(struct fota_report *r, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(r->fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w, n -= (size_t)w;
	}
}

void fota_report_step(struct fota_report *r, const struct qlink_fota_progress *p)
{
	char line[300], status[200];
	int n;

	if ((int)p->phase == r->phase && p->percent == r->percent &&
	    p->phase_percent == r->phase_percent)
		return;
	r->phase = (int)p->phase;
	r->percent = p->percent;
	r->phase_percent = p->phase_percent;
	if (p->phase_percent >= 0)
		snprintf(status, sizeof(status), "qlink fota: %s %d %% (%s %d %%)",
			 phase_name[p->phase], p->percent, step_name[p->phase], p->phase_percent);
	else
		snprintf(status, sizeof(status), "qlink fota: %s %d %%", phase_name[p->phase],
			 p->percent);
	/* the manager queues few datagrams: a status per whole-job percent, not per step */
	if (p->percent != r->notified)
		notify(r, status);
	r->notified = p->percent;
	if (r->format == REPORT_PLAIN) {
		n = snprintf(line, sizeof(line), "%s %d", phase_name[p->phase], p->percent);
		if (strcmp(phase_name[p->phase], step_name[p->phase]))
			n += snprintf(line + n, sizeof(line) - n, " step=%s", step_name[p->phase]);
		if (p->phase_percent >= 0)
			n += snprintf(line + n, sizeof(line) - n, " phase_percent=%d",
				      p->phase_percent);
		if (p->part)
			n += snprintf(line + n, sizeof(line) - n, " part=%d", p->part);
		if (p->phase == QLINK_FOTA_PHASE_UPLOAD && p->total)
			n += snprintf(line + n, sizeof(line) - n, " bytes=%llu/%llu",
				      (unsigned long long)p->bytes, (unsigned long long)p->total);
		n += snprintf(line + n, sizeof(line) - n, "\n");
		put(r, line, (size_t)n);
	} else if (r->format == REPORT_JSON) {
		n = snprintf(line, sizeof(line),
			     "{\"phase\":\"%s\",\"step\":\"%s\",\"percent\":%d,\"phase_percent\":",
			     phase_name[p->phase], step_name[p->phase], p->percent);
		n += p->phase_percent >= 0 ?
			     snprintf(line + n, sizeof(line) - n, "%d", p->phase_percent) :
			     snprintf(line + n, sizeof(line) - n, "null");
		n += snprintf(line + n, sizeof(line) - n, ",\"part\":%d", p->part);
		if (p->phase == QLINK_FOTA_PHASE_UPLOAD && p->total)
			n += snprintf(line + n, sizeof(line) - n, ",\"bytes\":%llu,\"total\":%llu",
				      (unsigned long long)p->bytes, (unsigned long long)p->total);
		n += snprintf(line + n, sizeof(line) - n, "}\n");
		put(r, line, (size_t)n);
	}
}

void fota_report_end(struct fota_report *r, const char *outcome, const char *message)
{
	char status[300];

	snprintf(status, sizeof(status), "qlink fota: %s: %s", outcome, message);
	notify(r, status);
	if (r->format == REPORT_PLAIN) {
		dprintf(r->fd, "done outcome=%s %s\n", outcome, message);
	} else if (r->format == REPORT_JSON) {
		FILE *fp = fdopen(dup(r->fd), "w");
		struct json j;

		if (!fp)
			return;
		json_init(&j, fp);
		json_obj_begin(&j, NULL);
		json_str(&j, "phase", "done");
		json_str(&j, "step", "done");
		json_str(&j, "outcome", outcome);
		json_str(&j, "message", message);
		json_obj_end(&j);
		fclose(fp);
	}
}

void fota_report_close(struct fota_report *r)
{
	if (r->notify >= 0)
		close(r->notify);
	r->notify = -1;
}
