/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Firmware upgrade over the air (AT+QFOTADL), from a URL the module
 * fetches (ftp://, http://, https://) or from a file on the host that is
 * uploaded over the AT port (FILE:<length>).
 *
 * A job is configured, checked before anything is sent (pre-flight: the
 * revision gives model and flash variant, and what the DFOTA guide says
 * cannot work is refused with the reason), then run to the very end: the
 * module's END,0, the module coming back (RDY on a UART, the port
 * reappearing on USB) and its revision read back. An OK to AT+QFOTADL
 * proves nothing. Every wait is bounded (struct qlink_fota_timeouts).
 *
 * Functions return 0 on success and -1 with errno set on failure unless
 * stated otherwise. No threads: the blocking calls run the channel's
 * event loop (qlink_chan_wait()).
 */
#ifndef QLINK_FOTA_H
#define QLINK_FOTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <qlink/chan.h>
#include <qlink/codes.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_fota;

/**
 * enum qlink_fota_mode - <upgrade_mode> of AT+QFOTADL
 * @QLINK_FOTA_MODE_REBOOT:    reboot once the package is in, then update (0)
 * @QLINK_FOTA_MODE_IMMEDIATE: update as soon as the package is in (1, default)
 */
enum qlink_fota_mode {
	QLINK_FOTA_MODE_REBOOT = 0,
	QLINK_FOTA_MODE_IMMEDIATE = 1,
};

/**
 * enum qlink_fota_flow - how a FILE upload is protected from overrun
 * @QLINK_FOTA_FLOW_AUTO:   RTS/CTS if the host port kept CRTSCTS, else paced
 * @QLINK_FOTA_FLOW_RTSCTS: AT+IFC=2,2 (UART) or AT+QCFG="usbifc",2,2 (USB
 *                          AT port) and stream at line rate
 * @QLINK_FOTA_FLOW_NONE:   no flow control: writes of at most 32 bytes
 *                          paced to the rate (qlink_fota_set_rate())
 */
enum qlink_fota_flow {
	QLINK_FOTA_FLOW_AUTO,
	QLINK_FOTA_FLOW_RTSCTS,
	QLINK_FOTA_FLOW_NONE,
};

/**
 * enum qlink_fota_phase - where a job is
 * @QLINK_FOTA_PHASE_CHECK:    pre-flight
 * @QLINK_FOTA_PHASE_SETUP:    PDP context, flow control, AT+QFOTADL
 * @QLINK_FOTA_PHASE_UPLOAD:   FILE: the package over the port
 * @QLINK_FOTA_PHASE_DOWNLOAD: the module fetches the package
 * @QLINK_FOTA_PHASE_UPDATE:   the module writes the new firmware
 * @QLINK_FOTA_PHASE_REBOOT:   waiting for the module to come back
 * @QLINK_FOTA_PHASE_VERIFY:   reading the revision back
 * @QLINK_FOTA_PHASE_DONE:     ended (see qlink_fota_get_outcome())
 */
enum qlink_fota_phase {
	QLINK_FOTA_PHASE_CHECK,
	QLINK_FOTA_PHASE_SETUP,
	QLINK_FOTA_PHASE_UPLOAD,
	QLINK_FOTA_PHASE_DOWNLOAD,
	QLINK_FOTA_PHASE_UPDATE,
	QLINK_FOTA_PHASE_REBOOT,
	QLINK_FOTA_PHASE_VERIFY,
	QLINK_FOTA_PHASE_DONE,
};

/**
 * struct qlink_fota_progress - one progress report
 * @size:          sizeof(struct qlink_fota_progress) as the library was
 *                 built; read only the fields that end within it (later
 *                 versions add fields in place of @reserved)
 * @phase:         the current phase
 * @percent:       the whole job, 0-100, never decreasing
 * @phase_percent: the current phase, or -1 where the module reports none
 *                 (downloads with no DOWNLOADING URCs, 8 MB parts)
 * @part:          MiniFOTA package being applied (1 or 2), else 0
 * @bytes:         FILE upload: bytes written to the port so far
 * @total:         FILE upload: the package's size (0 for URL sources)
 * @rate:          FILE upload: average bytes/s so far
 * @reserved:      zero
 *
 * MiniFOTA's UPDATING runs 1-60 for .mini_1 and 61-100 for .mini_2
 * (DFOTA guide 4.2); @phase_percent is that figure.
 */
struct qlink_fota_progress {
	size_t size;
	enum qlink_fota_phase phase;
	int percent;
	int phase_percent;
	int part;
	uint64_t bytes;
	uint64_t total;
	unsigned int rate;
	uint32_t reserved[8];
};

/** Called on every change of progress; @p is valid during the call only. */
typedef void (*qlink_fota_progress_cb)(const struct qlink_fota_progress *p, void *user);

/**
 * struct qlink_fota_timeouts - the bounds of a job, in seconds (0: default)
 * @download_s: silence allowed while the module downloads (no FOTA URC at
 *              all: 8 MB parts and a zero download URC count report
 *              nothing until the update starts). Default 1800: the
 *              guide's 4,884,688-byte example over a 2G fallback of about
 *              5 KB/s takes 16 minutes.
 * @update_s:   silence allowed between update URCs. Default 600; the
 *              guide gives no figure, field updates take a few minutes.
 * @boot_s:     from END (or a lost port) until the module answers again;
 *              on USB the port may disappear and reappear twice. Default
 *              120; a cold boot takes about 15 s.
 * @attach_s:   qlink_fota_resume(): wait for the first FOTA URC. Default 60.
 */
struct qlink_fota_timeouts {
	unsigned int download_s;
	unsigned int update_s;
	unsigned int boot_s;
	unsigned int attach_s;
};

/**
 * enum qlink_fota_outcome - how a job ended
 * @QLINK_FOTA_OUTCOME_NONE:        not run yet
 * @QLINK_FOTA_OUTCOME_UPGRADED:    END,0, back, revision read (and equal
 *                                  to the expected one when given)
 * @QLINK_FOTA_OUTCOME_REFUSED:     pre-flight refused; nothing was sent
 * @QLINK_FOTA_OUTCOME_MODULE_ERROR: the module refused AT+QFOTADL or
 *                                  reported an error code
 * @QLINK_FOTA_OUTCOME_INTERRUPTED: the module restarted without finishing
 *                                  (power lost mid-download, MiniFOTA's
 *                                  .mini_2 missing)
 * @QLINK_FOTA_OUTCOME_MISMATCH:    END,0 but another revision than expected
 * @QLINK_FOTA_OUTCOME_TIMEOUT:     a bound passed (no progress, or the
 *                                  module did not come back)
 * @QLINK_FOTA_OUTCOME_PORT_LOST:   the port went away and did not come back
 * @QLINK_FOTA_OUTCOME_NOT_RUNNING: qlink_fota_resume() found no upgrade
 * @QLINK_FOTA_OUTCOME_HOST_ERROR:  the host failed (file read, memory)
 * @QLINK_FOTA_OUTCOME_CANCELLED:   qlink_fota_cancel(): the host stopped
 *                                  following; the module carries on
 */
enum qlink_fota_outcome {
	QLINK_FOTA_OUTCOME_NONE,
	QLINK_FOTA_OUTCOME_UPGRADED,
	QLINK_FOTA_OUTCOME_REFUSED,
	QLINK_FOTA_OUTCOME_MODULE_ERROR,
	QLINK_FOTA_OUTCOME_INTERRUPTED,
	QLINK_FOTA_OUTCOME_MISMATCH,
	QLINK_FOTA_OUTCOME_TIMEOUT,
	QLINK_FOTA_OUTCOME_PORT_LOST,
	QLINK_FOTA_OUTCOME_NOT_RUNNING,
	QLINK_FOTA_OUTCOME_HOST_ERROR,
	QLINK_FOTA_OUTCOME_CANCELLED,
};

/**
 * enum qlink_fota_level - weight of a pre-flight finding
 * @QLINK_FOTA_NOTE:   what will happen
 * @QLINK_FOTA_WARN:   allowed, but probably not what was meant
 * @QLINK_FOTA_REFUSE: cannot work; the job will not start
 */
enum qlink_fota_level {
	QLINK_FOTA_NOTE,
	QLINK_FOTA_WARN,
	QLINK_FOTA_REFUSE,
};

/**
 * qlink_fota_new() - a job with the defaults
 *
 * Return: the job, or NULL with errno ENOMEM.
 */
struct qlink_fota *qlink_fota_new(void);

/**
 * qlink_fota_free() - free a job (NULL is allowed)
 *
 * Frees the channel the job opened when the port came back, if any (see
 * qlink_fota_get_chan()); never the caller's.
 */
void qlink_fota_free(struct qlink_fota *f);

/**
 * qlink_fota_set_source() - where the package comes from
 * @f:   the job
 * @src: "ftp://...", "http://...", "https://..." (scheme in any case), or
 *       the path of a file on the host; copied
 *
 * Return: 0, or -1 with errno EINVAL (NULL or empty), ENOMEM.
 */
int qlink_fota_set_source(struct qlink_fota *f, const char *src);

/** qlink_fota_set_mode() - <upgrade_mode>; -1 with errno EINVAL if unknown. */
int qlink_fota_set_mode(struct qlink_fota *f, enum qlink_fota_mode mode);

/**
 * qlink_fota_set_urc_counts() - progress URC counts to ask for
 * @f:        the job
 * @download: <download_URC_max>: 0 or 5-100, -1 for the module's default
 * @update:   <update_URC_max>: the same; only the EC200T takes it (4.2)
 *
 * Counts the variant does not let the host set are reported by the
 * pre-flight and not sent.
 *
 * Return: 0, or -1 with errno EINVAL (out of range).
 */
int qlink_fota_set_urc_counts(struct qlink_fota *f, int download, int update);

/** qlink_fota_set_expected_revision() - the revision the module must end on (NULL: any). */
int qlink_fota_set_expected_revision(struct qlink_fota *f, const char *rev);

/** qlink_fota_set_timeouts() - bounds; zero fields keep the defaults. EINVAL if NULL. */
int qlink_fota_set_timeouts(struct qlink_fota *f, const struct qlink_fota_timeouts *to);

/**
 * qlink_fota_set_rate() - FILE upload rate without flow control
 * @f:           the job
 * @bytes_per_s: default 15000, the guide's figure for NOR flash; 0 turns
 *               pacing off entirely (bytes are then lost on a real module:
 *               only for showing why pacing exists)
 */
void qlink_fota_set_rate(struct qlink_fota *f, unsigned int bytes_per_s);

/** qlink_fota_set_flow() - flow control for a FILE upload; EINVAL if unknown. */
int qlink_fota_set_flow(struct qlink_fota *f, enum qlink_fota_flow flow);

/**
 * qlink_fota_set_protocol_mode() - ask for AT+QFOTADL="FILE:<len>",2
 * @f:  the job
 * @on: true to ask
 *
 * The vendor's "protocol download mode" for hosts without flow control
 * has an unpublished wire protocol: the pre-flight reports it as
 * unsupported and refuses, rather than sending a command that strands
 * the module in a mode nobody here can speak (it answers 010003).
 */
void qlink_fota_set_protocol_mode(struct qlink_fota *f, bool on);

/**
 * qlink_fota_set_host_check() - whether the pre-flight asks the server
 * @f:  the job
 * @on: true (the default) to ask
 *
 * For a URL source the pre-flight asks the server, from the host, whether
 * it has the package (and an 8 MB part's .mini_2): HEAD over http(s), SIZE
 * over ftp, redirects followed and proxies taken from the environment as
 * curl(1) does, when libqlink was built with libcurl (WITH_CURL); over
 * plain http:// only without it. A package the server says it has not
 * (HTTP 404/410, FTP 550) is refused; a server the host cannot reach is
 * noted, not refused. Turn it off when the host sees another server under
 * that name than the module does (the module's APN reaches a private one).
 */
void qlink_fota_set_host_check(struct qlink_fota *f, bool on);

/**
 * qlink_fota_set_pdp() - the PDP context a URL download uses
 * @f:   the job
 * @cid: 1-15 (default 1); set as AT+QCFG="fota/cid" when the module's differs
 * @apn: configured with AT+QICSGP before activating it, or NULL to use the
 *       module's configuration; copied
 *
 * Return: 0, or -1 with errno EINVAL, ENOMEM.
 */
int qlink_fota_set_pdp(struct qlink_fota *f, int cid, const char *apn);

/**
 * qlink_fota_set_port() - how to reopen the port when it goes away
 * @f:     the job
 * @path:  the device path or a stable link (/dev/serial/by-id/...); copied
 * @baud:  as for qlink_transport_open_tty()
 * @flags: as for qlink_transport_open_tty()
 *
 * A USB module re-enumerates when it reboots: the job waits for @path to
 * come back (bounded by boot_s) and opens a new channel on it, owned by
 * the job (see qlink_fota_get_chan()). Without a path, losing the port
 * ends the job. With QLINK_TTY_EXCLUSIVE in @flags the job keeps the
 * port's lock file from now until it is freed, so that nobody takes the
 * port while the module reboots (the caller's channel should have been
 * opened with the flag too: the file it made is joined).
 *
 * Return: 0, or -1 with errno EINVAL, ENOMEM, EBUSY (another process
 * holds the port's lock file).
 */
int qlink_fota_set_port(struct qlink_fota *f, const char *path, unsigned int baud,
			unsigned int flags);

/** qlink_fota_set_progress_cb() - progress reports (NULL: none). */
void qlink_fota_set_progress_cb(struct qlink_fota *f, qlink_fota_progress_cb cb, void *user);

/**
 * qlink_fota_set_trace() - AT traffic log for channels the job opens
 * @f:  the job
 * @fn: as for qlink_chan_set_log(); applied when the port is reopened
 * @user: passed to @fn
 */
void qlink_fota_set_trace(struct qlink_fota *f, qlink_log_cb fn, void *user);

/**
 * qlink_fota_set_log_file() - append one line per job to a file
 * @f:    the job
 * @path: the file (created if missing, mode 0600), or NULL for none; copied
 *
 * The line holds the time (UTC), source with credentials replaced by
 * "***", model, revisions before and after, outcome, the module's code
 * and the message.
 *
 * Return: 0, or -1 with errno ENOMEM.
 */
int qlink_fota_set_log_file(struct qlink_fota *f, const char *path);

/**
 * qlink_fota_preflight() - read the module and check the job
 * @f:    the job, with a source
 * @chan: a channel to the module
 *
 * Reads the revision (AT+GMR), derives model and flash variant, checks
 * the source against the DFOTA guide's limits (URL length 255, 128 on
 * 8 MB parts; FILE and FILE,2 where unsupported; MiniFOTA's .mini_1 name,
 * and for http:// that .mini_2 exists beside it, by a HEAD request from
 * the host), and the file (readable, not empty). Nothing is sent to the
 * module but the query. The findings are read with qlink_fota_get_finding();
 * when it fails, qlink_fota_get_error() says why in one sentence.
 *
 * Return: 0 if the job may start, -1 with errno EPERM (a finding
 * refuses it), EINVAL (no source), or the channel's errno (ETIMEDOUT,
 * ENXIO) if the revision could not be read.
 */
int qlink_fota_preflight(struct qlink_fota *f, struct qlink_chan *chan);

/** qlink_fota_get_finding_count() - number of pre-flight findings. */
size_t qlink_fota_get_finding_count(const struct qlink_fota *f);

/**
 * qlink_fota_get_finding() - pre-flight finding @i
 * @f:     the job
 * @i:     0 .. qlink_fota_get_finding_count() - 1
 * @level: set to its weight (may be NULL)
 *
 * Return: one sentence, owned by @f, or NULL past the end.
 */
const char *qlink_fota_get_finding(const struct qlink_fota *f, size_t i,
				   enum qlink_fota_level *level);

/** qlink_fota_level_name() - "note", "warn" or "refuse" ("unknown" otherwise; static). */
const char *qlink_fota_level_name(enum qlink_fota_level level);

/**
 * qlink_fota_run() - run the job to the end (blocking)
 * @f:    the job
 * @chan: a channel to the module; it stays the caller's and is never freed
 *        by the job
 *
 * Runs the pre-flight first if it has not run. Then sets up the PDP
 * context (URL) or flow control (FILE), sends AT+QFOTADL, uploads the
 * file, follows the URCs, waits for the module to come back and reads the
 * revision. The job log line is appended whatever the outcome.
 *
 * When the port goes away (a USB module re-enumerates as it reboots) the
 * job stops using @chan and closes its device, so that the node can come
 * back under the same name; @chan then fails every call with ENXIO and
 * the caller frees it as usual. The job waits for the port's path
 * (qlink_fota_set_port()) and goes on over a channel of its own: read the
 * channel to use afterwards with qlink_fota_get_chan().
 *
 * Return: 0 when upgraded, else -1 with errno: EPERM (refused), EIO (the
 * module reported an error: qlink_fota_get_code()), ECANCELED (the module
 * restarted without finishing), EBADMSG (revision differs from the
 * expected one), ETIMEDOUT, ENXIO (port lost), ENOMEM or the file's errno.
 * qlink_fota_get_outcome() and qlink_fota_get_error() say more.
 */
int qlink_fota_run(struct qlink_fota *f, struct qlink_chan *chan);

/**
 * qlink_fota_resume() - follow an upgrade already under way to its end
 * @f:    the job (a source is optional; it only goes into the log)
 * @chan: as for qlink_fota_run()
 *
 * For a host restarted mid-upgrade: sends nothing that could start one,
 * waits up to attach_s for the module's FOTA URCs (a module boots
 * straight back into an unfinished update, before RDY), then follows
 * them as qlink_fota_run() does.
 *
 * Return: as qlink_fota_run(), and -1 with errno ENOENT when no upgrade
 * was under way.
 */
int qlink_fota_resume(struct qlink_fota *f, struct qlink_chan *chan);

/**
 * qlink_fota_get_chan() - the channel to the module after a run
 * @f: the job
 *
 * Return: the channel passed to the last qlink_fota_run() or
 * qlink_fota_resume() while its port stayed; the job's own channel if the
 * port was reopened, owned by @f and valid until qlink_fota_free() or the
 * next run (passing it to the next run keeps it); NULL before a run and
 * when the port was lost for good.
 */
struct qlink_chan *qlink_fota_get_chan(const struct qlink_fota *f);

/** qlink_fota_get_outcome() - how the job ended. */
enum qlink_fota_outcome qlink_fota_get_outcome(const struct qlink_fota *f);

/**
 * qlink_fota_cancel() - stop following the job
 *
 * Safe from signal handlers. qlink_fota_run() or qlink_fota_resume()
 * then returns within a second with QLINK_FOTA_OUTCOME_CANCELLED (errno
 * ECANCELED) and the job log says so. The module is not stopped: an
 * upgrade under way runs to its end (follow it with qlink_fota_resume());
 * a FILE upload cut short fails on the module's side.
 */
void qlink_fota_cancel(struct qlink_fota *f);

/** qlink_fota_outcome_name() - "upgraded", "refused", ... (static). */
const char *qlink_fota_outcome_name(enum qlink_fota_outcome o);

/**
 * qlink_fota_get_error() - why the job failed, in one sentence
 * @f: the job
 *
 * Why the last qlink_fota_run(), qlink_fota_resume() or
 * qlink_fota_preflight() failed. A run starts it afresh.
 *
 * Return: the sentence, owned by @f; never NULL, "" when nothing ran, or
 * nothing failed (an upgrade: see qlink_fota_get_summary()).
 */
const char *qlink_fota_get_error(const struct qlink_fota *f);

/**
 * qlink_fota_get_summary() - one sentence on how the job ended
 * @f: the job
 *
 * What qlink_fota_get_error() says when the job failed; when a run
 * upgraded, what changed ("upgraded A -> B").
 *
 * Return: the sentence, owned by @f; never NULL, "" when nothing ran yet.
 */
const char *qlink_fota_get_summary(const struct qlink_fota *f);

/** qlink_fota_get_advice() - what to do next, or "" (owned by @f). */
const char *qlink_fota_get_advice(const struct qlink_fota *f);

/**
 * qlink_fota_get_code() - the module's error code, if it reported one
 * @f:     the job
 * @space: set to its code space (FTP, HTTP, FILE or FOTA); may be NULL
 *
 * Return: the code (e.g. 552), 0 for success, or -1 if none was reported.
 */
int qlink_fota_get_code(const struct qlink_fota *f, enum qlink_code_space *space);

/** qlink_fota_get_revision_before() - revision at the pre-flight ("" if unknown). */
const char *qlink_fota_get_revision_before(const struct qlink_fota *f);

/** qlink_fota_get_revision_after() - revision read back at the end ("" if unknown). */
const char *qlink_fota_get_revision_after(const struct qlink_fota *f);

/** qlink_fota_get_model() - model family from the revision, e.g. "EC200T" ("" if unknown). */
const char *qlink_fota_get_model(const struct qlink_fota *f);

/** qlink_fota_get_flash_mb() - 8 or 16, or -1 if unknown. */
int qlink_fota_get_flash_mb(const struct qlink_fota *f);

/**
 * qlink_fota_get_progress() - the last progress report
 *
 * Return: the report, owned by @f and valid until the next call on @f
 * that runs the job or qlink_fota_free(); see @size there.
 */
const struct qlink_fota_progress *qlink_fota_get_progress(const struct qlink_fota *f);

/** qlink_fota_get_reopens() - how often the port went away and was reopened. */
unsigned int qlink_fota_get_reopens(const struct qlink_fota *f);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_FOTA_H */
