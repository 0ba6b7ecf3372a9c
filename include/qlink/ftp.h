/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The module's FTP(S) client (AT+QFTP*) as a session object over a channel.
 *
 * Every operation is one AT command whose result arrives later as
 * +QFTPxxx: <err>,<protocol_error>; the functions here wait for it by
 * running the channel's event loop (URC handlers keep being called), so
 * they block for at most the module's <timeout> (AT+QFTPCFG "rsptimeout")
 * plus a margin per command.
 *
 * Transfers between the host and the server go through the AT port in
 * data mode, always in bounded pieces the module ends by itself:
 * downloads ask for SIZE, then <startpos>,<downloadlen> chunks framed by
 * length; uploads send <uploadlen> bytes with <beof> set on the last. A
 * dropped data connection or a module reboot is survived by re-opening
 * the session if needed and continuing from the last byte known good.
 *
 * Functions return 0 on success and -1 with errno on failure unless
 * stated otherwise; qlink_ftp_get_error() then says what failed, the
 * module's <err> and the server's reply with their meanings, and what to
 * check. Common errno values: EINVAL (bad argument, named in the
 * message), EIO (the module or server refused: see qlink_ftp_get_codes()),
 * ETIMEDOUT, ENXIO (port lost), ECANCELED (qlink_ftp_cancel() or the
 * progress callback), EPROTO (the module's answer did not add up, e.g.
 * a transfer length that differs from the bytes received), ENOMEM.
 */
#ifndef QLINK_FTP_H
#define QLINK_FTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <qlink/chan.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_ftp;

/** enum qlink_ftp_ssl - AT+QFTPCFG="ssltype" */
enum qlink_ftp_ssl {
	QLINK_FTP_SSL_NONE = 0,	    /* plain FTP */
	QLINK_FTP_SSL_IMPLICIT = 1, /* FTPS, TLS from the first byte (port 990) */
	QLINK_FTP_SSL_EXPLICIT = 2, /* FTPES, AUTH TLS on the control port */
};

/** enum qlink_ftp_state - AT+QFTPSTAT's <ftpstat> */
enum qlink_ftp_state {
	QLINK_FTP_OPENING = 0,
	QLINK_FTP_IDLE = 1,
	QLINK_FTP_TRANSFERRING = 2,
	QLINK_FTP_CLOSING = 3,
	QLINK_FTP_CLOSED = 4,
};

/** qlink_ftp_state_name() - "opening", "idle", ... or "unknown". */
const char *qlink_ftp_state_name(enum qlink_ftp_state state);

/**
 * struct qlink_ftp_progress - how a transfer is going
 * @size:     sizeof(struct qlink_ftp_progress) as the library was built; a
 *            field is there only if offsetof(field) + sizeof(field) <= @size
 *            (a later library may add fields where @reserved is)
 * @done:     bytes moved so far (including those resumed from)
 * @total:    bytes in all, or -1 if unknown
 * @rate:     payload bytes per second over the transfer so far
 * @retries:  times the transfer resumed after a failure
 * @reserved: zero; room for later fields
 */
struct qlink_ftp_progress {
	size_t size;
	uint64_t done;
	int64_t total;
	double rate;
	unsigned int retries;
	uint64_t reserved[4];
};

/**
 * typedef qlink_ftp_progress_cb - called after every piece of payload
 * Return: 0 to go on, non-zero to cancel (the transfer ends at the next
 * chunk boundary with ECANCELED).
 */
typedef int (*qlink_ftp_progress_cb)(const struct qlink_ftp_progress *p, void *user);

/** enum qlink_ftp_type - what an MLSD entry is */
enum qlink_ftp_type {
	QLINK_FTP_FILE,
	QLINK_FTP_DIR,
	QLINK_FTP_CDIR, /* the listed directory itself */
	QLINK_FTP_PDIR, /* its parent */
	QLINK_FTP_LINK,
	QLINK_FTP_OTHER,
};

/**
 * struct qlink_ftp_entry - one MLSD line
 * @name:     file name (may contain spaces)
 * @type:     its type fact
 * @size:     size in bytes, -1 if the server did not say
 * @mtime:    modification time (UTC), -1 if the server did not say
 * @reserved: zero; room for facts a later library reports, so that the
 *            array's stride stays what the caller was built with
 */
struct qlink_ftp_entry {
	char *name;
	enum qlink_ftp_type type;
	int64_t size;
	time_t mtime;
	uint64_t reserved[4];
};

/**
 * qlink_ftp_new() - a session object over a channel
 * @chan: the channel; not owned
 *
 * Defaults: binary, passive, context 1, rsptimeout 90 s, plain FTP, SSL
 * context 1, anonymous login, 64 KiB chunks.
 *
 * Return: the object, or NULL with ENOMEM.
 */
struct qlink_ftp *qlink_ftp_new(struct qlink_chan *chan);

/** qlink_ftp_free() - free the object; does not close the session. */
void qlink_ftp_free(struct qlink_ftp *ftp);

/**
 * qlink_ftp_set_account() - user name and password (each at most 255 bytes)
 * Return: 0, or -1 with EINVAL or ENOMEM. The password is never logged.
 */
int qlink_ftp_set_account(struct qlink_ftp *ftp, const char *user, const char *password);

/** qlink_ftp_set_ascii() - filetype ASCII (true) or binary (false, default). */
void qlink_ftp_set_ascii(struct qlink_ftp *ftp, bool ascii);

/**
 * qlink_ftp_set_active() - active (true) or passive (false, default) data connections
 * Return: 0, or -1 with EINVAL when FTPS is configured (the module does
 * FTPS in passive mode only).
 */
int qlink_ftp_set_active(struct qlink_ftp *ftp, bool active);

/** qlink_ftp_set_context() - PDP context 1-15 the session uses; -1/EINVAL. */
int qlink_ftp_set_context(struct qlink_ftp *ftp, int contextid);

/**
 * qlink_ftp_set_apn() - APN to configure if the context is not active
 * @apn: NULL or "" to activate the context as the module has it set
 */
int qlink_ftp_set_apn(struct qlink_ftp *ftp, const char *apn);

/** qlink_ftp_set_rsptimeout() - the module's <timeout>, 20-180 s; -1/EINVAL. */
int qlink_ftp_set_rsptimeout(struct qlink_ftp *ftp, unsigned int seconds);

/**
 * qlink_ftp_set_ssl() - FTPS
 * @ssl:    QLINK_FTP_SSL_*
 * @sslctx: SSL context 0-5 (AT+QSSLCFG) the session uses
 * Return: 0, or -1 with EINVAL (out of range, or active mode is set).
 */
int qlink_ftp_set_ssl(struct qlink_ftp *ftp, enum qlink_ftp_ssl ssl, int sslctx);

/**
 * qlink_ftp_set_ssl_option() - an AT+QSSLCFG option of the session's context
 * @name:  e.g. "seclevel", "sslversion", "ciphersuite", "cacert"
 * @value: as the command takes it, e.g. "0", "0xFFFF", "\"UFS:ca.pem\""
 *
 * Sent by qlink_ftp_open(). Up to 8 options.
 * Return: 0, or -1 with EINVAL (bad name or value) or ENOSPC.
 */
int qlink_ftp_set_ssl_option(struct qlink_ftp *ftp, const char *name, const char *value);

/**
 * qlink_ftp_set_data_address() - AT+QFTPCFG="data_address"
 * @type:    0 the server's address, 1 the control connection's, 2 the
 *           control's first and the server's after @timeout seconds
 * @timeout: 15-50 (only for type 2)
 */
int qlink_ftp_set_data_address(struct qlink_ftp *ftp, int type, int timeout);

/** qlink_ftp_set_cache() - AT+QFTPCFG="cache" 0-2; -1/EINVAL. */
int qlink_ftp_set_cache(struct qlink_ftp *ftp, int cache);

/**
 * qlink_ftp_set_chunk() - payload per data-mode transfer
 * @bytes: 1 to 1 GiB; smaller chunks lose less to a failure and let a
 *         cancel act sooner, larger ones spend less on commands
 */
int qlink_ftp_set_chunk(struct qlink_ftp *ftp, size_t bytes);

/**
 * qlink_ftp_set_retries() - resumptions allowed without progress
 * @n: after @n failures in a row that moved no byte, the transfer fails
 *     (default 3)
 */
void qlink_ftp_set_retries(struct qlink_ftp *ftp, unsigned int n);

/** qlink_ftp_set_progress_cb() - progress callback for transfers. */
void qlink_ftp_set_progress_cb(struct qlink_ftp *ftp, qlink_ftp_progress_cb cb, void *user);

/**
 * qlink_ftp_open() - activate the PDP context if needed, configure, log in
 * @host: server name or address (at most 255 bytes)
 * @port: 0 for the default (21, or 990 for implicit FTPS)
 *
 * Checks the context with AT+QIACT? and activates it if needed; when that
 * fails the message includes what AT+CPIN?, AT+CGATT? and AT+CGREG? say.
 *
 * Return: 0, or -1 with errno (EIO, ETIMEDOUT, EINVAL, ENXIO, ENOMEM).
 */
int qlink_ftp_open(struct qlink_ftp *ftp, const char *host, unsigned int port);

/**
 * qlink_ftp_close() - log out, waiting for +QFTPCLOSE (until it arrives the
 * module answers 603 to every FTP command)
 */
int qlink_ftp_close(struct qlink_ftp *ftp);

/** qlink_ftp_cwd() - change directory. */
int qlink_ftp_cwd(struct qlink_ftp *ftp, const char *dir);

/** qlink_ftp_pwd() - current directory into @buf (quotes removed); ERANGE if short. */
int qlink_ftp_pwd(struct qlink_ftp *ftp, char *buf, size_t len);

/** qlink_ftp_size() - file size in bytes. */
int qlink_ftp_size(struct qlink_ftp *ftp, const char *name, uint64_t *size);

/** qlink_ftp_mdtm() - file modification time (UTC). */
int qlink_ftp_mdtm(struct qlink_ftp *ftp, const char *name, time_t *mtime);

int qlink_ftp_delete(struct qlink_ftp *ftp, const char *name);
int qlink_ftp_mkdir(struct qlink_ftp *ftp, const char *dir);
int qlink_ftp_rmdir(struct qlink_ftp *ftp, const char *dir);
int qlink_ftp_rename(struct qlink_ftp *ftp, const char *from, const char *to);

/** qlink_ftp_stat() - the session state (AT+QFTPSTAT). */
int qlink_ftp_stat(struct qlink_ftp *ftp, enum qlink_ftp_state *state);

/** qlink_ftp_len() - bytes moved by the last transfer (AT+QFTPLEN). */
int qlink_ftp_len(struct qlink_ftp *ftp, uint64_t *len);

/**
 * qlink_ftp_list() - LIST or NLST output, as the server sent it
 * @dir:   directory ("." for the current one)
 * @names: true for NLST (names only), false for LIST
 * @out:   on success a NUL-terminated malloc'd buffer; free() it
 * @len:   its length without the NUL, checked against the module's count
 */
int qlink_ftp_list(struct qlink_ftp *ftp, const char *dir, bool names, char **out, size_t *len);

/**
 * qlink_ftp_mlsd() - MLSD, parsed
 * @entries: on success an array; free with qlink_ftp_entries_free()
 * @n:       its length
 * Return: 0, or -1 with errno; EIO with the server's 500/502 when it has
 * no MLSD (fall back to qlink_ftp_list()).
 */
int qlink_ftp_mlsd(struct qlink_ftp *ftp, const char *dir, struct qlink_ftp_entry **entries,
		   size_t *n);

void qlink_ftp_entries_free(struct qlink_ftp_entry *entries, size_t n);

/** Flags for qlink_ftp_get() and qlink_ftp_put(). */
#define QLINK_FTP_CONTINUE (1u << 0) /* get: resume LOCAL.part */
#define QLINK_FTP_APPEND (1u << 1)   /* put: append to the remote file */

/**
 * qlink_ftp_get() - download to a host file
 * @remote: file on the server
 * @local:  file on the host; written as @local.part in the same
 *          directory, synced, then renamed, so @local is never partial
 * @flags:  QLINK_FTP_CONTINUE to resume an existing @local.part
 *
 * The size is checked against SIZE at the end. After a failure @local.part
 * stays for QLINK_FTP_CONTINUE.
 */
int qlink_ftp_get(struct qlink_ftp *ftp, const char *remote, const char *local, unsigned int flags);

/** qlink_ftp_get_buf() - download into a malloc'd buffer; free() it. */
int qlink_ftp_get_buf(struct qlink_ftp *ftp, const char *remote, void **buf, size_t *len);

/**
 * qlink_ftp_put() - upload a host file
 * @flags: QLINK_FTP_APPEND to add to the end of @remote
 *
 * The remote size is checked with SIZE at the end.
 */
int qlink_ftp_put(struct qlink_ftp *ftp, const char *local, const char *remote, unsigned int flags);

/** qlink_ftp_put_buf() - upload @len bytes from @buf. */
int qlink_ftp_put_buf(struct qlink_ftp *ftp, const void *buf, size_t len, const char *remote,
		      unsigned int flags);

/**
 * qlink_ftp_get_module() - download into the module's own storage
 * @file: "UFS:name", "RAM:name" or "SD:name"
 * @len:  if not NULL, the bytes transferred
 */
int qlink_ftp_get_module(struct qlink_ftp *ftp, const char *remote, const char *file,
			 uint64_t *len);

/** qlink_ftp_put_module() - upload a file from the module's storage. */
int qlink_ftp_put_module(struct qlink_ftp *ftp, const char *file, const char *remote,
			 uint64_t *len);

/**
 * qlink_ftp_get_via() - download to a host file through the module's storage
 * @file: the staging file, "UFS:name" (or RAM:, SD:); deleted afterwards
 *
 * AT+QFTPGET into @file, then AT+QFDWL to the host, checked against the
 * module's length and checksum and the server's SIZE. No resumption: the
 * module's own transfer is one piece. @local is written as for
 * qlink_ftp_get().
 */
int qlink_ftp_get_via(struct qlink_ftp *ftp, const char *remote, const char *local,
		      const char *file);

/**
 * qlink_ftp_put_via() - upload a host file through the module's storage
 *
 * AT+QFUPL to @file (checked against the module's checksum), then
 * AT+QFTPPUT from it; the server's SIZE must match. Empty files cannot be
 * staged (AT+QFUPL takes 1 byte or more).
 */
int qlink_ftp_put_via(struct qlink_ftp *ftp, const char *local, const char *remote,
		      const char *file);

/**
 * qlink_ftp_cancel() - stop the transfer in progress
 *
 * Safe from URC handlers, the progress callback and signal handlers. The
 * transfer stops at the end of the current chunk, which the module ends
 * by itself, so the port is left in command mode.
 */
void qlink_ftp_cancel(struct qlink_ftp *ftp);

/**
 * qlink_ftp_get_error() - why the last call failed
 *
 * E.g. "get fw.bin: AT+QFTPSIZE=\"fw.bin\": 627: Requested action not
 * taken (server said 550: Requested action not taken: file unavailable);
 * check the name and directory (pwd)". Credentials never appear.
 *
 * Return: a string owned by @ftp, valid until the next call; "" if the
 * last call succeeded.
 */
const char *qlink_ftp_get_error(const struct qlink_ftp *ftp);

/**
 * qlink_ftp_get_codes() - the module's codes from the last failure
 * @err:   <err> (601-631) or +CME ERROR number, 0 if none
 * @proto: the server's <protocol_error> (421-553), 0 if none
 */
void qlink_ftp_get_codes(const struct qlink_ftp *ftp, int *err, int *proto);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_FTP_H */
