// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * How a FOTA job ended: the outcome, its sentence, and the errno the run
 * returns for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "core/api.h"
#include "fota/fota-priv.h"

void fota_result(struct qlink_fota *f, enum qlink_fota_outcome o, const char *fmt, ...)
{
	va_list ap;

	f->outcome = o;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

/*
 * The one map between outcomes and errno, both ways. Each outcome has a
 * name and the errno qlink_fota_run() fails with; a failed step's errno
 * picks the outcome: ETIMEDOUT a bound passed, ENXIO the port went away,
 * anything else what the step says (@other).
 */
static const struct {
	const char *name;
	int err;
} outcomes[] = {
	[QLINK_FOTA_OUTCOME_NONE] = { "none", EIO },
	[QLINK_FOTA_OUTCOME_UPGRADED] = { "upgraded", 0 },
	[QLINK_FOTA_OUTCOME_REFUSED] = { "refused", EPERM },
	[QLINK_FOTA_OUTCOME_MODULE_ERROR] = { "module-error", EIO },
	[QLINK_FOTA_OUTCOME_INTERRUPTED] = { "interrupted", ECANCELED },
	[QLINK_FOTA_OUTCOME_MISMATCH] = { "revision-mismatch", EBADMSG },
	[QLINK_FOTA_OUTCOME_TIMEOUT] = { "timeout", ETIMEDOUT },
	[QLINK_FOTA_OUTCOME_PORT_LOST] = { "port-lost", ENXIO },
	[QLINK_FOTA_OUTCOME_NOT_RUNNING] = { "not-running", ENOENT },
	[QLINK_FOTA_OUTCOME_HOST_ERROR] = { "host-error", EIO },
	[QLINK_FOTA_OUTCOME_CANCELLED] = { "cancelled", ECANCELED },
};

#define N_OUTCOMES (sizeof(outcomes) / sizeof(outcomes[0]))

void fota_fail(struct qlink_fota *f, int err, enum qlink_fota_outcome other, const char *fmt, ...)
{
	va_list ap;

	f->err = err;
	f->outcome = err == ETIMEDOUT ? QLINK_FOTA_OUTCOME_TIMEOUT :
		     err == ENXIO     ? QLINK_FOTA_OUTCOME_PORT_LOST :
					other;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

/* What qlink_fota_run() returns the outcome as; the host's own failure keeps its errno. */
int fota_outcome_errno(const struct qlink_fota *f)
{
	if (f->outcome == QLINK_FOTA_OUTCOME_HOST_ERROR && f->err)
		return f->err;
	return (unsigned int)f->outcome < N_OUTCOMES ? outcomes[f->outcome].err : EIO;
}

QLINK_API const char *qlink_fota_outcome_name(enum qlink_fota_outcome o)
{
	return (unsigned int)o < N_OUTCOMES ? outcomes[o].name : "unknown";
}
