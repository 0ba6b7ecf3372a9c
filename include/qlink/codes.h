/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Result codes the module reports, with their meaning.
 *
 * The manuals number several code spaces independently and the numbers
 * collide (FTP protocol 550 is "file unavailable", FOTA 552 is "package
 * built for another project"), so every look-up names its space.
 */
#ifndef QLINK_CODES_H
#define QLINK_CODES_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum qlink_code_space - which table a module code belongs to
 * @QLINK_CODE_CME: +CME ERROR: numbers (3GPP TS 27.007 and the module's
 *                  own extensions: the FILE commands' 400-426, and 6xx/7xx,
 *                  which are looked up in the FTP and HTTP tables)
 * @QLINK_CODE_FTP: <err> of +QFTPxxx: results and <FTP_err> of FOTA (601-631)
 * @QLINK_CODE_FTP_PROTOCOL: <protocol_error>, the server's reply (421-553)
 * @QLINK_CODE_HTTP: <HTTP_err> of FOTA over HTTP(S) (701-730)
 * @QLINK_CODE_FILE: <file_err> of FOTA from a host file (500)
 * @QLINK_CODE_FOTA: <err> of +QIND: "FOTA","END" (504-507, 552, 553)
 */
enum qlink_code_space {
	QLINK_CODE_CME,
	QLINK_CODE_FTP,
	QLINK_CODE_FTP_PROTOCOL,
	QLINK_CODE_HTTP,
	QLINK_CODE_FILE,
	QLINK_CODE_FOTA,
};

/**
 * qlink_code_str() - English meaning of a module code
 * @space: the table @code belongs to
 * @code:  the number the module reported
 *
 * Return: a static string; 0 maps to "Operation successful". Never NULL:
 * an unknown code gives "Unknown code" so callers can always print it.
 */
const char *qlink_code_str(enum qlink_code_space space, int code);

/**
 * qlink_code_known() - whether @code appears in the manuals' table @space
 * @space: the table to look in
 * @code:  the number to look up
 *
 * Return: true if known.
 */
bool qlink_code_known(enum qlink_code_space space, int code);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_CODES_H */
