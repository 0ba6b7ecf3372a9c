// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * libFuzzer target for the byte-fed AT parser (userspace/lib/core/at-parser.c).
 *
 * Input: a five-byte header, then the byte stream as it comes off the wire.
 *   [0] context: bit 0 active, 1 echo, 2 prefixes, 3 async, 4 prompt,
 *       5 bare, 6 on each final result move on to an "awaiting async
 *       result" context, then to none, then back, 7 a small URC table of
 *       our own
 *   [1] split pattern (low 3 bits) and its size (high 5 bits)
 *   [2] framing on CONNECT (low 2 bits: none, expect_raw, expect_raw_until,
 *       both alternately) and a base payload length (high 6 bits)
 *   [3] seed of the random splits
 *   [4] terminator for expect_raw_until (low 2 bits), URC table size
 *       (bits 2-4), bit 5: expect_raw checks a "\r\nOK\r" trailer, bit 7: each of the first eight 0xff bytes stands for
 *       600 copies of the byte before it, so lines overflow the parser's
 *       buffer
 *
 * The stream is parsed twice: fed whole, and in the chosen pieces (each
 * piece copied to a buffer of its exact size, so ASan sees any read past
 * it). Every event is checked against the parser's contract, and both
 * runs must produce the same events, runs of payload bytes merged.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/at-parser.h"
#include "fuzz-check.h"

#define HDR_LEN 5
#define EXPAND 600
#define EXPAND_MAX 8

static const char *const prefixes[] = { "+CSQ:", "+QFTPGET:", NULL };

/* Sorted by strcmp(), as qlink_at_parser_init() requires. */
static const char *const own_urcs[] = { "+QIND:", "BOOT", "RDY", "RING" };

static const char *const terms[] = {
	"\r\nOK\r\n",
	"\r\nOK\r\n",
	"\r\n\r\n", /* overlaps itself: exercises the KMP fallback */
	"aab",
};

enum { RAW_NONE, RAW_N, RAW_UNTIL };

struct cfg {
	struct qlink_at_ctx ctx; /* chosen by the header */
	struct qlink_at_ctx alt; /* after a final result, with bit 6 */
	bool switch_ctx;
	bool expand;
	const char *const *urcs;
	size_t n_urcs;
	unsigned int split;
	unsigned int split_size;
	unsigned int raw_mode;
	size_t raw_base;
	uint8_t seed;
	const char *term;
	size_t term_len;
	bool trailer;
};

/* One event as compared between runs; a run of RAW events is one record. */
struct rec {
	int type;
	unsigned int flags;
	int result;
	int code;
	size_t len;
	size_t arg_off;
	uint64_t hash;
};

struct run {
	struct qlink_at_parser p;
	const struct cfg *cfg;
	const struct qlink_at_ctx *ctx; /* what the parser was last given */
	unsigned int stage;		/* 0 ctx, 1 alt, 2 none */
	unsigned int connects;

	int raw; /* RAW_* armed by us and not yet ended */
	size_t raw_n, raw_got;
	unsigned char tail[QLINK_AT_TERM_MAX]; /* last payload bytes, RAW_UNTIL */
	size_t tail_len;

	struct rec *log;
	size_t n, cap;
	bool in_raw_rec; /* log[n - 1] is an open RAW record */
};

static uint64_t fnv(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static struct rec *new_rec(struct run *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct rec *l = realloc(r->log, cap * sizeof(*l));

		if (!l)
			abort();
		r->log = l;
		r->cap = cap;
	}
	memset(&r->log[r->n], 0, sizeof(r->log[0]));
	return &r->log[r->n++];
}

static void log_raw(struct run *r, const char *text, size_t len)
{
	struct rec *e;

	if (!r->in_raw_rec) {
		e = new_rec(r);
		e->type = QLINK_AT_EV_RAW;
		e->hash = 0xcbf29ce484222325ull;
		r->in_raw_rec = true;
	}
	e = &r->log[r->n - 1];
	e->len += len;
	e->hash = fnv(e->hash, text, len);
}

static void log_event(struct run *r, const struct qlink_at_event *ev)
{
	struct rec *e;

	r->in_raw_rec = false;
	e = new_rec(r);
	e->type = ev->type;
	e->flags = ev->flags;
	e->len = ev->len;
	e->hash = 0xcbf29ce484222325ull;
	if (ev->type == QLINK_AT_EV_RAW_END)
		return;
	e->hash = fnv(e->hash, ev->text, ev->len);
	if (ev->type == QLINK_AT_EV_FINAL) {
		e->result = ev->result;
		e->code = ev->code;
		e->arg_off = *ev->arg ? (size_t)(ev->arg - ev->text) : 0;
	}
}

/* A line of text: LINE, URC, FINAL or ECHO. */
static void check_line(const struct run *r, const struct qlink_at_event *ev)
{
	const struct qlink_at_ctx *ctx = r->ctx;
	struct qlink_at_event f;
	bool is_final;

	check(ev->text);
	check(ev->len < QLINK_AT_LINE_MAX);
	check(strlen(ev->text) == ev->len);
	check(!memchr(ev->text, '\r', ev->len));
	check(!memchr(ev->text, '\n', ev->len));
	check(!(ev->flags & ~(QLINK_AT_F_TRUNCATED | QLINK_AT_F_NUL)));
	check(!(ev->flags & QLINK_AT_F_BAD_TRAILER));
	if (ev->flags & QLINK_AT_F_TRUNCATED)
		check(ev->len == QLINK_AT_LINE_MAX - 1);
	else
		check(ev->len > 0);
	check(!qlink_at_parser_in_raw(&r->p));
	check(r->raw == RAW_NONE);
	if (!ctx->active)
		check(ev->type == QLINK_AT_EV_URC || ev->type == QLINK_AT_EV_FINAL);

	is_final = qlink_at_final_parse(ev->text, &f);
	check(is_final == (ev->type == QLINK_AT_EV_FINAL));
	switch (ev->type) {
	case QLINK_AT_EV_FINAL:
		check(f.result == ev->result);
		check(f.code == ev->code);
		check(ev->result != QLINK_RESULT_NONE);
		check(ev->arg);
		/* "" when nothing follows the result word, else a tail of the line */
		check(!*ev->arg || (ev->arg > ev->text && ev->arg < ev->text + ev->len));
		check(!strcmp(f.arg, ev->arg));
		if (ev->result == QLINK_RESULT_CME_ERROR || ev->result == QLINK_RESULT_CMS_ERROR)
			check(ev->code >= -1 && ev->code <= 65535);
		else
			check(ev->code == -1);
		break;
	case QLINK_AT_EV_ECHO:
		check(ctx->active && ctx->echo);
		check(!strcmp(ev->text, ctx->echo));
		break;
	case QLINK_AT_EV_LINE:
		check(ctx->active);
		break;
	default:
		break;
	}
}

static void check_raw_until(struct run *r, const char *text, size_t len)
{
	const struct cfg *c = r->cfg;
	unsigned char join[2 * QLINK_AT_TERM_MAX];
	size_t head = len < c->term_len - 1 ? len : c->term_len - 1;
	size_t keep;

	/* the first occurrence of the terminator ends the payload */
	check(!memmem(text, len, c->term, c->term_len));
	memcpy(join, r->tail, r->tail_len);
	memcpy(join + r->tail_len, text, head);
	check(!memmem(join, r->tail_len + head, c->term, c->term_len));

	/* keep the last term_len - 1 bytes of the payload so far */
	if (len >= c->term_len - 1) {
		r->tail_len = c->term_len - 1;
		memcpy(r->tail, text + len - r->tail_len, r->tail_len);
		return;
	}
	memcpy(join, r->tail, r->tail_len);
	memcpy(join + r->tail_len, text, len);
	keep = r->tail_len + len;
	if (keep > c->term_len - 1)
		keep = c->term_len - 1;
	memcpy(r->tail, join + r->tail_len + len - keep, keep);
	r->tail_len = keep;
}

static size_t connect_len(const struct run *r, const char *arg)
{
	char *end;
	unsigned long v;

	if (*arg >= '0' && *arg <= '9') {
		v = strtoul(arg, &end, 10);
		if (!*end && v <= 100000)
			return v;
	}
	return r->cfg->raw_base + r->connects;
}

static void arm(struct run *r, const struct qlink_at_event *ev)
{
	const struct cfg *c = r->cfg;
	unsigned int mode = c->raw_mode;

	if (mode == 3)
		mode = r->connects & 1 ? RAW_UNTIL : RAW_N;
	r->connects++;
	if (mode == RAW_N) {
		r->raw = RAW_N;
		r->raw_n = connect_len(r, ev->arg);
		r->raw_got = 0;
		if (c->trailer)
			check(qlink_at_parser_expect_raw_trailer(&r->p, r->raw_n, "\r\nOK\r", 5) ==
			      0);
		else
			qlink_at_parser_expect_raw(&r->p, r->raw_n);
		/* a CONNECT line has not ended yet: nothing can have started */
		check(r->raw == RAW_N);
	} else if (mode == RAW_UNTIL) {
		r->raw = RAW_UNTIL;
		r->tail_len = 0;
		/* bad lengths are refused and change nothing */
		check(qlink_at_parser_expect_raw_until(&r->p, "x", 0) == -EINVAL);
		check(qlink_at_parser_expect_raw_until(&r->p, "0123456789abcdefg",
						       QLINK_AT_TERM_MAX + 1) == -EINVAL);
		check(qlink_at_parser_expect_raw_until(&r->p, c->term, c->term_len) == 0);
		check(r->raw == RAW_UNTIL);
	}
	check(!qlink_at_parser_in_raw(&r->p));
}

static void on_event(const struct qlink_at_event *ev, void *user)
{
	struct run *r = user;
	const struct cfg *c = r->cfg;

	switch (ev->type) {
	case QLINK_AT_EV_LINE:
	case QLINK_AT_EV_URC:
	case QLINK_AT_EV_FINAL:
	case QLINK_AT_EV_ECHO:
		check_line(r, ev);
		log_event(r, ev);
		break;
	case QLINK_AT_EV_PROMPT:
		check(r->ctx->prompt);
		check(ev->text && ev->len == 1 && !strcmp(ev->text, ">"));
		check(r->raw == RAW_NONE);
		check(!qlink_at_parser_in_raw(&r->p));
		log_event(r, ev);
		return;
	case QLINK_AT_EV_RAW:
		check(r->raw != RAW_NONE);
		check(ev->text && ev->len > 0);
		check(qlink_at_parser_in_raw(&r->p));
		if (r->raw == RAW_N) {
			r->raw_got += ev->len;
			check(r->raw_got <= r->raw_n);
		} else {
			check_raw_until(r, ev->text, ev->len);
		}
		log_raw(r, ev->text, ev->len);
		return;
	case QLINK_AT_EV_RAW_END:
		check(r->raw != RAW_NONE);
		check(!qlink_at_parser_in_raw(&r->p));
		if (r->raw == RAW_N)
			check(r->raw_got == r->raw_n);
		check(!(ev->flags & ~QLINK_AT_F_BAD_TRAILER));
		if (ev->flags)
			check(c->trailer && r->raw == RAW_N && r->raw_n);
		r->raw = RAW_NONE;
		log_event(r, ev);
		return;
	default:
		check(!"unknown event type");
	}

	if (ev->type != QLINK_AT_EV_FINAL)
		return;
	if (ev->result == QLINK_RESULT_CONNECT) {
		arm(r, ev);
		return;
	}
	if (c->switch_ctx) {
		static const struct qlink_at_ctx idle;

		r->stage = (r->stage + 1) % 3;
		r->ctx = r->stage == 0 ? &c->ctx : r->stage == 1 ? &c->alt : &idle;
		/* NULL is "no command in flight", as a zeroed context */
		qlink_at_parser_set_ctx(&r->p, r->stage == 2 ? NULL : r->ctx);
	}
}

static void run_init(struct run *r, const struct cfg *c)
{
	memset(r, 0, sizeof(*r));
	r->cfg = c;
	r->ctx = &c->ctx;
	qlink_at_parser_init(&r->p, c->urcs, c->n_urcs, on_event, r);
	qlink_at_parser_set_ctx(&r->p, &c->ctx);
}

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* Length of the next piece of @b[@off..@len) under the chosen pattern. */
static size_t next_piece(const struct cfg *c, uint32_t *rng, const uint8_t *b, size_t off,
			 size_t len)
{
	size_t left = len - off, n, i;

	switch (c->split) {
	case 0: /* whole */
		return left;
	case 1: /* byte by byte */
		return 1;
	case 2: /* fixed size */
		n = c->split_size + 1;
		break;
	case 3: /* random sizes, empty feeds included */
		n = xorshift(rng) % (c->split_size + 2);
		break;
	case 4: /* end each piece after a CR or LF */
		for (i = off; i < len; i++)
			if (b[i] == '\r' || b[i] == '\n')
				return i - off + 1;
		return left;
	case 5: /* two pieces */
		n = off ? left : (size_t)c->seed * len / 256 + 1;
		break;
	case 6: /* sizes read from the stream itself */
		n = b[off] % 7 + 1;
		break;
	default: /* 1 to 3 bytes: CR and LF land in separate pieces */
		n = xorshift(rng) % 3 + 1;
		break;
	}
	return n < left ? n : left;
}

static void feed_split(struct run *r, const uint8_t *b, size_t len)
{
	uint32_t rng = 0x9e3779b9u ^ ((uint32_t)r->cfg->seed << 8 | r->cfg->seed);
	size_t off = 0;

	while (off < len) {
		size_t n = next_piece(r->cfg, &rng, b, off, len);
		uint8_t *piece = malloc(n ? n : 1);

		if (!piece)
			abort();
		memcpy(piece, b + off, n);
		qlink_at_parser_feed(&r->p, piece, n);
		free(piece);
		off += n;
	}
}

static void parse_cfg(struct cfg *c, const uint8_t *h)
{
	memset(c, 0, sizeof(*c));
	c->ctx.active = h[0] & 1;
	c->ctx.echo = h[0] & 2 ? "AT+CSQ" : NULL;
	c->ctx.prefixes = h[0] & 4 ? prefixes : NULL;
	c->ctx.async = h[0] & 8 ? "+QFTPCWD:" : NULL;
	c->ctx.prompt = h[0] & 16;
	c->ctx.bare = h[0] & 32;
	c->switch_ctx = h[0] & 64;
	/* as the channel does after OK: only the async result is a response */
	c->alt.active = true;
	c->alt.async = "+QFTPCWD:";
	if (h[0] & 128) {
		c->urcs = own_urcs;
		c->n_urcs = (h[4] >> 2 & 7) % 5;
	}
	c->expand = h[4] & 128;
	c->trailer = h[4] & 32;
	c->split = h[1] & 7;
	c->split_size = h[1] >> 3;
	c->raw_mode = h[2] & 3;
	c->raw_base = h[2] >> 2;
	c->seed = h[3];
	c->term = terms[h[4] & 3];
	c->term_len = strlen(c->term);
}

/*
 * The first EXPAND_MAX 0xff bytes stand for EXPAND copies of the byte
 * before each ('x' first); the stream stays small enough to fuzz fast.
 */
static size_t expand(const uint8_t *b, size_t len, uint8_t **out)
{
	size_t i, k = 0, left = EXPAND_MAX;
	uint8_t *o, prev = 'x';

	o = malloc(len + EXPAND_MAX * EXPAND + 1);
	if (!o)
		abort();
	for (i = 0; i < len; i++) {
		if (b[i] != 0xff || !left) {
			prev = o[k++] = b[i];
			continue;
		}
		memset(o + k, prev, EXPAND);
		k += EXPAND;
		left--;
	}
	/* exactly as long as the stream, so ASan sees a read past its end */
	*out = realloc(o, k ? k : 1);
	if (!*out)
		abort();
	return k;
}

static void dump(const char *what, const struct rec *e)
{
	fprintf(stderr, "  %s: type %d flags %u result %d code %d len %zu arg %zu hash %016llx\n",
		what, e->type, e->flags, e->result, e->code, e->len, e->arg_off,
		(unsigned long long)e->hash);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run whole, split;
	uint8_t *wide = NULL;
	struct cfg c;
	size_t i;

	if (size < HDR_LEN)
		return 0;
	parse_cfg(&c, data);
	data += HDR_LEN;
	size -= HDR_LEN;
	if (c.expand) {
		size = expand(data, size, &wide);
		data = wide;
	}

	run_init(&whole, &c);
	qlink_at_parser_feed(&whole.p, data, size);

	run_init(&split, &c);
	feed_split(&split, data, size);

	for (i = 0; i < whole.n && i < split.n; i++)
		if (memcmp(&whole.log[i], &split.log[i], sizeof(whole.log[i])))
			break;
	if (i < whole.n || i < split.n) {
		fprintf(stderr, "events differ at #%zu (whole %zu events, split %zu)\n", i, whole.n,
			split.n);
		if (i < whole.n)
			dump("whole", &whole.log[i]);
		if (i < split.n)
			dump("split", &split.log[i]);
		__builtin_trap();
	}
	/* the same bytes leave the same state, whatever the pieces */
	check(whole.p.state == split.p.state);
	check(whole.p.len == split.p.len);
	check(whole.p.flags == split.p.flags);
	check(!memcmp(whole.p.line, split.p.line, whole.p.len));
	check(whole.p.raw_left == split.p.raw_left);
	check(whole.p.pend_mode == split.p.pend_mode);
	check(whole.p.term_match == split.p.term_match);
	check(whole.p.trailer_got == split.p.trailer_got);
	check(whole.raw == split.raw && whole.raw_got == split.raw_got);
	check(qlink_at_parser_in_raw(&whole.p) == (whole.raw != RAW_NONE && !whole.p.pend_mode &&
						   whole.p.state != QLINK_AT_ST_TRAILER));

	free(whole.log);
	free(split.log);
	whole.log = split.log = NULL;
	free(wide);
	return 0;
}
