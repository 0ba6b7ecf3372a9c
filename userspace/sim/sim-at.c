// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * What the module does with the bytes the host sends: assemble command
 * lines (echo, backspace, several commands joined by ';'), dispatch them,
 * and in data mode hand payload to its owner while watching for the +++
 * escape with its guard times.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <qlink/redact.h>

#include "sim-core.h"
#include "sim-io.h"

bool sim_arg_long(const struct sim_args *a, int i, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (i >= a->n || a->quoted[i] || !a->v[i][0])
		return false;
	v = strtol(a->v[i], &end, 0);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

const char *sim_arg_str(const struct sim_args *a, int i)
{
	return i < a->n ? a->v[i] : NULL;
}

/*
 * Split "a,\"b,c\",  d" into arguments in place. Spaces around unquoted
 * arguments are dropped; a quoted one keeps what is between its quotes.
 * Returns false on an unterminated quote or too many arguments.
 */
static bool split_args(char *p, struct sim_args *a)
{
	a->n = 0;
	if (!*p)
		return true;
	for (;;) {
		char *start;

		if (a->n == SIM_MAX_ARGS)
			return false;
		while (*p == ' ')
			p++;
		if (*p == '"') {
			start = ++p;
			p = strchr(p, '"');
			if (!p)
				return false;
			*p++ = '\0';
			a->quoted[a->n] = true;
			while (*p == ' ')
				p++;
			if (*p && *p != ',')
				return false;
		} else {
			char *e;

			start = p;
			p += strcspn(p, ",");
			e = p;
			while (e > start && e[-1] == ' ')
				e--;
			a->quoted[a->n] = false;
			if (*p == ',') {
				*e = '\0';
				*p = ',';
			} else {
				*e = '\0';
			}
		}
		a->v[a->n++] = start;
		if (*p != ',')
			return true;
		*p++ = '\0';
	}
}

static const struct {
	const struct sim_cmd *t;
	const size_t *n;
} groups[] = {
	{ sim_basic_cmds, &sim_basic_ncmds },
	{ sim_file_cmds, &sim_file_ncmds },
	{ sim_ftp_cmds, &sim_ftp_ncmds },
	{ sim_fota_cmds, &sim_fota_ncmds },
};

static const struct sim_cmd *find(const char *name, size_t len)
{
	size_t g, i;

	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (i = 0; i < *groups[g].n; i++)
			if (strlen(groups[g].t[i].name) == len &&
			    !strncasecmp(groups[g].t[i].name, name, len))
				return &groups[g].t[i];
	return NULL;
}

static bool unsupported(struct sim *s, const char *name)
{
	const char *list = sim_fault(s, "unsupported");
	size_t n = strlen(name);

	while (list && *list) {
		size_t len = strcspn(list, ",");

		if (len == n && !strncasecmp(list, name, n))
			return true;
		list += len + (list[len] == ',');
	}
	return false;
}

/* One command without the leading "AT": "+QFTPCWD=\"/\"", "I", "E0". */
static void run_one(struct sim *s, char *cmd)
{
	struct sim_args a = { 0 };
	const struct sim_cmd *c;
	enum sim_kind kind;
	size_t len;
	char *rest;
	char raw[SIM_LINE_MAX];

	snprintf(raw, sizeof(raw), "%s", cmd);
	if (*cmd == '+' || *cmd == '$') {
		len = 1;
		while (isalnum((unsigned char)cmd[len]) || cmd[len] == '_')
			len++;
	} else if (*cmd == '&') {
		len = isalpha((unsigned char)cmd[1]) ? 2 : 1;
	} else {
		len = isalpha((unsigned char)*cmd) ? 1 : 0;
	}
	if (!len) {
		sim_error(s);
		return;
	}
	c = find(cmd, len);
	rest = cmd + len;
	if (!strcmp(rest, "=?")) {
		kind = SIM_TEST;
	} else if (!strcmp(rest, "?")) {
		kind = SIM_READ;
	} else if (*rest == '=') {
		kind = SIM_SET;
		if (!split_args(rest + 1, &a)) {
			sim_error(s);
			return;
		}
	} else {
		/* basic commands carry a number: E0, &D1, V1 */
		kind = SIM_EXEC;
		if (*rest && !split_args(rest, &a)) {
			sim_error(s);
			return;
		}
	}
	if (c && unsupported(s, c->name)) {
		/* --fault unsupported=+QTEMP,+QENG: firmware without those commands */
		sim_log(s, "AT%s: not in this firmware (--fault unsupported)", raw);
		c = NULL;
	}
	if (!c) {
		sim_log(s, "unknown command AT%s", raw);
		sim_error(s);
		return;
	}
	c->fn(s, kind, &a, raw);
}

/*
 * --fault garbage=N, urc-storm=N: what a noisy line or a busy module puts
 * in front of an answer. The garbage has no CR or LF, like a baud mismatch.
 */
static void noise(struct sim *s)
{
	long n, i;
	const char *v;

	v = sim_fault(s, "garbage");
	if (v) {
		n = strtol(v, NULL, 10);
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)(0x80 | ((i * 37) & 0x7f));

			sim_send(s, &c, 1);
		}
	}
	v = sim_fault(s, "urc-storm");
	if (v) {
		n = strtol(v, NULL, 10);
		for (i = 0; i < n; i++)
			sim_line(s, "+QIND: \"csq\",%ld,99", 10 + i % 20);
	}
}

static void run_line_now(struct sim *s, char *line);

struct delayed {
	char line[SIM_LINE_MAX];
};

static void run_delayed(struct sim *s, void *ctx)
{
	struct delayed *d = ctx;

	run_line_now(s, d->line);
	free(d);
}

/* A whole command line: AT<cmd>[;<cmd>...] (';' outside quotes). */
static void run_line(struct sim *s, char *line)
{
	const char *slow = sim_fault(s, "slow");
	struct delayed *d;

	noise(s);
	if (!slow || !(d = malloc(sizeof(*d)))) {
		run_line_now(s, line);
		return;
	}
	/* --fault slow=MS: every answer comes MS late (near a command's limit) */
	snprintf(d->line, sizeof(d->line), "%s", line);
	sim_timer_add(s, (unsigned int)strtoul(slow, NULL, 10), run_delayed, d);
}

static void run_line_now(struct sim *s, char *line)
{
	char *p, *start;
	bool q = false;

	while (*line == ' ')
		line++;
	if (!*line)
		return;
	if (strncasecmp(line, "AT", 2)) {
		sim_log(s, "not a command: %s", line);
		sim_error(s);
		return;
	}
	if (s->verbose) {
		/* the FTP account's password stays out of the log, as in qlink's */
		char masked[SIM_LINE_MAX + 64];

		qlink_redact(line, masked, sizeof(masked));
		sim_log(s, "<- %s", masked);
	}
	start = line + 2;
	if (!*start) {
		sim_ok(s);
		return;
	}
	for (p = start;; p++) {
		if (*p == '"')
			q = !q;
		if (*p && (q || *p != ';'))
			continue;
		if (*p == ';' && p[1]) {
			/* all but the last answer only on failure; OK comes once */
			*p = '\0';
			run_one(s, start);
			start = p + 1;
			continue;
		}
		if (*p == ';')
			*p = '\0';
		run_one(s, start);
		return;
	}
}

/* ---------------------------------------------------------- data mode */

void sim_data_enter(struct sim *s, size_t len, const struct sim_data_ops *ops, void *ctx)
{
	sim_line(s, "CONNECT");
	s->mode = SIM_MODE_DATA_IN;
	s->data_ops = ops;
	s->data_ctx = ctx;
	s->data_left = len;
	s->plus = 0;
}

void sim_data_enter_quiet(struct sim *s, size_t len, const struct sim_data_ops *ops, void *ctx)
{
	s->mode = SIM_MODE_DATA_IN;
	s->data_ops = ops;
	s->data_ctx = ctx;
	s->data_left = len;
	s->plus = 0;
}

void sim_data_out_begin(struct sim *s, const struct sim_data_ops *ops, void *ctx)
{
	sim_line(s, "CONNECT");
	s->mode = SIM_MODE_DATA_OUT;
	s->data_ops = ops;
	s->data_ctx = ctx;
	s->data_left = 0;
	s->plus = 0;
}

void sim_data_leave(struct sim *s)
{
	if (s->mode == SIM_MODE_DATA_IN || s->mode == SIM_MODE_DATA_OUT)
		s->mode = SIM_MODE_CMD;
	sim_timer_cancel(s, s->escape_timer);
	s->escape_timer = 0;
	s->plus = 0;
	s->line_len = 0;
}

bool sim_in_data_mode(const struct sim *s)
{
	return s->mode == SIM_MODE_DATA_IN || s->mode == SIM_MODE_DATA_OUT;
}

static void end_data(struct sim *s, enum sim_data_end why)
{
	const struct sim_data_ops *ops = s->data_ops;
	void *ctx = s->data_ctx;

	sim_data_leave(s);
	if (ops && ops->end)
		ops->end(s, why, ctx);
}

/* The guard time after "+++" passed in silence: that was an escape. */
static void escape_confirmed(struct sim *s, void *ctx)
{
	(void)ctx;
	s->escape_timer = 0;
	if (s->plus == 3 && sim_in_data_mode(s)) {
		sim_log(s, "+++ escape");
		end_data(s, SIM_DATA_ESCAPE);
	}
}

static void deliver(struct sim *s, const unsigned char *buf, size_t len)
{
	if (s->mode == SIM_MODE_DATA_IN && s->data_ops && s->data_ops->in && len)
		s->data_ops->in(s, buf, len, s->data_ctx);
}

/* Held '+' turned out to be payload. */
static void release_plus(struct sim *s)
{
	static const unsigned char plus[3] = { '+', '+', '+' };

	if (s->plus)
		deliver(s, plus, (size_t)s->plus);
	s->plus = 0;
	sim_timer_cancel(s, s->escape_timer);
	s->escape_timer = 0;
}

/*
 * Data mode: payload goes to its owner until the announced length; an
 * unbounded transfer (or a download) ends with +++ framed by guard times
 * of silence. A bounded upload counts every byte as payload, '+' too.
 */
static size_t data_input(struct sim *s, const unsigned char *buf, size_t len)
{
	size_t i = 0;

	if (s->mode == SIM_MODE_DATA_IN && s->data_left) {
		size_t n = len < s->data_left ? len : s->data_left;

		deliver(s, buf, n);
		if (s->mode == SIM_MODE_OFF)
			return len; /* it rebooted: the rest falls on deaf ears */
		s->data_left -= n;
		if (!s->data_left)
			end_data(s, SIM_DATA_COUNT);
		return n;
	}
	for (i = 0; i < len && sim_in_data_mode(s); i++) {
		bool quiet = s->plus ? true : s->last_in - s->prev_in >= s->guard_ms;

		if (buf[i] == '+' && s->plus < 3 && quiet) {
			s->plus++;
			if (s->plus == 3) {
				sim_timer_cancel(s, s->escape_timer);
				s->escape_timer = sim_timer_add(s, s->guard_ms, escape_confirmed,
								NULL);
			}
			continue;
		}
		release_plus(s);
		deliver(s, buf + i, 1);
		s->prev_in = s->last_in; /* no silence before the next byte */
	}
	return i;
}

void sim_dtr_changed(struct sim *s, int dtr)
{
	sim_log(s, "DTR %s", dtr ? "on" : "off");
	if (dtr || !sim_in_data_mode(s))
		return;
	/* AT&D1: DTR off leaves data mode; AT&D2 also ends the transfer */
	if (s->st.amp_d == 1 || s->st.amp_d == 2)
		end_data(s, SIM_DATA_ESCAPE);
}

void sim_input(struct sim *s, const unsigned char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c;

		if (sim_in_data_mode(s)) {
			i += data_input(s, buf + i, len - i);
			continue;
		}
		if (s->mode == SIM_MODE_OFF)
			return;
		c = buf[i++];
		if (s->st.echo)
			sim_send(s, &c, 1);
		if (c == '\r') {
			s->line[s->line_len] = '\0';
			if (s->line_overflow)
				sim_error(s);
			else
				run_line(s, s->line);
			s->line_len = 0;
			s->line_overflow = false;
		} else if (c == '\n' || c == '\0') {
			continue;
		} else if (c == 0x08) {
			if (s->line_len)
				s->line_len--;
		} else if (s->line_len < SIM_LINE_MAX - 1) {
			s->line[s->line_len++] = (char)c;
		} else {
			s->line_overflow = true;
		}
	}
}
