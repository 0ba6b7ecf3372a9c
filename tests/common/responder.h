/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * A scripted AT responder on a pty, for the pty tests and the demo until
 * qlink-sim exists. It answers command lines from a script:
 *
 *   # comment
 *   ! RDY                 sent once, when the pty is created (waits in
 *                         its buffer until the port is opened)
 *   > AT+CSQ              a command line (exact), or > * for any other
 *   < +QIND: "csq",23,99  response lines, each sent as CR LF text CR LF
 *   < +CSQ: 23,99
 *   < OK
 *   > AT+HANG
 *   < %hangup             close the port mid-command (port lost)
 *
 * A command with no '<' lines gets no answer (timeouts). It shares no
 * code with libqlink's parser.
 */
#ifndef QLINK_TEST_RESPONDER_H
#define QLINK_TEST_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>

struct responder;

/** Create a pty and load @script; the slave's path is in @path. */
struct responder *responder_new(const char *script, bool echo, char *path, size_t len);

/** The master side, to poll for POLLIN. */
int responder_fd(const struct responder *r);

/**
 * responder_step() - answer what has arrived
 *
 * Return: 0, or -1 once the script hung up (%hangup).
 */
int responder_step(struct responder *r);

/** Number of command lines received so far. */
unsigned int responder_commands(const struct responder *r);

void responder_free(struct responder *r);

#endif
