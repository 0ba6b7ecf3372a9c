/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef QLINK_API_H
#define QLINK_API_H

/*
 * The library builds with -fvisibility=hidden; what users may call is
 * marked here and listed in libqlink.map.
 */
#define QLINK_API __attribute__((visibility("default")))

/*
 * Transitional (issue 12): qlink_pdp_activate() as it was, with a caller's
 * buffer for the sentence, for fota.c's one call until it reads
 * qlink_chan_get_error() instead; not exported. Goes with that call.
 */
#include <stddef.h>
struct qlink_chan;
int qlink_pdp_activate_why(struct qlink_chan *chan, int cid, const char *apn, char *why,
			   size_t whylen);

#endif /* QLINK_API_H */
