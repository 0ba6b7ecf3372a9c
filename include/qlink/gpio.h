/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * Board wiring: one GPIO line driving a modem pin (DTR, PWRKEY, RESET_N),
 * through libgpiod's character device.
 *
 * A line is named by a spec: the line's name as the device tree gives it
 * (gpio-line-names, e.g. "MODEM_DTR", see dts/), or CHIP:OFFSET where CHIP
 * is gpiochipN, N, /dev/gpiochipN or the chip's label
 * ("pinctrl-bcm2835:4"). ",active-low" after either says the pin is
 * asserted by driving the line low. Values are logical: 1 asserts the pin
 * (DTR on, key pressed, reset held), whatever the polarity.
 *
 * The library builds against libgpiod 1.x or 2.x, whichever pkg-config
 * reports; built without libgpiod, every request fails with ENOTSUP.
 *
 * Functions return 0 on success and -1 with errno set on failure unless
 * stated otherwise.
 */
#ifndef QLINK_GPIO_H
#define QLINK_GPIO_H

#include <stddef.h>
#include <stdint.h>
#include <qlink/chan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The line names dts/qlink-ec200-hat-overlay.dts gives the modem's pins. */
#define QLINK_GPIO_DTR "MODEM_DTR"
#define QLINK_GPIO_PWRKEY "MODEM_PWRKEY"
#define QLINK_GPIO_RESET "MODEM_RESET"

/** Longest spec accepted, without the NUL. */
#define QLINK_GPIO_SPEC_MAX 127

struct qlink_gpio;

/**
 * qlink_gpio_available() - was the library built with libgpiod?
 *
 * Return: the libgpiod API generation it was built against (1 or 2), or 0
 * if none: then qlink_gpio_request() fails with ENOTSUP.
 */
int qlink_gpio_available(void);

/**
 * qlink_gpio_check_spec() - is a spec well formed?
 * @spec: e.g. "MODEM_DTR", "gpiochip0:6", "MODEM_RESET,active-low"
 *
 * Checks the form only: whether such a line exists is for
 * qlink_gpio_request() to find out. There is no object to keep a sentence
 * on, so this says yes or no only; qlink_config_check() with a "*_gpio"
 * key checks the same and says what is wrong (qlink_config_get_error()).
 *
 * Return: 0, or -1 with errno EINVAL.
 */
int qlink_gpio_check_spec(const char *spec);

/**
 * qlink_gpio_request() - take a line as an output
 * @spec:     the line (see above)
 * @consumer: the name the kernel shows as the line's user (gpioinfo), e.g.
 *            "qlink-dtr"; NULL for "qlink"
 * @value:    the logical value to drive from the start (0 or 1)
 *
 * The line is held until qlink_gpio_free(); the kernel refuses it to
 * anybody else meanwhile.
 *
 * Return: the line, or NULL with errno: EINVAL (malformed spec, offset
 * beyond the chip's lines), ENOENT (no line of that name on any chip),
 * ENODEV (no such chip), EBUSY (another user holds the line), EACCES or
 * EPERM (no permission on /dev/gpiochipN), ENOTSUP (built without
 * libgpiod), ENOMEM.
 */
struct qlink_gpio *qlink_gpio_request(const char *spec, const char *consumer, int value);

/**
 * qlink_gpio_set_value() - drive the line
 * @g:     the line
 * @value: logical value, 0 or 1
 *
 * Return: 0, or -1 with errno from the GPIO character device (EIO).
 */
int qlink_gpio_set_value(struct qlink_gpio *g, int value);

/**
 * qlink_gpio_get_value() - the value the line is driven to
 * @g: the line
 *
 * Return: 0 or 1 (logical), or -1 with errno.
 */
int qlink_gpio_get_value(struct qlink_gpio *g);

/**
 * qlink_gpio_pulse() - assert the line for a time, then release it
 * @g:  the line
 * @ms: how long to hold it asserted, e.g. a PWRKEY press
 *
 * A timed hold: the width is the point of it. It is measured on
 * CLOCK_MONOTONIC from the moment the line was set and ends at an absolute
 * deadline, so a signal arriving meanwhile does not shorten it.
 *
 * Return: 0, or -1 with errno (as qlink_gpio_set_value(); the line is released
 * in every case it could be).
 */
int qlink_gpio_pulse(struct qlink_gpio *g, unsigned int ms);

/**
 * qlink_gpio_get_last_pulse_ns() - the width of the last pulse as driven
 * @g: the line
 *
 * From the return of the call that asserted the line to the return of
 * the one that released it, on CLOCK_MONOTONIC; also for a pulse made of
 * two qlink_gpio_set_value() calls (1 then 0).
 *
 * Return: nanoseconds, 0 if there was none.
 */
uint64_t qlink_gpio_get_last_pulse_ns(const struct qlink_gpio *g);

/** qlink_gpio_get_chip() - the chip's name, e.g. "gpiochip0". */
const char *qlink_gpio_get_chip(const struct qlink_gpio *g);

/** qlink_gpio_get_offset() - the line's offset on its chip. */
unsigned int qlink_gpio_get_offset(const struct qlink_gpio *g);

/** qlink_gpio_get_name() - the line's name ("" if it has none). */
const char *qlink_gpio_get_name(const struct qlink_gpio *g);

/**
 * qlink_gpio_attach_dtr() - make the line a channel's way out of data mode
 * @g:    the line wired to the module's DTR; the caller keeps it and
 *        frees it after the channel
 * @chan: the channel, idle
 *
 * Installs a DTR hook that drives @g (qlink_chan_set_dtr()): the line is
 * asserted, AT&D1 is sent, and qlink_chan_escape() drops the line from
 * then on instead of sending "+++". Blocking, as qlink_chan_set_dtr().
 *
 * Return: 0, or -1 with errno: EINVAL (@g or @chan NULL), as
 * qlink_gpio_set_value() (the line), as qlink_chan_exec() (AT&D1 refused or
 * unanswered: the channel keeps using "+++").
 */
int qlink_gpio_attach_dtr(struct qlink_gpio *g, struct qlink_chan *chan);

/**
 * qlink_gpio_free() - release the line
 * @g: the line, or NULL
 *
 * The kernel keeps driving the last value until someone else takes it.
 */
void qlink_gpio_free(struct qlink_gpio *g);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_GPIO_H */
