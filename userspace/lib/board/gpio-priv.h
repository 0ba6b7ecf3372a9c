/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/* The GPIO object's spec parser, for the config file and the tests; not part of the ABI. */
#ifndef QLINK_GPIO_PRIV_H
#define QLINK_GPIO_PRIV_H

#include <stdbool.h>
#include <qlink/gpio.h>

/* What a spec names: a line by name, or by chip and offset. */
struct gpio_spec {
	char name[QLINK_GPIO_SPEC_MAX + 1]; /* by name: the gpio-line-names entry */
	char chip[QLINK_GPIO_SPEC_MAX + 1]; /* by offset: gpiochipN, N, a path or a label */
	unsigned int offset;
	bool by_offset;
	bool active_low;
};

/**
 * qlink_gpio_parse_spec() - split "NAME[,active-low]" or "CHIP:OFFSET[,active-low]"
 *
 * Return: 0, or -1 with errno EINVAL and one sentence in @why.
 */
int qlink_gpio_parse_spec(const char *spec, struct gpio_spec *sp, char *why, size_t whylen);

#endif /* QLINK_GPIO_PRIV_H */
