/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pure parts of a FOTA job, apart so the unit tests reach them:
 * URC parsing, the progress model and the pre-flight rules.
 */
#ifndef QLINK_FOTA_PRIV_H
#define QLINK_FOTA_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <qlink/fota.h>

/* ------------------------------------------------------------ URCs */

enum fota_urc_kind {
	FOTA_URC_DL_START,	/* FTPSTART, HTTPSTART, FILESTART */
	FOTA_URC_DOWNLOADING,	/* DOWNLOADING,<n> */
	FOTA_URC_DL_END,	/* FTPEND/HTTPEND/FILEEND,<err> */
	FOTA_URC_START,		/* START: the update begins */
	FOTA_URC_UPDATING,	/* UPDATING,<n> */
	FOTA_URC_END,		/* END,<err> */
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

/* The guide's advice for a module code (never NULL, may be ""). */
const char *qlink_fota_advice(enum qlink_code_space space, int code);

#endif /* QLINK_FOTA_PRIV_H */
