// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink-sim's bottom layer, which every command group calls and which
 * calls nothing back: output to the host paced at --baud, timers, the
 * libcurl multi glue and the log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim-core.h"
#include "sim-io.h"

uint64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void sim_log(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->verbose)
		return;
	va_start(ap, fmt);
	fputs("qlink-sim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ------------------------------------------------------------- output */

void sim_send(struct sim *s, const void *buf, size_t len)
{
	if (s->mode == SIM_MODE_OFF || !len)
		return;
	if (s->out_pos == s->out_len)
		s->out_pos = s->out_len = 0;
	if (s->out_len + len > s->out_cap) {
		size_t cap = s->out_cap ? s->out_cap : 4096;
		unsigned char *p;

		while (cap < s->out_len + len)
			cap *= 2;
		p = realloc(s->out, cap);
		if (!p) {
			fprintf(stderr, "qlink-sim: out of memory\n");
			exit(1);
		}
		s->out = p;
		s->out_cap = cap;
	}
	memcpy(s->out + s->out_len, buf, len);
	s->out_len += len;
}

size_t sim_out_pending(const struct sim *s)
{
	return s->out_len - s->out_pos;
}

void sim_out_discard(struct sim *s)
{
	s->out_pos = s->out_len = 0;
}

size_t sim_out_high(const struct sim *s)
{
	/* a module's UART buffer holds a fraction of a second of data */
	size_t n = s->baud ? s->baud / 50 : 256u << 10;

	return n < 4096 ? 4096 : n;
}

void sim_line(struct sim *s, const char *fmt, ...)
{
	char buf[SIM_LINE_MAX + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	sim_send(s, "\r\n", 2);
	sim_send(s, buf, (size_t)n);
	sim_send(s, "\r\n", 2);
}

void sim_ok(struct sim *s)
{
	sim_line(s, "OK");
}

void sim_error(struct sim *s)
{
	sim_line(s, "ERROR");
}

void sim_cme(struct sim *s, int code)
{
	if (!s->st.cmee)
		sim_error(s);
	else
		sim_line(s, "+CME ERROR: %d", code);
}

/*
 * 8N1: ten bits a byte. Bytes may leave only as fast as the line rate
 * allows since the start of the current run; an idle line starts a new run.
 */
static size_t pace_budget(struct sim *s, uint64_t now)
{
	uint64_t allowed;

	if (!s->baud)
		return (size_t)-1;
	allowed = (now - s->pace_t0) * s->baud / 10000;
	return allowed > s->pace_sent ? (size_t)(allowed - s->pace_sent) : 0;
}

/* Line time that may be made up after a late turn of the loop: 50 ms. */
static size_t pace_slack(const struct sim *s)
{
	return s->baud / 10 / 20 + 1;
}

size_t sim_pace_chunk(unsigned int rate, unsigned int ms)
{
	size_t n = (size_t)rate * ms / 1000;

	return n ? n : 1;
}

int sim_pace_due_ms(uint64_t t0, uint64_t done, size_t more, unsigned int rate, uint64_t now)
{
	uint64_t due = t0 + ((done + more) * 1000 + rate - 1) / rate;

	return due > now ? (int)(due - now) : 0;
}

int sim_out_flush(struct sim *s)
{
	uint64_t now = sim_now_ms();
	size_t n = s->out_len - s->out_pos, budget, want;
	ssize_t w;

	s->out_full = false;
	if (!n) {
		s->pace_idle = true;
		return -1;
	}
	if (s->pace_idle || !s->pace_t0) {
		/* an idle line banks no time: a new run starts now */
		s->pace_t0 = now;
		s->pace_sent = 0;
		s->pace_idle = false;
	}
	budget = pace_budget(s, now);
	if (s->baud && budget > pace_slack(s)) {
		/* nor does a line held up by a full pty (the host not reading) */
		s->pace_sent += budget - pace_slack(s);
		budget = pace_slack(s);
	}
	if (n > budget)
		n = budget;
	if (n) {
		w = write(s->master, s->out + s->out_pos, n);
		if (w > 0) {
			s->out_pos += (size_t)w;
			s->pace_sent += (uint64_t)w;
		}
		/* a short write or EAGAIN: the pty is full until the host reads */
		s->out_full = w < (ssize_t)n;
	}
	if (s->out_pos == s->out_len)
		return -1;
	if (s->out_full || !s->baud)
		return 0;
	/*
	 * Asleep until 1 ms of line time (or what is left, if less) may go:
	 * the host sees the pieces a UART's FIFO and the tty layer would
	 * hand it, not larger ones that would flatter its CPU per byte.
	 */
	want = s->out_len - s->out_pos;
	if (want > sim_pace_chunk(s->baud / 10, 1))
		want = sim_pace_chunk(s->baud / 10, 1);
	return sim_pace_due_ms(s->pace_t0, s->pace_sent, want, s->baud / 10, now);
}

/* ------------------------------------------------------------- timers */

int sim_timer_add(struct sim *s, unsigned int ms, sim_timer_fn fn, void *ctx)
{
	int i;

	for (i = 0; i < SIM_MAX_TIMERS; i++) {
		if (!s->timers[i].id) {
			if (++s->next_timer_id <= 0)
				s->next_timer_id = 1;
			s->timers[i].id = s->next_timer_id;
			s->timers[i].due = sim_now_ms() + ms;
			s->timers[i].fn = fn;
			s->timers[i].ctx = ctx;
			return s->timers[i].id;
		}
	}
	fprintf(stderr, "qlink-sim: too many timers\n");
	exit(1);
}

void sim_timer_cancel(struct sim *s, int id)
{
	int i;

	for (i = 0; id && i < SIM_MAX_TIMERS; i++)
		if (s->timers[i].id == id)
			s->timers[i].id = 0;
}

int sim_timers_run(struct sim *s)
{
	uint64_t now = sim_now_ms();
	int i, next = -1;

	for (i = 0; i < SIM_MAX_TIMERS; i++) {
		struct sim_timer t = s->timers[i];

		if (t.id && t.due <= now) {
			s->timers[i].id = 0;
			t.fn(s, t.ctx);
		}
	}
	now = sim_now_ms();
	for (i = 0; i < SIM_MAX_TIMERS; i++) {
		if (s->timers[i].id) {
			int left = s->timers[i].due > now ? (int)(s->timers[i].due - now) : 0;

			if (next < 0 || left < next)
				next = left;
		}
	}
	return next;
}

/* --------------------------------------------------------------- curl */

struct curl_job {
	sim_curl_done done;
	void *ctx;
};

void sim_curl_start(struct sim *s, CURL *easy, sim_curl_done done, void *ctx)
{
	struct curl_job *job = calloc(1, sizeof(*job));

	if (!job) {
		fprintf(stderr, "qlink-sim: out of memory\n");
		exit(1);
	}
	job->done = done;
	job->ctx = ctx;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, job);
	curl_multi_add_handle(s->multi, easy);
}

void sim_curl_stop(struct sim *s, CURL *easy)
{
	struct curl_job *job = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&job);
	curl_multi_remove_handle(s->multi, easy);
	free(job);
}

void sim_curl_completions(struct sim *s)
{
	CURLMsg *msg;
	int left;

	curl_multi_perform(s->multi, &s->running);
	while ((msg = curl_multi_info_read(s->multi, &left))) {
		struct curl_job *job = NULL;
		CURL *easy = msg->easy_handle;
		CURLcode rc = msg->data.result;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&job);
		curl_multi_remove_handle(s->multi, easy);
		/* the job is freed here: a later sim_curl_stop() must not see it */
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		if (job) {
			sim_curl_done done = job->done;
			void *ctx = job->ctx;

			free(job);
			done(s, easy, rc, ctx);
		}
	}
}
