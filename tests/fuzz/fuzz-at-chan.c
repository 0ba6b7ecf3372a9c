// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * libFuzzer target for the AT channel (userspace/lib/core/chan.c) over the
 * in-memory transport, with a clock the input drives.
 *
 * Input: a three-byte header, then opcodes with their operands.
 *   [0] options: bit 0 log callback, bit 1 resubmit from done callbacks,
 *       bit 2 submit "AT" from the RDY handler, bit 3 let every timeout
 *       expire before freeing the channel (otherwise pending commands are
 *       cancelled by qlink_chan_free())
 *   [1] framing of CONNECT (low 2 bits: length, terminator, length from
 *       CONNECT's text with the OK trailer checked, refuse the data phase)
 *       and a base length (high 6)
 *   [2] write limit of the transport (0: none)
 *
 * Opcodes (first byte, modulo 12): submit a command from a fixed list;
 * push bytes of the input, or a canned response, in pieces; process;
 * advance the clock; limit what the device accepts; override the
 * timeouts; send data; lose the port.
 *
 * Contract checked: every done callback runs exactly once per accepted
 * command by the time qlink_chan_free() returns; qlink_chan_get_pending() counts
 * what has not completed; a command in flight always has a deadline;
 * responses, URCs and log lines are sane; data-mode payload never exceeds
 * what the command framed. ASan's leak checker covers the rest.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qlink/chan.h>

#include "core/at-parser.h"
#include "fuzz-check.h"
#include "core/chan-priv.h"
#include "mem-transport.h"

#define HDR_LEN 3
#define MAX_SLOTS 64
#define MAX_RESUBMIT 8

struct fz;

struct slot {
	struct fz *fz;
	unsigned int cmd; /* index in cmds[] */
	int done;	  /* times its done callback ran */
	int raw;	  /* 0 none, 1 length, 2 terminator */
	size_t raw_n, raw_got;
	unsigned int connects;
};

struct fz {
	struct qlink_chan *chan;
	struct mem_transport *mt;
	uint64_t now;
	bool resubmit, rdy_submit;
	unsigned int raw_mode;
	size_t raw_base;
	unsigned int resubmits;
	struct slot slot[MAX_SLOTS];
	unsigned int n_slots; /* accepted by qlink_chan_submit() */
	unsigned int n_done;
	bool dead;
	bool freeing;
};

static int get_on_connect(struct qlink_chan *chan, const char *text, void *user);
static void get_on_data(struct qlink_chan *chan, const void *buf, size_t len, void *user);
static int put_on_prompt(struct qlink_chan *chan, void *user);

static const char *const get_prefixes[] = { "+QFTPGET:", NULL };

/* AT+QFTPGET to COM: CONNECT, payload, OK, then +QFTPGET: 0,<len> */
static const struct qlink_cmd get_cmd = {
	.prefixes = get_prefixes,
	.async = "+QFTPGET:",
	.flags = QLINK_CMD_F_RSPTIMEOUT,
	.on_connect = get_on_connect,
	.on_data = get_on_data,
};

/* input after a "> " prompt */
static const struct qlink_cmd put_cmd = {
	.timeout_ms = 2000,
	.flags = QLINK_CMD_F_PROMPT,
	.on_prompt = put_on_prompt,
};

static const struct {
	const char *line;
	const struct qlink_cmd *cmd; /* NULL: the built-in descriptor */
} cmds[] = {
	{ "AT", NULL },
	{ "ATI", NULL },
	{ "AT+CSQ", NULL },
	{ "AT+QFTPCWD=\"/\"", NULL },
	{ "AT+QFTPSTAT", NULL },
	{ "AT+QFTPGET=\"fw.bin\",\"COM:\"", &get_cmd },
	{ "AT+QFTPOPEN=\"ftp.example.com\",21", NULL },
	{ "AT+QFTPCFG=\"account\",\"user\",\"secret\"", NULL },
	{ "AT+CMGS=\"123\"", &put_cmd },
	{ "AT+QIND=1", NULL },
};

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

/* Module output the input can pick instead of spelling it out. */
static const char *const canned[] = {
	"\r\nOK\r\n",
	"ATI\r\r\nQuectel\r\nEC200U\r\nRevision: EC200UCNAAR02A05M08\r\n\r\nOK\r\n",
	"AT+CSQ\r\r\n+CSQ: 23,99\r\n\r\nOK\r\n",
	"\r\n+QFTPCWD: 0,0\r\n",
	"\r\n+QFTPCWD: 627,550\r\n",
	"\r\n+QFTPSTAT: 0,1\r\n",
	"\r\nCONNECT 10\r\n0123456789\r\nOK\r\n\r\n+QFTPGET: 0,10\r\n",
	"\r\nCONNECT\r\nab\r\ncd\r\r\nOK\r\n\r\n+QFTPGET: 0,7\r\n",
	"\r\n+QIND: \"FOTA\",\"DOWNLOADING\",42\r\n",
	"\r\n+CME ERROR: 601\r\n",
	"\r\n> ",
	"\r\nRDY\r\n",
	"\r\nNO CARRIER\r\n",
	"\r\nERROR\r\n",
	"\r\n+QFTPOPEN: 0,0\r\n",
	"\r\n+CPIN: READY\r\n",
};

#define N_CANNED (sizeof(canned) / sizeof(canned[0]))

static uint64_t fz_clock(void *user)
{
	return ((struct fz *)user)->now;
}

static void check_text(const char *s)
{
	check(s);
	check(strlen(s) < QLINK_AT_LINE_MAX);
	check(!strpbrk(s, "\r\n"));
}

static void fz_log(enum qlink_log_dir dir, const char *text, void *user)
{
	check((unsigned int)dir <= QLINK_LOG_INFO);
	check(text);
	check(strlen(text) < QLINK_AT_LINE_MAX + 64);
	/* the account password never reaches the log */
	if (dir == QLINK_LOG_TX)
		check(!strstr(text, "secret"));
}

static void urc_any(struct qlink_chan *chan, const char *line, void *user)
{
	check_text(line);
}

static void urc_qind(struct qlink_chan *chan, const char *line, void *user)
{
	check_text(line);
	check(!strncmp(line, "+QIND:", 6));
}

static int submit(struct fz *fz, unsigned int cmd);

static void urc_rdy(struct qlink_chan *chan, const char *line, void *user)
{
	struct fz *fz = user;

	check_text(line);
	check(!strncmp(line, "RDY", 3));
	/* the module restarted: set it up again, from inside the callback */
	if (fz->rdy_submit)
		submit(fz, 0);
}

static const struct qlink_urc_handler urcs[] = {
	{ "+QIND:", urc_qind },
	{ "RDY", urc_rdy },
	{ "", urc_any },
};

static void check_slot(const struct slot *s)
{
	const struct fz *fz = s->fz;

	check(s >= fz->slot && s < fz->slot + fz->n_slots);
	check(!s->done);
}

static int get_on_connect(struct qlink_chan *chan, const char *text, void *user)
{
	struct slot *s = user;
	struct fz *fz = s->fz;
	unsigned int mode = fz->raw_mode;
	char *end;
	unsigned long v;

	check_slot(s);
	check(text);
	check(s->connects++ == 0); /* one data phase per command */
	switch (mode) {
	case 0:
		s->raw = 1;
		s->raw_n = fz->raw_base;
		break;
	case 1:
		check(qlink_chan_expect_raw_until(chan, "\r\nOK\r\n") == 0);
		s->raw = 2;
		return 0;
	case 2:
		v = strtoul(text, &end, 10);
		s->raw = 1;
		s->raw_n = *text && !*end && v <= 100000 ? v : fz->raw_base;
		break;
	default:
		return -EPROTO;
	}
	s->raw_got = 0;
	/* a length from CONNECT's text comes with the OK trailer check too */
	if (mode == 2)
		check(qlink_chan_expect_raw_trailer(chan, s->raw_n, "\r\nOK\r") == 0);
	else
		check(qlink_chan_expect_raw(chan, s->raw_n) == 0);
	return 0;
}

static void get_on_data(struct qlink_chan *chan, const void *buf, size_t len, void *user)
{
	struct slot *s = user;

	check_slot(s);
	check(buf && len);
	check(s->raw);
	s->raw_got += len;
	if (s->raw == 1)
		check(s->raw_got <= s->raw_n);
	else
		check(!memmem(buf, len, "\r\nOK\r\n", 6));
}

static int put_on_prompt(struct qlink_chan *chan, void *user)
{
	struct slot *s = user;

	check_slot(s);
	if (s->fz->raw_mode == 3) /* the caller gives up */
		return -EPIPE;
	return qlink_chan_send(chan, "hello\x1a", 6) < 0 ? -errno : 0;
}

static void check_resp(const struct slot *s, const struct qlink_resp *resp)
{
	const struct qlink_cmd *cmd = cmds[s->cmd].cmd;
	int status = qlink_resp_get_status(resp);
	enum qlink_result result = qlink_resp_get_result(resp);
	const char *err = qlink_resp_get_error(resp);
	size_t i, n = qlink_resp_get_line_count(resp);
	struct qlink_resp *dup;

	if (!cmd)
		cmd = qlink_cmd_lookup(cmds[s->cmd].line);
	check(status <= 0);
	check((unsigned int)result <= QLINK_RESULT_NO_DIALTONE);
	for (i = 0; i < n; i++)
		check_text(qlink_resp_get_line(resp, i));
	check(!qlink_resp_get_line(resp, n));
	if (qlink_resp_get_final(resp))
		check_text(qlink_resp_get_final(resp));
	if (qlink_resp_get_async(resp))
		check_text(qlink_resp_get_async(resp));
	check(err && strlen(err) < 4096);
	/* the message names the command without its password */
	if (status && strstr(cmds[s->cmd].line, "secret"))
		check(strncmp(err, cmds[s->cmd].line, strlen(cmds[s->cmd].line)));
	if (status == 0) {
		check(!strcmp(err, ""));
		check(result == QLINK_RESULT_OK || result == QLINK_RESULT_CONNECT);
		/* with an async result, OK alone is not success */
		if (cmd->async && result == QLINK_RESULT_OK)
			check(qlink_resp_get_async(resp));
	}
	if (status == -ECANCELED)
		check(s->fz->freeing);
	dup = qlink_resp_dup(resp);
	check(dup);
	check(qlink_resp_get_status(dup) == status);
	check(qlink_resp_get_line_count(dup) == n);
	check(!strcmp(qlink_resp_get_error(dup), err));
	qlink_resp_free(dup);
}

static void fz_done(struct qlink_chan *chan, const struct qlink_resp *resp, void *user)
{
	struct slot *s = user;
	struct fz *fz = s->fz;

	check(chan == fz->chan);
	check(resp);
	check_slot(s);
	s->done++;
	fz->n_done++;
	check_resp(s, resp);
	/* no data phase outside on_connect */
	check(qlink_chan_expect_raw(chan, 1) == -1 && errno == EBUSY);
	if (fz->resubmit && fz->resubmits < MAX_RESUBMIT) {
		fz->resubmits++;
		submit(fz, (s->cmd + 1) % N_CMDS);
	}
}

static int submit(struct fz *fz, unsigned int cmd)
{
	struct slot *s;

	if (fz->n_slots == MAX_SLOTS)
		return -1;
	s = &fz->slot[fz->n_slots];
	memset(s, 0, sizeof(*s));
	s->fz = fz;
	s->cmd = cmd;
	/* counted first: the done callback may run before submit returns */
	fz->n_slots++;
	if (qlink_chan_submit(fz->chan, cmds[cmd].line, cmds[cmd].cmd, fz_done, s) < 0) {
		/* the port is gone (perhaps found so by a call still running) */
		check(errno == ENXIO);
		fz->n_slots--;
		return -1;
	}
	return 0;
}

/* Between calls into the channel, from the outside. */
static void check_state(struct fz *fz)
{
	unsigned int busy = qlink_chan_get_pending(fz->chan);
	int t = qlink_chan_get_timeout(fz->chan);

	check(fz->n_done <= fz->n_slots);
	check(busy == fz->n_slots - fz->n_done);
	check(t >= -1);
	/* a command in flight always has a bound, so nothing waits forever */
	if (busy)
		check(t >= 0);
}

struct input {
	const uint8_t *p;
	size_t left;
};

static unsigned int take(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static void push_pieces(struct mem_transport *mt, const void *buf, size_t len, size_t piece)
{
	const uint8_t *b = buf;

	while (len) {
		size_t n = piece && piece < len ? piece : len;

		mem_transport_push(mt, b, n);
		b += n;
		len -= n;
	}
}

/* A line longer than the parser keeps, truncated on the way. */
static void push_long(struct mem_transport *mt, unsigned int a)
{
	static const char *const heads[] = { "+QFTPCWD: 0,", "+QFTPGET: 627,", "Quectel ",
					     "+QIND: " };
	char line[QLINK_AT_LINE_MAX + 200];
	size_t n = strlen(heads[a % 4]);

	line[0] = '\r';
	line[1] = '\n';
	memcpy(line + 2, heads[a % 4], n);
	memset(line + 2 + n, '7', sizeof(line) - 4 - n);
	line[sizeof(line) - 2] = '\r';
	line[sizeof(line) - 1] = '\n';
	push_pieces(mt, line, sizeof(line), (a >> 2 & 3) * 300);
}

static void do_process(struct fz *fz)
{
	int r = qlink_chan_process(fz->chan);

	if (r < 0) {
		check(errno == ENXIO);
		fz->dead = true;
	} else {
		check(!fz->dead);
	}
}

static void step(struct fz *fz, struct input *in)
{
	unsigned int op = take(in), a;
	size_t n;

	switch (op % 12) {
	case 0:
	case 1:
		submit(fz, take(in) % N_CMDS);
		break;
	case 2:
	case 3: /* bytes from the input, in pieces */
		n = take(in) % 96 + 1;
		a = take(in) % 8;
		if (n > in->left)
			n = in->left;
		push_pieces(fz->mt, in->p, n, a);
		in->p += n;
		in->left -= n;
		break;
	case 4: /* a canned response */
		a = take(in);
		if (a >= 240) {
			push_long(fz->mt, a);
			break;
		}
		push_pieces(fz->mt, canned[a % N_CANNED], strlen(canned[a % N_CANNED]),
			    a / N_CANNED % 6);
		break;
	case 5:
	case 6:
		do_process(fz);
		break;
	case 7: /* time passes: up to about 4 minutes */
		a = take(in);
		fz->now += (uint64_t)(a & 63) << (a >> 6) * 4;
		break;
	case 8: /* a slow or full device */
		a = take(in);
		if (a < 128)
			mem_transport_write_limit(fz->mt, a % 4);
		else
			mem_transport_write_budget(fz->mt, a == 255 ? (size_t)-1 : a % 32);
		break;
	case 9:
		a = take(in);
		if (a < 8) {
			qlink_chan_set_timeout(fz->chan, a * 100);
		} else {
			a = a == 255 ? 19 : a;
			check((qlink_chan_set_rsptimeout(fz->chan, a) == 0) ==
			      (a >= 20 && a <= 180));
		}
		break;
	case 10: /* data for the module, in or out of data mode */
		if (qlink_chan_send(fz->chan, "+++", 3) < 0) {
			check(errno == ENXIO);
			fz->dead = true;
		}
		break;
	case 11: /* rarely: the port goes away */
		a = take(in);
		if (a == 0xa5) {
			mem_transport_fail(fz->mt, ENXIO);
			do_process(fz);
			check(fz->dead);
			check(fz->n_done == fz->n_slots);
		} else if (a == 0x5a) {
			/* found by whichever call reads next */
			mem_transport_fail(fz->mt, ENXIO);
		}
		break;
	}
	check_state(fz);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz *fz;
	struct qlink_transport *t;
	struct input in;
	unsigned int i;

	if (size < HDR_LEN)
		return 0;
	fz = calloc(1, sizeof(*fz));
	if (!fz)
		abort();
	t = mem_transport_new(&fz->mt);
	check(t);
	fz->chan = qlink_chan_new(t);
	check(fz->chan);
	fz->now = 1000;
	qlink_chan_set_clock(fz->chan, fz_clock, fz);
	qlink_chan_set_urc_handlers(fz->chan, urcs, sizeof(urcs) / sizeof(urcs[0]), fz);
	if (data[0] & 1)
		qlink_chan_set_log(fz->chan, fz_log, fz);
	fz->resubmit = data[0] & 2;
	fz->rdy_submit = data[0] & 4;
	fz->raw_mode = data[1] & 3;
	fz->raw_base = data[1] >> 2;
	mem_transport_write_limit(fz->mt, data[2] % 4);

	in.p = data + HDR_LEN;
	in.left = size - HDR_LEN;
	while (in.left)
		step(fz, &in);

	if (data[0] & 8) {
		/* every phase is bounded: letting time pass ends everything */
		for (i = 0; i < 4 * MAX_SLOTS + 4 && !fz->dead; i++) {
			fz->now += 10 * 60 * 1000;
			do_process(fz);
			check_state(fz);
		}
		check(qlink_chan_get_pending(fz->chan) == 0);
		check(fz->n_done == fz->n_slots);
	}

	fz->freeing = true;
	qlink_chan_free(fz->chan);
	for (i = 0; i < fz->n_slots; i++)
		check(fz->slot[i].done == 1);
	check(fz->n_done == fz->n_slots);
	free(fz);
	return 0;
}
