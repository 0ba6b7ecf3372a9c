// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The end of a job: the module's revision read back and compared.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <qlink/revision.h>

#include "core/clock.h"
#include "fota/fota-priv.h"

void fota_verify(struct qlink_fota *f, struct qlink_chan *chan)
{
	uint64_t deadline = qlink_now_ms() + f->to.boot_s * 1000ull;
	char before[64];

	fota_phase(f, QLINK_FOTA_PHASE_VERIFY);
	/* just after RDY some firmware still says ERROR to everything */
	while (qlink_revision_read(chan, f->rev_after, sizeof(f->rev_after)) < 0) {
		if (errno == ENXIO || qlink_now_ms() >= deadline) {
			if (f->outcome == QLINK_FOTA_OUTCOME_NONE)
				fota_result(
					f, QLINK_FOTA_OUTCOME_TIMEOUT,
					"END,0 and the module is back, but its revision could not be "
					"read within %u s",
					f->to.boot_s);
			return;
		}
		qlink_chan_wait(chan, PROBE_MS / 3);
	}
	if (f->outcome != QLINK_FOTA_OUTCOME_NONE) {
		size_t n = strlen(f->msg);

		snprintf(f->msg + n, sizeof(f->msg) - n, "; it runs %s", f->rev_after);
		return;
	}
	snprintf(before, sizeof(before), "%s", f->rev_before[0] ? f->rev_before : "?");
	if (f->expect && strcmp(f->expect, f->rev_after)) {
		fota_result(f, QLINK_FOTA_OUTCOME_MISMATCH,
			    "END,0, but the module runs %s, not the expected %s", f->rev_after,
			    f->expect);
		snprintf(f->advice, sizeof(f->advice), "%s",
			 "check that the package is the one for the expected revision");
		return;
	}
	f->code = 0;
	f->space = QLINK_CODE_FOTA;
	fota_result(f, QLINK_FOTA_OUTCOME_UPGRADED, "upgraded %s -> %s%s", before, f->rev_after,
		    !strcmp(before, f->rev_after) ? " (the revision did not change)" : "");
}
