// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Pre-flight: what the DFOTA guide says cannot work is refused before
 * anything reaches the module, with the reason.
 *
 *   - URL at most 255 bytes, 128 characters on 8 MB parts (3.3.1, note 1);
 *     FTP user, password, server and file path at most 50 bytes each, the
 *     file in the server's root directory (3.3.1.1).
 *   - 8 MB parts take MiniFOTA only: two packages by URL, the host naming
 *     .mini_1; no FILE (4.1, 4.4). A wrong name strands the module in
 *     download mode (4.3), so for http:// the host checks that .mini_2 is
 *     there with a HEAD request of its own.
 *   - FILE,2 (protocol download mode) has an unpublished protocol.
 *   - Only the EC200T takes an update URC count; 8 MB parts take neither
 *     count (4.2).
 *   - A model the guide does not cover (EC200U, EC200A, EG915U...) gets the
 *     rules of its flash suffix, said as an assumption.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <qlink/revision.h>
#include <qlink/transport.h>
#include <qlink/url.h>

#include "core/api.h"
#include "core/clock.h"
#include "core/chan-priv.h"
#include "core/url.h"
#include "fota/fota-priv.h"

#define NOR_RATE 15000 /* B/s without flow control (guide 3.3.1.3) */
#define HEAD_MS 5000   /* the host's own HEAD check of .mini_2 */

enum fota_src qlink_fota_src_kind(const char *src)
{
	if (!src || !*src)
		return FOTA_SRC_NONE;
	if (!strncasecmp(src, "ftp://", 6))
		return FOTA_SRC_FTP;
	if (!strncasecmp(src, "http://", 7))
		return FOTA_SRC_HTTP;
	if (!strncasecmp(src, "https://", 8))
		return FOTA_SRC_HTTPS;
	return FOTA_SRC_FILE;
}

static void add(struct fota_findings *out, enum qlink_fota_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct fota_findings *out, enum qlink_fota_level level, const char *fmt, ...)
{
	va_list ap;

	if (level == QLINK_FOTA_REFUSE)
		out->refused = true;
	if (out->n == FOTA_FINDINGS_MAX)
		return;
	out->f[out->n].level = level;
	va_start(ap, fmt);
	vsnprintf(out->f[out->n].text, FOTA_FINDING_LEN, fmt, ap);
	va_end(ap);
	out->n++;
}

int qlink_fota_mini2_url(const char *url, char *out, size_t len)
{
	size_t n = strlen(url);

	if (n < 7 || strcmp(url + n - 7, ".mini_1") || n + 1 > len)
		return -1;
	memcpy(out, url, n - 1);
	out[n - 1] = '2';
	out[n] = '\0';
	return 0;
}

/* FTP URL parts against 3.3.1.1's limits, read as the masking reads them (url_split()). */
static void check_ftp(const char *url, struct fota_findings *out)
{
	struct url_parts u;
	const char *path;

	if (url_split(url, &u) < 0 || url[u.path] != '/' || !url[u.path + 1]) {
		add(out, QLINK_FOTA_REFUSE, "the FTP URL names no file");
		return;
	}
	path = url + u.path + 1;
	if (u.user.len > 50 || u.pass.len > 50)
		add(out, QLINK_FOTA_REFUSE,
		    "the FTP user name or password is longer than the 50 bytes the "
		    "guide allows");
	if (u.host.len > 50)
		add(out, QLINK_FOTA_REFUSE, "the FTP server name is longer than 50 bytes");
	if (strchr(path, '/'))
		add(out, QLINK_FOTA_REFUSE,
		    "the package is in a subdirectory; the guide supports the FTP server's root "
		    "directory only");
	if (strlen(path) > 50)
		add(out, QLINK_FOTA_REFUSE, "the FTP file name is longer than 50 bytes");
}

bool qlink_fota_use_rtscts(const struct fota_check *c)
{
	switch (c->flow) {
	case QLINK_FOTA_FLOW_RTSCTS:
		return true;
	case QLINK_FOTA_FLOW_NONE:
		return false;
	default:
		return c->host_rtscts == 1;
	}
}

static void check_url(const struct fota_check *c, int mb, struct fota_findings *out)
{
	size_t len = strlen(c->src), max = mb == 8 ? 128 : 255;
	char mini2[300];
	const char *p;

	if (len > max)
		add(out, QLINK_FOTA_REFUSE,
		    "the URL is %zu characters; the guide allows at most %zu%s", len, max,
		    mb == 8 ? " on 8 MB parts" : "");
	for (p = c->src; *p; p++) {
		if (*p == '"' || (unsigned char)*p < 0x20 || *p == 0x7f) {
			add(out, QLINK_FOTA_REFUSE,
			    "the URL holds a double quote or a control character, which "
			    "AT+QFOTADL cannot carry");
			break;
		}
	}
	if (qlink_fota_src_kind(c->src) == FOTA_SRC_FTP)
		check_ftp(c->src, out);
	if (c->protocol_mode)
		add(out, QLINK_FOTA_WARN, "protocol download mode applies to FILE only: ignored");
	if (c->pkg == 0)
		add(out, QLINK_FOTA_REFUSE,
		    "the package is not on the server (%s): the module would fail to fetch it",
		    c->pkg_note ? c->pkg_note : "asked by the host");
	else if (c->pkg > 0)
		add(out, QLINK_FOTA_NOTE, "the package is on the server (%s)",
		    c->pkg_note ? c->pkg_note : "asked by the host");
	else if (c->pkg_note)
		add(out, QLINK_FOTA_NOTE, "the package was not checked by the host: %s",
		    c->pkg_note);
	if (mb != 8)
		return;
	if (qlink_fota_mini2_url(c->src, mini2, sizeof(mini2)) < 0) {
		add(out, QLINK_FOTA_REFUSE,
		    "8 MB parts take MiniFOTA: the URL must name the .mini_1 package (the "
		    "module then fetches .mini_2 beside it); any other name strands the module "
		    "in download mode (guide 4.3)");
		return;
	}
	add(out, QLINK_FOTA_NOTE,
	    "MiniFOTA: the module fetches .mini_1, then .mini_2 itself; it reboots about four "
	    "times and reports no download progress");
	if (c->mini2 == 0)
		add(out, QLINK_FOTA_REFUSE,
		    ".mini_2 is not on the server (%s): after .mini_1 the module would stay in "
		    "download mode until it is served",
		    c->mini2_note ? c->mini2_note : "HEAD");
	else if (c->mini2 > 0)
		add(out, QLINK_FOTA_NOTE, ".mini_2 is on the server (%s)",
		    c->mini2_note ? c->mini2_note : "HEAD");
	else
		add(out, QLINK_FOTA_WARN, ".mini_2 not checked: %s",
		    c->mini2_note ? c->mini2_note : "no check for this scheme");
}

static void check_file(const struct fota_check *c, int mb, const char *model,
		       struct fota_findings *out)
{
	if (mb == 8)
		add(out, QLINK_FOTA_REFUSE,
		    "8 MB parts take no FILE upload (guide 4.4): put the .mini_1 and .mini_2 "
		    "packages on an FTP or HTTP(S) server and pass the .mini_1 URL");
	if (c->file_size < 0)
		add(out, QLINK_FOTA_REFUSE, "cannot read %s: %s", c->src,
		    strerror(c->file_errno ? c->file_errno : EIO));
	else if (c->file_size == 0)
		add(out, QLINK_FOTA_REFUSE, "%s is empty", c->src);
	if (c->protocol_mode) {
		add(out, QLINK_FOTA_REFUSE,
		    "AT+QFOTADL=\"FILE:<length>\",2 enters a protocol download mode whose wire "
		    "protocol is not published (it answers 010003): not supported%s; use RTS/CTS "
		    "flow control, the paced upload, or a URL",
		    strcmp(model, "EC200T") ? ", and the guide lists it for the EC200T only" : "");
		return;
	}
	if (c->flow == QLINK_FOTA_FLOW_RTSCTS && c->host_rtscts != 1)
		add(out, QLINK_FOTA_REFUSE,
		    "RTS/CTS asked for, but the host port %s: open it with hardware flow "
		    "control, or use --flow none",
		    c->host_rtscts == 0 ? "did not keep CRTSCTS" : "is not a serial port");
	if (qlink_fota_use_rtscts(c)) {
		add(out, QLINK_FOTA_NOTE,
		    "RTS/CTS flow control (%s on the module): the package streams at line rate",
		    c->usb ? "AT+QCFG=\"usbifc\",2,2" : "AT+IFC=2,2");
		return;
	}
	if (!c->rate) {
		add(out, QLINK_FOTA_WARN,
		    "no flow control and no pacing: the module's FIFO overflows and the upload "
		    "fails with FILEEND 500");
		return;
	}
	if (c->file_size > 0)
		add(out, QLINK_FOTA_NOTE,
		    "no flow control: 32-byte writes paced to %u B/s, about %lld s for %lld bytes",
		    c->rate, (long long)((c->file_size + c->rate - 1) / c->rate),
		    (long long)c->file_size);
	if (c->rate > NOR_RATE)
		add(out, QLINK_FOTA_WARN,
		    "%u B/s is above the %u B/s the guide gives for NOR flash without flow "
		    "control: bytes will be lost",
		    c->rate, NOR_RATE);
}

void qlink_fota_check(const struct fota_check *c, struct fota_findings *out)
{
	enum fota_src kind = qlink_fota_src_kind(c->src);
	char model[8] = "";
	int mb = -1;

	if (!c->revision || !*c->revision) {
		add(out, QLINK_FOTA_REFUSE, "the module's revision could not be read");
	} else if ((mb = qlink_revision_flash_mb(c->revision)) < 0 ||
		   qlink_revision_model(c->revision, model, sizeof(model)) < 0) {
		mb = -1;
		add(out, QLINK_FOTA_REFUSE,
		    "revision %s names no flash variant (M08/M16); FOTA differs by variant "
		    "(guide chapter 4), so it is not guessed",
		    c->revision);
	} else {
		add(out, QLINK_FOTA_NOTE, "%s %s, %d MB flash: %s", model, c->revision, mb,
		    mb == 8		     ? "MiniFOTA, two delta packages by URL" :
		    !strcmp(model, "EC200T") ? "full target package" :
					       "one delta package");
		/* say so, rather than apply another platform's rules silently */
		if (!qlink_revision_model_known(model))
			add(out, QLINK_FOTA_WARN,
			    "%s is not a model the DFOTA guide covers: its rules (%s) are "
			    "assumed from the revision's M%02d suffix alone",
			    model,
			    mb == 8 ? "MiniFOTA by URL only, .mini_1 and .mini_2" :
				      "one package by URL or FILE",
			    mb);
	}
	switch (kind) {
	case FOTA_SRC_NONE:
		add(out, QLINK_FOTA_REFUSE, "no source: a URL or a file");
		return;
	case FOTA_SRC_FILE:
		check_file(c, mb, model, out);
		break;
	default:
		check_url(c, mb, out);
		break;
	}
	if (mb == 8 && (c->dl_count >= 0 || c->up_count >= 0))
		add(out, QLINK_FOTA_WARN,
		    "8 MB parts use their own URC counts: the counts given "
		    "are not sent");
	else if (mb == 16 && strcmp(model, "EC200T") && c->up_count >= 0)
		add(out, QLINK_FOTA_WARN, "only the EC200T takes an update URC count: not sent");
	if (mb == 8 && c->mode_set)
		add(out, QLINK_FOTA_WARN,
		    "8 MB parts reboot between the MiniFOTA parts whatever "
		    "the mode: not sent");
	if (c->expect && mb > 0 && qlink_revision_flash_mb(c->expect) > 0 &&
	    qlink_revision_flash_mb(c->expect) != mb)
		add(out, QLINK_FOTA_WARN, "the expected revision %s is for another flash variant",
		    c->expect);
	if (c->expect && c->revision && !strcmp(c->expect, c->revision))
		add(out, QLINK_FOTA_WARN, "the module already runs %s", c->expect);
}

/* ------------------------------------------------------------ HEAD */

static int left(uint64_t deadline)
{
	uint64_t n = qlink_now_ms();

	return n >= deadline ? 0 : (int)(deadline - n);
}

static void b64(const char *in, size_t n, char *out)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i < n; i += 3) {
		unsigned int v = (unsigned char)in[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		*out++ = t[v >> 18];
		*out++ = t[(v >> 12) & 63];
		*out++ = i + 1 < n ? t[(v >> 6) & 63] : '=';
		*out++ = i + 2 < n ? t[v & 63] : '=';
	}
	*out = '\0';
}

static int fail(char *why, size_t len, int err, const char *what)
{
	snprintf(why, len, "%s: %s", what, strerror(err));
	errno = err;
	return -1;
}

static int connect_bounded(struct addrinfo *ai, uint64_t deadline, char *why, size_t len)
{
	int fd = -1, err = ECONNREFUSED;

	for (; ai; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t sl = sizeof(err);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			return fd;
		err = errno;
		if (err == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, left(deadline)) == 1 &&
			    !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) && !err)
				return fd;
			if (!err || err == EINPROGRESS)
				err = ETIMEDOUT;
		}
		close(fd);
		fd = -1;
	}
	return fail(why, len, err, "connect");
}

int qlink_fota_http_head(const char *url, unsigned int timeout_ms, char *why, size_t len)
{
	char host[256], port[8] = "80", auth[200] = "", req[1024], resp[512];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	uint64_t deadline = qlink_now_ms() + timeout_ms;
	struct qlink_url *u = NULL;
	const char *path;
	size_t got = 0;
	int fd, rc, status;

	if (strncasecmp(url, "http://", 7))
		return fail(why, len, EINVAL, "not an http:// URL");
	/* the URL's structure as the masking reads it: a password may hold '@' */
	u = qlink_url_parse(url);
	if (!u || strlen(qlink_url_get_host(u)) >= sizeof(host)) {
		qlink_url_free(u);
		return fail(why, len, EINVAL, "bad URL");
	}
	snprintf(host, sizeof(host), "%s", qlink_url_get_host(u));
	if (qlink_url_get_port(u))
		snprintf(port, sizeof(port), "%u", qlink_url_get_port(u));
	if (*qlink_url_get_user(u) || qlink_url_get_password(u)) {
		char ui[141];
		const char *pw = qlink_url_get_password(u);
		int n = snprintf(ui, sizeof(ui), "%s:%s", qlink_url_get_user(u), pw ? pw : "");

		if (n > 0 && (size_t)n < sizeof(ui)) {
			strcpy(auth, "Authorization: Basic ");
			b64(ui, strlen(ui), auth + strlen(auth));
			strcat(auth, "\r\n");
		}
		explicit_bzero(ui, sizeof(ui));
	}
	/* the system resolver's own bound (resolv.conf timeout) applies here */
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc) {
		snprintf(why, len, "%s: %s", host, gai_strerror(rc));
		explicit_bzero(auth, sizeof(auth));
		qlink_url_free(u);
		errno = EHOSTUNREACH;
		return -1;
	}
	fd = connect_bounded(ai, deadline, why, len);
	freeaddrinfo(ai);
	if (fd < 0) {
		explicit_bzero(auth, sizeof(auth));
		qlink_url_free(u);
		return -1;
	}
	path = qlink_url_get_path(u);
	snprintf(req, sizeof(req),
		 "HEAD %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: qlink\r\n%sConnection: "
		 "close\r\n\r\n",
		 *path == '/' ? path : "/", strchr(host, ':') ? "[" : "", host,
		 strchr(host, ':') ? "]" : "", qlink_url_get_port(u) ? ":" : "",
		 qlink_url_get_port(u) ? port : "", auth);
	explicit_bzero(auth, sizeof(auth));
	qlink_url_free(u);
	rc = send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req);
	explicit_bzero(req, sizeof(req));
	if (rc) {
		close(fd);
		return fail(why, len, errno ? errno : EIO, "send");
	}
	while (got < sizeof(resp) - 1 && !memchr(resp, '\n', got)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, left(deadline)) != 1) {
			close(fd);
			return fail(why, len, ETIMEDOUT, "no answer");
		}
		n = recv(fd, resp + got, sizeof(resp) - 1 - got, 0);
		if (n <= 0) {
			close(fd);
			return fail(why, len, n ? errno : ECONNRESET, "recv");
		}
		got += (size_t)n;
	}
	close(fd);
	resp[got] = '\0';
	if (sscanf(resp, "HTTP/%*d.%*d %d", &status) != 1)
		return fail(why, len, EPROTO, "not an HTTP answer");
	snprintf(why, len, "HEAD: %d", status);
	return status;
}

/* -------------------------------------------------------- the job's */

static bool usb_port(const char *path)
{
	char real[PATH_MAX];
	const char *b;

	if (!path || !realpath(path, real))
		return false;
	b = strrchr(real, '/');
	b = b ? b + 1 : real;
	return !strncmp(b, "ttyUSB", 6) || !strncmp(b, "ttyACM", 6);
}

/* The first finding that refuses the job. */
const char *fota_refusal(const struct qlink_fota *f)
{
	size_t i;

	for (i = 0; i < f->fd.n; i++)
		if (f->fd.f[i].level == QLINK_FOTA_REFUSE)
			return f->fd.f[i].text;
	return "see the findings";
}

/* ----------------------------------------------------------- settle */

static void on_fileend(struct qlink_chan *chan, const char *line, void *user)
{
	(void)chan;
	if (strstr(line, "FILEEND"))
		*(bool *)user = true;
}

/*
 * Before the job, the module must be in command mode. A FILE upload that
 * an earlier run left unfinished (Ctrl-C, a killed host) is not: it takes
 * every byte for the package, AT+GMR included, and the guide gives no way
 * out of it but its end, which the module reports with FILEEND once the
 * bytes stop coming. So when AT goes unanswered, keep silent until that
 * FILEEND, within our bound on a stalled upload; then, for a module left
 * in another data mode, leave it as qlink_chan_escape() does.
 */
static void settle(struct qlink_fota *f, struct qlink_chan *chan)
{
	static const struct qlink_urc_handler h[] = { { "+QIND: \"FOTA\"", on_fileend } };
	struct qlink_resp *r = NULL;
	uint64_t deadline;
	bool ended = false;
	int rc = qlink_chan_exec(chan, "AT", NULL, &r);

	qlink_resp_free(r);
	if (!rc || errno != ETIMEDOUT)
		return;
	qlink_chan_set_urc_handlers(chan, h, 1, &ended);
	deadline = qlink_now_ms() + UPLOAD_STALL_MS;
	while (!ended && !f->cancelled && qlink_now_ms() < deadline) {
		uint64_t left = deadline - qlink_now_ms();

		if (qlink_chan_wait(chan, left > 1000 ? 1000 : (int)left) < 0 && errno != EINTR)
			break;
	}
	qlink_chan_set_urc_handlers(chan, NULL, 0, NULL);
	if (!ended && !f->cancelled)
		qlink_chan_settle(chan);
}

QLINK_API int qlink_fota_preflight(struct qlink_fota *f, struct qlink_chan *chan)
{
	struct fota_check c = { 0 };
	char mini2[300], note[200] = "", pkg_note[200] = "";
	int64_t size;
	struct stat sb;
	int fd;

	if (!f || !chan || !f->src) {
		errno = EINVAL;
		return -1;
	}
	memset(&f->fd, 0, sizeof(f->fd));
	f->rev_before[0] = f->model[0] = '\0';
	f->mb = -1;
	fota_phase(f, QLINK_FOTA_PHASE_CHECK);
	settle(f, chan);
	if (qlink_revision_read(chan, f->rev_before, sizeof(f->rev_before)) < 0) {
		int err = errno;

		snprintf(f->fd.f[0].text, FOTA_FINDING_LEN,
			 "the module's revision could not be read (AT+GMR: %s)", strerror(err));
		f->fd.f[0].level = QLINK_FOTA_REFUSE;
		f->fd.n = 1;
		f->fd.refused = true;
		snprintf(f->msg, sizeof(f->msg), "%s", f->fd.f[0].text);
		errno = err;
		return -1;
	}
	f->mb = qlink_revision_flash_mb(f->rev_before);
	if (qlink_revision_model(f->rev_before, f->model, sizeof(f->model)) < 0)
		f->model[0] = '\0';
	c.revision = f->rev_before;
	c.src = f->src;
	c.protocol_mode = f->protocol;
	c.flow = f->flow;
	c.host_rtscts = qlink_transport_get_rtscts(qlink_chan_get_transport(chan));
	c.usb = usb_port(f->port);
	c.rate = f->rate;
	c.dl_count = f->dl_count;
	c.up_count = f->up_count;
	c.mode_set = f->mode_set;
	c.expect = f->expect;
	c.mini2 = -1;
	c.pkg = -1;
	f->file_size = -1;
	if (f->kind == FOTA_SRC_FILE) {
		fd = open(f->src, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
			c.file_errno = fd < 0 ? errno : S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
		} else {
			f->file_size = sb.st_size;
		}
		if (fd >= 0)
			close(fd);
	}
	c.file_size = f->file_size;
	if (f->kind != FOTA_SRC_FILE && f->kind != FOTA_SRC_NONE && f->no_host_check) {
		snprintf(pkg_note, sizeof(pkg_note), "%s", "the host's check was turned off");
		c.pkg_note = pkg_note;
	} else if (f->kind != FOTA_SRC_FILE && f->kind != FOTA_SRC_NONE) {
		c.pkg = fota_probe(f->src, HEAD_MS, &size, pkg_note, sizeof(pkg_note));
		if (c.pkg < 0 && errno != ENOTSUP)
			snprintf(pkg_note + strlen(pkg_note), sizeof(pkg_note) - strlen(pkg_note),
				 "%s", "; the host could not tell, the module may still reach it");
		c.pkg_note = pkg_note;
	}
	if (f->mb == 8 && !qlink_fota_mini2_url(f->src, mini2, sizeof(mini2))) {
		if (f->no_host_check) {
			snprintf(note, sizeof(note), "%s", "the host's check was turned off");
		} else {
			c.mini2 = fota_probe(mini2, HEAD_MS, &size, note, sizeof(note));
			if (c.mini2 < 0 && errno != ENOTSUP)
				snprintf(note + strlen(note), sizeof(note) - strlen(note), "%s",
					 "; the host could not tell, the module may still reach it");
		}
		c.mini2_note = note;
	}
	qlink_fota_check(&c, &f->fd);
	if (fota_log_check(f) < 0)
		add(&f->fd, QLINK_FOTA_REFUSE, "the job log %s cannot be written: %s", f->log_path,
		    strerror(errno));
	f->rtscts = qlink_fota_use_rtscts(&c);
	f->usb = c.usb;
	f->checked = true;
	if (f->fd.refused) {
		snprintf(f->msg, sizeof(f->msg), "refused: %s", fota_refusal(f));
		errno = EPERM;
		return -1;
	}
	return 0;
}

QLINK_API size_t qlink_fota_get_finding_count(const struct qlink_fota *f)
{
	return f->fd.n;
}

QLINK_API const char *qlink_fota_get_finding(const struct qlink_fota *f, size_t i,
					     enum qlink_fota_level *level)
{
	if (i >= f->fd.n)
		return NULL;
	if (level)
		*level = f->fd.f[i].level;
	return f->fd.f[i].text;
}

QLINK_API const char *qlink_fota_level_name(enum qlink_fota_level level)
{
	switch (level) {
	case QLINK_FOTA_NOTE:
		return "note";
	case QLINK_FOTA_WARN:
		return "warn";
	case QLINK_FOTA_REFUSE:
		return "refuse";
	default:
		return "unknown";
	}
}
