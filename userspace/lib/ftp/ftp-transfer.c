// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * FTP(S) transfers through the AT port.
 *
 * Data mode carries raw bytes that may look like anything, "\r\nOK\r\n"
 * and "+QFTPGET: 0,5" included, so nothing here searches the payload:
 * a download asks SIZE first and then fetches <startpos>,<downloadlen>
 * chunks whose length it knows, and an upload sends <uploadlen> bytes
 * after which the module leaves data mode by itself. When a chunk fails
 * in a way that can be survived (the data connection dropped, the module
 * rebooted), the session is brought back and the transfer continues from
 * the last byte known good: for a download the end of the last chunk
 * verified, for an upload what SIZE says the server has.
 *
 * What a download keeps is verified, since nothing else can be: the
 * module's FTP client offers no checksum (no XCRC, HASH or the like), so
 * a chunk counts only when exactly <downloadlen> bytes arrived, the
 * module's OK follows them at once (a byte lost or added on the line
 * shows there), and its +QFTPGET: 0,<transferlen> says the same length.
 * Until then the chunk stays in memory; a chunk that fails is fetched
 * again whole, never kept in part, so LOCAL.part holds only verified
 * chunks even after a SIGKILL, and the final file is SIZE bytes of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <qlink/file.h>

#include "core/api.h"
#include "core/clock.h"
#include "core/chan-priv.h"
#include "ftp/ftp-parse.h"
#include "ftp/ftp-priv.h"

/*
 * A chunk cut short (the data connection dropped) is fetched again in
 * pieces of half what arrived, so a link that keeps dropping still moves;
 * never smaller than this.
 */
#define PIECE_MIN 1024
/*
 * --continue fetches again this much of what LOCAL.part already holds and
 * compares: a part file left by something else, or cut where it should
 * not be, is refused rather than completed into a wrong file.
 */
#define OVERLAP 4096

/* --------------------------------------------------------- progress */

struct progress {
	struct qlink_ftp *ftp;
	struct qlink_ftp_progress p;
	uint64_t t0, moved; /* payload moved in this call, for the rate */
};

static void progress_init(struct progress *pr, struct qlink_ftp *ftp, uint64_t done, int64_t total)
{
	memset(pr, 0, sizeof(*pr));
	pr->ftp = ftp;
	pr->p.size = sizeof(pr->p);
	pr->p.done = done;
	pr->p.total = total;
	pr->t0 = qlink_now_ms();
}

static void progress_add(struct progress *pr, size_t n)
{
	uint64_t dt = qlink_now_ms() - pr->t0;

	pr->p.done += n;
	pr->moved += n;
	pr->p.rate = dt ? (double)pr->moved * 1000.0 / (double)dt : 0;
	if (pr->ftp->progress && pr->ftp->progress(&pr->p, pr->ftp->progress_user))
		pr->ftp->cancelled = 1;
}

/* Payload already counted is being fetched or sent again. */
static void progress_rewind(struct progress *pr, uint64_t done)
{
	pr->p.done = done;
	pr->p.retries++;
}

/* ------------------------------------------------------------- sinks */

/*
 * Where a download goes: a file at an offset, or a growing buffer. A
 * file's chunk gathers in @piece and is written only once verified.
 */
struct sink {
	int fd;
	unsigned char *buf;
	size_t cap, len;
	unsigned char *piece;
	size_t piece_cap;
};

static int sink_pwrite(int fd, uint64_t off, const void *p, size_t n)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p = (const char *)p + w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

static void sink_free(struct sink *s)
{
	free(s->piece);
	s->piece = NULL;
	s->piece_cap = 0;
}

/* Room for the whole download (a buffer) or for one chunk (a file). */
static int sink_reserve(struct sink *s, uint64_t total, size_t chunk)
{
	unsigned char *b;

	if (s->fd >= 0) {
		size_t n = total < chunk ? (size_t)total : chunk;

		if (n <= s->piece_cap)
			return 0;
		b = realloc(s->piece, n);
		if (!b)
			return -1;
		s->piece = b;
		s->piece_cap = n;
		return 0;
	}
	if (total >= SIZE_MAX) {
		errno = EFBIG;
		return -1;
	}
	b = realloc(s->buf, (size_t)total + 1);
	if (!b)
		return -1;
	s->buf = b;
	s->cap = (size_t)total + 1;
	return 0;
}

/* @n bytes at @off of the download; a file's at @at in the chunk being fetched */
static int sink_write(struct sink *s, uint64_t off, size_t at, const void *p, size_t n)
{
	if (s->fd >= 0) {
		if (at > s->piece_cap || n > s->piece_cap - at) {
			errno = EPROTO; /* framing bounds a chunk: never happens */
			return -1;
		}
		memcpy(s->piece + at, p, n);
		return 0;
	}
	if (off + n >= s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		unsigned char *b;

		while (cap <= off + n)
			cap *= 2;
		b = realloc(s->buf, cap);
		if (!b)
			return -1;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + off, p, n);
	if (off + n > s->len)
		s->len = (size_t)(off + n);
	return 0;
}

/* A verified chunk of @n bytes at @off: now it goes to the file. */
static int sink_commit(struct sink *s, uint64_t off, size_t n)
{
	return s->fd >= 0 ? sink_pwrite(s->fd, off, s->piece, n) : 0;
}

static int sink_truncate(struct sink *s, uint64_t len)
{
	if (s->fd >= 0)
		return ftruncate(s->fd, (off_t)len);
	if (len < s->len)
		s->len = (size_t)len;
	return 0;
}

/* --------------------------------------------------------- downloads */

struct get_xfer {
	struct qlink_chan_run run; /* first: the user pointer of the command */
	struct sink *sink;
	struct progress *pr;
	uint64_t off; /* where this piece starts */
	size_t want;  /* its framed length; SIZE_MAX: until the module says */
	size_t got;
	int werr; /* errno of a failed write to the sink */
};

/* After exactly <downloadlen> bytes the module's OK line begins (the guide's 2.6). */
#define GET_TRAILER "\r\nOK\r"

static int get_connect(struct qlink_chan *chan, const char *text, void *user)
{
	struct get_xfer *x = user;
	int rc;

	(void)text;
	if (x->want == SIZE_MAX)
		rc = qlink_chan_expect_raw(chan, x->want);
	else
		rc = qlink_chan_expect_raw_trailer(chan, x->want, GET_TRAILER);
	return rc < 0 ? -errno : 0;
}

static void get_data(struct qlink_chan *chan, const void *buf, size_t len, void *user)
{
	struct get_xfer *x = user;

	(void)chan;
	if (!x->werr && sink_write(x->sink, x->off + x->got, x->got, buf, len) < 0)
		x->werr = errno ? errno : EIO;
	x->got += len;
	if (x->pr)
		progress_add(x->pr, len);
}

/* clang-format off: clang-format 14 explodes braced initializers in macros */
#define DOWNLOAD_CMD(var, result) \
	static const struct qlink_cmd var = { \
		.async = result, \
		.flags = QLINK_CMD_F_RSPTIMEOUT, \
		.on_connect = get_connect, \
		.on_data = get_data, \
	}
DOWNLOAD_CMD(get_cmd, "+QFTPGET:");
DOWNLOAD_CMD(list_cmd, "+QFTPLIST:");
DOWNLOAD_CMD(nlst_cmd, "+QFTPNLST:");
DOWNLOAD_CMD(mlsd_cmd, "+QFTPMLSD:");
/* clang-format on */

/* The <transferlen> of a successful transfer. */
static int transfer_len(struct qlink_ftp *ftp, const char *what, const struct qlink_resp *r,
			uint64_t *len)
{
	const char *async = qlink_resp_get_async(r);
	char val[32];
	int err;

	if (!async || qlink_ftp_parse_result(async, &err, val, sizeof(val)) || err ||
	    qlink_ftp_parse_u64(val, len))
		return ftp_failf(ftp, EPROTO, "%s: unexpected answer \"%s\"", what,
				 async ? async : "(none)");
	return 0;
}

/* The <transferlen> of a successful transfer must be what moved. */
static int check_len(struct qlink_ftp *ftp, const char *what, const struct qlink_resp *r,
		     size_t moved)
{
	uint64_t len;

	if (transfer_len(ftp, what, r, &len))
		return -1;
	if (len != moved)
		return ftp_failf(ftp, EPROTO, "%s: the module reported %llu bytes but %zu arrived",
				 what, (unsigned long long)len, moved);
	return 0;
}

/*
 * Count a failed piece: one that moved nothing after @retries others that
 * moved nothing ends the transfer with @why, the failure that started it.
 */
static int count_fail(struct qlink_ftp *ftp, bool moved, unsigned int *fails, const char *why,
		      int err)
{
	if (moved) {
		*fails = 0;
		return 0;
	}
	if (++*fails <= ftp->retries)
		return 0;
	return ftp_failf(ftp, err, "%s (gave up after %u attempts in a row that moved nothing)",
			 why, *fails);
}

/* After a failed piece: bring the session back, unless cancelled. */
static int resume(struct qlink_ftp *ftp, const char *what)
{
	if (ftp->cancelled)
		return ftp_failf(ftp, ECANCELED, "%s: cancelled", what);
	return ftp_recover(ftp, what);
}

/*
 * Cancelled while the module said nothing, perhaps in a data phase it
 * still holds (a stall): leave it in command mode for the logout, then
 * say how far the transfer got.
 */
static int cancelled(struct qlink_ftp *ftp, const char *what, uint64_t off, uint64_t total)
{
	qlink_chan_settle(ftp->chan);
	return ftp_failf(ftp, ECANCELED, "%s: cancelled after %llu of %llu bytes", what,
			 (unsigned long long)off, (unsigned long long)total);
}

/* The directory of @path, for syncing a rename into it. */
static int open_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return -1;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	return fd;
}

/*
 * A download goes to LOCAL.part in the same directory, and becomes LOCAL
 * only once complete and synced: LOCAL is never a partial file.
 *
 * A fresh download is a new file, created (O_EXCL, never through a link)
 * under a name of its own beside LOCAL.part with the permissions of a
 * new file, and renamed to LOCAL.part only once SIZE has answered: a
 * planted LOCAL.part symlink is replaced, not followed, and a get that
 * fails before any data leaves an existing LOCAL.part as it was.
 * --continue opens LOCAL.part only if it is a regular file of ours.
 */
struct part {
	char *path; /* LOCAL.part */
	char *tmp;  /* the new file's own name until placed; NULL once placed */
	int fd;
	uint64_t start; /* bytes already there (QLINK_FTP_CONTINUE) */
};

/* The name the part file has now. */
static const char *part_name(const struct part *p)
{
	return p->tmp ? p->tmp : p->path;
}

static int part_create(struct qlink_ftp *ftp, const char *what, struct part *p)
{
	unsigned int tries;

	for (tries = 0; tries < 100; tries++) {
		unsigned int r = 0;

		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r = (unsigned int)qlink_now_ms() * 2654435761u ^ (unsigned int)getpid();
		free(p->tmp);
		if (asprintf(&p->tmp, "%s.%08x", p->path, r ^ tries) < 0) {
			p->tmp = NULL;
			return ftp_failf(ftp, ENOMEM, "%s: out of memory", what);
		}
		p->fd = open(p->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (p->fd >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	ftp_failf(ftp, errno, "%s: %s: %s", what, p->tmp, strerror(errno));
	free(p->tmp);
	p->tmp = NULL;
	return -1;
}

static int part_open(struct qlink_ftp *ftp, const char *what, const char *local, unsigned int flags,
		     struct part *p)
{
	struct stat st;

	p->fd = -1;
	p->path = NULL;
	p->tmp = NULL;
	p->start = 0;
	if (!local || !*local)
		return ftp_failf(ftp, EINVAL, "%s: no local file name", what);
	if (asprintf(&p->path, "%s.part", local) < 0) {
		p->path = NULL;
		return ftp_failf(ftp, ENOMEM, "%s: out of memory", what);
	}
	if (flags & QLINK_FTP_CONTINUE) {
		/* O_NONBLOCK: a FIFO planted there must not hang the open */
		p->fd = open(p->path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (p->fd < 0 && errno == ELOOP) {
			ftp_failf(ftp, ELOOP, "%s: %s is a symbolic link: not following it", what,
				  p->path);
			goto free_path;
		}
		if (p->fd < 0 && errno != ENOENT) {
			ftp_failf(ftp, errno, "%s: %s: %s", what, p->path, strerror(errno));
			goto free_path;
		}
		if (p->fd >= 0) {
			if (fstat(p->fd, &st) < 0) {
				ftp_failf(ftp, errno, "%s: %s: %s", what, p->path, strerror(errno));
				goto close_fd;
			}
			if (!S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_uid != geteuid()) {
				ftp_failf(ftp, EPERM,
					  "%s: %s is not a regular file of this user's with one "
					  "name: not continuing it",
					  what, p->path);
				goto close_fd;
			}
			fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) & ~O_NONBLOCK);
			p->start = (uint64_t)st.st_size;
			return 0;
		}
	}
	if (part_create(ftp, what, p))
		goto free_path;
	return 0;

close_fd:
	close(p->fd);
	p->fd = -1;
free_path:
	free(p->path);
	p->path = NULL;
	return -1;
}

/* The new file becomes LOCAL.part, replacing whatever had that name. */
static int part_place(struct qlink_ftp *ftp, const char *what, struct part *p)
{
	if (!p->tmp)
		return 0;
	if (rename(p->tmp, p->path) < 0)
		return ftp_failf(ftp, errno, "%s: rename to %s: %s", what, p->path,
				 strerror(errno));
	free(p->tmp);
	p->tmp = NULL;
	return 0;
}

/* Complete: check the length, sync, rename, sync the directory. */
static int part_commit(struct qlink_ftp *ftp, const char *what, struct part *p, const char *local,
		       uint64_t total)
{
	struct stat st;
	int dfd;

	if (fstat(p->fd, &st) < 0 || (uint64_t)st.st_size != total)
		return ftp_failf(ftp, EIO, "%s: %s has %lld bytes, not %llu", what, part_name(p),
				 (long long)st.st_size, (unsigned long long)total);
	if (fsync(p->fd) < 0)
		return ftp_failf(ftp, errno, "%s: %s: %s", what, part_name(p), strerror(errno));
	if (rename(part_name(p), local) < 0)
		return ftp_failf(ftp, errno, "%s: rename to %s: %s", what, local, strerror(errno));
	free(p->tmp);
	p->tmp = NULL;
	dfd = open_dir_of(local);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/*
 * After success or failure: a new file never placed goes (LOCAL.part, if
 * any, is untouched); an empty LOCAL.part is not worth keeping.
 */
static void part_close(struct qlink_ftp *ftp, struct part *p, int failed)
{
	struct stat st;
	int e = errno;

	if (failed && p->tmp) {
		unlink(p->tmp);
	} else if (failed && fstat(p->fd, &st) == 0) {
		if (st.st_size == 0)
			unlink(p->path);
		else if (strlen(ftp->err) + strlen(p->path) + 48 < sizeof(ftp->err))
			snprintf(ftp->err + strlen(ftp->err), sizeof(ftp->err) - strlen(ftp->err),
				 " (partial data kept in %s to continue)", p->path);
	}
	close(p->fd);
	free(p->tmp);
	free(p->path);
	errno = e;
}

/*
 * A chunk that did not arrive as the module sent it: its framing failed
 * (-EBADMSG from the channel) or the module's <transferlen> is not what
 * came. Nothing of it is kept; it is fetched again.
 */
static int damaged(struct qlink_ftp *ftp, const char *what, uint64_t off, size_t want,
		   const char *how, unsigned int *fails)
{
	char why[sizeof(ftp->err)];

	snprintf(why, sizeof(why),
		 "%s: the chunk of %zu bytes at %llu arrived damaged (%s): bytes were lost or "
		 "added on the line; check hardware flow control (RTS/CTS) and that no other "
		 "program uses the port",
		 what, want, (unsigned long long)off, how);
	ftp_failf(ftp, EBADMSG, "%s", why);
	return count_fail(ftp, false, fails, why, EBADMSG);
}

/* Do the first of @n bytes of the verified chunk at @off differ from the file's? */
static bool overlap_differs(const struct sink *s, uint64_t off, uint64_t n, size_t got)
{
	unsigned char have[OVERLAP];
	size_t k = n < got ? (size_t)n : got;

	if (k > sizeof(have))
		k = sizeof(have);
	return pread(s->fd, have, k, (off_t)off) != (ssize_t)k || memcmp(have, s->piece, k);
}

static int download(struct qlink_ftp *ftp, const char *what, const char *remote, struct sink *sink,
		    uint64_t start, uint64_t *total_out, struct part *part)
{
	char line[QLINK_CMD_LINE_MAX], why[sizeof(ftp->err)];
	struct progress pr;
	unsigned int fails = 0;
	uint64_t total, off = start, again;
	size_t piece = ftp->chunk;
	uint64_t check = start; /* LOCAL.part's bytes before this are compared */

	if (ftp_size(ftp, what, remote, &total))
		return -1;
	if (start > total)
		return ftp_failf(ftp, EINVAL,
				 "%s: the partial download has %llu bytes, more than "
				 "the %llu on the server: remove it and start over",
				 what, (unsigned long long)start, (unsigned long long)total);
	if (sink_reserve(sink, total, ftp->chunk))
		return ftp_failf(ftp, errno, "%s: %s", what, strerror(errno));
	/* the server has the file: only now may a fresh download replace LOCAL.part */
	if (part && part_place(ftp, what, part))
		return -1;
	if (part && start)
		off = start > OVERLAP ? start - OVERLAP : 0;
	progress_init(&pr, ftp, off, (int64_t)total);
	while (off < total) {
		struct get_xfer x = { .sink = sink, .pr = &pr, .off = off };
		uint64_t said;
		int rc;

		if (ftp->cancelled)
			return ftp_failf(ftp, ECANCELED, "%s: cancelled after %llu of %llu bytes",
					 what, (unsigned long long)off, (unsigned long long)total);
		x.want = total - off < piece ? (size_t)(total - off) : piece;
		snprintf(line, sizeof(line), "AT+QFTPGET=\"%s\",\"COM:\",%llu,%zu", remote,
			 (unsigned long long)off, x.want);
		errno = 0;
		rc = ftp_run(ftp, line, &get_cmd, &x.run);
		if (x.werr) {
			qlink_resp_free(x.run.resp);
			return ftp_failf(ftp, x.werr, "%s: writing: %s", what, strerror(x.werr));
		}
		if (rc == 0) {
			rc = transfer_len(ftp, what, x.run.resp, &said);
			qlink_resp_free(x.run.resp);
			if (rc)
				return -1;
			if (said != x.got) {
				char how[96];

				snprintf(how, sizeof(how),
					 "the module reported %llu bytes but %zu arrived",
					 (unsigned long long)said, x.got);
				progress_rewind(&pr, off);
				if (damaged(ftp, what, off, x.want, how, &fails))
					return -1;
				continue;
			}
			if (x.got != x.want)
				return ftp_failf(ftp, EPROTO,
						 "%s: %zu bytes at %llu, not the %zu "
						 "SIZE promised: did the file change?",
						 what, x.got, (unsigned long long)off, x.want);
			if (off < check && overlap_differs(sink, off, check - off, x.got))
				return ftp_failf(ftp, EBADMSG,
						 "%s: %s does not hold the server's bytes before "
						 "%llu: remove it and start over",
						 what, part->path, (unsigned long long)check);
			if (sink_commit(sink, off, x.got) < 0)
				return ftp_failf(ftp, errno, "%s: writing: %s", what,
						 strerror(errno));
			off += x.got;
			fails = 0;
			continue;
		}
		progress_rewind(&pr, off);
		if (x.run.status == -EBADMSG) {
			/* the module finished with its result: the session is as it was */
			qlink_resp_free(x.run.resp);
			if (damaged(ftp, what, off, x.want, "not followed by the module's OK",
				    &fails))
				return -1;
			continue;
		}
		ftp_fail(ftp, what, x.run.resp);
		qlink_resp_free(x.run.resp);
		/* cut short: what arrived cannot be verified, so the next pieces are smaller */
		if (x.got && x.got < x.want && x.got / 2 < piece)
			piece = x.got / 2 > PIECE_MIN ? x.got / 2 : PIECE_MIN;
		/* LOCAL.part's bytes before @check were verified by an earlier run:
		 * a failure while they are fetched again for comparison keeps them */
		if (sink_truncate(sink, off > check ? off : check))
			return ftp_failf(ftp, errno, "%s: %s", what, strerror(errno));
		if (x.run.status == -ECANCELED)
			return cancelled(ftp, what, off > check ? off : check, total);
		snprintf(why, sizeof(why), "%s", ftp->err);
		if (!ftp_resumable(ftp, x.run.status) ||
		    count_fail(ftp, false, &fails, why, -x.run.status) || resume(ftp, what))
			return -1;
		if (ftp_size(ftp, what, remote, &again))
			return -1;
		if (again != total)
			return ftp_failf(ftp, EPROTO,
					 "%s: the file changed on the server during "
					 "the download (%llu bytes, then %llu)",
					 what, (unsigned long long)total,
					 (unsigned long long)again);
	}
	*total_out = total;
	return 0;
}

QLINK_API int qlink_ftp_get(struct qlink_ftp *ftp, const char *remote, const char *local,
			    unsigned int flags)
{
	char what[FTP_NAME_MAX + 8];
	struct sink sink = { .fd = -1 };
	struct part p;
	uint64_t total = 0;
	int ret;

	ftp_begin(ftp);
	snprintf(what, sizeof(what), "get %s", remote ? remote : "");
	if (ftp_check_name(ftp, what, remote, FTP_NAME_MAX) ||
	    part_open(ftp, what, local, flags, &p))
		return -1;
	sink.fd = p.fd;
	ret = download(ftp, what, remote, &sink, p.start, &total, &p);
	sink_free(&sink);
	if (!ret)
		ret = part_commit(ftp, what, &p, local, total);
	part_close(ftp, &p, ret);
	return ret;
}

QLINK_API int qlink_ftp_get_buf(struct qlink_ftp *ftp, const char *remote, void **buf, size_t *len)
{
	char what[FTP_NAME_MAX + 8];
	struct sink sink = { .fd = -1 };
	uint64_t total;

	ftp_begin(ftp);
	snprintf(what, sizeof(what), "get %s", remote ? remote : "");
	if (ftp_check_name(ftp, what, remote, FTP_NAME_MAX))
		return -1;
	if (download(ftp, what, remote, &sink, 0, &total, NULL)) {
		free(sink.buf);
		return -1;
	}
	sink.buf[total] = '\0';
	*buf = sink.buf;
	*len = (size_t)total;
	return 0;
}

/* LIST, NLST, MLSD: the length comes only after the payload. */
static int listing(struct qlink_ftp *ftp, const char *what, const char *cmd, const char *dir,
		   const struct qlink_cmd *desc, struct sink *sink)
{
	char line[QLINK_CMD_LINE_MAX];
	struct get_xfer x = { .sink = sink, .want = SIZE_MAX };
	int rc;

	if (ftp_check_name(ftp, what, dir, FTP_NAME_MAX))
		return -1;
	snprintf(line, sizeof(line), "AT+%s=\"%s\",\"COM:\"", cmd, dir);
	errno = 0;
	rc = ftp_run(ftp, line, desc, &x.run);
	if (x.werr) {
		qlink_resp_free(x.run.resp);
		return ftp_failf(ftp, x.werr, "%s: %s", what, strerror(x.werr));
	}
	if (rc) {
		ftp_fail(ftp, what, x.run.resp);
		qlink_resp_free(x.run.resp);
		return -1;
	}
	rc = check_len(ftp, what, x.run.resp, x.got);
	qlink_resp_free(x.run.resp);
	if (rc)
		return -1;
	if (sink_write(sink, x.got, 0, "", 1) < 0) /* NUL, not counted */
		return ftp_failf(ftp, errno, "%s: %s", what, strerror(errno));
	return 0;
}

QLINK_API int qlink_ftp_list(struct qlink_ftp *ftp, const char *dir, bool names, char **out,
			     size_t *len)
{
	struct sink sink = { .fd = -1 };
	char what[FTP_NAME_MAX + 8];

	snprintf(what, sizeof(what), "%s %s", names ? "nlst" : "ls", dir ? dir : "");
	if (listing(ftp, what, names ? "QFTPNLST" : "QFTPLIST", dir, names ? &nlst_cmd : &list_cmd,
		    &sink)) {
		free(sink.buf);
		return -1;
	}
	*out = (char *)sink.buf;
	*len = sink.len - 1;
	return 0;
}

QLINK_API int qlink_ftp_mlsd(struct qlink_ftp *ftp, const char *dir,
			     struct qlink_ftp_entry **entries, size_t *n)
{
	struct sink sink = { .fd = -1 };
	char what[FTP_NAME_MAX + 8];
	size_t bad;
	int rc;

	snprintf(what, sizeof(what), "mlsd %s", dir ? dir : "");
	if (listing(ftp, what, "QFTPMLSD", dir, &mlsd_cmd, &sink)) {
		free(sink.buf);
		return -1;
	}
	rc = qlink_ftp_parse_mlsd((const char *)sink.buf, sink.len - 1, entries, n, &bad);
	free(sink.buf);
	if (rc && errno == EPROTO)
		return ftp_failf(ftp, EPROTO, "%s: line %zu is not an MLSD entry", what, bad);
	if (rc)
		return ftp_failf(ftp, errno, "%s: %s", what, strerror(errno));
	return 0;
}

/* ----------------------------------------------------------- uploads */

/* Where an upload comes from: a file or a buffer. */
struct source {
	int fd;
	const char *path; /* the file's, for a message */
	const unsigned char *buf;
	unsigned char *chunk; /* file data read for the current piece */
	bool shrank;	      /* the file ended before the size it had at the start */
};

struct put_xfer {
	struct qlink_chan_run run; /* first: the user pointer of the command */
	const void *data;
	size_t len;
	bool connected;
};

static int put_connect(struct qlink_chan *chan, const char *text, void *user)
{
	struct put_xfer *x = user;

	(void)text;
	x->connected = true;
	if (x->len && qlink_chan_send(chan, x->data, x->len) < 0)
		return -errno;
	return 0;
}

static const struct qlink_cmd put_cmd = {
	.async = "+QFTPPUT:",
	.flags = QLINK_CMD_F_RSPTIMEOUT,
	.on_connect = put_connect,
};

static const void *source_get(struct source *src, uint64_t off, size_t n)
{
	size_t done = 0;

	if (src->fd < 0)
		return src->buf + off;
	while (done < n) {
		ssize_t r = pread(src->fd, src->chunk + done, n - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!r) {
				src->shrank = true;
				errno = EIO;
			}
			return NULL;
		}
		done += (size_t)r;
	}
	return src->chunk;
}

/*
 * An empty file cannot be sent in bounded pieces (<uploadlen> starts at
 * 1), so it is the one upload that ends data mode with "+++", which the
 * guide documents for AT+QFTPPUT, with the guard times around it.
 */
static int put_empty(struct qlink_ftp *ftp, const char *what, const char *remote)
{
	char line[QLINK_CMD_LINE_MAX];
	struct put_xfer x = { 0 };
	struct qlink_chan_run st;
	struct qlink_resp *resp;
	int rc;

	snprintf(line, sizeof(line), "AT+QFTPPUT=\"%s\",\"COM:\",0", remote);
	errno = 0;
	/* not qlink_chan_run(): data mode must be left between CONNECT and the result */
	if (qlink_chan_run_start(ftp->chan, line, &put_cmd, &x, &st) < 0)
		return ftp_fail(ftp, what, NULL);
	while (!st.done && !x.connected)
		if (qlink_chan_wait(ftp->chan, -1) < 0 && errno != EINTR)
			break;
	/* DTR when the board installed its hook (qlink_chan_set_dtr()), else +++ */
	if (x.connected && !st.done)
		qlink_chan_leave_data(ftp->chan);
	rc = qlink_chan_run_finish(ftp->chan, &st, &resp);
	if (rc == 0)
		rc = check_len(ftp, what, resp, 0);
	else
		ftp_fail(ftp, what, resp);
	qlink_resp_free(resp);
	return rc;
}

static int upload(struct qlink_ftp *ftp, const char *what, const char *remote, struct source *src,
		  uint64_t total, unsigned int flags)
{
	char line[QLINK_CMD_LINE_MAX], why[sizeof(ftp->err)];
	struct progress pr;
	unsigned int fails = 0;
	uint64_t base = 0, off = 0, have;

	if (flags & QLINK_FTP_APPEND) {
		if (ftp_size(ftp, what, remote, &base)) {
			if (ftp->err_code != 627)
				return -1;
			base = 0; /* no such file yet: appending creates it */
		}
	}
	if (!total)
		return flags & QLINK_FTP_APPEND ? 0 : put_empty(ftp, what, remote);
	progress_init(&pr, ftp, 0, (int64_t)total);
	while (off < total) {
		struct put_xfer x = { 0 };
		int rc, beof;

		if (ftp->cancelled)
			return ftp_failf(ftp, ECANCELED, "%s: cancelled after %llu of %llu bytes",
					 what, (unsigned long long)off, (unsigned long long)total);
		x.len = total - off < ftp->chunk ? (size_t)(total - off) : ftp->chunk;
		beof = off + x.len == total;
		x.data = source_get(src, off, x.len);
		if (!x.data && src->shrank) {
			struct stat st;

			return ftp_failf(ftp, EIO,
					 "%s: %s shrank while it was sent: it had %llu bytes, now "
					 "%lld; %llu were sent, the server's copy is incomplete",
					 what, src->path, (unsigned long long)total,
					 fstat(src->fd, &st) ? -1LL : (long long)st.st_size,
					 (unsigned long long)off);
		}
		if (!x.data)
			return ftp_failf(ftp, errno, "%s: reading %s: %s", what, src->path,
					 strerror(errno));
		snprintf(line, sizeof(line), "AT+QFTPPUT=\"%s\",\"COM:\",%llu,%zu,%d", remote,
			 (unsigned long long)(base + off), x.len, beof);
		errno = 0;
		rc = ftp_run(ftp, line, &put_cmd, &x.run);
		if (rc == 0) {
			rc = check_len(ftp, what, x.run.resp, x.len);
			qlink_resp_free(x.run.resp);
			if (rc)
				return -1;
			off += x.len;
			progress_add(&pr, x.len);
			fails = 0;
			continue;
		}
		ftp_fail(ftp, what, x.run.resp);
		qlink_resp_free(x.run.resp);
		if (x.run.status == -ECANCELED)
			return cancelled(ftp, what, off, total);
		snprintf(why, sizeof(why), "%s", ftp->err);
		if (!ftp_resumable(ftp, x.run.status) || resume(ftp, what))
			return -1;
		/* the server's file is the truth about what arrived */
		if (ftp_size(ftp, what, remote, &have)) {
			if (ftp->err_code != 627)
				return -1;
			have = base;
		}
		if (have < base || have - base > off + x.len)
			return ftp_failf(ftp, EPROTO,
					 "%s: the server has %llu bytes of %s, which "
					 "does not fit an upload at %llu",
					 what, (unsigned long long)have, remote,
					 (unsigned long long)(base + off));
		if (count_fail(ftp, have - base > off, &fails, why, -x.run.status))
			return -1;
		off = have - base;
		progress_rewind(&pr, off);
	}
	if (ftp->ascii)
		return 0; /* line ends may be converted: sizes differ by design */
	if (ftp_size(ftp, what, remote, &have))
		return -1;
	if (have != base + total)
		return ftp_failf(ftp, EPROTO, "%s: the server has %llu bytes, not the %llu sent",
				 what, (unsigned long long)have,
				 (unsigned long long)(base + total));
	return 0;
}

QLINK_API int qlink_ftp_put(struct qlink_ftp *ftp, const char *local, const char *remote,
			    unsigned int flags)
{
	char what[FTP_NAME_MAX + 8];
	struct source src = { .fd = -1, .path = local };
	struct stat st;
	int ret = -1;

	ftp_begin(ftp);
	snprintf(what, sizeof(what), "put %s", remote ? remote : "");
	if (ftp_check_name(ftp, what, remote, FTP_NAME_MAX))
		return -1;
	src.fd = open(local ? local : "", O_RDONLY | O_CLOEXEC);
	if (src.fd < 0)
		return ftp_failf(ftp, errno, "%s: %s: %s", what, local ? local : "",
				 strerror(errno));
	if (fstat(src.fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ftp_failf(ftp, errno ? errno : EINVAL, "%s: %s: not a regular file", what, local);
		goto close_src;
	}
	src.chunk = malloc(ftp->chunk);
	if (!src.chunk) {
		ftp_failf(ftp, ENOMEM, "%s: out of memory", what);
		goto close_src;
	}
	ret = upload(ftp, what, remote, &src, (uint64_t)st.st_size, flags);
	free(src.chunk);
close_src:
	close(src.fd);
	return ret;
}

QLINK_API int qlink_ftp_put_buf(struct qlink_ftp *ftp, const void *buf, size_t len,
				const char *remote, unsigned int flags)
{
	char what[FTP_NAME_MAX + 8];
	struct source src = { .fd = -1, .buf = buf };

	ftp_begin(ftp);
	snprintf(what, sizeof(what), "put %s", remote ? remote : "");
	if (ftp_check_name(ftp, what, remote, FTP_NAME_MAX))
		return -1;
	if (!buf && len)
		return ftp_failf(ftp, EINVAL, "%s: no data", what);
	return upload(ftp, what, remote, &src, len, flags);
}

/* ------------------------------------------- the module's own files */

static int module_xfer(struct qlink_ftp *ftp, const char *what, const char *line, uint64_t *len)
{
	struct qlink_resp *r = NULL;
	char val[32];
	int err;
	uint64_t n;

	errno = 0;
	if (qlink_chan_exec(ftp->chan, line, NULL, &r) < 0) {
		ftp_fail(ftp, what, r);
		qlink_resp_free(r);
		return -1;
	}
	if (!qlink_resp_get_async(r) ||
	    qlink_ftp_parse_result(qlink_resp_get_async(r), &err, val, sizeof(val)) ||
	    qlink_ftp_parse_u64(val, &n)) {
		ftp_failf(ftp, EPROTO, "%s: unexpected answer \"%s\"", what,
			  qlink_resp_get_async(r) ? qlink_resp_get_async(r) : "(none)");
		qlink_resp_free(r);
		return -1;
	}
	qlink_resp_free(r);
	if (len)
		*len = n;
	return 0;
}

static int check_module_file(struct qlink_ftp *ftp, const char *what, const char *file)
{
	if (ftp_check_name(ftp, what, file, FTP_NAME_MAX))
		return -1;
	if (strncmp(file, "UFS:", 4) && strncmp(file, "RAM:", 4) && strncmp(file, "SD:", 3))
		return ftp_failf(ftp, EINVAL, "%s: a module file is named UFS:, RAM: or SD:...",
				 what);
	return 0;
}

/* AT+QFTPGET into a module file, or AT+QFTPPUT from one. */
static int module_cmd(struct qlink_ftp *ftp, bool get, const char *remote, const char *file,
		      uint64_t *len)
{
	char line[QLINK_CMD_LINE_MAX], what[2 * FTP_NAME_MAX + 16];

	snprintf(what, sizeof(what), get ? "get %s to %s" : "put %s from %s", remote ? remote : "",
		 file ? file : "");
	if (ftp_check_name(ftp, what, remote, FTP_NAME_MAX) || check_module_file(ftp, what, file))
		return -1;
	snprintf(line, sizeof(line),
		 get ? "AT+QFTPGET=\"%s\",\"%s\"" : "AT+QFTPPUT=\"%s\",\"%s\",0", remote, file);
	return module_xfer(ftp, what, line, len);
}

QLINK_API int qlink_ftp_get_module(struct qlink_ftp *ftp, const char *remote, const char *file,
				   uint64_t *len)
{
	return module_cmd(ftp, true, remote, file, len);
}

QLINK_API int qlink_ftp_put_module(struct qlink_ftp *ftp, const char *file, const char *remote,
				   uint64_t *len)
{
	return module_cmd(ftp, false, remote, file, len);
}

/* ------------------------------------- through the module's storage */

/* The server's size of @remote must be @len (not in ASCII mode). */
static int check_remote_size(struct qlink_ftp *ftp, const char *what, const char *remote,
			     uint64_t len)
{
	uint64_t have;

	if (ftp->ascii)
		return 0;
	if (ftp_size(ftp, what, remote, &have))
		return -1;
	if (have != len)
		return ftp_failf(ftp, EPROTO, "%s: the server has %llu bytes, not %llu", what,
				 (unsigned long long)have, (unsigned long long)len);
	return 0;
}

QLINK_API int qlink_ftp_get_via(struct qlink_ftp *ftp, const char *remote, const char *local,
				const char *file)
{
	char what[2 * FTP_NAME_MAX + 16];
	uint64_t n, got;
	struct part p;
	int ret = -1;

	ftp_begin(ftp);
	snprintf(what, sizeof(what), "get %s via %s", remote ? remote : "", file ? file : "");
	if (ftp_check_name(ftp, what, remote, FTP_NAME_MAX) || part_open(ftp, what, local, 0, &p))
		return -1;
	if (qlink_ftp_get_module(ftp, remote, file, &n))
		goto close_part;
	if (qlink_file_download(ftp->chan, file, p.fd, &got)) {
		ftp_failf(ftp, errno, "%s: %s", what, qlink_chan_get_error(ftp->chan));
		goto close_part;
	}
	if (got != n) {
		ftp_failf(ftp, EPROTO, "%s: the module fetched %llu bytes but holds %llu", what,
			  (unsigned long long)n, (unsigned long long)got);
		goto close_part;
	}
	qlink_file_delete(ftp->chan, file);
	if (check_remote_size(ftp, what, remote, got))
		goto close_part;
	ret = part_commit(ftp, what, &p, local, got);
close_part:
	part_close(ftp, &p, ret);
	return ret;
}

QLINK_API int qlink_ftp_put_via(struct qlink_ftp *ftp, const char *local, const char *remote,
				const char *file)
{
	char what[2 * FTP_NAME_MAX + 16];
	struct stat st;
	uint64_t n;
	int fd, ret = -1;

	ftp_begin(ftp);
	snprintf(what, sizeof(what), "put %s via %s", remote ? remote : "", file ? file : "");
	if (ftp_check_name(ftp, what, remote, FTP_NAME_MAX))
		return -1;
	fd = open(local ? local : "", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ftp_failf(ftp, errno, "%s: %s: %s", what, local ? local : "",
				 strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ftp_failf(ftp, errno ? errno : EINVAL, "%s: %s: not a regular file", what, local);
		goto close_fd;
	}
	if (qlink_file_upload(ftp->chan, fd, (uint64_t)st.st_size, file)) {
		ftp_failf(ftp, errno, "%s: %s", what, qlink_chan_get_error(ftp->chan));
		goto close_fd;
	}
	if (qlink_ftp_put_module(ftp, file, remote, &n))
		goto close_fd;
	qlink_file_delete(ftp->chan, file);
	if (n != (uint64_t)st.st_size) {
		ftp_failf(ftp, EPROTO, "%s: the module sent %llu bytes of %lld", what,
			  (unsigned long long)n, (long long)st.st_size);
		goto close_fd;
	}
	ret = check_remote_size(ftp, what, remote, n);
close_fd:
	close(fd);
	return ret;
}
