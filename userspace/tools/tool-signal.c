// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * SIGINT and SIGTERM for every command with a long operation: the signal
 * stops the operation through its library cancel, which ends it cleanly
 * (a transfer at its chunk's end, a FOTA job logged), instead of killing
 * the tool with the module mid-command.
 */
#include <signal.h>
#include <stddef.h>

#include "tool.h"

/* set and cleared only outside the handler, which only reads them */
static void (*volatile cancel_fn)(void *obj);
static void *volatile cancel_obj;

static void on_signal(int sig)
{
	void (*fn)(void *obj) = cancel_fn;

	(void)sig;
	if (fn)
		fn(cancel_obj);
}

void tool_catch_interrupts(void (*cancel)(void *obj), void *obj)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* the object first: the handler may run between the two stores */
	cancel_obj = obj;
	cancel_fn = cancel;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void tool_release_interrupts(void)
{
	cancel_fn = NULL;
	cancel_obj = NULL;
}
