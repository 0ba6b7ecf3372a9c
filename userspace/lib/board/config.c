// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * The board's configuration file. See include/qlink/config.h.
 *
 * Every value is checked here, when the file is read, so that a typo in
 * /etc/qlink.conf is reported with its line rather than as a failure of
 * whichever command first uses the setting.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <qlink/config.h>

#include "core/api.h"
#include "board/gpio-priv.h"

/* A configuration file is a few lines; anything larger is something else. */
#define FILE_MAX (64 * 1024)

/* K_FLOW is another spelling of K_RTSCTS (packaging/qlink.conf.in writes it) */
enum key { K_PORT, K_BAUD, K_RTSCTS, K_DTR, K_PWRKEY, K_RESET, K_FLOW, K_COUNT };

static const char *const key_name[K_COUNT] = {
	[K_PORT] = "port",    [K_BAUD] = "baud",	  [K_RTSCTS] = "rtscts",
	[K_DTR] = "dtr_gpio", [K_PWRKEY] = "pwrkey_gpio", [K_RESET] = "reset_gpio",
	[K_FLOW] = "flow",
};

struct qlink_config {
	char *val[K_COUNT];
	unsigned int line[K_COUNT];
	char err[QLINK_CONFIG_LINE_MAX + 128];
};

/* "dtr-gpio" and "DTR_GPIO" are dtr_gpio; -1 if no key */
static int find_key(const char *k, size_t n)
{
	size_t i, j;

	for (i = 0; i < K_COUNT; i++) {
		const char *name = key_name[i];

		if (strlen(name) != n)
			continue;
		for (j = 0; j < n; j++) {
			char c = k[j] == '-' ? '_' : k[j];

			if ((c | 0x20) != name[j] && c != name[j])
				break;
		}
		if (j == n)
			return (int)i;
	}
	return -1;
}

__attribute__((format(printf, 4, 5))) static int fail(struct qlink_config *cfg, const char *origin,
						      unsigned int line, const char *fmt, ...)
{
	char msg[QLINK_CONFIG_LINE_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!origin) /* qlink_config_check(): no file, no line */
		snprintf(cfg->err, sizeof(cfg->err), "%s", msg);
	else if (line)
		snprintf(cfg->err, sizeof(cfg->err), "%s:%u: %s", origin, line, msg);
	else
		snprintf(cfg->err, sizeof(cfg->err), "%s: %s", origin, msg);
	errno = EINVAL;
	return -1;
}

static const char *boolean(const char *v)
{
	static const char *const yes[] = { "yes", "on", "true", "1" };
	static const char *const no[] = { "no", "off", "false", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return "yes";
		if (!strcasecmp(v, no[i]))
			return "no";
	}
	return NULL;
}

/* Check @v for @k; the stored form in *@out (a copy to free) unless @out is NULL. */
static int check_value(struct qlink_config *cfg, const char *origin, unsigned int ln, enum key k,
		       const char *v, char **out)
{
	char why[160];
	struct gpio_spec sp;
	const char *norm = v;
	char *end;
	unsigned long n;

	switch (k) {
	case K_PORT:
		if (v[0] != '/')
			return fail(cfg, origin, ln, "port '%s' is not an absolute path (/dev/...)",
				    v);
		break;
	case K_BAUD:
		errno = 0;
		n = strtoul(v, &end, 10);
		if (*end || errno || v[0] == '-' || v[0] == '+' || n > 4000000)
			return fail(cfg, origin, ln,
				    "baud '%s' is not a line rate (a number up to 4000000, 0 keeps "
				    "the port's)",
				    v);
		break;
	case K_RTSCTS:
		norm = boolean(v);
		if (!norm)
			return fail(cfg, origin, ln, "rtscts '%s' is not yes or no", v);
		break;
	case K_FLOW:
		norm = !strcasecmp(v, "rtscts") ? "yes" : !strcasecmp(v, "none") ? "no" : NULL;
		if (!norm)
			return fail(cfg, origin, ln, "flow '%s' is not rtscts or none", v);
		break;
	case K_DTR:
	case K_PWRKEY:
	case K_RESET:
		if (qlink_gpio_parse_spec(v, &sp, why, sizeof(why)) < 0)
			return fail(cfg, origin, ln, "%s: %s", key_name[k], why);
		break;
	case K_COUNT:
		break;
	}
	if (!out)
		return 0;
	*out = strdup(norm);
	if (!*out) {
		snprintf(cfg->err, sizeof(cfg->err), "%s: out of memory", origin);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

static int parse_line(struct qlink_config *cfg, const char *origin, unsigned int ln, const char *s,
		      const char *e)
{
	char val[QLINK_CONFIG_LINE_MAX + 1];
	const char *eq, *ks, *ke, *vs, *ve;
	int k, slot;

	trim(&s, &e);
	if (s == e || *s == '#')
		return 0;
	eq = memchr(s, '=', (size_t)(e - s));
	if (!eq)
		return fail(cfg, origin, ln, "expected 'key = value', got '%.*s'", (int)(e - s), s);
	ks = s;
	ke = eq;
	vs = eq + 1;
	ve = e;
	trim(&ks, &ke);
	trim(&vs, &ve);
	if (ks == ke)
		return fail(cfg, origin, ln, "no key before '='");
	k = find_key(ks, (size_t)(ke - ks));
	if (k < 0)
		return fail(cfg, origin, ln,
			    "unknown key '%.*s' (known: port, baud, rtscts or flow, dtr_gpio, "
			    "pwrkey_gpio, reset_gpio)",
			    (int)(ke - ks), ks);
	if (vs == ve)
		return fail(cfg, origin, ln, "no value for %s", key_name[k]);
	slot = k == K_FLOW ? K_RTSCTS : k;
	if (cfg->val[slot])
		return fail(cfg, origin, ln, "%s is set twice (first on line %u)",
			    slot == K_RTSCTS ? "flow control (rtscts, flow)" : key_name[k],
			    cfg->line[slot]);
	memcpy(val, vs, (size_t)(ve - vs));
	val[ve - vs] = '\0';
	if (check_value(cfg, origin, ln, (enum key)k, val, &cfg->val[slot]) < 0)
		return -1;
	cfg->line[slot] = ln;
	return 0;
}

QLINK_API struct qlink_config *qlink_config_new(void)
{
	return calloc(1, sizeof(struct qlink_config));
}

QLINK_API int qlink_config_parse(struct qlink_config *cfg, const char *text, size_t len,
				 const char *origin)
{
	const char *p = text, *end = text + len;
	unsigned int ln = 0;

	if (!cfg || (!text && len)) {
		errno = EINVAL;
		return -1;
	}
	if (!origin)
		origin = "configuration";
	cfg->err[0] = '\0';
	if (len && memchr(text, '\0', len))
		return fail(cfg, origin, 0, "contains NUL bytes: not a text file");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		ln++;
		if (e - p > QLINK_CONFIG_LINE_MAX)
			return fail(cfg, origin, ln, "line longer than %d characters",
				    QLINK_CONFIG_LINE_MAX);
		if (parse_line(cfg, origin, ln, p, e) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

QLINK_API int qlink_config_load(struct qlink_config *cfg, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, saved, ret = -1;

	if (!cfg || !path) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto err;
	buf = malloc(FILE_MAX + 1);
	if (!buf)
		goto err_close;
	while ((n = read(fd, buf + len, FILE_MAX + 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto err_free;
		}
		len += (size_t)n;
		if (len > FILE_MAX) {
			errno = EFBIG;
			goto err_free;
		}
	}
	ret = qlink_config_parse(cfg, buf, len, path);
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return ret;

err_free:
	saved = errno;
	free(buf);
	errno = saved;
err_close:
	saved = errno;
	close(fd);
	errno = saved;
err:
	saved = errno;
	snprintf(cfg->err, sizeof(cfg->err), "%s: %s", path,
		 saved == EFBIG ? "larger than 64 KiB: not a configuration file" : strerror(saved));
	errno = saved;
	return -1;
}

QLINK_API const char *qlink_config_get_value(const struct qlink_config *cfg, const char *key)
{
	int k = key ? find_key(key, strlen(key)) : -1;

	if (k == K_FLOW)
		k = K_RTSCTS;

	if (!cfg || k < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (!cfg->val[k])
		errno = ENOENT;
	return cfg->val[k];
}

QLINK_API int qlink_config_check(struct qlink_config *cfg, const char *key, const char *value)
{
	int k = key ? find_key(key, strlen(key)) : -1;

	if (!cfg) {
		errno = EINVAL;
		return -1;
	}
	cfg->err[0] = '\0';
	if (k < 0)
		return fail(cfg, NULL, 0,
			    "unknown key '%s' (known: port, baud, rtscts or flow, dtr_gpio, "
			    "pwrkey_gpio, reset_gpio)",
			    key ? key : "");
	if (!value || !*value)
		return fail(cfg, NULL, 0, "no value for %s", key_name[k]);
	return check_value(cfg, NULL, 0, (enum key)k, value, NULL);
}

QLINK_API unsigned int qlink_config_get_line(const struct qlink_config *cfg, const char *key)
{
	int k = key ? find_key(key, strlen(key)) : -1;

	if (k == K_FLOW)
		k = K_RTSCTS;
	return cfg && k >= 0 ? cfg->line[k] : 0;
}

QLINK_API const char *qlink_config_get_error(const struct qlink_config *cfg)
{
	return cfg ? cfg->err : "";
}

QLINK_API void qlink_config_free(struct qlink_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < K_COUNT; i++)
		free(cfg->val[i]);
	free(cfg);
}
