/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The qlink authors */
/* What the unit tests may meet under qemu-user (tests/cross/run). */
#ifndef QLINK_TEST_EMULATION_H
#define QLINK_TEST_EMULATION_H

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

/* tests/cross/run sets QLINK_TEST_QEMU_USER for the binaries it runs. */
static inline bool under_qemu_user(void)
{
	return getenv("QLINK_TEST_QEMU_USER") != NULL;
}

/*
 * qemu-user refuses a NETLINK_GENERIC socket (EPROTONOSUPPORT): there the
 * family is as absent as without qlink.ko.
 */
static inline bool qemu_user_has_no_genl(int err)
{
	return under_qemu_user() && err == EPROTONOSUPPORT;
}

#endif /* QLINK_TEST_EMULATION_H */
