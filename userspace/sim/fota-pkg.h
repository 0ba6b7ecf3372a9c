/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * The simulated FOTA package: the vendor's format is not public, so
 * qlink-sim uses its own, which carries what the module checks and
 * answers for (DFOTA guide, table 6):
 *
 *   QLINK-FOTA 1\n
 *   project: EC200T\n            552 if not this module's family
 *   baseline: EC200TCNDAR02\n    553 if not this firmware's baseline
 *   source: EC200TCNDAR02A07M16\n  507 if a delta for another revision
 *   target: EC200TCNDAR02A08M16\n
 *   kind: full|delta|mini_1|mini_2\n
 *   length: N\n                  505 if the body is not N bytes
 *   md5: 32 hex digits\n         506 if the body's MD5 differs
 *   \n
 *   N bytes of body
 *
 * A header that does not parse is a package check error (505).
 */
#ifndef QLINK_FOTA_PKG_H
#define QLINK_FOTA_PKG_H

#include <stddef.h>

struct fota_pkg {
	char project[16];
	char baseline[64];
	char source[64];
	char target[64];
	char kind[8];
	size_t length;
	char md5[33];
};

/* The baseline of a revision: it without its last AxxVyyMzz/AxxMzz part. */
void fota_baseline(const char *revision, char *out, size_t len);

/* MD5 of @buf as 32 lowercase hex digits; 0, or -1 if no MD5 is available. */
int fota_md5_hex(const void *buf, size_t len, char out[33]);

/**
 * fota_pkg_parse() - read a package's header
 * @buf, @len: the package
 * @pkg:       its header
 * @body:      set to the offset of the body
 *
 * Return: 0, or the module's <err>: 505 (malformed or truncated) or 506
 * (body's MD5 differs).
 */
int fota_pkg_parse(const unsigned char *buf, size_t len, struct fota_pkg *pkg, size_t *body);

/**
 * fota_pkg_check() - may this module apply this package?
 * @pkg:      a parsed header
 * @family:   the module's family, e.g. "EC200T"
 * @revision: its current firmware revision
 * @kind:     what this step expects: "full", "delta", "mini_1", "mini_2"
 *
 * Return: 0, or 552 (project), 553 (baseline), 507 (source or kind).
 */
int fota_pkg_check(const struct fota_pkg *pkg, const char *family, const char *revision,
		   const char *kind);

#endif
