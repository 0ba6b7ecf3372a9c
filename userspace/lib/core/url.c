// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The URL object, and the one reading of a URL's structure that the
 * masking of credentials shares with it: a password is masked exactly
 * where a parser finds it, whatever characters it holds.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/api.h"
#include "core/url.h"

struct qlink_url {
	char *scheme, *user, *pass, *host, *path;
	unsigned int port;
};

bool url_scheme_char(int c)
{
	return isascii(c) && (isalnum(c) || c == '+' || c == '-' || c == '.');
}

/*
 * Not at '?' or '#' as RFC 3986 has it: a password typed into a URL may
 * hold them, and the masking must not stop short of it. What the modules
 * fetch are paths, which start with '/'.
 */
static bool authority_end(int c)
{
	return c == '/' || c == '"' || (unsigned char)c < 0x20 || c == 0x7f;
}

int url_split(const char *s, struct url_parts *u)
{
	size_t i = 0, auth, end, at, host_end;
	const char *colon;

	memset(u, 0, sizeof(*u));
	while (url_scheme_char((unsigned char)s[i]))
		i++;
	if (!i || !isalpha((unsigned char)s[0]) || strncmp(s + i, "://", 3))
		return -1;
	u->scheme.len = i;
	auth = i + 3;
	for (end = auth; !authority_end(s[end]); end++)
		;
	u->path = end;
	/* the last '@': a password may hold one, a host never does */
	at = end;
	while (at > auth && s[at - 1] != '@')
		at--;
	if (at > auth) {
		at--;
		u->has_user = true;
		u->user.off = auth;
		colon = memchr(s + auth, ':', at - auth);
		u->user.len = (colon ? (size_t)(colon - s) : at) - auth;
		if (colon) {
			u->has_pass = true;
			u->pass.off = (size_t)(colon - s) + 1;
			u->pass.len = at - u->pass.off;
		}
		auth = at + 1;
	}
	u->host.off = auth;
	host_end = end;
	if (s[auth] == '[') {
		const char *rb = memchr(s + auth, ']', end - auth);

		if (rb)
			host_end = (size_t)(rb - s) + 1;
	} else {
		colon = memchr(s + auth, ':', end - auth);
		if (colon)
			host_end = (size_t)(colon - s);
	}
	u->host.len = host_end - auth;
	if (host_end < end && s[host_end] == ':') {
		u->port.off = host_end + 1;
		u->port.len = end - host_end - 1;
	}
	return 0;
}

/* %XX escapes decoded; NULL with EINVAL for a bad one or a NUL */
static char *decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '%') {
			char hex[3];
			char *end;

			if (i + 2 >= n)
				goto bad;
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			hex[2] = '\0';
			if (!isxdigit((unsigned char)hex[0]) || !isxdigit((unsigned char)hex[1]))
				goto bad;
			c = (int)strtol(hex, &end, 16);
			if (!c)
				goto bad;
			i += 2;
		}
		*o++ = (char)c;
	}
	*o = '\0';
	return out;
bad:
	explicit_bzero(out, n + 1);
	free(out);
	errno = EINVAL;
	return NULL;
}

static char *dup_span(const char *s, struct url_span sp)
{
	return strndup(s + sp.off, sp.len);
}

QLINK_API struct qlink_url *qlink_url_parse(const char *text)
{
	struct qlink_url *url;
	struct url_parts p;
	const char *c;
	size_t i;

	if (!text || url_split(text, &p) < 0)
		goto inval;
	for (c = text; *c; c++)
		if (*c == '"' || (unsigned char)*c < 0x20 || *c == 0x7f)
			goto inval;
	if (!p.host.len || (text[p.host.off] == '[' && text[p.host.off + p.host.len - 1] != ']'))
		goto inval;
	url = calloc(1, sizeof(*url));
	if (!url)
		return NULL;
	if (p.port.off) {
		unsigned long port = 0;

		for (i = 0; i < p.port.len; i++) {
			if (!isdigit((unsigned char)text[p.port.off + i]) || port > 65535)
				break;
			port = port * 10 + (unsigned long)(text[p.port.off + i] - '0');
		}
		if (!p.port.len || i < p.port.len || !port || port > 65535) {
			free(url);
			goto inval;
		}
		url->port = (unsigned int)port;
	}
	if (text[p.host.off] == '[') {
		p.host.off++;
		p.host.len -= 2;
	}
	url->scheme = dup_span(text, p.scheme);
	url->host = dup_span(text, p.host);
	url->path = strdup(text + p.path);
	url->user = p.has_user ? decode(text + p.user.off, p.user.len) : strdup("");
	if (p.has_pass)
		url->pass = decode(text + p.pass.off, p.pass.len);
	if (!url->scheme || !url->host || !url->path || !url->user || (p.has_pass && !url->pass)) {
		int e = errno;

		qlink_url_free(url);
		errno = e == EINVAL ? EINVAL : ENOMEM;
		return NULL;
	}
	for (i = 0; url->scheme[i]; i++)
		url->scheme[i] = (char)tolower((unsigned char)url->scheme[i]);
	if (!*url->host) {
		qlink_url_free(url);
		goto inval;
	}
	return url;
inval:
	errno = EINVAL;
	return NULL;
}

QLINK_API void qlink_url_free(struct qlink_url *url)
{
	if (!url)
		return;
	if (url->pass) {
		explicit_bzero(url->pass, strlen(url->pass));
		free(url->pass);
	}
	free(url->scheme);
	free(url->user);
	free(url->host);
	free(url->path);
	free(url);
}

QLINK_API const char *qlink_url_get_scheme(const struct qlink_url *url)
{
	return url->scheme;
}

QLINK_API const char *qlink_url_get_user(const struct qlink_url *url)
{
	return url->user;
}

QLINK_API const char *qlink_url_get_password(const struct qlink_url *url)
{
	return url->pass;
}

QLINK_API const char *qlink_url_get_host(const struct qlink_url *url)
{
	return url->host;
}

QLINK_API unsigned int qlink_url_get_port(const struct qlink_url *url)
{
	return url->port;
}

QLINK_API const char *qlink_url_get_path(const struct qlink_url *url)
{
	return url->path;
}
