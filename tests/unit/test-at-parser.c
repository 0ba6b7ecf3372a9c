// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * Unit tests for the byte-fed AT response parser (userspace/lib/core/at-parser.c).
 *
 * Every scenario is fed whole, one byte at a time, in random pieces for
 * NSEEDS seeds and, for short inputs, split in two at every position. The
 * events are recorded as text, which must be the same every time and equal
 * to what the test expects. Reactions (arming data mode on CONNECT,
 * changing the context on OK) run from the event callback, driven by a
 * per-scenario script, so they happen at the same point under any split.
 *
 * Each piece is fed from its own exactly-sized heap copy, so a read past
 * the end of a piece shows up under valgrind and ASan.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/at-parser.h"

#define NSEEDS 500
#define EXHAUSTIVE_MAX 4096 /* inputs up to this long: every two-piece split */

/* ------------------------------------------------------------ strings */

struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};

static void sb_reserve(struct sbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;

	if (b->len + n + 1 <= b->cap)
		return;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->s = realloc(b->s, cap);
	assert_non_null(b->s);
	b->cap = cap;
}

static void sb_putn(struct sbuf *b, const void *s, size_t n)
{
	sb_reserve(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3))) sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	sb_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Injective: printable ASCII as is, "\\" "\r" "\n" and "\xHH" otherwise. */
static void sb_escape(struct sbuf *b, const void *buf, size_t n)
{
	const unsigned char *c = buf;
	size_t i;

	for (i = 0; i < n; i++) {
		if (c[i] == '\\')
			sb_puts(b, "\\\\");
		else if (c[i] == '\r')
			sb_puts(b, "\\r");
		else if (c[i] == '\n')
			sb_puts(b, "\\n");
		else if (c[i] >= 0x20 && c[i] < 0x7f)
			sb_putn(b, &c[i], 1);
		else
			sb_printf(b, "\\x%02x", c[i]);
	}
}

/* The string, never NULL; the caller frees it. */
static char *sb_take(struct sbuf *b)
{
	char *s;

	sb_reserve(b, 0);
	b->s[b->len] = '\0';
	s = b->s;
	memset(b, 0, sizeof(*b));
	return s;
}

/* ----------------------------------------------------------- recorder */

enum act {
	ACT_END,	 /* end of the script */
	ACT_RAW,	 /* qlink_at_parser_expect_raw(n) */
	ACT_RAW_UNTIL,	 /* qlink_at_parser_expect_raw_until(term) */
	ACT_RAW_TRAILER, /* qlink_at_parser_expect_raw_trailer(n, term) */
	ACT_CTX,	 /* qlink_at_parser_set_ctx(ctx) */
	ACT_NO_CTX,	 /* qlink_at_parser_set_ctx(NULL) */
};

#define ON_START (-1) /* before the first byte */

/*
 * One step of a scenario's script: when the next event is of type @on
 * (and its text equals @text, if set), do @act. Steps run in order, each
 * once; every step must have run by the end of the input.
 */
struct react {
	int on;
	const char *text;
	enum act act;
	size_t n;
	const char *term;
	size_t term_len;
	const struct qlink_at_ctx *ctx;
};

/* clang-format off: clang-format 14 explodes braced initializers in macros */
#define R_RAW(type, txt, len) \
	{ \
		.on = (type), .text = (txt), .act = ACT_RAW, .n = (len) \
	}
#define R_TRAILER(type, txt, len, t) \
	{ \
		.on = (type), .text = (txt), .act = ACT_RAW_TRAILER, .n = (len), .term = (t), \
		.term_len = sizeof(t) - 1 \
	}
#define R_UNTIL(type, txt, t, tl) \
	{ \
		.on = (type), .text = (txt), .act = ACT_RAW_UNTIL, .term = (t), .term_len = (tl) \
	}
#define R_CTX(type, txt, c) \
	{ \
		.on = (type), .text = (txt), .act = ACT_CTX, .ctx = (c) \
	}
#define R_NO_CTX(type, txt) \
	{ \
		.on = (type), .text = (txt), .act = ACT_NO_CTX \
	}
#define R_END \
	{ \
		.act = ACT_END \
	}
/* clang-format on */

#define EV_LINE QLINK_AT_EV_LINE
#define EV_URC QLINK_AT_EV_URC
#define EV_FINAL QLINK_AT_EV_FINAL
#define EV_ECHO QLINK_AT_EV_ECHO
#define EV_PROMPT QLINK_AT_EV_PROMPT
#define EV_RAW QLINK_AT_EV_RAW
#define EV_RAW_END QLINK_AT_EV_RAW_END

struct scenario {
	const char *in;
	size_t len;
	const struct qlink_at_ctx *ctx; /* NULL: no command in flight */
	const char *const *urcs;	/* NULL: the built-in table */
	size_t n_urcs;
	const struct react *script; /* NULL or ended by R_END */
	const char *expect;
	const void *raw; /* if set: every payload byte, in order */
	size_t raw_len;
};

struct rec {
	struct sbuf out;
	struct sbuf raw;
	bool raw_open;
	struct qlink_at_parser *p;
	const struct react *script;
	size_t next;
};

static const char *const ev_name[] = {
	[QLINK_AT_EV_LINE] = "LINE",	   [QLINK_AT_EV_URC] = "URC",
	[QLINK_AT_EV_FINAL] = "FINAL",	   [QLINK_AT_EV_ECHO] = "ECHO",
	[QLINK_AT_EV_PROMPT] = "PROMPT",   [QLINK_AT_EV_RAW] = "RAW",
	[QLINK_AT_EV_RAW_END] = "RAW_END",
};

static const char *const result_name[] = {
	[QLINK_RESULT_NONE] = "NONE",		[QLINK_RESULT_OK] = "OK",
	[QLINK_RESULT_ERROR] = "ERROR",		[QLINK_RESULT_CME_ERROR] = "CME_ERROR",
	[QLINK_RESULT_CMS_ERROR] = "CMS_ERROR", [QLINK_RESULT_NO_CARRIER] = "NO_CARRIER",
	[QLINK_RESULT_CONNECT] = "CONNECT",	[QLINK_RESULT_BUSY] = "BUSY",
	[QLINK_RESULT_NO_ANSWER] = "NO_ANSWER", [QLINK_RESULT_NO_DIALTONE] = "NO_DIALTONE",
};

static void rec_react(struct rec *r, int type, const char *text)
{
	const struct react *s;

	while (r->script && r->script[r->next].act != ACT_END) {
		s = &r->script[r->next];
		if (s->on != type || (s->text && (!text || strcmp(s->text, text))))
			return;
		r->next++;
		switch (s->act) {
		case ACT_RAW:
			qlink_at_parser_expect_raw(r->p, s->n);
			break;
		case ACT_RAW_UNTIL:
			if (qlink_at_parser_expect_raw_until(r->p, s->term, s->term_len))
				sb_puts(&r->out, "!expect_raw_until failed\n");
			break;
		case ACT_RAW_TRAILER:
			if (qlink_at_parser_expect_raw_trailer(r->p, s->n, s->term, s->term_len))
				sb_puts(&r->out, "!expect_raw_trailer failed\n");
			break;
		case ACT_CTX:
			qlink_at_parser_set_ctx(r->p, s->ctx);
			break;
		case ACT_NO_CTX:
			qlink_at_parser_set_ctx(r->p, NULL);
			break;
		case ACT_END:
			break;
		}
	}
}

static void rec_close_raw(struct rec *r)
{
	if (r->raw_open) {
		sb_puts(&r->out, "]\n");
		r->raw_open = false;
	}
}

static void rec_line(struct sbuf *o, const struct qlink_at_event *ev)
{
	sb_printf(o, "%s[", ev_name[ev->type]);
	if (!ev->text) {
		sb_puts(o, "!text=NULL]");
		return;
	}
	sb_escape(o, ev->text, ev->len);
	sb_puts(o, "]");
	if (strlen(ev->text) != ev->len)
		sb_printf(o, " !len=%zu", ev->len);
	if (ev->type == QLINK_AT_EV_FINAL) {
		if ((unsigned int)ev->result <= QLINK_RESULT_NO_DIALTONE)
			sb_printf(o, " %s", result_name[ev->result]);
		else
			sb_printf(o, " !result=%d", (int)ev->result);
	} else if (ev->result != QLINK_RESULT_NONE) {
		sb_printf(o, " !result=%d", (int)ev->result);
	}
}

/*
 * Canonical form: "TYPE[text]" (FINAL adds the result name), then
 * " code=N" if not -1, " arg=[...]" if not empty, " TRUNC", " NUL", " BAD_TRAILER", and
 * "!..." for anything the contract rules out. Consecutive RAW pieces make
 * one "RAW[...]" record whatever their sizes.
 */
static void rec_cb(const struct qlink_at_event *ev, void *user)
{
	struct rec *r = user;
	struct sbuf *o = &r->out;

	if (ev->type == QLINK_AT_EV_RAW) {
		if (!r->raw_open) {
			sb_puts(o, "RAW[");
			r->raw_open = true;
		}
		if (!ev->len || !ev->text) {
			sb_puts(o, "!empty piece");
		} else {
			sb_escape(o, ev->text, ev->len);
			sb_putn(&r->raw, ev->text, ev->len);
		}
		if (!qlink_at_parser_in_raw(r->p))
			sb_puts(o, "!not in_raw");
		rec_react(r, ev->type, NULL);
		return;
	}
	rec_close_raw(r);
	switch (ev->type) {
	case QLINK_AT_EV_RAW_END:
		sb_puts(o, "RAW_END");
		if (qlink_at_parser_in_raw(r->p))
			sb_puts(o, " !in_raw");
		break;
	case QLINK_AT_EV_PROMPT:
		sb_puts(o, "PROMPT");
		if (ev->len != 1 || !ev->text || ev->text[0] != '>')
			sb_puts(o, " !text");
		break;
	case QLINK_AT_EV_LINE:
	case QLINK_AT_EV_URC:
	case QLINK_AT_EV_FINAL:
	case QLINK_AT_EV_ECHO:
		rec_line(o, ev);
		break;
	default:
		sb_printf(o, "!type=%d", (int)ev->type);
		break;
	}
	if (ev->code != -1)
		sb_printf(o, " code=%d", ev->code);
	if (!ev->arg) {
		sb_puts(o, " !arg=NULL");
	} else if (*ev->arg) {
		sb_puts(o, " arg=[");
		sb_escape(o, ev->arg, strlen(ev->arg));
		sb_puts(o, "]");
	}
	if (ev->flags & QLINK_AT_F_TRUNCATED)
		sb_puts(o, " TRUNC");
	if (ev->flags & QLINK_AT_F_NUL)
		sb_puts(o, " NUL");
	if (ev->flags & QLINK_AT_F_BAD_TRAILER)
		sb_puts(o, " BAD_TRAILER");
	if (ev->flags & ~(QLINK_AT_F_TRUNCATED | QLINK_AT_F_NUL | QLINK_AT_F_BAD_TRAILER))
		sb_printf(o, " !flags=%#x", ev->flags);
	sb_puts(o, "\n");
	rec_react(r, ev->type, ev->text);
}

/* ------------------------------------------------------------ feeding */

enum split {
	SPLIT_WHOLE,
	SPLIT_BYTES,
	SPLIT_RANDOM, /* arg: seed */
	SPLIT_AT,     /* arg: the first piece's length */
};

static const char *const split_name[] = { "whole", "bytes", "random seed", "two pieces at" };

static uint32_t rng_next(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* Mostly small pieces, some medium, now and then the rest at once. */
static size_t rng_piece(uint32_t *s, size_t left)
{
	uint32_t r = rng_next(s);
	size_t max;

	switch (r & 7) {
	case 0:
	case 1:
	case 2:
	case 3:
		max = 4;
		break;
	case 4:
	case 5:
		max = 32;
		break;
	case 6:
		max = 256;
		break;
	default:
		max = left;
		break;
	}
	if (max > left)
		max = left;
	return 1 + rng_next(s) % max;
}

static void feed_copy(struct qlink_at_parser *p, const void *buf, size_t n)
{
	void *copy = malloc(n);

	assert_non_null(copy);
	memcpy(copy, buf, n);
	qlink_at_parser_feed(p, copy, n);
	free(copy);
}

static char *run_one(const struct scenario *sc, enum split mode, unsigned int arg)
{
	struct qlink_at_parser *p = malloc(sizeof(*p));
	struct rec r = { .p = p, .script = sc->script };
	const unsigned char *in = (const unsigned char *)sc->in;
	uint32_t rng = arg * 0x9e3779b9u + 0x6d2b79f5u;
	size_t off = 0, n;

	assert_non_null(p);
	if (!rng)
		rng = 1;
	qlink_at_parser_init(p, sc->urcs, sc->n_urcs, rec_cb, &r);
	if (sc->ctx)
		qlink_at_parser_set_ctx(p, sc->ctx);
	rec_react(&r, ON_START, NULL);
	while (off < sc->len) {
		switch (mode) {
		case SPLIT_WHOLE:
			n = sc->len;
			break;
		case SPLIT_BYTES:
			n = 1;
			break;
		case SPLIT_AT:
			n = off < arg ? arg - off : sc->len - off;
			break;
		default:
			n = rng_piece(&rng, sc->len - off);
			break;
		}
		if (n > sc->len - off)
			n = sc->len - off;
		feed_copy(p, in + off, n);
		off += n;
	}
	rec_close_raw(&r);
	if (r.script && r.script[r.next].act != ACT_END)
		sb_printf(&r.out, "!script step %zu never ran\n", r.next);
	if (sc->raw &&
	    (r.raw.len != sc->raw_len || (sc->raw_len && memcmp(r.raw.s, sc->raw, sc->raw_len))))
		sb_printf(&r.out, "!payload differs (%zu bytes, want %zu)\n", r.raw.len,
			  sc->raw_len);
	free(r.raw.s);
	free(p);
	return sb_take(&r.out);
}

static void expect_run(const struct scenario *sc, enum split mode, unsigned int arg)
{
	char *got = run_one(sc, mode, arg);

	if (strcmp(got, sc->expect))
		print_error("feeding %s %u gave other events:\n", split_name[mode], arg);
	assert_string_equal(got, sc->expect);
	free(got);
}

/* Whole, byte by byte, NSEEDS random splits, every two-piece split. */
static void check(const struct scenario *sc)
{
	unsigned int i;

	expect_run(sc, SPLIT_WHOLE, 0);
	expect_run(sc, SPLIT_BYTES, 0);
	for (i = 1; i <= NSEEDS; i++)
		expect_run(sc, SPLIT_RANDOM, i);
	if (sc->len <= EXHAUSTIVE_MAX)
		for (i = 1; i < sc->len; i++)
			expect_run(sc, SPLIT_AT, i);
}

#define IN(s) .in = (s), .len = sizeof(s) - 1

static void check_str(const char *in, size_t len, const struct qlink_at_ctx *ctx,
		      const struct react *script, const char *expect)
{
	struct scenario sc = {
		.in = in,
		.len = len,
		.ctx = ctx,
		.script = script,
		.expect = expect,
	};

	check(&sc);
}

#define CHECK(in, ctx, script, expect) check_str((in), sizeof(in) - 1, (ctx), (script), (expect))

/* ----------------------------------------------------------- contexts */

static const char *const pfx_csq[] = { "+CSQ:", NULL };
static const char *const pfx_cpin[] = { "+CPIN:", NULL };
static const char *const pfx_qftpcfg[] = { "+QFTPCFG:", NULL };
static const char *const pfx_qftpstat[] = { "+QFTPSTAT:", NULL };
static const char *const pfx_qflst[] = { "+QFLST:", NULL };
static const char *const pfx_qftpget[] = { "+QFTPGET:", NULL };
static const char *const pfx_qftplist[] = { "+QFTPLIST:", NULL };
static const char *const pfx_qfotadl[] = { "+QFOTADL:", NULL };
static const char *const pfx_cmgs[] = { "+CMGS:", NULL };

/* A command with no prefix of its own: ATI, AT+GSN, AT&W. */
static const struct qlink_at_ctx ctx_bare = { .active = true, .bare = true };

static const struct qlink_at_ctx ctx_csq = {
	.active = true,
	.prefixes = pfx_csq,
	.bare = true,
};

static const struct qlink_at_ctx ctx_csq_echo = {
	.active = true,
	.echo = "AT+CSQ",
	.prefixes = pfx_csq,
	.bare = true,
};

static const struct qlink_at_ctx ctx_ati_echo = {
	.active = true,
	.echo = "ATI",
	.bare = true,
};

static const struct qlink_at_ctx ctx_cpin = {
	.active = true,
	.prefixes = pfx_cpin,
	.bare = true,
};

static const struct qlink_at_ctx ctx_qftpcfg = {
	.active = true,
	.prefixes = pfx_qftpcfg,
	.bare = true,
};

static const struct qlink_at_ctx ctx_qftpstat = {
	.active = true,
	.prefixes = pfx_qftpstat,
	.bare = true,
};

static const struct qlink_at_ctx ctx_qftpstat_async = {
	.active = true,
	.async = "+QFTPSTAT:",
	.bare = true,
};

static const struct qlink_at_ctx ctx_qflst = {
	.active = true,
	.prefixes = pfx_qflst,
	.bare = true,
};

/* Until OK: async result prefix armed, bare lines are responses. */
static const struct qlink_at_ctx ctx_cwd = {
	.active = true,
	.async = "+QFTPCWD:",
	.bare = true,
};

/* After OK, only the async result is awaited. */
static const struct qlink_at_ctx ctx_cwd_wait = {
	.active = true,
	.async = "+QFTPCWD:",
};

static const struct qlink_at_ctx ctx_pwd = {
	.active = true,
	.async = "+QFTPPWD:",
	.bare = true,
};

static const struct qlink_at_ctx ctx_pwd_wait = {
	.active = true,
	.async = "+QFTPPWD:",
};

static const struct qlink_at_ctx ctx_size = {
	.active = true,
	.async = "+QFTPSIZE:",
	.bare = true,
};

static const struct qlink_at_ctx ctx_size_wait = {
	.active = true,
	.async = "+QFTPSIZE:",
};

static const struct qlink_at_ctx ctx_get = {
	.active = true,
	.prefixes = pfx_qftpget,
	.async = "+QFTPGET:",
	.bare = true,
};

static const struct qlink_at_ctx ctx_get_echo = {
	.active = true,
	.echo = "AT+QFTPGET=\"test.txt\",\"COM:\",0",
	.prefixes = pfx_qftpget,
	.async = "+QFTPGET:",
	.bare = true,
};

static const struct qlink_at_ctx ctx_get_wait = {
	.active = true,
	.async = "+QFTPGET:",
};

static const struct qlink_at_ctx ctx_list = {
	.active = true,
	.prefixes = pfx_qftplist,
	.bare = true,
};

static const struct qlink_at_ctx ctx_fotadl = {
	.active = true,
	.prefixes = pfx_qfotadl,
	.bare = true,
};

static const struct qlink_at_ctx ctx_cmgs = {
	.active = true,
	.echo = "AT+CMGS=\"10086\"",
	.prefixes = pfx_cmgs,
	.prompt = true,
	.bare = true,
};

static const struct qlink_at_ctx ctx_cmgs_noprompt = {
	.active = true,
	.prefixes = pfx_cmgs,
	.bare = true,
};

/* Every field set but not active: nothing is a response. */
static const struct qlink_at_ctx ctx_inactive = {
	.active = false,
	.echo = "AT+CSQ",
	.prefixes = pfx_csq,
	.async = "+CSQ:",
	.bare = true,
};

/* -------------------------------------------------- final result codes */

static void test_final_ok_error(void **state)
{
	CHECK("\r\nOK\r\n", &ctx_bare, NULL, "FINAL[OK] OK\n");
	CHECK("\r\nERROR\r\n", &ctx_bare, NULL, "FINAL[ERROR] ERROR\n");
	/* a final result is one whether or not a command is in flight */
	CHECK("\r\nOK\r\n\r\nERROR\r\n", NULL, NULL, "FINAL[OK] OK\nFINAL[ERROR] ERROR\n");
	/* not finals */
	CHECK("\r\nOKAY\r\n\r\nERRORS\r\nok\r\n", &ctx_bare, NULL,
	      "LINE[OKAY]\nLINE[ERRORS]\nLINE[ok]\n");
}

static void test_final_cme_cms(void **state)
{
	CHECK("\r\n+CME ERROR: 10\r\n", &ctx_cpin, NULL,
	      "FINAL[+CME ERROR: 10] CME_ERROR code=10 arg=[10]\n");
	/* AT+CMEE=2 */
	CHECK("\r\n+CME ERROR: SIM not inserted\r\n", &ctx_cpin, NULL,
	      "FINAL[+CME ERROR: SIM not inserted] CME_ERROR arg=[SIM not inserted]\n");
	/* FTP errors are +CME ERROR too (manual chapter 5) */
	CHECK("\r\n+CME ERROR: 601\r\n", &ctx_cwd, NULL,
	      "FINAL[+CME ERROR: 601] CME_ERROR code=601 arg=[601]\n");
	CHECK("\r\n+CMS ERROR: 500\r\n", &ctx_cmgs, NULL,
	      "FINAL[+CMS ERROR: 500] CMS_ERROR code=500 arg=[500]\n");
	CHECK("\r\n+CMS ERROR: unknown error\r\n", NULL, NULL,
	      "FINAL[+CMS ERROR: unknown error] CMS_ERROR arg=[unknown error]\n");
}

static void test_final_no_carrier_busy(void **state)
{
	CHECK("\r\nNO CARRIER\r\n", &ctx_bare, NULL, "FINAL[NO CARRIER] NO_CARRIER\n");
	CHECK("\r\nBUSY\r\n\r\nNO ANSWER\r\n\r\nNO DIALTONE\r\n", &ctx_bare, NULL,
	      "FINAL[BUSY] BUSY\nFINAL[NO ANSWER] NO_ANSWER\nFINAL[NO DIALTONE] NO_DIALTONE\n");
	CHECK("\r\nNO CARRIERS\r\n", &ctx_bare, NULL, "LINE[NO CARRIERS]\n");
}

/* CONNECT with no data phase armed: the lines after it stay lines. */
static void test_final_connect(void **state)
{
	CHECK("\r\nCONNECT\r\n\r\nOK\r\n", &ctx_bare, NULL,
	      "FINAL[CONNECT] CONNECT\nFINAL[OK] OK\n");
	CHECK("\r\nCONNECT 115200\r\n", &ctx_bare, NULL,
	      "FINAL[CONNECT 115200] CONNECT arg=[115200]\n");
	CHECK("\r\nCONNECTED\r\n", &ctx_bare, NULL, "LINE[CONNECTED]\n");
}

/* ------------------------------------------------ shapes of the manuals */

static void test_ati_bare_lines(void **state)
{
	CHECK("\r\nQuectel\r\nEC200T\r\nRevision: EC200TCNDAR02A07M16\r\n\r\nOK\r\n", &ctx_bare,
	      NULL,
	      "LINE[Quectel]\n"
	      "LINE[EC200T]\n"
	      "LINE[Revision: EC200TCNDAR02A07M16]\n"
	      "FINAL[OK] OK\n");
}

static void test_ati_echo(void **state)
{
	CHECK("ATI\r\r\nQuectel\r\nEC200T\r\nRevision: EC200TCNDAR02A07M16\r\n\r\nOK\r\n",
	      &ctx_ati_echo, NULL,
	      "ECHO[ATI]\n"
	      "LINE[Quectel]\n"
	      "LINE[EC200T]\n"
	      "LINE[Revision: EC200TCNDAR02A07M16]\n"
	      "FINAL[OK] OK\n");
}

static void test_qftpcfg_test_multiline(void **state)
{
	CHECK("\r\n+QFTPCFG: \"account\",<username>,<password>\r\n"
	      "+QFTPCFG: \"filetype\",(0,1)\r\n"
	      "+QFTPCFG: \"transmode\",(0,1)\r\n"
	      "+QFTPCFG: \"contextid\",(1-7)\r\n"
	      "+QFTPCFG: \"rsptimeout\",(20-180)\r\n"
	      "+QFTPCFG: \"ssltype\",(0-2)\r\n"
	      "+QFTPCFG: \"SSL_ctxID\",(0-5)\r\n"
	      "+QFTPCFG: \"data_address\",(0,1),(0-65535)\r\n"
	      "+QFTPCFG: \"cache\",(0,1)\r\n"
	      "\r\nOK\r\n",
	      &ctx_qftpcfg, NULL,
	      "LINE[+QFTPCFG: \"account\",<username>,<password>]\n"
	      "LINE[+QFTPCFG: \"filetype\",(0,1)]\n"
	      "LINE[+QFTPCFG: \"transmode\",(0,1)]\n"
	      "LINE[+QFTPCFG: \"contextid\",(1-7)]\n"
	      "LINE[+QFTPCFG: \"rsptimeout\",(20-180)]\n"
	      "LINE[+QFTPCFG: \"ssltype\",(0-2)]\n"
	      "LINE[+QFTPCFG: \"SSL_ctxID\",(0-5)]\n"
	      "LINE[+QFTPCFG: \"data_address\",(0,1),(0-65535)]\n"
	      "LINE[+QFTPCFG: \"cache\",(0,1)]\n"
	      "FINAL[OK] OK\n");
}

static const struct react script_pwd[] = {
	R_CTX(EV_FINAL, "OK", &ctx_pwd_wait),
	R_END,
};

static void test_qftppwd_variants(void **state)
{
	CHECK("\r\nOK\r\n\r\n+QFTPPWD: 0,/\r\n", &ctx_pwd, script_pwd,
	      "FINAL[OK] OK\nLINE[+QFTPPWD: 0,/]\n");
	CHECK("\r\nOK\r\n\r\n+QFTPPWD: 0,\"/\"\r\n", &ctx_pwd, script_pwd,
	      "FINAL[OK] OK\nLINE[+QFTPPWD: 0,\"/\"]\n");
	CHECK("\r\nOK\r\n\r\n+QFTPPWD: 0,\"/home/test dir/\"\r\n", &ctx_pwd, script_pwd,
	      "FINAL[OK] OK\nLINE[+QFTPPWD: 0,\"/home/test dir/\"]\n");
	/* a failure: <err>,<protocol_error> */
	CHECK("\r\nOK\r\n\r\n+QFTPPWD: 627,550\r\n", &ctx_pwd, script_pwd,
	      "FINAL[OK] OK\nLINE[+QFTPPWD: 627,550]\n");
	/* with no command in flight the same line is a URC */
	CHECK("\r\n+QFTPPWD: 0,/\r\n", NULL, NULL, "URC[+QFTPPWD: 0,/]\n");
}

static const struct react script_size[] = {
	R_CTX(EV_FINAL, "OK", &ctx_size_wait),
	R_END,
};

static void test_qftpsize_no_space(void **state)
{
	CHECK("\r\nOK\r\n\r\n+QFTPSIZE:0, 1000\r\n", &ctx_size, script_size,
	      "FINAL[OK] OK\nLINE[+QFTPSIZE:0, 1000]\n");
	CHECK("\r\nOK\r\n\r\n+QFTPSIZE: 0,1000\r\n", &ctx_size, script_size,
	      "FINAL[OK] OK\nLINE[+QFTPSIZE: 0,1000]\n");
}

static void test_qflst_quoted_unquoted(void **state)
{
	CHECK("\r\n+QFLST: \"RAM:test1.txt\",1000\r\n+QFLST: RAM:test.txt,1000\r\n\r\nOK\r\n",
	      &ctx_qflst, NULL,
	      "LINE[+QFLST: \"RAM:test1.txt\",1000]\n"
	      "LINE[+QFLST: RAM:test.txt,1000]\n"
	      "FINAL[OK] OK\n");
	/* not the command in flight's prefix: URC */
	CHECK("\r\n+QFLST: RAM:test.txt,1000\r\n\r\nOK\r\n", &ctx_csq, NULL,
	      "URC[+QFLST: RAM:test.txt,1000]\nFINAL[OK] OK\n");
}

static void test_qftpstat_before_ok(void **state)
{
	CHECK("\r\n+QFTPSTAT: 0,1\r\n\r\nOK\r\n", &ctx_qftpstat, NULL,
	      "LINE[+QFTPSTAT: 0,1]\nFINAL[OK] OK\n");
	/* an async result arriving before OK is taken all the same */
	CHECK("\r\n+QFTPSTAT: 0,1\r\n\r\nOK\r\n", &ctx_qftpstat_async, NULL,
	      "LINE[+QFTPSTAT: 0,1]\nFINAL[OK] OK\n");
}

static const struct react script_cwd[] = {
	R_CTX(EV_FINAL, "OK", &ctx_cwd_wait),
	R_NO_CTX(EV_LINE, "+QFTPCWD: 0,0"),
	R_END,
};

static const struct react script_cwd_ok[] = {
	R_CTX(EV_FINAL, "OK", &ctx_cwd_wait),
	R_END,
};

static void test_async_after_ok(void **state)
{
	/*
	 * After OK only the async result is a response: a bare line that is
	 * not a known URC, a '+' line of another command and a known URC are
	 * all URCs. Once the result came, the context is cleared.
	 */
	CHECK("\r\nOK\r\n"
	      "\r\nQuectel\r\n"
	      "\r\n+QIND: \"FOTA\",\"DOWNLOADING\",1\r\n"
	      "\r\nRDY\r\n"
	      "\r\n+QFTPCWD: 0,0\r\n"
	      "\r\nEC200T\r\n",
	      &ctx_cwd, script_cwd,
	      "FINAL[OK] OK\n"
	      "URC[Quectel]\n"
	      "URC[+QIND: \"FOTA\",\"DOWNLOADING\",1]\n"
	      "URC[RDY]\n"
	      "LINE[+QFTPCWD: 0,0]\n"
	      "URC[EC200T]\n");
	/* while bare is still true, the same bare line is a response */
	CHECK("\r\nQuectel\r\n\r\nOK\r\n\r\nQuectel\r\n", &ctx_cwd, script_cwd_ok,
	      "LINE[Quectel]\nFINAL[OK] OK\nURC[Quectel]\n");
}

#define FOTA_FTP_IN \
	"\r\n+QIND: \"FOTA\",\"FTPSTART\"\r\n" \
	"\r\n+QIND: \"FOTA\",\"DOWNLOADING\",1\r\n" \
	"\r\n+QIND: \"FOTA\",\"DOWNLOADING\",2\r\n" \
	"\r\n+QIND: \"FOTA\",\" DOWNLOADING\",50\r\n" \
	"\r\n+QIND: \"FOTA\",\"FTPEND\",0\r\n" \
	"\r\n+QIND: \"FOTA\",\"START\"\r\n" \
	"\r\n+QIND: \"FOTA\",\"UPDATING\",1\r\n" \
	"\r\n+QIND: \"FOTA\",\"UPDATING\",100\r\n" \
	"\r\n+QIND: \"FOTA\",\"END\",0\r\n" \
	"\r\nRDY\r\n"

#define FOTA_FTP_EV \
	"URC[+QIND: \"FOTA\",\"FTPSTART\"]\n" \
	"URC[+QIND: \"FOTA\",\"DOWNLOADING\",1]\n" \
	"URC[+QIND: \"FOTA\",\"DOWNLOADING\",2]\n" \
	"URC[+QIND: \"FOTA\",\" DOWNLOADING\",50]\n" \
	"URC[+QIND: \"FOTA\",\"FTPEND\",0]\n" \
	"URC[+QIND: \"FOTA\",\"START\"]\n" \
	"URC[+QIND: \"FOTA\",\"UPDATING\",1]\n" \
	"URC[+QIND: \"FOTA\",\"UPDATING\",100]\n" \
	"URC[+QIND: \"FOTA\",\"END\",0]\n" \
	"URC[RDY]\n"

static const struct react script_fotadl[] = {
	R_NO_CTX(EV_FINAL, "OK"),
	R_END,
};

static void test_fota_urcs(void **state)
{
	/* AT+QFOTADL="FTP://...",1,50: OK, then the progress URCs */
	CHECK("\r\nOK\r\n" FOTA_FTP_IN, &ctx_fotadl, script_fotadl, "FINAL[OK] OK\n" FOTA_FTP_EV);
	/* a module that boots into an unfinished FOTA: URCs before anything */
	CHECK(FOTA_FTP_IN, NULL, NULL, FOTA_FTP_EV);
	/* HTTP and FILE sources; the first URC before the OK */
	CHECK("\r\n+QIND: \"FOTA\",\"HTTPSTART\"\r\n\r\nOK\r\n"
	      "\r\n+QIND: \"FOTA\",\"HTTPEND\",0\r\n"
	      "\r\n+QIND: \"FOTA\",\"FILESTART\"\r\n\r\n+QIND: \"FOTA\",\"FILEEND\",0\r\n",
	      &ctx_fotadl, script_fotadl,
	      "URC[+QIND: \"FOTA\",\"HTTPSTART\"]\n"
	      "FINAL[OK] OK\n"
	      "URC[+QIND: \"FOTA\",\"HTTPEND\",0]\n"
	      "URC[+QIND: \"FOTA\",\"FILESTART\"]\n"
	      "URC[+QIND: \"FOTA\",\"FILEEND\",0]\n");
	/* progress while another command runs */
	CHECK("\r\n+QIND: \"FOTA\",\"UPDATING\",50\r\n\r\n+CSQ: 23,99\r\n"
	      "\r\n+QIND: \"FOTA\",\" DOWNLOADING\",50\r\n\r\nOK\r\n",
	      &ctx_csq, NULL,
	      "URC[+QIND: \"FOTA\",\"UPDATING\",50]\n"
	      "LINE[+CSQ: 23,99]\n"
	      "URC[+QIND: \"FOTA\",\" DOWNLOADING\",50]\n"
	      "FINAL[OK] OK\n");
}

/* AT+QFOTADL="FILE:<len>",2 answers a bare 010003 and no OK. */
static void test_fota_file2_bare_answer(void **state)
{
	CHECK("\r\n010003\r\n", &ctx_fotadl, NULL, "LINE[010003]\n");
	CHECK("\r\n010003\r\n", NULL, NULL, "URC[010003]\n");
}

/* ---------------------------------------------------- URCs interleaved */

static const struct react script_ati_then_idle[] = {
	R_NO_CTX(EV_FINAL, "OK"),
	R_END,
};

static void test_urcs_interleaved_ati(void **state)
{
	CHECK("\r\n+QIND: \"FOTA\",\"END\",0\r\n"
	      "\r\nQuectel\r\n"
	      "\r\nRDY\r\n"
	      "EC200T\r\n"
	      "\r\n+QIND: \"FOTA\",\"UPDATING\",100\r\n"
	      "+CPIN: READY\r\n"
	      "Revision: EC200TCNDAR02A07M16\r\n"
	      "\r\nPOWERED DOWN\r\n"
	      "\r\nOK\r\n"
	      "\r\n+CPIN: READY\r\n"
	      "\r\nRDY\r\n"
	      "\r\nEC200T\r\n",
	      &ctx_bare, script_ati_then_idle,
	      "URC[+QIND: \"FOTA\",\"END\",0]\n"
	      "LINE[Quectel]\n"
	      "URC[RDY]\n"
	      "LINE[EC200T]\n"
	      "URC[+QIND: \"FOTA\",\"UPDATING\",100]\n"
	      "URC[+CPIN: READY]\n"
	      "LINE[Revision: EC200TCNDAR02A07M16]\n"
	      "URC[POWERED DOWN]\n"
	      "FINAL[OK] OK\n"
	      "URC[+CPIN: READY]\n"
	      "URC[RDY]\n"
	      "URC[EC200T]\n");
}

static void test_cpin_line_or_urc(void **state)
{
	CHECK("\r\n+CPIN: READY\r\n\r\nOK\r\n", &ctx_cpin, NULL,
	      "LINE[+CPIN: READY]\nFINAL[OK] OK\n");
	CHECK("\r\n+CPIN: READY\r\n\r\n+CSQ: 23,99\r\n\r\nOK\r\n", &ctx_csq, NULL,
	      "URC[+CPIN: READY]\nLINE[+CSQ: 23,99]\nFINAL[OK] OK\n");
	CHECK("\r\n+CPIN: READY\r\n", NULL, NULL, "URC[+CPIN: READY]\n");
	/* a prefix is matched from the line's start, not anywhere in it */
	CHECK("\r\n+QCPIN: READY\r\n", &ctx_cpin, NULL, "URC[+QCPIN: READY]\n");
}

static void test_echo(void **state)
{
	CHECK("AT+CSQ\r\r\n+CSQ: 1,2\r\n\r\nOK\r\n", &ctx_csq_echo, NULL,
	      "ECHO[AT+CSQ]\nLINE[+CSQ: 1,2]\nFINAL[OK] OK\n");
	/* without the echo described, the same bare line is a response */
	CHECK("AT+CSQ\r\r\n+CSQ: 1,2\r\n\r\nOK\r\n", &ctx_csq, NULL,
	      "LINE[AT+CSQ]\nLINE[+CSQ: 1,2]\nFINAL[OK] OK\n");
	/* an echo is the whole line, not a prefix of it */
	CHECK("AT+CSQ?\r\r\nOK\r\n", &ctx_csq_echo, NULL, "LINE[AT+CSQ?]\nFINAL[OK] OK\n");
}

/* ------------------------------------------------------- line framing */

static void test_empty_lines_stray_cr_lf(void **state)
{
	/* empty lines, CR CR LF, LF LF, a lone CR ending OK */
	CHECK("\r\n\r\n\n\r\r\n+CSQ: 23,99\r\r\r\n\n\nOK\r", &ctx_csq, NULL,
	      "LINE[+CSQ: 23,99]\nFINAL[OK] OK\n");
	/* LF-only line ends */
	CHECK("+CSQ: 23,99\nOK\n", &ctx_csq, NULL, "LINE[+CSQ: 23,99]\nFINAL[OK] OK\n");
	/* LF CR */
	CHECK("\n\r+CSQ: 23,99\n\rOK\n\r", &ctx_csq, NULL, "LINE[+CSQ: 23,99]\nFINAL[OK] OK\n");
	/* a CR inside a line ends it */
	CHECK("\r\n+CSQ: 23\r,99\r\n\r\nOK\r\n", &ctx_csq, NULL,
	      "LINE[+CSQ: 23]\nLINE[,99]\nFINAL[OK] OK\n");
	/* nothing but line ends */
	CHECK("\r\n\r\r\n\n\n\r\r\r", &ctx_csq, NULL, "");
	/* spaces are text */
	CHECK("\r\n \r\n", &ctx_bare, NULL, "LINE[ ]\n");
}

static void test_nul_bytes(void **state)
{
	static const char in[] = "\r\n+CSQ: 2\0"
				 "3,99\0\r\n\r\nO\0K\r\n\r\n\0\0\r\n\r\nOK\r\n";

	CHECK(in, &ctx_csq, NULL,
	      "LINE[+CSQ: 23,99] NUL\n"
	      "FINAL[OK] OK NUL\n"
	      "FINAL[OK] OK\n");
	/* the flag belongs to its line only */
	CHECK("\0\r\n+CSQ: 1,2\r\n", &ctx_csq, NULL, "LINE[+CSQ: 1,2]\n");
}

static void build_repeat(struct sbuf *b, const char *head, char c, size_t n)
{
	sb_puts(b, head);
	while (n--)
		sb_putn(b, &c, 1);
}

static void check_long_line(const struct qlink_at_ctx *ctx, const char *type, size_t body)
{
	const char *head = "+QFTPPWD: 0,/";
	size_t hl = strlen(head), keep = QLINK_AT_LINE_MAX - 1;
	struct sbuf in = { 0 }, line = { 0 }, want = { 0 };
	struct scenario sc = { .ctx = ctx };

	build_repeat(&line, head, 'a', body);
	sb_puts(&in, "\r\n");
	sb_putn(&in, line.s, line.len);
	sb_puts(&in, "\r\n\r\nOK\r\n");
	sb_printf(&want, "%s[", type);
	sb_putn(&want, line.s, line.len < keep ? line.len : keep);
	sb_printf(&want, "]%s\nFINAL[OK] OK\n", hl + body > keep ? " TRUNC" : "");
	sc.in = in.s;
	sc.len = in.len;
	sc.expect = want.s;
	check(&sc);
	free(in.s);
	free(line.s);
	free(want.s);
}

static const char *const pfx_qftppwd[] = { "+QFTPPWD:", NULL };

static const struct qlink_at_ctx ctx_pwd_now = {
	.active = true,
	.prefixes = pfx_qftppwd,
	.bare = true,
};

static void test_long_line_truncated(void **state)
{
	size_t hl = strlen("+QFTPPWD: 0,/");

	/* fits exactly */
	check_long_line(&ctx_pwd_now, "LINE", QLINK_AT_LINE_MAX - 1 - hl);
	/* one byte too many, then far too many */
	check_long_line(&ctx_pwd_now, "LINE", QLINK_AT_LINE_MAX - hl);
	check_long_line(&ctx_pwd_now, "LINE", 3 * QLINK_AT_LINE_MAX + 17);
	check_long_line(NULL, "URC", 2 * QLINK_AT_LINE_MAX);
}

static void check_garbage(const struct qlink_at_ctx *ctx, const char *type)
{
	const size_t n = 100 * 1024;
	struct sbuf in = { 0 }, want = { 0 };
	struct scenario sc = { .ctx = ctx };
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = i % 3 == 2 ? 0xff : 0x55;

		sb_putn(&in, &c, 1);
	}
	sb_puts(&in, "\r\nOK\r\n");
	sb_printf(&want, "%s[", type);
	sb_escape(&want, in.s, QLINK_AT_LINE_MAX - 1);
	sb_puts(&want, "] TRUNC\nFINAL[OK] OK\n");
	sc.in = in.s;
	sc.len = in.len;
	sc.expect = want.s;
	check(&sc);
	free(in.s);
	free(want.s);
}

/* 100 KB of a baud mismatch: no CR, no LF, no NUL, then a proper OK. */
static void test_garbage_no_newline(void **state)
{
	check_garbage(&ctx_bare, "LINE");
	check_garbage(NULL, "URC");
}

/* ---------------------------------------------------------- data mode */

/* Binary payload with everything a line parser could mistake for lines. */
static void build_payload(struct sbuf *b)
{
	static const char head[] = "\n\r\nOK\r\n+QIND: \"FOTA\",\"END\",0\r\nNO CARRIER\r\n"
				   "\0\0AT\0\r\n> \r\r\nCONNECT\r\n+CME ERROR: 10\r\nRDY\n";
	unsigned int i;

	sb_putn(b, head, sizeof(head) - 1);
	for (i = 0; i < 256; i++) {
		unsigned char c = (unsigned char)i;

		sb_putn(b, &c, 1);
	}
	sb_puts(b, "\r\nOK\r");
}

static void test_data_mode_raw_n(void **state)
{
	struct sbuf payload = { 0 }, in = { 0 }, want = { 0 };
	struct scenario sc = { .ctx = &ctx_get_echo };
	struct react script[] = {
		R_RAW(EV_FINAL, "CONNECT", 0),
		R_CTX(EV_FINAL, "OK", &ctx_get_wait),
		R_NO_CTX(EV_LINE, NULL),
		R_END,
	};

	build_payload(&payload);
	script[0].n = payload.len;
	sb_puts(&in, "AT+QFTPGET=\"test.txt\",\"COM:\",0\r\r\nCONNECT\r\n");
	sb_putn(&in, payload.s, payload.len);
	sb_printf(&in, "\r\nOK\r\n\r\n+QFTPGET: 0,%zu\r\n", payload.len);
	sb_puts(&in, "\r\n+QIND: \"FOTA\",\"END\",0\r\n\r\nQuectel\r\n");

	sb_puts(&want, "ECHO[AT+QFTPGET=\"test.txt\",\"COM:\",0]\nFINAL[CONNECT] CONNECT\nRAW[");
	sb_escape(&want, payload.s, payload.len);
	sb_printf(&want, "]\nRAW_END\nFINAL[OK] OK\nLINE[+QFTPGET: 0,%zu]\n", payload.len);
	sb_puts(&want, "URC[+QIND: \"FOTA\",\"END\",0]\nURC[Quectel]\n");

	sc.in = in.s;
	sc.len = in.len;
	sc.script = script;
	sc.expect = want.s;
	sc.raw = payload.s;
	sc.raw_len = payload.len;
	check(&sc);
	free(payload.s);
	free(in.s);
	free(want.s);
}

/* CONNECT with text, CONNECT ended by LF alone, a payload of one byte. */
static void test_data_mode_connect_variants(void **state)
{
	static const struct react raw3[] = {
		R_RAW(EV_FINAL, "CONNECT 115200", 3),
		R_END,
	};
	static const struct react raw3_plain[] = {
		R_RAW(EV_FINAL, "CONNECT", 3),
		R_END,
	};
	static const struct react raw1[] = {
		R_RAW(EV_FINAL, "CONNECT", 1),
		R_END,
	};

	CHECK("\r\nCONNECT 115200\r\n\nOK\r\nOK\r\n", &ctx_get, raw3,
	      "FINAL[CONNECT 115200] CONNECT arg=[115200]\nRAW[\\nOK]\nRAW_END\nFINAL[OK] OK\n");
	/* LF-only line end: the payload starts right after it */
	CHECK("\r\nCONNECT\n\n\r\n\r\nOK\r\n", &ctx_get, raw3_plain,
	      "FINAL[CONNECT] CONNECT\nRAW[\\n\\r\\n]\nRAW_END\nFINAL[OK] OK\n");
	/* CR LF after CONNECT is one line end; a payload CR LF is payload */
	CHECK("\r\nCONNECT\r\n\r\nO\r\nOK\r\n", &ctx_get, raw3_plain,
	      "FINAL[CONNECT] CONNECT\nRAW[\\r\\nO]\nRAW_END\nFINAL[OK] OK\n");
	CHECK("\r\nCONNECT\r\n\0\r\nOK\r\n", &ctx_get, raw1,
	      "FINAL[CONNECT] CONNECT\nRAW[\\x00]\nRAW_END\nFINAL[OK] OK\n");
}

static void test_data_mode_raw_zero(void **state)
{
	static const struct react script[] = {
		R_RAW(EV_FINAL, "CONNECT", 0),
		R_END,
	};

	CHECK("\r\nCONNECT\r\n\r\nOK\r\n\r\n+QFTPGET: 0,0\r\n", &ctx_get, script,
	      "FINAL[CONNECT] CONNECT\nRAW_END\nFINAL[OK] OK\nLINE[+QFTPGET: 0,0]\n");
	/* LF-only CONNECT: RAW_END at once too */
	CHECK("\r\nCONNECT\nOK\n", &ctx_get, script,
	      "FINAL[CONNECT] CONNECT\nRAW_END\nFINAL[OK] OK\n");
}

/*
 * After exactly N bytes the module's OK begins: a byte lost or added on
 * the line shows there, and RAW_END says so; the bytes checked are then
 * lines at their place, whatever the split.
 */
static void test_data_mode_trailer(void **state)
{
	static const struct react t4[] = {
		R_TRAILER(EV_FINAL, "CONNECT", 4, "\r\nOK\r"),
		R_END,
	};
	static const struct react t0[] = {
		R_TRAILER(EV_FINAL, "CONNECT", 0, "\r\nOK\r"),
		R_END,
	};

	CHECK("\r\nCONNECT\r\nabcd\r\nOK\r\n\r\n+QFTPGET: 0,4\r\n", &ctx_get, t4,
	      "FINAL[CONNECT] CONNECT\nRAW[abcd]\nRAW_END\nFINAL[OK] OK\nLINE[+QFTPGET: 0,4]\n");
	/* a payload that ends like the trailer is still just payload */
	CHECK("\r\nCONNECT\r\n\r\nOK\r\nOK\r\n", &ctx_get, t4,
	      "FINAL[CONNECT] CONNECT\nRAW[\\r\\nOK]\nRAW_END\nFINAL[OK] OK\n");
	/* one byte lost: the OK's CR was taken as payload */
	CHECK("\r\nCONNECT\r\nabc\r\nOK\r\n\r\n+QFTPGET: 0,4\r\n", &ctx_get, t4,
	      "FINAL[CONNECT] CONNECT\nRAW[abc\\r]\nRAW_END BAD_TRAILER\nFINAL[OK] OK\n"
	      "LINE[+QFTPGET: 0,4]\n");
	/* one byte added */
	CHECK("\r\nCONNECT\r\nabcde\r\nOK\r\n", &ctx_get, t4,
	      "FINAL[CONNECT] CONNECT\nRAW[abcd]\nRAW_END BAD_TRAILER\nLINE[e]\nFINAL[OK] OK\n");
	/* it breaks at its last byte */
	CHECK("\r\nCONNECT\r\nabcd\r\nOK\n\r\nOK\r\n", &ctx_get, t4,
	      "FINAL[CONNECT] CONNECT\nRAW[abcd]\nRAW_END BAD_TRAILER\nFINAL[OK] OK\n"
	      "FINAL[OK] OK\n");
	/* nothing framed, nothing checked */
	CHECK("\r\nCONNECT\r\n\r\nOK\r\n", &ctx_get, t0,
	      "FINAL[CONNECT] CONNECT\nRAW_END\nFINAL[OK] OK\n");
}

/* A line is a line whatever its bytes: only CR, LF and NUL are not text. */
static void test_line_any_bytes(void **state)
{
	static const char *const pfx_cops[] = { "+COPS:", NULL };
	static const struct qlink_at_ctx ctx_cops = {
		.active = true,
		.prefixes = pfx_cops,
		.bare = true,
	};

	CHECK("\r\n+COPS: 0,0,\"\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8 CMCC-\xc3\xa9\",7\r\n"
	      "\r\nOK\r\n",
	      &ctx_cops, NULL,
	      "LINE[+COPS: 0,0,\"\\xe4\\xb8\\xad\\xe5\\x9b\\xbd\\xe7\\xa7\\xbb\\xe5\\x8a\\xa8 "
	      "CMCC-\\xc3\\xa9\",7]\nFINAL[OK] OK\n");
	/* GBK, controls, a lone 0xff, DEL: text too; a NUL is still dropped */
	CHECK("\r\n\xd6\xd0\xce\xc4\x01\x1b[0m\xff\x7f\0x\r\n", &ctx_bare, NULL,
	      "LINE[\\xd6\\xd0\\xce\\xc4\\x01\\x1b[0m\\xff\\x7fx] NUL\n");
	/* an unsolicited one as well */
	CHECK("\r\n+QIND: \"\xc3\xa9\"\r\n", NULL, NULL, "URC[+QIND: \"\\xc3\\xa9\"]\n");
}

#define TERM_OK "\r\nOK\r\n"

/*
 * "CONNECT", @p, @term, then @tail: the payload must be exactly @p (the
 * test checks @term does not occur in @p + @term before the end), then
 * RAW_END, then @term and @tail parsed as lines, as @tail_ev says.
 */
static void check_until(const char *p, size_t plen, const char *term, size_t tlen, const char *tail,
			const char *tail_ev)
{
	struct sbuf in = { 0 }, want = { 0 };
	struct scenario sc = { .ctx = &ctx_list };
	struct react script[] = {
		R_UNTIL(EV_FINAL, "CONNECT", term, tlen),
		R_END,
	};
	const char *first;

	sb_puts(&in, "\r\nCONNECT\r\n");
	sb_putn(&in, p, plen);
	sb_putn(&in, term, tlen);
	first = memmem(in.s + 11, in.len - 11, term, tlen);
	assert_ptr_equal(first, in.s + 11 + plen);
	sb_puts(&in, tail);

	sb_puts(&want, "FINAL[CONNECT] CONNECT\n");
	if (plen) {
		sb_puts(&want, "RAW[");
		sb_escape(&want, p, plen);
		sb_puts(&want, "]\n");
	}
	sb_puts(&want, "RAW_END\n");
	sb_puts(&want, tail_ev);

	sc.in = in.s;
	sc.len = in.len;
	sc.script = script;
	sc.expect = want.s;
	sc.raw = p;
	sc.raw_len = plen;
	check(&sc);
	free(in.s);
	free(want.s);
}

#define UNTIL_OK(p) \
	check_until((p), sizeof(p) - 1, TERM_OK, sizeof(TERM_OK) - 1, "\r\n+QFTPLIST: 0,1000\r\n", \
		    "FINAL[OK] OK\nLINE[+QFTPLIST: 0,1000]\n")

static void test_raw_until_ok(void **state)
{
	UNTIL_OK("");
	UNTIL_OK("a");
	UNTIL_OK("drwxr-xr-x 2 ftp ftp 4096 Jul 08 11:00 TEST\r\n");
	/* partial terminator matches inside the payload */
	UNTIL_OK("\r\n"); /* \r\n\r\nOK\r\n */
	UNTIL_OK("x\r\n");
	UNTIL_OK("\r\nO"); /* \r\nO\r\nOK\r\n */
	UNTIL_OK("\r");	   /* \r\r\nOK\r\n */
	UNTIL_OK("\r\r");
	UNTIL_OK("\r\n\r\n");
	UNTIL_OK("\r\nOK\r"); /* breaks at the last byte: falls back to "\r" */
	UNTIL_OK("\r\nOK\r\r\n");
	UNTIL_OK("\r\nOK\rX");
	UNTIL_OK("\r\nOX\r\n");
	UNTIL_OK("\r\nK\r\n");
	UNTIL_OK("OK\r\n");
	UNTIL_OK("\n\r\nO\r\nOK\r");
	UNTIL_OK("\0\xff\r\0\n\r\nOK\0\r\n");
	UNTIL_OK("+QIND: \"FOTA\",\"END\",0\r\nNO CARRIER\r\n\r\nERROR\r\n");
}

#define UNTIL(term, p, tail, tail_ev) \
	check_until((p), sizeof(p) - 1, (term), sizeof(term) - 1, (tail), (tail_ev))

static void test_raw_until_other_terms(void **state)
{
	/* a self-overlapping terminator: the fallback chain is longer */
	static const char t2[] = "\r\n\r\nOK\r\n";
	static const char t3[] = "ABAB";
	static const char t16[] = "0123456789ABCDEF";
	static const char t1[] = "\x1a";

	UNTIL(t2, "x\r\n", "", "FINAL[OK] OK\n");
	UNTIL(t2, "\r\n\r\n", "", "FINAL[OK] OK\n");
	UNTIL(t2, "\r\n\r\n\r\nO\r\n\r\nOK\r", "", "FINAL[OK] OK\n");
	UNTIL(t3, "ABA", "\r\nOK\r\n", "LINE[ABAB]\nFINAL[OK] OK\n");
	UNTIL(t3, "ABAABA", "\r\nOK\r\n", "LINE[ABAB]\nFINAL[OK] OK\n");
	UNTIL(t16, "0123456789ABCDE0123", "\r\n", "LINE[0123456789ABCDEF]\n");
	UNTIL(t1, "xyz", "OK\r\n", "LINE[\\x1aOK]\n");
}

/* The payload ends at the first terminator, even inside the data. */
static void test_raw_until_early_end(void **state)
{
	static const struct react script[] = {
		R_UNTIL(EV_FINAL, "CONNECT", TERM_OK, 6),
		R_END,
	};

	CHECK("\r\nCONNECT\r\nA\r\nOK\r\nB\r\nOK\r\n", &ctx_list, script,
	      "FINAL[CONNECT] CONNECT\nRAW[A]\nRAW_END\nFINAL[OK] OK\nLINE[B]\nFINAL[OK] OK\n");
}

/*
 * Framing re-armed from the RAW_END of a terminator-framed payload starts
 * after the terminator has been parsed as lines, not inside it.
 */
static void test_raw_until_then_raw(void **state)
{
	static const struct react script[] = {
		R_UNTIL(EV_FINAL, "CONNECT", TERM_OK, 6),
		R_RAW(EV_RAW_END, NULL, 2),
		R_END,
	};

	CHECK("\r\nCONNECT\r\nabc\r\nOK\r\nxy\r\nOK\r\n", &ctx_list, script,
	      "FINAL[CONNECT] CONNECT\nRAW[abc]\nRAW_END\nFINAL[OK] OK\nRAW[xy]\nRAW_END\n"
	      "FINAL[OK] OK\n");
}

static void test_raw_until_einval(void **state)
{
	static const char t17[] = "0123456789ABCDEFG";
	struct qlink_at_parser *p = malloc(sizeof(*p));
	struct rec r = { .p = p };
	char *got;

	assert_non_null(p);
	qlink_at_parser_init(p, NULL, 0, rec_cb, &r);
	assert_int_equal(qlink_at_parser_expect_raw_until(p, "\r\n", 0), -EINVAL);
	assert_int_equal(qlink_at_parser_expect_raw_until(p, t17, 17), -EINVAL);
	assert_false(qlink_at_parser_in_raw(p));
	feed_copy(p, "abc\r\n", 5);
	assert_false(qlink_at_parser_in_raw(p));
	assert_int_equal(qlink_at_parser_expect_raw_until(p, t17, 16), 0);
	/* idle and at a line start: data mode begins at once */
	assert_true(qlink_at_parser_in_raw(p));
	feed_copy(p, "xy0123456789ABCDEF\r\n", 20);
	assert_false(qlink_at_parser_in_raw(p));
	rec_close_raw(&r);
	got = sb_take(&r.out);
	assert_string_equal(got, "URC[abc]\nRAW[xy]\nRAW_END\nURC[0123456789ABCDEF]\n");
	free(got);
	free(r.raw.s);
	free(p);
}

/* Armed outside a callback: at once at a line start, else at the next. */
static void test_expect_raw_outside_callback(void **state)
{
	struct qlink_at_parser *p = malloc(sizeof(*p));
	struct rec r = { .p = p };
	char *got;

	assert_non_null(p);
	qlink_at_parser_init(p, NULL, 0, rec_cb, &r);
	qlink_at_parser_expect_raw(p, 2);
	assert_true(qlink_at_parser_in_raw(p));
	feed_copy(p, "\r\n", 2);
	assert_false(qlink_at_parser_in_raw(p));
	assert_false(qlink_at_parser_framing(p));
	feed_copy(p, "+QIND: 1", 8);
	qlink_at_parser_expect_raw(p, 3);
	/* armed mid-line: not framing bytes yet, but a timeout must undo it */
	assert_false(qlink_at_parser_in_raw(p));
	assert_true(qlink_at_parser_framing(p));
	feed_copy(p, "\r", 1);
	assert_false(qlink_at_parser_in_raw(p));
	assert_true(qlink_at_parser_framing(p));
	feed_copy(p, "\nO\r\nOK\r\n", 8);
	assert_false(qlink_at_parser_in_raw(p));
	assert_false(qlink_at_parser_framing(p));
	qlink_at_parser_expect_raw(p, 0);
	assert_false(qlink_at_parser_in_raw(p));
	rec_close_raw(&r);
	got = sb_take(&r.out);
	assert_string_equal(got, "RAW[\\r\\n]\nRAW_END\nURC[+QIND: 1]\nRAW[O\\r\\n]\nRAW_END\n"
				 "FINAL[OK] OK\nRAW_END\n");
	free(got);
	free(r.raw.s);
	free(p);
}

/* ------------------------------------------------------------ prompts */

static void test_prompt(void **state)
{
	CHECK("AT+CMGS=\"10086\"\r\r\n> ", &ctx_cmgs, NULL, "ECHO[AT+CMGS=\"10086\"]\nPROMPT\n");
	CHECK("\r\n> \r\n+CMGS: 12\r\n\r\nOK\r\n", &ctx_cmgs, NULL,
	      "PROMPT\nLINE[+CMGS: 12]\nFINAL[OK] OK\n");
	/* only one space is swallowed; no space at all is fine too */
	CHECK("\r\n>  \r\n", &ctx_cmgs, NULL, "PROMPT\nLINE[ ]\n");
	CHECK("\r\n>\r\n\r\nOK\r\n", &ctx_cmgs, NULL, "PROMPT\nFINAL[OK] OK\n");
	CHECK("\r\n>x\r\n", &ctx_cmgs, NULL, "PROMPT\nLINE[x]\n");
	/* '>' later in a line is text */
	CHECK("\r\na> \r\n", &ctx_cmgs, NULL, "LINE[a> ]\n");
	/* not at a clean line start: a NUL came first */
	CHECK("\r\n\0> \r\n", &ctx_cmgs, NULL, "LINE[> ] NUL\n");
	/* a URC before the prompt */
	CHECK("\r\n+QIND: \"FOTA\",\"END\",0\r\n\r\n> ", &ctx_cmgs, NULL,
	      "URC[+QIND: \"FOTA\",\"END\",0]\nPROMPT\n");
}

static void test_prompt_disabled(void **state)
{
	CHECK("\r\n> \r\n\r\nOK\r\n", &ctx_cmgs_noprompt, NULL, "LINE[> ]\nFINAL[OK] OK\n");
	CHECK("\r\n> \r\n", NULL, NULL, "URC[> ]\n");
	CHECK("\r\n>\r\n", &ctx_bare, NULL, "LINE[>]\n");
}

/* ------------------------------------------------ no command in flight */

static void test_no_command_all_urc(void **state)
{
	static const char in[] = "\r\nQuectel\r\n\r\n+CSQ: 23,99\r\n\r\n010003\r\nAT+CSQ\r\n"
				 "\r\nRDY\r\n\r\n+QFTPGET: 0,10\r\n\r\nOK\r\n\r\nCONNECT\r\n";
	static const char want[] =
		"URC[Quectel]\nURC[+CSQ: 23,99]\nURC[010003]\nURC[AT+CSQ]\n"
		"URC[RDY]\nURC[+QFTPGET: 0,10]\nFINAL[OK] OK\nFINAL[CONNECT] CONNECT\n";

	CHECK(in, NULL, NULL, want);
	/* a context that is not active is ignored, prefixes, echo and all */
	CHECK(in, &ctx_inactive, NULL, want);
	/* set_ctx(NULL) from a callback */
	CHECK("\r\n+CSQ: 1,2\r\n\r\nOK\r\n\r\n+CSQ: 1,2\r\n", &ctx_csq, script_fotadl,
	      "LINE[+CSQ: 1,2]\nFINAL[OK] OK\nURC[+CSQ: 1,2]\n");
}

static void test_custom_urc_table(void **state)
{
	static const char *const urcs[] = { "+FOO:", "ALERT:", "BAR", "ZED ALERT" };
	static const char in[] = "\r\nBAR\r\n\r\nRDY\r\n\r\nZED ALERT\r\n\r\nZED\r\n\r\nBARN\r\n"
				 "\r\nBA\r\n\r\nALERT: 5\r\n\r\nALERTS: 5\r\n\r\nALERT\r\n"
				 "\r\nOK\r\n";
	struct scenario sc = {
		IN(in),
		.ctx = &ctx_bare,
		.urcs = urcs,
		.n_urcs = 4,
		.expect = "URC[BAR]\nLINE[RDY]\nURC[ZED ALERT]\nLINE[ZED]\nLINE[BARN]\nLINE[BA]\n"
			  "URC[ALERT: 5]\nLINE[ALERTS: 5]\nLINE[ALERT]\nFINAL[OK] OK\n",
	};

	check(&sc);
	/* the built-in table knows RDY and the power notices */
	CHECK("\r\nRDY\r\n\r\nNORMAL POWER DOWN\r\n\r\nUNDER-VOLTAGE WARNING\r\n\r\nRDYX\r\n",
	      &ctx_bare, NULL,
	      "URC[RDY]\nURC[NORMAL POWER DOWN]\nURC[UNDER-VOLTAGE WARNING]\nLINE[RDYX]\n");
}

/* ------------------------------------------------- a whole FTP session */

static const struct react script_session[] = {
	R_CTX(EV_FINAL, "OK", &ctx_cwd_wait),  R_CTX(EV_LINE, "+QFTPCWD: 0,0", &ctx_pwd),
	R_CTX(EV_FINAL, "OK", &ctx_pwd_wait),  R_CTX(EV_LINE, "+QFTPPWD: 0,\"/\"", &ctx_size),
	R_CTX(EV_FINAL, "OK", &ctx_size_wait), R_CTX(EV_LINE, "+QFTPSIZE:0, 1000", &ctx_get),
	R_RAW(EV_FINAL, "CONNECT", 20),	       R_CTX(EV_FINAL, "OK", &ctx_get_wait),
	R_NO_CTX(EV_LINE, "+QFTPGET: 0,20"),   R_END,
};

static void test_ftp_session(void **state)
{
	CHECK("\r\nOK\r\n"
	      "\r\n+QIND: \"FOTA\",\"DOWNLOADING\",1\r\n"
	      "\r\n+QFTPCWD: 0,0\r\n"
	      "\r\nOK\r\n"
	      "\r\n+QFTPPWD: 0,\"/\"\r\n"
	      "\r\nOK\r\n"
	      "\r\n+QFTPSIZE:0, 1000\r\n"
	      "\r\nCONNECT\r\n"
	      "\r\nOK\r\n+QFTPGET: 0,99"
	      "\r\nOK\r\n"
	      "\r\n+QFTPGET: 0,20\r\n"
	      "\r\nRDY\r\n",
	      &ctx_cwd, script_session,
	      "FINAL[OK] OK\n"
	      "URC[+QIND: \"FOTA\",\"DOWNLOADING\",1]\n"
	      "LINE[+QFTPCWD: 0,0]\n"
	      "FINAL[OK] OK\n"
	      "LINE[+QFTPPWD: 0,\"/\"]\n"
	      "FINAL[OK] OK\n"
	      "LINE[+QFTPSIZE:0, 1000]\n"
	      "FINAL[CONNECT] CONNECT\n"
	      "RAW[\\r\\nOK\\r\\n+QFTPGET: 0,99]\n"
	      "RAW_END\n"
	      "FINAL[OK] OK\n"
	      "LINE[+QFTPGET: 0,20]\n"
	      "URC[RDY]\n");
}

/* --------------------------------------------- qlink_at_final_parse() */

static void final_is(const char *line, enum qlink_result res, int code, const char *arg)
{
	struct qlink_at_event ev = { .code = 12345, .arg = NULL, .result = QLINK_RESULT_NONE };

	if (!qlink_at_final_parse(line, &ev))
		fail_msg("\"%s\" is not taken as a final result", line);
	assert_int_equal(ev.result, res);
	assert_int_equal(ev.code, code);
	assert_non_null(ev.arg);
	assert_string_equal(ev.arg, arg);
}

static void not_final(const char *line)
{
	struct qlink_at_event ev = { .code = 12345 };

	if (qlink_at_final_parse(line, &ev))
		fail_msg("\"%s\" is taken as a final result", line);
}

static void test_final_parse_units(void **state)
{
	final_is("OK", QLINK_RESULT_OK, -1, "");
	final_is("ERROR", QLINK_RESULT_ERROR, -1, "");
	final_is("NO CARRIER", QLINK_RESULT_NO_CARRIER, -1, "");
	final_is("BUSY", QLINK_RESULT_BUSY, -1, "");
	final_is("NO ANSWER", QLINK_RESULT_NO_ANSWER, -1, "");
	final_is("NO DIALTONE", QLINK_RESULT_NO_DIALTONE, -1, "");
	final_is("CONNECT", QLINK_RESULT_CONNECT, -1, "");
	final_is("CONNECT 115200", QLINK_RESULT_CONNECT, -1, "115200");
	final_is("CONNECT  115200", QLINK_RESULT_CONNECT, -1, "115200");
	final_is("+CME ERROR: 10", QLINK_RESULT_CME_ERROR, 10, "10");
	final_is("+CME ERROR:10", QLINK_RESULT_CME_ERROR, 10, "10");
	final_is("+CME ERROR: 0", QLINK_RESULT_CME_ERROR, 0, "0");
	final_is("+CME ERROR: 65535", QLINK_RESULT_CME_ERROR, 65535, "65535");
	final_is("+CME ERROR: 65536", QLINK_RESULT_CME_ERROR, -1, "65536");
	final_is("+CME ERROR: 99999999999999999999999", QLINK_RESULT_CME_ERROR, -1,
		 "99999999999999999999999");
	final_is("+CME ERROR: 10abc", QLINK_RESULT_CME_ERROR, -1, "10abc");
	final_is("+CME ERROR: -5", QLINK_RESULT_CME_ERROR, -1, "-5");
	final_is("+CME ERROR:", QLINK_RESULT_CME_ERROR, -1, "");
	final_is("+CME ERROR: SIM not inserted", QLINK_RESULT_CME_ERROR, -1, "SIM not inserted");
	final_is("+CMS ERROR: 500", QLINK_RESULT_CMS_ERROR, 500, "500");
	final_is("+CMS ERROR: 304 ", QLINK_RESULT_CMS_ERROR, 304, "304 ");

	not_final("");
	not_final("OKAY");
	not_final("OK ");
	not_final("ok");
	not_final("ERRORS");
	not_final("CONNECTED");
	not_final("CONNECT:");
	not_final("NO CARRIERS");
	not_final("NO");
	not_final("BUSYX");
	not_final("+CME ERROR");
	not_final("+CMEE: 2");
	not_final("+CMS ERR: 1");
	not_final("+QFTPGET: 0,10");
	not_final("RDY");
	not_final("Quectel");
}

/* The one check of linux/qlink-urc-prefixes.h, which qlink.ko uses too. */
static void test_urc_table_sorted(void **state)
{
	size_t i;
	bool rdy = false, qind = false;

	assert_true(qlink_at_urc_table_len > 0);
	for (i = 0; i < qlink_at_urc_table_len; i++) {
		const char *e = qlink_at_urc_table[i];

		assert_non_null(e);
		assert_true(e[0] != '\0');
		if (i && strcmp(qlink_at_urc_table[i - 1], e) >= 0)
			fail_msg("qlink_at_urc_table[%zu] \"%s\" not after \"%s\"", i, e,
				 qlink_at_urc_table[i - 1]);
		/* prefixed tokens end at their first ':' */
		if (e[0] == '+')
			assert_ptr_equal(strchr(e, ':'), e + strlen(e) - 1);
		rdy |= !strcmp(e, "RDY");
		qind |= !strcmp(e, "+QIND:");
	}
	assert_true(rdy);
	assert_true(qind);
}

static void ending_cb(const struct qlink_at_event *ev, void *user)
{
	(void)ev;
	(void)user;
}

/* Where the module's own lines begin at the end of a data-mode payload. */
static void test_ending(void **state)
{
	static const struct {
		const char *in;
		size_t at; /* (size_t)-1: no ending */
	} cases[] = {
		{ "payload\r\nOK\r\n\r\n+QFTPGET: 607,0\r\n", 7 },
		{ "payload\r\n\r\nOK\r\n\r\n+QFTPGET: 0,9\r\n", 9 },
		{ "xy\r\nRDY\r\n", 2 },
		{ "xy\r\nNO CARRIER\r\n", 2 },
		{ "xy\r\nERROR\r\n", 2 },
		/* an OK alone, or a "+" URC, may be payload before a pause */
		{ "\r\nOK\r\n", (size_t)-1 },
		{ "payload\r\nOK\r\n", (size_t)-1 },
		{ "payload\r\nOK\r\n\r\n+QIND: \"csq\",3\r\n", (size_t)-1 },
		{ "\r\nOK\r\n\r\n+QFTPGET: 0,5\r\n", 0 },
		{ "payload\r\nnot the module\r\n", (size_t)-1 },
		{ "payload\r\nOK\r\n\r\nnot the module\r\n", (size_t)-1 },
		{ "payload\r\nOK", (size_t)-1 },
		{ "payload\r\n\r\n", (size_t)-1 },
		{ "OK\r\n", (size_t)-1 },		  /* not framed as the module frames */
		{ "x\r\n+QFTPPUT: 0,5\r\n", (size_t)-1 }, /* another command's */
		{ "x\r\n+QIND: \"FOTA\",\"END\",0\r\n", (size_t)-1 },	/* a "+" URC */
		{ "x\r\nRDY\r\n\r\n+QIND: \"FOTA\",\"END\",0\r\n", 1 }, /* with RDY */
	};
	struct qlink_at_parser p;
	size_t i;

	(void)state;
	qlink_at_parser_init(&p, NULL, 0, ending_cb, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);
		size_t want = cases[i].at == (size_t)-1 ? len : cases[i].at;

		assert_int_equal(qlink_at_ending(&p, cases[i].in, len, "+QFTPGET:"), want);
	}
}

/* ------------------------------------------- where a line began */

struct back_rec {
	struct qlink_at_parser *p;
	bool until; /* arm raw framing until "\r\nOK\r\n" on CONNECT */
	size_t ok_back, urc_back;
};

static void back_cb(const struct qlink_at_event *ev, void *user)
{
	struct back_rec *r = user;

	if (ev->type == QLINK_AT_EV_FINAL && !strcmp(ev->text, "CONNECT")) {
		if (r->until)
			assert_int_equal(qlink_at_parser_expect_raw_until(r->p, "\r\nOK\r\n", 6),
					 0);
		else
			qlink_at_parser_expect_raw(r->p, 5);
	} else if (ev->type == QLINK_AT_EV_FINAL && !strcmp(ev->text, "OK")) {
		r->ok_back = qlink_at_parser_line_back(r->p);
	} else if (ev->type == QLINK_AT_EV_URC) {
		r->urc_back = qlink_at_parser_line_back(r->p);
	}
}

/*
 * qlink_at_parser_line_back() from a line's event: the bytes from its
 * first to the end of what was fed, however the input was split, and for
 * a terminator-framed payload's OK too (parsed from the terminator's copy).
 */
static void test_line_back(void **state)
{
	static const char in[] = "\r\nCONNECT\r\nab\rcd\r\nOK\r\n\r\n+QIND: \"x\"\r\n";
	const size_t len = sizeof(in) - 1;
	const size_t ok = (size_t)(strstr(in, "OK") - in), urc = (size_t)(strstr(in, "+QIND") - in);
	struct qlink_at_parser p;
	struct back_rec r;
	size_t cut;
	int until;

	(void)state;
	for (until = 0; until < 2; until++) {
		for (cut = 0; cut <= len; cut++) {
			memset(&r, 0, sizeof(r));
			r.p = &p;
			r.until = until;
			qlink_at_parser_init(&p, NULL, 0, back_cb, &r);
			qlink_at_parser_feed(&p, in, cut);
			qlink_at_parser_feed(&p, in + cut, len - cut);
			/*
			 * From the line's first byte to the end of what was fed
			 * when its event came: its CR, or the terminator's end
			 * for the framed OK.
			 */
			assert_int_equal(r.ok_back, (ok + (until ? 4 : 3) <= cut ? cut : len) - ok);
			assert_int_equal(r.urc_back, (urc + 10 < cut ? cut : len) - urc);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_final_ok_error),
		cmocka_unit_test(test_line_back),
		cmocka_unit_test(test_ending),
		cmocka_unit_test(test_final_cme_cms),
		cmocka_unit_test(test_final_no_carrier_busy),
		cmocka_unit_test(test_final_connect),
		cmocka_unit_test(test_ati_bare_lines),
		cmocka_unit_test(test_ati_echo),
		cmocka_unit_test(test_qftpcfg_test_multiline),
		cmocka_unit_test(test_qftppwd_variants),
		cmocka_unit_test(test_qftpsize_no_space),
		cmocka_unit_test(test_qflst_quoted_unquoted),
		cmocka_unit_test(test_qftpstat_before_ok),
		cmocka_unit_test(test_async_after_ok),
		cmocka_unit_test(test_fota_urcs),
		cmocka_unit_test(test_fota_file2_bare_answer),
		cmocka_unit_test(test_urcs_interleaved_ati),
		cmocka_unit_test(test_cpin_line_or_urc),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_empty_lines_stray_cr_lf),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_long_line_truncated),
		cmocka_unit_test(test_garbage_no_newline),
		cmocka_unit_test(test_data_mode_raw_n),
		cmocka_unit_test(test_data_mode_connect_variants),
		cmocka_unit_test(test_data_mode_raw_zero),
		cmocka_unit_test(test_data_mode_trailer),
		cmocka_unit_test(test_line_any_bytes),
		cmocka_unit_test(test_raw_until_ok),
		cmocka_unit_test(test_raw_until_other_terms),
		cmocka_unit_test(test_raw_until_early_end),
		cmocka_unit_test(test_raw_until_then_raw),
		cmocka_unit_test(test_raw_until_einval),
		cmocka_unit_test(test_expect_raw_outside_callback),
		cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_prompt_disabled),
		cmocka_unit_test(test_no_command_all_urc),
		cmocka_unit_test(test_custom_urc_table),
		cmocka_unit_test(test_ftp_session),
		cmocka_unit_test(test_final_parse_units),
		cmocka_unit_test(test_urc_table_sorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
