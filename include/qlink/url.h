/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * URLs of FTP and HTTP servers, parsed by their structure: the one parser
 * behind qlink's masking of credentials and every URL qlink takes.
 */
#ifndef QLINK_URL_H
#define QLINK_URL_H

#ifdef __cplusplus
extern "C" {
#endif

struct qlink_url;

/**
 * qlink_url_parse() - split scheme://[user[:password]@]host[:port][/path]
 * @text: the URL
 *
 * The authority runs to the first '/'; the user information to its last
 * '@', so a password may hold '@', ',', '#', '?' or spaces; the
 * password starts at the first ':' in it. %XX escapes in the user and the
 * password are decoded. A host in brackets is an IPv6 address.
 *
 * Return: a new URL for qlink_url_free(), or NULL with errno EINVAL (no
 * scheme, empty host, a port that is not 1-65535, a bad or NUL %XX
 * escape, a '"' or control character anywhere) or ENOMEM.
 */
struct qlink_url *qlink_url_parse(const char *text);

/** qlink_url_free() - wipe the password and free @url (NULL is fine). */
void qlink_url_free(struct qlink_url *url);

/** qlink_url_get_scheme() - the scheme in lower case ("ftp", "https"). */
const char *qlink_url_get_scheme(const struct qlink_url *url);

/** qlink_url_get_user() - the user, decoded; "" when the URL has none. */
const char *qlink_url_get_user(const struct qlink_url *url);

/** qlink_url_get_password() - the password, decoded; NULL when none is given. */
const char *qlink_url_get_password(const struct qlink_url *url);

/** qlink_url_get_host() - the host, without the brackets of an IPv6 address. */
const char *qlink_url_get_host(const struct qlink_url *url);

/** qlink_url_get_port() - the port, or 0 when the URL names none. */
unsigned int qlink_url_get_port(const struct qlink_url *url);

/** qlink_url_get_path() - the rest after the authority, as given: "" or "/...". */
const char *qlink_url_get_path(const struct qlink_url *url);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_URL_H */
