// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Setting the module up for AT+QFOTADL: the PDP context a URL download
 * uses, the flow control of a FILE upload, and the command itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <qlink/pdp.h>

#include "fota/fota-priv.h"

static int exec_or_fail(struct qlink_fota *f, struct qlink_chan *chan, const char *line)
{
	struct qlink_resp *r = NULL;
	int ret = qlink_chan_exec(chan, line, NULL, &r);

	if (ret < 0) {
		int err = errno;

		fota_fail(f, err, QLINK_FOTA_OUTCOME_MODULE_ERROR, "%s",
			  r ? qlink_resp_get_error(r) : strerror(err));
	}
	qlink_resp_free(r);
	return ret;
}

/* The PDP context the download uses: the one fota/cid names, and active. */
int fota_setup_pdp(struct qlink_fota *f, struct qlink_chan *chan)
{
	struct qlink_resp *r = NULL;
	char line[512];
	int cur = -1;

	if (!qlink_chan_exec(chan, "AT+QCFG=\"fota/cid\"", NULL, &r)) {
		const char *l = qlink_resp_get_line(r, 0);

		if (l && sscanf(l, "+QCFG: \"fota/cid\",%d", &cur) != 1)
			cur = -1;
	}
	qlink_resp_free(r);
	if (cur != f->cid) {
		snprintf(line, sizeof(line), "AT+QCFG=\"fota/cid\",%d", f->cid);
		if (exec_or_fail(f, chan, line) < 0)
			return -1;
	}
	if (qlink_pdp_activate(chan, f->cid, f->apn) < 0) {
		fota_fail(f, errno, QLINK_FOTA_OUTCOME_MODULE_ERROR, "%s",
			  qlink_chan_get_error(chan));
		snprintf(f->advice, sizeof(f->advice),
			 "the module could not activate PDP context %d: check the SIM, the network "
			 "and the APN (--apn)",
			 f->cid);
		return -1;
	}
	return 0;
}

int fota_setup_flow(struct qlink_fota *f, struct qlink_chan *chan)
{
	const char *line = f->usb ? (f->rtscts ? "AT+QCFG=\"usbifc\",2,2" :
						 "AT+QCFG=\"usbifc\",0,0") :
				    (f->rtscts ? "AT+IFC=2,2" : "AT+IFC=0,0");

	return exec_or_fail(f, chan, line);
}

void fota_build_cmd(struct qlink_fota *f, char *line, size_t len)
{
	bool ec200t = !strcmp(f->model, "EC200T");
	int n;

	if (f->kind == FOTA_SRC_FILE)
		n = snprintf(line, len, "AT+QFOTADL=\"FILE:%lld\"", (long long)f->file_size);
	else
		n = snprintf(line, len, "AT+QFOTADL=\"%s\"", f->src);
	/* 8 MB parts: the URL alone; the rest is the module's own (4.2) */
	if (f->mb == 8 || n < 0 || (size_t)n >= len)
		return;
	n += snprintf(line + n, len - (size_t)n, ",%d", f->mode);
	if (f->dl_count >= 0 || (ec200t && f->up_count >= 0))
		n += snprintf(line + n, len - (size_t)n, ",%d",
			      f->dl_count >= 0 ? f->dl_count : 100);
	if (ec200t && f->up_count >= 0)
		snprintf(line + n, len - (size_t)n, ",%d", f->up_count);
}
