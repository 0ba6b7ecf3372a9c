// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The FOTA job: its configuration, its accessors, and the run from
 * pre-flight to the log line. The steps are apart: the setup commands
 * (fota-setup.c), the FILE upload (fota-upload.c), the URC state machine
 * (fota-urc.c), following it to the end with its deadlines and the port
 * coming back (fota-follow.c), the revision read back (fota-verify.c),
 * the outcome (fota-outcome.c) and the log line (fota-log.c).
 *
 * The end is the module's word and nothing less: END,0, then the module
 * back (RDY, or on USB the port gone and back and answering AT), then its
 * revision read. Every phase waits with a bound: see struct
 * qlink_fota_timeouts for the long ones and fota-priv.h for the short ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qlink/fota.h>
#include <qlink/redact.h>
#include <qlink/revision.h>

#include "core/api.h"
#include "core/clock.h"
#include "core/tty-lock.h"
#include "fota/fota-priv.h"

#define DEFAULT_RATE 15000 /* B/s: the guide's NOR flash figure (3.3.1.3) */

static int set_str(char **dst, const char *src)
{
	char *c = NULL;

	if (src) {
		c = strdup(src);
		if (!c)
			return -1;
	}
	free(*dst);
	*dst = c;
	return 0;
}

/* ----------------------------------------------------- configuration */

QLINK_API struct qlink_fota *qlink_fota_new(void)
{
	struct qlink_fota *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->mode = QLINK_FOTA_MODE_IMMEDIATE;
	f->dl_count = f->up_count = -1;
	f->rate = DEFAULT_RATE;
	f->cid = 1;
	f->mb = -1;
	f->file = -1;
	f->code = -1;
	f->to.download_s = 1800;
	f->to.update_s = 600;
	f->to.boot_s = 120;
	f->to.attach_s = 60;
	f->pm.p.size = sizeof(f->pm.p);
	return f;
}

QLINK_API void qlink_fota_free(struct qlink_fota *f)
{
	if (!f)
		return;
	if (f->file >= 0)
		close(f->file);
	qlink_chan_free(f->own);
	tty_lock_drop(f->hold);
	free(f->buf);
	free(f->src);
	free(f->expect);
	free(f->apn);
	free(f->port);
	free(f->log_path);
	free(f);
}

QLINK_API int qlink_fota_set_source(struct qlink_fota *f, const char *src)
{
	if (!f || !src || !*src) {
		errno = EINVAL;
		return -1;
	}
	if (set_str(&f->src, src) < 0)
		return -1;
	f->kind = qlink_fota_src_kind(src);
	f->checked = false;
	return 0;
}

QLINK_API int qlink_fota_set_mode(struct qlink_fota *f, enum qlink_fota_mode mode)
{
	if (mode != QLINK_FOTA_MODE_REBOOT && mode != QLINK_FOTA_MODE_IMMEDIATE) {
		errno = EINVAL;
		return -1;
	}
	f->mode = mode;
	f->mode_set = true;
	return 0;
}

static bool count_ok(int n)
{
	return n == -1 || n == 0 || (n >= 5 && n <= 100);
}

QLINK_API int qlink_fota_set_urc_counts(struct qlink_fota *f, int download, int update)
{
	if (!count_ok(download) || !count_ok(update)) {
		errno = EINVAL;
		return -1;
	}
	f->dl_count = download;
	f->up_count = update;
	return 0;
}

QLINK_API int qlink_fota_set_expected_revision(struct qlink_fota *f, const char *rev)
{
	return set_str(&f->expect, rev && *rev ? rev : NULL);
}

QLINK_API int qlink_fota_set_timeouts(struct qlink_fota *f, const struct qlink_fota_timeouts *to)
{
	if (!to) {
		errno = EINVAL;
		return -1;
	}
	if (to->download_s)
		f->to.download_s = to->download_s;
	if (to->update_s)
		f->to.update_s = to->update_s;
	if (to->boot_s)
		f->to.boot_s = to->boot_s;
	if (to->attach_s)
		f->to.attach_s = to->attach_s;
	return 0;
}

QLINK_API void qlink_fota_set_rate(struct qlink_fota *f, unsigned int bytes_per_s)
{
	f->rate = bytes_per_s;
	f->checked = false;
}

QLINK_API int qlink_fota_set_flow(struct qlink_fota *f, enum qlink_fota_flow flow)
{
	if (flow != QLINK_FOTA_FLOW_AUTO && flow != QLINK_FOTA_FLOW_RTSCTS &&
	    flow != QLINK_FOTA_FLOW_NONE) {
		errno = EINVAL;
		return -1;
	}
	f->flow = flow;
	f->checked = false;
	return 0;
}

QLINK_API void qlink_fota_set_protocol_mode(struct qlink_fota *f, bool on)
{
	f->protocol = on;
	f->checked = false;
}

QLINK_API void qlink_fota_set_host_check(struct qlink_fota *f, bool on)
{
	f->no_host_check = !on;
	f->checked = false;
}

QLINK_API int qlink_fota_set_pdp(struct qlink_fota *f, int cid, const char *apn)
{
	if (cid < 1 || cid > 15 || (apn && (strlen(apn) > 62 || strchr(apn, '"')))) {
		errno = EINVAL;
		return -1;
	}
	if (set_str(&f->apn, apn) < 0)
		return -1;
	f->cid = cid;
	return 0;
}

QLINK_API int qlink_fota_set_port(struct qlink_fota *f, const char *path, unsigned int baud,
				  unsigned int flags)
{
	pid_t shared_by;

	if (!path || !*path) {
		errno = EINVAL;
		return -1;
	}
	if (set_str(&f->port, path) < 0)
		return -1;
	f->baud = baud;
	f->tty_flags = flags;
	tty_lock_drop(f->hold);
	f->hold = NULL;
	/*
	 * The transports' lock file goes with the last of them, and a module
	 * that reboots takes its port away for a while: this reference keeps
	 * the file, so nobody else takes the port until the job is freed.
	 */
	if ((flags & QLINK_TTY_EXCLUSIVE) && tty_lock_take(path, &f->hold, &shared_by) < 0)
		return -1;
	return 0;
}

QLINK_API void qlink_fota_set_progress_cb(struct qlink_fota *f, qlink_fota_progress_cb cb,
					  void *user)
{
	f->cb = cb;
	f->cb_user = user;
}

QLINK_API void qlink_fota_set_trace(struct qlink_fota *f, qlink_log_cb fn, void *user)
{
	f->trace = fn;
	f->trace_user = user;
}

QLINK_API int qlink_fota_set_log_file(struct qlink_fota *f, const char *path)
{
	return set_str(&f->log_path, path);
}

/* ------------------------------------------------------------ the run */

static int finish(struct qlink_fota *f)
{
	struct qlink_chan *chan = f->chan;
	int e;

	if (chan) {
		qlink_transport_set_pacing(qlink_chan_get_transport(chan), 0, 0);
		qlink_chan_set_urc_handlers(chan, NULL, 0, NULL);
	}
	if (f->file >= 0) {
		close(f->file);
		f->file = -1;
	}
	free(f->buf);
	f->buf = NULL;
	if (f->outcome == QLINK_FOTA_OUTCOME_NONE)
		fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT, "the job ended without a verdict");
	f->st = ST_DONE;
	fota_phase(f, QLINK_FOTA_PHASE_DONE);
	fota_write_log(f);
	e = fota_outcome_errno(f);
	if (!e)
		return 0;
	errno = e;
	return -1;
}

static void reset_run(struct qlink_fota *f)
{
	f->t0 = qlink_now_ms();
	f->outcome = QLINK_FOTA_OUTCOME_NONE;
	f->msg[0] = f->advice[0] = f->rev_after[0] = '\0';
	f->code = -1;
	f->err = 0;
	f->rdy = f->any_urc = f->dl_ok = f->end_seen = false;
	f->stuck = 0;
	f->probe_busy = f->probe_ok = false;
	f->end_code = 0;
	f->reopens = 0;
	f->queued = f->sent = f->last_report = 0;
}

/* A new run: a channel of the job's own from the last one goes, unless it is handed back. */
static void use_chan(struct qlink_fota *f, struct qlink_chan *chan)
{
	if (f->own && f->own != chan) {
		qlink_chan_free(f->own);
		f->own = NULL;
	}
	f->chan = chan;
}

QLINK_API int qlink_fota_run(struct qlink_fota *f, struct qlink_chan *chan)
{
	char line[QLINK_CMD_LINE_MAX];
	struct qlink_resp *r = NULL;
	bool ec200t;

	if (!f || !chan || !f->src) {
		errno = EINVAL;
		return -1;
	}
	reset_run(f);
	use_chan(f, chan);
	if (!f->checked && qlink_fota_preflight(f, chan) < 0 && errno != EPERM) {
		/* the revision could not be read: nothing answered in time, or the port went */
		fota_fail(f, errno, QLINK_FOTA_OUTCOME_TIMEOUT, "%s", f->fd.f[0].text);
		return finish(f);
	}
	if (f->fd.refused) {
		fota_result(f, QLINK_FOTA_OUTCOME_REFUSED, "refused: %s", fota_refusal(f));
		return finish(f);
	}
	ec200t = !strcmp(f->model, "EC200T");
	qlink_fota_pm_init(&f->pm, f->mb == 8,
			   f->mb == 8	   ? 0 :
			   f->dl_count < 0 ? 100 :
					     f->dl_count,
			   ec200t && f->up_count >= 0 ? f->up_count : 100);
	fota_attach(f, chan);
	fota_phase(f, QLINK_FOTA_PHASE_SETUP);
	if (f->kind == FOTA_SRC_FILE) {
		f->file = open(f->src, O_RDONLY | O_CLOEXEC);
		f->buf = malloc(CHUNK);
		if (f->file < 0 || !f->buf) {
			f->err = errno;
			fota_result(f, QLINK_FOTA_OUTCOME_HOST_ERROR, "%s: %s", f->src,
				    strerror(errno));
			return finish(f);
		}
		if (fota_setup_flow(f, chan) < 0)
			return finish(f);
	} else if (fota_setup_pdp(f, chan) < 0) {
		return finish(f);
	}
	fota_build_cmd(f, line, sizeof(line));
	f->rdy = false;
	/* the first URC may come with the OK: be in the state it moves on from */
	f->st = f->kind == FOTA_SRC_FILE ? ST_FILESTART : ST_DOWNLOAD;
	fota_arm(f, f->kind == FOTA_SRC_FILE ?
			    FILESTART_MS :
			    (f->to.download_s + (f->mb == 8 ? f->to.boot_s : 0)) * 1000);
	if (f->cancelled) {
		/* Ctrl-C during the pre-flight or the set-up: nothing is started */
		fota_result(f, QLINK_FOTA_OUTCOME_CANCELLED,
			    "stopped by the user before AT+QFOTADL: nothing was started");
		snprintf(f->advice, sizeof(f->advice), "%s", "start the upgrade again");
		return finish(f);
	}
	if (qlink_chan_exec(chan, line, NULL, &r) < 0) {
		char shown_line[2 * QLINK_CMD_LINE_MAX + 16];
		int err = errno;

		qlink_redact(line, shown_line, sizeof(shown_line));
		fota_fail(f, err, QLINK_FOTA_OUTCOME_MODULE_ERROR, "the module refused %s: %s",
			  shown_line, r ? qlink_resp_get_error(r) : strerror(err));
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "check the source against the guide's limits and that no upgrade is "
			 "already under way (qlink fota --resume follows one)");
		qlink_resp_free(r);
		return finish(f);
	}
	qlink_resp_free(r);
	if (f->kind == FOTA_SRC_FILE) {
		fota_upload_pace(f, chan);
		if (f->st == ST_FILESTART || f->st == ST_UPLOAD)
			fota_phase(f, QLINK_FOTA_PHASE_UPLOAD);
	} else if (f->st == ST_DOWNLOAD) {
		/* MiniFOTA reboots into download mode first, silently */
		fota_phase(f, QLINK_FOTA_PHASE_DOWNLOAD);
	}
	fota_follow(f);
	if (f->st == ST_VERIFY && f->chan)
		fota_verify(f, f->chan);
	return finish(f);
}

QLINK_API int qlink_fota_resume(struct qlink_fota *f, struct qlink_chan *chan)
{
	if (!f || !chan) {
		errno = EINVAL;
		return -1;
	}
	reset_run(f);
	use_chan(f, chan);
	f->rev_before[0] = f->model[0] = '\0';
	fota_attach(f, chan);
	f->st = ST_ATTACH;
	fota_arm(f, f->to.attach_s * 1000);
	/* whatever it runs now (an intermediate revision mid-MiniFOTA) names the variant */
	if (!qlink_revision_read(chan, f->rev_before, sizeof(f->rev_before))) {
		f->mb = qlink_revision_flash_mb(f->rev_before);
		if (qlink_revision_model(f->rev_before, f->model, sizeof(f->model)) < 0)
			f->model[0] = '\0';
	}
	if (f->st == ST_ATTACH)
		qlink_fota_pm_init(&f->pm, f->mb == 8, f->mb == 8 ? 0 : 100, 100);
	fota_follow(f);
	if (f->st == ST_VERIFY && f->chan)
		fota_verify(f, f->chan);
	return finish(f);
}

/* ----------------------------------------------------------- getters */

QLINK_API void qlink_fota_cancel(struct qlink_fota *f)
{
	f->cancelled = 1;
}

QLINK_API enum qlink_fota_outcome qlink_fota_get_outcome(const struct qlink_fota *f)
{
	return f->outcome;
}

QLINK_API struct qlink_chan *qlink_fota_get_chan(const struct qlink_fota *f)
{
	return f->chan;
}

QLINK_API const char *qlink_fota_get_error(const struct qlink_fota *f)
{
	return f->outcome == QLINK_FOTA_OUTCOME_UPGRADED ? "" : f->msg;
}

QLINK_API const char *qlink_fota_get_summary(const struct qlink_fota *f)
{
	return f->msg;
}

QLINK_API const char *qlink_fota_get_advice(const struct qlink_fota *f)
{
	return f->advice;
}

QLINK_API int qlink_fota_get_code(const struct qlink_fota *f, enum qlink_code_space *space)
{
	if (space)
		*space = f->space;
	return f->code;
}

QLINK_API const char *qlink_fota_get_revision_before(const struct qlink_fota *f)
{
	return f->rev_before;
}

QLINK_API const char *qlink_fota_get_revision_after(const struct qlink_fota *f)
{
	return f->rev_after;
}

QLINK_API const char *qlink_fota_get_model(const struct qlink_fota *f)
{
	return f->model;
}

QLINK_API int qlink_fota_get_flash_mb(const struct qlink_fota *f)
{
	return f->mb;
}

QLINK_API const struct qlink_fota_progress *qlink_fota_get_progress(const struct qlink_fota *f)
{
	return &f->pm.p;
}

QLINK_API unsigned int qlink_fota_get_reopens(const struct qlink_fota *f)
{
	return f->reopens;
}
