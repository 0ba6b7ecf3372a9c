// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * PDP context activation with the FTP(S) guide's troubleshooting (chapter
 * 4.1 and 4.2) folded into the failure message, so a user sees "not
 * attached to the packet domain" rather than a bare ERROR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qlink/pdp.h>

#include "core/api.h"
#include "core/chan-priv.h"

QLINK_API int qlink_pdp_get_active(struct qlink_chan *chan, int cid)
{
	struct qlink_resp *r = NULL;
	size_t i;
	int active = 0;

	qlink_chan_clear_error(chan);
	if (cid < 1 || cid > 15) {
		qlink_chan_set_error(chan, "PDP context %d: must be 1-15", cid);
		errno = EINVAL;
		return -1;
	}
	if (qlink_chan_exec(chan, "AT+QIACT?", NULL, &r) < 0) {
		int e = errno;

		if (r)
			qlink_chan_set_error(chan, "%s", qlink_resp_get_error(r));
		else
			qlink_chan_set_error(chan, "AT+QIACT?: %s", strerror(e));
		qlink_resp_free(r);
		errno = e;
		return -1;
	}
	/* +QIACT: <cid>,<state>,<type>,<ip> per active context */
	for (i = 0; i < qlink_resp_get_line_count(r); i++) {
		int c, state;

		if (sscanf(qlink_resp_get_line(r, i), "+QIACT: %d,%d", &c, &state) == 2 && c == cid)
			active = state == 1;
	}
	qlink_resp_free(r);
	return active;
}

/* Append "; <label>: <the module's answer>" for one diagnostic query. */
static void diagnose(struct qlink_chan *chan, const char *cmd, const char *label,
		     const char *(*explain)(const char *line), char *why, size_t len)
{
	struct qlink_resp *r = NULL;
	size_t used = strlen(why);
	const char *line = "no answer";

	if (qlink_chan_exec(chan, cmd, NULL, &r) == 0 && qlink_resp_get_line_count(r))
		line = qlink_resp_get_line(r, 0);
	else if (r)
		line = qlink_resp_get_error(r);
	if (used < len)
		snprintf(why + used, len - used, "; %s: %s%s", label, line, explain(line));
	qlink_resp_free(r);
}

static const char *explain_cpin(const char *line)
{
	return strstr(line, "READY") ? "" : " (no usable (U)SIM: insert it or enter its PIN)";
}

static const char *explain_cgatt(const char *line)
{
	return strstr(line, ": 1") ? "" : " (not attached: AT+CGATT=1)";
}

static const char *explain_cgreg(const char *line)
{
	const char *comma = strchr(line, ',');
	int stat = comma ? atoi(comma + 1) : -1;

	if (stat == 1 || stat == 5)
		return "";
	return stat == 2 ? " (searching for a network)" :
	       stat == 3 ? " (registration denied)" :
			   " (not registered in the packet domain)";
}

QLINK_API int qlink_pdp_activate(struct qlink_chan *chan, int cid, const char *apn)
{
	struct qlink_resp *r = NULL;
	char line[160], why[QLINK_CHAN_ERROR_MAX];
	int active, e;

	qlink_chan_clear_error(chan);
	if (apn && (strlen(apn) > 99 || strpbrk(apn, "\"\r\n"))) {
		qlink_chan_set_error(chan, "APN must be at most 99 bytes without quotes");
		errno = EINVAL;
		return -1;
	}
	active = qlink_pdp_get_active(chan, cid);
	if (active > 0)
		return 0;
	/* the module's own answer (+CME ERROR: 3, ERROR), which get_active() left */
	if (active < 0)
		return -1;
	if (apn && *apn) {
		snprintf(line, sizeof(line), "AT+QICSGP=%d,1,\"%s\"", cid, apn);
		if (qlink_chan_exec(chan, line, NULL, &r) < 0)
			goto failed;
		qlink_resp_free(r);
		r = NULL;
	}
	snprintf(line, sizeof(line), "AT+QIACT=%d", cid);
	if (qlink_chan_exec(chan, line, NULL, &r) == 0) {
		qlink_resp_free(r);
		return 0;
	}
failed:
	e = errno;
	snprintf(why, sizeof(why), "%s", r ? qlink_resp_get_error(r) : strerror(e));
	if (e != ENXIO) {
		diagnose(chan, "AT+CPIN?", "SIM", explain_cpin, why, sizeof(why));
		diagnose(chan, "AT+CGATT?", "packet attach", explain_cgatt, why, sizeof(why));
		diagnose(chan, "AT+CGREG?", "registration", explain_cgreg, why, sizeof(why));
	}
	qlink_chan_set_error(chan, "%s", why);
	qlink_resp_free(r);
	errno = e;
	return -1;
}
