/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef QLINK_REDACT_H
#define QLINK_REDACT_H

#include <stddef.h>

/**
 * qlink_redact() - copy a line with its credentials replaced by "***"
 * @in:  a command or response line
 * @out: destination, always NUL-terminated
 * @len: size of @out (at least 1)
 *
 * Masks the password of AT+QFTPCFG="account" (and its query response),
 * of AT+QICSGP, and of any scheme://user:password@ URL.
 *
 * Return: strlen(@out).
 */
size_t qlink_redact(const char *in, char *out, size_t len);

#endif /* QLINK_REDACT_H */
