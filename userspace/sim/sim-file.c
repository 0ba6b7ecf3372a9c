// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * Local files (RAM:, UFS:, SD:), as far as FTP PUT/GET with local names
 * and FOTA staging need them: AT+QFUPL, AT+QFLST, AT+QFDEL, AT+QFDWL.
 *
 * <checksum> is the FILE guide's: a 16-bit XOR over the data taken as
 * big-endian byte pairs (an odd last byte is the high byte of a pair),
 * printed in hex.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-core.h"
#include "sim-io.h"

#define ARGS struct sim *s, enum sim_kind k, struct sim_args *a, const char *raw
#define UPL_MAX (16u << 20)

static unsigned int xor16(const unsigned char *p, size_t len)
{
	unsigned int x = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		x ^= (unsigned int)p[i] << 8 | p[i + 1];
	if (len & 1)
		x ^= (unsigned int)p[len - 1] << 8;
	return x;
}

struct upload {
	char name[96];
	unsigned char *buf;
	size_t len, want;
};

static struct upload upl;

static void upl_in(struct sim *s, const unsigned char *buf, size_t len, void *ctx)
{
	(void)s;
	(void)ctx;
	memcpy(upl.buf + upl.len, buf, len);
	upl.len += len;
}

static void upl_end(struct sim *s, enum sim_data_end why, void *ctx)
{
	(void)ctx;
	if (why == SIM_DATA_COUNT && sim_file_put(s, upl.name, upl.buf, upl.len)) {
		sim_line(s, "+QFUPL: %zu,%x", upl.len, xor16(upl.buf, upl.len));
		sim_ok(s);
	} else {
		sim_cme(s, why == SIM_DATA_COUNT ? 423 : 409);
	}
	free(upl.buf);
	upl.buf = NULL;
}

static const struct sim_data_ops upl_ops = { .in = upl_in, .end = upl_end };

static void cmd_qfupl(ARGS)
{
	const char *name = sim_arg_str(a, 0);
	long len;

	if (k == SIM_TEST) {
		sim_line(s, "+QFUPL: <filename>[,<file_size>[,<timeout>[,<ackmode>]]]");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !name || !sim_file_valid_name(name) ||
	    !sim_arg_long(a, 1, 1, UPL_MAX, &len)) {
		sim_cme(s, 400);
		return;
	}
	snprintf(upl.name, sizeof(upl.name), "%s", name);
	upl.buf = malloc((size_t)len);
	if (!upl.buf) {
		sim_cme(s, 423);
		return;
	}
	upl.len = 0;
	upl.want = (size_t)len;
	sim_data_enter(s, (size_t)len, &upl_ops, NULL);
}

/* Files in @s's table matching a pattern such as "RAM:*" or "*". */
static void list(struct sim *s, const char *pattern)
{
	for (int i = 0; i < SIM_MAX_FILES; i++) {
		const char *n = s->files[i].name;

		if (!n[0])
			continue;
		if (!pattern) {
			/* no argument: the UFS, named without its prefix */
			if (!strncmp(n, "UFS:", 4))
				sim_line(s, "+QFLST: \"%s\",%zu", n + 4, s->files[i].len);
		} else if (!fnmatch(pattern, n, 0)) {
			sim_line(s, "+QFLST: \"%s\",%zu", n, s->files[i].len);
		}
	}
}

static void cmd_qflst(ARGS)
{
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	list(s, k == SIM_SET ? sim_arg_str(a, 0) : NULL);
	sim_ok(s);
}

static void cmd_qfdel(ARGS)
{
	const char *name = sim_arg_str(a, 0);
	size_t len;
	int i;

	if (k != SIM_SET || !name) {
		sim_cme(s, 400);
		return;
	}
	if (strchr(name, '*')) {
		for (i = 0; i < SIM_MAX_FILES; i++)
			if (s->files[i].name[0] && !fnmatch(name, s->files[i].name, 0))
				sim_file_remove(s, s->files[i].name);
		sim_ok(s);
		return;
	}
	if (!sim_file_get(s, name, &len)) {
		sim_cme(s, 405); /* file not found */
		return;
	}
	sim_file_remove(s, name);
	sim_ok(s);
}

static void dwl_end(struct sim *s, enum sim_data_end why, void *ctx)
{
	(void)why;
	(void)ctx;
}

static const struct sim_data_ops dwl_ops = { .end = dwl_end };

static void cmd_qfdwl(ARGS)
{
	const char *name = sim_arg_str(a, 0);
	const unsigned char *data;
	size_t len;

	if (k != SIM_SET || !name) {
		sim_cme(s, 400);
		return;
	}
	data = sim_file_get(s, name, &len);
	if (!data) {
		sim_cme(s, 405);
		return;
	}
	sim_data_out_begin(s, &dwl_ops, NULL);
	sim_send(s, data, len);
	sim_data_leave(s);
	sim_line(s, "+QFDWL: %zu,%x", len, xor16(data, len));
	sim_ok(s);
}

const struct sim_cmd sim_file_cmds[] = {
	{ "+QFUPL", cmd_qfupl },
	{ "+QFLST", cmd_qflst },
	{ "+QFDEL", cmd_qfdel },
	{ "+QFDWL", cmd_qfdwl },
};

const size_t sim_file_ncmds = sizeof(sim_file_cmds) / sizeof(sim_file_cmds[0]);
