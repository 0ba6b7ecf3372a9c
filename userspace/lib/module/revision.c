// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The module's revision: read with AT+GMR, and what its string says
 * (model family, flash variant).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <qlink/chan.h>
#include <qlink/revision.h>

#include "core/api.h"

/* The variant ends the base revision; a build suffix may follow '_'. */
QLINK_API int qlink_revision_flash_mb(const char *rev)
{
	size_t n;

	if (!rev) {
		errno = EINVAL;
		return -1;
	}
	n = strcspn(rev, "_ \t");
	if (n >= 3 && !strncmp(rev + n - 3, "M08", 3))
		return 8;
	if (n >= 3 && !strncmp(rev + n - 3, "M16", 3))
		return 16;
	errno = EINVAL;
	return -1;
}

/* Two letters, three digits, one letter: EC200T, EC600N, EG912Y. */
QLINK_API int qlink_revision_model(const char *rev, char *buf, size_t len)
{
	int i;

	if (!rev || !buf) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < 6; i++) {
		int c = (unsigned char)rev[i];

		if (i < 2 || i == 5 ? !isupper(c) : !isdigit(c)) {
			errno = EINVAL;
			return -1;
		}
	}
	if (len < 7) {
		errno = ERANGE;
		return -1;
	}
	memcpy(buf, rev, 6);
	buf[6] = '\0';
	return 0;
}

/* AT+GMR answers the bare revision; some firmware prefixes "Revision:" as ATI does. */
QLINK_API bool qlink_revision_model_known(const char *model)
{
	/* DFOTA guide chapter 1, and FIELD-NOTES for the EC800N */
	static const char *const known[] = { "EC200T", "EC200S", "EC200N", "EC600S",
					     "EC600N", "EG912Y", "EC800N" };
	size_t i;

	for (i = 0; model && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(model, known[i]))
			return true;
	return false;
}

QLINK_API int qlink_revision_read(struct qlink_chan *chan, char *buf, size_t len)
{
	struct qlink_resp *r = NULL;
	const char *l;
	int ret;

	if (!chan || !buf || !len) {
		errno = EINVAL;
		return -1;
	}
	ret = qlink_chan_exec(chan, "AT+GMR", NULL, &r);
	if (!ret) {
		l = qlink_resp_get_line(r, 0);
		if (l && !strncmp(l, "Revision:", 9))
			l += 9;
		while (l && *l == ' ')
			l++;
		if (l && *l) {
			snprintf(buf, len, "%s", l);
		} else {
			ret = -1;
			errno = EPROTO;
		}
	}
	qlink_resp_free(r);
	return ret;
}
