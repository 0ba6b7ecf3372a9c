// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink info: who is on the other end of the port. ATI gives
 * manufacturer, model and revision; the flash variant (M08/M16) is read
 * from the revision because FOTA depends on it.
 */
#include <errno.h>
#include <string.h>

#include "json.h"
#include "tool.h"

struct info {
	char manufacturer[64];
	char model[64];
	char revision[128];
	char imei[32];
};

/* @src without the blanks around it: a field of spaces is an empty one */
static void copy(char *dst, size_t len, const char *src)
{
	size_t n;

	while (src && (*src == ' ' || *src == '\t'))
		src++;
	n = src ? strlen(src) : 0;
	while (n && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--;
	snprintf(dst, len, "%.*s", (int)n, src ? src : "");
}

/*
 * What a module must name for qlink to know what it is; the IMEI is
 * optional (some engineering samples have none). Says what is missing
 * and returns EXIT_FAIL, else EXIT_OK.
 */
static int check_named(const struct info *in)
{
	char missing[64] = "";

	if (!in->manufacturer[0])
		strcat(missing, ", no manufacturer");
	if (!in->model[0])
		strcat(missing, ", no model");
	if (!in->revision[0])
		strcat(missing, ", no revision");
	if (!missing[0])
		return EXIT_OK;
	fprintf(stderr,
		"qlink: info: the module answered ATI and AT+GMR with %s: not a module qlink "
		"can identify\n",
		missing + 2);
	return EXIT_FAIL;
}

static void parse_ati(struct info *in, const struct qlink_resp *r)
{
	size_t i, bare = 0;

	for (i = 0; i < qlink_resp_get_line_count(r); i++) {
		const char *l = qlink_resp_get_line(r, i);

		if (!strncmp(l, "Revision:", 9)) {
			copy(in->revision, sizeof(in->revision), l + 9);
		} else if (bare == 0) {
			copy(in->manufacturer, sizeof(in->manufacturer), l);
			bare++;
		} else if (bare == 1) {
			copy(in->model, sizeof(in->model), l);
			bare++;
		}
	}
}

static int run(struct tool *t, const char *line, struct qlink_resp **r)
{
	if (qlink_chan_exec(t->chan, line, NULL, r) < 0) {
		int ret = tool_fail(t, *r, line);

		qlink_resp_free(*r);
		*r = NULL;
		return ret;
	}
	return EXIT_OK;
}

static void print(struct tool *t, const struct info *in)
{
	char family[8] = "";
	int mb = qlink_revision_flash_mb(in->revision);
	struct json j;
	bool known;

	qlink_revision_model(in->revision, family, sizeof(family));
	known = qlink_revision_model_known(family);
	if (!t->json) {
		fprintf(t->out, "manufacturer: %s\n", in->manufacturer);
		fprintf(t->out, "model:        %s%s%s%s\n", in->model,
			known ? "" : " (unknown to qlink: ",
			known	  ? "" :
			family[0] ? family :
				    "no family in the revision",
			known ? "" :
				" is not in the manuals, which cover EC200T/S/N, EC600S/N, "
				"EG912Y; FOTA rules would be assumed from the flash suffix)");
		fprintf(t->out, "revision:     %s\n", in->revision);
		if (mb > 0)
			fprintf(t->out, "flash:        %d MB (M%02d)%s\n", mb, mb,
				mb == 8 ? ", MiniFOTA: two packages by URL" : "");
		else
			fprintf(t->out, "flash:        unknown (revision has no M08/M16)\n");
		if (in->imei[0])
			fprintf(t->out, "imei:         %s\n", in->imei);
		return;
	}
	json_init(&j, t->out);
	json_obj_begin(&j, NULL);
	json_str(&j, "manufacturer", in->manufacturer);
	json_str(&j, "model", in->model);
	json_str(&j, "family", family[0] ? family : NULL);
	json_bool(&j, "known", known);
	json_str(&j, "revision", in->revision);
	if (mb > 0)
		json_int(&j, "flash_mb", mb);
	else
		json_null(&j, "flash_mb");
	json_str(&j, "imei", in->imei[0] ? in->imei : NULL);
	json_obj_end(&j);
}

int cmd_info(struct tool *t, int argc, char **argv)
{
	struct info in;
	struct qlink_resp *r = NULL;
	int ret;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: qlink [options] info\n");
		return EXIT_USAGE;
	}
	memset(&in, 0, sizeof(in));
	ret = tool_open(t);
	if (ret)
		return ret;
	ret = run(t, "ATI", &r);
	if (ret)
		goto out_close;
	parse_ati(&in, r);
	qlink_resp_free(r);
	/* some firmware leaves Revision: out of ATI; AT+GMR always has it */
	if (!in.revision[0] && qlink_revision_read(t->chan, in.revision, sizeof(in.revision)) < 0) {
		/* EPROTO: AT+GMR answered OK and no revision, which check_named() says */
		if (errno != EPROTO) {
			ret = tool_fail(t, NULL, "AT+GMR");
			goto out_close;
		}
		in.revision[0] = '\0';
	}
	ret = check_named(&in);
	if (ret)
		goto out_close;
	ret = run(t, "AT+GSN", &r);
	if (ret)
		goto out_close;
	copy(in.imei, sizeof(in.imei), qlink_resp_get_line(r, 0));
	qlink_resp_free(r);
	print(t, &in);
out_close:
	tool_close(t);
	return ret;
}
