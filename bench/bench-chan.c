// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The channel's cost for data-mode payload, in instructions per byte, as
 * bench/chan-run measures it (callgrind, --toggle-collect=bench_chan):
 * a download of a payload framed by length (CONNECT, the payload with CR,
 * LF, "\r\nOK\r\n" and NUL in it, OK and the +QFTPGET: result) read
 * through qlink_chan_exec() from a transport that hands over at most
 * PIECE bytes a read: 1 (the worst a slow line can do) or 4096.
 *
 * Usage: bench-chan PIECE [BYTES]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qlink/chan.h>
#include <qlink/transport.h>

#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_FN __attribute__((noipa))
#else
#define BENCH_FN __attribute__((noinline))
#endif

struct feed {
	unsigned char *stream;
	size_t len, pos, piece, payload;
	int written; /* the command went out: the answer may come */
	uint64_t sum;
	size_t got;
};

static ssize_t feed_read(void *priv, void *buf, size_t len)
{
	struct feed *f = priv;
	size_t n = f->len - f->pos;

	if (!f->written)
		return 0;
	if (n > f->piece)
		n = f->piece;
	if (n > len)
		n = len;
	memcpy(buf, f->stream + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

static ssize_t feed_write(void *priv, const void *buf, size_t len)
{
	struct feed *f = priv;

	(void)buf;
	f->written = 1;
	return (ssize_t)len;
}

static const struct qlink_transport_ops feed_ops = {
	.read = feed_read,
	.write = feed_write,
};

static int on_connect(struct qlink_chan *chan, const char *text, void *user)
{
	struct feed *f = user;

	(void)text;
	return qlink_chan_expect_raw(chan, f->payload) < 0 ? -errno : 0;
}

static void on_data(struct qlink_chan *chan, const void *buf, size_t len, void *user)
{
	struct feed *f = user;

	(void)chan;
	f->sum += ((const unsigned char *)buf)[len - 1];
	f->got += len;
}

static const struct qlink_cmd get_cmd = {
	.async = "+QFTPGET:",
	.on_connect = on_connect,
	.on_data = on_data,
};

BENCH_FN static int bench_chan(struct qlink_chan *chan, struct feed *f)
{
	struct qlink_resp *resp = NULL;
	int rc = qlink_chan_run(chan, "AT+QFTPGET=\"bench.bin\",\"COM:\",0,1", &get_cmd, f, &resp);

	qlink_resp_free(resp);
	return rc;
}

int main(int argc, char **argv)
{
	struct feed f = { 0 };
	struct qlink_transport *t;
	struct qlink_chan *chan;
	size_t i, at = 0;
	char tail[64];
	int n;

	if (argc < 2 || !(f.piece = strtoul(argv[1], NULL, 0))) {
		fprintf(stderr, "usage: bench-chan PIECE [BYTES]\n");
		return 2;
	}
	f.payload = argc > 2 ? strtoul(argv[2], NULL, 0) : 2u << 20;
	n = snprintf(tail, sizeof(tail), "\r\nOK\r\n\r\n+QFTPGET: 0,%zu\r\n", f.payload);
	f.len = 9 + f.payload + (size_t)n;
	f.stream = malloc(f.len);
	if (!f.stream)
		return 2;
	memcpy(f.stream, "CONNECT\r\n", 9);
	at = 9;
	/* deterministic bytes, with line ends and the module's words among them */
	for (i = 0; i < f.payload; i++)
		f.stream[at + i] = (unsigned char)(i * 2654435761u >> 13);
	for (i = 0; i + 8 < f.payload; i += 1000)
		memcpy(f.stream + at + i, i % 3000 ? "\r\n" : "\r\nOK\r\n", i % 3000 ? 2 : 6);
	memcpy(f.stream + at + f.payload, tail, (size_t)n);

	t = qlink_transport_new(&feed_ops, &f);
	chan = t ? qlink_chan_new(t) : NULL;
	if (!chan)
		return 2;
	if (bench_chan(chan, &f) < 0 || f.got != f.payload) {
		fprintf(stderr, "bench-chan: %s (%zu of %zu bytes)\n", strerror(errno), f.got,
			f.payload);
		return 1;
	}
	printf("chan-%zu: %zu\n", f.piece, f.payload);
	qlink_chan_free(chan);
	free(f.stream);
	return 0;
}
