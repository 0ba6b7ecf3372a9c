// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The response object: what a command got back, and why it failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qlink/codes.h>

#include "core/api.h"
#include "core/redact.h"
#include "core/resp-priv.h"

struct qlink_resp *qlink_resp_new(const char *cmd)
{
	struct qlink_resp *r = calloc(1, sizeof(*r));
	/*
	 * A mask can be longer than what it hides ("p" -> "***"), by at most
	 * 3 bytes per secret, and every secret takes at least 5 bytes of
	 * input ("://" ":" "@" or "," ","): twice the length always fits.
	 */
	size_t n = 2 * strlen(cmd) + 16;

	if (!r)
		return NULL;
	r->code = -1;
	r->cmd = malloc(n);
	if (!r->cmd) {
		free(r);
		return NULL;
	}
	qlink_redact(cmd, r->cmd, n);
	return r;
}

int qlink_resp_add_line(struct qlink_resp *r, const char *line, bool truncated)
{
	size_t n = strlen(line);
	char **lines;

	if (truncated)
		r->truncated = true;
	if (r->n_lines >= QLINK_RESP_MAX_LINES || r->bytes + n > QLINK_RESP_MAX_BYTES) {
		r->truncated = true;
		return 0;
	}
	lines = realloc(r->lines, (r->n_lines + 1) * sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	r->lines = lines;
	lines[r->n_lines] = strdup(line);
	if (!lines[r->n_lines])
		return -ENOMEM;
	r->n_lines++;
	r->bytes += n;
	return 0;
}

int qlink_resp_set_final(struct qlink_resp *r, const char *line, enum qlink_result result, int code)
{
	free(r->final);
	r->final = strdup(line);
	r->result = result;
	if (code >= 0)
		r->code = code;
	return r->final ? 0 : -ENOMEM;
}

int qlink_resp_async_err(const char *line)
{
	const char *s = strchr(line, ':');
	long v;
	char *end;

	if (!s)
		return -1;
	s++;
	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (v > 65535 || (*end && *end != ',' && *end != ' '))
		return -1;
	return (int)v;
}

int qlink_resp_set_async(struct qlink_resp *r, const char *line)
{
	free(r->async);
	r->async = strdup(line);
	if (!r->async)
		return -ENOMEM;
	r->code = qlink_resp_async_err(line);
	return 0;
}

QLINK_API int qlink_resp_get_status(const struct qlink_resp *r)
{
	return r->status;
}

QLINK_API enum qlink_result qlink_resp_get_result(const struct qlink_resp *r)
{
	return r->result;
}

QLINK_API int qlink_resp_get_code(const struct qlink_resp *r)
{
	return r->code;
}

QLINK_API size_t qlink_resp_get_line_count(const struct qlink_resp *r)
{
	return r->n_lines;
}

QLINK_API const char *qlink_resp_get_line(const struct qlink_resp *r, size_t i)
{
	return i < r->n_lines ? r->lines[i] : NULL;
}

QLINK_API const char *qlink_resp_get_async(const struct qlink_resp *r)
{
	return r->async;
}

QLINK_API const char *qlink_resp_get_final(const struct qlink_resp *r)
{
	return r->final;
}

QLINK_API const char *qlink_resp_get_command(const struct qlink_resp *r)
{
	return r->cmd;
}

QLINK_API bool qlink_resp_get_truncated(const struct qlink_resp *r)
{
	return r->truncated;
}

/*
 * The async result's second number is the server's reply code for the
 * <err>,<protocol_error> results; for the others (+QFTPSIZE: 0,<size>)
 * only a non-zero <err> makes it an error, and then it is a reply code.
 */
static int protocol_error(const char *async)
{
	const char *s = strchr(async, ',');

	if (!s)
		return 0;
	s++;
	while (*s == ' ')
		s++;
	return atoi(s);
}

static void describe(const struct qlink_resp *r, char *buf, size_t len)
{
	const char *cmd = r->cmd;
	int proto;

	switch (r->status) {
	case 0:
		buf[0] = '\0';
		return;
	case -ETIMEDOUT:
		snprintf(buf, len, "%s: no %s within %u ms", cmd, r->phase ? r->phase : "response",
			 r->timeout_ms);
		return;
	case -ENXIO:
		snprintf(buf, len, "%s: the port went away (module reset or unplugged?)", cmd);
		return;
	case -ECANCELED:
		snprintf(buf, len, "%s: cancelled", cmd);
		return;
	case -ECONNRESET:
		snprintf(buf, len, "%s: NO CARRIER (data connection ended)", cmd);
		return;
	case -ECONNABORTED:
		snprintf(buf, len, "%s: the module restarted or left data mode without a result",
			 cmd);
		return;
	case -EBADMSG:
		snprintf(buf, len,
			 "%s: the payload was not followed by the module's OK: bytes were lost "
			 "or added on the line",
			 cmd);
		return;
	}
	if (r->result == QLINK_RESULT_CME_ERROR && r->code >= 0) {
		snprintf(buf, len, "%s: +CME ERROR: %d: %s", cmd, r->code,
			 qlink_code_str(QLINK_CODE_CME, r->code));
	} else if (r->result == QLINK_RESULT_CMS_ERROR && r->code >= 0) {
		snprintf(buf, len, "%s: +CMS ERROR: %d", cmd, r->code);
	} else if (r->async && r->code > 0) {
		proto = protocol_error(r->async);
		if (proto > 0)
			snprintf(buf, len, "%s: %d: %s (server said %d: %s)", cmd, r->code,
				 qlink_code_str(QLINK_CODE_FTP, r->code), proto,
				 qlink_code_str(QLINK_CODE_FTP_PROTOCOL, proto));
		else
			snprintf(buf, len, "%s: %d: %s", cmd, r->code,
				 qlink_code_str(QLINK_CODE_FTP, r->code));
	} else if (r->async && r->code < 0) {
		snprintf(buf, len, "%s: malformed result \"%s\"", cmd, r->async);
	} else if (r->final) {
		snprintf(buf, len, "%s: %s", cmd, r->final);
	} else {
		snprintf(buf, len, "%s: %s", cmd, strerror(-r->status));
	}
}

QLINK_API const char *qlink_resp_get_error(const struct qlink_resp *r)
{
	struct qlink_resp *w = (struct qlink_resp *)r;
	size_t len;

	if (r->err)
		return r->err;
	len = strlen(r->cmd) + 512 + (r->async ? strlen(r->async) : 0) +
	      (r->final ? strlen(r->final) : 0);
	w->err = malloc(len);
	if (!w->err)
		return "out of memory describing the error";
	describe(r, w->err, len);
	return w->err;
}

static char *dup_or_null(const char *s, int *fail)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = 1;
	return d;
}

QLINK_API struct qlink_resp *qlink_resp_dup(const struct qlink_resp *r)
{
	struct qlink_resp *d = calloc(1, sizeof(*d));
	int fail = 0;
	size_t i;

	if (!d)
		return NULL;
	*d = *r;
	d->lines = NULL;
	d->n_lines = 0;
	d->cmd = dup_or_null(r->cmd, &fail);
	d->final = dup_or_null(r->final, &fail);
	d->async = dup_or_null(r->async, &fail);
	d->err = dup_or_null(r->err, &fail);
	if (r->n_lines) {
		d->lines = calloc(r->n_lines, sizeof(*d->lines));
		if (!d->lines)
			fail = 1;
		for (i = 0; d->lines && i < r->n_lines; i++) {
			d->lines[i] = dup_or_null(r->lines[i], &fail);
			d->n_lines = i + 1;
		}
	}
	if (fail) {
		qlink_resp_free(d);
		errno = ENOMEM;
		return NULL;
	}
	return d;
}

QLINK_API void qlink_resp_free(struct qlink_resp *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_lines; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r->cmd);
	free(r->final);
	free(r->async);
	free(r->err);
	free(r);
}
