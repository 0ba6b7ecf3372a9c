/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The AT channel: commands, their responses, URCs and data mode over one
 * transport, driven by the caller's event loop.
 *
 * One command is in flight at a time; later ones queue. A command names
 * the prefixes of its information responses, so a line that matches none
 * of them while the command runs is a URC and goes to the URC handlers:
 * it is never taken for a response. Commands that answer OK and deliver
 * their result later as a URC (+QFTPCWD: <err>,<protocol_error>) are one
 * operation that completes on that URC.
 *
 * Functions return 0 (or a count) on success and -1 with errno set on
 * failure unless stated otherwise. Nothing here starts a thread: the
 * caller polls qlink_chan_get_fd() for qlink_chan_get_events() with
 * qlink_chan_get_timeout(), then calls qlink_chan_process(); or uses the
 * blocking helpers, which run that loop themselves.
 */
#ifndef QLINK_CHAN_H
#define QLINK_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <qlink/result.h>
#include <qlink/transport.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_chan;
struct qlink_resp;

/** Callback when a command completes; @resp is valid only during the call. */
typedef void (*qlink_done_cb)(struct qlink_chan *chan, const struct qlink_resp *resp, void *user);

/**
 * typedef qlink_connect_cb - the module answered CONNECT: data mode begins
 * @chan: the channel
 * @text: what followed CONNECT on its line ("" if nothing)
 * @user: the command's user pointer
 *
 * The callback frames the payload before the next byte is parsed, with
 * qlink_chan_expect_raw() or qlink_chan_expect_raw_until(), and/or
 * queues bytes to send with qlink_chan_send().
 *
 * Return: 0, or a negative errno to abort the command with that status.
 */
typedef int (*qlink_connect_cb)(struct qlink_chan *chan, const char *text, void *user);

/** Payload bytes received in data mode, in order, in pieces of any size. */
typedef void (*qlink_data_cb)(struct qlink_chan *chan, const void *buf, size_t len, void *user);

/** qlink_prompt_cb - the "> " prompt arrived (QLINK_CMD_F_PROMPT); 0 or a negative errno. */
typedef int (*qlink_prompt_cb)(struct qlink_chan *chan, void *user);

/** qlink_urc_cb - a URC line (NUL-terminated, without CR/LF). */
typedef void (*qlink_urc_cb)(struct qlink_chan *chan, const char *line, void *user);

/**
 * qlink_data_mode_cb - the port entered (@data true) or left data mode
 * (see qlink_chan_set_data_mode_cb()).
 */
typedef void (*qlink_data_mode_cb)(struct qlink_chan *chan, bool data, void *user);

/** Directions for the log callback. */
enum qlink_log_dir {
	QLINK_LOG_TX,	/* command line sent */
	QLINK_LOG_RX,	/* response or final line received */
	QLINK_LOG_URC,	/* URC received */
	QLINK_LOG_INFO, /* the channel's own remark (timeout, stray result) */
};

/**
 * qlink_log_cb - one traced line; credentials are already replaced by
 * "***". Shared by the channel's log and the FOTA job's trace.
 */
typedef void (*qlink_log_cb)(enum qlink_log_dir dir, const char *text, void *user);

/** Expect the "> " prompt (SMS-style input); see struct qlink_cmd. */
#define QLINK_CMD_F_PROMPT (1u << 0)
/** Bounded by the module's FTP <timeout> (qlink_chan_set_rsptimeout()). */
#define QLINK_CMD_F_RSPTIMEOUT (1u << 1)

/**
 * struct qlink_cmd - how a command is answered
 * @prefixes:   NULL-terminated list of information-response prefixes, e.g.
 *              { "+QFTPCFG:", NULL }; NULL derives "+NAME:" from the
 *              command line. Lines without a leading '+' that are not
 *              known URCs are taken as responses too (ATI, AT+GSN).
 * @async:      prefix of the URC that completes the command after OK
 *              ("+QFTPCWD:"), or NULL if OK completes it. If that line
 *              arrives before OK it is taken as the result all the same.
 * @timeout_ms: bound for each phase: to the final result, between data
 *              bytes in data mode, and from OK to the @async result.
 *              0 takes the documented maximum from the built-in table.
 *              The bound restarts with each response line, so a long
 *              answer on a slow line is not cut short.
 * @flags:      QLINK_CMD_F_*.
 * @on_connect: if set, CONNECT starts a data phase instead of ending the
 *              command; the command then ends on the following final
 *              result (and @async result).
 * @on_data:    receives data-mode payload.
 * @on_prompt:  called on the "> " prompt (QLINK_CMD_F_PROMPT).
 *
 * Descriptors are meant to live in constant tables. qlink_cmd_lookup()
 * gives the built-in one for a command line.
 */
struct qlink_cmd {
	const char *const *prefixes;
	const char *async;
	unsigned int timeout_ms;
	unsigned int flags;
	qlink_connect_cb on_connect;
	qlink_data_cb on_data;
	qlink_prompt_cb on_prompt;
};

/**
 * qlink_cmd_lookup() - the built-in descriptor for a command line
 * @line: e.g. "AT+QFTPCWD=\"/\"" (without CR)
 *
 * Known commands get their documented response prefixes, async result and
 * maximum response time; unknown extended commands "AT+XYZ..." get the
 * prefix "+XYZ:" and a 5 s bound (no documented limit).
 *
 * Return: a static descriptor; never NULL.
 */
const struct qlink_cmd *qlink_cmd_lookup(const char *line);

/**
 * struct qlink_urc_handler - route URCs by prefix
 * @prefix: the line starts with this ("+QIND: \"FOTA\""); "" matches all
 * @cb:     called with the whole line (NUL-terminated, without CR/LF)
 */
struct qlink_urc_handler {
	const char *prefix;
	qlink_urc_cb cb;
};

/**
 * qlink_chan_new() - create a channel over a transport
 * @t: the transport; the channel owns it from now on and frees it
 *
 * Return: the channel, or NULL with errno EINVAL or ENOMEM (@t is freed
 * in every case).
 */
struct qlink_chan *qlink_chan_new(struct qlink_transport *t);

/**
 * qlink_chan_free() - free a channel
 * @chan: the channel, or NULL
 *
 * Pending commands complete with status -ECANCELED before it returns.
 */
void qlink_chan_free(struct qlink_chan *chan);

/**
 * qlink_chan_submit() - queue a command
 * @chan: the channel
 * @line: the command without CR, e.g. "AT+CSQ"; copied
 * @cmd:  its descriptor, or NULL for qlink_cmd_lookup(@line); must outlive
 *        the command
 * @done: completion callback, may be NULL
 * @user: passed to @done and to @cmd's callbacks
 *
 * Return: 0, or -1 with errno EINVAL (empty line, CR/LF inside, longer than
 * QLINK_CMD_LINE_MAX), ENOMEM, ENXIO (the port is gone).
 */
int qlink_chan_submit(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
		      qlink_done_cb done, void *user);

/** Longest command line accepted, without CR (V.25ter allows at least 40). */
#define QLINK_CMD_LINE_MAX 1024

/**
 * qlink_chan_exec() - run one command to completion (blocking helper)
 * @chan: the channel
 * @line: the command
 * @cmd:  descriptor or NULL, as for qlink_chan_submit()
 * @resp: on return, the response (also on failure, if the command ran);
 *        free it with qlink_resp_free(). May be NULL.
 *
 * Runs the event loop until this command and those queued before it
 * complete. URCs arriving meanwhile go to the URC handlers.
 *
 * Return: 0 if the command succeeded, -1 with errno: EIO (ERROR, +CME/+CMS
 * ERROR or a non-zero result code: see qlink_resp_get_code()), ETIMEDOUT,
 * ECONNRESET (NO CARRIER), ENXIO (port lost), ECANCELED, EINVAL, ENOMEM.
 */
int qlink_chan_exec(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
		    struct qlink_resp **resp);

/**
 * qlink_chan_run() - qlink_chan_exec() for a command with callbacks
 * @chan: the channel
 * @line: the command
 * @cmd:  its descriptor (on_connect, on_data, on_prompt)
 * @user: passed to @cmd's callbacks
 * @resp: as for qlink_chan_exec()
 *
 * Return: as qlink_chan_exec().
 */
int qlink_chan_run(struct qlink_chan *chan, const char *line, const struct qlink_cmd *cmd,
		   void *user, struct qlink_resp **resp);

/**
 * qlink_chan_set_urc_handlers() - install the URC routing table
 * @chan:  the channel
 * @table: handlers, first match wins; must outlive the channel
 * @n:     number of entries
 * @user:  passed to every handler
 */
void qlink_chan_set_urc_handlers(struct qlink_chan *chan, const struct qlink_urc_handler *table,
				 size_t n, void *user);

/**
 * qlink_chan_expect_raw() - frame the next @n bytes as payload
 * @chan: the channel, in a qlink_connect_cb
 * @n:    payload length; after it, parsing of lines resumes. SIZE_MAX for
 *        a payload whose length the module announces only after it
 *        (+QFTPLIST: 0,<len>): it then ends only as described below.
 *
 * A module may leave data mode before @n bytes (the server dropped the
 * data connection, the module rebooted). The last bytes received are
 * therefore held back briefly: once they end with complete lines that are
 * the module's own and say that data mode is over (the command's async
 * result, a failure such as NO CARRIER or ERROR, a bare URC such as RDY;
 * an OK alone or a "+QIND:" line does not, for a payload may hold them
 * and then pause) and nothing follows for a quarter of a second, those
 * lines are parsed as lines, the payload before them is passed on, and
 * the command ends as they say, or with -ECONNABORTED if they do not
 * end it. What was passed on of a payload cut short is unverified: a
 * caller that must not lose or corrupt data fetches it again.
 *
 * Return: 0, or -1 with errno EBUSY (no data phase in progress).
 */
int qlink_chan_expect_raw(struct qlink_chan *chan, size_t n);

/**
 * qlink_chan_expect_raw_trailer() - frame @n bytes, and check what follows them
 * @chan:    the channel, in a qlink_connect_cb
 * @n:       payload length, as for qlink_chan_expect_raw()
 * @trailer: what the module's manual says comes right after the payload:
 *           "\r\nOK\r" after AT+QFTPGET's, "\r\n+QFDWL:" after AT+QFDWL's
 *           (1 to 16 bytes)
 *
 * As qlink_chan_expect_raw(), but a byte lost on the line (a UART overrun)
 * would otherwise make the trailer's first byte the payload's last and
 * go unnoticed: when the bytes after the payload are not @trailer, the
 * command ends with -EBADMSG once the module has finished speaking (its
 * result, or the command's bound), and the payload must not be used.
 *
 * Return: 0, or -1 with errno EBUSY (no data phase in progress) or EINVAL
 * (@trailer empty or too long).
 */
int qlink_chan_expect_raw_trailer(struct qlink_chan *chan, size_t n, const char *trailer);

/**
 * qlink_chan_expect_raw_until() - payload until a terminator
 * @chan: the channel, in a qlink_connect_cb
 * @term: the bytes that end the payload, e.g. "\r\nOK\r\n" (1 to 16 bytes,
 *        copied); they are then parsed as lines
 *
 * Only for payloads whose length the module does not announce in advance;
 * a payload containing @term would end early, so callers verify the
 * length the module reports afterwards.
 *
 * Return: 0, or -1 with errno EBUSY or EINVAL.
 */
int qlink_chan_expect_raw_until(struct qlink_chan *chan, const char *term);

/**
 * qlink_chan_send() - queue data-mode bytes for the module
 * @chan: the channel
 * @buf:  payload, copied
 * @len:  its length
 *
 * Return: 0, or -1 with errno ENOMEM or ENXIO.
 */
int qlink_chan_send(struct qlink_chan *chan, const void *buf, size_t len);

/**
 * qlink_chan_get_fd() - the descriptor to poll
 * @chan: the channel
 *
 * Return: the transport's descriptor, or -1 for hand-driven transports.
 */
int qlink_chan_get_fd(struct qlink_chan *chan);

/**
 * qlink_chan_get_events() - what to poll for
 * @chan: the channel
 *
 * Return: POLLIN, plus POLLOUT while output is queued and the transport's
 * pacing (qlink_transport_set_pacing()) allows a write now. Within a
 * payload of known length coming slowly, POLLIN is left out for a short
 * while (at most 100 ms, within qlink_chan_get_timeout()) so the port
 * gathers more than a few bytes per wakeup.
 */
short qlink_chan_get_events(struct qlink_chan *chan);

/**
 * qlink_chan_get_transport() - the transport the channel owns
 * @chan: the channel
 *
 * For settings such as qlink_transport_set_pacing(); the channel still
 * owns and frees it.
 *
 * Return: the transport; never NULL.
 */
struct qlink_transport *qlink_chan_get_transport(struct qlink_chan *chan);

/**
 * qlink_chan_get_outq() - bytes queued for the module and not yet written
 * @chan: the channel
 *
 * A producer streaming with qlink_chan_send() keeps this small instead of
 * queueing a whole file.
 *
 * Return: the number of bytes.
 */
size_t qlink_chan_get_outq(struct qlink_chan *chan);

/**
 * qlink_chan_get_timeout() - time until the channel's next deadline
 * @chan: the channel
 *
 * Includes the time until paced output may be written next.
 *
 * Return: milliseconds (0 if one has passed), or -1 if none is armed.
 */
int qlink_chan_get_timeout(struct qlink_chan *chan);

/**
 * qlink_chan_process() - read, parse, dispatch, write and run timers
 * @chan: the channel
 *
 * Never blocks. Callbacks run from here.
 *
 * Return: 0, or -1 with errno ENXIO when the transport failed (every
 * pending command has then completed with -ENXIO).
 */
int qlink_chan_process(struct qlink_chan *chan);

/**
 * qlink_chan_wait() - one turn of the built-in event loop
 * @chan:       the channel
 * @timeout_ms: the longest to wait in poll(2); -1 for the channel's own
 *              next deadline only. Never more than a second: a turn that
 *              returns early is one more turn for the caller's loop, and
 *              a qlink_chan_cancel() from a signal is seen within it.
 *
 * Return: 0, or -1 with errno (as qlink_chan_process(), or EINTR).
 */
int qlink_chan_wait(struct qlink_chan *chan, int timeout_ms);

/**
 * qlink_chan_cancel() - stop waiting for a module that says nothing
 * @chan: the channel
 *
 * Safe from a signal handler (it only sets a flag). From then on every
 * phase of every command is bounded by one second of silence instead of
 * the documented maximum: a command whose module is still talking (a
 * chunk of payload arriving) runs on to its end, one whose module is
 * silent completes with -ECANCELED within about a second. The channel's
 * own waits, qlink_chan_exec() and qlink_chan_wait() included, see the
 * flag within that second even when the signal came just before poll().
 * A module left in data mode stays there (qlink_chan_escape()).
 * The flag stays until qlink_chan_clear_cancel().
 */
void qlink_chan_cancel(struct qlink_chan *chan);

/** qlink_chan_clear_cancel() - the documented bounds again, after qlink_chan_cancel(). */
void qlink_chan_clear_cancel(struct qlink_chan *chan);

/** qlink_chan_get_cancelled() - whether qlink_chan_cancel() is in force. */
bool qlink_chan_get_cancelled(const struct qlink_chan *chan);

/**
 * qlink_chan_get_pending() - how many commands are in flight or queued
 * @chan: the channel
 *
 * Return: the number of commands not yet completed.
 */
unsigned int qlink_chan_get_pending(struct qlink_chan *chan);

/**
 * qlink_chan_get_error() - why the last call that acts through @chan failed
 * @chan: the channel
 *
 * The calls that run several commands through a channel on their own
 * (qlink_pdp_get_active(), qlink_pdp_activate(), qlink_file_*()) leave one
 * sentence here: the command that failed, the module's code and its
 * meaning, and what else they found out. Each such call clears it first.
 * A command of the caller's own (qlink_chan_exec()) says why it failed in
 * its response: qlink_resp_get_error(). Credentials are replaced by "***".
 *
 * Return: a string owned by @chan, valid until the next such call; "" if
 * it succeeded or none ran. Never NULL.
 */
const char *qlink_chan_get_error(const struct qlink_chan *chan);

/**
 * qlink_chan_set_timeout() - override every command's bound
 * @chan:       the channel
 * @timeout_ms: bound per phase for all commands; 0 restores the
 *              documented maxima
 */
void qlink_chan_set_timeout(struct qlink_chan *chan, unsigned int timeout_ms);

/**
 * qlink_chan_set_rsptimeout() - tell the channel the module's FTP timeout
 * @chan:    the channel
 * @seconds: AT+QFTPCFG="rsptimeout" as set on the module (20-180; 90 is
 *           the module's default)
 *
 * The FTP commands' bounds derive from it, plus a margin for the link.
 *
 * Return: 0, or -1 with errno EINVAL (out of the module's range).
 */
int qlink_chan_set_rsptimeout(struct qlink_chan *chan, unsigned int seconds);

/**
 * qlink_chan_set_data_mode_cb() - be told when the port enters and leaves data mode
 * @chan: the channel
 * @cb:   called with true on the CONNECT of a command that has a data phase,
 *        and with false once it has ended (its OK, an early end, a timeout
 *        or any other completion); NULL to stop
 * @user: passed to @cb
 *
 * For the qlink line discipline, which must not take payload for URCs and
 * must know when the module speaks again (qlink_ldisc_follow()).
 */
void qlink_chan_set_data_mode_cb(struct qlink_chan *chan, qlink_data_mode_cb cb, void *user);

/**
 * qlink_chan_set_log() - trace traffic
 * @chan: the channel
 * @fn:   called per line; credentials (FTP account passwords, passwords
 *        in URLs) are already replaced by "***"
 * @user: passed to @fn
 */
void qlink_chan_set_log(struct qlink_chan *chan, qlink_log_cb fn, void *user);

/**
 * qlink_resp_get_status() - how the command ended
 * @resp: the response
 *
 * Return: 0 on success, else a negative errno: -EIO (ERROR, +CME/+CMS
 * ERROR, or a non-zero <err> in the async result), -ETIMEDOUT,
 * -ECONNRESET (NO CARRIER), -ECONNABORTED (the module restarted: RDY
 * in a data phase or while a result promised after OK was awaited; or
 * data mode ended without a result), -EBADMSG (a payload framed with
 * qlink_chan_expect_raw_trailer() was not followed by its trailer),
 * -ENXIO, -ECANCELED, or what a qlink_connect_cb returned.
 */
int qlink_resp_get_status(const struct qlink_resp *resp);

/** qlink_resp_get_result() - the final result code, QLINK_RESULT_NONE if none. */
enum qlink_result qlink_resp_get_result(const struct qlink_resp *resp);

/**
 * qlink_resp_get_code() - the module's error code
 * @resp: the response
 *
 * Return: the <n> of +CME/+CMS ERROR, else the first number (<err>) of the
 * async result, else -1.
 */
int qlink_resp_get_code(const struct qlink_resp *resp);

/** qlink_resp_get_line_count() - number of information-response lines. */
size_t qlink_resp_get_line_count(const struct qlink_resp *resp);

/** qlink_resp_get_line() - information-response line @i, or NULL past the end. */
const char *qlink_resp_get_line(const struct qlink_resp *resp, size_t i);

/** qlink_resp_get_async() - the async result line, or NULL. */
const char *qlink_resp_get_async(const struct qlink_resp *resp);

/** qlink_resp_get_final() - the final result line as received, or NULL. */
const char *qlink_resp_get_final(const struct qlink_resp *resp);

/** qlink_resp_get_command() - the command line, credentials replaced by "***". */
const char *qlink_resp_get_command(const struct qlink_resp *resp);

/** qlink_resp_get_truncated() - whether a line exceeded the parser's buffer. */
bool qlink_resp_get_truncated(const struct qlink_resp *resp);

/**
 * qlink_resp_get_error() - one sentence on why the command failed
 * @resp: the response
 *
 * Names the command (credentials removed), the cause and the module's
 * code with its meaning, e.g. "AT+QFTPCWD=\"/x\": +QFTPCWD: 620: Syntax
 * error, command unrecognized (server said 550: Requested action not
 * taken: file unavailable)".
 *
 * Return: a string owned by @resp; "" if it did not fail.
 */
const char *qlink_resp_get_error(const struct qlink_resp *resp);

/** qlink_resp_dup() - keep a response past its callback; NULL with ENOMEM. */
struct qlink_resp *qlink_resp_dup(const struct qlink_resp *resp);

/** qlink_resp_free() - free a response from qlink_resp_dup()/_exec(). */
void qlink_resp_free(struct qlink_resp *resp);

/** How long DTR is held off to leave data mode, in ms (see qlink_chan_escape()). */
#define QLINK_DTR_DROP_MS 200
/** Silence before and after "+++", in ms: FIELD-NOTES.md, the FTP(S) guide. */
#define QLINK_ESCAPE_GUARD_MS 1000

/**
 * typedef qlink_dtr_cb - drive the module's DTR input
 * @chan:     the channel
 * @asserted: true to assert DTR (on), false to drop it
 * @user:     as given to qlink_chan_set_dtr()
 *
 * Return: 0, or -1 with errno (the line could not be driven).
 */
typedef int (*qlink_dtr_cb)(struct qlink_chan *chan, bool asserted, void *user);

/**
 * qlink_chan_set_dtr() - leave data mode by DTR from now on
 * @chan: the channel, idle
 * @cb:   drives the line wired to the module's DTR; NULL goes back to
 *        "+++". A GPIO line is installed with qlink_gpio_attach_dtr().
 * @user: passed to @cb; must outlive the channel or the next call
 *
 * Asserts DTR and sends AT&D1 (DTR ON->OFF: leave data mode, keep the
 * connection), so that qlink_chan_escape() and the FTP client's end of an
 * empty upload drop DTR instead of sending "+++" with its guard times.
 * Blocking: runs the channel's loop until AT&D1 is answered.
 *
 * Return: 0, or -1 with errno: as @cb (the line), as qlink_chan_exec()
 * (AT&D1 refused or unanswered: the channel then keeps using "+++").
 */
int qlink_chan_set_dtr(struct qlink_chan *chan, qlink_dtr_cb cb, void *user);

/**
 * qlink_chan_escape() - get the module back to command mode
 * @chan: the channel: idle (a port left in data mode by someone else) or
 *        with one command in its data phase (a transfer to abort)
 *
 * With a DTR hook (qlink_chan_set_dtr()) drops DTR for QLINK_DTR_DROP_MS;
 * otherwise waits until everything written has left the host and the line
 * has been silent for QLINK_ESCAPE_GUARD_MS (plus 10 %), writes "+++" in
 * one piece and keeps silent as long again. Both keep the channel's loop
 * running, so what the module says meanwhile is parsed. Then waits (at
 * most 2 s: the module answers an escape at once; the channel's own
 * quarter second for the end of a data phase is inside it) for the
 * command in flight to end as the module says (a transfer aborted: its
 * error), and confirms command mode with AT.
 *
 * Return: 0 once AT answered OK, or -1 with errno: EBUSY (more than one
 * command queued), ETIMEDOUT (still no command mode: the module did not
 * answer AT, or the command in flight did not end), as the DTR hook (the
 * line could not be driven), ENXIO (port lost).
 */
int qlink_chan_escape(struct qlink_chan *chan);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_CHAN_H */
