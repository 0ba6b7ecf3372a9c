// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The FOTA job: configuration, pre-flight, AT+QFOTADL, the FILE upload,
 * following the module's URCs to the end, and the job log.
 *
 * The end is the module's word and nothing less: END,0, then the module
 * back (RDY, or on USB the port gone and back and answering AT), then its
 * revision read. Every phase waits with a bound: see struct
 * qlink_fota_timeouts for the long ones and the constants below for the
 * short ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <qlink/fota.h>
#include <qlink/pdp.h>
#include <qlink/redact.h>
#include <qlink/revision.h>

#include "core/api.h"
#include "core/clock.h"
#include "core/port-wait.h"
#include "fota/fota-priv.h"

#define DEFAULT_RATE 15000	/* B/s: the guide's NOR flash figure (3.3.1.3) */
#define PACED_WRITE 32		/* bytes per write without flow control (3.3.1.3) */
#define CHUNK 16384		/* bytes of the file queued at a time when streaming */
/*
 * Paced, a short queue: what is still queued when the module ends the
 * upload early (FILEEND 500) reaches it as command-line noise.
 */
#define PACED_QUEUE 512
/* Ours: the guide gives no figure. Many times a flash erase pause. */
#define UPLOAD_STALL_MS 30000
#define FILESTART_MS 10000	/* OK to FILESTART: the module says it at once */
#define FILEEND_MS 60000	/* last byte to FILEEND: the module writes what it holds */
#define PROBE_MS 3000		/* waiting for a reboot: AT, in case RDY was missed */
#define HEAD_MS 5000		/* the host's own HEAD check of .mini_2 */
#define REOPEN_RETRY_MS 250	/* the port is there but will not open yet */
#define PROGRESS_MS 100		/* upload progress reports */

enum st {
	ST_IDLE,
	ST_FILESTART,	/* OK to FILE:<len>: waiting for FILESTART */
	ST_UPLOAD,
	ST_FILEEND,	/* all written: waiting for FILEEND */
	ST_DOWNLOAD,	/* the module downloads */
	ST_PREUPDATE,	/* downloaded: START next, maybe after a reboot */
	ST_UPDATE,
	ST_REBOOT,	/* END seen: waiting for the module */
	ST_ATTACH,	/* --resume: waiting for the first FOTA URC */
	ST_VERIFY,
	ST_DONE,
};

struct qlink_fota {
	/* configuration */
	char *src;
	enum fota_src kind;
	int mode;
	bool mode_set;
	int dl_count, up_count;
	char *expect;
	struct qlink_fota_timeouts to;
	unsigned int rate;
	enum qlink_fota_flow flow;
	bool protocol;
	int cid;
	char *apn;
	char *port;
	unsigned int baud, tty_flags;
	qlink_fota_progress_cb cb;
	void *cb_user;
	qlink_log_cb trace;
	void *trace_user;
	char *log_path;

	/* pre-flight */
	bool checked;
	struct fota_findings fd;
	char rev_before[64], rev_after[64], model[8];
	int mb;
	int64_t file_size;
	bool rtscts, usb;

	/*
	 * the run: @chan is the channel in use, the caller's or @own, one
	 * the job opened when the port came back (freed by the job)
	 */
	struct qlink_chan *chan, *own;
	struct fota_pm pm;
	enum st st;
	uint64_t t0, deadline;
	bool rdy, any_urc, dl_ok, end_seen;
	int end_code;
	int code;
	enum qlink_code_space space;
	enum qlink_fota_outcome outcome;
	int err;
	char msg[640], advice[400];
	unsigned int reopens;
	volatile sig_atomic_t cancelled;	/* qlink_fota_cancel(), from a signal */
	bool probe_busy, probe_ok;
	uint64_t next_probe;

	/* the upload */
	int file;
	uint64_t queued, sent, up_t0, last_move, last_report;
	unsigned char *buf;
};

static int set_str(char **dst, const char *src)
{
	char *c = NULL;

	if (src) {
		c = strdup(src);
		if (!c)
			return -1;
	}
	free(*dst);
	*dst = c;
	return 0;
}

/* ----------------------------------------------------- configuration */

QLINK_API struct qlink_fota *qlink_fota_new(void)
{
	struct qlink_fota *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->mode = QLINK_FOTA_MODE_IMMEDIATE;
	f->dl_count = f->up_count = -1;
	f->rate = DEFAULT_RATE;
	f->cid = 1;
	f->mb = -1;
	f->file = -1;
	f->code = -1;
	f->to.download_s = 1800;
	f->to.update_s = 600;
	f->to.boot_s = 120;
	f->to.attach_s = 60;
	f->pm.p.size = sizeof(f->pm.p);
	return f;
}

QLINK_API void qlink_fota_free(struct qlink_fota *f)
{
	if (!f)
		return;
	if (f->file >= 0)
		close(f->file);
	qlink_chan_free(f->own);
	free(f->buf);
	free(f->src);
	free(f->expect);
	free(f->apn);
	free(f->port);
	free(f->log_path);
	free(f);
}

QLINK_API int qlink_fota_set_source(struct qlink_fota *f, const char *src)
{
	if (!f || !src || !*src) {
		errno = EINVAL;
		return -1;
	}
	if (set_str(&f->src, src) < 0)
		return -1;
	f->kind = qlink_fota_src_kind(src);
	f->checked = false;
	return 0;
}

QLINK_API int qlink_fota_set_mode(struct qlink_fota *f, enum qlink_fota_mode mode)
{
	if (mode != QLINK_FOTA_MODE_REBOOT && mode != QLINK_FOTA_MODE_IMMEDIATE) {
		errno = EINVAL;
		return -1;
	}
	f->mode = mode;
	f->mode_set = true;
	return 0;
}

static bool count_ok(int n)
{
	return n == -1 || n == 0 || (n >= 5 && n <= 100);
}

QLINK_API int qlink_fota_set_urc_counts(struct qlink_fota *f, int download, int update)
{
	if (!count_ok(download) || !count_ok(update)) {
		errno = EINVAL;
		return -1;
	}
	f->dl_count = download;
	f->up_count = update;
	return 0;
}

QLINK_API int qlink_fota_set_expected_revision(struct qlink_fota *f, const char *rev)
{
	return set_str(&f->expect, rev && *rev ? rev : NULL);
}

QLINK_API int qlink_fota_set_timeouts(struct qlink_fota *f, const struct qlink_fota_timeouts *to)
{
	if (!to) {
		errno = EINVAL;
		return -1;
	}
	if (to->download_s)
		f->to.download_s = to->download_s;
	if (to->update_s)
		f->to.update_s = to->update_s;
	if (to->boot_s)
		f->to.boot_s = to->boot_s;
	if (to->attach_s)
		f->to.attach_s = to->attach_s;
	return 0;
}

QLINK_API void qlink_fota_set_rate(struct qlink_fota *f, unsigned int bytes_per_s)
{
	f->rate = bytes_per_s;
	f->checked = false;
}

QLINK_API int qlink_fota_set_flow(struct qlink_fota *f, enum qlink_fota_flow flow)
{
	if (flow != QLINK_FOTA_FLOW_AUTO && flow != QLINK_FOTA_FLOW_RTSCTS &&
	    flow != QLINK_FOTA_FLOW_NONE) {
		errno = EINVAL;
		return -1;
	}
	f->flow = flow;
	f->checked = false;
	return 0;
}

QLINK_API void qlink_fota_set_protocol_mode(struct qlink_fota *f, bool on)
{
	f->protocol = on;
	f->checked = false;
}

QLINK_API int qlink_fota_set_pdp(struct qlink_fota *f, int cid, const char *apn)
{
	if (cid < 1 || cid > 15 || (apn && (strlen(apn) > 62 || strchr(apn, '"')))) {
		errno = EINVAL;
		return -1;
	}
	if (set_str(&f->apn, apn) < 0)
		return -1;
	f->cid = cid;
	return 0;
}

QLINK_API int qlink_fota_set_port(struct qlink_fota *f, const char *path, unsigned int baud,
				  unsigned int flags)
{
	if (!path || !*path) {
		errno = EINVAL;
		return -1;
	}
	if (set_str(&f->port, path) < 0)
		return -1;
	f->baud = baud;
	f->tty_flags = flags;
	return 0;
}

QLINK_API void qlink_fota_set_progress_cb(struct qlink_fota *f, qlink_fota_progress_cb cb,
					  void *user)
{
	f->cb = cb;
	f->cb_user = user;
}

QLINK_API void qlink_fota_set_trace(struct qlink_fota *f, qlink_log_cb fn, void *user)
{
	f->trace = fn;
	f->trace_user = user;
}

QLINK_API int qlink_fota_set_log_file(struct qlink_fota *f, const char *path)
{
	return set_str(&f->log_path, path);
}

/* ------------------------------------------------------------ result */

static void result(struct qlink_fota *f, enum qlink_fota_outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(struct qlink_fota *f, enum qlink_fota_outcome o, const char *fmt, ...)
{
	va_list ap;

	f->outcome = o;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

/*
 * The one map between outcomes and errno, both ways. Each outcome has a
 * name and the errno qlink_fota_run() fails with; a failed step's errno
 * picks the outcome: ETIMEDOUT a bound passed, ENXIO the port went away,
 * anything else what the step says (@other).
 */
static const struct {
	const char *name;
	int err;
} outcomes[] = {
	[QLINK_FOTA_OUTCOME_NONE] = { "none", EIO },
	[QLINK_FOTA_OUTCOME_UPGRADED] = { "upgraded", 0 },
	[QLINK_FOTA_OUTCOME_REFUSED] = { "refused", EPERM },
	[QLINK_FOTA_OUTCOME_MODULE_ERROR] = { "module-error", EIO },
	[QLINK_FOTA_OUTCOME_INTERRUPTED] = { "interrupted", ECANCELED },
	[QLINK_FOTA_OUTCOME_MISMATCH] = { "revision-mismatch", EBADMSG },
	[QLINK_FOTA_OUTCOME_TIMEOUT] = { "timeout", ETIMEDOUT },
	[QLINK_FOTA_OUTCOME_PORT_LOST] = { "port-lost", ENXIO },
	[QLINK_FOTA_OUTCOME_NOT_RUNNING] = { "not-running", ENOENT },
	[QLINK_FOTA_OUTCOME_HOST_ERROR] = { "host-error", EIO },
	[QLINK_FOTA_OUTCOME_CANCELLED] = { "cancelled", ECANCELED },
};

#define N_OUTCOMES (sizeof(outcomes) / sizeof(outcomes[0]))

static void fail(struct qlink_fota *f, int err, enum qlink_fota_outcome other, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

static void fail(struct qlink_fota *f, int err, enum qlink_fota_outcome other, const char *fmt,
		 ...)
{
	va_list ap;

	f->err = err;
	f->outcome = err == ETIMEDOUT ? QLINK_FOTA_OUTCOME_TIMEOUT :
		     err == ENXIO ? QLINK_FOTA_OUTCOME_PORT_LOST : other;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

/* What qlink_fota_run() returns the outcome as; the host's own failure keeps its errno. */
static int outcome_errno(const struct qlink_fota *f)
{
	if (f->outcome == QLINK_FOTA_OUTCOME_HOST_ERROR && f->err)
		return f->err;
	return (unsigned int)f->outcome < N_OUTCOMES ? outcomes[f->outcome].err : EIO;
}

QLINK_API const char *qlink_fota_outcome_name(enum qlink_fota_outcome o)
{
	return (unsigned int)o < N_OUTCOMES ? outcomes[o].name : "unknown";
}

/* The source as it may be shown: credentials masked. */
static const char *shown(const struct qlink_fota *f, char *buf, size_t len)
{
	if (!f->src)
		return "";
	qlink_redact(f->src, buf, len);
	return buf;
}

static void notify(struct qlink_fota *f, bool changed)
{
	if (changed && f->cb)
		f->cb(&f->pm.p, f->cb_user);
}

static void phase(struct qlink_fota *f, enum qlink_fota_phase p)
{
	notify(f, qlink_fota_pm_phase(&f->pm, p));
}

static void arm(struct qlink_fota *f, unsigned int ms)
{
	f->deadline = qlink_now_ms() + ms;
}

/* ------------------------------------------------------------- URCs */

static void module_code(struct qlink_fota *f, enum qlink_code_space space, int code,
			const char *what)
{
	f->code = code;
	f->space = space;
	snprintf(f->advice, sizeof(f->advice), "%s", qlink_fota_advice(space, code));
	result(f, QLINK_FOTA_OUTCOME_MODULE_ERROR, "%s %d: %s", what, code,
	       qlink_code_str(space, code));
}

static void on_fota_urc(struct qlink_fota *f, const struct fota_urc *u)
{
	static const char *const end_word[] = {
		[QLINK_CODE_FTP] = "FTPEND", [QLINK_CODE_HTTP] = "HTTPEND",
		[QLINK_CODE_FILE] = "FILEEND",
	};

	f->any_urc = true;
	notify(f, qlink_fota_pm_urc(&f->pm, u));
	switch (u->kind) {
	case FOTA_URC_DL_START:
		if (f->st == ST_FILESTART) {
			f->st = ST_UPLOAD;
			f->up_t0 = f->last_move = qlink_now_ms();
			arm(f, UPLOAD_STALL_MS);
		} else if (f->st == ST_ATTACH || f->st == ST_DOWNLOAD) {
			f->st = ST_DOWNLOAD;
			arm(f, f->to.download_s * 1000);
		}
		break;
	case FOTA_URC_DOWNLOADING:
		if (f->st == ST_ATTACH || f->st == ST_DOWNLOAD) {
			f->st = ST_DOWNLOAD;
			arm(f, f->to.download_s * 1000);
		}
		break;
	case FOTA_URC_DL_END:
		if (u->value) {
			module_code(f, u->space, u->value, end_word[u->space]);
			if (u->space == QLINK_CODE_FILE && f->queued)
				snprintf(f->msg + strlen(f->msg), sizeof(f->msg) - strlen(f->msg),
					 " (%llu of %lld bytes written)",
					 (unsigned long long)f->sent, (long long)f->file_size);
			/* the firmware is untouched and the module stays up */
			f->st = ST_VERIFY;
			break;
		}
		if (f->queued && f->up_t0) {
			/* the rate as the module took it: the port's buffer is in by now */
			uint64_t ms = qlink_now_ms() - f->up_t0;

			notify(f, qlink_fota_pm_upload(&f->pm, f->sent, (uint64_t)f->file_size,
						       (unsigned int)(f->sent * 1000 / (ms ? ms : 1))));
		}
		f->dl_ok = true;
		f->st = ST_PREUPDATE;
		/* mode 0 reboots into the update first */
		arm(f, (f->to.update_s + f->to.boot_s) * 1000);
		break;
	case FOTA_URC_START:
	case FOTA_URC_UPDATING:
		if (f->st == ST_REBOOT || f->st == ST_VERIFY || f->st == ST_DONE)
			break;
		f->st = ST_UPDATE;
		/* MiniFOTA's .mini_1 done: reboot and download .mini_2, silently */
		if (f->pm.mini && f->pm.p.phase_percent == 60)
			arm(f, (f->to.download_s + 2 * f->to.boot_s) * 1000);
		else
			arm(f, f->to.update_s * 1000);
		break;
	case FOTA_URC_END:
		f->end_seen = true;
		f->end_code = u->value;
		if (u->value)
			module_code(f, QLINK_CODE_FOTA, u->value, "END");
		f->st = ST_REBOOT;
		f->rdy = false;
		f->next_probe = qlink_now_ms() + PROBE_MS;
		arm(f, f->to.boot_s * 1000);
		phase(f, QLINK_FOTA_PHASE_REBOOT);
		break;
	}
}

static void on_qind(struct qlink_chan *chan, const char *line, void *user)
{
	struct fota_urc u;

	(void)chan;
	if (!qlink_fota_urc_parse(line, &u))
		on_fota_urc(user, &u);
}

static void on_rdy(struct qlink_chan *chan, const char *line, void *user)
{
	(void)chan;
	(void)line;
	((struct qlink_fota *)user)->rdy = true;
}

static const struct qlink_urc_handler handlers[] = {
	{ "+QIND:", on_qind },
	{ "RDY", on_rdy },
};

static void attach(struct qlink_fota *f, struct qlink_chan *chan)
{
	qlink_chan_set_urc_handlers(chan, handlers, sizeof(handlers) / sizeof(handlers[0]), f);
}

/* ------------------------------------------------------- pre-flight */

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

QLINK_API int qlink_fota_preflight(struct qlink_fota *f, struct qlink_chan *chan)
{
	struct fota_check c = { 0 };
	char mini2[300], note[200] = "";
	struct stat sb;
	int fd;

	if (!f || !chan || !f->src) {
		errno = EINVAL;
		return -1;
	}
	memset(&f->fd, 0, sizeof(f->fd));
	f->rev_before[0] = f->model[0] = '\0';
	f->mb = -1;
	phase(f, QLINK_FOTA_PHASE_CHECK);
	if (qlink_revision_read(chan, f->rev_before, sizeof(f->rev_before)) < 0) {
		int err = errno;

		snprintf(f->fd.f[0].text, FOTA_FINDING_LEN,
			 "the module's revision could not be read (AT+GMR: %s)", strerror(err));
		f->fd.f[0].level = QLINK_FOTA_REFUSE;
		f->fd.n = 1;
		f->fd.refused = true;
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
	c.host_rtscts = qlink_transport_tty_rtscts(qlink_chan_get_transport(chan));
	c.usb = usb_port(f->port);
	c.rate = f->rate;
	c.dl_count = f->dl_count;
	c.up_count = f->up_count;
	c.mode_set = f->mode_set;
	c.expect = f->expect;
	c.mini2 = -1;
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
	if (f->mb == 8 && !qlink_fota_mini2_url(f->src, mini2, sizeof(mini2))) {
		if (f->kind == FOTA_SRC_HTTP) {
			int status = qlink_fota_http_head(mini2, HEAD_MS, note, sizeof(note));

			if (status >= 200 && status < 300)
				c.mini2 = 1;
			else if (status == 404 || status == 410)
				c.mini2 = 0;
			else if (status < 0)
				snprintf(note, sizeof(note), "%s",
					 "the host could not reach the server to check; the "
					 "module may still reach it");
		} else {
			snprintf(note, sizeof(note), "%s",
				 f->kind == FOTA_SRC_HTTPS ?
				 "libqlink has no TLS for a HEAD over https://" :
				 "the host does not check FTP servers");
		}
		c.mini2_note = note;
	}
	qlink_fota_check(&c, &f->fd);
	f->rtscts = qlink_fota_use_rtscts(&c);
	f->usb = c.usb;
	f->checked = true;
	if (f->fd.refused) {
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

/* ------------------------------------------------------------- setup */

static int exec_or_fail(struct qlink_fota *f, struct qlink_chan *chan, const char *line)
{
	struct qlink_resp *r = NULL;
	int ret = qlink_chan_exec(chan, line, NULL, &r);

	if (ret < 0) {
		int err = errno;

		fail(f, err, QLINK_FOTA_OUTCOME_MODULE_ERROR, "%s",
		     r ? qlink_resp_strerror(r) : strerror(err));
	}
	qlink_resp_free(r);
	return ret;
}

/* The PDP context the download uses: the one fota/cid names, and active. */
static int setup_pdp(struct qlink_fota *f, struct qlink_chan *chan)
{
	struct qlink_resp *r = NULL;
	char line[512];
	int cur = -1;

	if (!qlink_chan_exec(chan, "AT+QCFG=\"fota/cid\"", NULL, &r)) {
		const char *l = qlink_resp_line(r, 0);

		if (l && sscanf(l, "+QCFG: \"fota/cid\",%d", &cur) != 1)
			cur = -1;
	}
	qlink_resp_free(r);
	if (cur != f->cid) {
		snprintf(line, sizeof(line), "AT+QCFG=\"fota/cid\",%d", f->cid);
		if (exec_or_fail(f, chan, line) < 0)
			return -1;
	}
	if (qlink_pdp_activate(chan, f->cid, f->apn, line, sizeof(line)) < 0) {
		fail(f, errno, QLINK_FOTA_OUTCOME_MODULE_ERROR, "%s", line);
		snprintf(f->advice, sizeof(f->advice),
			 "the module could not activate PDP context %d: check the SIM, the network "
			 "and the APN (--apn)", f->cid);
		return -1;
	}
	return 0;
}

static int setup_flow(struct qlink_fota *f, struct qlink_chan *chan)
{
	const char *line = f->usb ? (f->rtscts ? "AT+QCFG=\"usbifc\",2,2" : "AT+QCFG=\"usbifc\",0,0") :
				    (f->rtscts ? "AT+IFC=2,2" : "AT+IFC=0,0");

	return exec_or_fail(f, chan, line);
}

static void build_cmd(struct qlink_fota *f, char *line, size_t len)
{
	bool ec200t = !strcmp(f->model, "EC200T");
	int n;

	if (f->kind == FOTA_SRC_FILE)
		n = snprintf(line, len, "AT+QFOTADL=\"FILE:%lld\"", (long long)f->file_size);
	else
		n = snprintf(line, len, "AT+QFOTADL=\"%s\"", f->src);
	/* 8 MB parts: the URL alone; the rest is the module's own (4.2) */
	if (f->mb == 8 || n < 0 || (size_t)n >= len)
		return;
	n += snprintf(line + n, len - (size_t)n, ",%d", f->mode);
	if (f->dl_count >= 0 || (ec200t && f->up_count >= 0))
		n += snprintf(line + n, len - (size_t)n, ",%d",
			      f->dl_count >= 0 ? f->dl_count : 100);
	if (ec200t && f->up_count >= 0)
		snprintf(line + n, len - (size_t)n, ",%d", f->up_count);
}

/* ------------------------------------------------------------ upload */

static int upload_feed(struct qlink_fota *f, struct qlink_chan *chan)
{
	size_t room = f->rtscts || !f->rate ? CHUNK : PACED_QUEUE;
	uint64_t now = qlink_now_ms(), sent;

	while (f->queued < (uint64_t)f->file_size && qlink_chan_get_outq(chan) < room) {
		size_t want = (uint64_t)f->file_size - f->queued < room ?
				      (size_t)((uint64_t)f->file_size - f->queued) : room;
		ssize_t n = pread(f->file, f->buf, want, (off_t)f->queued);

		if (n <= 0) {
			f->err = n < 0 ? errno : EIO;
			result(f, QLINK_FOTA_OUTCOME_HOST_ERROR, "reading %s at byte %llu: %s",
			       f->src, (unsigned long long)f->queued,
			       n < 0 ? strerror(errno) : "the file shrank");
			return -1;
		}
		if (qlink_chan_send(chan, f->buf, (size_t)n) < 0)
			return 0;	/* the port is gone: the loop finds out */
		f->queued += (uint64_t)n;
	}
	sent = f->queued - qlink_chan_get_outq(chan);
	if (sent != f->sent) {
		f->sent = sent;
		f->last_move = now;
		arm(f, UPLOAD_STALL_MS);
	}
	if (now - f->last_report >= PROGRESS_MS || sent == (uint64_t)f->file_size) {
		uint64_t ms = now > f->up_t0 ? now - f->up_t0 : 1;

		f->last_report = now;
		notify(f, qlink_fota_pm_upload(&f->pm, sent, (uint64_t)f->file_size,
					       (unsigned int)(sent * 1000 / ms)));
	}
	if (sent == (uint64_t)f->file_size && f->st == ST_UPLOAD) {
		f->st = ST_FILEEND;
		arm(f, FILEEND_MS);
	}
	return 0;
}

/* ------------------------------------------------------ port re-open */

/*
 * Stop using a channel whose port went away. The job's own is freed; the
 * caller's stays the caller's, but its device is closed now: a USB serial
 * driver keeps the node's number while a descriptor holds it, and the
 * module would come back under another name.
 */
static void drop_chan(struct qlink_fota *f)
{
	struct qlink_chan *old = f->chan;

	f->chan = NULL;
	if (!old)
		return;
	if (old == f->own) {
		qlink_chan_free(old);
		f->own = NULL;
		return;
	}
	qlink_transport_set_pacing(qlink_chan_get_transport(old), 0, 0);
	qlink_chan_set_urc_handlers(old, NULL, 0, NULL);
	qlink_port_release(qlink_chan_get_transport(old));
	/* it completes what it still owed (a probe) now, while @f is alive */
	qlink_chan_process(old);
}

static int reopen(struct qlink_fota *f)
{
	uint64_t deadline = qlink_now_ms() + f->to.boot_s * 1000ull;

	drop_chan(f);
	if (!f->port)
		return -1;
	for (;;) {
		uint64_t now = qlink_now_ms();
		struct qlink_transport *t;

		if (qlink_port_wait(f->port, true, now < deadline ? deadline - now : 0) < 0)
			return -1;
		t = qlink_transport_open_tty(f->port, f->baud, f->tty_flags);
		if (!t) {
			now = qlink_now_ms();
			if (now >= deadline)
				return -1;
			/* present but not usable yet (udev's chmod): try again shortly */
			poll(NULL, 0, (int)(deadline - now < REOPEN_RETRY_MS ? deadline - now :
									  REOPEN_RETRY_MS));
			continue;
		}
		f->own = qlink_chan_new(t);
		if (!f->own)
			return -1;
		f->chan = f->own;
		if (f->trace)
			qlink_chan_set_log(f->chan, f->trace, f->trace_user);
		attach(f, f->chan);
		f->reopens++;
		/* it may have said RDY before we were back: ask */
		f->next_probe = 0;
		f->probe_busy = false;
		return 0;
	}
}

/* ------------------------------------------------------- following */

static void probe_done(struct qlink_chan *chan, const struct qlink_resp *r, void *user)
{
	struct qlink_fota *f = user;

	(void)chan;
	f->probe_busy = false;
	if (!qlink_resp_status(r))
		f->probe_ok = true;
}

static void interrupted(struct qlink_fota *f)
{
	char url2[300], m2[640];

	if (f->pm.mini && f->pm.p.part >= 1 && f->pm.p.phase_percent >= 60) {
		qlink_fota_mini2_url(f->src ? f->src : "", url2, sizeof(url2));
		qlink_redact(url2, m2, sizeof(m2));
		result(f, QLINK_FOTA_OUTCOME_INTERRUPTED,
		       "MiniFOTA stopped after .mini_1: the module could not fetch %s and stays "
		       "in download mode", f->src ? m2 : ".mini_2");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "serve .mini_2 beside .mini_1 and run the same upgrade again: the module "
			 "goes on with .mini_2");
	} else if (f->pm.mini && f->st != ST_UPDATE) {
		result(f, QLINK_FOTA_OUTCOME_INTERRUPTED,
		       "the module came back without updating: it could not fetch .mini_1");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "check the URL, the server and the module's network, then run again; the "
			 "module may stay in download mode until an upgrade succeeds");
	} else if (f->st == ST_UPDATE || f->st == ST_PREUPDATE) {
		result(f, QLINK_FOTA_OUTCOME_INTERRUPTED,
		       "the module restarted during the update and came back without finishing it");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "read its revision; run the upgrade again");
	} else {
		result(f, QLINK_FOTA_OUTCOME_INTERRUPTED,
		       "the module restarted during the %s; its firmware is unchanged",
		       f->kind == FOTA_SRC_FILE ? "upload" : "download");
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "keep the module powered and run the upgrade again");
	}
}

static void deadline_passed(struct qlink_fota *f, struct qlink_chan *chan)
{
	switch (f->st) {
	case ST_FILESTART:
		result(f, QLINK_FOTA_OUTCOME_TIMEOUT, "no FILESTART within %d s of the OK",
		       FILESTART_MS / 1000);
		break;
	case ST_UPLOAD:
		result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
		       "the module stopped taking the package: %llu of %lld bytes written, none "
		       "for %d s (CTS held low?)", (unsigned long long)f->sent,
		       (long long)f->file_size, UPLOAD_STALL_MS / 1000);
		break;
	case ST_FILEEND:
		result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
		       "all %lld bytes written, but no FILEEND within %d s", (long long)f->file_size,
		       FILEEND_MS / 1000);
		break;
	case ST_DOWNLOAD:
		result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
		       "no word from the module about the download for %u s", f->to.download_s);
		break;
	case ST_PREUPDATE:
	case ST_UPDATE:
		result(f, QLINK_FOTA_OUTCOME_TIMEOUT, "the update stalled at %d %% (no URC for %u s)",
		       f->pm.p.phase_percent < 0 ? 0 : f->pm.p.phase_percent,
		       f->st == ST_UPDATE ? f->to.update_s : f->to.update_s + f->to.boot_s);
		break;
	case ST_REBOOT:
		if (f->end_code) {
			size_t n = strlen(f->msg);

			snprintf(f->msg + n, sizeof(f->msg) - n,
				 "; then the module did not come back within %u s", f->to.boot_s);
		} else {
			result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
			       "END,0, but the module did not come back within %u s: no RDY, no "
			       "answer to AT%s", f->to.boot_s,
			       f->port ? ", the port did not reappear" : "");
			snprintf(f->advice, sizeof(f->advice), "%s",
				 "keep it powered; check the port (USB may come back under another "
				 "name) and run qlink info; if it is still silent, power-cycle it");
		}
		f->st = ST_DONE;
		return;
	case ST_ATTACH:
		if (chan && !qlink_revision_read(chan, f->rev_after, sizeof(f->rev_after))) {
			result(f, QLINK_FOTA_OUTCOME_NOT_RUNNING,
			       "no upgrade under way: no FOTA URC within %u s; the module answers and "
			       "runs %s", f->to.attach_s, f->rev_after);
		} else {
			result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
			       "the module neither reported FOTA progress nor answered within %u s",
			       f->to.attach_s);
		}
		f->st = ST_DONE;
		return;
	default:
		break;
	}
	f->st = ST_DONE;
}

static void follow(struct qlink_fota *f)
{
	while (f->st != ST_VERIFY && f->st != ST_DONE) {
		uint64_t now;
		int wait;

		if (f->cancelled) {
			/*
			 * The host stops watching; the module does not stop
			 * upgrading. An upload cut short ends in the module's
			 * own FILEEND error, anything later runs to its end.
			 */
			result(f, QLINK_FOTA_OUTCOME_CANCELLED, "%s",
			       f->st == ST_UPLOAD ?
			       "stopped by the user during the upload; the module will report "
			       "the package incomplete" :
			       "stopped following by the user; the module carries on");
			snprintf(f->advice, sizeof(f->advice), "%s",
				 f->st == ST_UPLOAD ? "start the upgrade again" :
				 "keep it powered; qlink fota --resume follows it to the end");
			f->st = ST_DONE;
			break;
		}
		if (f->st == ST_UPLOAD && upload_feed(f, f->chan) < 0) {
			f->st = ST_DONE;
			break;
		}
		if (f->rdy && f->st == ST_REBOOT) {
			f->st = ST_VERIFY;
			break;
		}
		if (f->probe_ok && f->st == ST_REBOOT) {
			f->st = ST_VERIFY;
			break;
		}
		if (f->rdy && f->st != ST_ATTACH) {
			/* back in normal mode before END: it gave up */
			interrupted(f);
			f->st = ST_VERIFY;
			break;
		}
		f->rdy = false;
		now = qlink_now_ms();
		if (now >= f->deadline) {
			deadline_passed(f, f->chan);
			continue;
		}
		if (f->st == ST_REBOOT && !f->probe_busy && now >= f->next_probe) {
			f->next_probe = now + PROBE_MS;
			if (!qlink_chan_submit(f->chan, "AT", NULL, probe_done, f))
				f->probe_busy = true;
		}
		wait = f->deadline - now > 1000 ? 1000 : (int)(f->deadline - now);
		if (f->st == ST_UPLOAD && wait > PROGRESS_MS)
			wait = PROGRESS_MS;
		if (qlink_chan_wait(f->chan, wait) < 0 && errno != EINTR) {
			bool uploading = f->st == ST_UPLOAD || f->st == ST_FILESTART ||
					 f->st == ST_FILEEND;

			f->probe_busy = false;
			if (uploading || reopen(f) < 0) {
				drop_chan(f);
				result(f, QLINK_FOTA_OUTCOME_PORT_LOST,
				       uploading ? "the port went away during the upload" :
				       f->port ? "the port went away and did not come back within %u s" :
						 "the port went away (no path to reopen it)",
				       f->to.boot_s);
				f->st = ST_DONE;
			}
		}
	}
}

static void verify(struct qlink_fota *f, struct qlink_chan *chan)
{
	uint64_t deadline = qlink_now_ms() + f->to.boot_s * 1000ull;
	char before[64];

	phase(f, QLINK_FOTA_PHASE_VERIFY);
	/* just after RDY some firmware still says ERROR to everything */
	while (qlink_revision_read(chan, f->rev_after, sizeof(f->rev_after)) < 0) {
		if (errno == ENXIO || qlink_now_ms() >= deadline) {
			if (f->outcome == QLINK_FOTA_OUTCOME_NONE)
				result(f, QLINK_FOTA_OUTCOME_TIMEOUT,
				       "END,0 and the module is back, but its revision could not be "
				       "read within %u s", f->to.boot_s);
			return;
		}
		qlink_chan_wait(chan, PROBE_MS / 3);
	}
	if (f->outcome != QLINK_FOTA_OUTCOME_NONE) {
		size_t n = strlen(f->msg);

		snprintf(f->msg + n, sizeof(f->msg) - n, "; it runs %s", f->rev_after);
		return;
	}
	snprintf(before, sizeof(before), "%s", f->rev_before[0] ? f->rev_before : "?");
	if (f->expect && strcmp(f->expect, f->rev_after)) {
		result(f, QLINK_FOTA_OUTCOME_MISMATCH,
		       "END,0, but the module runs %s, not the expected %s", f->rev_after, f->expect);
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "check that the package is the one for the expected revision");
		return;
	}
	f->code = 0;
	f->space = QLINK_CODE_FOTA;
	result(f, QLINK_FOTA_OUTCOME_UPGRADED, "upgraded %s -> %s%s", before, f->rev_after,
	       !strcmp(before, f->rev_after) ? " (the revision did not change)" : "");
}

/* ------------------------------------------------------------- log */

static void write_log(struct qlink_fota *f)
{
	char src[700], when[32], msg[640];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int fd;
	FILE *fp;

	if (!f->log_path)
		return;
	fd = open(f->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	fp = fdopen(fd, "a");
	if (!fp) {
		close(fd);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	qlink_redact(f->msg, msg, sizeof(msg));
	for (i = 0; msg[i]; i++)
		if (msg[i] == '"')
			msg[i] = '\'';
	fprintf(fp,
		"%s source=\"%s\" model=%s before=%s after=%s outcome=%s code=%d seconds=%.1f "
		"message=\"%s\"\n",
		when, shown(f, src, sizeof(src)), f->model[0] ? f->model : "-",
		f->rev_before[0] ? f->rev_before : "-", f->rev_after[0] ? f->rev_after : "-",
		qlink_fota_outcome_name(f->outcome), f->code,
		(double)(qlink_now_ms() - f->t0) / 1000.0, msg);
	fclose(fp);
}

static int finish(struct qlink_fota *f)
{
	struct qlink_chan *chan = f->chan;
	int e;

	if (chan) {
		qlink_transport_set_pacing(qlink_chan_get_transport(chan), 0, 0);
		qlink_chan_set_urc_handlers(chan, NULL, 0, NULL);
	}
	if (f->file >= 0) {
		close(f->file);
		f->file = -1;
	}
	free(f->buf);
	f->buf = NULL;
	if (f->outcome == QLINK_FOTA_OUTCOME_NONE)
		result(f, QLINK_FOTA_OUTCOME_TIMEOUT, "the job ended without a verdict");
	f->st = ST_DONE;
	phase(f, QLINK_FOTA_PHASE_DONE);
	write_log(f);
	e = outcome_errno(f);
	if (!e)
		return 0;
	errno = e;
	return -1;
}

static void reset_run(struct qlink_fota *f)
{
	f->t0 = qlink_now_ms();
	f->outcome = QLINK_FOTA_OUTCOME_NONE;
	f->msg[0] = f->advice[0] = f->rev_after[0] = '\0';
	f->code = -1;
	f->err = 0;
	f->rdy = f->any_urc = f->dl_ok = f->end_seen = false;
	f->probe_busy = f->probe_ok = false;
	f->end_code = 0;
	f->reopens = 0;
	f->queued = f->sent = f->last_report = 0;
}

/* A new run: a channel of the job's own from the last one goes, unless it is handed back. */
static void use_chan(struct qlink_fota *f, struct qlink_chan *chan)
{
	if (f->own && f->own != chan) {
		qlink_chan_free(f->own);
		f->own = NULL;
	}
	f->chan = chan;
}

QLINK_API int qlink_fota_run(struct qlink_fota *f, struct qlink_chan *chan)
{
	char line[QLINK_CMD_LINE_MAX];
	struct qlink_resp *r = NULL;
	bool ec200t;

	if (!f || !chan || !f->src) {
		errno = EINVAL;
		return -1;
	}
	reset_run(f);
	use_chan(f, chan);
	if (!f->checked && qlink_fota_preflight(f, chan) < 0 && errno != EPERM) {
		/* the revision could not be read: nothing answered in time, or the port went */
		fail(f, errno, QLINK_FOTA_OUTCOME_TIMEOUT, "%s", f->fd.f[0].text);
		return finish(f);
	}
	if (f->fd.refused) {
		size_t i;

		for (i = 0; i < f->fd.n && f->fd.f[i].level != QLINK_FOTA_REFUSE; i++)
			;
		result(f, QLINK_FOTA_OUTCOME_REFUSED, "refused: %s",
		       i < f->fd.n ? f->fd.f[i].text : "see the findings");
		return finish(f);
	}
	ec200t = !strcmp(f->model, "EC200T");
	qlink_fota_pm_init(&f->pm, f->mb == 8, f->mb == 8 ? 0 : f->dl_count < 0 ? 100 : f->dl_count,
			   ec200t && f->up_count >= 0 ? f->up_count : 100);
	attach(f, chan);
	phase(f, QLINK_FOTA_PHASE_SETUP);
	if (f->kind == FOTA_SRC_FILE) {
		f->file = open(f->src, O_RDONLY | O_CLOEXEC);
		f->buf = malloc(CHUNK);
		if (f->file < 0 || !f->buf) {
			f->err = errno;
			result(f, QLINK_FOTA_OUTCOME_HOST_ERROR, "%s: %s", f->src, strerror(errno));
			return finish(f);
		}
		if (setup_flow(f, chan) < 0)
			return finish(f);
	} else if (setup_pdp(f, chan) < 0) {
		return finish(f);
	}
	build_cmd(f, line, sizeof(line));
	f->rdy = false;
	/* the first URC may come with the OK: be in the state it moves on from */
	f->st = f->kind == FOTA_SRC_FILE ? ST_FILESTART : ST_DOWNLOAD;
	arm(f, f->kind == FOTA_SRC_FILE ? FILESTART_MS :
	       (f->to.download_s + (f->mb == 8 ? f->to.boot_s : 0)) * 1000);
	if (qlink_chan_exec(chan, line, NULL, &r) < 0) {
		char shown_line[2 * QLINK_CMD_LINE_MAX + 16];
		int err = errno;

		qlink_redact(line, shown_line, sizeof(shown_line));
		fail(f, err, QLINK_FOTA_OUTCOME_MODULE_ERROR, "the module refused %s: %s", shown_line,
		     r ? qlink_resp_strerror(r) : strerror(err));
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "check the source against the guide's limits and that no upgrade is "
			 "already under way (qlink fota --resume follows one)");
		qlink_resp_free(r);
		return finish(f);
	}
	qlink_resp_free(r);
	if (f->kind == FOTA_SRC_FILE) {
		struct qlink_transport *t = qlink_chan_get_transport(chan);

		if (f->rtscts)
			qlink_transport_set_pacing(t, 0, 0);
		else if (f->rate)
			qlink_transport_set_pacing(t, f->rate, PACED_WRITE);
		else
			qlink_transport_set_pacing(t, 0, 0);	/* deliberately unpaced */
		if (f->st == ST_FILESTART || f->st == ST_UPLOAD)
			phase(f, QLINK_FOTA_PHASE_UPLOAD);
	} else if (f->st == ST_DOWNLOAD) {
		/* MiniFOTA reboots into download mode first, silently */
		phase(f, QLINK_FOTA_PHASE_DOWNLOAD);
	}
	follow(f);
	if (f->st == ST_VERIFY && f->chan)
		verify(f, f->chan);
	return finish(f);
}

QLINK_API int qlink_fota_resume(struct qlink_fota *f, struct qlink_chan *chan)
{
	if (!f || !chan) {
		errno = EINVAL;
		return -1;
	}
	reset_run(f);
	use_chan(f, chan);
	f->rev_before[0] = f->model[0] = '\0';
	attach(f, chan);
	f->st = ST_ATTACH;
	arm(f, f->to.attach_s * 1000);
	/* whatever it runs now (an intermediate revision mid-MiniFOTA) names the variant */
	if (!qlink_revision_read(chan, f->rev_before, sizeof(f->rev_before))) {
		f->mb = qlink_revision_flash_mb(f->rev_before);
		if (qlink_revision_model(f->rev_before, f->model, sizeof(f->model)) < 0)
			f->model[0] = '\0';
	}
	if (f->st == ST_ATTACH)
		qlink_fota_pm_init(&f->pm, f->mb == 8, f->mb == 8 ? 0 : 100, 100);
	follow(f);
	if (f->st == ST_VERIFY && f->chan)
		verify(f, f->chan);
	return finish(f);
}

/* ----------------------------------------------------------- getters */

QLINK_API void qlink_fota_cancel(struct qlink_fota *f)
{
	f->cancelled = 1;
}

QLINK_API enum qlink_fota_outcome qlink_fota_get_outcome(const struct qlink_fota *f)
{
	return f->outcome;
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

QLINK_API struct qlink_chan *qlink_fota_get_chan(const struct qlink_fota *f)
{
	return f->chan;
}

QLINK_API const char *qlink_fota_get_error(const struct qlink_fota *f)
{
	return f->msg;
}

QLINK_API const char *qlink_fota_get_advice(const struct qlink_fota *f)
{
	return f->advice;
}

QLINK_API int qlink_fota_get_code(const struct qlink_fota *f, enum qlink_code_space *space)
{
	if (space)
		*space = f->space;
	return f->code;
}

QLINK_API const char *qlink_fota_get_revision_before(const struct qlink_fota *f)
{
	return f->rev_before;
}

QLINK_API const char *qlink_fota_get_revision_after(const struct qlink_fota *f)
{
	return f->rev_after;
}

QLINK_API const char *qlink_fota_get_model(const struct qlink_fota *f)
{
	return f->model;
}

QLINK_API int qlink_fota_get_flash_mb(const struct qlink_fota *f)
{
	return f->mb;
}

QLINK_API const struct qlink_fota_progress *qlink_fota_get_progress(const struct qlink_fota *f)
{
	return &f->pm.p;
}

QLINK_API unsigned int qlink_fota_get_reopens(const struct qlink_fota *f)
{
	return f->reopens;
}
