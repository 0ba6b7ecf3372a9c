// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The FILE upload: the package queued on the channel as fast as the flow
 * control or the pacing lets it leave, its progress and its stall bound.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <qlink/transport.h>

#include "core/clock.h"
#include "fota/fota-priv.h"

#define PACED_WRITE 32 /* bytes per write without flow control (3.3.1.3) */
/*
 * Paced, a short queue: what is still queued when the module ends the
 * upload early (FILEEND 500) reaches it as command-line noise.
 */
#define PACED_QUEUE 512

/* RTS/CTS streams at line rate; without it, small writes at the rate. */
void fota_upload_pace(struct qlink_fota *f, struct qlink_chan *chan)
{
	struct qlink_transport *t = qlink_chan_get_transport(chan);

	if (f->rtscts)
		qlink_transport_set_pacing(t, 0, 0);
	else if (f->rate)
		qlink_transport_set_pacing(t, f->rate, PACED_WRITE);
	else
		qlink_transport_set_pacing(t, 0, 0); /* deliberately unpaced */
}

int fota_upload_feed(struct qlink_fota *f, struct qlink_chan *chan)
{
	size_t room = f->rtscts || !f->rate ? CHUNK : PACED_QUEUE;
	uint64_t now = qlink_now_ms(), sent;

	while (f->queued < (uint64_t)f->file_size && qlink_chan_get_outq(chan) < room) {
		size_t want = (uint64_t)f->file_size - f->queued < room ?
				      (size_t)((uint64_t)f->file_size - f->queued) :
				      room;
		ssize_t n = pread(f->file, f->buf, want, (off_t)f->queued);

		if (n <= 0) {
			f->err = n < 0 ? errno : EIO;
			fota_result(f, QLINK_FOTA_OUTCOME_HOST_ERROR, "reading %s at byte %llu: %s",
				    f->src, (unsigned long long)f->queued,
				    n < 0 ? strerror(errno) : "the file shrank");
			return -1;
		}
		if (qlink_chan_send(chan, f->buf, (size_t)n) < 0)
			return 0; /* the port is gone: the loop finds out */
		f->queued += (uint64_t)n;
	}
	sent = f->queued - qlink_chan_get_outq(chan);
	if (sent != f->sent) {
		f->sent = sent;
		f->last_move = now;
		fota_arm(f, UPLOAD_STALL_MS);
	}
	if (now - f->last_report >= PROGRESS_MS || sent == (uint64_t)f->file_size) {
		uint64_t ms = now > f->up_t0 ? now - f->up_t0 : 1;

		f->last_report = now;
		fota_notify(f, qlink_fota_pm_upload(&f->pm, sent, (uint64_t)f->file_size,
						    (unsigned int)(sent * 1000 / ms)));
	}
	if (sent == (uint64_t)f->file_size && f->st == ST_UPLOAD) {
		f->st = ST_FILEEND;
		fota_arm(f, FILEEND_MS);
	}
	return 0;
}
