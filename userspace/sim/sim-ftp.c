// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * AT+QFTP*: the module's FTP(S) client, done for real with libcurl.
 *
 * Every command answers as the FTP(S) application guide shows: OK, then
 * the result URC +QFTPxxx: <err>,<protocol_error> once the server has
 * answered. Server replies map to <err> one to one (table 3 and table 4
 * of the guide list them in the same order: 421 -> 614 ... 552 -> 629);
 * curl's own failures map to the network and SSL codes.
 *
 * Transfers to or from COM: use data mode. CONNECT is sent once the data
 * connection is up, so a failure before that is a plain result URC and
 * the host never sends payload into command mode. An upload with
 * <beof>=0 keeps its data connection open for the next chunk, as the
 * guide says, by leaving the curl transfer paused between chunks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sim-core.h"
#include "sim-io.h"

#define ARGS struct sim *s, enum sim_kind k, struct sim_args *a, const char *raw

enum ftp_stat { ST_OPENING, ST_IDLE, ST_TRANSFER, ST_CLOSING, ST_CLOSED };

#define STALLED (-2) /* fault_stall once the stall has begun */

enum op {
	OP_NONE,
	OP_OPEN,
	OP_CWD,
	OP_PUT,
	OP_GET,
	OP_SIZE,
	OP_DEL,
	OP_MKDIR,
	OP_RMDIR,
	OP_LIST,
	OP_NLST,
	OP_MLSD,
	OP_MDTM,
	OP_RENAME,
	OP_CLOSE,
};

static const char *const op_urc[] = {
	[OP_OPEN] = "+QFTPOPEN",     [OP_CWD] = "+QFTPCWD",	[OP_PUT] = "+QFTPPUT",
	[OP_GET] = "+QFTPGET",	     [OP_SIZE] = "+QFTPSIZE",	[OP_DEL] = "+QFTPDEL",
	[OP_MKDIR] = "+QFTPMKDIR",   [OP_RMDIR] = "+QFTPRMDIR", [OP_LIST] = "+QFTPLIST",
	[OP_NLST] = "+QFTPNLST",     [OP_MLSD] = "+QFTPMLSD",	[OP_MDTM] = "+QFTPMDTM",
	[OP_RENAME] = "+QFTPRENAME", [OP_CLOSE] = "+QFTPCLOSE",
};

struct ftp {
	/* AT+QFTPCFG; not saved across reboots, as the guide says */
	char user[256], pass[256];
	long filetype, transmode, contextid, rsptimeout, ssltype, sslctx;
	long data_addr, data_timeout, cache;

	enum ftp_stat stat;
	char host[256];
	long port;
	char cwd[512];
	size_t last_len; /* AT+QFTPLEN */

	/* the operation in progress */
	enum op op;
	CURL *easy;
	struct curl_slist *quote;
	char target[512];   /* CWD's new directory */
	char local[96];	    /* "" for COM: */
	bool connected;	    /* CONNECT sent */
	unsigned char *buf; /* upload bytes not yet taken by curl; download to a file */
	size_t buf_len, buf_cap;
	size_t done_bytes; /* payload moved in this operation */
	size_t chunk_left; /* upload: bytes of this chunk still to come */
	bool chunk_end;	   /* upload: this chunk's payload has all arrived */
	bool beof;	   /* upload: last chunk */
	bool stream_open;  /* upload: transfer kept open for the next chunk */
	size_t stream_pos; /* upload: bytes sent in the open transfer */
	bool paused;
	bool aborted; /* +++ or DTR during the transfer */
	int poll_timer;
	long fault_drop; /* drop the data connection after this many bytes */
	long fault_stall;
	long fault_reboot;
};

static struct ftp ftp = {
	.filetype = 0,
	.transmode = 1,
	.contextid = 1,
	.rsptimeout = 90,
	.data_addr = 0,
	.data_timeout = 25,
	.stat = ST_CLOSED,
};

static long fault_long(struct sim *s, const char *name)
{
	const char *v = sim_fault(s, name);

	return v ? strtol(v, NULL, 10) : -1;
}

/* ----------------------------------------------------------- results */

/* Table 4 order = table 3 order: the server's reply code to <err>. */
static int err_from_reply(long reply)
{
	static const long replies[] = { 421, 425, 426, 450, 451, 452, 500, 501,
					502, 503, 504, 530, 532, 550, 551, 552 };
	size_t i;

	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++)
		if (replies[i] == reply)
			return 614 + (int)i;
	return reply == 553 ? 627 : 0;
}

int sim_ftp_err(CURLcode rc, long reply)
{
	int e = reply >= 400 ? err_from_reply(reply) : 0;

	switch (rc) {
	case CURLE_OK:
		return 0;
	case CURLE_COULDNT_RESOLVE_HOST:
		return 604;
	case CURLE_COULDNT_CONNECT:
		return 605;
	case CURLE_OPERATION_TIMEDOUT:
		return 609;
	case CURLE_LOGIN_DENIED:
		return 625;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return 631;
	case CURLE_FTP_ACCEPT_FAILED:
	case CURLE_FTP_ACCEPT_TIMEOUT:
	case CURLE_FTP_CANT_GET_HOST:
	case CURLE_FTP_PORT_FAILED:
	case CURLE_FTP_WEIRD_PASV_REPLY:
	case CURLE_FTP_WEIRD_227_FORMAT:
		return e ? e : 615;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return e ? e : 616;
	case CURLE_GOT_NOTHING:
		return 606;
	case CURLE_REMOTE_FILE_NOT_FOUND:
		return e ? e : 627;
	case CURLE_ABORTED_BY_CALLBACK:
	case CURLE_WRITE_ERROR:
	case CURLE_READ_ERROR:
		return e ? e : 607;
	default:
		return e ? e : 601;
	}
}

static void result(struct sim *s, int err, long reply)
{
	sim_line(s, "%s: %d,%ld", op_urc[ftp.op], err, err && reply >= 400 ? reply : 0);
}

/* ------------------------------------------------------------- paths */

/* Join @name to the current directory and fold "." and ".." away. */
static void resolve(const char *name, char *out, size_t len)
{
	char tmp[1024], *seg, *save;
	size_t n = 0;

	if (!name || !*name || !strcmp(name, "."))
		name = "";
	snprintf(tmp, sizeof(tmp), "%s/%s", name[0] == '/' ? "" : ftp.cwd, name);
	out[0] = '\0';
	for (seg = strtok_r(tmp, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			char *slash = strrchr(out, '/');

			n = slash ? (size_t)(slash - out) : 0;
			out[n] = '\0';
			continue;
		}
		n += (size_t)snprintf(out + n, len - n, "/%s", seg);
		if (n >= len)
			n = len - 1;
	}
	if (!out[0])
		snprintf(out, len, "/");
}

/* URL of an absolute path; a directory gets a trailing '/'. */
static void url_for(CURL *e, const char *path, bool dir, char *out, size_t len)
{
	char *esc;
	size_t n;
	const char *p;

	n = (size_t)snprintf(out, len, "%s://%s:%ld/%%2F", ftp.ssltype == 1 ? "ftps" : "ftp",
			     ftp.host, ftp.port);
	for (p = path; *p == '/'; p++)
		;
	while (*p && n < len) {
		size_t seg = strcspn(p, "/");

		esc = curl_easy_escape(e, p, (int)seg);
		n += (size_t)snprintf(out + n, len - n, "%s%s", esc ? esc : "",
				      p[seg] == '/' ? "/" : "");
		curl_free(esc);
		p += seg;
		while (*p == '/')
			p++;
	}
	if (dir && n < len && out[n - 1] != '/')
		snprintf(out + n, len - n, "/");
}

/* ------------------------------------------------------------ set-up */

static CURL *new_easy(struct sim *s, const char *path, bool dir)
{
	struct sim_ssl *ssl = &sim_state(s)->ssl[ftp.sslctx];
	char url[2048];
	CURL *e = curl_easy_init();

	if (!e)
		return NULL;
	url_for(e, path, dir, url, sizeof(url));
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_USERNAME, ftp.user[0] ? ftp.user : "anonymous");
	curl_easy_setopt(e, CURLOPT_PASSWORD, ftp.user[0] ? ftp.pass : "qlink-sim@");
	curl_easy_setopt(e, CURLOPT_FTP_FILEMETHOD, (long)CURLFTPMETHOD_SINGLECWD);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, ftp.rsptimeout);
	/* <timeout>: the longest gap between two packets of a transfer */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, ftp.rsptimeout);
	curl_easy_setopt(e, CURLOPT_FTP_RESPONSE_TIMEOUT, ftp.rsptimeout);
	curl_easy_setopt(e, CURLOPT_TRANSFERTEXT, ftp.filetype == 1 ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_FTP_SKIP_PASV_IP, ftp.data_addr == 0 ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (ftp.transmode == 0)
		curl_easy_setopt(e, CURLOPT_FTPPORT, "-");
	if (ftp.ssltype == 2)
		curl_easy_setopt(e, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (ftp.ssltype) {
		size_t len;
		const unsigned char *ca = ssl->cacert[0] ? sim_file_get(s, ssl->cacert, &len) :
							   NULL;

		/*
		 * <sslversion>: 0 SSL3.0, 1 TLS1.0, 2 TLS1.1, 3 TLS1.2 exactly,
		 * 4 any of them; these modules stop at TLS 1.2.
		 */
		static const long versions[] = {
			CURL_SSLVERSION_SSLv3 | CURL_SSLVERSION_MAX_DEFAULT,
			CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_0,
			CURL_SSLVERSION_TLSv1_1 | CURL_SSLVERSION_MAX_TLSv1_1,
			CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2,
			CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_2,
		};

		curl_easy_setopt(e, CURLOPT_SSLVERSION, versions[ssl->sslversion]);
		if (ssl->seclevel == 0) {
			curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
		} else if (ca) {
			struct curl_blob blob = { (void *)ca, len, CURL_BLOB_COPY };

			curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
		}
	}
	return e;
}

static bool check_session(struct sim *s)
{
	if (ftp.op != OP_NONE || ftp.stat == ST_CLOSING || ftp.stat == ST_OPENING) {
		sim_cme(s, 603); /* busy: one operation at a time; closing */
		return false;
	}
	if (ftp.stat != ST_IDLE) {
		sim_cme(s, 625); /* not logged in */
		return false;
	}
	return true;
}

static void op_finish(struct sim *s)
{
	if (ftp.easy) {
		sim_curl_stop(s, ftp.easy);
		curl_easy_cleanup(ftp.easy);
	}
	ftp.easy = NULL;
	curl_slist_free_all(ftp.quote);
	ftp.quote = NULL;
	free(ftp.buf);
	ftp.buf = NULL;
	ftp.buf_len = ftp.buf_cap = 0;
	sim_timer_cancel(s, ftp.poll_timer);
	ftp.poll_timer = 0;
	ftp.op = OP_NONE;
	if (ftp.stat == ST_TRANSFER)
		ftp.stat = ST_IDLE;
}

static void done_cb(struct sim *s, CURL *e, CURLcode rc, void *ctx);

static void start(struct sim *s, enum op op, CURL *e)
{
	ftp.op = op;
	ftp.easy = e;
	ftp.connected = false;
	ftp.done_bytes = 0;
	ftp.aborted = false;
	ftp.paused = false;
	ftp.fault_drop = fault_long(s, "ftp-drop");
	ftp.fault_stall = fault_long(s, "ftp-stall");
	ftp.fault_reboot = fault_long(s, "reboot-transfer");
	sim_curl_start(s, e, done_cb, NULL);
}

/* ---------------------------------------------------- data mode: GET */

static void out_end(struct sim *s, enum sim_data_end why, void *ctx)
{
	(void)ctx;
	if (why != SIM_DATA_ESCAPE || ftp.op == OP_NONE)
		return;
	/* +++ during a transfer aborts it, as field reports say */
	sim_log(s, "transfer aborted by +++ or DTR");
	ftp.aborted = true;
	sim_out_discard(s);
	sim_ok(s);
	result(s, 616, 426);
	ftp.last_len = ftp.done_bytes;
	op_finish(s);
}

static const struct sim_data_ops out_ops = { .end = out_end };

static void unpause(struct sim *s, void *ctx);

static void reboot_now(struct sim *s, void *ctx)
{
	(void)ctx;
	sim_reboot(s, 500);
}

/* Payload kept in the module: a download to a local file, an upload's backlog. */
static bool buf_append(const void *p, size_t len)
{
	if (ftp.buf_len + len > ftp.buf_cap) {
		size_t cap = ftp.buf_cap ? ftp.buf_cap * 2 : 65536;
		unsigned char *b;

		while (cap < ftp.buf_len + len)
			cap *= 2;
		b = realloc(ftp.buf, cap);
		if (!b)
			return false;
		ftp.buf = b;
		ftp.buf_cap = cap;
	}
	memcpy(ftp.buf + ftp.buf_len, p, len);
	ftp.buf_len += len;
	return true;
}

/* The part of a chunk a fault lets through before it strikes. */
static void send_head(struct sim *s, const char *p, size_t head)
{
	if (head && !ftp.local[0]) {
		if (!ftp.connected) {
			ftp.connected = true;
			sim_data_out_begin(s, &out_ops, NULL);
		}
		sim_send(s, p, head);
	}
	ftp.done_bytes += head;
}

/*
 * --fault lose-byte=N: byte N of a download's data-mode output never
 * reaches the host, once (a UART overrun without flow control); the
 * module counts it as sent all the same.
 */
static void send_lossy(struct sim *s, const char *p, size_t len)
{
	const char *v = sim_fault(s, "lose-byte");
	unsigned long n = v ? strtoul(v, NULL, 10) : 0;

	if (!v || n < ftp.done_bytes || n - ftp.done_bytes >= len) {
		sim_send(s, p, len);
		return;
	}
	n -= ftp.done_bytes;
	sim_log(s, "fault: byte %zu of the transfer lost on the line", ftp.done_bytes + n);
	sim_send(s, p, n);
	sim_send(s, p + n + 1, len - n - 1);
	sim_fault_clear(s, "lose-byte");
}

static size_t write_cb(char *p, size_t size, size_t n, void *user)
{
	struct sim *s = user;
	size_t len = size * n;

	if (ftp.fault_stall >= 0 && ftp.done_bytes + len > (size_t)ftp.fault_stall) {
		/*
		 * The data connection stalls for good after exactly N bytes: send
		 * what comes before that point and pause. curl would hand the
		 * chunk over again on resuming, but a stall is never resumed.
		 */
		size_t head = (size_t)ftp.fault_stall - ftp.done_bytes;

		send_head(s, p, head);
		ftp.fault_stall = STALLED;
		ftp.paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	if (ftp.fault_stall == STALLED) {
		ftp.paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	if (ftp.fault_drop >= 0 && ftp.done_bytes + len > (size_t)ftp.fault_drop)
		len = (size_t)ftp.fault_drop - ftp.done_bytes;
	if (ftp.fault_reboot >= 0 && ftp.done_bytes + len >= (size_t)ftp.fault_reboot) {
		/*
		 * N bytes reach the host, then the module reboots; not from
		 * inside curl's callback, since the reboot tears curl down.
		 */
		size_t head = (size_t)ftp.fault_reboot - ftp.done_bytes;

		send_head(s, p, head);
		ftp.fault_reboot = -1;
		ftp.fault_stall = STALLED;
		ftp.paused = true;
		sim_timer_add(s, 0, reboot_now, NULL);
		return CURL_WRITEFUNC_PAUSE;
	}
	if (ftp.local[0]) {
		if (!buf_append(p, len))
			return 0;
	} else {
		if (sim_out_pending(s) > sim_out_high(s)) {
			/* the port is slower than the server: hold the server back */
			ftp.paused = true;
			if (!ftp.poll_timer)
				ftp.poll_timer = sim_timer_add(s, 10, unpause, NULL);
			return CURL_WRITEFUNC_PAUSE;
		}
		if (!ftp.connected) {
			ftp.connected = true;
			sim_data_out_begin(s, &out_ops, NULL);
		}
		send_lossy(s, p, len);
	}
	ftp.done_bytes += len;
	return len == size * n ? len : 0;
}

/* --------------------------------------------------- data mode: PUT */

static void in_data(struct sim *s, const unsigned char *p, size_t len, void *ctx)
{
	(void)ctx;
	if (ftp.fault_reboot >= 0 && ftp.done_bytes + len >= (size_t)ftp.fault_reboot) {
		/*
		 * N bytes arrive, then the module goes down at once: what it
		 * had not passed on to the server is lost with it.
		 */
		ftp.fault_reboot = -1;
		sim_reboot(s, 500);
		return;
	} else if (ftp.fault_drop >= 0 && ftp.done_bytes + len >= (size_t)ftp.fault_drop) {
		/*
		 * The server closes the data connection after N bytes: the
		 * module leaves data mode at once (what the host still sends
		 * arrives in command mode) and the upload ends there, 607.
		 */
		len = (size_t)ftp.fault_drop - ftp.done_bytes;
		buf_append(p, len);
		ftp.done_bytes += len;
		ftp.chunk_end = true;
		ftp.beof = true;
		sim_data_leave(s);
		sim_ok(s);
		if (ftp.paused && ftp.easy) {
			ftp.paused = false;
			curl_easy_pause(ftp.easy, CURLPAUSE_CONT);
		}
		return;
	}
	if (!buf_append(p, len))
		return;
	ftp.done_bytes += len;
	if (ftp.paused && ftp.easy) {
		ftp.paused = false;
		curl_easy_pause(ftp.easy, CURLPAUSE_CONT);
	}
}

static void in_end(struct sim *s, enum sim_data_end why, void *ctx)
{
	(void)ctx;
	ftp.chunk_end = true;
	sim_ok(s);
	if (why == SIM_DATA_COUNT && !ftp.beof) {
		/* more chunks follow: keep the data connection open */
		ftp.stream_pos += ftp.done_bytes;
		ftp.last_len = ftp.done_bytes;
		sim_line(s, "+QFTPPUT: 0,%zu", ftp.done_bytes);
		ftp.stream_open = true;
		ftp.stat = ST_IDLE;
		ftp.op = OP_NONE; /* the transfer stays, paused, for the next chunk */
		return;
	}
	/* last chunk, or +++: what arrived is the file's end */
	if (ftp.paused && ftp.easy) {
		ftp.paused = false;
		curl_easy_pause(ftp.easy, CURLPAUSE_CONT);
	}
}

static const struct sim_data_ops in_ops = { .in = in_data, .end = in_end };

static size_t read_cb(char *p, size_t size, size_t n, void *user)
{
	struct sim *s = user;
	size_t len = size * n;

	if (!ftp.local[0] && !ftp.connected) {
		/* the data connection is up: now the host may send */
		ftp.connected = true;
		sim_data_enter(s, ftp.chunk_left, &in_ops, NULL);
	}
	if (!ftp.buf_len) {
		if (ftp.chunk_end && (ftp.beof || ftp.op == OP_PUT))
			return 0; /* end of file */
		ftp.paused = true;
		return CURL_READFUNC_PAUSE;
	}
	if (len > ftp.buf_len)
		len = ftp.buf_len;
	memcpy(p, ftp.buf, len);
	memmove(ftp.buf, ftp.buf + len, ftp.buf_len - len);
	ftp.buf_len -= len;
	return len;
}

static void unpause(struct sim *s, void *ctx)
{
	(void)ctx;
	ftp.poll_timer = 0;
	if (!ftp.easy || !ftp.paused)
		return;
	if (sim_out_pending(s) > sim_out_high(s) / 2) {
		ftp.poll_timer = sim_timer_add(s, 10, unpause, NULL);
		return;
	}
	ftp.paused = false;
	curl_easy_pause(ftp.easy, CURLPAUSE_CONT);
}

/* ------------------------------------------------------- completion */

static void fmt_mdtm(CURL *e, char *buf, size_t len)
{
	curl_off_t t = -1;
	struct tm tm;
	time_t tt;

	curl_easy_getinfo(e, CURLINFO_FILETIME_T, &t);
	tt = (time_t)t;
	if (t < 0 || !gmtime_r(&tt, &tm))
		snprintf(buf, len, "0");
	else
		strftime(buf, len, "%Y%m%d%H%M%S", &tm);
}

static void done_cb(struct sim *s, CURL *e, CURLcode rc, void *ctx)
{
	long reply = 0;
	int err;
	enum op op = ftp.op;

	(void)ctx;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &reply);
	err = sim_ftp_err(rc, reply);
	if (ftp.fault_drop >= 0 && ftp.done_bytes >= (size_t)ftp.fault_drop && !err)
		err = 607; /* the injected drop looks like the data connection closing */
	if (rc == CURLE_OK && op != OP_NONE && op != OP_OPEN && op != OP_CLOSE) {
		/* --fault ftp-error=ERR[,PROTO]: the next operation's result, once */
		const char *forced = sim_fault(s, "ftp-error");

		if (forced) {
			char *end;

			err = (int)strtol(forced, &end, 10);
			reply = *end == ',' ? strtol(end + 1, NULL, 10) : 0;
			sim_fault_clear(s, "ftp-error");
		}
	}
	ftp.easy = e; /* op_finish() cleans it up */
	sim_log(s, "%s done: curl %d (%s), reply %ld -> %d",
		op == OP_NONE ? "chunked upload" : op_urc[op], rc, curl_easy_strerror(rc), reply,
		err);
	if (op == OP_NONE) {
		/* an upload kept open between chunks ended on its own */
		ftp.stream_open = false;
		ftp.op = OP_PUT;
		op_finish(s);
		return;
	}
	switch (op) {
	case OP_OPEN:
		ftp.stat = err ? ST_CLOSED : ST_IDLE;
		snprintf(ftp.cwd, sizeof(ftp.cwd), "/");
		result(s, err, reply);
		break;
	case OP_CWD:
		if (!err)
			snprintf(ftp.cwd, sizeof(ftp.cwd), "%s", ftp.target);
		result(s, err, reply);
		break;
	case OP_SIZE: {
		curl_off_t size = -1;

		curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
		if (!err && size < 0)
			err = 627;
		if (err)
			result(s, err, reply);
		else
			sim_line(s, "+QFTPSIZE: 0,%lld", (long long)size);
		break;
	}
	case OP_MDTM: {
		char when[32];

		fmt_mdtm(e, when, sizeof(when));
		if (err)
			result(s, err, reply);
		else
			sim_line(s, "+QFTPMDTM: 0,\"%s\"", when);
		break;
	}
	case OP_GET:
	case OP_LIST:
	case OP_NLST:
	case OP_MLSD:
		if (ftp.aborted)
			break;
		ftp.last_len = ftp.done_bytes;
		if (ftp.local[0]) {
			if (!err && !sim_file_put(s, ftp.local, ftp.buf ? ftp.buf : (void *)"",
						  ftp.buf_len))
				err = 613;
		} else if (ftp.connected || !err) {
			if (!ftp.connected)
				sim_data_out_begin(s, &out_ops, NULL); /* empty file */
			sim_data_leave(s);
			sim_ok(s);
		}
		if (err)
			result(s, err, reply);
		else
			sim_line(s, "%s: 0,%zu", op_urc[op], ftp.done_bytes);
		break;
	case OP_PUT:
		ftp.stream_open = false;
		ftp.stream_pos = 0;
		if (!ftp.local[0] && sim_in_data_mode(s)) {
			/* failed while the host was still sending */
			sim_data_leave(s);
			sim_ok(s);
		}
		ftp.last_len = ftp.done_bytes;
		if (err)
			result(s, err, reply);
		else
			sim_line(s, "+QFTPPUT: 0,%zu", ftp.done_bytes);
		break;
	case OP_CLOSE:
		ftp.stat = ST_CLOSED;
		sim_line(s, "+QFTPCLOSE: 0,0");
		break;
	default:
		result(s, err, reply);
	}
	op_finish(s);
}

/* ---------------------------------------------------------- commands */

static void cmd_cfg(ARGS)
{
	const char *what = sim_arg_str(a, 0);
	long v, w;

	if (k == SIM_TEST) {
		sim_line(s, "+QFTPCFG: \"account\",<username>,<password>");
		sim_line(s, "+QFTPCFG: \"filetype\",(0,1)");
		sim_line(s, "+QFTPCFG: \"transmode\",(0,1)");
		sim_line(s, "+QFTPCFG: \"contextid\",(1-15)");
		sim_line(s, "+QFTPCFG: \"rsptimeout\",(20-180)");
		sim_line(s, "+QFTPCFG: \"ssltype\",(0-2)");
		sim_line(s, "+QFTPCFG: \"SSL_ctxID\",(0-5)");
		sim_line(s, "+QFTPCFG: \"data_address\",(0-2),(15-50)");
		sim_line(s, "+QFTPCFG: \"cache\",(0-2)");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !what)
		goto bad;
	if (!strcasecmp(what, "account")) {
		if (a->n == 1) {
			sim_line(s, "+QFTPCFG: \"account\",\"%s\",\"%s\"", ftp.user, ftp.pass);
		} else if (a->n == 3 && strlen(a->v[1]) < sizeof(ftp.user) &&
			   strlen(a->v[2]) < sizeof(ftp.pass)) {
			snprintf(ftp.user, sizeof(ftp.user), "%s", a->v[1]);
			snprintf(ftp.pass, sizeof(ftp.pass), "%s", a->v[2]);
		} else {
			goto bad;
		}
	} else if (!strcasecmp(what, "data_address")) {
		if (a->n == 1) {
			if (ftp.data_addr == 2)
				sim_line(s, "+QFTPCFG: \"data_address\",2,%ld", ftp.data_timeout);
			else
				sim_line(s, "+QFTPCFG: \"data_address\",%ld", ftp.data_addr);
		} else if (sim_arg_long(a, 1, 0, 2, &v) &&
			   (a->n < 3 || sim_arg_long(a, 2, 15, 50, &w))) {
			ftp.data_addr = v;
			if (a->n > 2)
				ftp.data_timeout = w;
		} else {
			goto bad;
		}
	} else {
		static const struct {
			const char *name;
			long *val, lo, hi;
		} simple[] = {
			{ "filetype", &ftp.filetype, 0, 1 },
			{ "transmode", &ftp.transmode, 0, 1 },
			{ "contextid", &ftp.contextid, 1, 15 },
			{ "rsptimeout", &ftp.rsptimeout, 20, 180 },
			{ "ssltype", &ftp.ssltype, 0, 2 },
			{ "SSL_ctxID", &ftp.sslctx, 0, 5 },
			{ "cache", &ftp.cache, 0, 2 },
		};
		size_t i;

		for (i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
			if (!strcasecmp(what, simple[i].name))
				break;
		if (i == sizeof(simple) / sizeof(simple[0]))
			goto bad;
		if (a->n == 1)
			sim_line(s, "+QFTPCFG: \"%s\",%ld", simple[i].name, *simple[i].val);
		else if (a->n == 2 && sim_arg_long(a, 1, simple[i].lo, simple[i].hi, &v))
			*simple[i].val = v;
		else
			goto bad;
	}
	sim_ok(s);
	return;
bad:
	sim_error(s);
}

static void cmd_open(ARGS)
{
	const char *host = sim_arg_str(a, 0);
	long port = 21;
	CURL *e;

	if (k == SIM_TEST) {
		sim_line(s, "+QFTPOPEN: <hostname>,<port>");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !host || !*host || strlen(host) > 255 ||
	    (a->n > 1 && !sim_arg_long(a, 1, 1, 65535, &port))) {
		sim_error(s);
		return;
	}
	if (ftp.op != OP_NONE || ftp.stat == ST_CLOSING || ftp.stat == ST_IDLE) {
		sim_cme(s, 603);
		return;
	}
	sim_ok(s);
	if (!sim_pdp_active(s, (int)ftp.contextid)) {
		/* no PDP context: the guide's first troubleshooting step */
		sim_line(s, "+QFTPOPEN: 605,0");
		return;
	}
	snprintf(ftp.host, sizeof(ftp.host), "%s", host);
	ftp.port = port;
	snprintf(ftp.cwd, sizeof(ftp.cwd), "/");
	ftp.stat = ST_OPENING;
	e = new_easy(s, "/", true);
	curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	ftp.op = OP_OPEN;
	start(s, OP_OPEN, e);
}

/* CWD, SIZE, MDTM, DEL, MKDIR, RMDIR, RENAME: one request, no payload */
static void simple_op(struct sim *s, enum op op, const char *name, const char *name2)
{
	char path[512], cmd[600];
	CURL *e;

	resolve(name, path, sizeof(path));
	switch (op) {
	case OP_CWD:
		snprintf(ftp.target, sizeof(ftp.target), "%s", path);
		e = new_easy(s, path, true);
		break;
	case OP_SIZE:
	case OP_MDTM:
		e = new_easy(s, path, false);
		curl_easy_setopt(e, CURLOPT_FILETIME, 1L);
		break;
	default:
		e = new_easy(s, ftp.cwd, true);
		snprintf(cmd, sizeof(cmd), "%s %s",
			 op == OP_DEL	? "DELE" :
			 op == OP_MKDIR ? "MKD" :
			 op == OP_RMDIR ? "RMD" :
					  "RNFR",
			 path);
		ftp.quote = curl_slist_append(NULL, cmd);
		if (op == OP_RENAME) {
			resolve(name2, path, sizeof(path));
			snprintf(cmd, sizeof(cmd), "RNTO %s", path);
			ftp.quote = curl_slist_append(ftp.quote, cmd);
		}
		curl_easy_setopt(e, CURLOPT_QUOTE, ftp.quote);
	}
	curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	sim_ok(s);
	start(s, op, e);
}

static const struct {
	const char *name;
	enum op op;
	int args;
	const char *test;
} simple_cmds[] = {
	{ "+QFTPCWD", OP_CWD, 1, "+QFTPCWD: <path_name>" },
	{ "+QFTPSIZE", OP_SIZE, 1, "+QFTPSIZE: <file_name>" },
	{ "+QFTPDEL", OP_DEL, 1, "+QFTPDEL: <file_name>" },
	{ "+QFTPMKDIR", OP_MKDIR, 1, "+QFTPMKDIR: <folder_name>" },
	{ "+QFTPRMDIR", OP_RMDIR, 1, "+QFTPRMDIR: <folder_name>" },
	{ "+QFTPMDTM", OP_MDTM, 1, "+QFTPMDTM: <file_name>" },
	{ "+QFTPRENAME", OP_RENAME, 2, "+QFTPRENAME: <old_name>,<new_name>" },
};

static void cmd_simple(ARGS)
{
	size_t i, n = strcspn(raw, "=?");
	int j;

	for (i = 0; i < sizeof(simple_cmds) / sizeof(simple_cmds[0]); i++)
		if (strlen(simple_cmds[i].name) == n && !strncasecmp(raw, simple_cmds[i].name, n))
			break;
	if (k == SIM_TEST) {
		sim_line(s, "%s", simple_cmds[i].test);
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || a->n != simple_cmds[i].args) {
		sim_error(s);
		return;
	}
	for (j = 0; j < a->n; j++) {
		if (!a->v[j][0] || strlen(a->v[j]) > (i == 0 ? 128 : 255)) {
			sim_error(s);
			return;
		}
	}
	if (!check_session(s))
		return;
	simple_op(s, simple_cmds[i].op, a->v[0], a->n > 1 ? a->v[1] : NULL);
}

static void cmd_pwd(ARGS)
{
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	if (k != SIM_EXEC) {
		sim_error(s);
		return;
	}
	if (!check_session(s))
		return;
	sim_ok(s);
	sim_line(s, "+QFTPPWD: 0,\"%s\"", ftp.cwd);
}

/* GET, LIST, NLST, MLSD: payload from the server to COM: or a local file */
static void cmd_download(ARGS)
{
	static const struct {
		const char *name;
		enum op op;
	} which[] = {
		{ "+QFTPGET", OP_GET },
		{ "+QFTPLIST", OP_LIST },
		{ "+QFTPNLST", OP_NLST },
		{ "+QFTPMLSD", OP_MLSD },
	};
	const char *name = sim_arg_str(a, 0), *local = a->n > 1 ? a->v[1] : "COM:";
	size_t i, n = strcspn(raw, "=?");
	long startpos = 0, dlen = 0;
	char path[512];
	enum op op;
	CURL *e;
	bool com;

	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		if (strlen(which[i].name) == n && !strncasecmp(raw, which[i].name, n))
			break;
	op = which[i].op;
	if (k == SIM_TEST) {
		if (op == OP_GET)
			sim_line(s, "+QFTPGET: <file_name>,<local_name>,<startpos>,<downloadlen>");
		else
			sim_line(s, "%s: <dirname>,<local_name>", which[i].name);
		sim_ok(s);
		return;
	}
	com = !strcasecmp(local, "COM:");
	if (k != SIM_SET || !name || !*name || strlen(name) > 255 ||
	    (!com && !sim_file_valid_name(local)) ||
	    (op == OP_GET && a->n > 2 && !sim_arg_long(a, 2, 0, 0x7fffffff, &startpos)) ||
	    (op == OP_GET && a->n > 3 && (!com || !sim_arg_long(a, 3, 0, 0x7fffffff, &dlen))) ||
	    (op != OP_GET && a->n > 2) || a->n > 4) {
		sim_error(s);
		return;
	}
	if (!check_session(s))
		return;
	resolve(name, path, sizeof(path));
	e = new_easy(s, path, op != OP_GET);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
	if (op == OP_NLST)
		curl_easy_setopt(e, CURLOPT_DIRLISTONLY, 1L);
	if (op == OP_MLSD)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "MLSD");
	if (dlen) {
		char range[64];

		snprintf(range, sizeof(range), "%ld-%ld", startpos, startpos + dlen - 1);
		curl_easy_setopt(e, CURLOPT_RANGE, range);
	} else if (startpos) {
		curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)startpos);
	}
	snprintf(ftp.local, sizeof(ftp.local), "%s", com ? "" : local);
	ftp.stat = ST_TRANSFER;
	if (!com)
		sim_ok(s); /* a local file: OK now, the result when done */
	start(s, op, e);
}

static void cmd_put(ARGS)
{
	const char *name = sim_arg_str(a, 0), *local = sim_arg_str(a, 1);
	long startpos = 0, ulen = 0, beof = 1;
	const unsigned char *data = NULL;
	size_t dlen = 0;
	char path[512];
	CURL *e;
	bool com;

	if (k == SIM_TEST) {
		sim_line(s, "+QFTPPUT: <file_name>,<local_name>,<startpos>,<uploadlen>,<beof>");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !name || !*name || !local || strlen(name) > 255) {
		sim_error(s);
		return;
	}
	com = !strcasecmp(local, "COM:");
	if ((a->n > 2 && !sim_arg_long(a, 2, 0, 0x7fffffff, &startpos)) ||
	    (a->n > 3 && (!com || a->n != 5 || !sim_arg_long(a, 3, 1, 0x7fffffff, &ulen) ||
			  !sim_arg_long(a, 4, 0, 1, &beof))) ||
	    (!com && !sim_file_valid_name(local)) || a->n > 5) {
		sim_error(s);
		return;
	}
	if (!com) {
		data = sim_file_get(s, local, &dlen);
		if (!data) {
			sim_ok(s);
			sim_line(s, "+QFTPPUT: 611,0"); /* failed to open file */
			return;
		}
	}
	if (ftp.stream_open) {
		/* the next chunk of an upload whose data connection stayed open */
		if (!com || startpos != (long)ftp.stream_pos || !ulen) {
			sim_cme(s, 612); /* file position invalid */
			return;
		}
		ftp.op = OP_PUT;
		ftp.stat = ST_TRANSFER;
		ftp.chunk_left = (size_t)ulen;
		ftp.chunk_end = false;
		ftp.beof = beof;
		ftp.done_bytes = 0;
		ftp.connected = true;
		sim_data_enter(s, (size_t)ulen, &in_ops, NULL);
		return;
	}
	if (!check_session(s))
		return;
	resolve(name, path, sizeof(path));
	e = new_easy(s, path, false);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(e, CURLOPT_READDATA, s);
	if (startpos)
		curl_easy_setopt(e, CURLOPT_APPEND, 1L);
	snprintf(ftp.local, sizeof(ftp.local), "%s", com ? "" : local);
	ftp.chunk_left = com ? (size_t)ulen : 0;
	ftp.chunk_end = !com;
	ftp.beof = beof;
	ftp.stream_pos = (size_t)startpos;
	ftp.stat = ST_TRANSFER;
	if (!com) {
		ftp.buf = malloc(dlen ? dlen : 1);
		if (ftp.buf)
			memcpy(ftp.buf, data, dlen);
		ftp.buf_len = ftp.buf_cap = dlen;
		sim_ok(s);
	}
	start(s, OP_PUT, e);
	if (!com)
		ftp.done_bytes = dlen;
}

static void cmd_len(ARGS)
{
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	sim_ok(s);
	sim_line(s, "+QFTPLEN: 0,%zu", ftp.last_len);
}

static void cmd_stat(ARGS)
{
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	sim_line(s, "+QFTPSTAT: 0,%d", (int)ftp.stat);
	sim_ok(s);
}

static void cmd_close(ARGS)
{
	CURL *e;

	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	if (ftp.op != OP_NONE || ftp.stat == ST_CLOSING) {
		sim_cme(s, 603);
		return;
	}
	sim_ok(s);
	if (ftp.stat != ST_IDLE) {
		sim_line(s, "+QFTPCLOSE: 0,0");
		return;
	}
	if (ftp.stream_open) {
		/* an unfinished chunked upload ends here */
		ftp.stream_open = false;
		if (ftp.easy) {
			sim_curl_stop(s, ftp.easy);
			curl_easy_cleanup(ftp.easy);
			ftp.easy = NULL;
		}
	}
	/* QUIT goes out when the connection closes: no reuse after this */
	ftp.stat = ST_CLOSING;
	e = new_easy(s, "/", true);
	curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	start(s, OP_CLOSE, e);
}

void sim_ftp_reset(struct sim *s)
{
	if (ftp.easy) {
		sim_curl_stop(s, ftp.easy);
		curl_easy_cleanup(ftp.easy);
		ftp.easy = NULL;
	}
	ftp.op = OP_NONE;
	op_finish(s);
	ftp.stream_open = false;
	ftp.stat = ST_CLOSED;
	ftp.user[0] = ftp.pass[0] = '\0';
	ftp.filetype = 0;
	ftp.transmode = 1;
	ftp.contextid = 1;
	ftp.rsptimeout = 90;
	ftp.ssltype = 0;
	ftp.sslctx = 0;
}

const struct sim_cmd sim_ftp_cmds[] = {
	{ "+QFTPCFG", cmd_cfg },       { "+QFTPOPEN", cmd_open },     { "+QFTPCWD", cmd_simple },
	{ "+QFTPPWD", cmd_pwd },       { "+QFTPPUT", cmd_put },	      { "+QFTPGET", cmd_download },
	{ "+QFTPSIZE", cmd_simple },   { "+QFTPDEL", cmd_simple },    { "+QFTPMKDIR", cmd_simple },
	{ "+QFTPRMDIR", cmd_simple },  { "+QFTPLIST", cmd_download }, { "+QFTPNLST", cmd_download },
	{ "+QFTPMLSD", cmd_download }, { "+QFTPMDTM", cmd_simple },   { "+QFTPRENAME", cmd_simple },
	{ "+QFTPLEN", cmd_len },       { "+QFTPSTAT", cmd_stat },     { "+QFTPCLOSE", cmd_close },
};

const size_t sim_ftp_ncmds = sizeof(sim_ftp_cmds) / sizeof(sim_ftp_cmds[0]);
