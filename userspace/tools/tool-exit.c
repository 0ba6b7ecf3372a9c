// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * The errno-to-exit-code mapping every qlink command shares, so that a
 * script reads one table (README "Exit codes", tool.h) whatever it ran.
 */
#include <errno.h>

#include "tool.h"

int tool_exit_code(int err, unsigned int flags)
{
	if (err == EINVAL && (flags & TOOL_EXIT_USAGE_EINVAL))
		return EXIT_USAGE;
	if (err == ECANCELED && (flags & TOOL_EXIT_CANCEL))
		return EXIT_CANCELLED;
	/* a port or line that cannot be had is a missing port, whatever the reason */
	if (flags & TOOL_EXIT_OPEN)
		return EXIT_PORT;
	if (err == ETIMEDOUT)
		return EXIT_TIMEOUT;
	if (err == ENXIO && !(flags & TOOL_EXIT_NO_LOSS))
		return EXIT_PORT;
	return EXIT_FAIL;
}
