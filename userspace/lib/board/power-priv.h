/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
#ifndef QLINK_POWER_PRIV_H
#define QLINK_POWER_PRIV_H

#include <stdint.h>
#include <qlink/power.h>

/* The sentences are the library's own and short; longer ones are cut. */
struct qlink_power_report {
	enum qlink_power_state state;
	uint64_t pulse_ns;
	unsigned int waited_ms;
	char seen[128];
	char how[64];
};

#endif /* QLINK_POWER_PRIV_H */
