// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink at CMD...: send commands one after another and print what came
 * back. URCs that arrive meanwhile are printed as they come, marked, so
 * they can never be mistaken for a response. Stops at the first command
 * that fails.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tool.h"

struct at_ctx {
	struct tool *t;
	struct json j;
	char **urcs;
	size_t n_urcs;
};

/*
 * A line as it may be shown: the module's answers hold passwords too
 * (+QFTPCFG: "account",..., +QICSGP: ...), in text and --json alike.
 * NULL stays NULL; free() the result.
 */
static char *masked(const char *line)
{
	size_t len;
	char *m;

	if (!line)
		return NULL;
	len = 2 * strlen(line) + 16;
	m = malloc(len);
	if (m)
		qlink_redact(line, m, len);
	return m;
}

static void on_urc(struct qlink_chan *chan, const char *line, void *user)
{
	struct at_ctx *ctx = user;
	char **u, *m = masked(line);

	(void)chan;
	if (!m)
		return;
	if (!ctx->t->json) {
		fprintf(ctx->t->out, "[URC] %s\n", m);
		free(m);
		return;
	}
	u = realloc(ctx->urcs, (ctx->n_urcs + 1) * sizeof(*u));
	if (!u) {
		free(m);
		return;
	}
	ctx->urcs = u;
	u[ctx->n_urcs++] = m;
}

static void put_line(struct at_ctx *ctx, const char *key, const char *line)
{
	char *m = masked(line);

	if (ctx->t->json)
		json_str(&ctx->j, key, m);
	else if (m)
		fprintf(ctx->t->out, "%s\n", m);
	free(m);
}

static const struct qlink_urc_handler urc_all[] = {
	{ "", on_urc },
};

static const char *status_word(int status)
{
	switch (-status) {
	case 0:
		return "ok";
	case ETIMEDOUT:
		return "timeout";
	case ENXIO:
		return "port-lost";
	default:
		return "error";
	}
}

static void print_resp(struct at_ctx *ctx, const struct qlink_resp *r)
{
	size_t i;

	if (!ctx->t->json) {
		for (i = 0; r && i < qlink_resp_get_line_count(r); i++)
			put_line(ctx, NULL, qlink_resp_get_line(r, i));
		if (r)
			put_line(ctx, NULL, qlink_resp_get_final(r));
		if (r)
			put_line(ctx, NULL, qlink_resp_get_async(r));
		return;
	}
	json_obj_begin(&ctx->j, NULL);
	json_str(&ctx->j, "command", r ? qlink_resp_get_command(r) : NULL);
	json_str(&ctx->j, "status", r ? status_word(qlink_resp_get_status(r)) : "error");
	json_arr_begin(&ctx->j, "lines");
	for (i = 0; r && i < qlink_resp_get_line_count(r); i++)
		put_line(ctx, NULL, qlink_resp_get_line(r, i));
	json_arr_end(&ctx->j);
	put_line(ctx, "final", r ? qlink_resp_get_final(r) : NULL);
	put_line(ctx, "result", r ? qlink_resp_get_async(r) : NULL);
	if (r && qlink_resp_get_code(r) >= 0)
		json_int(&ctx->j, "code", qlink_resp_get_code(r));
	else
		json_null(&ctx->j, "code");
	json_str(&ctx->j, "error", r && qlink_resp_get_status(r) ? qlink_resp_get_error(r) : NULL);
	json_obj_end(&ctx->j);
}

int cmd_at(struct tool *t, int argc, char **argv)
{
	struct at_ctx ctx = { .t = t };
	int ret, i;
	size_t k;

	if (argc < 2) {
		fprintf(stderr, "usage: qlink [options] at CMD...\n");
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if (!*argv[i] || strpbrk(argv[i], "\r\n") || strlen(argv[i]) > QLINK_CMD_LINE_MAX) {
			fprintf(stderr,
				"qlink: argument %d: a command is one non-empty line of at "
				"most %d bytes\n",
				i, QLINK_CMD_LINE_MAX);
			return EXIT_USAGE;
		}
	}
	ret = tool_open(t);
	if (ret)
		return ret;
	qlink_chan_set_urc_handlers(t->chan, urc_all, 1, &ctx);
	json_init(&ctx.j, t->out);
	if (t->json) {
		json_obj_begin(&ctx.j, NULL);
		json_arr_begin(&ctx.j, "commands");
	}
	for (i = 1; i < argc; i++) {
		struct qlink_resp *r = NULL;
		int err = qlink_chan_exec(t->chan, argv[i], NULL, &r);

		print_resp(&ctx, r);
		if (err < 0) {
			ret = tool_fail(t, r, argv[i]);
			qlink_resp_free(r);
			break;
		}
		qlink_resp_free(r);
	}
	if (t->json) {
		json_arr_end(&ctx.j);
		json_arr_begin(&ctx.j, "urcs");
		for (k = 0; k < ctx.n_urcs; k++)
			json_str(&ctx.j, NULL, ctx.urcs[k]);
		json_arr_end(&ctx.j);
		json_obj_end(&ctx.j);
	}
	for (k = 0; k < ctx.n_urcs; k++)
		free(ctx.urcs[k]);
	free(ctx.urcs);
	tool_close(t);
	return ret;
}
