/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/* The public declaration is the internal one. */
#include <qlink/redact.h>
