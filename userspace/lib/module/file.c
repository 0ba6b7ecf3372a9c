// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The module's storage: AT+QFLST, AT+QFUPL, AT+QFDWL, AT+QFDEL.
 *
 * AT+QFDWL announces the length only after the payload, so a download
 * first asks AT+QFLST for the size and frames the payload by it; the
 * length and checksum the module reports afterwards must then agree.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qlink/file.h>

#include "core/api.h"
#include "core/chan-priv.h"

#define FILE_NAME_MAX 255
#define PIECE (64u << 10)
/* The module answers 405 for a file that does not exist (FILE guide). */
#define CME_NOT_FOUND 405

/* The checksum over pieces of any size: pairs may straddle two pieces. */
struct sum {
	unsigned int x;
	bool odd;
	unsigned char hi;
};

static void sum_add(struct sum *s, const unsigned char *p, size_t n)
{
	size_t i = 0;

	if (s->odd && n) {
		s->x ^= (unsigned int)s->hi << 8 | p[0];
		s->odd = false;
		i = 1;
	}
	for (; i + 1 < n; i += 2)
		s->x ^= (unsigned int)p[i] << 8 | p[i + 1];
	if (i < n) {
		s->hi = p[i];
		s->odd = true;
	}
}

static unsigned int sum_end(const struct sum *s)
{
	return s->odd ? s->x ^ (unsigned int)s->hi << 8 : s->x;
}

QLINK_API unsigned int qlink_file_checksum(unsigned int prev, const void *buf, size_t len)
{
	struct sum s = { .x = prev };

	sum_add(&s, buf, len);
	return sum_end(&s);
}

static int fail(struct qlink_chan *chan, int err, const char *fmt, const char *a, const char *b)
{
	qlink_chan_set_error(chan, fmt, a, b);
	errno = err;
	return -1;
}

static int check_name(struct qlink_chan *chan, const char *file)
{
	if (!file || !*file || strlen(file) > FILE_NAME_MAX || strpbrk(file, "\"\r\n")) {
		/* the name shortened: the reason must fit */
		qlink_chan_set_error(chan,
				     "%.40s%s: a module file name is 1-255 bytes without '\"' "
				     "or line breaks",
				     file ? file : "", file && strlen(file) > 40 ? "..." : "");
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Run @line; on failure describe it. */
static int exec(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
		struct qlink_resp **resp)
{
	struct qlink_resp *r = NULL;
	int e;

	if (qlink_chan_exec(chan, line, cmd, &r) == 0) {
		*resp = r;
		return 0;
	}
	e = errno;
	if (r && qlink_resp_get_result(r) == QLINK_RESULT_CME_ERROR &&
	    qlink_resp_get_code(r) == CME_NOT_FOUND)
		e = ENOENT;
	fail(chan, e, "%s%s", r ? qlink_resp_get_error(r) : line, r ? "" : ": no answer");
	qlink_resp_free(r);
	errno = e;
	return -1;
}

QLINK_API int qlink_file_size(struct qlink_chan *chan, const char *file, uint64_t *size)
{
	char line[FILE_NAME_MAX + 16];
	struct qlink_resp *r;
	size_t i, n;

	qlink_chan_clear_error(chan);
	if (check_name(chan, file))
		return -1;
	snprintf(line, sizeof(line), "AT+QFLST=\"%s\"", file);
	if (exec(chan, line, NULL, &r))
		return -1;
	/* +QFLST: "UFS:a.bin",1000, with or without the quotes */
	for (i = 0; i < qlink_resp_get_line_count(r); i++) {
		const char *l = qlink_resp_get_line(r, i) + strlen("+QFLST:");
		const char *comma = strrchr(l, ',');
		char *end;

		while (*l == ' ')
			l++;
		if (*l == '"')
			l++;
		n = strlen(file);
		if (!comma || strncmp(l, file, n) || (l[n] != '"' && l[n] != ','))
			continue;
		*size = strtoull(comma + 1, &end, 10);
		qlink_resp_free(r);
		if (*end || end == comma + 1)
			return fail(chan, EPROTO, "AT+QFLST: bad size for %s%s", file, "");
		return 0;
	}
	qlink_resp_free(r);
	return fail(chan, ENOENT, "%s%s: no such file on the module", file, "");
}

struct upl {
	int fd;
	uint64_t len;
	int err;
	struct sum sum;
};

static int upl_connect(struct qlink_chan *chan, const char *text, void *user)
{
	struct upl *u = user;
	unsigned char *buf = malloc(PIECE);
	uint64_t off = 0;

	(void)text;
	if (!buf)
		return -ENOMEM;
	/* the whole file goes into the channel's queue; it leaves at line rate */
	while (off < u->len) {
		size_t n = u->len - off < PIECE ? (size_t)(u->len - off) : PIECE;
		ssize_t r = pread(u->fd, buf, n, (off_t)off);

		if (r <= 0) {
			u->err = r < 0 ? errno : EIO;
			break;
		}
		sum_add(&u->sum, buf, (size_t)r);
		if (qlink_chan_send(chan, buf, (size_t)r) < 0) {
			u->err = errno;
			break;
		}
		off += (uint64_t)r;
	}
	free(buf);
	/*
	 * A short file cannot be un-announced: the module waits for the
	 * rest until its own timeout, and the command fails then.
	 */
	return u->err ? -u->err : 0;
}

static const char *const qfupl_prefix[] = { "+QFUPL:", NULL };
static const struct qlink_cmd upl_cmd = {
	.prefixes = qfupl_prefix,
	.on_connect = upl_connect,
};

/* "+QFxxx: <len>,<hex checksum>" against what the host counted */
static int check_sum(struct qlink_chan *chan, const struct qlink_resp *r, const char *prefix,
		     uint64_t len, unsigned int sum, const char *file)
{
	size_t i;

	for (i = 0; i < qlink_resp_get_line_count(r); i++) {
		const char *l = qlink_resp_get_line(r, i);
		unsigned long long n;
		unsigned int x;
		char msg[128];

		if (strncmp(l, prefix, strlen(prefix)) ||
		    sscanf(l + strlen(prefix), " %llu , %x", &n, &x) != 2)
			continue;
		if (n == len && x == sum)
			return 0;
		snprintf(msg, sizeof(msg),
			 ": the module counted %llu bytes, checksum %x; the "
			 "host %llu, %x",
			 n, x, (unsigned long long)len, sum);
		return fail(chan, EPROTO, "%s%s", file, msg);
	}
	return fail(chan, EPROTO, "%s%s: no length and checksum from the module", file, "");
}

QLINK_API int qlink_file_upload(struct qlink_chan *chan, int fd, uint64_t len, const char *file)
{
	char line[FILE_NAME_MAX + 48];
	struct upl u = { .fd = fd, .len = len };
	struct qlink_resp *r = NULL;
	int ret;

	qlink_chan_clear_error(chan);
	if (check_name(chan, file))
		return -1;
	if (!len)
		return fail(chan, EINVAL, "%s%s: AT+QFUPL cannot create an empty file", file, "");
	snprintf(line, sizeof(line), "AT+QFUPL=\"%s\",%llu", file, (unsigned long long)len);
	if (qlink_chan_run(chan, line, &upl_cmd, &u, &r) < 0) {
		int e = u.err ? u.err : errno;

		if (u.err)
			fail(chan, e, "%s: reading the host file: %s", file, strerror(e));
		else
			fail(chan, e, "%s%s", r ? qlink_resp_get_error(r) : line,
			     r ? "" : ": no answer");
		qlink_resp_free(r);
		errno = e;
		return -1;
	}
	ret = check_sum(chan, r, "+QFUPL:", len, sum_end(&u.sum), file);
	qlink_resp_free(r);
	return ret;
}

struct dwl {
	int fd;
	uint64_t size, got;
	int err;
	struct sum sum;
};

static int dwl_connect(struct qlink_chan *chan, const char *text, void *user)
{
	struct dwl *d = user;

	(void)text;
	return qlink_chan_expect_raw(chan, d->size) < 0 ? -errno : 0;
}

static void dwl_data(struct qlink_chan *chan, const void *buf, size_t len, void *user)
{
	struct dwl *d = user;

	(void)chan;
	sum_add(&d->sum, buf, len);
	if (!d->err && pwrite(d->fd, buf, len, (off_t)d->got) != (ssize_t)len)
		d->err = errno ? errno : EIO;
	d->got += len;
}

static const char *const qfdwl_prefix[] = { "+QFDWL:", NULL };
static const struct qlink_cmd dwl_cmd = {
	.prefixes = qfdwl_prefix,
	.on_connect = dwl_connect,
	.on_data = dwl_data,
};

QLINK_API int qlink_file_download(struct qlink_chan *chan, const char *file, int fd, uint64_t *len)
{
	char line[FILE_NAME_MAX + 16];
	struct dwl d = { .fd = fd };
	struct qlink_resp *r = NULL;
	int ret;

	qlink_chan_clear_error(chan);
	if (qlink_file_size(chan, file, &d.size))
		return -1;
	snprintf(line, sizeof(line), "AT+QFDWL=\"%s\"", file);
	ret = qlink_chan_run(chan, line, &dwl_cmd, &d, &r);
	if (d.err) {
		qlink_resp_free(r);
		return fail(chan, d.err, "%s: writing the host file: %s", file, strerror(d.err));
	}
	if (ret < 0) {
		int e = errno;

		fail(chan, e, "%s%s", r ? qlink_resp_get_error(r) : line, r ? "" : ": no answer");
		qlink_resp_free(r);
		errno = e;
		return -1;
	}
	ret = check_sum(chan, r, "+QFDWL:", d.got, sum_end(&d.sum), file);
	if (!ret && d.got != d.size)
		ret = fail(chan, EPROTO, "%s%s: the module sent fewer bytes than AT+QFLST listed",
			   file, "");
	qlink_resp_free(r);
	if (!ret && len)
		*len = d.got;
	return ret;
}

QLINK_API int qlink_file_delete(struct qlink_chan *chan, const char *file)
{
	char line[FILE_NAME_MAX + 16];
	struct qlink_resp *r;

	qlink_chan_clear_error(chan);
	if (check_name(chan, file))
		return -1;
	snprintf(line, sizeof(line), "AT+QFDEL=\"%s\"", file);
	if (exec(chan, line, NULL, &r))
		return -1;
	qlink_resp_free(r);
	return 0;
}
