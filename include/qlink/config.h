/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * The board's configuration file (/etc/qlink.conf): which port the module
 * is on, at what rate, with or without RTS/CTS, and which GPIO lines drive
 * its DTR, PWRKEY and RESET_N pins, so that commands need no options on a
 * configured board.
 *
 * One "key = value" per line; blank lines and lines whose first non-blank
 * character is '#' are ignored; blanks around key and value are dropped.
 * Keys ('-' and '_' are the same):
 *
 *   port        the AT port, an absolute path (/dev/ttyAMA0)
 *   baud        line rate, 0 to keep the port's (115200)
 *   rtscts      yes|no (also on/off, true/false, 1/0)
 *   flow        rtscts|none: the same setting, as packaging/qlink.conf.in
 *               spells it (one of the two per file)
 *   dtr_gpio    GPIO line specs (include/qlink/gpio.h): MODEM_DTR,
 *   pwrkey_gpio gpiochip0:4, MODEM_RESET,active-low
 *   reset_gpio
 *
 * Anything else is an error naming the file, the line and the cause.
 *
 * Functions return 0 on success and -1 with errno set on failure unless
 * stated otherwise.
 */
#ifndef QLINK_CONFIG_H
#define QLINK_CONFIG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The board's configuration file of a packaged install (SYSCONFDIR=/etc).
 * The qlink tool reads $(SYSCONFDIR)/qlink.conf of its own build, the
 * same file as the systemd unit and the udev helper.
 */
#define QLINK_CONFIG_PATH "/etc/qlink.conf"

/** Longest line accepted, without the newline. */
#define QLINK_CONFIG_LINE_MAX 512

struct qlink_config;

/**
 * qlink_config_new() - an empty configuration
 *
 * Return: the object, or NULL with errno ENOMEM.
 */
struct qlink_config *qlink_config_new(void);

/**
 * qlink_config_parse() - read settings from text
 * @cfg:    the configuration; settings already in it may not be repeated
 * @text:   the file's contents (NUL bytes are an error)
 * @len:    its length
 * @origin: what to call it in errors, e.g. the file's path
 *
 * Stops at the first bad line: what came before it stays set.
 *
 * Return: 0, or -1 with errno EINVAL (a bad line: qlink_config_get_error()
 * says "ORIGIN:LINE: why") or ENOMEM.
 */
int qlink_config_parse(struct qlink_config *cfg, const char *text, size_t len, const char *origin);

/**
 * qlink_config_load() - qlink_config_parse() a file
 * @cfg:  the configuration
 * @path: the file
 *
 * Return: 0, or -1 with errno: as qlink_config_parse(), ENOENT, EACCES or
 * another open(2)/read(2) error, EFBIG (over 64 KiB: not a configuration
 * file). qlink_config_get_error() says which.
 */
int qlink_config_load(struct qlink_config *cfg, const char *path);

/**
 * qlink_config_get_value() - a setting
 * @cfg: the configuration
 * @key: "port", "baud", "rtscts" (or "flow"), "dtr_gpio", "pwrkey_gpio" or
 *       "reset_gpio"
 *
 * Return: the value as written (rtscts/flow as "yes" or "no"), or NULL if the
 * file did not set it (errno ENOENT) or @key is not a key (EINVAL).
 */
const char *qlink_config_get_value(const struct qlink_config *cfg, const char *key);

/**
 * qlink_config_check() - would a value be accepted for a key?
 * @cfg:   the configuration; its settings are not changed
 * @key:   as for qlink_config_get_value()
 * @value: the value as it would follow "key = "
 *
 * For settings given another way, e.g. qlink --dtr-gpio: checked as the
 * file's would be, so that both are refused alike and in the same words.
 *
 * Return: 0, or -1 with errno EINVAL: qlink_config_get_error() says why
 * ("dtr_gpio: GPIO line 'x y' contains blanks or quotes"), without a file
 * or line.
 */
int qlink_config_check(struct qlink_config *cfg, const char *key, const char *value);

/**
 * qlink_config_get_line() - where a setting came from
 * @cfg: the configuration
 * @key: as for qlink_config_get_value()
 *
 * Return: its line number, or 0 if it is not set.
 */
unsigned int qlink_config_get_line(const struct qlink_config *cfg, const char *key);

/**
 * qlink_config_get_error() - why the last parse, load or check failed
 * @cfg: the configuration
 *
 * Return: one sentence, "" if nothing failed.
 */
const char *qlink_config_get_error(const struct qlink_config *cfg);

/** qlink_config_free() - free a configuration; NULL is a no-op. */
void qlink_config_free(struct qlink_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* QLINK_CONFIG_H */
