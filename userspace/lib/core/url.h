/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef QLINK_CORE_URL_H
#define QLINK_CORE_URL_H

#include <stdbool.h>
#include <stddef.h>

#include <qlink/url.h>

/* Offsets and lengths into the text url_split() was given. */
struct url_span {
	size_t off, len;
};

struct url_parts {
	struct url_span scheme, user, pass, host, port;
	size_t path; /* where the authority ends */
	bool has_user, has_pass;
};

/*
 * url_split() - the parts of the URL that starts at @s, by its structure
 *
 * The scheme is the letters before "://" (from @s on); the authority runs
 * from there to the first '/', '"' or control character, the
 * user information to its last '@', the password from the first ':' in
 * it. Nothing is decoded or checked beyond that: the masking of text that
 * merely holds a URL and qlink_url_parse() share this one reading.
 *
 * Return: 0, or -1 when @s does not start with scheme "://".
 */
int url_split(const char *s, struct url_parts *u);

/* Whether @c may be part of a scheme (RFC 3986 3.1). */
bool url_scheme_char(int c);

#endif /* QLINK_CORE_URL_H */
