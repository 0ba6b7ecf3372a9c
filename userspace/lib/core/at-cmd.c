// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The commands libqlink knows: their response prefixes, async results and
 * maximum response times as the manuals give them.
 *
 * Sources: FTP(S) application guide v1.1.0 (QFTP*: 300 ms for QFTPCFG,
 * 125 s for QFTPOPEN, <timeout> of QFTPCFG for the rest), DFOTA guide,
 * and the EC200x AT commands manual's figures for the general commands
 * (QIACT 150 s, QIDEACT 40 s, CGATT 140 s, COPS 180 s, CPIN 5 s, CFUN 15 s,
 * 300 ms for everything that only reads or sets local state).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/api.h"
#include "core/at-cmd.h"

#define LOCAL_MS 300	/* "最大响应时间 300 毫秒" */
#define UNKNOWN_MS 5000 /* no documented limit: a bound, not a promise */

/* clang-format off: clang-format 14 explodes braced initializers in macros */
#define FTP_ASYNC(name) \
	{ \
		name, \
		{ \
			.async = name ":", .flags = QLINK_CMD_F_RSPTIMEOUT \
		} \
	}
#define LOCAL(name) \
	{ \
		name, \
		{ \
			.timeout_ms = LOCAL_MS \
		} \
	}
#define TIMED(name, ms) \
	{ \
		name, \
		{ \
			.timeout_ms = (ms) \
		} \
	}
/* clang-format on */

/* Sorted by strcasecmp() of the name; checked by the unit test. */
static const struct qlink_at_cmd_info table[] = {
	LOCAL(""), /* plain AT */
	LOCAL("&D"),
	LOCAL("&F"),
	LOCAL("&W"),
	TIMED("+CEREG", LOCAL_MS),
	TIMED("+CFUN", 15000),
	TIMED("+CGATT", 140000),
	LOCAL("+CGMI"),
	LOCAL("+CGMM"),
	LOCAL("+CGMR"),
	LOCAL("+CGREG"),
	LOCAL("+CGSN"),
	LOCAL("+CMEE"),
	TIMED("+COPS", 180000),
	TIMED("+CPIN", 5000),
	LOCAL("+CREG"),
	LOCAL("+CSQ"),
	LOCAL("+GMI"),
	LOCAL("+GMM"),
	LOCAL("+GMR"),
	LOCAL("+GSN"),
	LOCAL("+IFC"),
	LOCAL("+QCFG"),
	LOCAL("+QFDEL"),
	LOCAL("+QFLST"),
	TIMED("+QFOTADL", UNKNOWN_MS),
	LOCAL("+QFTPCFG"),
	FTP_ASYNC("+QFTPCLOSE"),
	FTP_ASYNC("+QFTPCWD"),
	FTP_ASYNC("+QFTPDEL"),
	FTP_ASYNC("+QFTPGET"),
	FTP_ASYNC("+QFTPLEN"),
	FTP_ASYNC("+QFTPLIST"),
	FTP_ASYNC("+QFTPMDTM"),
	FTP_ASYNC("+QFTPMKDIR"),
	FTP_ASYNC("+QFTPMLSD"),
	FTP_ASYNC("+QFTPNLST"),
	{ "+QFTPOPEN", { .async = "+QFTPOPEN:", .timeout_ms = 125000 } },
	FTP_ASYNC("+QFTPPUT"),
	FTP_ASYNC("+QFTPPWD"),
	FTP_ASYNC("+QFTPRENAME"),
	FTP_ASYNC("+QFTPRMDIR"),
	FTP_ASYNC("+QFTPSIZE"),
	FTP_ASYNC("+QFTPSTAT"),
	TIMED("+QFUPL", UNKNOWN_MS),
	LOCAL("+QGMR"),
	TIMED("+QIACT", 150000),
	LOCAL("+QICSGP"),
	TIMED("+QIDEACT", 40000),
	LOCAL("+QPOWD"),
	LOCAL("+QSSLCFG"),
	LOCAL("E"),
	LOCAL("I"),
	LOCAL("V"),
	LOCAL("Z"),
};

static const struct qlink_at_cmd_info unknown = { "?", { .timeout_ms = UNKNOWN_MS } };

const struct qlink_at_cmd_info *qlink_at_cmd_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

size_t qlink_at_cmd_name(const char *line, const char **name)
{
	const char *s;
	size_t n = 0;

	if (strncasecmp(line, "AT", 2)) {
		*name = line;
		return 0;
	}
	s = line + 2;
	*name = s;
	if (*s == '+' || *s == '$' || *s == '^') {
		n = 1;
		while (isalnum((unsigned char)s[n]) || s[n] == '_')
			n++;
		return n;
	}
	if (*s == '&')
		return isalpha((unsigned char)s[1]) ? 2 : 1;
	return isalpha((unsigned char)*s) ? 1 : 0;
}

const struct qlink_at_cmd_info *qlink_at_cmd_find(const char *line)
{
	const char *name;
	size_t len = qlink_at_cmd_name(line, &name);
	size_t lo = 0, hi = sizeof(table) / sizeof(table[0]);

	if (strncasecmp(line, "AT", 2))
		return &unknown;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *e = table[mid].name;
		int r = strncasecmp(name, e, len);

		if (!r)
			r = e[len] ? -1 : 0;
		if (!r)
			return &table[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &unknown;
}

QLINK_API const struct qlink_cmd *qlink_cmd_lookup(const char *line)
{
	return &qlink_at_cmd_find(line)->cmd;
}
