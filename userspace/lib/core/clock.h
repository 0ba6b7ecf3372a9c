/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The library's one clock for bounds and deadlines: CLOCK_MONOTONIC in
 * milliseconds, which no change of the wall clock can move.
 */
#ifndef QLINK_CLOCK_H
#define QLINK_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t qlink_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif /* QLINK_CLOCK_H */
