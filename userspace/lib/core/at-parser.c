// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Byte-fed AT response parser. See at-parser.h for the contract.
 *
 * Bounds: a line never grows past QLINK_AT_LINE_MAX - 1 bytes; the rest of
 * an overlong line (or garbage with no line end after a baud mismatch) is
 * counted as truncated and dropped until the next CR or LF, so memory use
 * is fixed and the parser always recovers at the next line end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/qlink-urc-prefixes.h>

#include "core/at-parser.h"

/*
 * URC tokens: the text up to and including the first ':' for prefixed URCs,
 * the whole line for bare ones; qlink.ko's built-in set is the same list. A
 * '+' line that is not a response of the command in flight is a URC whether
 * listed or not; the table matters for bare lines, which are otherwise
 * taken as responses while a command runs.
 */
#define QLINK_URC_PREFIX(s) s,
const char *const qlink_at_urc_table[] = { QLINK_URC_PREFIXES };
#undef QLINK_URC_PREFIX

const size_t qlink_at_urc_table_len = sizeof(qlink_at_urc_table) / sizeof(qlink_at_urc_table[0]);

void qlink_at_parser_init(struct qlink_at_parser *p, const char *const *urcs, size_t n_urcs,
			  qlink_at_event_cb cb, void *user)
{
	memset(p, 0, offsetof(struct qlink_at_parser, line));
	p->line[0] = '\0';
	p->state = QLINK_AT_ST_LINE;
	if (!urcs) {
		urcs = qlink_at_urc_table;
		n_urcs = qlink_at_urc_table_len;
	}
	p->urcs = urcs;
	p->n_urcs = n_urcs;
	p->cb = cb;
	p->user = user;
}

void qlink_at_parser_set_ctx(struct qlink_at_parser *p, const struct qlink_at_ctx *ctx)
{
	if (ctx)
		p->ctx = *ctx;
	else
		memset(&p->ctx, 0, sizeof(p->ctx));
}

bool qlink_at_parser_in_raw(const struct qlink_at_parser *p)
{
	return p->state == QLINK_AT_ST_RAW_N || p->state == QLINK_AT_ST_RAW_TERM;
}

size_t qlink_at_parser_raw_left(const struct qlink_at_parser *p)
{
	return p->state == QLINK_AT_ST_RAW_N ? p->raw_left : 0;
}

bool qlink_at_parser_framing(const struct qlink_at_parser *p)
{
	return qlink_at_parser_in_raw(p) || p->pend_mode || p->state == QLINK_AT_ST_TRAILER;
}

static void emit_flags(struct qlink_at_parser *p, enum qlink_at_ev type, const char *text,
		       size_t len, unsigned int flags)
{
	struct qlink_at_event ev = {
		.type = type,
		.flags = flags,
		.text = text,
		.len = len,
		.code = -1,
		.arg = "",
	};

	p->cb(&ev, p->user);
}

static void emit(struct qlink_at_parser *p, enum qlink_at_ev type, const char *text, size_t len)
{
	emit_flags(p, type, text, len, 0);
}

static bool word_is(const char *line, const char *word)
{
	return strcmp(line, word) == 0;
}

/* "+CME ERROR: 601" -> 601; textual (AT+CMEE=2) or malformed -> -1 */
static int error_number(const char *s)
{
	char *end;
	long v;

	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	while (*end == ' ')
		end++;
	if (*end || v > 65535)
		return -1;
	return (int)v;
}

bool qlink_at_final_parse(const char *line, struct qlink_at_event *ev)
{
	ev->code = -1;
	ev->arg = "";

	switch (line[0]) {
	case 'O':
		if (!word_is(line, "OK"))
			return false;
		ev->result = QLINK_RESULT_OK;
		return true;
	case 'E':
		if (!word_is(line, "ERROR"))
			return false;
		ev->result = QLINK_RESULT_ERROR;
		return true;
	case '+':
		if (!strncmp(line, "+CME ERROR:", 11))
			ev->result = QLINK_RESULT_CME_ERROR;
		else if (!strncmp(line, "+CMS ERROR:", 11))
			ev->result = QLINK_RESULT_CMS_ERROR;
		else
			return false;
		ev->arg = line + 11;
		while (*ev->arg == ' ')
			ev->arg++;
		ev->code = error_number(ev->arg);
		return true;
	case 'N':
		if (word_is(line, "NO CARRIER"))
			ev->result = QLINK_RESULT_NO_CARRIER;
		else if (word_is(line, "NO ANSWER"))
			ev->result = QLINK_RESULT_NO_ANSWER;
		else if (word_is(line, "NO DIALTONE"))
			ev->result = QLINK_RESULT_NO_DIALTONE;
		else
			return false;
		return true;
	case 'B':
		if (!word_is(line, "BUSY"))
			return false;
		ev->result = QLINK_RESULT_BUSY;
		return true;
	case 'C':
		if (strncmp(line, "CONNECT", 7) || (line[7] && line[7] != ' '))
			return false;
		ev->result = QLINK_RESULT_CONNECT;
		ev->arg = line + 7;
		while (*ev->arg == ' ')
			ev->arg++;
		return true;
	default:
		return false;
	}
}

static bool has_prefix(const char *line, const char *prefix)
{
	return prefix && !strncmp(line, prefix, strlen(prefix));
}

/* Compare a length-bounded token with a table entry, in strcmp() order. */
static int token_cmp(const char *tok, size_t toklen, const char *entry)
{
	int r = strncmp(tok, entry, toklen);

	if (r)
		return r;
	return entry[toklen] ? -1 : 0;
}

static bool is_known_urc(const struct qlink_at_parser *p, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	size_t toklen = colon ? (size_t)(colon - line) + 1 : len;
	size_t lo = 0, hi = p->n_urcs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = token_cmp(line, toklen, p->urcs[mid]);

		if (!r)
			return true;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static enum qlink_at_ev classify(const struct qlink_at_parser *p, const char *line, size_t len)
{
	const struct qlink_at_ctx *ctx = &p->ctx;
	const char *const *pp;

	if (!ctx->active)
		return QLINK_AT_EV_URC;
	if (ctx->echo && !strcmp(line, ctx->echo))
		return QLINK_AT_EV_ECHO;
	if (has_prefix(line, ctx->async))
		return QLINK_AT_EV_LINE;
	for (pp = ctx->prefixes; pp && *pp; pp++)
		if (has_prefix(line, *pp))
			return QLINK_AT_EV_LINE;
	if (line[0] == '+' || !ctx->bare || is_known_urc(p, line, len))
		return QLINK_AT_EV_URC;
	return QLINK_AT_EV_LINE;
}

static void emit_line(struct qlink_at_parser *p)
{
	struct qlink_at_event ev = {
		.flags = p->flags,
		.text = p->line,
		.len = p->len,
		.code = -1,
		.arg = "",
	};

	p->line[p->len] = '\0';
	if (qlink_at_final_parse(p->line, &ev))
		ev.type = QLINK_AT_EV_FINAL;
	else
		ev.type = classify(p, p->line, p->len);
	p->cb(&ev, p->user);
}

/* At the start of a line: enter framing the owner armed, if any. */
static void line_start(struct qlink_at_parser *p)
{
	int mode = p->pend_mode;

	if (!mode || p->state != QLINK_AT_ST_LINE || p->hold)
		return;
	p->pend_mode = 0;
	if (mode == 2) {
		p->state = QLINK_AT_ST_RAW_TERM;
		p->term_match = 0;
		return;
	}
	if (!p->pend_raw) {
		emit(p, QLINK_AT_EV_RAW_END, NULL, 0);
		line_start(p);
		return;
	}
	p->raw_left = p->pend_raw;
	p->trailer_len = p->pend_trailer_len;
	memcpy(p->trailer, p->pend_trailer, p->trailer_len);
	p->state = QLINK_AT_ST_RAW_N;
}

static void end_line(struct qlink_at_parser *p, unsigned char c)
{
	bool any = p->len || (p->flags & QLINK_AT_F_TRUNCATED);

	p->state = c == '\r' ? QLINK_AT_ST_CR : QLINK_AT_ST_LINE;
	if (any)
		emit_line(p);
	p->len = 0;
	p->flags = 0;
	line_start(p);
}

static void append(struct qlink_at_parser *p, const unsigned char *s, size_t n)
{
	size_t room = QLINK_AT_LINE_MAX - 1 - p->len;

	if (n > room) {
		p->flags |= QLINK_AT_F_TRUNCATED;
		n = room;
	}
	memcpy(p->line + p->len, s, n);
	p->len += n;
}

/*
 * Framing armed at the start of a line applies at once, except while a
 * matched terminator is being handed back to line parsing: then it waits
 * for the terminator's last line to end.
 */
static void arm_now(struct qlink_at_parser *p)
{
	if (p->state == QLINK_AT_ST_LINE && !p->len)
		line_start(p);
}

void qlink_at_parser_expect_raw(struct qlink_at_parser *p, size_t n)
{
	p->pend_mode = 1;
	p->pend_raw = n;
	p->pend_trailer_len = 0;
	arm_now(p);
}

int qlink_at_parser_expect_raw_trailer(struct qlink_at_parser *p, size_t n, const char *trailer,
				       size_t len)
{
	if (!len || len > QLINK_AT_TRAILER_MAX)
		return -EINVAL;
	p->pend_mode = 1;
	p->pend_raw = n;
	memcpy(p->pend_trailer, trailer, len);
	p->pend_trailer_len = len;
	arm_now(p);
	return 0;
}

int qlink_at_parser_expect_raw_until(struct qlink_at_parser *p, const char *term, size_t len)
{
	size_t k, f = 0;

	if (!len || len > QLINK_AT_TERM_MAX)
		return -EINVAL;
	memcpy(p->term, term, len);
	p->term_len = len;
	/* KMP failure table: a partial match that breaks falls back to the
	 * longest prefix of the terminator that is also a suffix of what
	 * matched, so "\r\n\r\nOK\r\n" still finds "\r\nOK\r\n". */
	p->term_fail[0] = 0;
	for (k = 1; k < len; k++) {
		while (f && term[k] != term[f])
			f = p->term_fail[f - 1];
		if (term[k] == term[f])
			f++;
		p->term_fail[k] = (unsigned char)f;
	}
	p->pend_mode = 2;
	arm_now(p);
	return 0;
}

/* Returns bytes consumed from @b. */
static void feed_at(struct qlink_at_parser *p, const unsigned char *b, size_t len, size_t base);

/* @pos: the stream position (qlink_at_parser_line_back()) of @b[0] */
static size_t feed_term(struct qlink_at_parser *p, const unsigned char *b, size_t n, size_t pos)
{
	size_t i = 0;

	while (i < n) {
		size_t m = p->term_match;

		if (!m) {
			const unsigned char *hit = memchr(b + i, (unsigned char)p->term[0], n - i);
			size_t run = hit ? (size_t)(hit - (b + i)) : n - i;

			if (run)
				emit(p, QLINK_AT_EV_RAW, (const char *)b + i, run);
			i += run;
			if (!hit)
				return i;
			p->term_match = 1;
			i++;
		} else if (b[i] == (unsigned char)p->term[m]) {
			p->term_match = m + 1;
			i++;
		} else {
			size_t f = p->term_fail[m - 1];

			/* what no longer matches is payload after all */
			emit(p, QLINK_AT_EV_RAW, p->term, m - f);
			p->term_match = f;
			if (!f || b[i] != (unsigned char)p->term[f])
				continue;
			p->term_match = f + 1;
			i++;
		}
		if (p->term_match == p->term_len) {
			char term[QLINK_AT_TERM_MAX];
			size_t tl = p->term_len;

			memcpy(term, p->term, tl);
			p->term_match = 0;
			p->state = QLINK_AT_ST_LINE;
			p->hold = true;
			emit(p, QLINK_AT_EV_RAW_END, NULL, 0);
			/* the terminator is ordinary line traffic ("\r\nOK\r\n"), at its place */
			feed_at(p, (const unsigned char *)term, tl, pos + i - tl);
			p->hold = false;
			arm_now(p);
			return i;
		}
	}
	return i;
}

/*
 * The bytes after a payload have matched its trailer, or one has not (it
 * is left in the input): say which with RAW_END, then parse what was
 * matched as the lines it is, at its place.
 */
static void trailer_end(struct qlink_at_parser *p)
{
	char got[QLINK_AT_TRAILER_MAX];
	size_t n = p->trailer_got;
	bool bad = n < p->trailer_len;

	memcpy(got, p->trailer, n);
	p->trailer_len = 0;
	p->state = QLINK_AT_ST_LINE;
	p->hold = true;
	emit_flags(p, QLINK_AT_EV_RAW_END, NULL, 0, bad ? QLINK_AT_F_BAD_TRAILER : 0);
	feed_at(p, (const unsigned char *)got, n, p->trailer_at);
	p->hold = false;
	arm_now(p);
}

void qlink_at_parser_feed(struct qlink_at_parser *p, const void *buf, size_t len)
{
	size_t base = p->fed;

	p->fed += len;
	feed_at(p, buf, len, base);
}

size_t qlink_at_parser_line_back(const struct qlink_at_parser *p)
{
	return p->fed - p->line_at;
}

/* qlink_at_parser_feed() of bytes whose first is at stream position @base */
static void feed_at(struct qlink_at_parser *p, const unsigned char *b, size_t len, size_t base)
{
	size_t i = 0;

	while (i < len) {
		switch (p->state) {
		case QLINK_AT_ST_LINE: {
			size_t j = i;

			if (!p->len && !p->flags)
				p->line_at = base + i; /* where a line starts, if one does */

			if (!p->len && !p->flags && p->ctx.active && p->ctx.prompt && b[i] == '>') {
				p->state = QLINK_AT_ST_PROMPT;
				i++;
				emit(p, QLINK_AT_EV_PROMPT, ">", 1);
				break;
			}
			/*
			 * A line is a line whatever its bytes: operator names, SMS
			 * text, file names and server replies may hold UTF-8 (or a
			 * national code page). Only CR, LF and NUL are special, and
			 * all three are below 0x0e: one compare a byte.
			 */
			while (j < len && b[j] > '\r')
				j++;
			if (j > i)
				append(p, b + i, j - i);
			i = j;
			if (i == len)
				break;
			if (b[i] == '\r' || b[i] == '\n') {
				end_line(p, b[i++]);
				break;
			}
			if (b[i] == '\0')
				p->flags |= QLINK_AT_F_NUL;
			else
				append(p, b + i, 1);
			i++;
			break;
		}
		case QLINK_AT_ST_CR:
			if (b[i] == '\n')
				i++;
			p->state = QLINK_AT_ST_LINE;
			line_start(p);
			break;
		case QLINK_AT_ST_PROMPT:
			if (b[i] == ' ')
				i++;
			p->state = QLINK_AT_ST_LINE;
			break;
		case QLINK_AT_ST_RAW_N: {
			size_t n = len - i < p->raw_left ? len - i : p->raw_left;

			emit(p, QLINK_AT_EV_RAW, (const char *)b + i, n);
			i += n;
			p->raw_left -= n;
			if (!p->raw_left && p->trailer_len) {
				p->state = QLINK_AT_ST_TRAILER;
				p->trailer_got = 0;
				p->trailer_at = base + i;
			} else if (!p->raw_left) {
				p->state = QLINK_AT_ST_LINE;
				emit(p, QLINK_AT_EV_RAW_END, NULL, 0);
				line_start(p);
			}
			break;
		}
		case QLINK_AT_ST_TRAILER:
			if (b[i] == (unsigned char)p->trailer[p->trailer_got]) {
				i++;
				if (++p->trailer_got < p->trailer_len)
					break;
			}
			trailer_end(p);
			break;
		case QLINK_AT_ST_RAW_TERM:
			i += feed_term(p, b + i, len - i, base + i);
			break;
		}
	}
}

/*
 * One line of a candidate ending: the module's own words, or not. Only
 * some of them say that data mode is over (@says): the command's result,
 * a failure, a bare URC such as a reboot's RDY. An OK or a "+QIND:" line
 * alone does not: a payload may hold either and then pause, while the
 * module always follows its OK with the result.
 */
static bool ending_line(const struct qlink_at_parser *p, const unsigned char *b, size_t len,
			const char *async, bool *says)
{
	char line[QLINK_AT_ENDING_MAX + 1];
	struct qlink_at_event ev;

	if (!len)
		return true;
	if (len > QLINK_AT_ENDING_MAX || memchr(b, '\0', len))
		return false;
	memcpy(line, b, len);
	line[len] = '\0';
	if (qlink_at_final_parse(line, &ev)) {
		if (ev.result != QLINK_RESULT_OK && ev.result != QLINK_RESULT_CONNECT)
			*says = true;
		return true;
	}
	if (has_prefix(line, async)) {
		*says = true;
		return true;
	}
	if (is_known_urc(p, line, len)) {
		if (!memchr(line, ':', len))
			*says = true;
		return true;
	}
	return false;
}

size_t qlink_at_ending(const struct qlink_at_parser *p, const void *buf, size_t len,
		       const char *async)
{
	const unsigned char *b = buf;
	size_t end = len, start = len;
	bool says = false;

	if (len < 2 || b[len - 2] != '\r' || b[len - 1] != '\n')
		return len;
	/*
	 * Walk back line by line ("\r\n" text "\r\n" as the module frames
	 * them) while each is a result, the command's result line or a
	 * known URC; stop at the first that is not.
	 */
	end = len - 2;
	for (;;) {
		size_t i = end;

		while (i >= 2 && !(b[i - 2] == '\r' && b[i - 1] == '\n'))
			i--;
		if (i < 2 || !ending_line(p, b + i, end - i, async, &says))
			break;
		/* an empty line is the gap between two of the module's */
		if (end > i)
			start = i - 2;
		end = i - 2;
	}
	return says ? start : len;
}
