/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
#ifndef QLINK_FUZZ_CHECK_H
#define QLINK_FUZZ_CHECK_H

#include <stdio.h>

/* An invariant the fuzzer must never break: say which, then crash. */
#define check(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond); \
			__builtin_trap(); \
		} \
	} while (0)

#endif
