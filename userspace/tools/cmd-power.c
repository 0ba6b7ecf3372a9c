// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The qlink authors */
/*
 * qlink power on|off|reset|status: the module's PWRKEY and RESET_N pins
 * (GPIO lines from --pwrkey-gpio/--reset-gpio or the config file).
 * qlink escape: back to command mode from data mode, by DTR or "+++".
 */
#include <errno.h>
#include <string.h>

#include "json.h"
#include "tool.h"

static void power_usage(FILE *f)
{
	fprintf(f,
		"usage: qlink [options] power on|off|reset|status\n"
		"  on      press PWRKEY (%d ms) unless the module answers AT; wait for RDY\n"
		"  off     AT+QPOWD=1, else press PWRKEY (%d ms); wait for POWERED DOWN\n"
		"          or the port to go away\n"
		"  reset   hold RESET_N (%d ms); wait for RDY\n"
		"  status  does the module answer AT? exit 0 if it does, 1 if not\n"
		"The lines come from --pwrkey-gpio/--reset-gpio or the config file.\n",
		QLINK_PWRKEY_ON_MS, QLINK_PWRKEY_OFF_MS, QLINK_RESET_MS);
}

static struct qlink_gpio *take(const char *spec, const char *what, const char *consumer, int *ret)
{
	struct qlink_gpio *g;

	if (!spec) {
		fprintf(stderr,
			"qlink: power: no %s line: pass --%s-gpio or set %s_gpio in the "
			"config file\n",
			what, what, what);
		*ret = EXIT_USAGE;
		return NULL;
	}
	/* released (0) from the start: a request must not itself press the key */
	g = qlink_gpio_request(spec, consumer, 0);
	if (!g) {
		int err = errno;

		fprintf(stderr, "qlink: power: %s line %s: %s\n", what, spec,
			err == ENOTSUP ? TOOL_NO_GPIO : strerror(err));
		*ret = err == ENOTSUP ?
			       EXIT_USAGE :
			       tool_exit_code(err, TOOL_EXIT_OPEN | TOOL_EXIT_USAGE_EINVAL);
	}
	return g;
}

static void report(struct tool *t, const char *verb, int rc, const struct qlink_power_report *r)
{
	const char *state = qlink_power_state_name(qlink_power_report_get_state(r));
	const char *how = qlink_power_report_get_how(r), *seen = qlink_power_report_get_seen(r);
	uint64_t pulse_ns = qlink_power_report_get_pulse_ns(r);
	FILE *out = rc ? stderr : t->out;

	if (t->json) {
		struct json j;

		json_init(&j, t->out);
		json_obj_begin(&j, NULL);
		json_str(&j, "command", verb);
		json_bool(&j, "ok", rc == 0);
		json_str(&j, "state", state);
		json_str(&j, "did", how);
		json_str(&j, "seen", seen);
		json_int(&j, "pulse_us", (long long)(pulse_ns / 1000));
		json_int(&j, "waited_ms", qlink_power_report_get_waited_ms(r));
		json_obj_end(&j);
		fputc('\n', t->out);
		return;
	}
	fprintf(out, "%s%s: %s (%s", rc ? "qlink: power " : "", verb, seen, how);
	if (pulse_ns)
		fprintf(out, ", held %.1f ms", pulse_ns / 1e6);
	fprintf(out, "); module %s\n", state);
}

int cmd_power(struct tool *t, int argc, char **argv)
{
	struct qlink_power_port port = {
		.path = t->port,
		.baud = t->baud,
		.flags = t->rtscts ? QLINK_TTY_RTSCTS : 0,
	};
	struct qlink_power_report *r;
	struct qlink_gpio *g = NULL;
	struct qlink_transport *tr;
	const char *verb = argc == 2 ? argv[1] : "";
	int rc, ret = EXIT_OK;

	if (argc == 2 && (!strcmp(verb, "-h") || !strcmp(verb, "--help"))) {
		power_usage(stdout);
		return EXIT_OK;
	}
	if (argc != 2 || (strcmp(verb, "on") && strcmp(verb, "off") && strcmp(verb, "reset") &&
			  strcmp(verb, "status"))) {
		power_usage(stderr);
		return EXIT_USAGE;
	}
	if (!t->port) {
		fprintf(stderr, "qlink: no port: pass -p DEV, set QLINK_PORT or port in the "
				"config file\n");
		return EXIT_USAGE;
	}
	/* a build without GPIO says so before the port is even looked at */
	if (strcmp(verb, "status") && (strcmp(verb, "off") || t->pwrkey_spec) &&
	    !qlink_gpio_available()) {
		fprintf(stderr, "qlink: power %s: %s\n", verb, TOOL_NO_GPIO);
		return EXIT_USAGE;
	}
	/*
	 * Refused here, like every command, when another program holds the
	 * port. Not kept: the library opens the port itself, and a descriptor
	 * held while a USB module is off would give it another name.
	 */
	tr = tool_open_port(t, 0, &ret);
	if (!tr)
		return ret;
	qlink_transport_free(tr);
	r = qlink_power_report_new();
	if (!r) {
		fprintf(stderr, "qlink: out of memory\n");
		return EXIT_FAIL;
	}
	if (!strcmp(verb, "status")) {
		qlink_power_status(&port, r);
		report(t, verb, 0, r);
		ret = qlink_power_report_get_state(r) == QLINK_POWER_ON ? EXIT_OK : EXIT_FAIL;
		goto free_report;
	}
	if (!strcmp(verb, "reset"))
		g = take(t->reset_spec, "reset", "qlink-reset", &ret);
	else if (!strcmp(verb, "on") || t->pwrkey_spec)
		g = take(t->pwrkey_spec, "pwrkey", "qlink-pwrkey", &ret);
	if (!g && ret != EXIT_OK)
		goto free_report;
	if (!strcmp(verb, "on"))
		rc = qlink_power_on(&port, g, r);
	else if (!strcmp(verb, "off"))
		rc = qlink_power_off(&port, g, r);
	else
		rc = qlink_power_reset(&port, g, r);
	/* only a missed RDY or POWERED DOWN (ETIMEDOUT) has its own code here */
	ret = rc ? tool_exit_code(errno, TOOL_EXIT_NO_LOSS) : EXIT_OK;
	report(t, verb, rc, r);
	qlink_gpio_free(g);
free_report:
	qlink_power_report_free(r);
	return ret;
}

int cmd_escape(struct tool *t, int argc, char **argv)
{
	int ret;

	if (argc != 1) {
		fprintf(stderr, "usage: qlink [options] escape\n");
		return EXIT_USAGE;
	}
	ret = tool_open(t);
	if (ret != EXIT_OK)
		return ret;
	if (qlink_chan_escape(t->chan) < 0) {
		fprintf(stderr, "qlink: escape (%s): %s\n", t->dtr ? "DTR" : "+++",
			errno == ETIMEDOUT ? "the module did not answer AT afterwards" :
					     strerror(errno));
		ret = tool_exit_code(errno, 0);
	} else {
		fprintf(t->out, "command mode (left data mode by %s)\n", t->dtr ? "DTR" : "+++");
	}
	tool_close(t);
	return ret;
}
