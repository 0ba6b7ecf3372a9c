// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * oFono's gatchat on the trace bench-at-parser writes, for the parser
 * comparison in bench/run (callgrind counts instructions inside
 * bench_gatchat() only).
 *
 * Built by bench/gatchat-bench against the source Debian publishes
 * (bench/gatchat-fetch): this file includes gatchat.c itself, unchanged,
 * to reach its read handler, and links gatio.c, gatsyntax.c, gatresult.c,
 * gatutil.c and ringbuffer.c as they are. Nothing of oFono is copied here.
 *
 * Each piece goes where GAtIO's received_data() puts what read() returned
 * (the channel's 8 KiB ring buffer), then to the read handler GAtChat
 * registers (new_bytes: GSM permissive syntax, line extraction, the
 * notifier table), as a read() of PIECE bytes would. No command is in
 * flight; +CSQ:, +QIND:, +QFTPGET:, +QFTPCWD: and RDY have notifiers.
 *
 * Usage: bench-gatchat TRACE PIECE
 */
#include "gatchat.c"

#include <stdlib.h>

#include "ringbuffer.h"

static unsigned long events;

static void notified(GAtResult *result, gpointer user)
{
	(void)result;
	(void)user;
	events++;
}

void bench_gatchat(struct at_chat *chat, struct ring_buffer *rb, const char *buf, size_t len,
		   size_t piece);

__attribute__((noinline)) void bench_gatchat(struct at_chat *chat, struct ring_buffer *rb,
					     const char *buf, size_t len, size_t piece)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < piece ? len - off : piece;
		if (n > (size_t)ring_buffer_avail(rb))
			n = (size_t)ring_buffer_avail(rb);
		ring_buffer_write(rb, buf + off, n);
		new_bytes(rb, chat);
	}
}

int main(int argc, char **argv)
{
	static const char *const urcs[] = { "+CSQ:", "+QIND:", "+QFTPGET:", "+QFTPCWD:", "RDY" };
	struct ring_buffer *rb;
	GIOChannel *io;
	GAtSyntax *syntax;
	GAtChat *chat;
	size_t len, piece, i;
	char *buf;
	FILE *f;
	int fds[2];

	if (argc != 3 || !(piece = strtoul(argv[2], NULL, 10))) {
		fprintf(stderr, "usage: bench-gatchat TRACE PIECE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (long)(len = (size_t)ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc(len)) || fread(buf, 1, len, f) != len) {
		perror(argv[1]);
		return 2;
	}
	fclose(f);
	/* the channel is never read: the bytes come from the trace */
	if (pipe(fds)) {
		perror("pipe");
		return 2;
	}
	io = g_io_channel_unix_new(fds[0]);
	syntax = g_at_syntax_new_gsm_permissive();
	chat = g_at_chat_new(io, syntax);
	if (!chat) {
		fprintf(stderr, "bench-gatchat: g_at_chat_new failed\n");
		return 2;
	}
	for (i = 0; i < sizeof(urcs) / sizeof(urcs[0]); i++)
		g_at_chat_register(chat, urcs[i], notified, FALSE, NULL, NULL);
	rb = ring_buffer_new(8192);
	bench_gatchat(chat->parent, rb, buf, len, piece);
	printf("gatchat: %zu bytes, %lu notifications, pieces of %zu\n", len, events, piece);
	g_at_chat_unref(chat);
	g_at_syntax_unref(syntax);
	g_io_channel_unref(io);
	ring_buffer_free(rb);
	free(buf);
	return events ? 0 : 1;
}
