// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * Credential scrubbing for everything libqlink prints or returns as text:
 * logs, error messages, responses kept for the caller's messages.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/api.h"
#include "core/redact.h"
#include "core/url.h"

struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, const char *s, size_t n)
{
	size_t room = o->len - 1 - o->pos;

	if (n > room)
		n = room;
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
}

/* Length of a parameter starting at @s: a quoted string or up to ','. */
static size_t param_len(const char *s)
{
	const char *e;

	if (*s == '"') {
		e = strchr(s + 1, '"');
		return e ? (size_t)(e - s) + 1 : strlen(s);
	}
	e = strchr(s, ',');
	return e ? (size_t)(e - s) : strlen(s);
}

/* Skip @n parameters after @s; return where the next one starts or NULL. */
static const char *skip_params(const char *s, int n)
{
	while (n--) {
		s += param_len(s);
		if (*s != ',')
			return NULL;
		s++;
	}
	return s;
}

/*
 * Which parameter holds a password, counting from the first after '=' or
 * ':' (0-based), for the commands and responses that carry one.
 */
static const char *secret_param(const char *line)
{
	const char *s;

	s = strcasestr(line, "\"account\",");
	if (s)
		return skip_params(s + 10, 1);
	s = strcasestr(line, "+QICSGP");
	if (s) {
		int skip;

		/*
		 * AT+QICSGP=<cid>,<type>,<APN>,<user>,<password>,...; the query
		 * response +QICSGP: <type>,<APN>,<user>,<password>,... has no cid.
		 */
		s = strpbrk(s, "=:");
		if (!s)
			return NULL;
		skip = *s == '=' ? 4 : 3;
		s++;
		while (*s == ' ')
			s++;
		return skip_params(s, skip);
	}
	return NULL;
}

/*
 * The password of the next scheme://user:password@host in @s: its start,
 * and its end in @end. Read by the URL's structure (url_split()), so a
 * password holding ',', ' ' or '@' is masked whole.
 */
static const char *url_secret(const char *s, const char **end)
{
	const char *p = strstr(s, "://");

	while (p) {
		const char *start = p;
		struct url_parts u;

		while (start > s && url_scheme_char((unsigned char)start[-1]))
			start--;
		/* a scheme starts with a letter: "1.ftp://" is "ftp://" */
		while (start < p && !isalpha((unsigned char)*start))
			start++;
		if (start < p && !url_split(start, &u)) {
			if (u.has_pass) {
				*end = start + u.pass.off + u.pass.len;
				return start + u.pass.off;
			}
			p = start + u.path;
		} else {
			p += 3;
		}
		p = strstr(p, "://");
	}
	return NULL;
}

QLINK_API size_t qlink_redact(const char *in, char *out, size_t len)
{
	struct out o = { out, len, 0 };
	const char *sec, *end;

	sec = secret_param(in);
	if (sec && *sec) {
		size_t n = param_len(sec);

		put(&o, in, (size_t)(sec - in));
		put(&o, sec[0] == '"' ? "\"***\"" : "***", sec[0] == '"' ? 5 : 3);
		in = sec + n;
	}
	while ((sec = url_secret(in, &end))) {
		put(&o, in, (size_t)(sec - in));
		put(&o, "***", 3);
		in = end;
	}
	put(&o, in, strlen(in));
	out[o.pos] = '\0';
	return o.pos;
}
