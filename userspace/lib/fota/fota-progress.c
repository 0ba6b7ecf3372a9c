// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * One progress figure over a whole FOTA job, whatever the variant
 * reports: see struct fota_pm.
 */
#include <string.h>

#include "fota/fota-priv.h"

#define DL_END 45 /* download or upload: 0-45 % */
#define UP_END 95 /* update: 45-95 %; MiniFOTA 0-95 % */
#define REBOOT_AT 96
#define VERIFY_AT 98

void qlink_fota_pm_init(struct fota_pm *pm, bool mini, int dl_count, int up_count)
{
	memset(pm, 0, sizeof(*pm));
	pm->p.size = sizeof(pm->p);
	pm->mini = mini;
	pm->dl_count = dl_count > 0 ? dl_count : 0;
	pm->up_count = up_count > 0 ? up_count : 100;
	pm->p.phase = QLINK_FOTA_PHASE_CHECK;
	pm->p.phase_percent = -1;
}

/* A URC value as a percent of its phase. */
static int to_percent(int value, int count)
{
	if (value < 0)
		return -1;
	if (count <= 0 || value > count)
		return value > 100 ? 100 : value;
	return value * 100 / count;
}

static bool set(struct fota_pm *pm, enum qlink_fota_phase phase, int phase_percent, int overall)
{
	struct qlink_fota_progress old = pm->p;

	pm->p.phase = phase;
	pm->p.phase_percent = phase_percent;
	if (overall > 100)
		overall = 100;
	if (overall > pm->p.percent)
		pm->p.percent = overall;
	return memcmp(&old, &pm->p, sizeof(old)) != 0;
}

bool qlink_fota_pm_phase(struct fota_pm *pm, enum qlink_fota_phase phase)
{
	int at = pm->p.percent;

	if (phase == pm->p.phase)
		return false;
	switch (phase) {
	case QLINK_FOTA_PHASE_UPDATE:
		at = pm->mini ? 0 : DL_END;
		break;
	case QLINK_FOTA_PHASE_REBOOT:
		at = REBOOT_AT;
		break;
	case QLINK_FOTA_PHASE_VERIFY:
		at = VERIFY_AT;
		break;
	case QLINK_FOTA_PHASE_DONE:
		at = 100;
		break;
	default:
		break;
	}
	return set(pm, phase, phase == QLINK_FOTA_PHASE_DONE ? 100 : -1, at);
}

bool qlink_fota_pm_urc(struct fota_pm *pm, const struct fota_urc *u)
{
	int pc;

	switch (u->kind) {
	case FOTA_URC_DL_START:
		if (pm->p.phase == QLINK_FOTA_PHASE_UPLOAD)
			return false;
		return set(pm, QLINK_FOTA_PHASE_DOWNLOAD, pm->dl_count ? 0 : -1, 0);
	case FOTA_URC_DOWNLOADING:
		if (pm->p.phase == QLINK_FOTA_PHASE_UPLOAD)
			return false; /* the bytes written say more */
		pc = to_percent(u->value, pm->dl_count ? pm->dl_count : 100);
		return set(pm, QLINK_FOTA_PHASE_DOWNLOAD, pc, pm->mini ? 0 : pc * DL_END / 100);
	case FOTA_URC_DL_END:
		if (u->value)
			return false;
		return set(pm, pm->p.phase, pm->p.phase_percent < 0 ? -1 : 100,
			   pm->mini ? 0 : DL_END);
	case FOTA_URC_START:
		if (pm->p.phase == QLINK_FOTA_PHASE_UPDATE)
			return false;
		pm->p.part = pm->mini ? 1 : 0;
		return set(pm, QLINK_FOTA_PHASE_UPDATE, 0, pm->mini ? 0 : DL_END);
	case FOTA_URC_UPDATING:
		pc = to_percent(u->value, pm->up_count);
		if (pm->mini)
			pm->p.part = pc > 60 ? 2 : 1;
		if (pm->p.phase == QLINK_FOTA_PHASE_UPDATE && pc < pm->p.phase_percent)
			pc = pm->p.phase_percent; /* a repeated or resumed URC */
		return set(pm, QLINK_FOTA_PHASE_UPDATE, pc,
			   pm->mini ? pc * UP_END / 100 : DL_END + pc * (UP_END - DL_END) / 100);
	case FOTA_URC_END:
		if (u->value)
			return false;
		return set(pm, QLINK_FOTA_PHASE_UPDATE, 100, UP_END);
	}
	return false;
}

bool qlink_fota_pm_upload(struct fota_pm *pm, uint64_t bytes, uint64_t total, unsigned int rate)
{
	int pc = total ? (int)(bytes * 100 / total) : 0;
	bool changed = pm->p.bytes != bytes || pm->p.rate != rate;

	pm->p.bytes = bytes;
	pm->p.total = total;
	pm->p.rate = rate;
	return set(pm, QLINK_FOTA_PHASE_UPLOAD, pc, pc * DL_END / 100) || changed;
}

void fota_notify(struct qlink_fota *f, bool changed)
{
	if (changed && f->cb)
		f->cb(&f->pm.p, f->cb_user);
}

void fota_phase(struct qlink_fota *f, enum qlink_fota_phase p)
{
	fota_notify(f, qlink_fota_pm_phase(&f->pm, p));
}
