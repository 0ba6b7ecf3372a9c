/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/*
 * An in-memory transport for tests: input is handed to the channel in
 * exactly the pieces the test queued (one byte, random splits, whole),
 * and everything the channel writes is kept for inspection.
 */
#ifndef QLINK_TEST_MEM_TRANSPORT_H
#define QLINK_TEST_MEM_TRANSPORT_H

#include <stddef.h>
#include <qlink/transport.h>

struct mem_transport;

/**
 * mem_transport_new() - create the transport and its test handle
 * @mt: set to the handle the test drives; freed with the transport
 *
 * Return: a transport for qlink_chan_new(), or NULL.
 */
struct qlink_transport *mem_transport_new(struct mem_transport **mt);

/** Queue @len bytes to be returned by one read() (0 < len). */
void mem_transport_push(struct mem_transport *mt, const void *buf, size_t len);

/** Queue a string, split into pieces of at most @piece bytes (0: whole). */
void mem_transport_push_str(struct mem_transport *mt, const char *s, size_t piece);

/** Bytes not yet read by the channel. */
size_t mem_transport_pending(const struct mem_transport *mt);

/** Everything written so far, NUL-terminated; see _clear_output(). */
const char *mem_transport_output(const struct mem_transport *mt, size_t *len);
void mem_transport_clear_output(struct mem_transport *mt);

/** Make write() accept at most @n bytes per call (0: unlimited). */
void mem_transport_write_limit(struct mem_transport *mt, size_t n);

/**
 * mem_transport_write_budget() - how many more bytes write() accepts
 * @n: after @n bytes, write() returns 0 (device full) until the budget
 *     is raised again; (size_t)-1 (the default) is unlimited
 */
void mem_transport_write_budget(struct mem_transport *mt, size_t n);

/** Make the next read() fail with @err (e.g. ENXIO: port gone). */
void mem_transport_fail(struct mem_transport *mt, int err);

#endif
