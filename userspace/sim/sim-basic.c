// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * General commands: identification, echo, DTR and flow-control settings,
 * SIM and network status (what qlink status asks), PDP contexts
 * (AT+QICSGP/QIACT/QIDEACT, AT+CGDCONT?), SSL
 * contexts (the AT+QSSLCFG options the FTPS example uses) and AT+QCFG.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sim-core.h"
#include "sim-io.h"

#define ARGS struct sim *s, enum sim_kind k, struct sim_args *a, const char *raw

static void cmd_e(ARGS)
{
	long v = 0;

	if (k != SIM_EXEC || (a->n && !sim_arg_long(a, 0, 0, 1, &v))) {
		sim_error(s);
		return;
	}
	/* --fault echo: the module ignores ATE0 */
	s->st.echo = v || sim_fault(s, "echo");
	sim_ok(s);
}

static void cmd_ok(ARGS)
{
	sim_ok(s);
}

static void cmd_i(ARGS)
{
	if (k != SIM_EXEC) {
		sim_error(s);
		return;
	}
	sim_line(s, "Quectel");
	sim_line(s, "%s", s->st.model->cgmm);
	sim_line(s, "Revision: %s", s->st.revision);
	sim_ok(s);
}

static void cmd_gmr(ARGS)
{
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	sim_line(s, "%s", s->st.revision);
	sim_ok(s);
}

static void cmd_gmm(ARGS)
{
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	sim_line(s, "%s", s->st.model->cgmm);
	sim_ok(s);
}

static void cmd_gmi(ARGS)
{
	sim_line(s, "Quectel");
	sim_ok(s);
}

static void cmd_gsn(ARGS)
{
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	sim_line(s, "%s", s->st.imei);
	sim_ok(s);
}

static void cmd_cpin(ARGS)
{
	if (sim_fault(s, "no-sim")) {
		sim_cme(s, 10);
		return;
	}
	if (k == SIM_TEST) {
		sim_ok(s);
		return;
	}
	if (k != SIM_READ) {
		sim_cme(s, 3);
		return;
	}
	sim_line(s, "+CPIN: READY");
	sim_ok(s);
}

static void cmd_cmee(ARGS)
{
	long v;

	switch (k) {
	case SIM_TEST:
		sim_line(s, "+CMEE: (0-2)");
		break;
	case SIM_READ:
		sim_line(s, "+CMEE: %d", s->st.cmee);
		break;
	case SIM_SET:
		if (!sim_arg_long(a, 0, 0, 2, &v)) {
			sim_error(s);
			return;
		}
		s->st.cmee = (int)v;
		break;
	default:
		s->st.cmee = 0;
	}
	sim_ok(s);
}

static void cmd_csq(ARGS)
{
	if (k == SIM_TEST)
		sim_line(s, "+CSQ: (0-31,99),(0-7,99)");
	else
		sim_line(s, "+CSQ: %d,99", sim_fault(s, "no-network") ? 99 : 23);
	sim_ok(s);
}

/* +CREG / +CGREG / +CEREG: registered, home network */
static void cmd_reg(ARGS)
{
	char name[16];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(raw, "=?"), raw);
	if (k == SIM_READ)
		sim_line(s, "%s: 0,%d", name, sim_fault(s, "no-network") ? 2 : 1);
	sim_ok(s);
}

/* AT+QCCID and AT+CIMI: the SIM's numbers, or +CME ERROR: 10 without one */
static bool sim_present(struct sim *s, enum sim_kind k)
{
	if (sim_fault(s, "no-sim")) {
		sim_cme(s, 10);
		return false;
	}
	if (k == SIM_TEST) {
		sim_ok(s);
		return false;
	}
	return true;
}

static void cmd_qccid(ARGS)
{
	if (!sim_present(s, k))
		return;
	sim_line(s, "+QCCID: 89860012345678901234");
	sim_ok(s);
}

static void cmd_cimi(ARGS)
{
	if (!sim_present(s, k))
		return;
	sim_line(s, "460001234567890");
	sim_ok(s);
}

/* +COPS: automatic selection, long alphanumeric name, E-UTRAN (AcT 7) */
static void cmd_cops(ARGS)
{
	if (k == SIM_READ) {
		if (sim_fault(s, "no-network"))
			sim_line(s, "+COPS: 0");
		else
			sim_line(s, "+COPS: 0,0,\"CHINA MOBILE\",7");
	}
	sim_ok(s);
}

/* AT+QCSQ: <sysmode>,<rssi>,<rsrp>,<sinr>,<rsrq> for LTE */
static void cmd_qcsq(ARGS)
{
	if (k == SIM_TEST)
		sim_line(s, "+QCSQ: \"NOSERVICE\",\"GSM\",\"LTE\"");
	else if (sim_fault(s, "no-network"))
		sim_line(s, "+QCSQ: \"NOSERVICE\"");
	else
		sim_line(s, "+QCSQ: \"LTE\",-65,-92,145,-9");
	sim_ok(s);
}

/*
 * AT+QENG="servingcell" for LTE: state, RAT, duplex, MCC, MNC, cell ID
 * (hex), PCI, EARFCN, band, UL/DL bandwidth, TAC (hex), RSRP, RSRQ, RSSI,
 * SINR, srxlev.
 */
static void cmd_qeng(ARGS)
{
	const char *what = sim_arg_str(a, 0);

	if (k == SIM_TEST) {
		sim_line(s, "+QENG: \"servingcell\",\"neighbourcell\"");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !what || strcasecmp(what, "servingcell")) {
		sim_error(s);
		return;
	}
	if (sim_fault(s, "no-network"))
		sim_line(s, "+QENG: \"servingcell\",\"SEARCH\"");
	else
		sim_line(s, "+QENG: \"servingcell\",\"NOCONN\",\"LTE\",\"FDD\",460,00,"
			    "1A2D001,123,1650,3,5,5,1D4F,-92,-9,-65,14,40");
	sim_ok(s);
}

/* AT+CGDCONT?: every context with an APN or up; context 1 holds the network's default */
static void cmd_cgdcont(ARGS)
{
	int i;

	if (k == SIM_READ)
		for (i = 1; i <= SIM_CTX_MAX; i++)
			if (s->st.pdp[i].apn[0] || s->st.pdp[i].active || i == 1)
				sim_line(s, "+CGDCONT: %d,\"%s\",\"%s\",\"%s\",0,0", i,
					 s->st.pdp[i].type == 2 ? "IPV6" :
					 s->st.pdp[i].type == 3 ? "IPV4V6" :
								  "IP",
					 s->st.pdp[i].apn[0] || i != 1 ? s->st.pdp[i].apn : "cmnet",
					 s->st.pdp[i].active ? s->st.pdp[i].ip : "0.0.0.0");
	sim_ok(s);
}

static void cmd_cgatt(ARGS)
{
	if (k == SIM_READ)
		sim_line(s, "+CGATT: %d", sim_fault(s, "no-network") ? 0 : 1);
	sim_ok(s);
}

static void cmd_amp_d(ARGS)
{
	long v = 0;

	if (a->n && !sim_arg_long(a, 0, 0, 2, &v)) {
		sim_error(s);
		return;
	}
	s->st.amp_d = (int)v;
	sim_ok(s);
}

static void cmd_ifc(ARGS)
{
	long r, t;

	switch (k) {
	case SIM_TEST:
		sim_line(s, "+IFC: (0,2),(0,2)");
		break;
	case SIM_READ:
		sim_line(s, "+IFC: %d,%d", s->st.ifc_r, s->st.ifc_t);
		break;
	case SIM_SET:
		if (!sim_arg_long(a, 0, 0, 2, &r) || r == 1 ||
		    (a->n > 1 && (!sim_arg_long(a, 1, 0, 2, &t) || t == 1))) {
			sim_error(s);
			return;
		}
		s->st.ifc_r = (int)r;
		s->st.ifc_t = a->n > 1 ? (int)t : (int)r;
		break;
	default:
		sim_error(s);
		return;
	}
	sim_ok(s);
}

static void cmd_qcfg(ARGS)
{
	const char *what = sim_arg_str(a, 0);
	long r, t;

	if (k == SIM_TEST) {
		sim_line(s, "+QCFG: \"usbifc\",(0,2),(0,2)");
		sim_line(s, "+QCFG: \"fota/cid\",(1-15)");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !what) {
		sim_error(s);
		return;
	}
	if (!strcasecmp(what, "usbifc")) {
		if (a->n == 1) {
			sim_line(s, "+QCFG: \"usbifc\",%d,%d", s->st.usbifc_r, s->st.usbifc_t);
		} else if (sim_arg_long(a, 1, 0, 2, &r) && r != 1 && sim_arg_long(a, 2, 0, 2, &t) &&
			   t != 1) {
			s->st.usbifc_r = (int)r;
			s->st.usbifc_t = (int)t;
		} else {
			sim_error(s);
			return;
		}
	} else if (!strcasecmp(what, "fota/cid")) {
		if (a->n == 1) {
			sim_line(s, "+QCFG: \"fota/cid\",%d", s->st.fota_cid);
		} else if (sim_arg_long(a, 1, 1, SIM_CTX_MAX, &r)) {
			s->st.fota_cid = (int)r;
		} else {
			sim_error(s);
			return;
		}
	} else {
		sim_error(s);
		return;
	}
	sim_ok(s);
}

static void cmd_qicsgp(ARGS)
{
	struct sim_pdp *p;
	long cid, type = 1, auth = 0;

	if (k == SIM_TEST) {
		sim_line(s, "+QICSGP: (1-15),(1-3),<APN>,<username>,<password>,(0-3)");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !sim_arg_long(a, 0, 1, SIM_CTX_MAX, &cid)) {
		sim_error(s);
		return;
	}
	p = &s->st.pdp[cid];
	if (a->n == 1) {
		sim_line(s, "+QICSGP: %d,\"%s\",\"%s\",\"%s\",%d", p->type ? p->type : 1, p->apn,
			 p->user, p->pass, p->auth);
		sim_ok(s);
		return;
	}
	if (!sim_arg_long(a, 1, 1, 3, &type) || a->n < 3 || strlen(a->v[2]) >= sizeof(p->apn) ||
	    (a->n > 3 && strlen(a->v[3]) >= sizeof(p->user)) ||
	    (a->n > 4 && strlen(a->v[4]) >= sizeof(p->pass)) ||
	    (a->n > 5 && !sim_arg_long(a, 5, 0, 3, &auth))) {
		sim_error(s);
		return;
	}
	p->type = (int)type;
	snprintf(p->apn, sizeof(p->apn), "%s", a->v[2]);
	snprintf(p->user, sizeof(p->user), "%s", a->n > 3 ? a->v[3] : "");
	snprintf(p->pass, sizeof(p->pass), "%s", a->n > 4 ? a->v[4] : "");
	p->auth = (int)auth;
	sim_ok(s);
}

static void cmd_qiact(ARGS)
{
	long cid;
	int i, others;

	switch (k) {
	case SIM_TEST:
		sim_line(s, "+QIACT: (1-15)");
		break;
	case SIM_READ:
		for (i = 1; i <= SIM_CTX_MAX; i++)
			if (s->st.pdp[i].active)
				sim_line(s, "+QIACT: %d,1,%d,\"%s\"", i,
					 s->st.pdp[i].type ? s->st.pdp[i].type : 1,
					 s->st.pdp[i].ip);
		break;
	case SIM_SET:
		if (!sim_arg_long(a, 0, 1, SIM_CTX_MAX, &cid)) {
			sim_error(s);
			return;
		}
		if (sim_fault(s, "no-network") || sim_fault(s, "no-sim")) {
			/* what the FTP guide's troubleshooting section is about */
			sim_error(s);
			return;
		}
		/* at most three contexts at once (3GPP) */
		for (i = 1, others = 0; i <= SIM_CTX_MAX; i++)
			others += s->st.pdp[i].active && i != cid;
		if (others >= 3) {
			sim_error(s);
			return;
		}
		s->st.pdp[cid].active = true;
		snprintf(s->st.pdp[cid].ip, sizeof(s->st.pdp[cid].ip), "10.7.157.%ld", cid);
		break;
	default:
		sim_error(s);
		return;
	}
	sim_ok(s);
}

static void cmd_qideact(ARGS)
{
	long cid;

	if (k == SIM_TEST) {
		sim_line(s, "+QIDEACT: (1-15)");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !sim_arg_long(a, 0, 1, SIM_CTX_MAX, &cid)) {
		sim_error(s);
		return;
	}
	s->st.pdp[cid].active = false;
	sim_ok(s);
}

static void cmd_qsslcfg(ARGS)
{
	const char *what = sim_arg_str(a, 0);
	struct sim_ssl *c;
	long ctx, v;

	if (k == SIM_TEST) {
		sim_line(s, "+QSSLCFG: \"sslversion\",(0-5),(0-4)");
		sim_line(s, "+QSSLCFG: \"ciphersuite\",(0-5),(0X0035,0XFFFF)");
		sim_line(s, "+QSSLCFG: \"seclevel\",(0-5),(0-2)");
		sim_line(s, "+QSSLCFG: \"cacert\",(0-5),<cacertpath>");
		sim_ok(s);
		return;
	}
	if (k != SIM_SET || !what || !sim_arg_long(a, 1, 0, SIM_SSL_CTX_MAX - 1, &ctx)) {
		sim_error(s);
		return;
	}
	c = &s->st.ssl[ctx];
	if (!strcasecmp(what, "sslversion")) {
		if (a->n == 2)
			sim_line(s, "+QSSLCFG: \"sslversion\",%ld,%d", ctx, c->sslversion);
		else if (sim_arg_long(a, 2, 0, 4, &v))
			c->sslversion = (int)v;
		else
			goto bad;
	} else if (!strcasecmp(what, "seclevel")) {
		if (a->n == 2)
			sim_line(s, "+QSSLCFG: \"seclevel\",%ld,%d", ctx, c->seclevel);
		else if (sim_arg_long(a, 2, 0, 2, &v))
			c->seclevel = (int)v;
		else
			goto bad;
	} else if (!strcasecmp(what, "ciphersuite")) {
		if (a->n == 2)
			sim_line(s, "+QSSLCFG: \"ciphersuite\",%ld,0X%04X", ctx, c->ciphersuite);
		else if (sim_arg_long(a, 2, 0, 0xffff, &v))
			c->ciphersuite = (unsigned int)v;
		else
			goto bad;
	} else if (!strcasecmp(what, "cacert")) {
		if (a->n == 2)
			sim_line(s, "+QSSLCFG: \"cacert\",%ld,\"%s\"", ctx, c->cacert);
		else if (strlen(a->v[2]) < sizeof(c->cacert))
			snprintf(c->cacert, sizeof(c->cacert), "%s", a->v[2]);
		else
			goto bad;
	} else {
		goto bad;
	}
	sim_ok(s);
	return;
bad:
	sim_error(s);
}

static void powered_down(struct sim *s, void *ctx)
{
	(void)ctx;
	sim_line(s, "POWERED DOWN");
	/* with a PWRKEY line (--pwrkey) it stays off until the key is pressed */
	if (s->pwrkey_file) {
		sim_power_off(s);
		return;
	}
	/* the HAT's auto-boot brings it back, as after a PWRKEY pulse */
	sim_reboot(s, 1000);
}

static void cmd_qpowd(ARGS)
{
	sim_ok(s);
	sim_timer_add(s, 50, powered_down, NULL);
}

static void cmd_cfun(ARGS)
{
	long fun, rst = 0;

	if (k == SIM_READ) {
		sim_line(s, "+CFUN: 1");
		sim_ok(s);
		return;
	}
	if (k == SIM_TEST) {
		sim_line(s, "+CFUN: (0,1,4),(0-1)");
		sim_ok(s);
		return;
	}
	if (!sim_arg_long(a, 0, 0, 4, &fun) || (a->n > 1 && !sim_arg_long(a, 1, 0, 1, &rst))) {
		sim_error(s);
		return;
	}
	sim_ok(s);
	if (rst)
		sim_reboot(s, 500);
}

/* ATO: after +++ the transfer has been aborted, so there is nothing to resume */
static void cmd_o(ARGS)
{
	sim_line(s, "NO CARRIER");
}

const struct sim_cmd sim_basic_cmds[] = {
	{ "E", cmd_e },
	{ "I", cmd_i },
	{ "V", cmd_ok },
	{ "Z", cmd_ok },
	{ "&F", cmd_ok },
	{ "&W", cmd_ok },
	{ "&D", cmd_amp_d },
	{ "O", cmd_o },
	{ "+GMR", cmd_gmr },
	{ "+CGMR", cmd_gmr },
	{ "+QGMR", cmd_gmr },
	{ "+GMM", cmd_gmm },
	{ "+CGMM", cmd_gmm },
	{ "+GMI", cmd_gmi },
	{ "+CGMI", cmd_gmi },
	{ "+GSN", cmd_gsn },
	{ "+CGSN", cmd_gsn },
	{ "+CPIN", cmd_cpin },
	{ "+CMEE", cmd_cmee },
	{ "+CSQ", cmd_csq },
	{ "+CREG", cmd_reg },
	{ "+CGREG", cmd_reg },
	{ "+CEREG", cmd_reg },
	{ "+CGATT", cmd_cgatt },
	{ "+QCCID", cmd_qccid },
	{ "+CIMI", cmd_cimi },
	{ "+COPS", cmd_cops },
	{ "+QCSQ", cmd_qcsq },
	{ "+QENG", cmd_qeng },
	{ "+CGDCONT", cmd_cgdcont },
	{ "+IFC", cmd_ifc },
	{ "+QCFG", cmd_qcfg },
	{ "+QICSGP", cmd_qicsgp },
	{ "+QIACT", cmd_qiact },
	{ "+QIDEACT", cmd_qideact },
	{ "+QSSLCFG", cmd_qsslcfg },
	{ "+QPOWD", cmd_qpowd },
	{ "+CFUN", cmd_cfun },
};

const size_t sim_basic_ncmds = sizeof(sim_basic_cmds) / sizeof(sim_basic_cmds[0]);
