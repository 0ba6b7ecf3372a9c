// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * +QIND: "FOTA" URCs (DFOTA guide 3.3.1) and what to do about the codes
 * they carry (chapter 5).
 *
 * Real modules are fed by the same firmware that printed the manual's
 * examples, so the parser takes their variants: "FOTA"," DOWNLOADING"
 * with a space inside the quotes, no space after "+QIND:", spaces around
 * the commas; a field after the number is ignored rather than taken as
 * a reason to miss an END.
 *
 * Below the parser, the job's state machine those URCs (and RDY) drive:
 * each moves the job on and re-arms its deadline; fota-follow.c runs the
 * loop and acts on what the state says.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <qlink/chan.h>

#include "core/clock.h"

#include "fota/fota-priv.h"

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * One field: optionally quoted, spaces trimmed inside and out. Copies it
 * to @out and returns what follows it (after a comma, if any), or NULL
 * if it does not fit or a quote is not closed.
 */
static const char *field(const char *p, char *out, size_t len)
{
	const char *s, *e;
	size_t n;

	p = skip_sp(p);
	if (*p == '"') {
		s = ++p;
		e = strchr(p, '"');
		if (!e)
			return NULL;
		p = e + 1;
	} else {
		s = p;
		e = p + strcspn(p, ",");
		p = e;
	}
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - s);
	if (n >= len)
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	p = skip_sp(p);
	if (*p == ',')
		p++;
	else if (*p)
		return NULL;
	return p;
}

static const struct {
	const char *word;
	enum fota_urc_kind kind;
	enum qlink_code_space space;
	bool number;
} words[] = {
	{ "FTPSTART", FOTA_URC_DL_START, QLINK_CODE_FTP, false },
	{ "HTTPSTART", FOTA_URC_DL_START, QLINK_CODE_HTTP, false },
	{ "FILESTART", FOTA_URC_DL_START, QLINK_CODE_FILE, false },
	{ "DOWNLOADING", FOTA_URC_DOWNLOADING, QLINK_CODE_FOTA, true },
	{ "FTPEND", FOTA_URC_DL_END, QLINK_CODE_FTP, true },
	{ "HTTPEND", FOTA_URC_DL_END, QLINK_CODE_HTTP, true },
	{ "FILEEND", FOTA_URC_DL_END, QLINK_CODE_FILE, true },
	{ "START", FOTA_URC_START, QLINK_CODE_FOTA, false },
	{ "UPDATING", FOTA_URC_UPDATING, QLINK_CODE_FOTA, true },
	{ "END", FOTA_URC_END, QLINK_CODE_FOTA, true },
};

int qlink_fota_urc_parse(const char *line, struct fota_urc *u)
{
	char tag[16], word[16], num[16];
	const char *p;
	size_t i;

	if (!line || strncasecmp(line, "+QIND:", 6))
		return -1;
	p = field(line + 6, tag, sizeof(tag));
	if (!p || strcasecmp(tag, "FOTA"))
		return -1;
	p = field(p, word, sizeof(word));
	if (!p)
		return -1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(word, words[i].word))
			break;
	if (i == sizeof(words) / sizeof(words[0]))
		return -1;
	u->kind = words[i].kind;
	u->space = words[i].space;
	u->value = -1;
	if (*p) {
		char *end;
		long v;

		p = field(p, num, sizeof(num));
		if (!p || !num[0])
			return -1;
		errno = 0;
		v = strtol(num, &end, 10);
		if (*end || errno || v < 0 || v > 100000)
			return -1;
		u->value = (int)v;
	}
	if (words[i].number && u->value < 0)
		return -1;
	return 0;
}

static const struct {
	enum qlink_code_space space;
	int code;
	const char *advice;
} advice[] = {
	{ QLINK_CODE_FOTA, 504,
	  "the update failed on the module; read its revision, retry once, then report the "
	  "package and revision to Quectel" },
	{ QLINK_CODE_FOTA, 505,
	  "the package is damaged or incomplete: fetch it again and check its size" },
	{ QLINK_CODE_FOTA, 506,
	  "the package's MD5 does not match its contents: fetch a fresh copy" },
	{ QLINK_CODE_FOTA, 507,
	  "the package is a delta from another revision: ask for one from the module's "
	  "current revision" },
	{ QLINK_CODE_FOTA, 552,
	  "the package was built for another project (module model): get the package for "
	  "this model" },
	{ QLINK_CODE_FOTA, 553,
	  "the package was built on another baseline: get the package for this firmware's "
	  "baseline" },
	{ QLINK_CODE_FILE, 500,
	  "the module did not receive the whole package: use RTS/CTS flow control, or keep "
	  "the rate at or below 15000 B/s in writes of at most 32 bytes" },
	{ QLINK_CODE_FTP, 604, "the module could not resolve the server's name: check its DNS" },
	{ QLINK_CODE_FTP, 605,
	  "the module has no network for FOTA: check the PDP context (AT+QIACT, "
	  "AT+QCFG=\"fota/cid\") and the SIM" },
	{ QLINK_CODE_FTP, 609, "the server did not answer in time: check it is reachable" },
	{ QLINK_CODE_FTP, 625, "login failed: check the user name and password in the URL" },
	{ QLINK_CODE_FTP, 627,
	  "the server has no such file: check the name (the guide allows the root "
	  "directory only)" },
	{ QLINK_CODE_HTTP, 708,
	  "the module has no network for FOTA: activate the PDP context set in "
	  "AT+QCFG=\"fota/cid\"" },
	{ QLINK_CODE_HTTP, 711, "the server refused the URL (not found?): check it" },
	{ QLINK_CODE_HTTP, 714, "the module could not resolve the server's name: check its DNS" },
	{ QLINK_CODE_HTTP, 716, "the module could not connect: check host, port and firewall" },
	{ QLINK_CODE_HTTP, 722, "the server stopped sending: check it and retry" },
};

const char *qlink_fota_advice(enum qlink_code_space space, int code)
{
	size_t i;

	for (i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		if (advice[i].space == space && advice[i].code == code)
			return advice[i].advice;
	switch (space) {
	case QLINK_CODE_FTP:
		return "check the FTP server, the path, the credentials and the module's network";
	case QLINK_CODE_HTTP:
		return "check the HTTP(S) server, the URL and the module's network";
	case QLINK_CODE_FOTA:
		return "the module kept its firmware: check the package and retry";
	default:
		return "";
	}
}

/* ----------------------------------------------- the state machine */

static void module_code(struct qlink_fota *f, enum qlink_code_space space, int code,
			const char *what)
{
	f->code = code;
	f->space = space;
	snprintf(f->advice, sizeof(f->advice), "%s", qlink_fota_advice(space, code));
	fota_result(f, QLINK_FOTA_OUTCOME_MODULE_ERROR, "%s %d: %s", what, code,
		    qlink_code_str(space, code));
}

static void on_fota_urc(struct qlink_fota *f, const struct fota_urc *u)
{
	static const char *const end_word[] = {
		[QLINK_CODE_FTP] = "FTPEND",
		[QLINK_CODE_HTTP] = "HTTPEND",
		[QLINK_CODE_FILE] = "FILEEND",
	};

	enum qlink_fota_phase phase = f->pm.p.phase;
	int before = f->pm.p.phase_percent;
	bool moved;

	f->any_urc = true;
	fota_notify(f, qlink_fota_pm_urc(&f->pm, u));
	/*
	 * The guide's progress URCs count up, at most <URC_max> of them per
	 * phase: one that does not move the percent on is no sign of life,
	 * and a module that repeats one for ever (an update loop) must meet
	 * the bound as a silent one does. So only a step forward, or a new
	 * phase, restarts the phase's deadline.
	 */
	moved = f->pm.p.phase != phase || f->pm.p.phase_percent > before;
	if (u->kind == FOTA_URC_DOWNLOADING || u->kind == FOTA_URC_UPDATING)
		f->stuck = moved ? 0 : f->stuck + 1;
	else
		f->stuck = 0;
	switch (u->kind) {
	case FOTA_URC_DL_START:
		if (f->st == ST_FILESTART) {
			f->st = ST_UPLOAD;
			f->up_t0 = f->last_move = qlink_now_ms();
			fota_arm(f, UPLOAD_STALL_MS);
		} else if (f->st == ST_ATTACH || f->st == ST_DOWNLOAD) {
			f->st = ST_DOWNLOAD;
			fota_arm(f, f->to.download_s * 1000);
		}
		break;
	case FOTA_URC_DOWNLOADING:
		if (f->st == ST_ATTACH || (f->st == ST_DOWNLOAD && moved)) {
			f->st = ST_DOWNLOAD;
			fota_arm(f, f->to.download_s * 1000);
		}
		break;
	case FOTA_URC_DL_END:
		if (u->value) {
			module_code(f, u->space, u->value, end_word[u->space]);
			if (u->space == QLINK_CODE_FILE && f->queued)
				snprintf(f->msg + strlen(f->msg), sizeof(f->msg) - strlen(f->msg),
					 " (%llu of %lld bytes written)",
					 (unsigned long long)f->sent, (long long)f->file_size);
			/* the firmware is untouched and the module stays up */
			f->st = ST_VERIFY;
			break;
		}
		if (f->queued && f->up_t0) {
			/* the rate as the module took it: the port's buffer is in by now */
			uint64_t ms = qlink_now_ms() - f->up_t0;

			fota_notify(f, qlink_fota_pm_upload(&f->pm, f->sent, (uint64_t)f->file_size,
							    (unsigned int)(f->sent * 1000 /
									   (ms ? ms : 1))));
		}
		f->dl_ok = true;
		f->st = ST_PREUPDATE;
		/* mode 0 reboots into the update first */
		fota_arm(f, (f->to.update_s + f->to.boot_s) * 1000);
		break;
	case FOTA_URC_START:
	case FOTA_URC_UPDATING:
		if (f->st == ST_REBOOT || f->st == ST_VERIFY || f->st == ST_DONE)
			break;
		if (f->st == ST_UPDATE && !moved)
			break;
		f->st = ST_UPDATE;
		/* MiniFOTA's .mini_1 done: reboot and download .mini_2, silently */
		if (f->pm.mini && f->pm.p.phase_percent == 60)
			fota_arm(f, (f->to.download_s + 2 * f->to.boot_s) * 1000);
		else
			fota_arm(f, f->to.update_s * 1000);
		break;
	case FOTA_URC_END:
		f->end_seen = true;
		f->end_code = u->value;
		if (u->value)
			module_code(f, QLINK_CODE_FOTA, u->value, "END");
		f->st = ST_REBOOT;
		f->rdy = false;
		f->next_probe = qlink_now_ms() + PROBE_MS;
		fota_arm(f, f->to.boot_s * 1000);
		fota_phase(f, QLINK_FOTA_PHASE_REBOOT);
		break;
	}
}

static void on_qind(struct qlink_chan *chan, const char *line, void *user)
{
	struct fota_urc u;

	(void)chan;
	if (!qlink_fota_urc_parse(line, &u))
		on_fota_urc(user, &u);
}

static void on_rdy(struct qlink_chan *chan, const char *line, void *user)
{
	(void)chan;
	(void)line;
	((struct qlink_fota *)user)->rdy = true;
}

static const struct qlink_urc_handler handlers[] = {
	{ "+QIND:", on_qind },
	{ "RDY", on_rdy },
};

void fota_attach(struct qlink_fota *f, struct qlink_chan *chan)
{
	qlink_chan_set_urc_handlers(chan, handlers, sizeof(handlers) / sizeof(handlers[0]), f);
}
