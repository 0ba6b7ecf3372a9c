/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * What a firmware revision string says about the module.
 *
 * EC200TCNDAR02A07M16: model EC200T, 16 MB flash. The flash variant
 * decides how FOTA works (8 MB parts take two MiniFOTA packages by URL
 * only), so it is read from the revision, never assumed.
 */
#ifndef QLINK_REVISION_H
#define QLINK_REVISION_H

#include <stdbool.h>
#include <stddef.h>

struct qlink_chan;

#ifdef __cplusplus
extern "C" {
#endif

/**
 * qlink_revision_flash_mb() - flash size from a revision string
 * @rev: e.g. "EC200NCNLAR03A01M08" (a trailing "_01.001" build suffix
 *       is allowed)
 *
 * Return: 8 or 16, or -1 with errno EINVAL if @rev carries neither
 * "M08" nor "M16" where the variant belongs.
 */
int qlink_revision_flash_mb(const char *rev);

/**
 * qlink_revision_model() - model family from a revision string
 * @rev: e.g. "EC200TCNDAR02A07M16"
 * @buf: receives e.g. "EC200T"
 * @len: size of @buf (at least 7)
 *
 * Return: 0, or -1 with errno EINVAL (not a Quectel revision) or ERANGE.
 */
int qlink_revision_model(const char *rev, char *buf, size_t len);

/**
 * qlink_revision_model_known() - whether the manuals cover a model family
 * @model: as qlink_revision_model() gives it, e.g. "EC200T"
 *
 * The DFOTA guide's models (EC200T, EC200S, EC200N, EC600S, EC600N,
 * EG912Y) and the EC800N of the same platform. For any other (EC200U,
 * EC200A, EG915U...) qlink's FOTA rules, taken from the flash suffix of
 * the revision alone, are an assumption.
 *
 * Return: true for a covered family; false otherwise, also for NULL.
 */
bool qlink_revision_model_known(const char *model);

/**
 * qlink_revision_read() - read the module's firmware revision (AT+GMR)
 * @chan: a channel to the module
 * @buf:  receives the revision, e.g. "EC200TCNDAR02A07M16" (a leading
 *        "Revision: ", which some firmware prints, is dropped)
 * @len:  size of @buf; a longer revision is cut to fit
 *
 * Return: 0, or -1 with errno EINVAL (NULL argument or @len 0), EPROTO
 * (the answer held no revision), or the channel's errno (ETIMEDOUT,
 * ENXIO, EIO when the module answered ERROR).
 */
int qlink_revision_read(struct qlink_chan *chan, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_REVISION_H */
