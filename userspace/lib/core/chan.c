// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The AT channel. See include/qlink/chan.h for the contract.
 *
 * A command goes through phases: queued; written (the parser is told only
 * once its last byte has left, so bytes that were already on their way
 * are never taken for its answer); awaiting the final result; optionally
 * a data phase after CONNECT; optionally awaiting the async result after
 * OK. Each phase has the same bound, restarted by every line or payload
 * byte that belongs to the command.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/api.h"
#include "core/at-cmd.h"
#include "core/at-parser.h"
#include "core/clock.h"
#include "core/chan-priv.h"
#include "core/redact.h"
#include "core/resp-priv.h"

#define RSPTIMEOUT_DEFAULT 90 /* AT+QFTPCFG="rsptimeout" default, s */
/*
 * The module gives up after <timeout> and reports 609 itself; wait a little
 * longer so the caller hears the module's verdict rather than ours.
 */
#define RSPTIMEOUT_MARGIN_MS 5000
#define PREFIX_MAX 40
/*
 * Payload held back in data mode until it is known not to be the module
 * speaking again after ending data mode early: longer than any such
 * ending ("\r\nOK\r\n\r\n+QFTPGET: 607,0\r\n", a reboot's RDY and the
 * URCs that follow it).
 */
#define TAIL_MAX 256
/*
 * Small pieces of payload gather behind the tail up to this many bytes
 * before they are passed on in one go: neither a copy of the tail nor a
 * call of the command's on_data per piece.
 */
#define HOLD_MAX (TAIL_MAX + 4096)
/* the output buffer moves its unsent bytes to its start past this much sent */
#define OUT_COMPACT 4096
/*
 * The module writes the lines that end data mode in one go; once the last
 * bytes read like such an ending and nothing has followed for this long,
 * they are taken for it. A payload that happened to end a burst with the
 * same bytes would have to pause here too, mid-transfer.
 */
#define QUIET_MS 250
/*
 * On a slow line payload comes a few bytes per wakeup, and a poll and a
 * read per handful cost more than the bytes. Within a payload framed by
 * length, after each read the channel stops asking poll() for input
 * (qlink_chan_get_events()) for as long as GATHER_BYTES (or what is left
 * of the payload) take at the rate the payload has come so far, at most
 * GATHER_MAX_MS: the port buffers them meanwhile (a tty holds 4 KiB and
 * throttles beyond), and a payload that stops short is read all the same
 * when the wait ends. A fast port (USB, an unpaced pty) is never kept
 * waiting: its rate makes the wait nothing. Command responses are never
 * gathered.
 */
#define GATHER_BYTES 1024
#define GATHER_MIN 64	  /* of the payload left: fewer, and it is not worth it */
#define GATHER_MAX_MS 100 /* 1 KiB at 115200 baud 8N1 is 89 ms */
/*
 * After qlink_chan_cancel() the channel waits only while the module is
 * talking: every phase's bound becomes this much silence. A chunk coming
 * in keeps its data phase alive (the transfer then stops at its end); a
 * module that says nothing is given up on at once rather than after the
 * minutes its documented limits allow.
 */
#define CANCEL_MS 1000

enum phase {
	PH_IDLE,    /* nothing in flight */
	PH_WRITING, /* the command line is being written */
	PH_FINAL,   /* awaiting the final result */
	PH_DATA,    /* CONNECT seen; payload, then the final result */
	PH_ASYNC,   /* OK seen; awaiting the async result URC */
};

static const char *const phase_name[] = {
	[PH_IDLE] = "response",	     [PH_WRITING] = "room to write the command",
	[PH_FINAL] = "final result", [PH_DATA] = "data",
	[PH_ASYNC] = "result",
};

struct op {
	struct op *next;
	const struct qlink_cmd *cmd;
	qlink_done_cb done;
	void *user;
	void *cb_user; /* for @cmd's callbacks; @user unless set */
	unsigned int timeout_ms;
	const char *prefixes[2]; /* derived from the line */
	char prefix[PREFIX_MAX];
	size_t wire_len; /* line + CR */
	char line[];
};

/**
 * struct qlink_chan - the channel
 *
 * Single-threaded by design: every field is touched only from the
 * caller's thread, inside the public calls. @in_process counts nested
 * qlink_chan_process() frames so that a command completed from a parser
 * callback does not start the next one before the rest of the bytes
 * already read have been parsed.
 */
struct qlink_chan {
	struct qlink_transport *t;
	struct qlink_at_parser parser;
	struct op *head, *tail; /* head is in flight unless PH_IDLE */
	unsigned int queued;
	enum phase phase;
	struct qlink_resp *resp;      /* being built for head */
	uint64_t deadline;	      /* 0: none */
	uint64_t quiet;		      /* 0: none; see QUIET_MS */
	uint64_t gather;	      /* 0: none; else input is left to gather until then */
	uint64_t rx_t0;		      /* when this data phase's payload began */
	uint64_t rx_bytes;	      /* payload read since */
	unsigned char held[HOLD_MAX]; /* payload not yet passed on */
	size_t held_len;
	bool rx_data;		      /* payload arrived since the deadline was last armed */
	bool garbled;		      /* head's framed payload lost or gained bytes */
	struct qlink_resp *done_resp; /* the response being completed */
	bool resp_taken;	      /* ... and its done callback took it */
	size_t cmd_end;		      /* out_pos at which head's line is out */

	unsigned char *out;
	size_t out_len, out_pos, out_cap;

	const struct qlink_urc_handler *urc;
	size_t n_urc;
	void *urc_user;

	unsigned int timeout_override;
	unsigned int rsptimeout_s;
	int dead; /* errno once the transport failed */
	int in_process;

	qlink_log_cb log;
	void *log_user;
	qlink_data_mode_cb data_cb; /* see qlink_chan_set_data_mode_cb() */
	void *data_user;
	bool in_line;	  /* inside a line's parser event */
	size_t data_tail; /* see qlink_chan_data_tail() */
	uint64_t (*now)(void *user);
	void *now_user;

	volatile sig_atomic_t cancel; /* qlink_chan_cancel(), from a signal handler */
	bool cancel_seen;	      /* ... and the deadline in force shortened for it */

	qlink_dtr_cb dtr_cb; /* see chan-escape.c */
	void *dtr_user;

	char err[QLINK_CHAN_ERROR_MAX]; /* qlink_chan_get_error() */
};

/* the clock hook's shape; tests put a hand-driven clock there */
static uint64_t mono_ms(void *user)
{
	(void)user;
	return qlink_now_ms();
}

static void logf_line(struct qlink_chan *chan, enum qlink_log_dir dir, const char *text)
{
	char buf[QLINK_AT_LINE_MAX + 64];

	if (!chan->log)
		return;
	qlink_redact(text, buf, sizeof(buf));
	chan->log(dir, buf, chan->log_user);
}

static void arm(struct qlink_chan *chan)
{
	unsigned int t = chan->head->timeout_ms;

	if (chan->cancel && t > CANCEL_MS)
		t = CANCEL_MS;
	chan->deadline = chan->now(chan->now_user) + t;
	if (!chan->deadline)
		chan->deadline = 1;
}

/*
 * A cancel the signal handler flagged: the deadline in force shrinks to
 * CANCEL_MS from now (the handler itself touches nothing but the flag).
 */
static void notice_cancel(struct qlink_chan *chan)
{
	uint64_t d;

	if (!chan->cancel || chan->cancel_seen)
		return;
	chan->cancel_seen = true;
	d = chan->now(chan->now_user) + CANCEL_MS;
	if (chan->deadline && d < chan->deadline)
		chan->deadline = d;
}

static void set_ctx(struct qlink_chan *chan)
{
	struct op *op = chan->head;
	struct qlink_at_ctx ctx = { 0 };

	if (chan->phase == PH_IDLE || chan->phase == PH_WRITING) {
		qlink_at_parser_set_ctx(&chan->parser, NULL);
		return;
	}
	ctx.active = true;
	ctx.async = op->cmd->async;
	if (chan->phase != PH_ASYNC) {
		ctx.echo = op->line;
		ctx.prefixes = op->cmd->prefixes ? op->cmd->prefixes : op->prefixes;
		ctx.prompt = op->cmd->flags & QLINK_CMD_F_PROMPT;
		ctx.bare = true;
	}
	qlink_at_parser_set_ctx(&chan->parser, &ctx);
}

static void kick(struct qlink_chan *chan);

/* After a read of @got bytes: leave the port to gather, or not (see GATHER_BYTES). */
static void gather(struct qlink_chan *chan, size_t got)
{
	size_t left = chan->phase == PH_DATA ? qlink_at_parser_raw_left(&chan->parser) : 0;
	uint64_t now, ms;

	chan->gather = 0;
	if (left < GATHER_MIN || !got || qlink_transport_get_fd(chan->t) < 0)
		return;
	now = chan->now(chan->now_user);
	if (!chan->rx_bytes)
		chan->rx_t0 = now;
	chan->rx_bytes += got;
	if (chan->rx_bytes < GATHER_BYTES || now <= chan->rx_t0)
		return;
	/* the time GATHER_BYTES take at the rate seen so far */
	ms = (left < GATHER_BYTES ? left : GATHER_BYTES) * (now - chan->rx_t0) / chan->rx_bytes;
	if (ms > GATHER_MAX_MS)
		ms = GATHER_MAX_MS;
	if (ms >= 2)
		chan->gather = now + ms;
}

/* Phase changes into and out of PH_DATA go through here, to be told. */
static void data_phase(struct qlink_chan *chan, bool data)
{
	if ((chan->phase == PH_DATA) == data)
		return;
	chan->gather = 0;
	chan->rx_bytes = 0;
	/* out of data mode the command awaits its result, until told otherwise */
	chan->phase = data ? PH_DATA : PH_FINAL;
	/* ended by a line (OK, an error, RDY): it and what follows were read */
	chan->data_tail = !data && chan->in_line ? qlink_at_parser_line_back(&chan->parser) : 0;
	if (chan->data_cb)
		chan->data_cb(chan, data, chan->data_user);
	chan->data_tail = 0;
}

size_t qlink_chan_data_tail(const struct qlink_chan *chan)
{
	return chan->data_tail;
}
static void tail_flush(struct qlink_chan *chan);

static void complete(struct qlink_chan *chan, int status)
{
	struct op *op = chan->head;
	struct qlink_resp *resp = chan->resp;

	if (chan->phase == PH_IDLE || !op)
		return;
	/* a payload that is not what the module sent is no success */
	if (chan->garbled && !status)
		status = -EBADMSG;
	chan->garbled = false;
	if (chan->phase == PH_DATA) {
		tail_flush(chan); /* bytes the port gave before it ended */
		data_phase(chan, false);
	}
	chan->head = op->next;
	if (!chan->head)
		chan->tail = NULL;
	chan->queued--;
	chan->phase = PH_IDLE;
	chan->deadline = 0;
	chan->resp = NULL;
	set_ctx(chan);
	if (resp) {
		resp->status = status;
		chan->done_resp = resp;
		chan->resp_taken = false;
		if (op->done)
			op->done(chan, resp, op->user);
		chan->done_resp = NULL;
		if (!chan->resp_taken)
			qlink_resp_free(resp);
	} else if (op->done) {
		/*
		 * No response could be allocated: the caller is still owed
		 * exactly one completion, so give it one that needs no memory.
		 */
		struct qlink_resp oom = {
			.status = -ENOMEM,
			.code = -1,
			.cmd = (char *)"command",
		};

		op->done(chan, &oom, op->user);
		free(oom.err);
	}
	free(op);
	kick(chan);
}

/* A failure to allocate while building a response ends the command. */
static void check(struct qlink_chan *chan, int err)
{
	if (err)
		complete(chan, err);
}

static void complete_async(struct qlink_chan *chan)
{
	int code = chan->resp->code;

	complete(chan, code == 0 ? 0 : code > 0 ? -EIO : -EPROTO);
}

static void on_final(struct qlink_chan *chan, const struct qlink_at_event *ev)
{
	struct op *op = chan->head;

	if (chan->phase != PH_FINAL && chan->phase != PH_DATA) {
		/* late answer to a command that timed out, or line noise */
		logf_line(chan, QLINK_LOG_INFO, "stray final result ignored:");
		logf_line(chan, QLINK_LOG_INFO, ev->text);
		return;
	}
	check(chan, qlink_resp_set_final(chan->resp, ev->text, ev->result, ev->code));
	if (chan->phase == PH_IDLE)
		return;
	switch (ev->result) {
	case QLINK_RESULT_OK:
		data_phase(chan, false); /* the module is back in command mode */
		if (op->cmd->async && !chan->resp->async) {
			chan->phase = PH_ASYNC;
			set_ctx(chan);
			arm(chan);
			return;
		}
		if (chan->resp->async) {
			complete_async(chan);
			return;
		}
		complete(chan, 0);
		return;
	case QLINK_RESULT_CONNECT:
		if (op->cmd->on_connect && chan->phase == PH_FINAL) {
			int err;

			data_phase(chan, true);
			set_ctx(chan);
			arm(chan);
			err = op->cmd->on_connect(chan, ev->arg, op->cb_user);
			if (err < 0)
				complete(chan, err);
			return;
		}
		complete(chan, 0);
		return;
	case QLINK_RESULT_NO_CARRIER:
		complete(chan, -ECONNRESET);
		return;
	default:
		complete(chan, -EIO);
		return;
	}
}

static void dispatch_urc(struct qlink_chan *chan, const char *line)
{
	size_t i;

	logf_line(chan, QLINK_LOG_URC, line);
	for (i = 0; i < chan->n_urc; i++) {
		const char *pfx = chan->urc[i].prefix;

		if (!strncmp(line, pfx, strlen(pfx))) {
			chan->urc[i].cb(chan, line, chan->urc_user);
			return;
		}
	}
}

static void on_line(struct qlink_chan *chan, const struct qlink_at_event *ev)
{
	const char *async = chan->head->cmd->async;
	bool trunc = ev->flags & QLINK_AT_F_TRUNCATED;

	logf_line(chan, QLINK_LOG_RX, ev->text);
	arm(chan);
	if (async && !strncmp(ev->text, async, strlen(async))) {
		check(chan, qlink_resp_set_async(chan->resp, ev->text));
		if (chan->phase == PH_IDLE)
			return;
		if (trunc)
			chan->resp->truncated = true;
		/*
		 * After OK it is the end. Before OK a success (+QFTPSTAT: 0,1)
		 * waits for the OK that follows, but a failure ends it now: the
		 * module may send no OK after one, and a late OK is dropped as
		 * stray rather than waited for. After a garbled payload the
		 * OK may be what the framing took: the result is the end.
		 */
		if (chan->phase == PH_ASYNC || chan->resp->code != 0 || chan->garbled)
			complete_async(chan);
		return;
	}
	check(chan, qlink_resp_add_line(chan->resp, ev->text, trunc));
}

static void deliver(struct qlink_chan *chan, const void *buf, size_t len)
{
	const struct qlink_cmd *cmd = chan->head->cmd;

	if (len && cmd->on_data)
		cmd->on_data(chan, buf, len, chan->head->cb_user);
}

static void tail_flush(struct qlink_chan *chan)
{
	size_t n = chan->held_len;

	chan->held_len = 0;
	chan->quiet = 0;
	deliver(chan, chan->held, n);
}

/*
 * Where the module's own lines would start if the held bytes ended data
 * mode: only the last TAIL_MAX bytes can be such an ending.
 */
static size_t tail_ending(struct qlink_chan *chan)
{
	size_t base = chan->held_len > TAIL_MAX ? chan->held_len - TAIL_MAX : 0;

	/* the module's lines end with CR LF: anything else is payload (the common case) */
	if (chan->held_len < 2 || chan->held[chan->held_len - 1] != '\n')
		return chan->held_len;
	return base + qlink_at_ending(&chan->parser, chan->held + base, chan->held_len - base,
				      chan->head->cmd->async);
}

/*
 * Pass on what can no longer be part of an ending; keep the rest. A large
 * piece goes on at once, but for the last TAIL_MAX bytes; small ones
 * gather up to HOLD_MAX first, so a piece costs no copy of the tail.
 */
static void tail_push(struct qlink_chan *chan, const unsigned char *p, size_t len)
{
	if (len >= TAIL_MAX) {
		tail_flush(chan);
		deliver(chan, p, len - TAIL_MAX);
		p += len - TAIL_MAX;
		len = TAIL_MAX;
	} else if (chan->held_len + len > HOLD_MAX) {
		size_t out = chan->held_len + len - TAIL_MAX;

		deliver(chan, chan->held, out);
		memmove(chan->held, chan->held + out, chan->held_len - out);
		chan->held_len -= out;
	}
	if (len == 1)
		chan->held[chan->held_len] = *p; /* a slow line's usual piece: no call */
	else
		memcpy(chan->held + chan->held_len, p, len);
	chan->held_len += len;
	chan->quiet = 0;
	if (tail_ending(chan) < chan->held_len)
		chan->quiet = chan->now(chan->now_user) + QUIET_MS;
}

static void on_event_body(const struct qlink_at_event *ev, struct qlink_chan *chan)
{
	struct op *op = chan->head;

	switch (ev->type) {
	case QLINK_AT_EV_URC:
		dispatch_urc(chan, ev->text);
		/*
		 * The module restarted: a data phase or a result it promised
		 * after OK will never come, so say so now rather than at a
		 * deadline that may be minutes away. Before the final result
		 * RDY may be the boot that raced our command, which a module
		 * that was ready in time still answers; its short bound
		 * covers the one that was not.
		 */
		if ((chan->phase == PH_DATA || chan->phase == PH_ASYNC) && chan->head == op &&
		    !strcmp(ev->text, "RDY"))
			complete(chan, -ECONNABORTED);
		break;
	case QLINK_AT_EV_LINE:
		if (chan->phase >= PH_FINAL)
			on_line(chan, ev);
		break;
	case QLINK_AT_EV_ECHO:
		arm(chan);
		break;
	case QLINK_AT_EV_FINAL:
		logf_line(chan, QLINK_LOG_RX, ev->text);
		on_final(chan, ev);
		break;
	case QLINK_AT_EV_PROMPT:
		if (chan->phase == PH_FINAL && op->cmd->on_prompt) {
			int err = op->cmd->on_prompt(chan, op->cb_user);

			if (err < 0)
				complete(chan, err);
		}
		break;
	case QLINK_AT_EV_RAW:
		if (chan->phase == PH_DATA) {
			/* the deadline moves once per pass: see pump_input() */
			chan->rx_data = true;
			tail_push(chan, (const unsigned char *)ev->text, ev->len);
		}
		break;
	case QLINK_AT_EV_RAW_END:
		if (chan->phase != PH_DATA)
			break;
		tail_flush(chan);
		if (ev->flags & QLINK_AT_F_BAD_TRAILER) {
			chan->garbled = true;
			logf_line(chan, QLINK_LOG_INFO,
				  "the payload was not followed by the module's OK: bytes were lost "
				  "or added on the line");
		}
		break;
	}
}

static void on_event(const struct qlink_at_event *ev, void *user)
{
	struct qlink_chan *chan = user;
	bool was = chan->in_line;

	chan->in_line = ev->type != QLINK_AT_EV_RAW && ev->type != QLINK_AT_EV_RAW_END &&
			ev->type != QLINK_AT_EV_PROMPT;
	on_event_body(ev, chan);
	chan->in_line = was;
}

static int out_append(struct qlink_chan *chan, const void *buf, size_t len)
{
	if (chan->out_pos && chan->out_pos == chan->out_len) {
		/* drained: reuse the buffer from its start */
		chan->out_pos = chan->out_len = 0;
		chan->cmd_end = 0;
	} else if (chan->out_pos &&
		   (chan->out_pos >= OUT_COMPACT || chan->out_len + len > chan->out_cap)) {
		/*
		 * Partly drained: what is still to go moves to the start, so
		 * a producer that keeps the queue short keeps the buffer
		 * short too, however much passes through it.
		 */
		memmove(chan->out, chan->out + chan->out_pos, chan->out_len - chan->out_pos);
		chan->out_len -= chan->out_pos;
		chan->cmd_end = chan->cmd_end > chan->out_pos ? chan->cmd_end - chan->out_pos : 0;
		chan->out_pos = 0;
	}
	if (chan->out_len + len > chan->out_cap) {
		size_t cap = chan->out_cap ? chan->out_cap : 256;
		unsigned char *p;

		while (cap < chan->out_len + len)
			cap *= 2;
		p = realloc(chan->out, cap);
		if (!p)
			return -ENOMEM;
		chan->out = p;
		chan->out_cap = cap;
	}
	memcpy(chan->out + chan->out_len, buf, len);
	chan->out_len += len;
	return 0;
}

static void fail_all(struct qlink_chan *chan, int status)
{
	while (chan->head) {
		if (chan->phase == PH_IDLE) {
			/* queued, never sent: still owed a completion */
			chan->phase = PH_WRITING;
			chan->resp = qlink_resp_new(chan->head->line);
		}
		complete(chan, status);
	}
}

/* The port is gone: complete everything, starting nothing new meanwhile. */
static void fail_dead(struct qlink_chan *chan)
{
	chan->in_process++;
	fail_all(chan, -chan->dead);
	chan->in_process--;
}

static int flush(struct qlink_chan *chan)
{
	while (chan->out_pos < chan->out_len) {
		ssize_t n = qlink_transport_write(chan->t, chan->out + chan->out_pos,
						  chan->out_len - chan->out_pos);

		if (n < 0) {
			chan->dead = errno ? errno : EIO;
			return -1;
		}
		if (!n)
			break;
		chan->out_pos += (size_t)n;
		/* an upload's payload keeps its data phase alive as received bytes do */
		if (chan->phase == PH_DATA)
			arm(chan);
	}
	if (chan->phase == PH_WRITING && chan->out_pos >= chan->cmd_end) {
		chan->phase = PH_FINAL;
		set_ctx(chan);
		arm(chan);
	}
	return 0;
}

static void start(struct qlink_chan *chan)
{
	struct op *op = chan->head;

	chan->resp = qlink_resp_new(op->line);
	chan->garbled = false;
	if (!chan->resp) {
		chan->phase = PH_WRITING;
		complete(chan, -ENOMEM);
		return;
	}
	chan->phase = PH_WRITING;
	set_ctx(chan);
	arm(chan);
	op->line[op->wire_len - 1] = '\r';
	if (out_append(chan, op->line, op->wire_len) < 0) {
		op->line[op->wire_len - 1] = '\0';
		complete(chan, -ENOMEM);
		return;
	}
	op->line[op->wire_len - 1] = '\0';
	chan->cmd_end = chan->out_len;
	logf_line(chan, QLINK_LOG_TX, op->line);
}

static int pump_input(struct qlink_chan *chan);

static void kick(struct qlink_chan *chan)
{
	if (chan->in_process || chan->dead || chan->phase != PH_IDLE || !chan->head)
		return;
	/*
	 * Whatever is already waiting was sent before this command: parse it
	 * first, with no command in flight, so a boot-time "+CPIN: READY" is
	 * never the answer to AT+CPIN?.
	 */
	chan->in_process++;
	pump_input(chan);
	chan->in_process--;
	if (chan->dead) {
		fail_dead(chan);
		return;
	}
	if (chan->phase != PH_IDLE || !chan->head)
		return;
	start(chan);
	if (chan->phase == PH_WRITING && flush(chan) < 0)
		fail_dead(chan);
}

QLINK_API struct qlink_chan *qlink_chan_new(struct qlink_transport *t)
{
	struct qlink_chan *chan;

	if (!t) {
		errno = EINVAL;
		return NULL;
	}
	chan = calloc(1, sizeof(*chan));
	if (!chan) {
		qlink_transport_free(t);
		return NULL;
	}
	chan->t = t;
	chan->rsptimeout_s = RSPTIMEOUT_DEFAULT;
	chan->now = mono_ms;
	qlink_at_parser_init(&chan->parser, NULL, 0, on_event, chan);
	return chan;
}

QLINK_API void qlink_chan_free(struct qlink_chan *chan)
{
	if (!chan)
		return;
	chan->in_process++; /* completions must not start queued commands */
	fail_all(chan, -ECANCELED);
	qlink_transport_free(chan->t);
	free(chan->out);
	free(chan);
}

void qlink_chan_set_clock(struct qlink_chan *chan, uint64_t (*now_ms)(void *user), void *user)
{
	chan->now = now_ms ? now_ms : mono_ms;
	chan->now_user = user;
}

unsigned int qlink_chan_timeout_for(struct qlink_chan *chan, const char *line,
				    const struct qlink_cmd *cmd)
{
	const struct qlink_cmd *known = qlink_cmd_lookup(line);

	if (chan->timeout_override)
		return chan->timeout_override;
	if (cmd && cmd->timeout_ms)
		return cmd->timeout_ms;
	if ((cmd && (cmd->flags & QLINK_CMD_F_RSPTIMEOUT)) ||
	    (known->flags & QLINK_CMD_F_RSPTIMEOUT))
		return chan->rsptimeout_s * 1000 + RSPTIMEOUT_MARGIN_MS;
	return known->timeout_ms;
}

static void derive_prefix(struct op *op)
{
	const char *name;
	size_t n = qlink_at_cmd_name(op->line, &name);

	if (n && name[0] == '+' && n + 2 <= sizeof(op->prefix)) {
		memcpy(op->prefix, name, n);
		op->prefix[n] = ':';
		op->prefix[n + 1] = '\0';
		op->prefixes[0] = op->prefix;
	}
}

static int submit(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
		  qlink_done_cb done, void *user, void *cb_user)
{
	size_t len;
	struct op *op;

	if (!chan || !line) {
		errno = EINVAL;
		return -1;
	}
	len = strlen(line);
	if (!len || len > QLINK_CMD_LINE_MAX || strpbrk(line, "\r\n")) {
		errno = EINVAL;
		return -1;
	}
	if (chan->dead) {
		errno = ENXIO;
		return -1;
	}
	op = calloc(1, sizeof(*op) + len + 1);
	if (!op)
		return -1;
	memcpy(op->line, line, len + 1);
	op->wire_len = len + 1;
	op->cmd = cmd ? cmd : qlink_cmd_lookup(line);
	op->done = done;
	op->user = user;
	op->cb_user = cb_user;
	op->timeout_ms = qlink_chan_timeout_for(chan, line, cmd);
	derive_prefix(op);
	if (chan->tail)
		chan->tail->next = op;
	else
		chan->head = op;
	chan->tail = op;
	chan->queued++;
	kick(chan);
	return 0;
}

QLINK_API int qlink_chan_submit(struct qlink_chan *chan, const char *line,
				const struct qlink_cmd *cmd, qlink_done_cb done, void *user)
{
	return submit(chan, line, cmd, done, user, user);
}

QLINK_API void qlink_chan_set_urc_handlers(struct qlink_chan *chan,
					   const struct qlink_urc_handler *table, size_t n,
					   void *user)
{
	chan->urc = table;
	chan->n_urc = table ? n : 0;
	chan->urc_user = user;
}

QLINK_API int qlink_chan_expect_raw(struct qlink_chan *chan, size_t n)
{
	if (chan->phase != PH_DATA) {
		errno = EBUSY;
		return -1;
	}
	qlink_at_parser_expect_raw(&chan->parser, n);
	return 0;
}

QLINK_API int qlink_chan_expect_raw_trailer(struct qlink_chan *chan, size_t n, const char *trailer)
{
	if (chan->phase != PH_DATA) {
		errno = EBUSY;
		return -1;
	}
	if (!trailer ||
	    qlink_at_parser_expect_raw_trailer(&chan->parser, n, trailer, strlen(trailer)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

QLINK_API int qlink_chan_expect_raw_until(struct qlink_chan *chan, const char *term)
{
	if (chan->phase != PH_DATA) {
		errno = EBUSY;
		return -1;
	}
	if (!term || qlink_at_parser_expect_raw_until(&chan->parser, term, strlen(term)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

QLINK_API int qlink_chan_send(struct qlink_chan *chan, const void *buf, size_t len)
{
	int err;

	if (chan->dead) {
		errno = ENXIO;
		return -1;
	}
	err = out_append(chan, buf, len);
	if (err) {
		errno = -err;
		return -1;
	}
	if (!chan->in_process && flush(chan) < 0) {
		fail_dead(chan);
		errno = chan->dead;
		return -1;
	}
	return 0;
}

QLINK_API int qlink_chan_get_fd(struct qlink_chan *chan)
{
	return qlink_transport_get_fd(chan->t);
}

QLINK_API short qlink_chan_get_events(struct qlink_chan *chan)
{
	/* a paced transport takes nothing yet: POLLOUT would spin */
	bool out = chan->out_pos < chan->out_len && !qlink_transport_get_next_write_ms(chan->t);

	/* payload left to gather: see GATHER_BYTES */
	return (chan->gather ? 0 : POLLIN) | (out ? POLLOUT : 0);
}

static uint64_t next_deadline(const struct qlink_chan *chan)
{
	if (chan->quiet && chan->phase == PH_DATA &&
	    (!chan->deadline || chan->quiet < chan->deadline))
		return chan->quiet;
	return chan->deadline;
}

QLINK_API int qlink_chan_get_timeout(struct qlink_chan *chan)
{
	uint64_t now, when;
	int t = -1, w;

	notice_cancel(chan);
	when = next_deadline(chan);

	if (chan->gather && (!when || chan->gather < when))
		when = chan->gather;

	if (when) {
		now = chan->now(chan->now_user);
		if (now >= when)
			return 0;
		t = when - now > (uint64_t)0x7fffffff ? 0x7fffffff : (int)(when - now);
	}
	/* output held back by pacing: wake when the next write is allowed */
	if (chan->out_pos < chan->out_len) {
		w = qlink_transport_get_next_write_ms(chan->t);
		if (w > 0 && (t < 0 || w < t))
			t = w;
	}
	return t;
}

/* Restart line parsing, e.g. when framing armed for a payload is void. */
static void reset_parser(struct qlink_chan *chan)
{
	qlink_at_parser_init(&chan->parser, NULL, 0, on_event, chan);
	set_ctx(chan);
}

/*
 * Data mode ended before the framed length: the held bytes end with the
 * module's own lines. Pass on the payload before them, then parse them as
 * lines; a command they do not end (a reboot's RDY) ends here.
 */
static void end_early(struct qlink_chan *chan)
{
	struct op *op = chan->head;
	unsigned char lines[TAIL_MAX];
	size_t at = tail_ending(chan);
	size_t n = chan->held_len - at;
	char msg[96];

	chan->quiet = 0;
	if (!n)
		return;
	memcpy(lines, chan->held + at, n);
	chan->held_len = at;
	tail_flush(chan);
	snprintf(msg, sizeof(msg), "data mode ended before the framed length (%zu bytes follow)",
		 n);
	logf_line(chan, QLINK_LOG_INFO, msg);
	reset_parser(chan);
	qlink_at_parser_feed(&chan->parser, lines, n);
	if (chan->head == op && chan->phase == PH_DATA)
		complete(chan, -ECONNABORTED);
}

static void expire(struct qlink_chan *chan)
{
	uint64_t now = chan->now(chan->now_user);

	if (chan->quiet && now >= chan->quiet && chan->phase == PH_DATA) {
		end_early(chan);
		return;
	}
	if (!chan->deadline || now < chan->deadline)
		return;
	if (chan->resp) {
		chan->resp->timeout_ms = chan->head->timeout_ms;
		chan->resp->phase = phase_name[chan->phase];
	}
	logf_line(chan, QLINK_LOG_INFO, chan->cancel ? "cancelled:" : "timeout:");
	logf_line(chan, QLINK_LOG_INFO, chan->head->line);
	/*
	 * Framing armed for a payload that never came would swallow every
	 * later line; start over in line mode. What did come is passed on:
	 * nothing in it read like the module's own lines.
	 */
	if (chan->phase == PH_DATA)
		tail_flush(chan);
	if (qlink_at_parser_framing(&chan->parser))
		qlink_at_parser_init(&chan->parser, NULL, 0, on_event, chan);
	complete(chan, chan->cancel ? -ECANCELED : -ETIMEDOUT);
}

/* Read and parse everything available; the caller holds in_process. */
static int pump_input(struct qlink_chan *chan)
{
	unsigned char buf[4096];
	bool drained = qlink_transport_get_fd(chan->t) >= 0;
	size_t got = 0;
	ssize_t n;

	chan->gather = 0;
	for (;;) {
		n = qlink_transport_read(chan->t, buf, sizeof(buf));
		if (n <= 0)
			break;
		got += (size_t)n;
		qlink_at_parser_feed(&chan->parser, buf, (size_t)n);
		/*
		 * In data mode a short read has drained the port, and asking
		 * again would cost a system call per piece of payload; poll()
		 * on the descriptor says when more comes. (Before a command,
		 * everything already waiting must be read: see kick(). A
		 * transport with no descriptor is drained every time.)
		 */
		if ((size_t)n < sizeof(buf) && chan->phase == PH_DATA && drained)
			break;
	}
	/* payload keeps its data phase alive: once per pass, not per piece */
	if (chan->rx_data && chan->phase == PH_DATA)
		arm(chan);
	chan->rx_data = false;
	if (n < 0)
		chan->dead = errno ? errno : EIO;
	else if (chan->phase == PH_DATA)
		gather(chan, got);
	return chan->dead ? -1 : 0;
}

QLINK_API int qlink_chan_process(struct qlink_chan *chan)
{
	if (chan->dead) {
		errno = chan->dead;
		return -1;
	}
	chan->in_process++;
	pump_input(chan);
	if (!chan->dead)
		flush(chan);
	chan->in_process--;
	if (chan->dead) {
		fail_dead(chan);
		errno = chan->dead;
		return -1;
	}
	kick(chan);
	notice_cancel(chan);
	expire(chan);
	return 0;
}

QLINK_API int qlink_chan_wait(struct qlink_chan *chan, int timeout_ms)
{
	struct pollfd pfd = { .fd = qlink_chan_get_fd(chan) };
	int t = qlink_chan_get_timeout(chan);

	if (timeout_ms >= 0 && (t < 0 || timeout_ms < t))
		t = timeout_ms;
	/*
	 * A signal between the timeout read above and poll() would not cut
	 * poll() short: a cancel it brings is seen within CANCEL_MS anyway.
	 */
	if (t < 0 || t > CANCEL_MS)
		t = CANCEL_MS;
	if (pfd.fd >= 0) {
		pfd.events = qlink_chan_get_events(chan);
		if (poll(&pfd, 1, t) < 0)
			return -1;
	}
	return qlink_chan_process(chan);
}

QLINK_API void qlink_chan_cancel(struct qlink_chan *chan)
{
	if (chan)
		chan->cancel = 1;
}

QLINK_API void qlink_chan_clear_cancel(struct qlink_chan *chan)
{
	if (!chan)
		return;
	chan->cancel = 0;
	chan->cancel_seen = false;
}

QLINK_API bool qlink_chan_get_cancelled(const struct qlink_chan *chan)
{
	return chan && chan->cancel;
}

QLINK_API unsigned int qlink_chan_get_pending(struct qlink_chan *chan)
{
	return chan->queued;
}

QLINK_API const char *qlink_chan_get_error(const struct qlink_chan *chan)
{
	return chan ? chan->err : "";
}

void qlink_chan_clear_error(struct qlink_chan *chan)
{
	if (chan)
		chan->err[0] = '\0';
}

void qlink_chan_set_error(struct qlink_chan *chan, const char *fmt, ...)
{
	/* redaction may lengthen the text: 2 * len + 16 always suffices */
	char raw[QLINK_CHAN_ERROR_MAX], masked[2 * QLINK_CHAN_ERROR_MAX + 16];
	size_t n;
	va_list ap;

	if (!chan)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	n = qlink_redact(raw, masked, sizeof(masked));
	if (n >= sizeof(chan->err))
		n = sizeof(chan->err) - 1;
	memcpy(chan->err, masked, n);
	chan->err[n] = '\0';
}

QLINK_API void qlink_chan_set_timeout(struct qlink_chan *chan, unsigned int timeout_ms)
{
	chan->timeout_override = timeout_ms;
}

QLINK_API int qlink_chan_set_rsptimeout(struct qlink_chan *chan, unsigned int seconds)
{
	if (seconds < 20 || seconds > 180) {
		errno = EINVAL;
		return -1;
	}
	chan->rsptimeout_s = seconds;
	return 0;
}

QLINK_API void qlink_chan_set_data_mode_cb(struct qlink_chan *chan, qlink_data_mode_cb cb,
					   void *user)
{
	chan->data_cb = cb;
	chan->data_user = user;
}

QLINK_API void qlink_chan_set_log(struct qlink_chan *chan, qlink_log_cb fn, void *user)
{
	chan->log = fn;
	chan->log_user = user;
}

static void run_done(struct qlink_chan *chan, const struct qlink_resp *resp, void *user)
{
	struct qlink_chan_run *st = user;

	st->done = true;
	st->status = qlink_resp_get_status(resp);
	st->resp = qlink_chan_take_resp(chan, resp);
}

int qlink_chan_run_start(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
			 void *cb_user, struct qlink_chan_run *st)
{
	*st = (struct qlink_chan_run){ 0 };
	return submit(chan, line, cmd, run_done, st, cb_user);
}

int qlink_chan_run_finish(struct qlink_chan *chan, struct qlink_chan_run *st,
			  struct qlink_resp **resp)
{
	struct qlink_resp *r;

	/* every phase has a deadline, so this loop ends */
	while (!st->done) {
		if (qlink_chan_wait(chan, -1) < 0 && chan->dead)
			break;
	}
	r = st->resp;
	/* handed over before @resp is written: @resp may be &st->resp */
	st->resp = NULL;
	if (resp)
		*resp = r;
	else
		qlink_resp_free(r);
	if (!st->done) {
		errno = chan->dead ? chan->dead : EIO;
		return -1;
	}
	if (st->status) {
		errno = -st->status;
		return -1;
	}
	return 0;
}

/* Submit and wait; @cb_user for the command's callbacks. */
static int run(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
	       void *cb_user, bool own_cb_user, struct qlink_resp **resp)
{
	struct qlink_chan_run st;

	if (resp)
		*resp = NULL;
	if (qlink_chan_run_start(chan, line, cmd, own_cb_user ? cb_user : &st, &st) < 0)
		return -1;
	return qlink_chan_run_finish(chan, &st, resp);
}

QLINK_API int qlink_chan_exec(struct qlink_chan *chan, const char *line,
			      const struct qlink_cmd *cmd, struct qlink_resp **resp)
{
	return run(chan, line, cmd, NULL, false, resp);
}

QLINK_API int qlink_chan_run(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
			     void *user, struct qlink_resp **resp)
{
	return run(chan, line, cmd, user, true, resp);
}

struct qlink_resp *qlink_chan_take_resp(struct qlink_chan *chan, const struct qlink_resp *resp)
{
	if (resp && resp == chan->done_resp && !chan->resp_taken) {
		chan->resp_taken = true;
		return chan->done_resp;
	}
	return qlink_resp_dup(resp);
}

QLINK_API struct qlink_transport *qlink_chan_get_transport(struct qlink_chan *chan)
{
	return chan->t;
}

QLINK_API size_t qlink_chan_get_outq(struct qlink_chan *chan)
{
	return chan->out_len - chan->out_pos;
}

qlink_dtr_cb qlink_chan_dtr_hook(struct qlink_chan *chan, void **user)
{
	*user = chan->dtr_user;
	return chan->dtr_cb;
}

void qlink_chan_set_dtr_hook(struct qlink_chan *chan, qlink_dtr_cb cb, void *user)
{
	chan->dtr_cb = cb;
	chan->dtr_user = user;
}
