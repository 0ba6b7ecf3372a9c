// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Parsers for AT+QFTP* results and MLSD listings. See ftp-parse.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/api.h"
#include "ftp/ftp-parse.h"

static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

int qlink_ftp_parse_result(const char *line, int *err, char *val, size_t len)
{
	const char *s = strchr(line, ':'), *end;
	char *num_end;
	long e;
	size_t n;

	if (!s || !len)
		return -1;
	s = skip_spaces(s + 1);
	if (*s < '0' || *s > '9')
		return -1;
	e = strtol(s, &num_end, 10);
	if (e > 65535)
		return -1;
	s = skip_spaces(num_end);
	val[0] = '\0';
	*err = (int)e;
	if (!*s)
		return 0;
	if (*s != ',')
		return -1;
	s = skip_spaces(s + 1);
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	if (end - s >= 2 && *s == '"' && end[-1] == '"') {
		s++;
		end--;
	}
	n = (size_t)(end - s);
	if (n >= len)
		return -1;
	memcpy(val, s, n);
	val[n] = '\0';
	return 0;
}

int qlink_ftp_parse_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (*s < '0' || *s > '9' || x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static int digits(const char *s, int n)
{
	int v = 0;

	while (n--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

static int days_in(int y, int mo)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[mo - 1] + (mo == 2 && leap);
}

int qlink_ftp_parse_time(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	int y = digits(s, 4), mo, d, h, mi, se;
	size_t i;

	if (strlen(s) < 14 || y < 1970)
		return -1;
	mo = digits(s + 4, 2);
	d = digits(s + 6, 2);
	h = digits(s + 8, 2);
	mi = digits(s + 10, 2);
	se = digits(s + 12, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    se < 0 || se > 60)
		return -1;
	if (s[14]) {
		/* RFC 3659 allows fractions of a second; they are dropped */
		if (s[14] != '.' || !s[15])
			return -1;
		for (i = 15; s[i]; i++)
			if (s[i] < '0' || s[i] > '9')
				return -1;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	if (d > days_in(y, mo))
		return -1; /* timegm() would make 31 February 3 March */
	*t = timegm(&tm);  /* second 60, a leap second, is the next minute's 0 */
	return *t == (time_t)-1 ? -1 : 0;
}

static enum qlink_ftp_type parse_type(const char *v, size_t n)
{
	static const struct {
		const char *name;
		enum qlink_ftp_type type;
	} types[] = {
		{ "file", QLINK_FTP_FILE },	     { "dir", QLINK_FTP_DIR },
		{ "cdir", QLINK_FTP_CDIR },	     { "pdir", QLINK_FTP_PDIR },
		{ "OS.unix=slink", QLINK_FTP_LINK }, { "OS.unix=symlink", QLINK_FTP_LINK },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].name) == n && !strncasecmp(v, types[i].name, n))
			return types[i].type;
	if (n > 14 && !strncasecmp(v, "OS.unix=slink:", 14))
		return QLINK_FTP_LINK;
	return QLINK_FTP_OTHER;
}

/* One "fact=value;...; name" line (NUL-terminated, no CR/LF). */
static int parse_line(const char *line, struct qlink_ftp_entry *e)
{
	const char *sp = strstr(line, "; "), *f = line;
	char tmp[32];

	/* facts end at the first "; "; a line with no facts starts with ' ' */
	if (line[0] == ' ')
		sp = line - 1;
	if (!sp || !sp[2])
		return -1;
	memset(e, 0, sizeof(*e));
	e->type = QLINK_FTP_OTHER;
	e->size = -1;
	e->mtime = -1;
	while (f <= sp && *f != ' ') {
		const char *semi = memchr(f, ';', (size_t)(sp + 1 - f));
		const char *eq = memchr(f, '=', (size_t)(semi - f));
		size_t klen, vlen;
		uint64_t size;

		if (!semi || !eq)
			return -1;
		klen = (size_t)(eq - f);
		vlen = (size_t)(semi - eq - 1);
		if (klen == 4 && !strncasecmp(f, "type", 4)) {
			e->type = parse_type(eq + 1, vlen);
		} else if ((klen == 4 && !strncasecmp(f, "size", 4)) ||
			   (klen == 4 && !strncasecmp(f, "sizd", 4))) {
			if (vlen >= sizeof(tmp))
				return -1;
			memcpy(tmp, eq + 1, vlen);
			tmp[vlen] = '\0';
			if (qlink_ftp_parse_u64(tmp, &size) || size > INT64_MAX)
				return -1;
			e->size = (int64_t)size;
		} else if (klen == 6 && !strncasecmp(f, "modify", 6)) {
			if (vlen >= sizeof(tmp))
				return -1;
			memcpy(tmp, eq + 1, vlen);
			tmp[vlen] = '\0';
			if (qlink_ftp_parse_time(tmp, &e->mtime))
				return -1;
		}
		f = semi + 1;
	}
	e->name = strdup(sp + 2);
	return e->name ? 0 : -2;
}

QLINK_API void qlink_ftp_entries_free(struct qlink_ftp_entry *entries, size_t n)
{
	size_t i;

	for (i = 0; entries && i < n; i++)
		free(entries[i].name);
	free(entries);
}

int qlink_ftp_parse_mlsd(const char *buf, size_t len, struct qlink_ftp_entry **entries, size_t *n,
			 size_t *bad)
{
	struct qlink_ftp_entry *v = NULL;
	size_t count = 0, cap = 0, lineno = 0, off = 0;
	char line[1024];
	int err;

	*bad = 0;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (buf + off)) : len - off;
		size_t next = off + l + (nl ? 1 : 0);

		lineno++;
		if (l && buf[off + l - 1] == '\r')
			l--;
		if (!l) {
			off = next;
			continue;
		}
		if (l >= sizeof(line) || memchr(buf + off, '\0', l))
			goto malformed;
		memcpy(line, buf + off, l);
		line[l] = '\0';
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct qlink_ftp_entry *nv = realloc(v, ncap * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
			cap = ncap;
		}
		err = parse_line(line, &v[count]);
		if (err == -2)
			goto nomem;
		if (err)
			goto malformed;
		count++;
		off = next;
	}
	*entries = v;
	*n = count;
	return 0;
malformed:
	*bad = lineno;
	qlink_ftp_entries_free(v, count);
	errno = EPROTO;
	return -1;
nomem:
	qlink_ftp_entries_free(v, count);
	errno = ENOMEM;
	return -1;
}
