// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mem-transport.h"

struct piece {
	struct piece *next;
	size_t len, off;
	unsigned char data[];
};

struct mem_transport {
	struct piece *head, *tail;
	size_t pending;
	unsigned char *out;
	size_t out_len, out_cap;
	size_t write_limit;
	size_t budget;
	int fail;
};

static ssize_t mt_read(void *priv, void *buf, size_t len)
{
	struct mem_transport *mt = priv;
	struct piece *p = mt->head;
	size_t n;

	if (mt->fail) {
		errno = mt->fail;
		return -1;
	}
	if (!p)
		return 0;
	n = p->len - p->off;
	if (n > len)
		n = len;
	memcpy(buf, p->data + p->off, n);
	p->off += n;
	mt->pending -= n;
	if (p->off == p->len) {
		mt->head = p->next;
		if (!mt->head)
			mt->tail = NULL;
		free(p);
	}
	return (ssize_t)n;
}

static ssize_t mt_write(void *priv, const void *buf, size_t len)
{
	struct mem_transport *mt = priv;

	if (mt->write_limit && len > mt->write_limit)
		len = mt->write_limit;
	if (len > mt->budget)
		len = mt->budget;
	mt->budget -= len;
	if (mt->out_len + len + 1 > mt->out_cap) {
		size_t cap = (mt->out_len + len + 1) * 2;
		unsigned char *o = realloc(mt->out, cap);

		if (!o)
			abort();
		mt->out = o;
		mt->out_cap = cap;
	}
	memcpy(mt->out + mt->out_len, buf, len);
	mt->out_len += len;
	mt->out[mt->out_len] = '\0';
	return (ssize_t)len;
}

static void mt_close(void *priv)
{
	struct mem_transport *mt = priv;

	while (mt->head) {
		struct piece *p = mt->head;

		mt->head = p->next;
		free(p);
	}
	free(mt->out);
	free(mt);
}

static const struct qlink_transport_ops mt_ops = {
	.read = mt_read,
	.write = mt_write,
	.close = mt_close,
};

struct qlink_transport *mem_transport_new(struct mem_transport **out)
{
	struct mem_transport *mt = calloc(1, sizeof(*mt));
	struct qlink_transport *t;

	if (!mt)
		return NULL;
	mt->budget = (size_t)-1;
	t = qlink_transport_new(&mt_ops, mt);
	if (!t) {
		free(mt);
		return NULL;
	}
	*out = mt;
	return t;
}

void mem_transport_push(struct mem_transport *mt, const void *buf, size_t len)
{
	struct piece *p;

	if (!len)
		return;
	p = malloc(sizeof(*p) + len);
	if (!p)
		abort();
	p->next = NULL;
	p->len = len;
	p->off = 0;
	memcpy(p->data, buf, len);
	if (mt->tail)
		mt->tail->next = p;
	else
		mt->head = p;
	mt->tail = p;
	mt->pending += len;
}

void mem_transport_push_str(struct mem_transport *mt, const char *s, size_t piece)
{
	size_t len = strlen(s);

	if (!piece)
		piece = len;
	while (len) {
		size_t n = len < piece ? len : piece;

		mem_transport_push(mt, s, n);
		s += n;
		len -= n;
	}
}

size_t mem_transport_pending(const struct mem_transport *mt)
{
	return mt->pending;
}

const char *mem_transport_output(const struct mem_transport *mt, size_t *len)
{
	if (len)
		*len = mt->out_len;
	return mt->out ? (const char *)mt->out : "";
}

void mem_transport_clear_output(struct mem_transport *mt)
{
	mt->out_len = 0;
	if (mt->out)
		mt->out[0] = '\0';
}

void mem_transport_write_limit(struct mem_transport *mt, size_t n)
{
	mt->write_limit = n;
}

void mem_transport_write_budget(struct mem_transport *mt, size_t n)
{
	mt->budget = n;
}

void mem_transport_fail(struct mem_transport *mt, int err)
{
	mt->fail = err;
}
