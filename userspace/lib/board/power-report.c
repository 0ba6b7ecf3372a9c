// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * What a power operation did and saw (include/qlink/power.h), an object
 * so that the sentences' room is not part of the ABI.
 */
#include <stdlib.h>

#include <qlink/power.h>

#include "core/api.h"
#include "board/power-priv.h"

QLINK_API struct qlink_power_report *qlink_power_report_new(void)
{
	return calloc(1, sizeof(struct qlink_power_report));
}

QLINK_API void qlink_power_report_free(struct qlink_power_report *rep)
{
	free(rep);
}

QLINK_API enum qlink_power_state qlink_power_report_get_state(const struct qlink_power_report *rep)
{
	return rep ? rep->state : QLINK_POWER_UNKNOWN;
}

QLINK_API uint64_t qlink_power_report_get_pulse_ns(const struct qlink_power_report *rep)
{
	return rep ? rep->pulse_ns : 0;
}

QLINK_API unsigned int qlink_power_report_get_waited_ms(const struct qlink_power_report *rep)
{
	return rep ? rep->waited_ms : 0;
}

QLINK_API const char *qlink_power_report_get_seen(const struct qlink_power_report *rep)
{
	return rep ? rep->seen : "";
}

QLINK_API const char *qlink_power_report_get_how(const struct qlink_power_report *rep)
{
	return rep ? rep->how : "";
}
