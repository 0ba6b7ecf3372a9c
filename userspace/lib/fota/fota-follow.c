// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Following a job to its end: the channel's loop run until the URC state
 * machine (fota-urc.c) says the module is back, a deadline passes, the
 * user cancels or the port is lost for good; the port reopened when a USB
 * module re-enumerates; the module probed with AT in case RDY was missed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <qlink/redact.h>
#include <qlink/revision.h>

#include "core/clock.h"
#include "core/port-wait.h"
#include "fota/fota-priv.h"

#define REOPEN_RETRY_MS 250 /* the port is there but will not open yet */

/*
 * Stop using a channel whose port went away. The job's own is freed; the
 * caller's stays the caller's, but its device is closed now: a USB serial
 * driver keeps the node's number while a descriptor holds it, and the
 * module would come back under another name.
 */
static void drop_chan(struct qlink_fota *f)
{
	struct qlink_chan *old = f->chan;

	f->chan = NULL;
	if (!old)
		return;
	if (old == f->own) {
		qlink_chan_free(old);
		f->own = NULL;
		return;
	}
	qlink_transport_set_pacing(qlink_chan_get_transport(old), 0, 0);
	qlink_chan_set_urc_handlers(old, NULL, 0, NULL);
	qlink_port_release(qlink_chan_get_transport(old));
	/* it completes what it still owed (a probe) now, while @f is alive */
	qlink_chan_process(old);
}

static int reopen(struct qlink_fota *f)
{
	uint64_t deadline = qlink_now_ms() + f->to.boot_s * 1000ull;

	drop_chan(f);
	if (!f->port)
		return -1;
	for (;;) {
		uint64_t now = qlink_now_ms();
		struct qlink_transport *t;

		if (qlink_port_wait(f->port, true, now < deadline ? deadline - now : 0) < 0)
			return -1;
		t = qlink_transport_open_tty(f->port, f->baud, f->tty_flags);
		if (!t) {
			now = qlink_now_ms();
			if (now >= deadline)
				return -1;
			/* present but not usable yet (udev's chmod): try again shortly */
			poll(NULL, 0,
			     (int)(deadline - now < REOPEN_RETRY_MS ? deadline - now :
								      REOPEN_RETRY_MS));
			continue;
		}
		f->own = qlink_chan_new(t);
		if (!f->own)
			return -1;
		f->chan = f->own;
		if (f->trace)
			qlink_chan_set_log(f->chan, f->trace, f->trace_user);
		fota_attach(f, f->chan);
		f->reopens++;
		/* it may have said RDY before we were back: ask */
		f->next_probe = 0;
		f->probe_busy = false;
		return 0;
	}
}

/* ------------------------------------------------------- following */

static void probe_done(struct qlink_chan *chan, const struct qlink_resp *r, void *user)
{
	struct qlink_fota *f = user;

	(void)chan;
	f->probe_busy = false;
	if (!qlink_resp_get_status(r))
		f->probe_ok = true;
}

static void interrupted(struct qlink_fota *f)
{
	char url2[300], m2[640];

	if (f->pm.mini && f->pm.p.part >= 1 && f->pm.p.phase_percent >= 60) {
		qlink_fota_mini2_url(f->src ? f->src : "", url2, sizeof(url2));
		qlink_redact(url2, m2, sizeof(m2));
		fota_result(f, QLINK_FOTA_OUTCOME_INTERRUPTED,
			    "MiniFOTA stopped after .mini_1: the module could not fetch %s and stays "
			    "in download mode",
			    f->src ? m2 : ".mini_2");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "serve .mini_2 beside .mini_1 and run the same upgrade again: the module "
			 "goes on with .mini_2");
	} else if (f->pm.mini && f->st != ST_UPDATE) {
		fota_result(f, QLINK_FOTA_OUTCOME_INTERRUPTED,
			    "the module came back without updating: it could not fetch .mini_1");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "check the URL, the server and the module's network, then run again; the "
			 "module may stay in download mode until an upgrade succeeds");
	} else if (f->st == ST_UPDATE || f->st == ST_PREUPDATE) {
		fota_result(
			f, QLINK_FOTA_OUTCOME_INTERRUPTED,
			"the module restarted during the update and came back without finishing it");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "read its revision; run the upgrade again");
	} else {
		fota_result(f, QLINK_FOTA_OUTCOME_INTERRUPTED,
			    "the module restarted during the %s; its firmware is unchanged",
			    f->kind == FOTA_SRC_FILE ? "upload" : "download");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "keep the module powered and run the upgrade again");
	}
}

static void deadline_passed(struct qlink_fota *f, struct qlink_chan *chan)
{
	switch (f->st) {
	case ST_FILESTART:
		fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT, "no FILESTART within %d s of the OK",
			    FILESTART_MS / 1000);
		break;
	case ST_UPLOAD:
		fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
			    "the module stopped taking the package: %llu of %lld bytes written, none "
			    "for %d s (CTS held low?)",
			    (unsigned long long)f->sent, (long long)f->file_size,
			    UPLOAD_STALL_MS / 1000);
		break;
	case ST_FILEEND:
		fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
			    "all %lld bytes written, but no FILEEND within %d s",
			    (long long)f->file_size, FILEEND_MS / 1000);
		break;
	case ST_DOWNLOAD:
		if (f->stuck)
			fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
				    "the download stalled at %d %%: no progress for %u s (the same "
				    "progress repeated %u times)",
				    f->pm.p.phase_percent < 0 ? 0 : f->pm.p.phase_percent,
				    f->to.download_s, f->stuck);
		else
			fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
				    "no word from the module about the download for %u s",
				    f->to.download_s);
		break;
	case ST_PREUPDATE:
	case ST_UPDATE:
		if (f->stuck)
			fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
				    "the update stalled at %d %%: no progress for %u s (UPDATING "
				    "repeated %u times, an update loop)",
				    f->pm.p.phase_percent < 0 ? 0 : f->pm.p.phase_percent,
				    f->to.update_s, f->stuck);
		else
			fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
				    "the update stalled at %d %% (no URC for %u s)",
				    f->pm.p.phase_percent < 0 ? 0 : f->pm.p.phase_percent,
				    f->st == ST_UPDATE ? f->to.update_s :
							 f->to.update_s + f->to.boot_s);
		if (f->stuck)
			snprintf(f->advice, sizeof(f->advice), "%s",
				 "keep it powered and watch it (qlink fota --resume); if it "
				 "keeps repeating, power-cycle it and read its revision");
		break;
	case ST_REBOOT:
		if (f->end_code) {
			size_t n = strlen(f->msg);

			snprintf(f->msg + n, sizeof(f->msg) - n,
				 "; then the module did not come back within %u s", f->to.boot_s);
		} else {
			fota_result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
				    "END,0, but the module did not come back within %u s: no RDY, no "
				    "answer to AT%s",
				    f->to.boot_s, f->port ? ", the port did not reappear" : "");
			snprintf(f->advice, sizeof(f->advice), "%s",
				 "keep it powered; check the port (USB may come back under another "
				 "name) and run qlink info; if it is still silent, power-cycle it");
		}
		f->st = ST_DONE;
		return;
	case ST_ATTACH:
		if (chan && !qlink_revision_read(chan, f->rev_after, sizeof(f->rev_after))) {
			fota_result(
				f, QLINK_FOTA_OUTCOME_NOT_RUNNING,
				"no upgrade under way: no FOTA URC within %u s; the module answers and "
				"runs %s",
				f->to.attach_s, f->rev_after);
		} else {
			fota_result(
				f, QLINK_FOTA_OUTCOME_TIMEOUT,
				"the module neither reported FOTA progress nor answered within %u s",
				f->to.attach_s);
		}
		f->st = ST_DONE;
		return;
	default:
		break;
	}
	f->st = ST_DONE;
}

void fota_follow(struct qlink_fota *f)
{
	while (f->st != ST_VERIFY && f->st != ST_DONE) {
		uint64_t now;
		int wait;

		if (f->cancelled) {
			/*
			 * The host stops watching; the module does not stop
			 * upgrading. An upload cut short ends in the module's
			 * own FILEEND error, anything later runs to its end.
			 */
			fota_result(
				f, QLINK_FOTA_OUTCOME_CANCELLED, "%s",
				f->st == ST_UPLOAD ?
					"stopped by the user during the upload; the module will report "
					"the package incomplete" :
					"stopped following by the user; the module carries on");
			snprintf(f->advice, sizeof(f->advice), "%s",
				 f->st == ST_UPLOAD ?
					 "start the upgrade again" :
					 "keep it powered; qlink fota --resume follows it to the end");
			f->st = ST_DONE;
			break;
		}
		if (f->st == ST_UPLOAD && fota_upload_feed(f, f->chan) < 0) {
			f->st = ST_DONE;
			break;
		}
		if (f->rdy && f->st == ST_REBOOT) {
			f->st = ST_VERIFY;
			break;
		}
		if (f->probe_ok && f->st == ST_REBOOT) {
			f->st = ST_VERIFY;
			break;
		}
		if (f->rdy && f->st != ST_ATTACH) {
			/* back in normal mode before END: it gave up */
			interrupted(f);
			f->st = ST_VERIFY;
			break;
		}
		f->rdy = false;
		now = qlink_now_ms();
		if (now >= f->deadline) {
			deadline_passed(f, f->chan);
			continue;
		}
		if (f->st == ST_REBOOT && !f->probe_busy && now >= f->next_probe) {
			f->next_probe = now + PROBE_MS;
			if (!qlink_chan_submit(f->chan, "AT", NULL, probe_done, f))
				f->probe_busy = true;
		}
		wait = f->deadline - now > 1000 ? 1000 : (int)(f->deadline - now);
		if (f->st == ST_UPLOAD && wait > PROGRESS_MS)
			wait = PROGRESS_MS;
		if (qlink_chan_wait(f->chan, wait) < 0 && errno != EINTR) {
			bool uploading = f->st == ST_UPLOAD || f->st == ST_FILESTART ||
					 f->st == ST_FILEEND;

			f->probe_busy = false;
			if (uploading || reopen(f) < 0) {
				drop_chan(f);
				fota_result(
					f, QLINK_FOTA_OUTCOME_PORT_LOST,
					uploading ?
						"the port went away during the upload" :
					f->port ?
						"the port went away and did not come back within %u s" :
						"the port went away (no path to reopen it)",
					f->to.boot_s);
				f->st = ST_DONE;
			}
		}
	}
}
