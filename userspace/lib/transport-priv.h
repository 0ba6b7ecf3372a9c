/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef QLINK_TRANSPORT_PRIV_H
#define QLINK_TRANSPORT_PRIV_H

#include <qlink/transport.h>

struct qlink_transport {
	const struct qlink_transport_ops *ops;
	void *priv;
};

#endif /* QLINK_TRANSPORT_PRIV_H */
