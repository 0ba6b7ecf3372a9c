// SPDX-License-Identifier: LGPL-2.1-or-later
/* Copyright (C) 2026 The qlink authors */
#include <qlink/qlink.h>

#include "core/api.h"

#ifndef QLINK_VERSION
#error "QLINK_VERSION must come from the Makefile"
#endif

QLINK_API const char *qlink_version_string(void)
{
	return QLINK_VERSION;
}
