/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Credential scrubbing for text an application prints or logs.
 */
#ifndef QLINK_REDACT_H
#define QLINK_REDACT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * qlink_redact() - copy a line with its credentials replaced by "***"
 * @in:  a command or response line
 * @out: destination, always NUL-terminated
 * @len: size of @out (at least 1); 2 * strlen(@in) + 16 always suffices
 *
 * Masks the password of AT+QFTPCFG="account" (and its query response),
 * of AT+QICSGP (and its query response), and of every
 * scheme://user:password@ URL.
 *
 * Return: strlen(@out).
 */
size_t qlink_redact(const char *in, char *out, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_REDACT_H */
