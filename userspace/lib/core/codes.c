// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Every result code the two manuals list, with the manuals' English text
 * (chapter 5/6 of the FTP(S) guide, chapter 5 of the DFOTA guide), plus
 * the 3GPP TS 27.007 +CME ERROR numbers a bring-up engineer meets first
 * and the FILE commands' 400-426.
 *
 * qlink-sim shares this table so both ends agree on the words; nothing
 * else is shared between them.
 */
#include <stddef.h>

#include <qlink/codes.h>

#include "core/api.h"

struct code {
	int code;
	const char *text;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct code cme[] = {
	{ 0, "Phone failure" },
	{ 1, "No connection to phone" },
	{ 2, "Phone-adaptor link reserved" },
	{ 3, "Operation not allowed" },
	{ 4, "Operation not supported" },
	{ 5, "PH-SIM PIN required" },
	{ 10, "SIM not inserted" },
	{ 11, "SIM PIN required" },
	{ 12, "SIM PUK required" },
	{ 13, "SIM failure" },
	{ 14, "SIM busy" },
	{ 15, "SIM wrong" },
	{ 16, "Incorrect password" },
	{ 17, "SIM PIN2 required" },
	{ 18, "SIM PUK2 required" },
	{ 20, "Memory full" },
	{ 21, "Invalid index" },
	{ 22, "Not found" },
	{ 23, "Memory failure" },
	{ 24, "Text string too long" },
	{ 25, "Invalid characters in text string" },
	{ 26, "Dial string too long" },
	{ 27, "Invalid characters in dial string" },
	{ 30, "No network service" },
	{ 31, "Network timeout" },
	{ 32, "Network not allowed - emergency calls only" },
	{ 50, "Incorrect parameters" },
	{ 100, "Unknown" },
	{ 107, "GPRS services not allowed" },
	{ 111, "PLMN not allowed" },
	{ 112, "Location area not allowed" },
	{ 113, "Roaming not allowed in this location area" },
	{ 132, "Service option not supported" },
	{ 133, "Requested service option not subscribed" },
	{ 134, "Service option temporarily out of order" },
	{ 148, "Unspecified GPRS error" },
	{ 149, "PDP authentication failure" },
	{ 150, "Invalid mobile class" },
};

/*
 * The FILE commands' +CME ERROR codes (AT+QFUPL, AT+QFDWL, AT+QFDEL,
 * AT+QFLST, AT+QFOPEN...), the table of Quectel's FILE application note.
 * Not in the two manuals here; numbers absent from the note stay unknown.
 */
static const struct code file_cmd[] = {
	{ 400, "Invalid input value" },
	{ 401, "Larger than the size of the file" },
	{ 402, "Read zero byte" },
	{ 403, "Drive full" },
	{ 405, "File not found" },
	{ 406, "Invalid file name" },
	{ 407, "File already existed" },
	{ 409, "Fail to write the file" },
	{ 410, "Fail to open the file" },
	{ 411, "Fail to read the file" },
	{ 413, "Reach the max number of file allowed to be opened" },
	{ 414, "The file read-only" },
	{ 416, "Invalid file descriptor" },
	{ 417, "Fail to list the file" },
	{ 418, "Fail to delete the file" },
	{ 419, "Fail to get disk info" },
	{ 420, "No space" },
	{ 421, "Time out" },
	{ 423, "File too large" },
	{ 425, "Invalid parameter" },
	{ 426, "File already opened" },
};

/* FTP(S) guide table 3; also <FTP_err> of DFOTA table 3 */
static const struct code ftp[] = {
	{ 0, "Operation successful" },
	{ 601, "Unknown error" },
	{ 602, "FTP(S) server blocked" },
	{ 603, "FTP(S) server busy" },
	{ 604, "DNS parse failed" },
	{ 605, "Network error" },
	{ 606, "Control connection closed" },
	{ 607, "Data connection closed" },
	{ 608, "Socket closed by peer" },
	{ 609, "Timeout error" },
	{ 610, "Invalid parameter" },
	{ 611, "Failed to open file" },
	{ 612, "File position invalid" },
	{ 613, "File error" },
	{ 614, "Service not available, closing control connection" },
	{ 615, "Open data connection failed" },
	{ 616, "Connection closed; transfer aborted" },
	{ 617, "Requested file action not taken" },
	{ 618, "Requested action aborted: local error in processing" },
	{ 619, "Requested action not taken: insufficient system storage" },
	{ 620, "Syntax error, command unrecognized" },
	{ 621, "Syntax error in parameters or arguments" },
	{ 622, "Command not implemented" },
	{ 623, "Bad sequence of commands" },
	{ 624, "Command parameter not implemented" },
	{ 625, "Not logged in" },
	{ 626, "Need account for storing files" },
	{ 627, "Requested action not taken" },
	{ 628, "Requested action aborted: page type unknown" },
	{ 629, "Requested file action aborted" },
	{ 631, "SSL authentication failed" },
};

/* FTP(S) guide table 4: the server's own reply codes (RFC 959) */
static const struct code ftp_protocol[] = {
	{ 0, "No server error" },
	{ 421, "Service not available, closing control connection" },
	{ 425, "Open data connection failed" },
	{ 426, "Connection closed; transfer aborted" },
	{ 450, "Requested file action not taken" },
	{ 451, "Requested action aborted: local error in processing" },
	{ 452, "Requested action not taken: insufficient system storage" },
	{ 500, "Syntax error, command unrecognized" },
	{ 501, "Syntax error in parameters or arguments" },
	{ 502, "Command not implemented" },
	{ 503, "Bad sequence of commands" },
	{ 504, "Command parameter not implemented" },
	{ 530, "Not logged in" },
	{ 532, "Need account for storing files" },
	{ 550, "Requested action not taken: file unavailable" },
	{ 551, "Requested action aborted: page type unknown" },
	{ 552, "Requested file action aborted: exceeded storage allocation" },
	{ 553, "Requested action not taken: file name not allowed" },
};

/* DFOTA guide table 4 */
static const struct code http[] = {
	{ 0, "HTTP(S) download successful" },
	{ 701, "HTTP(S) unknown error" },
	{ 702, "HTTP(S) timeout" },
	{ 703, "HTTP(S) busy" },
	{ 704, "HTTP(S) UART busy" },
	{ 705, "HTTP(S) no GET/POST request" },
	{ 706, "HTTP(S) network busy" },
	{ 707, "HTTP(S) network open failed" },
	{ 708, "HTTP(S) network not configured" },
	{ 709, "HTTP(S) network deactivated" },
	{ 710, "HTTP(S) network error" },
	{ 711, "HTTP(S) URL error" },
	{ 712, "HTTP(S) empty URL" },
	{ 713, "HTTP(S) IP address error" },
	{ 714, "HTTP(S) DNS error" },
	{ 715, "HTTP(S) socket create error" },
	{ 716, "HTTP(S) socket connect error" },
	{ 717, "HTTP(S) socket read error" },
	{ 718, "HTTP(S) socket write error" },
	{ 719, "HTTP(S) socket closed" },
	{ 720, "HTTP(S) data encode error" },
	{ 721, "HTTP(S) data decode error" },
	{ 722, "HTTP(S) read timeout" },
	{ 723, "HTTP(S) response failed" },
	{ 724, "Incoming call busy" },
	{ 725, "Voice call busy" },
	{ 726, "Input timeout" },
	{ 727, "Wait data timeout" },
	{ 728, "Wait HTTP(S) response timeout" },
	{ 729, "Memory allocation failed" },
	{ 730, "Invalid parameter" },
};

/* DFOTA guide table 5 */
static const struct code file[] = {
	{ 0, "File download successful" },
	{ 500, "File download error" },
};

/* DFOTA guide table 6 */
static const struct code fota[] = {
	{ 0, "(D)FOTA upgrade successful" },
	{ 504, "(D)FOTA upgrade failed" },
	{ 505, "(D)FOTA package check error" },
	{ 506, "(D)FOTA firmware MD5 check error" },
	{ 507, "(D)FOTA package version mismatch" },
	{ 552, "(D)FOTA package project name mismatch" },
	{ 553, "(D)FOTA package baseline name mismatch" },
};

static const char *find(const struct code *t, size_t n, int code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].text;
	return NULL;
}

static const char *lookup(enum qlink_code_space space, int code)
{
	const char *s;

	switch (space) {
	case QLINK_CODE_CME:
		/* the module reports its FTP and HTTP failures as +CME ERROR too */
		s = find(cme, N(cme), code);
		if (!s && code >= 400 && code <= 426)
			s = find(file_cmd, N(file_cmd), code);
		if (!s && code >= 600 && code < 700)
			s = find(ftp, N(ftp), code);
		if (!s && code >= 700 && code < 800)
			s = find(http, N(http), code);
		return s;
	case QLINK_CODE_FTP:
		return find(ftp, N(ftp), code);
	case QLINK_CODE_FTP_PROTOCOL:
		return find(ftp_protocol, N(ftp_protocol), code);
	case QLINK_CODE_HTTP:
		return find(http, N(http), code);
	case QLINK_CODE_FILE:
		return find(file, N(file), code);
	case QLINK_CODE_FOTA:
		return find(fota, N(fota), code);
	}
	return NULL;
}

QLINK_API const char *qlink_code_str(enum qlink_code_space space, int code)
{
	const char *s = lookup(space, code);

	return s ? s : "Unknown code";
}

QLINK_API bool qlink_code_known(enum qlink_code_space space, int code)
{
	return lookup(space, code) != NULL;
}
