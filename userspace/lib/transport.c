// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The transport object: a table of operations and their private data.
 */
#include <errno.h>
#include <stdlib.h>

#include "api.h"
#include "transport-priv.h"

QLINK_API struct qlink_transport *qlink_transport_new(const struct qlink_transport_ops *ops, void *priv)
{
	struct qlink_transport *t;

	if (!ops || !ops->read || !ops->write) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ops = ops;
	t->priv = priv;
	return t;
}

QLINK_API ssize_t qlink_transport_read(struct qlink_transport *t, void *buf, size_t len)
{
	return t->ops->read(t->priv, buf, len);
}

QLINK_API ssize_t qlink_transport_write(struct qlink_transport *t, const void *buf, size_t len)
{
	return t->ops->write(t->priv, buf, len);
}

QLINK_API int qlink_transport_get_fd(struct qlink_transport *t)
{
	return t->ops->get_fd ? t->ops->get_fd(t->priv) : -1;
}

QLINK_API void qlink_transport_free(struct qlink_transport *t)
{
	if (!t)
		return;
	if (t->ops->close)
		t->ops->close(t->priv);
	free(t);
}
