// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink status: the first look at a new board, what mmcli -m 0 shows: the
 * SIM, registration on each RAT, operator, signal, serving cell,
 * temperature and PDP contexts. Each query stands alone: a command the
 * firmware lacks (ERROR), a SIM that is missing (+CME ERROR: 10) or a
 * query left unanswered leaves its fields out and the rest is still
 * shown. Only a port that answers nothing at all (not even AT) fails.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tool.h"

#define STATUS_CTX_MAX 16
#define STATUS_FIELDS_MAX 24

/* A response line split at commas, quotes removed; fields point into @buf. */
struct fields {
	char buf[512];
	char *v[STATUS_FIELDS_MAX];
	int n;
};

struct pdp {
	int cid;
	char type[16];
	char apn[100];
	char addr[64];
	int active; /* -1: not known */
};

struct status {
	/* each text field empty when the module did not say */
	char sim[32];
	char iccid[32];
	char imsi[32];
	int reg[3]; /* CREG, CGREG, CEREG <stat>; -1 unanswered */
	char oper[64];
	int act; /* COPS <AcT>; -1 unknown */
	char sysmode[16];
	int qcsq[4]; /* rssi, rsrp, sinr, rsrq as the module gives them */
	int n_qcsq;
	int csq_rssi;	/* dBm; 1 when unknown */
	char cell[256]; /* the +QENG: line after "servingcell", */
	struct fields cellf;
	char temp[128]; /* the +QTEMP: lines, joined */
	struct pdp pdp[STATUS_CTX_MAX];
	int n_pdp;
	/* what went unanswered, for the reader: "AT+QCCID (ERROR)" */
	char missing[512];
};

static const char *const reg_cmd[3] = { "AT+CREG?", "AT+CGREG?", "AT+CEREG?" };
static const char *const reg_name[3] = { "cs", "ps", "eps" };

static void split(struct fields *f, const char *line)
{
	char *p, *out;
	bool quoted = false;

	snprintf(f->buf, sizeof(f->buf), "%s", line);
	f->n = 0;
	p = f->buf;
	out = p;
	f->v[f->n++] = out;
	for (; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (*p == ',' && !quoted) {
			*out++ = '\0';
			if (f->n == STATUS_FIELDS_MAX)
				break;
			f->v[f->n++] = out;
			continue;
		}
		*out++ = *p;
	}
	*out = '\0';
	for (int i = 0; i < f->n; i++)
		while (*f->v[i] == ' ')
			f->v[i]++;
}

static bool to_int(const char *s, int *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < -100000 || v > 100000)
		return false;
	*out = (int)v;
	return true;
}

/* The payload after "+NAME:", or NULL if @line is not one. */
static const char *after(const char *line, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!line || strncmp(line, prefix, n))
		return NULL;
	line += n;
	while (*line == ' ')
		line++;
	return line;
}

static void note_missing(struct status *st, const char *cmd, const struct qlink_resp *r, int err)
{
	size_t len = strlen(st->missing);
	const char *why;

	if (r && qlink_resp_get_final(r))
		why = qlink_resp_get_final(r);
	else
		why = err == ETIMEDOUT ? "no answer in time" : strerror(err);
	snprintf(st->missing + len, sizeof(st->missing) - len, "%s%s (%s)", len ? "\n" : "", cmd,
		 why);
}

/*
 * One query. Returns its response, or NULL (noted in st->missing) when
 * the module did not answer it. A lost port is the one failure that ends
 * the command: *fatal is set.
 */
static struct qlink_resp *query(struct tool *t, struct status *st, const char *cmd, int *fatal)
{
	struct qlink_resp *r = NULL;
	int err;

	if (*fatal)
		return NULL;
	if (qlink_chan_exec(t->chan, cmd, NULL, &r) == 0)
		return r;
	err = errno;
	if (err == ENXIO || err == ECANCELED) {
		*fatal = tool_fail(t, r, cmd);
	} else {
		note_missing(st, cmd, r, err);
		/* the -CME ERROR: 10 that means no SIM is an answer too */
		if (!strcmp(cmd, "AT+CPIN?") && r && qlink_resp_get_code(r) == 10 &&
		    qlink_resp_get_final(r) && strstr(qlink_resp_get_final(r), "CME"))
			snprintf(st->sim, sizeof(st->sim), "NOT INSERTED");
	}
	qlink_resp_free(r);
	return NULL;
}

static const char *first_line(const struct qlink_resp *r, const char *prefix)
{
	size_t i;

	for (i = 0; i < qlink_resp_get_line_count(r); i++) {
		const char *l = qlink_resp_get_line(r, i);
		const char *p = prefix ? after(l, prefix) : l;

		if (p)
			return p;
	}
	return NULL;
}

static void copy_line(char *dst, size_t len, const struct qlink_resp *r, const char *prefix)
{
	const char *p = r ? first_line(r, prefix) : NULL;

	snprintf(dst, len, "%s", p ? p : "");
}

static void ask_sim(struct tool *t, struct status *st, int *fatal)
{
	struct qlink_resp *r;

	r = query(t, st, "AT+CPIN?", fatal);
	if (r)
		copy_line(st->sim, sizeof(st->sim), r, "+CPIN:");
	qlink_resp_free(r);
	if (!strcmp(st->sim, "NOT INSERTED") || *fatal)
		return; /* ICCID and IMSI can only say the same */
	r = query(t, st, "AT+QCCID", fatal);
	copy_line(st->iccid, sizeof(st->iccid), r, "+QCCID:");
	qlink_resp_free(r);
	r = query(t, st, "AT+CIMI", fatal);
	copy_line(st->imsi, sizeof(st->imsi), r, NULL);
	qlink_resp_free(r);
}

static void ask_network(struct tool *t, struct status *st, int *fatal)
{
	struct qlink_resp *r;
	struct fields f;
	const char *p;
	int i, v;

	for (i = 0; i < 3; i++) {
		char prefix[16];

		snprintf(prefix, sizeof(prefix), "%.*s:", (int)strcspn(reg_cmd[i] + 2, "?"),
			 reg_cmd[i] + 2);
		r = query(t, st, reg_cmd[i], fatal);
		st->reg[i] = -1;
		p = r ? first_line(r, prefix) : NULL;
		if (p) {
			/* <n>,<stat>[,...]; an unsolicited-style answer has <stat> alone */
			split(&f, p);
			if (to_int(f.v[f.n > 1 ? 1 : 0], &v))
				st->reg[i] = v;
		}
		qlink_resp_free(r);
	}
	r = query(t, st, "AT+COPS?", fatal);
	p = r ? first_line(r, "+COPS:") : NULL;
	st->act = -1;
	if (p) {
		split(&f, p);
		if (f.n > 2)
			snprintf(st->oper, sizeof(st->oper), "%s", f.v[2]);
		if (f.n > 3 && !to_int(f.v[3], &st->act))
			st->act = -1;
	}
	qlink_resp_free(r);
}

static void ask_signal(struct tool *t, struct status *st, int *fatal)
{
	struct qlink_resp *r;
	struct fields f;
	const char *p;
	int i, v;

	r = query(t, st, "AT+QCSQ", fatal);
	p = r ? first_line(r, "+QCSQ:") : NULL;
	if (p) {
		split(&f, p);
		snprintf(st->sysmode, sizeof(st->sysmode), "%s", f.v[0]);
		for (i = 1; i < f.n && i <= 4 && to_int(f.v[i], &st->qcsq[i - 1]); i++)
			st->n_qcsq = i;
	}
	qlink_resp_free(r);
	st->csq_rssi = 1;
	r = query(t, st, "AT+CSQ", fatal);
	p = r ? first_line(r, "+CSQ:") : NULL;
	if (p) {
		split(&f, p);
		/* 27.007: 0..31 is -113 + 2n dBm; 99 is not known */
		if (to_int(f.v[0], &v) && v >= 0 && v <= 31)
			st->csq_rssi = -113 + 2 * v;
	}
	qlink_resp_free(r);
	r = query(t, st, "AT+QENG=\"servingcell\"", fatal);
	p = r ? first_line(r, "+QENG:") : NULL;
	if (p) {
		split(&st->cellf, p);
		if (st->cellf.n > 1 && !strcmp(st->cellf.v[0], "servingcell")) {
			snprintf(st->cell, sizeof(st->cell), "%s", p + strcspn(p, ",") + 1);
		} else {
			st->cellf.n = 0;
		}
	}
	qlink_resp_free(r);
	/* sensors differ by platform: keep what the module names, as it names it */
	r = query(t, st, "AT+QTEMP", fatal);
	for (i = 0; r && i < (int)qlink_resp_get_line_count(r); i++) {
		size_t len = strlen(st->temp);

		p = after(qlink_resp_get_line(r, i), "+QTEMP:");
		if (p)
			snprintf(st->temp + len, sizeof(st->temp) - len, "%s%s", len ? "; " : "",
				 p);
	}
	qlink_resp_free(r);
}

static struct pdp *pdp_find(struct status *st, int cid, bool add)
{
	int i;

	for (i = 0; i < st->n_pdp; i++)
		if (st->pdp[i].cid == cid)
			return &st->pdp[i];
	if (!add || st->n_pdp == STATUS_CTX_MAX)
		return NULL;
	memset(&st->pdp[st->n_pdp], 0, sizeof(st->pdp[0]));
	st->pdp[st->n_pdp].cid = cid;
	st->pdp[st->n_pdp].active = -1;
	return &st->pdp[st->n_pdp++];
}

static void ask_pdp(struct tool *t, struct status *st, int *fatal)
{
	struct qlink_resp *r;
	struct fields f;
	struct pdp *c;
	size_t i;
	int cid;

	r = query(t, st, "AT+CGDCONT?", fatal);
	for (i = 0; r && i < qlink_resp_get_line_count(r); i++) {
		const char *p = after(qlink_resp_get_line(r, i), "+CGDCONT:");

		if (!p)
			continue;
		split(&f, p);
		if (!to_int(f.v[0], &cid) || !(c = pdp_find(st, cid, true)))
			continue;
		snprintf(c->type, sizeof(c->type), "%s", f.n > 1 ? f.v[1] : "");
		snprintf(c->apn, sizeof(c->apn), "%s", f.n > 2 ? f.v[2] : "");
	}
	qlink_resp_free(r);
	/* AT+QIACT? lists the contexts that are up, with their address */
	r = query(t, st, "AT+QIACT?", fatal);
	if (r)
		for (i = 0; i < (size_t)st->n_pdp; i++)
			st->pdp[i].active = 0;
	for (i = 0; r && i < qlink_resp_get_line_count(r); i++) {
		const char *p = after(qlink_resp_get_line(r, i), "+QIACT:");

		if (!p)
			continue;
		split(&f, p);
		if (!to_int(f.v[0], &cid) || !(c = pdp_find(st, cid, true)))
			continue;
		c->active = f.n > 1 && !strcmp(f.v[1], "1");
		snprintf(c->addr, sizeof(c->addr), "%s", f.n > 3 ? f.v[3] : "");
	}
	qlink_resp_free(r);
}

static const char *reg_text(int stat)
{
	static const char *const t[] = {
		"not registered", "registered, home", "searching",
		"denied",	  "unknown",	      "registered, roaming"
	};

	return stat >= 0 && stat < 6 ? t[stat] : "other";
}

/* 27.007 <AcT> */
static const char *act_text(int act)
{
	static const char *const t[] = { "GSM",		"GSM Compact", "UTRAN",	     "GSM/EGPRS",
					 "UTRAN/HSDPA", "UTRAN/HSUPA", "UTRAN/HSPA", "LTE",
					 "EC-GSM-IoT",	"LTE Cat-M1",  "LTE NB-IoT" };

	return act >= 0 && act < 11 ? t[act] : NULL;
}

/* The LTE serving cell's named fields, as AT+QENG="servingcell" orders them. */
static const char *const lte_cell[] = { NULL,	  "state", "rat",    "duplex", "mcc",	"mnc",
					"cellid", "pci",   "earfcn", "band",   "ul_bw", "dl_bw",
					"tac",	  "rsrp",  "rsrq",   "rssi",   "sinr",	"srxlev" };

static void print_text(struct tool *t, const struct status *st)
{
	FILE *o = t->out;
	int i;

#define SHOW(label, val) \
	do { \
		if ((val)[0]) \
			fprintf(o, "%-14s%s\n", label ":", val); \
	} while (0)
	SHOW("sim", st->sim);
	SHOW("iccid", st->iccid);
	SHOW("imsi", st->imsi);
	for (i = 0; i < 3; i++)
		if (st->reg[i] >= 0)
			fprintf(o, "%-14s%s (%s)\n", "registration:", reg_text(st->reg[i]),
				reg_cmd[i] + 3);
	SHOW("operator", st->oper);
	if (act_text(st->act))
		fprintf(o, "%-14s%s\n", "access tech:", act_text(st->act));
	if (st->sysmode[0]) {
		fprintf(o, "%-14s%s", "signal:", st->sysmode);
		if (st->n_qcsq >= 1)
			fprintf(o, " rssi %d dBm", st->qcsq[0]);
		if (st->n_qcsq >= 2)
			fprintf(o, ", rsrp %d dBm", st->qcsq[1]);
		if (st->n_qcsq >= 4)
			fprintf(o, ", rsrq %d dB", st->qcsq[3]);
		if (st->n_qcsq >= 3)
			fprintf(o, ", sinr %d (module's units)", st->qcsq[2]);
		fputc('\n', o);
	}
	if (st->csq_rssi <= 0)
		fprintf(o, "%-14s%d dBm (AT+CSQ)\n", "rssi:", st->csq_rssi);
	SHOW("serving cell", st->cell);
	SHOW("temperature", st->temp);
	for (i = 0; i < st->n_pdp; i++)
		fprintf(o, "%-14s%d %s \"%s\"%s%s%s\n", "pdp context:", st->pdp[i].cid,
			st->pdp[i].type, st->pdp[i].apn,
			st->pdp[i].active == 1 ? " up" :
			st->pdp[i].active == 0 ? " down" :
						 "",
			st->pdp[i].active == 1 && st->pdp[i].addr[0] ? " " : "",
			st->pdp[i].active == 1 ? st->pdp[i].addr : "");
#undef SHOW
	if (st->missing[0]) {
		const char *p = st->missing;

		fprintf(o, "%-14s", "unanswered:");
		while (*p) {
			size_t n = strcspn(p, "\n");

			fprintf(o, "%.*s%s", (int)n, p, p[n] ? ", " : "\n");
			p += n + (p[n] == '\n');
		}
	}
}

static void json_opt(struct json *j, const char *key, const char *val)
{
	if (val[0])
		json_str(j, key, val);
}

static void print_json(struct tool *t, const struct status *st)
{
	struct json j;
	int i, v;

	json_init(&j, t->out);
	json_obj_begin(&j, NULL);
	json_opt(&j, "sim", st->sim);
	json_opt(&j, "iccid", st->iccid);
	json_opt(&j, "imsi", st->imsi);
	if (st->reg[0] >= 0 || st->reg[1] >= 0 || st->reg[2] >= 0) {
		json_obj_begin(&j, "registration");
		for (i = 0; i < 3; i++)
			if (st->reg[i] >= 0) {
				json_obj_begin(&j, reg_name[i]);
				json_int(&j, "stat", st->reg[i]);
				json_str(&j, "text", reg_text(st->reg[i]));
				json_obj_end(&j);
			}
		json_obj_end(&j);
	}
	json_opt(&j, "operator", st->oper);
	if (act_text(st->act))
		json_str(&j, "access_tech", act_text(st->act));
	if (st->sysmode[0] || st->csq_rssi <= 0) {
		json_obj_begin(&j, "signal");
		json_opt(&j, "sysmode", st->sysmode);
		if (st->n_qcsq >= 1)
			json_int(&j, "rssi_dbm", st->qcsq[0]);
		if (st->n_qcsq >= 2)
			json_int(&j, "rsrp_dbm", st->qcsq[1]);
		if (st->n_qcsq >= 3)
			json_int(&j, "sinr", st->qcsq[2]);
		if (st->n_qcsq >= 4)
			json_int(&j, "rsrq_db", st->qcsq[3]);
		if (st->csq_rssi <= 0)
			json_int(&j, "csq_rssi_dbm", st->csq_rssi);
		json_obj_end(&j);
	}
	if (st->cellf.n > 1) {
		bool lte = st->cellf.n >= 13 && !strcmp(st->cellf.v[2], "LTE");

		json_obj_begin(&j, "serving_cell");
		json_str(&j, "state", st->cellf.v[1]);
		for (i = 2;
		     lte && i < st->cellf.n && i < (int)(sizeof(lte_cell) / sizeof(*lte_cell));
		     i++) {
			/* numbers as numbers; the hex cell ID and TAC stay text */
			if (i >= 13 && to_int(st->cellf.v[i], &v))
				json_int(&j, lte_cell[i], v);
			else if (st->cellf.v[i][0] && strcmp(st->cellf.v[i], "-"))
				json_str(&j, lte_cell[i], st->cellf.v[i]);
		}
		json_str(&j, "raw", st->cell);
		json_obj_end(&j);
	}
	json_opt(&j, "temperature", st->temp);
	if (st->n_pdp) {
		json_arr_begin(&j, "pdp");
		for (i = 0; i < st->n_pdp; i++) {
			json_obj_begin(&j, NULL);
			json_int(&j, "cid", st->pdp[i].cid);
			json_opt(&j, "type", st->pdp[i].type);
			json_opt(&j, "apn", st->pdp[i].apn);
			if (st->pdp[i].active >= 0)
				json_bool(&j, "active", st->pdp[i].active == 1);
			if (st->pdp[i].active == 1)
				json_opt(&j, "address", st->pdp[i].addr);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	if (st->missing[0]) {
		char buf[sizeof(st->missing)];
		char *p = buf, *nl;

		snprintf(buf, sizeof(buf), "%s", st->missing);
		json_arr_begin(&j, "unanswered");
		do {
			nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			json_str(&j, NULL, p);
			p = nl + 1;
		} while (nl);
		json_arr_end(&j);
	}
	json_obj_end(&j);
}

void cmd_status_usage(FILE *f)
{
	fprintf(f, "usage: qlink [options] status\n\n"
		   "The SIM (AT+CPIN?, AT+QCCID, AT+CIMI), registration on each RAT\n"
		   "(AT+CREG?, AT+CGREG?, AT+CEREG?), operator and access technology\n"
		   "(AT+COPS?), signal (AT+QCSQ, AT+CSQ), serving cell\n"
		   "(AT+QENG=\"servingcell\"), temperature (AT+QTEMP) and PDP contexts\n"
		   "(AT+CGDCONT?, AT+QIACT?). A field the module does not answer is left\n"
		   "out, and the queries it left unanswered are listed; with --json\n"
		   "(a global option: qlink --json status) the fields are keys of one\n"
		   "object.\n\n"
		   "options:\n"
		   "  -h, --help   this text\n");
}

int cmd_status(struct tool *t, int argc, char **argv)
{
	struct status *st;
	struct qlink_resp *r = NULL;
	int ret, fatal = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		cmd_status_usage(stdout);
		return EXIT_OK;
	}
	if (argc != 1) {
		cmd_status_usage(stderr);
		return EXIT_USAGE;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		fprintf(stderr, "qlink: out of memory\n");
		return EXIT_FAIL;
	}
	ret = tool_open(t);
	if (ret)
		goto free_st;
	/* a port that answers nothing has nothing to show: say so once */
	if (qlink_chan_exec(t->chan, "AT", NULL, &r) < 0) {
		ret = tool_fail(t, r, "AT");
		qlink_resp_free(r);
		goto close;
	}
	qlink_resp_free(r);
	ask_sim(t, st, &fatal);
	ask_network(t, st, &fatal);
	ask_signal(t, st, &fatal);
	ask_pdp(t, st, &fatal);
	if (fatal) {
		ret = fatal;
		goto close;
	}
	if (t->json)
		print_json(t, st);
	else
		print_text(t, st);
close:
	tool_close(t);
free_st:
	free(st);
	return ret;
}
