/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The final result codes that end an AT command (V.25ter and 3GPP 27.007),
 * on their own so that the parser needs nothing of the channel's API.
 */
#ifndef QLINK_RESULT_H
#define QLINK_RESULT_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum qlink_result - the final result code that ended a command
 * @QLINK_RESULT_NONE: no final result (timeout, cancelled, port lost)
 * @QLINK_RESULT_OK: OK
 * @QLINK_RESULT_ERROR: ERROR
 * @QLINK_RESULT_CME_ERROR: +CME ERROR: <n>
 * @QLINK_RESULT_CMS_ERROR: +CMS ERROR: <n>
 * @QLINK_RESULT_NO_CARRIER: NO CARRIER
 * @QLINK_RESULT_CONNECT: CONNECT [text], when the command has no data phase
 * @QLINK_RESULT_BUSY: BUSY
 * @QLINK_RESULT_NO_ANSWER: NO ANSWER
 * @QLINK_RESULT_NO_DIALTONE: NO DIALTONE
 */
enum qlink_result {
	QLINK_RESULT_NONE,
	QLINK_RESULT_OK,
	QLINK_RESULT_ERROR,
	QLINK_RESULT_CME_ERROR,
	QLINK_RESULT_CMS_ERROR,
	QLINK_RESULT_NO_CARRIER,
	QLINK_RESULT_CONNECT,
	QLINK_RESULT_BUSY,
	QLINK_RESULT_NO_ANSWER,
	QLINK_RESULT_NO_DIALTONE,
};

#ifdef __cplusplus
}
#endif

#endif /* QLINK_RESULT_H */
