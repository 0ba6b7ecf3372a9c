/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The module's own storage (UFS:, RAM:, SD:) as the FILE application
 * guide describes it: AT+QFLST, AT+QFUPL, AT+QFDWL, AT+QFDEL. Useful to
 * stage a file for AT+QFTPPUT or after AT+QFTPGET, and for FOTA packages.
 *
 * Transfers are checked end to end: the guide's 16-bit checksum (XOR of
 * big-endian byte pairs) the module reports is compared with the host's.
 * On failure, functions return -1 with errno and leave one sentence
 * naming the command, the module's code and its meaning on the channel:
 * qlink_chan_get_error().
 */
#ifndef QLINK_FILE_H
#define QLINK_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <qlink/chan.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * qlink_file_checksum() - the FILE guide's checksum of @len bytes
 * @prev: 0 to start, or the checksum of the bytes before (even count)
 */
unsigned int qlink_file_checksum(unsigned int prev, const void *buf, size_t len);

/**
 * qlink_file_size() - size of a module file (AT+QFLST)
 * Return: 0, or -1 with errno ENOENT (no such file), EINVAL, EIO, ETIMEDOUT, ENXIO.
 */
int qlink_file_size(struct qlink_chan *chan, const char *file, uint64_t *size);

/**
 * qlink_file_upload() - copy @len bytes from @fd (at its offset 0) to @file
 * (AT+QFUPL), replacing it
 * Return: 0, or -1 with errno (EPROTO: the module's checksum or length
 * differs from what was sent; EIO; ETIMEDOUT; ENXIO; EINVAL).
 */
int qlink_file_upload(struct qlink_chan *chan, int fd, uint64_t len, const char *file);

/**
 * qlink_file_download() - copy @file to @fd (AT+QFDWL), framed by the size
 * AT+QFLST reports, checked against the length and checksum the module
 * reports after it
 * @len: if not NULL, the bytes written
 */
int qlink_file_download(struct qlink_chan *chan, const char *file, int fd, uint64_t *len);

/** qlink_file_delete() - AT+QFDEL; ENOENT if there is no such file. */
int qlink_file_delete(struct qlink_chan *chan, const char *file);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_FILE_H */
