/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
#ifndef QLINK_AT_CMD_H
#define QLINK_AT_CMD_H

#include <stddef.h>
#include <qlink/chan.h>

/**
 * struct qlink_at_cmd_info - a known command
 * @name: "+QFTPCWD" for extended commands, "I" or "&D" for basic ones
 * @cmd:  its descriptor
 */
struct qlink_at_cmd_info {
	const char *name;
	struct qlink_cmd cmd;
};

/**
 * qlink_at_cmd_name() - locate the command name in a line
 * @line: "AT+QFTPCWD=\"/\""
 * @name: set to the start of the name ("+QFTPCWD=...")
 *
 * Return: the name's length (0 for plain "AT" or a line not starting
 * with AT).
 */
size_t qlink_at_cmd_name(const char *line, const char **name);

/** qlink_at_cmd_find() - table entry for @line, or a generic one. */
const struct qlink_at_cmd_info *qlink_at_cmd_find(const char *line);

/** qlink_at_cmd_table() - the whole table, for tests. */
const struct qlink_at_cmd_info *qlink_at_cmd_table(size_t *n);

#endif /* QLINK_AT_CMD_H */
