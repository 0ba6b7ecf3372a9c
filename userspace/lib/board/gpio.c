// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
/*
 * One GPIO line held as an output, through libgpiod. See include/qlink/gpio.h.
 *
 * libgpiod changed its whole API between 1.x (Debian 12: 1.6) and 2.x
 * (Yocto, Buildroot). Everything that differs is in the backend section
 * below, chosen by QLINK_GPIOD_API, which the Makefile sets from the
 * version pkg-config reports; without it the feature is off and requests
 * fail with ENOTSUP. The rest of the library sees only struct qlink_gpio.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/api.h"
#include "board/gpio-priv.h"

#if defined(QLINK_GPIOD_API) && QLINK_GPIOD_API != 1 && QLINK_GPIOD_API != 2
#error "QLINK_GPIOD_API must be 1 or 2 (libgpiod's major version)"
#endif

#ifdef QLINK_GPIOD_API
#include <gpiod.h>
#endif

/* libgpiod's handles: the only part of the object that differs by version. */
struct gpio_backend {
#if QLINK_GPIOD_API == 1
	struct gpiod_chip *chip;
	struct gpiod_line *line;
#elif QLINK_GPIOD_API == 2
	struct gpiod_line_request *req;
#else
	int none;
#endif
};

struct qlink_gpio {
	struct gpio_backend be;
	char chip[32];
	char name[64];
	unsigned int offset;
	uint64_t t_on; /* when the line was last asserted, ns */
	uint64_t pulse_ns;
	int value;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* ------------------------------------------------------------- spec */

static int bad(char *why, size_t whylen, const char *fmt, const char *spec)
{
	if (why && whylen)
		snprintf(why, whylen, fmt, spec);
	errno = EINVAL;
	return -1;
}

int qlink_gpio_parse_spec(const char *spec, struct gpio_spec *sp, char *why, size_t whylen)
{
	char buf[QLINK_GPIO_SPEC_MAX + 1], *opt, *colon, *end;
	unsigned long off;

	memset(sp, 0, sizeof(*sp));
	if (!spec || !*spec)
		return bad(why, whylen, "empty GPIO line%s: give a line name or CHIP:OFFSET", "");
	if (strlen(spec) > QLINK_GPIO_SPEC_MAX)
		return bad(why, whylen, "GPIO line '%.40s...' is too long", spec);
	if (strpbrk(spec, " \t\r\n\"'"))
		return bad(why, whylen, "GPIO line '%s' contains blanks or quotes", spec);
	copy(buf, sizeof(buf), spec);
	opt = strchr(buf, ',');
	if (opt) {
		*opt++ = '\0';
		if (strcmp(opt, "active-low"))
			return bad(why, whylen,
				   "GPIO line '%s': the only option after ',' is active-low", spec);
		sp->active_low = true;
	}
	if (!*buf)
		return bad(why, whylen, "GPIO line '%s' has no name before the ','", spec);
	colon = strrchr(buf, ':');
	if (!colon) {
		copy(sp->name, sizeof(sp->name), buf);
		return 0;
	}
	*colon = '\0';
	if (!*buf)
		return bad(why, whylen, "GPIO line '%s': no chip before ':'", spec);
	errno = 0;
	off = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || colon[1] == '-' || colon[1] == '+' || off > 65535)
		return bad(why, whylen, "GPIO line '%s': the offset after ':' is not a number",
			   spec);
	copy(sp->chip, sizeof(sp->chip), buf);
	sp->offset = (unsigned int)off;
	sp->by_offset = true;
	return 0;
}

QLINK_API int qlink_gpio_check_spec(const char *spec)
{
	struct gpio_spec sp;

	return qlink_gpio_parse_spec(spec, &sp, NULL, 0);
}

/* --------------------------------------------------------- backends */

#if QLINK_GPIOD_API == 1

static int be_request(struct qlink_gpio *g, const struct gpio_spec *sp, const char *consumer,
		      int value)
{
	struct gpiod_line_request_config cfg = {
		.consumer = consumer,
		.request_type = GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
		.flags = sp->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0,
	};
	struct gpiod_chip *chip;
	struct gpiod_line *line;
	int saved;

	if (sp->by_offset) {
		errno = 0;
		chip = gpiod_chip_open_lookup(sp->chip);
		if (!chip) {
			if (!errno || errno == ENOENT || errno == ENOTTY)
				errno = ENODEV;
			return -1;
		}
		if (sp->offset >= gpiod_chip_num_lines(chip)) {
			gpiod_chip_close(chip);
			errno = EINVAL;
			return -1;
		}
		line = gpiod_chip_get_line(chip, sp->offset);
	} else {
		errno = 0;
		line = gpiod_line_find(sp->name);
		if (!line) {
			if (!errno)
				errno = ENOENT;
			return -1;
		}
		chip = gpiod_line_get_chip(line);
	}
	if (!line || gpiod_line_request(line, &cfg, value) < 0)
		goto err_close_chip;
	g->be.chip = chip;
	g->be.line = line;
	copy(g->chip, sizeof(g->chip), gpiod_chip_name(chip));
	copy(g->name, sizeof(g->name), gpiod_line_name(line));
	g->offset = gpiod_line_offset(line);
	return 0;

err_close_chip:
	saved = errno ? errno : EIO;
	gpiod_chip_close(chip);
	errno = saved;
	return -1;
}

static int be_set(struct qlink_gpio *g, int value)
{
	return gpiod_line_set_value(g->be.line, value);
}

static int be_get(struct qlink_gpio *g)
{
	return gpiod_line_get_value(g->be.line);
}

static void be_release(struct qlink_gpio *g)
{
	gpiod_line_release(g->be.line);
	gpiod_chip_close(g->be.chip);
}

#elif QLINK_GPIOD_API == 2

#include <dirent.h>

/* /dev/gpiochip*, in name order, as libgpiod 1.x's iterator went */
static int chip_filter(const struct dirent *d)
{
	return !strncmp(d->d_name, "gpiochip", 8);
}

/* Open the chip @want names (gpiochipN, N, a path or a label); NULL with errno. */
static struct gpiod_chip *open_chip(const char *want)
{
	struct dirent **list;
	struct gpiod_chip *chip = NULL;
	char path[300];
	int n, i;

	if (want[0] == '/') {
		chip = gpiod_chip_open(want);
		if (!chip && (errno == ENOENT || errno == ENOTTY || errno == ENODEV))
			errno = ENODEV;
		return chip;
	}
	n = scandir("/dev", &list, chip_filter, alphasort);
	if (n < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *d = list[i]->d_name;
		struct gpiod_chip_info *info;
		bool match;

		if (chip)
			continue;
		match = !strcmp(d, want) || !strcmp(d + 8, want);
		snprintf(path, sizeof(path), "/dev/%s", d);
		if (!gpiod_is_gpiochip_device(path))
			continue;
		chip = gpiod_chip_open(path);
		if (!chip || match)
			continue;
		info = gpiod_chip_get_info(chip);
		match = info && !strcmp(gpiod_chip_info_get_label(info), want);
		if (info)
			gpiod_chip_info_free(info);
		if (!match) {
			gpiod_chip_close(chip);
			chip = NULL;
		}
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	if (!chip)
		errno = ENODEV;
	return chip;
}

/* The first chip with a line named @name, and the offset; NULL with errno. */
static struct gpiod_chip *find_line(const char *name, unsigned int *offset)
{
	struct dirent **list;
	struct gpiod_chip *chip = NULL;
	char path[300];
	int n, i, off;

	n = scandir("/dev", &list, chip_filter, alphasort);
	if (n < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/dev/%s", list[i]->d_name);
		if (chip || !gpiod_is_gpiochip_device(path))
			continue;
		chip = gpiod_chip_open(path);
		if (!chip)
			continue;
		off = gpiod_chip_get_line_offset_from_name(chip, name);
		if (off >= 0) {
			*offset = (unsigned int)off;
		} else {
			gpiod_chip_close(chip);
			chip = NULL;
		}
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	if (!chip)
		errno = ENOENT;
	return chip;
}

static int be_request(struct qlink_gpio *g, const struct gpio_spec *sp, const char *consumer,
		      int value)
{
	struct gpiod_line_settings *ls = NULL;
	struct gpiod_line_config *lc = NULL;
	struct gpiod_request_config *rc = NULL;
	struct gpiod_line_request *req = NULL;
	struct gpiod_chip_info *ci = NULL;
	struct gpiod_line_info *li = NULL;
	struct gpiod_chip *chip;
	unsigned int off = sp->offset;
	int saved;

	chip = sp->by_offset ? open_chip(sp->chip) : find_line(sp->name, &off);
	if (!chip)
		return -1;
	ci = gpiod_chip_get_info(chip);
	if (!ci)
		goto err;
	if (off >= gpiod_chip_info_get_num_lines(ci)) {
		errno = EINVAL;
		goto err;
	}
	ls = gpiod_line_settings_new();
	lc = gpiod_line_config_new();
	rc = gpiod_request_config_new();
	if (!ls || !lc || !rc)
		goto err;
	gpiod_line_settings_set_direction(ls, GPIOD_LINE_DIRECTION_OUTPUT);
	gpiod_line_settings_set_active_low(ls, sp->active_low);
	gpiod_line_settings_set_output_value(ls, value ? GPIOD_LINE_VALUE_ACTIVE :
							 GPIOD_LINE_VALUE_INACTIVE);
	if (gpiod_line_config_add_line_settings(lc, &off, 1, ls) < 0)
		goto err;
	gpiod_request_config_set_consumer(rc, consumer);
	req = gpiod_chip_request_lines(chip, rc, lc);
	if (!req)
		goto err;
	li = gpiod_chip_get_line_info(chip, off);
	copy(g->name, sizeof(g->name), li ? gpiod_line_info_get_name(li) : NULL);
	copy(g->chip, sizeof(g->chip), gpiod_chip_info_get_name(ci));
	g->offset = off;
	g->be.req = req;
	if (li)
		gpiod_line_info_free(li);
	saved = 0;
	/* the request holds the line; the chip's descriptor is no longer needed */
	goto out;

err:
	saved = errno ? errno : EIO;
out:
	/* libgpiod 2 aborts on NULL objects: free only what was made */
	if (ci)
		gpiod_chip_info_free(ci);
	if (rc)
		gpiod_request_config_free(rc);
	if (lc)
		gpiod_line_config_free(lc);
	if (ls)
		gpiod_line_settings_free(ls);
	gpiod_chip_close(chip);
	errno = saved;
	return saved ? -1 : 0;
}

static int be_set(struct qlink_gpio *g, int value)
{
	return gpiod_line_request_set_value(g->be.req, g->offset,
					    value ? GPIOD_LINE_VALUE_ACTIVE :
						    GPIOD_LINE_VALUE_INACTIVE);
}

static int be_get(struct qlink_gpio *g)
{
	int v = gpiod_line_request_get_value(g->be.req, g->offset);

	return v == GPIOD_LINE_VALUE_ERROR ? -1 : v == GPIOD_LINE_VALUE_ACTIVE;
}

static void be_release(struct qlink_gpio *g)
{
	gpiod_line_request_release(g->be.req);
}

#else /* no libgpiod */

static int be_request(struct qlink_gpio *g, const struct gpio_spec *sp, const char *consumer,
		      int value)
{
	errno = ENOTSUP;
	return -1;
}

static int be_set(struct qlink_gpio *g, int value)
{
	errno = ENOTSUP;
	return -1;
}

static int be_get(struct qlink_gpio *g)
{
	errno = ENOTSUP;
	return -1;
}

static void be_release(struct qlink_gpio *g)
{
}

#endif

/* ----------------------------------------------------------- object */

QLINK_API int qlink_gpio_available(void)
{
#ifdef QLINK_GPIOD_API
	return QLINK_GPIOD_API;
#else
	return 0;
#endif
}

QLINK_API struct qlink_gpio *qlink_gpio_request(const char *spec, const char *consumer, int value)
{
	struct qlink_gpio *g;
	struct gpio_spec sp;
	int saved;

	if (qlink_gpio_parse_spec(spec, &sp, NULL, 0) < 0 || (value != 0 && value != 1)) {
		errno = EINVAL;
		return NULL;
	}
	if (!qlink_gpio_available()) {
		errno = ENOTSUP;
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	if (be_request(g, &sp, consumer ? consumer : "qlink", value) < 0) {
		saved = errno;
		free(g);
		errno = saved;
		return NULL;
	}
	g->value = value;
	if (value)
		g->t_on = mono_ns();
	return g;
}

QLINK_API int qlink_gpio_set_value(struct qlink_gpio *g, int value)
{
	uint64_t now;

	if (!g || (value != 0 && value != 1)) {
		errno = EINVAL;
		return -1;
	}
	if (be_set(g, value) < 0)
		return -1;
	now = mono_ns();
	if (value && !g->value)
		g->t_on = now;
	else if (!value && g->value && g->t_on)
		g->pulse_ns = now - g->t_on;
	g->value = value;
	return 0;
}

QLINK_API int qlink_gpio_get_value(struct qlink_gpio *g)
{
	if (!g) {
		errno = EINVAL;
		return -1;
	}
	return be_get(g);
}

QLINK_API int qlink_gpio_pulse(struct qlink_gpio *g, unsigned int ms)
{
	struct timespec until;
	uint64_t end;
	int err;

	if (qlink_gpio_set_value(g, 1) < 0)
		return -1;
	end = g->t_on + (uint64_t)ms * 1000000ULL;
	until.tv_sec = (time_t)(end / 1000000000ULL);
	until.tv_nsec = (long)(end % 1000000000ULL);
	/* the hold is the pulse: an absolute deadline survives EINTR unshortened */
	do
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	while (err == EINTR);
	return qlink_gpio_set_value(g, 0);
}

QLINK_API uint64_t qlink_gpio_get_last_pulse_ns(const struct qlink_gpio *g)
{
	return g ? g->pulse_ns : 0;
}

QLINK_API const char *qlink_gpio_get_chip(const struct qlink_gpio *g)
{
	return g->chip;
}

QLINK_API unsigned int qlink_gpio_get_offset(const struct qlink_gpio *g)
{
	return g->offset;
}

QLINK_API const char *qlink_gpio_get_name(const struct qlink_gpio *g)
{
	return g->name;
}

/* The channel's DTR hook: the board layer drives, the channel times. */
static int dtr_hook(struct qlink_chan *chan, bool asserted, void *user)
{
	return qlink_gpio_set_value(user, asserted ? 1 : 0);
}

QLINK_API int qlink_gpio_attach_dtr(struct qlink_gpio *g, struct qlink_chan *chan)
{
	if (!g || !chan) {
		errno = EINVAL;
		return -1;
	}
	return qlink_chan_set_dtr(chan, dtr_hook, g);
}

QLINK_API void qlink_gpio_free(struct qlink_gpio *g)
{
	if (!g)
		return;
	be_release(g);
	free(g);
}
