/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The FOTA job's insides: the pure parts the unit tests reach (URC
 * parsing, the progress model and the pre-flight rules), then the job
 * object and the steps of its run, one file each.
 */
#ifndef QLINK_FOTA_PRIV_H
#define QLINK_FOTA_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <qlink/chan.h>
#include <qlink/fota.h>

#include "core/clock.h"
#include "core/tty-lock.h"

/* ------------------------------------------------------------ URCs */

enum fota_urc_kind {
	FOTA_URC_DL_START,    /* FTPSTART, HTTPSTART, FILESTART */
	FOTA_URC_DOWNLOADING, /* DOWNLOADING,<n> */
	FOTA_URC_DL_END,      /* FTPEND/HTTPEND/FILEEND,<err> */
	FOTA_URC_START,	      /* START: the update begins */
	FOTA_URC_UPDATING,    /* UPDATING,<n> */
	FOTA_URC_END,	      /* END,<err> */
};

/**
 * struct fota_urc - one +QIND: "FOTA" URC
 * @kind:  what it says
 * @space: for DL_START/DL_END the source's code space (FTP, HTTP, FILE);
 *         QLINK_CODE_FOTA otherwise
 * @value: the number after the keyword, -1 if none
 */
struct fota_urc {
	enum fota_urc_kind kind;
	enum qlink_code_space space;
	int value;
};

/*
 * Parse "+QIND: \"FOTA\",\"DOWNLOADING\",50". Accepts what the manuals
 * print: a stray space inside the quotes (" DOWNLOADING"), none after
 * the colon, spaces around commas, any case. 0, or -1 if the line is not
 * a FOTA URC or a keyword that needs a number has none.
 */
int qlink_fota_urc_parse(const char *line, struct fota_urc *u);

/* --------------------------------------------------------- progress */

/**
 * struct fota_pm - the progress model over a whole job
 *
 * Weights: download (or upload) 0-45 %, update 45-95 %, reboot and
 * verification the rest. MiniFOTA reports no download, so its update
 * (60/40 over two packages) takes 0-95 %. A URC value above the count
 * asked for is a percent (the EC200T reports UPDATING in percent), else a
 * position in the count (the guide: the 25th of 50 is half).
 */
struct fota_pm {
	bool mini;
	int dl_count, up_count;
	struct qlink_fota_progress p;
};

void qlink_fota_pm_init(struct fota_pm *pm, bool mini, int dl_count, int up_count);
/* Returns true if the report changed. */
bool qlink_fota_pm_urc(struct fota_pm *pm, const struct fota_urc *u);
bool qlink_fota_pm_phase(struct fota_pm *pm, enum qlink_fota_phase phase);
bool qlink_fota_pm_upload(struct fota_pm *pm, uint64_t bytes, uint64_t total, unsigned int rate);

/* -------------------------------------------------------- pre-flight */

#define FOTA_FINDINGS_MAX 16
#define FOTA_FINDING_LEN 320

struct fota_finding {
	enum qlink_fota_level level;
	char text[FOTA_FINDING_LEN];
};

struct fota_findings {
	size_t n;
	struct fota_finding f[FOTA_FINDINGS_MAX];
	bool refused;
};

enum fota_src {
	FOTA_SRC_NONE,
	FOTA_SRC_FTP,
	FOTA_SRC_HTTP,
	FOTA_SRC_HTTPS,
	FOTA_SRC_FILE,
};

/* What a source string is: a URL scheme, or a host file. */
enum fota_src qlink_fota_src_kind(const char *src);

/**
 * struct fota_check - everything the rules look at
 * @revision:    the module's, or NULL if unknown
 * @src:         the source string (URL or path)
 * @file_size:   FILE: its size, or -1 if it could not be read
 * @file_errno:  FILE: why it could not be read
 * @mini2:       http(s) MiniFOTA: HEAD of .mini_2: 1 exists, 0 missing
 *               (404/410), -1 not checked; @mini2_note says why/what
 * @host_rtscts: 1 CRTSCTS kept on the host port, 0 not, -1 not a tty
 * @usb:         the port is a USB AT port (usbifc rather than IFC)
 */
struct fota_check {
	const char *revision;
	const char *src;
	int64_t file_size;
	int file_errno;
	bool protocol_mode;
	enum qlink_fota_flow flow;
	int host_rtscts;
	bool usb;
	unsigned int rate;
	int dl_count, up_count;
	bool mode_set;
	const char *expect;
	int mini2;
	const char *mini2_note;
	int pkg;	      /* the package itself on its server: as @mini2 */
	const char *pkg_note; /* and what the server said, or why it was not asked */
};

/* Apply the DFOTA guide's rules; findings are appended to @out. */
void qlink_fota_check(const struct fota_check *c, struct fota_findings *out);

/* The FILE upload uses RTS/CTS (true) or pacing (false), as the check decided. */
bool qlink_fota_use_rtscts(const struct fota_check *c);

/* The .mini_2 URL beside a .mini_1 URL; -1 if @url does not end in .mini_1. */
int qlink_fota_mini2_url(const char *url, char *out, size_t len);

/**
 * qlink_fota_http_head() - HEAD an http:// URL from the host
 * @url:        http://[user:pass@]host[:port]/path
 * @timeout_ms: bound for connecting and for the answer
 * @why:        on failure, the reason
 *
 * Return: the HTTP status, or -1 with errno (EINVAL: not http://;
 * ETIMEDOUT, ECONNREFUSED, EHOSTUNREACH, ...) and @why filled in.
 */
int qlink_fota_http_head(const char *url, unsigned int timeout_ms, char *why, size_t len);

/**
 * fota_probe() - ask the server whether it has @url (fota-probe.c)
 * @size: its size when the server says, else -1
 * @why:  what the server said ("HTTP 404", "FTP 550"), or why it was not asked
 *
 * Return: 1 it has it, 0 it says it has not (HTTP 404/410, FTP 550), -1
 * not known (unreachable, another answer, a scheme this build cannot ask).
 */
int fota_probe(const char *url, unsigned int timeout_ms, int64_t *size, char *why, size_t len);

/* The guide's advice for a module code (never NULL, may be ""). */
const char *qlink_fota_advice(enum qlink_code_space space, int code);

/* ------------------------------------------------------------ the job */

#define CHUNK 16384 /* bytes of the file queued at a time when streaming */
/* Ours: the guide gives no figure. Many times a flash erase pause. */
#define UPLOAD_STALL_MS 30000
#define FILESTART_MS 10000 /* OK to FILESTART: the module says it at once */
#define FILEEND_MS 60000   /* last byte to FILEEND: the module writes what it holds */
#define PROBE_MS 3000	   /* waiting for a reboot: AT, in case RDY was missed */
#define PROGRESS_MS 100	   /* upload progress reports */

enum fota_state {
	ST_IDLE,
	ST_FILESTART, /* OK to FILE:<len>: waiting for FILESTART */
	ST_UPLOAD,
	ST_FILEEND,   /* all written: waiting for FILEEND */
	ST_DOWNLOAD,  /* the module downloads */
	ST_PREUPDATE, /* downloaded: START next, maybe after a reboot */
	ST_UPDATE,
	ST_REBOOT, /* END seen: waiting for the module */
	ST_ATTACH, /* --resume: waiting for the first FOTA URC */
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
	bool no_host_check;
	int cid;
	char *apn;
	char *port;
	unsigned int baud, tty_flags;
	struct tty_lock *hold; /* the port's lock file, kept across reboots */
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
	enum fota_state st;
	uint64_t t0, deadline;
	bool rdy, any_urc, dl_ok, end_seen;
	unsigned int stuck; /* progress URCs since the last that moved (fota-urc.c) */
	int end_code;
	int code;
	enum qlink_code_space space;
	enum qlink_fota_outcome outcome;
	int err;
	char msg[640], advice[400];
	unsigned int reopens;
	volatile sig_atomic_t cancelled; /* qlink_fota_cancel(), from a signal */
	bool probe_busy, probe_ok;
	uint64_t next_probe;

	/* the upload */
	int file;
	uint64_t queued, sent, up_t0, last_move, last_report;
	unsigned char *buf;
};

/*
 * fota-progress.c: tell the caller when the progress moved. Below every
 * step, so the steps and the run that calls them share it without a
 * circle through fota.c.
 */
void fota_notify(struct qlink_fota *f, bool changed);
void fota_phase(struct qlink_fota *f, enum qlink_fota_phase p);

/* The job's one deadline, @ms from now; every step re-arms it. */
static inline void fota_arm(struct qlink_fota *f, unsigned int ms)
{
	f->deadline = qlink_now_ms() + ms;
}

/* fota-outcome.c: the outcome and its sentence */
void fota_result(struct qlink_fota *f, enum qlink_fota_outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A step failed with @err: ETIMEDOUT and ENXIO name the outcome, else @other. */
void fota_fail(struct qlink_fota *f, int err, enum qlink_fota_outcome other, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The errno qlink_fota_run() returns for the outcome, 0 when upgraded. */
int fota_outcome_errno(const struct qlink_fota *f);

/* fota-preflight.c: the first refusing finding (or a hint to read them) */
const char *fota_refusal(const struct qlink_fota *f);

/* fota-setup.c */
int fota_setup_pdp(struct qlink_fota *f, struct qlink_chan *chan);
int fota_setup_flow(struct qlink_fota *f, struct qlink_chan *chan);
void fota_build_cmd(struct qlink_fota *f, char *line, size_t len);

/* fota-upload.c */
void fota_upload_pace(struct qlink_fota *f, struct qlink_chan *chan);
int fota_upload_feed(struct qlink_fota *f, struct qlink_chan *chan);

/* fota-urc.c: the state machine, on the channel's URCs */
void fota_attach(struct qlink_fota *f, struct qlink_chan *chan);

/* fota-follow.c: until ST_VERIFY or ST_DONE; f->chan may change */
void fota_follow(struct qlink_fota *f);

/* fota-verify.c */
void fota_verify(struct qlink_fota *f, struct qlink_chan *chan);

/* fota-log.c */
/* 0 if the job log (if any) can be written, else -1 with errno. */
int fota_log_check(const struct qlink_fota *f);
void fota_write_log(struct qlink_fota *f);

#endif /* QLINK_FOTA_PRIV_H */
