/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Checking a record read from /dev/qlink-urc, apart from the reader so
 * that the unit test can feed it bytes.
 */
#ifndef QLINK_MODULE_URC_RECORD_H
#define QLINK_MODULE_URC_RECORD_H

#include <stddef.h>
#include <linux/qlink.h>

/**
 * qlink_urc_record_decode() - a record from what read() returned
 * @buf: the bytes
 * @n: how many
 * @rec: filled in
 *
 * Return: 0, or -1 with errno EPROTO (not one whole record, or one whose
 * length, text or tty name is not terminated where it says).
 */
int qlink_urc_record_decode(const void *buf, size_t n, struct qlink_urc_record *rec);

#endif /* QLINK_MODULE_URC_RECORD_H */
