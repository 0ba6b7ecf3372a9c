/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink-sim's bottom layer: output to the host, timers, the libcurl multi
 * glue and the log. The command groups call it; it calls none of them (a
 * timer's or a transfer's callback is the caller's own function).
 */
#ifndef QLINK_SIM_IO_H
#define QLINK_SIM_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>

struct sim;

/* --- output to the host -------------------------------------------------- */

/* Raw bytes, in order, paced at --baud. */
void sim_send(struct sim *s, const void *buf, size_t len);
/* One response line: CR LF text CR LF. */
void sim_line(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim_ok(struct sim *s);
void sim_error(struct sim *s);
void sim_cme(struct sim *s, int code);
/* Bytes queued for the host and not yet sent. */
size_t sim_out_pending(const struct sim *s);
/* Drop what is queued: an aborted download's payload never leaves. */
void sim_out_discard(struct sim *s);
/* How much output may wait before a producer should hold back (~0.2 s). */
size_t sim_out_high(const struct sim *s);

/* --- timers -------------------------------------------------------------- */

typedef void (*sim_timer_fn)(struct sim *s, void *ctx);
int sim_timer_add(struct sim *s, unsigned int ms, sim_timer_fn fn, void *ctx);
void sim_timer_cancel(struct sim *s, int id);
uint64_t sim_now_ms(void);

/* --- curl ---------------------------------------------------------------- */

typedef void (*sim_curl_done)(struct sim *s, CURL *easy, CURLcode rc, void *ctx);
void sim_curl_start(struct sim *s, CURL *easy, sim_curl_done done, void *ctx);
void sim_curl_stop(struct sim *s, CURL *easy);

/* --- logging ------------------------------------------------------------- */

void sim_log(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- for the event loop -------------------------------------------------- */

/*
 * Write what the pace allows. -1: nothing waits; otherwise ms until the
 * next piece may go, 0 with s->out_full set when the pty is full (poll for
 * POLLOUT then, not for time).
 */
int sim_out_flush(struct sim *s);
/* Bytes MS of line time carries at RATE bytes/s (at least one). */
size_t sim_pace_chunk(unsigned int rate, unsigned int ms);
/* ms from NOW until DONE + MORE bytes are due in a run started at T0. */
int sim_pace_due_ms(uint64_t t0, uint64_t done, size_t more, unsigned int rate, uint64_t now);
/* Fire the timers that are due; ms until the next one, -1 if none. */
int sim_timers_run(struct sim *s);
/* Let libcurl work, and call each finished transfer's done callback. */
void sim_curl_completions(struct sim *s);

#endif /* QLINK_SIM_IO_H */
