/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
#ifndef QLINK_API_H
#define QLINK_API_H

/*
 * The library builds with -fvisibility=hidden; what users may call is
 * marked here and listed in libqlink.map.
 */
#define QLINK_API __attribute__((visibility("default")))

#endif /* QLINK_API_H */
