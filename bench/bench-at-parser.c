// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * Parser cost, measured in instructions per byte by bench/run (callgrind).
 *
 * Two streams are generated in memory, deterministically:
 *   lines    several MB of what a module says while it works: ATI blocks,
 *            +CSQ with echo, +QIND FOTA progress, +QFTPGET results, OK,
 *            +CME ERROR, RDY
 *   payload  CONNECT, a several-MB binary payload (CR, LF, "\r\nOK\r\n" and
 *            NUL included) framed with qlink_at_parser_expect_raw(), OK
 * Each is fed to the parser in 4096-byte pieces, as a read() loop would,
 * inside bench_lines() and bench_payload(), which bench/run measures on
 * their own (--toggle-collect). Generation is outside them.
 *
 * For the comparison with a peer parser (bench/run, bench-gatchat.c):
 *   trace FILE        writes 4 MB of the lines stream to FILE
 *   feed FILE PIECE   feeds FILE in PIECE-byte reads, inside bench_feed()
 *
 * BENCH_BYTES=N shrinks the streams (make check's short run of bench/run).
 *
 * Usage: bench-at-parser lines|payload|both|trace FILE|feed FILE PIECE
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/at-parser.h"

#define PIECE 4096
#define TRACE_BYTES (4u << 20)

static size_t lines_bytes = 8u << 20;
static size_t payload_bytes = 16u << 20;

/*
 * noipa: neither inlined nor cloned under another name, so callgrind
 * finds the functions by these exact names.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_FN __attribute__((noipa))
#else
#define BENCH_FN __attribute__((noinline))
#endif

struct buf {
	char *p;
	size_t len, cap;
};

struct sum {
	struct qlink_at_parser *p;
	uint64_t hash;
	unsigned long events;
	size_t raw;    /* payload bytes seen */
	size_t expect; /* payload to frame on CONNECT */
};

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static void put(struct buf *b, const void *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			perror("realloc");
			exit(1);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put_str(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fprintf(stderr, "putf: line too long\n");
		exit(1);
	}
	put(b, tmp, (size_t)n);
}

/* What a module says during a long session, in plausible proportions. */
static void gen_lines(struct buf *b)
{
	static const char *const fota[] = { "DOWNLOADING", "START", "UPDATING", "END" };

	while (b->len < lines_bytes) {
		unsigned int r = rnd() % 100;

		if (r < 10) {
			put_str(b, "ATI\r\r\nQuectel\r\nEC200U\r\nRevision: EC200UCNAAR02A05M08\r\n"
				   "\r\nOK\r\n");
		} else if (r < 30) {
			putf(b, "AT+CSQ\r\r\n+CSQ: %u,99\r\n\r\nOK\r\n",
			     (unsigned int)(rnd() % 32));
		} else if (r < 55) {
			/* one rnd() per statement: argument order is unspecified */
			const char *stage = fota[rnd() % 4];

			putf(b, "\r\n+QIND: \"FOTA\",\"%s\",%u\r\n", stage,
			     (unsigned int)(rnd() % 101));
		} else if (r < 75) {
			putf(b, "\r\n+QFTPGET: 0,%u\r\n", (unsigned int)(rnd() % 4000000));
		} else if (r < 85) {
			put_str(b, "\r\nOK\r\n");
		} else if (r < 93) {
			put_str(b, "\r\n+CME ERROR: 601\r\n");
		} else if (r < 97) {
			putf(b, "AT+QFTPCWD=\"/fw/%u\"\r\r\nOK\r\n\r\n+QFTPCWD: 0,0\r\n",
			     (unsigned int)(rnd() % 1000));
		} else {
			put_str(b, "\r\nRDY\r\n");
		}
	}
}

/* CONNECT, then binary with every troublesome byte, then OK. */
static size_t gen_payload(struct buf *b)
{
	static const char *const traps[] = { "\r\nOK\r\n", "\r\nERROR\r\n",	  "\r\n",
					     "\0\0\0",	   "+QIND: \"FOTA\"\r\n", "CONNECT\r\n" };
	char chunk[256];
	size_t start, i;

	put_str(b, "\r\nCONNECT\r\n");
	start = b->len;
	while (b->len - start < payload_bytes) {
		for (i = 0; i < sizeof(chunk); i += 8) {
			uint64_t x = rnd();

			memcpy(chunk + i, &x, 8);
		}
		put(b, chunk, sizeof(chunk));
		if (rnd() % 4 == 0) {
			const char *t = traps[rnd() % 6];
			size_t n = t[0] ? strlen(t) : 3;

			put(b, t, n);
		}
	}
	i = b->len - start;
	put_str(b, "\r\nOK\r\n");
	return i;
}

static void on_event(const struct qlink_at_event *ev, void *user)
{
	struct sum *s = user;

	s->events++;
	s->hash = (s->hash ^ (ev->type * 31u + ev->len)) * 0x100000001b3ull;
	switch (ev->type) {
	case QLINK_AT_EV_RAW:
		s->raw += ev->len;
		s->hash ^= (unsigned char)ev->text[0] | (unsigned char)ev->text[ev->len - 1] << 8;
		break;
	case QLINK_AT_EV_RAW_END:
		break;
	case QLINK_AT_EV_FINAL:
		s->hash ^= ev->result;
		if (ev->result == QLINK_RESULT_CONNECT && s->expect)
			qlink_at_parser_expect_raw(s->p, s->expect);
		break;
	default:
		s->hash ^= (unsigned char)ev->text[0] << 16 | (unsigned char)ev->text[ev->len - 1];
		break;
	}
}

void bench_lines(struct qlink_at_parser *p, const char *buf, size_t len);
void bench_payload(struct qlink_at_parser *p, const char *buf, size_t len);
void bench_feed(struct qlink_at_parser *p, const char *buf, size_t len, size_t piece);

/* A read() loop's worth of feeding; the same code for both streams. */
BENCH_FN void bench_lines(struct qlink_at_parser *p, const char *buf, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += PIECE)
		qlink_at_parser_feed(p, buf + off, len - off < PIECE ? len - off : PIECE);
}

BENCH_FN void bench_payload(struct qlink_at_parser *p, const char *buf, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += PIECE)
		qlink_at_parser_feed(p, buf + off, len - off < PIECE ? len - off : PIECE);
}

BENCH_FN void bench_feed(struct qlink_at_parser *p, const char *buf, size_t len, size_t piece)
{
	size_t off;

	for (off = 0; off < len; off += piece)
		qlink_at_parser_feed(p, buf + off, len - off < piece ? len - off : piece);
}

/*
 * A command in flight throughout, with echo, prefixes and an async
 * result: the costlier case, where a line that is not a final result goes
 * through the echo, prefix and URC-table checks.
 */
static const char *const prefixes[] = { "+CSQ:", NULL };

static const struct qlink_at_ctx ctx = {
	.active = true,
	.echo = "AT+CSQ",
	.prefixes = prefixes,
	.async = "+QFTPCWD:",
	.bare = true,
};

static int run_lines(void)
{
	static struct qlink_at_parser p;
	struct buf b = { 0 };
	struct sum s = { .p = &p, .hash = 0xcbf29ce484222325ull };

	gen_lines(&b);
	qlink_at_parser_init(&p, NULL, 0, on_event, &s);
	qlink_at_parser_set_ctx(&p, &ctx);
	bench_lines(&p, b.p, b.len);
	printf("lines: %zu bytes, %lu events, checksum %016llx\n", b.len, s.events,
	       (unsigned long long)s.hash);
	free(b.p);
	if (s.raw || !s.events) {
		fprintf(stderr, "bench-at-parser: line traffic parsed wrongly\n");
		return 1;
	}
	return 0;
}

static int run_payload(void)
{
	static struct qlink_at_parser p;
	struct buf b = { 0 };
	struct sum s = { .p = &p, .hash = 0xcbf29ce484222325ull };

	s.expect = gen_payload(&b);
	qlink_at_parser_init(&p, NULL, 0, on_event, &s);
	qlink_at_parser_set_ctx(&p, &ctx);
	bench_payload(&p, b.p, b.len);
	printf("payload: %zu bytes (%zu framed), %lu events, checksum %016llx\n", b.len, s.raw,
	       s.events, (unsigned long long)s.hash);
	free(b.p);
	if (s.raw != s.expect || qlink_at_parser_in_raw(&p)) {
		fprintf(stderr, "bench-at-parser: payload framed wrongly (%zu of %zu bytes)\n",
			s.raw, s.expect);
		return 1;
	}
	return 0;
}

/* The lines stream, cut to exactly TRACE_BYTES (or BENCH_BYTES), for a peer parser too. */
static int write_trace(const char *path)
{
	struct buf b = { 0 };
	FILE *f;
	int err = 0;

	gen_lines(&b);
	f = fopen(path, "wb");
	if (!f || fwrite(b.p, 1, lines_bytes, f) != lines_bytes)
		err = 1;
	if (f && fclose(f))
		err = 1;
	if (err)
		perror(path);
	else
		printf("trace: %zu bytes\n", lines_bytes);
	free(b.p);
	return err;
}

static int feed_trace(const char *path, size_t piece)
{
	static struct qlink_at_parser p;
	struct sum s = { .p = &p, .hash = 0xcbf29ce484222325ull };
	char *buf = NULL;
	long len = -1;
	FILE *f = fopen(path, "rb");

	if (f && !fseek(f, 0, SEEK_END) && (len = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)len);
		if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len)
			len = -1;
	}
	if (f)
		fclose(f);
	if (!buf || len <= 0 || !piece) {
		fprintf(stderr, "bench-at-parser: cannot feed %s\n", path);
		free(buf);
		return 2;
	}
	qlink_at_parser_init(&p, NULL, 0, on_event, &s);
	qlink_at_parser_set_ctx(&p, &ctx);
	bench_feed(&p, buf, (size_t)len, piece);
	printf("feed: %ld bytes, %lu events, pieces of %zu\n", len, s.events, piece);
	free(buf);
	return s.events ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *what = argc >= 2 ? argv[1] : "";
	const char *small = getenv("BENCH_BYTES");
	int lines = argc == 2 && (!strcmp(what, "lines") || !strcmp(what, "both"));
	int payload = argc == 2 && (!strcmp(what, "payload") || !strcmp(what, "both"));
	int err = 0;

	if (small && *small)
		lines_bytes = payload_bytes = strtoul(small, NULL, 10);
	if (argc == 3 && !strcmp(what, "trace")) {
		if (!(small && *small))
			lines_bytes = TRACE_BYTES;
		return write_trace(argv[2]);
	}
	if (argc == 4 && !strcmp(what, "feed"))
		return feed_trace(argv[2], strtoul(argv[3], NULL, 10));
	if (!lines && !payload) {
		fprintf(stderr, "usage: bench-at-parser lines|payload|both|trace FILE|"
				"feed FILE PIECE\n");
		return 2;
	}
	if (lines)
		err |= run_lines();
	if (payload)
		err |= run_payload();
	return err;
}
